//! HTML output with one escaping function. Everything shown comes from
//! pushed documents (route names, docstrings and file names are written
//! by whoever wrote the analysed code), so the builder only takes static
//! markup as raw text; every dynamic string goes through [`escape`].

/// Escapes text for HTML element content, quoted attribute values and
/// SVG: the report's function (`retort_report::escape`), so that the page
/// and the portal neutralise the same characters — markup, quotes, and
/// bidirectional and invisible controls shown as `[U+202E]`.
pub use retort_report::escape::escape;

/// Percent-encodes one URL path segment or query value (everything but
/// unreserved characters), so a name can never leave its segment.
pub fn url_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A page being written: static markup raw, dynamic text escaped.
#[derive(Default)]
pub struct Html(String);

impl Html {
    pub fn new() -> Html {
        Html(String::new())
    }
    /// Markup known at compile time.
    pub fn raw(&mut self, markup: &'static str) -> &mut Html {
        self.0.push_str(markup);
        self
    }
    /// Untrusted or computed text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Html {
        self.0.push_str(&escape(text));
        self
    }
    /// A number (nothing to escape, but it keeps call sites uniform).
    pub fn num(&mut self, n: impl std::fmt::Display) -> &mut Html {
        self.text(&n.to_string())
    }
    /// Markup produced by another [`Html`] (already escaped).
    pub fn append(&mut self, other: Html) -> &mut Html {
        self.0.push_str(&other.0);
        self
    }
    /// `<a href="PREFIX{url_component(segment)}">text</a>`.
    pub fn link(&mut self, prefix: &'static str, segment: &str, text: &str) -> &mut Html {
        self.raw("<a href=\"").raw(prefix).text(&url_component(segment)).raw("\">").text(text).raw("</a>")
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Date (UTC, `YYYY-MM-DD HH:MM`) of a Unix time.
pub fn format_time(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let seconds = unix.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralises_markup_quotes_and_bidi() {
        assert_eq!(escape("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assert_eq!(escape("a\"b&c"), "a&quot;b&amp;c");
        assert_eq!(escape("abc\u{202E}fed"), "abc[U+202E]fed");
        assert_eq!(escape("x\u{2066}y\u{0}"), "x[U+2066]y[U+0000]");
        assert_eq!(escape("café ✓"), "café ✓");
    }

    #[test]
    fn url_components_stay_in_their_segment() {
        assert_eq!(url_component("a/b?c=d#e f"), "a%2Fb%3Fc%3Dd%23e%20f");
        assert_eq!(url_component("é"), "%C3%A9");
        assert_eq!(url_component("shop-1.v2_x~"), "shop-1.v2_x~");
    }

    #[test]
    fn times_format_as_utc_dates() {
        assert_eq!(format_time(0), "1970-01-01 00:00");
        assert_eq!(format_time(1_700_000_000), "2023-11-14 22:13");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00");
    }
}
