//! gitignore-style path patterns, as CODEOWNERS files use them (and as
//! Retort's own path rules for capabilities and exclusions do).
//!
//! Semantics (git's `gitignore(5)`, with GitHub's documented CODEOWNERS
//! differences):
//! - a pattern with a `/` at the start or in the middle is anchored at the
//!   repository root, otherwise it matches at any depth;
//! - a trailing `/` matches directories only (so: everything below them);
//! - `*` and `?` never match `/`; `**/`, `/**/` and `/**` match any number
//!   of directories;
//! - a pattern that names a directory owns everything below it, except a
//!   last segment that is exactly `*` (`docs/*` matches
//!   `docs/getting-started.md`, not `docs/build-app/troubleshooting.md`,
//!   as GitHub's documentation states);
//! - `[...]` is a character class only when `classes` is set (GitLab);
//!   GitHub documents that character ranges do not work, so it matches the
//!   brackets literally.

use globset::{Glob, GlobBuilder, GlobMatcher};

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct PathPattern {
    pub text: String,
    matchers: Vec<GlobMatcher>,
}

impl PathPattern {
    /// Compiles `text`; an error says why the pattern is not usable.
    pub fn new(text: &str, classes: bool) -> Result<PathPattern, String> {
        let mut body = text.trim().to_string();
        if body.is_empty() {
            return Err("empty pattern".into());
        }
        let dir_only = body.ends_with('/');
        while body.ends_with('/') && body.len() > 1 {
            body.pop();
        }
        let anchored = body.starts_with('/') || body.trim_end_matches('/').contains('/');
        let body = body.trim_start_matches('/');
        if body.is_empty() {
            // `/` alone: the whole repository.
            return PathPattern::from_globs(text, &["**".to_string()]);
        }
        let body = if classes { body.to_string() } else { body.replace('[', "\\[").replace(']', "\\]") };
        let base = if anchored || body.starts_with("**/") { body.clone() } else { format!("**/{body}") };
        let last_is_star = body.rsplit('/').next() == Some("*");
        let mut globs = Vec::new();
        if !dir_only {
            globs.push(base.clone());
        }
        if !last_is_star || dir_only {
            globs.push(format!("{base}/**"));
        }
        PathPattern::from_globs(text, &globs)
    }

    fn from_globs(text: &str, globs: &[String]) -> Result<PathPattern, String> {
        let matchers = globs
            .iter()
            .map(|g| {
                GlobBuilder::new(g)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map(|g: Glob| g.compile_matcher())
                    .map_err(|e| format!("invalid pattern `{text}`: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PathPattern { text: text.to_string(), matchers })
    }

    /// Whether the file at `path` (relative to the root, `/`-separated)
    /// matches.
    pub fn matches(&self, path: &str) -> bool {
        self.matchers.iter().any(|m| m.is_match(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (pattern, path, GitHub's or git's documented answer).
    const CASES: &[(&str, &str, bool)] = &[
        // GitHub's CODEOWNERS documentation examples.
        ("*", "any/file.py", true),
        ("*.js", "src/app.js", true),
        ("*.js", "app.js", true),
        ("*.js", "src/app.jsx", false),
        ("/build/logs/", "build/logs/a.log", true),
        ("/build/logs/", "build/logs/deep/a.log", true),
        ("/build/logs/", "x/build/logs/a.log", false),
        ("docs/*", "docs/getting-started.md", true),
        ("docs/*", "docs/build-app/troubleshooting.md", false),
        ("apps/", "apps/a.py", true),
        ("apps/", "deep/apps/a.py", true),
        ("apps/", "apps", false),
        ("/docs/", "docs/a/b.md", true),
        ("/docs/", "src/docs/b.md", false),
        ("**/logs", "build/logs/a", true),
        ("**/logs", "deeply/nested/logs/x", true),
        ("**/logs", "logs/x", true),
        ("/apps/github", "apps/github/x.rb", true),
        ("/apps/github", "apps/githubber/x.rb", false),
        // gitignore(5).
        ("doc/frotz/", "doc/frotz/x", true),
        ("doc/frotz/", "a/doc/frotz/x", false),
        ("frotz/", "a/frotz/x", true),
        ("a/**/b", "a/b", true),
        ("a/**/b", "a/x/y/b", true),
        ("abc/**", "abc/x/y", true),
        ("abc/**", "abc", false),
        ("foo", "x/foo", true),
        ("foo", "x/foo/bar.py", true),
        ("foo", "x/foobar", false),
        ("?.py", "a.py", true),
        ("?.py", "ab.py", false),
        ("*.py", "a/b/c.py", true),
        ("src/*.py", "src/a/b.py", false),
        // GitHub: no character ranges.
        ("[ab].py", "a.py", false),
        ("[ab].py", "[ab].py", true),
    ];

    #[test]
    fn documented_cases() {
        let mut wrong = Vec::new();
        for &(pattern, path, expected) in CASES {
            let p = PathPattern::new(pattern, false).unwrap();
            if p.matches(path) != expected {
                wrong.push((pattern, path, expected));
            }
        }
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn classes_when_asked() {
        assert!(PathPattern::new("[ab].py", true).unwrap().matches("b.py"));
    }
}
