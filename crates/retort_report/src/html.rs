//! Markup shared by the sections. Untrusted text is only ever passed in as
//! `&str` and escaped here or by the caller with [`Esc`].

use std::fmt::Write as _;

use crate::escape::Esc;

/// How a sortable column compares (numbers right-aligned).
#[derive(Clone, Copy, PartialEq)]
pub enum Col {
    Text,
    Num,
}

/// Opens a table; with `sortable` every header is a button that sorts by it.
pub fn table_start(out: &mut String, id: &str, sortable: bool, columns: &[(&str, Col)]) {
    let class = if sortable { " class=\"sortable\"" } else { "" };
    let _ = write!(out, "<div class=\"scroll\"><table id=\"{id}\"{class}><thead><tr>");
    for (name, col) in columns {
        let num = if *col == Col::Num { " class=\"num\"" } else { "" };
        if sortable {
            let _ = write!(out, "<th{num}><button type=\"button\">{}</button></th>", Esc(name));
        } else {
            let _ = write!(out, "<th{num}>{}</th>", Esc(name));
        }
    }
    out.push_str("</tr></thead><tbody>");
}

pub fn table_end(out: &mut String) {
    out.push_str("</tbody></table></div>");
}

/// A text cell.
pub fn td(out: &mut String, text: &str) {
    let _ = write!(out, "<td>{}</td>", Esc(text));
}

/// A monospace text cell.
pub fn td_code(out: &mut String, text: &str) {
    let _ = write!(out, "<td><code>{}</code></td>", Esc(text));
}

/// A number cell that sorts by its value.
pub fn td_num(out: &mut String, value: f64, shown: &str) {
    let sort = if value.is_finite() { value.to_string() } else { String::new() };
    let _ = write!(out, "<td class=\"num\" data-sort=\"{sort}\">{}</td>", Esc(shown));
}

/// A summary card: a big value and a label.
pub fn card(out: &mut String, value: &str, label: &str) {
    let _ = write!(
        out,
        "<div class=\"card\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>",
        Esc(value),
        Esc(label)
    );
}

/// The placeholder of a section whose input is missing.
pub fn not_available(out: &mut String, reason: &str) {
    let _ = write!(out, "<p class=\"na\">Not available: {}</p>", Esc(reason));
}

/// A section heading with its anchor.
pub fn section_start(out: &mut String, id: &str, title: &str) {
    let _ = write!(out, "<section id=\"{id}\"><h2>{}</h2>", Esc(title));
}

pub fn section_end(out: &mut String) {
    out.push_str("</section>");
}

/// A search box filtering the rows of table `table_id`.
pub fn search_box(out: &mut String, table_id: &str, placeholder: &str, rows: usize) {
    let _ = write!(
        out,
        "<div class=\"search\"><label for=\"{table_id}-search\">Search</label><input id=\"{table_id}-search\" type=\"search\" data-filter=\"{table_id}\" placeholder=\"{}\" autocomplete=\"off\"><span id=\"{table_id}-shown\" class=\"muted\">{rows} of {rows} shown</span></div>",
        Esc(placeholder)
    );
}

/// `n thing` / `n things`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Text with `backtick` spans shown as code (as rule messages write them);
/// every part is escaped.
pub fn with_code_spans(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        // An unpaired backtick: show the text as it is.
        return crate::escape::escape(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", Esc(part));
        } else {
            out.push_str(&crate::escape::escape(part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::with_code_spans;

    #[test]
    fn code_spans_are_escaped_too() {
        assert_eq!(with_code_spans("`a<b>` and `c`"), "<code>a&lt;b&gt;</code> and <code>c</code>");
        assert_eq!(with_code_spans("odd ` tick <x>"), "odd ` tick &lt;x&gt;");
        assert_eq!(with_code_spans("`</code><script>`"), "<code>&lt;/code&gt;&lt;script&gt;</code>");
    }
}
