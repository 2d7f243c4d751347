//! `# retort: ignore[SEC003]` and bare `# retort: ignore` comments.

use crate::config::matches_code;

/// One suppression comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    /// 1-based line of the comment (it applies to findings on that line).
    pub line: u32,
    /// 1-based column of the `#`.
    pub column: u32,
    /// `None`: a bare `# retort: ignore`, which suppresses every code.
    pub codes: Option<Vec<String>>,
    /// How many findings it suppressed.
    pub used: usize,
}

impl Suppression {
    pub fn covers(&self, code: &str) -> bool {
        match &self.codes {
            None => true,
            Some(codes) => codes.iter().any(|c| matches_code(c, code)),
        }
    }
}

/// The suppression comments of a Python source file.
pub fn parse_suppressions(source: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let mut search = 0;
        while let Some(found) = line[search..].find('#') {
            let hash = search + found;
            let rest = line[hash + 1..].trim_start();
            if let Some(after) = rest.strip_prefix("retort:") {
                let after = after.trim_start();
                if let Some(tail) = after.strip_prefix("ignore") {
                    let tail = tail.trim_start();
                    let codes = tail.strip_prefix('[').and_then(|t| t.split_once(']')).map(|(inside, _)| {
                        inside.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()
                    });
                    out.push(Suppression {
                        line: index as u32 + 1,
                        column: line[..hash].chars().count() as u32 + 1,
                        codes,
                        used: 0,
                    });
                    break;
                }
            }
            search = hash + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bare_and_coded_comments() {
        let s = parse_suppressions("x = 1  # retort: ignore\ny = 2  #retort:ignore[SEC003, REL001]\nz = '#'\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].codes, None);
        assert_eq!(s[1].codes.as_deref(), Some(&["SEC003".to_string(), "REL001".to_string()][..]));
        assert_eq!(s[1].line, 2);
        assert!(s[1].covers("SEC003") && !s[1].covers("SEC004"));
    }
}
