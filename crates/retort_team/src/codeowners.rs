//! CODEOWNERS files, with GitHub's and GitLab's semantics.
//!
//! - GitHub (docs.github.com, "About code owners"): the file is
//!   `.github/CODEOWNERS`, `CODEOWNERS` or `docs/CODEOWNERS` (first found);
//!   one `pattern owner…` per line, `#` comments (also after the owners);
//!   the **last** matching line wins; a line without owners leaves the
//!   path unowned; `!` negation and `[ ]` ranges are not supported.
//! - GitLab (docs.gitlab.com, "Code Owners"): the same, plus sections
//!   `[Name]`, optional sections `^[Name]`, approval counts `[Name][2]`,
//!   default owners after the header (`[Name] @team`) used by entries that
//!   list none; sections with the same name (case-insensitive) are one;
//!   the last match wins **within** each section and every section that
//!   matches contributes its owners; `!pattern` excludes paths from a
//!   section.
//!
//! Pattern matching: [`crate::pattern`].

use std::path::Path;

use crate::pattern::PathPattern;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    Github,
    Gitlab,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub name: String,
    pub optional: bool,
    pub approvals: Option<u32>,
    pub default_owners: Vec<String>,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub line: u32,
    pub pattern: PathPattern,
    /// As written; empty means the section's default owners (GitLab) or
    /// no owner.
    pub owners: Vec<String>,
    /// Index into `sections` (GitLab; `None` before the first header).
    pub section: Option<usize>,
    /// GitLab `!pattern`: excluded from the section.
    pub exclusion: bool,
}

/// A parsed CODEOWNERS file.
#[derive(Debug, Clone)]
pub struct Codeowners {
    /// Where it was found, relative to the repository root.
    pub path: String,
    pub flavor: Flavor,
    pub rules: Vec<Rule>,
    pub sections: Vec<Section>,
    /// Lines that could not be used, with the reason.
    pub problems: Vec<(u32, String)>,
}

/// Who owns one path and which lines decided it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ownership {
    pub owners: Vec<String>,
    /// Lines of the deciding rules (one per section that matched).
    pub lines: Vec<u32>,
}

/// The candidate locations, in the order they are searched.
pub const LOCATIONS: &[&str] = &[".github/CODEOWNERS", ".gitlab/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// Finds and parses the repository's CODEOWNERS file, if any.
pub fn find(root: &Path) -> Option<Result<Codeowners, String>> {
    for location in LOCATIONS {
        let file = root.join(location);
        if file.is_file() {
            return Some(match std::fs::read(&file) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    let flavor = if location.starts_with(".gitlab") || has_section_header(&text) {
                        Flavor::Gitlab
                    } else {
                        Flavor::Github
                    };
                    Ok(parse(location, &text, flavor))
                }
                Err(e) => Err(format!("cannot read {}: {e}", file.display())),
            });
        }
    }
    None
}

fn has_section_header(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        (l.starts_with('[') || l.starts_with("^[")) && l.contains(']')
    })
}

/// Splits a line into tokens at unescaped whitespace, dropping a trailing
/// comment (a token starting with an unescaped `#`).
fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next @ (' ' | '\t' | '#')) => current.push(next),
                Some(next) => {
                    current.push('\\');
                    current.push(next);
                }
                None => current.push('\\'),
            },
            c if c.is_whitespace() => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            '#' if current.is_empty() => break,
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Parses a GitLab section header: `^[Name][2] @owner …`.
fn section_header(line: &str) -> Option<(String, bool, Option<u32>, Vec<String>)> {
    let (optional, rest) = match line.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let rest = rest.strip_prefix('[')?;
    let close = rest.find(']')?;
    let name = rest[..close].trim().to_string();
    let mut rest = &rest[close + 1..];
    let mut approvals = None;
    if let Some(r) = rest.strip_prefix('[') {
        let close = r.find(']')?;
        approvals = r[..close].trim().parse().ok();
        rest = &r[close + 1..];
    }
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((name, optional, approvals, tokens(rest)))
}

/// Parses CODEOWNERS text.
pub fn parse(path: &str, text: &str, flavor: Flavor) -> Codeowners {
    let mut file =
        Codeowners { path: path.to_string(), flavor, rules: Vec::new(), sections: Vec::new(), problems: Vec::new() };
    let mut section: Option<usize> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index as u32 + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if flavor == Flavor::Gitlab && (line.starts_with('[') || line.starts_with("^[")) {
            match section_header(line) {
                Some((name, optional, approvals, default_owners)) => {
                    let existing = file.sections.iter().position(|s| s.name.eq_ignore_ascii_case(&name));
                    section = Some(match existing {
                        Some(i) => {
                            // Same name: one section; later default owners add.
                            let s = &mut file.sections[i];
                            for owner in default_owners {
                                if !s.default_owners.contains(&owner) {
                                    s.default_owners.push(owner);
                                }
                            }
                            i
                        }
                        None => {
                            file.sections.push(Section { name, optional, approvals, default_owners, line: line_no });
                            file.sections.len() - 1
                        }
                    });
                }
                None => file.problems.push((line_no, "malformed section header".into())),
            }
            continue;
        }
        let mut parts = tokens(line);
        if parts.is_empty() {
            continue;
        }
        let mut pattern_text = parts.remove(0);
        let mut exclusion = false;
        if let Some(rest) = pattern_text.strip_prefix('!') {
            if flavor == Flavor::Github {
                file.problems.push((line_no, "`!` negation is not supported by GitHub; line ignored".into()));
                continue;
            }
            exclusion = true;
            pattern_text = rest.to_string();
        }
        match PathPattern::new(&pattern_text, flavor == Flavor::Gitlab) {
            Ok(pattern) => file.rules.push(Rule { line: line_no, pattern, owners: parts, section, exclusion }),
            Err(reason) => file.problems.push((line_no, reason)),
        }
    }
    file
}

impl Codeowners {
    /// The owners of `path` (relative to the repository root).
    pub fn owners_of(&self, path: &str) -> Ownership {
        let mut result = Ownership::default();
        // One pass per section (None first): the last match in each wins.
        let mut keys: Vec<Option<usize>> = vec![None];
        keys.extend((0..self.sections.len()).map(Some));
        for key in keys {
            let Some(rule) = self.rules.iter().rev().find(|r| r.section == key && r.pattern.matches(path)) else {
                continue;
            };
            if rule.exclusion {
                continue;
            }
            result.lines.push(rule.line);
            let owners: &[String] = match (rule.owners.is_empty(), key) {
                (true, Some(s)) => &self.sections[s].default_owners,
                _ => &rule.owners,
            };
            for owner in owners {
                if !result.owners.contains(owner) {
                    result.owners.push(owner.clone());
                }
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GITHUB_EXAMPLE: &str = "\
# This is a comment.
*       @global-owner1 @global-owner2
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
*.txt @octo-org/octocats
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/ @octocat
/apps/github
";

    fn owners(file: &Codeowners, path: &str) -> Vec<String> {
        file.owners_of(path).owners
    }

    #[test]
    fn github_last_match_wins() {
        let file = parse("CODEOWNERS", GITHUB_EXAMPLE, Flavor::Github);
        assert!(file.problems.is_empty(), "{:?}", file.problems);
        assert_eq!(owners(&file, "README.md"), ["@global-owner1", "@global-owner2"]);
        assert_eq!(owners(&file, "src/a.js"), ["@js-owner"]);
        assert_eq!(owners(&file, "main.go"), ["docs@example.com"]);
        assert_eq!(owners(&file, "notes.txt"), ["@octo-org/octocats"]);
        // /docs/ comes after docs/* and wins for files directly in docs too.
        assert_eq!(owners(&file, "docs/getting-started.md"), ["@doctocat"]);
        assert_eq!(owners(&file, "scripts/deploy.sh"), ["@doctocat", "@octocat"]);
        assert_eq!(owners(&file, "deeply/nested/logs/x.log"), ["@octocat"]);
        assert_eq!(owners(&file, "apps/web/x.py"), ["@octocat"]);
        // A rule without owners leaves the path unowned.
        assert_eq!(owners(&file, "apps/github/x.rb"), Vec::<String>::new());
        assert_eq!(file.owners_of("apps/github/x.rb").lines, vec![13]);
    }

    #[test]
    fn github_ignores_negation() {
        let file = parse("CODEOWNERS", "* @a\n!x.py @b\n", Flavor::Github);
        assert_eq!(file.problems.len(), 1);
        assert_eq!(owners(&file, "x.py"), ["@a"]);
    }

    #[test]
    fn escaped_spaces_and_hashes() {
        let file = parse("CODEOWNERS", "my\\ docs/ @a\n\\#notes @b\n", Flavor::Github);
        assert_eq!(owners(&file, "my docs/x.md"), ["@a"]);
        assert_eq!(owners(&file, "#notes"), ["@b"]);
    }

    const GITLAB_EXAMPLE: &str = "\
* @everyone
[Documentation] @docs-team
docs/
README.md @tech-writer
^[Database][2] @database-team
*.sql
db/ @dba
[documentation]
guides/
[Backend]
app/ @backend
!app/generated/
";

    #[test]
    fn gitlab_sections() {
        let file = parse(".gitlab/CODEOWNERS", GITLAB_EXAMPLE, Flavor::Gitlab);
        assert!(file.problems.is_empty(), "{:?}", file.problems);
        assert_eq!(file.sections.len(), 3, "Documentation and documentation are one section");
        assert!(file.sections[1].optional);
        assert_eq!(file.sections[1].approvals, Some(2));
        // Entries without owners use the section's default owners.
        assert_eq!(owners(&file, "docs/a.md"), ["@everyone", "@docs-team"]);
        assert_eq!(owners(&file, "guides/a.md"), ["@everyone", "@docs-team"]);
        assert_eq!(owners(&file, "README.md"), ["@everyone", "@tech-writer"]);
        // Every matching section contributes.
        assert_eq!(owners(&file, "db/schema.sql"), ["@everyone", "@dba"]);
        assert_eq!(owners(&file, "q.sql"), ["@everyone", "@database-team"]);
        // Exclusion removes the path from its section only.
        assert_eq!(owners(&file, "app/generated/x.py"), ["@everyone"]);
        assert_eq!(owners(&file, "app/x.py"), ["@everyone", "@backend"]);
    }

    #[test]
    fn finds_the_file_and_its_flavor() {
        let dir = tempfile::tempdir().unwrap();
        assert!(find(dir.path()).is_none());
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("docs/CODEOWNERS"), "* @a\n").unwrap();
        std::fs::write(dir.path().join("CODEOWNERS"), "[S]\n* @b\n").unwrap();
        let found = find(dir.path()).unwrap().unwrap();
        assert_eq!((found.path.as_str(), found.flavor), ("CODEOWNERS", Flavor::Gitlab));
    }
}
