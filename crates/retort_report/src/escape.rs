//! The one escaping function of the report. Everything read from the
//! scanned code (route rules, docstrings, file names, author names) goes
//! through [`escape`] before it reaches the page, in text, attributes and
//! SVG alike.

use std::fmt;

/// Escapes `text` for HTML text, double-quoted attribute values and SVG.
///
/// Besides the five markup characters, characters that could make the page
/// show something other than what the code says are replaced by a visible
/// `[U+XXXX]` marker: bidirectional controls (Trojan Source, CVE-2021-42574),
/// zero-width characters, other control characters (except tab and line
/// feed) and lone line/paragraph separators.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if is_hidden(c) => {
                out.push_str(&format!("[U+{:04X}]", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Characters that change how text around them is shown, or show nothing.
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // bidi: ALM, LRM, RLM, embeddings/overrides, isolates
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        // zero width space/joiners, word joiner and invisible operators, BOM
        | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        | '\u{2028}' | '\u{2029}'
        | '\u{fff9}'..='\u{fffb}'
    )
}

/// `format!`-friendly escaping: `write!(out, "<td>{}</td>", Esc(name))`.
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(self.0))
    }
}

/// An element id made of `[A-Za-z0-9_-]` only, for in-page links built from
/// names (rule codes, components): other characters become `-`, and the
/// prefix keeps ids from different sections apart.
pub fn anchor(prefix: &str, name: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + name.len() + 1);
    id.push_str(prefix);
    id.push('-');
    for c in name.chars() {
        id.push(if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '-' });
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn script_end_tags_and_comments_cannot_survive() {
        let out = escape("</script><!-- <script>alert(1)</script> -->");
        assert!(!out.contains('<'), "{out}");
        assert!(!out.contains('>'), "{out}");
        assert!(out.contains("&lt;/script&gt;"));
        assert!(out.contains("&lt;!--"));
    }

    #[test]
    fn bidi_controls_become_visible() {
        let out = escape("/admin\u{202e}nimda\u{2066}x\u{2069}\u{200b}");
        assert_eq!(out, "/admin[U+202E]nimda[U+2066]x[U+2069][U+200B]");
        assert!(!out.chars().any(is_hidden));
    }

    #[test]
    fn control_characters_become_visible_but_layout_whitespace_stays() {
        assert_eq!(escape("a\u{0}b\u{1b}[31m\tc\n"), "a[U+0000]b[U+001B][31m\tc\n");
    }

    #[test]
    fn ordinary_unicode_is_kept() {
        assert_eq!(escape("café — ユニコード שלום"), "café — ユニコード שלום");
    }

    #[test]
    fn anchors_keep_only_safe_characters() {
        assert_eq!(anchor("rule", "SEC003"), "rule-SEC003");
        assert_eq!(anchor("c", "a\"><script>"), "c-a---script-");
    }
}
