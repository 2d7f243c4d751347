//! The rule registry: every rule's metadata, documentation and entry point.

use ruff_python_ast::{Expr, Stmt};

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::rules as rule_files;
use crate::taint::SinkSite;

/// A rule's identity and documentation. Each rule file defines one `RULE`.
#[derive(Debug)]
pub struct Rule {
    /// Stable code, e.g. `SEC003`. Never reused.
    pub code: &'static str,
    /// kebab-case name, e.g. `sql-injection`.
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub cwe: Option<u32>,
    /// One line, for listings and SARIF `shortDescription`.
    pub summary: &'static str,
    /// The published documentation (markdown, ruff's sections).
    pub doc: &'static str,
}

/// CWEs a rule carries besides its primary `cwe`, by code. Code injection
/// is filed as CWE-95 (eval injection) by some and CWE-94 (code injection,
/// the common tag) by others; code-scanning platforms match either. Cookie
/// attributes: Secure (614), HttpOnly (1004), SameSite (1275).
/// Template injection (1336) runs code in the template engine: CWE-94 too, as
/// CodeQL tags it.
const RELATED_CWES: &[(&str, &[u32])] = &[("SEC004", &[94]), ("SEC011", &[94]), ("SEC018", &[1004, 1275])];

impl Rule {
    /// Every CWE of the rule, ascending (the primary `cwe` and related ones).
    pub fn cwes(&self) -> Vec<u32> {
        let related = RELATED_CWES.iter().filter(|(code, _)| *code == self.code).flat_map(|(_, cwes)| cwes.iter());
        let mut all: Vec<u32> = self.cwe.iter().chain(related).copied().collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// Where a rule hooks into the analysis.
#[derive(Clone, Copy)]
pub enum Check {
    /// Called for every expression of every module.
    Expr(fn(&mut Checker, &Expr)),
    /// Called for every statement of every module.
    Stmt(fn(&mut Checker, &Stmt)),
    /// A taint sink: returns the argument of `call` that must not carry
    /// request data. Checked inside request handlers.
    Sink(for<'a> fn(&SinkSite<'a>) -> Option<&'a Expr>),
    /// A taint sink where only request data at the start of the value
    /// matters (a URL whose scheme and host are fixed cannot redirect away).
    PrefixSink(for<'a> fn(&SinkSite<'a>) -> Option<&'a Expr>),
    /// Called once with the whole project and catalog.
    Project(fn(&mut Checker)),
}

/// A rule with its entry point.
#[derive(Clone, Copy)]
pub struct Registered {
    pub rule: &'static Rule,
    /// Where it hooks in (none: the engine reports it itself).
    pub checks: &'static [Check],
}

/// Every rule, in code order.
pub fn registry() -> &'static [Registered] {
    rule_files::registry()
}

/// Every rule's metadata, in code order (for `retort rules`).
pub fn rules() -> Vec<&'static Rule> {
    registry().iter().map(|r| r.rule).collect()
}

/// A rule by code (case-insensitive) or by name.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    registry().iter().map(|r| r.rule).find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// The markdown documentation of a rule (for `retort rule SEC003` and
/// `docs/rules/`), with a header of its metadata.
pub fn rule_doc(code_or_name: &str) -> Option<String> {
    let rule = rule(code_or_name)?;
    let mut out = format!("# {} ({})\n\n", rule.name, rule.code);
    out.push_str(&format!("Category: {} · default severity: {}", rule.category.as_str(), rule.severity.as_str()));
    for cwe in rule.cwes() {
        out.push_str(&format!(" · [CWE-{cwe}](https://cwe.mitre.org/data/definitions/{cwe}.html)"));
    }
    out.push_str("\n\n");
    out.push_str(rule.doc.trim());
    out.push('\n');
    Some(out)
}
