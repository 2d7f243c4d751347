//! The rule documentation the findings and scorecard link to, carried in
//! the page so the links work offline.

use std::fmt::Write as _;

use crate::escape::{anchor, Esc};
use crate::html;
use crate::RuleDoc;

pub fn render(out: &mut String, rules: &[RuleDoc]) {
    html::section_start(out, "rules", "Rule documentation");
    if rules.is_empty() {
        out.push_str("<p class=\"muted\">No rule is named by a finding or the scorecard.</p>");
    } else {
        out.push_str("<p>The rules named by the findings and the scorecard; <code>retort rule CODE</code> prints the same text.</p>");
    }
    for rule in rules {
        let _ = write!(
            out,
            "<details class=\"rule\" id=\"{id}\"><summary><strong>{code}</strong> {name} · {category} · {severity} — {summary}</summary><pre class=\"doc\">{doc}</pre></details>",
            id = anchor("rule", &rule.code),
            code = Esc(&rule.code),
            name = Esc(&rule.name),
            category = Esc(&rule.category),
            severity = Esc(&rule.severity),
            summary = Esc(&rule.summary),
            doc = Esc(rule.doc.trim()),
        );
    }
    html::section_end(out);
}
