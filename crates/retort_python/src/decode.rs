//! Turning file bytes into source text: BOM, PEP 263 coding cookies,
//! binary detection.

use std::borrow::Cow;

/// Why a file's bytes could not be turned into text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("file looks binary (contains NUL bytes)")]
    Binary,
    #[error("unknown encoding {0:?} in coding cookie")]
    UnknownEncoding(String),
    #[error("invalid {encoding} at byte {offset}")]
    Invalid { encoding: String, offset: usize },
}

/// Decodes Python source bytes the way CPython does: a UTF-8 BOM wins,
/// then a `coding:` cookie on one of the first two lines, else UTF-8.
pub fn decode_source(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest);
    }
    match coding_cookie(bytes) {
        None => decode_utf8(bytes),
        Some(name) => {
            let normalized = name.to_ascii_lowercase().replace('_', "-");
            // Python's aliases of UTF-8 (`codecs.lookup`): `utf`, `u8`, `cp65001`.
            if matches!(normalized.as_str(), "utf-8" | "utf8" | "utf" | "u8" | "cp65001" | "ascii" | "us-ascii")
                || normalized.starts_with("utf-8-")
            {
                return decode_utf8(bytes);
            }
            let label = match normalized.as_str() {
                "latin-1" | "latin1" | "iso-latin-1" | "l1" => "iso-8859-1",
                other => other,
            };
            let encoding = encoding_rs::Encoding::for_label(label.as_bytes())
                .ok_or_else(|| DecodeError::UnknownEncoding(name.clone()))?;
            let (text, _, had_errors) = encoding.decode(bytes);
            if had_errors {
                return Err(DecodeError::Invalid { encoding: name, offset: 0 });
            }
            Ok(Cow::Owned(text.into_owned()))
        }
    }
}

fn decode_utf8(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|err| DecodeError::Invalid { encoding: "utf-8".to_string(), offset: err.valid_up_to() })
}

/// The PEP 263 cookie (`# -*- coding: latin-1 -*-`) of the first two lines.
fn coding_cookie(bytes: &[u8]) -> Option<String> {
    for (index, line) in bytes.split(|&b| b == b'\n').take(2).enumerate() {
        let text = String::from_utf8_lossy(line);
        let trimmed = text.trim_start();
        if !trimmed.starts_with('#') {
            // A cookie on line 2 only counts when line 1 is a comment or blank.
            if index == 0 && !trimmed.is_empty() {
                return None;
            }
            continue;
        }
        if let Some(pos) = trimmed.find("coding") {
            let rest = &trimmed[pos + "coding".len()..];
            let rest = rest.strip_prefix([':', '='])?;
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            if !name.is_empty() {
                return Some(name);
            }
        }
    }
    None
}

/// `Some(depth)` when brackets nest deeper than `limit`. Most files have
/// fewer opening brackets in total than the limit, which a fast count shows.
pub fn nesting_over(source: &str, limit: usize) -> Option<usize> {
    let opening = source.bytes().filter(|b| matches!(b, b'(' | b'[' | b'{')).count();
    if opening <= limit {
        return None;
    }
    Some(max_bracket_depth(source)).filter(|&depth| depth > limit)
}

/// `Some(run)` when more than `limit` prefix operators (`-`, `+`, `~`,
/// `not`, `await`) follow each other outside strings and comments. Each
/// nests the AST one level without a bracket and costs the parser about
/// 1 KB, so an 8 MB file of `-` took 8 GB; CPython gives up after a few
/// thousand ("too complex"), so such a file is not valid Python either.
pub fn prefix_operators_over(source: &str, limit: usize) -> Option<usize> {
    if source.len() <= limit {
        return None;
    }
    let bytes = source.as_bytes();
    // Every run is made of these bytes and words, so their count bounds the
    // longest run: nearly every real file is settled by two vectorised
    // passes instead of the byte-by-byte walk below.
    let signs = bytes.iter().filter(|b| matches!(b, b'-' | b'+' | b'~')).count();
    if signs <= limit {
        let words =
            memchr::memmem::find_iter(bytes, b"not").count() + memchr::memmem::find_iter(bytes, b"await").count();
        if signs + words <= limit {
            return None;
        }
    }
    let mut run = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'-' | b'+' | b'~' => run += 1,
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\\' => {}
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            quote @ (b'"' | b'\'') => {
                run = 0;
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80) {
                    i += 1;
                }
                match &bytes[start..i] {
                    b"not" | b"await" => run += 1,
                    _ => run = 0,
                }
                continue;
            }
            _ => run = 0,
        }
        if run > limit {
            return Some(run);
        }
        i += 1;
    }
    None
}

/// The deepest bracket nesting of the source, skipping strings and
/// comments roughly. CPython refuses more than 200 nested parentheses, so
/// a deeper file is not valid Python and is not worth the parser's stack.
pub fn max_bracket_depth(source: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut quote: Option<u8> = None;
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q || b == b'\n' && q != b'"' && q != b'\'' {
                    quote = None;
                }
            }
            None => match b {
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'"' | b'\'' => quote = Some(b),
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    max = max.max(depth);
                }
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        i += 1;
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom() {
        assert_eq!(decode_source(b"\xEF\xBB\xBFx = 1\n").unwrap(), "x = 1\n");
    }

    #[test]
    fn latin1_cookie() {
        let src = b"# -*- coding: latin-1 -*-\ns = '\xe9'\n";
        assert_eq!(decode_source(src).unwrap(), "# -*- coding: latin-1 -*-\ns = '\u{e9}'\n");
    }

    #[test]
    fn cookie_on_second_line_after_shebang() {
        let src = b"#!/usr/bin/env python\n# coding=cp1252\ns = '\x80'\n";
        assert!(decode_source(src).unwrap().contains('\u{20ac}'));
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let err = decode_source(b"x = '\xff'\n").unwrap_err();
        assert_eq!(err, DecodeError::Invalid { encoding: "utf-8".into(), offset: 5 });
    }

    #[test]
    fn nul_bytes_are_binary() {
        assert_eq!(decode_source(b"\x7fELF\x00\x01").unwrap_err(), DecodeError::Binary);
    }

    #[test]
    fn python_aliases_of_utf8() {
        for alias in ["utf", "u8", "UTF8", "cp65001"] {
            let source = format!("# -*- coding: {alias} -*-\nx = 'é'\n");
            assert_eq!(decode_source(source.as_bytes()).unwrap(), source, "{alias}");
        }
    }

    #[test]
    fn unknown_cookie() {
        assert!(matches!(decode_source(b"# coding: klingon\nx=1\n").unwrap_err(), DecodeError::UnknownEncoding(_)));
    }

    #[test]
    fn prefix_operator_runs() {
        assert_eq!(prefix_operators_over("x = a - -b  # ----------", 3), None);
        assert_eq!(prefix_operators_over("x = '----------' + \"~~~~~~~~\"", 3), None);
        assert_eq!(prefix_operators_over("x = - - -\\\n - a", 3), Some(4));
        assert_eq!(prefix_operators_over("x = not not -~ a", 3), Some(4));
        assert_eq!(prefix_operators_over("x = nothing - - - a", 3), None);
        assert_eq!(prefix_operators_over(&format!("x = {}a", "-".repeat(10_000)), 5000), Some(5001));
        assert_eq!(prefix_operators_over(&format!("x = {}a", "not ".repeat(6_000)), 5000), Some(5001));
        // Many signs, but no run: past the counting shortcut, the walk decides.
        assert_eq!(prefix_operators_over(&"x = a - b\n".repeat(6_000), 5000), None);
    }

    #[test]
    fn bracket_depth_ignores_strings() {
        assert_eq!(max_bracket_depth("f((1), '(((', [2])"), 2);
        assert_eq!(max_bracket_depth(&"(".repeat(300)), 300);
    }
}
