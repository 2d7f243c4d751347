//! Allow-list checks written as regular expressions
//! (`if not re.match(r"^[A-Za-z0-9_.-]+$", name): abort(400)`): a validator
//! is judged by what its pattern lets through, not by its name.
//!
//! Only simple patterns are read: anchored at both ends, made of literal
//! characters, escapes (`\w`, `\d`, `\.`), character classes, groups,
//! alternation and quantifiers. Anything else (`.`, a negated class, a
//! back-reference, a pattern that is not a literal) is not a check.

use crate::models::{KindSet, SinkKind};

/// How a regular-expression function is anchored.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Anchoring {
    /// `re.fullmatch`: both ends.
    Full,
    /// `re.match`: the start only.
    Start,
    /// `re.search`: neither.
    None,
}

impl Anchoring {
    /// The anchoring of a function of the `re` module (or of a compiled
    /// pattern's method) by name.
    pub fn of(function: &str) -> Option<Anchoring> {
        match function {
            "fullmatch" => Some(Anchoring::Full),
            "match" => Some(Anchoring::Start),
            "search" => Some(Anchoring::None),
            _ => None,
        }
    }
}

/// Characters that carry meaning in some sink: quotes and separators of
/// SQL, shells and HTML, URL and path syntax, whitespace.
const META: &str = "/\\:<>'\"`;|&$(){}[]%*?#!=,\n\r\t ";

/// The sink kinds a value is safe for once it matches `pattern` in full.
/// Empty when the pattern is not a full-match allow-list this reader
/// understands.
pub fn cleared_by_pattern(pattern: &str, anchoring: Anchoring) -> KindSet {
    let Some(allowed) = allowed_characters(pattern, anchoring) else { return KindSet::EMPTY };
    if !META.chars().any(|c| allowed.contains(&c)) {
        // Word characters, dots, dashes and the like: no quote, separator
        // or URL syntax survives the check.
        return KindSet::ALL;
    }
    let has = |c: char| allowed.contains(&c);
    if has('/') || has('\\') {
        return KindSet::EMPTY;
    }
    // One path component at most: no directory can be left (`..` alone
    // names the parent and no further).
    if has(':') {
        return KindSet::of(&[SinkKind::Path]);
    }
    // Nor can a URL carry a scheme or a host (`http:evil.example`).
    KindSet::of(&[SinkKind::Path, SinkKind::Redirect, SinkKind::Ssrf])
}

/// The ASCII characters a full match of `pattern` can contain (non-ASCII
/// letters that `\w` admits are not listed: none of them is a separator).
fn allowed_characters(pattern: &str, anchoring: Anchoring) -> Option<Vec<char>> {
    let mut body = pattern;
    let starts = anchoring != Anchoring::None;
    let (starts, rest) = match body.strip_prefix('^').or_else(|| body.strip_prefix("\\A")) {
        Some(rest) => (true, rest),
        None => (starts, body),
    };
    body = rest;
    let ends = anchoring == Anchoring::Full;
    let (ends, rest) = match body.strip_suffix("\\Z").or_else(|| body.strip_suffix("\\z")) {
        Some(rest) => (true, rest),
        // `$` also matches before a trailing newline: a value may end in
        // one `\n`, after which nothing follows that could be injected.
        None => match body.strip_suffix('$').filter(|r| !r.ends_with('\\')) {
            Some(rest) => (true, rest),
            None => (ends, body),
        },
    };
    body = rest;
    if !starts || !ends || body.is_empty() {
        return None;
    }
    let mut allowed: Vec<char> = Vec::new();
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let escaped = *chars.get(i + 1)?;
                allowed.extend(escape_class(escaped)?);
                i += 2;
            }
            '[' => {
                let (class, next) = character_class(&chars, i + 1)?;
                allowed.extend(class);
                i = next;
            }
            // Structure: groups, alternation, quantifiers.
            '(' => {
                // Non-capturing and named groups: skip their `?:` / `?P<name>`.
                if chars.get(i + 1) == Some(&'?') {
                    match chars.get(i + 2) {
                        Some(':') => i += 3,
                        Some('P') if chars.get(i + 3) == Some(&'<') => {
                            let close = chars[i..].iter().position(|&c| c == '>')?;
                            i += close + 1;
                        }
                        _ => return None,
                    }
                } else {
                    i += 1;
                }
            }
            ')' | '|' | '+' | '*' | '?' => i += 1,
            '{' => {
                let close = chars[i..].iter().position(|&c| c == '}')?;
                if !chars[i + 1..i + close].iter().all(|c| c.is_ascii_digit() || *c == ',') {
                    return None;
                }
                i += close + 1;
            }
            // Any character, or an anchor in the middle.
            '.' | '^' | '$' => return None,
            c => {
                allowed.push(c);
                i += 1;
            }
        }
    }
    Some(allowed)
}

/// What an escape outside a class admits: a class (`\w`) or the character.
fn escape_class(escaped: char) -> Option<Vec<char>> {
    Some(match escaped {
        'w' => ('a'..='z').chain('A'..='Z').chain('0'..='9').chain(['_']).collect(),
        'd' => ('0'..='9').collect(),
        's' => vec![' ', '\t', '\n', '\r', '\x0b', '\x0c'],
        // `\W`, `\D`, `\S`, back-references and other specials.
        c if c.is_ascii_alphanumeric() => return None,
        c => vec![c],
    })
}

/// The characters of a class that starts after `[` at `start`, and the
/// index after its `]`.
fn character_class(chars: &[char], start: usize) -> Option<(Vec<char>, usize)> {
    if chars.get(start) == Some(&'^') {
        return None;
    }
    let mut out = Vec::new();
    let mut i = start;
    let mut previous: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && i > start {
            return Some((out, i + 1));
        }
        let single = if c == '\\' {
            let escaped = *chars.get(i + 1)?;
            i += 2;
            match escaped {
                'w' | 'd' | 's' => {
                    out.extend(escape_class(escaped)?);
                    previous = None;
                    continue;
                }
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                c if c.is_ascii_alphanumeric() => return None,
                c => c,
            }
        } else if c == '-' && previous.is_some() && chars.get(i + 1).is_some_and(|n| *n != ']') {
            // A range `a-z`.
            let low = previous.take()?;
            let mut high = chars[i + 1];
            i += 2;
            if high == '\\' {
                high = *chars.get(i)?;
                i += 1;
            }
            if high < low || !high.is_ascii() {
                return None;
            }
            out.extend((low as u32..=high as u32).filter_map(char::from_u32));
            continue;
        } else {
            i += 1;
            c
        };
        out.push(single);
        previous = Some(single);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_pattern_clears_every_kind() {
        assert_eq!(cleared_by_pattern(r"^[A-Za-z0-9_.+-]+$", Anchoring::Start), KindSet::ALL);
        assert_eq!(cleared_by_pattern(r"\w+", Anchoring::Full), KindSet::ALL);
        assert_eq!(cleared_by_pattern(r"^(?P<id>[a-f0-9]{32})\Z", Anchoring::Start), KindSet::ALL);
    }

    #[test]
    fn a_pattern_without_separators_clears_paths_and_urls() {
        let kinds = cleared_by_pattern(r"^[\w .:]+$", Anchoring::Start);
        assert!(kinds.contains(SinkKind::Path));
        assert!(!kinds.contains(SinkKind::Redirect));
        assert!(!kinds.contains(SinkKind::Sql));
        let kinds = cleared_by_pattern(r"^[\w .]+$", Anchoring::Start);
        assert!(kinds.contains(SinkKind::Ssrf));
    }

    #[test]
    fn what_is_not_a_full_allow_list_clears_nothing() {
        for (pattern, anchoring) in [
            (r"^[a-z]+", Anchoring::Start),
            (r"[a-z]+$", Anchoring::None),
            (r"^.+$", Anchoring::Start),
            (r"^[^/]+$", Anchoring::Start),
            (r"^[\w/]+$", Anchoring::Start),
            (r"^\S+$", Anchoring::Start),
        ] {
            assert!(cleared_by_pattern(pattern, anchoring).is_empty(), "{pattern}");
        }
    }
}
