//! DEL006: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::delivery::dockerfiles;

pub const RULE: Rule = Rule {
    code: "DEL006",
    name: "dockerfile-latest-tag",
    category: Category::Delivery,
    severity: Severity::Warning,
    cwe: None,
    summary: "Base image not pinned to a version",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags `FROM` lines whose image has no tag, or the `latest` tag (images
pinned by digest, `scratch` and earlier build stages are fine).

## Why is this bad?
`latest` moves. The same Dockerfile builds a different Python, a different
OS and different system libraries from one week to the next, and a broken
base image breaks a build nobody changed.

## Example
```dockerfile
FROM python:latest
```

Use instead:
```dockerfile
FROM python:3.12.7-slim-bookworm
```

## References
- [Docker: Dockerfile best practices — FROM](https://docs.docker.com/build/building/best-practices/#from)
"#;

pub fn check(checker: &mut Checker) {
    for (file, instructions) in dockerfiles(checker) {
        // Names of earlier build stages: `FROM builder` refers to one.
        let mut stages: Vec<String> = Vec::new();
        for from in instructions.iter().filter(|i| i.keyword == "FROM") {
            let words: Vec<&str> = from.arguments.split_whitespace().filter(|w| !w.starts_with("--")).collect();
            let Some(image) = words.first().copied() else { continue };
            let lower = image.to_ascii_lowercase();
            let is_stage = stages.contains(&lower);
            if let (Some(as_kw), Some(alias)) = (words.get(1), words.get(2)) {
                if as_kw.eq_ignore_ascii_case("as") {
                    stages.push(alias.to_ascii_lowercase());
                }
            }
            if is_stage || lower == "scratch" || image.contains('@') || image.contains('$') {
                continue;
            }
            let last_segment = image.rsplit('/').next().unwrap_or(image);
            match last_segment.split_once(':').map(|(_, tag)| tag) {
                None => checker.report_at(
                    &RULE,
                    &file,
                    from.line,
                    format!("`FROM {image}` has no tag and pulls whatever `latest` is"),
                ),
                Some("latest") => {
                    checker.report_at(&RULE, &file, from.line, format!("`FROM {image}` uses the moving `latest` tag"))
                }
                Some(_) => {}
            }
        }
    }
}
