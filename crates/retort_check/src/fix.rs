//! Autofix (`retort check --diff` / `--fix`): local edits for findings
//! whose repair is mechanical, with ruff's two levels.
//!
//! - **safe**: keeps what the code is meant to do. `SEC001`: `debug=True`
//!   (or `DEBUG = True`, `app.debug = True`) becomes `False` in code the
//!   rule judged to be production: the debugger is never meant to run there.
//! - **unsafe**: changes what the code does at run time, so a person should
//!   look: `REL001` adds `timeout=10` to an outbound call (a slow service
//!   that used to answer now raises a timeout error, and 10 s may be wrong
//!   for it); `SEC008` removes `verify=False` (a server with a self-signed
//!   or private-CA certificate now fails until `verify=` names its CA).
//!
//! Fixes are computed from the report's findings and the module's syntax
//! tree (the call at the finding's position), never from regular
//! expressions over whole files; overlapping edits are left to a second run.

use std::collections::BTreeMap;

use retort_python::{Module, Project};
use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::{Ranged, TextSize};

use crate::finding::{Finding, Report};

/// Timeout (seconds) the `REL001` fix adds: the connect-and-read bound
/// requests' documentation suggests as a start ("slightly larger than a
/// multiple of 3"), rounded; a team tunes it per service.
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 10;

/// Whether a fix keeps the code's intent (`Safe`) or changes run-time
/// behaviour and needs review (`Unsafe`, applied only with `--unsafe-fixes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// One replacement of bytes `start..end` of a module's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// The fix of one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub code: String,
    pub file: String,
    pub line: u32,
    pub applicability: Applicability,
    /// What the fix does, e.g. "add `timeout=10`".
    pub title: String,
    pub edit: Edit,
}

/// A file with the fixes that applied to it.
#[derive(Debug, Clone)]
pub struct FixedFile {
    pub file: String,
    pub original: String,
    pub fixed: String,
    /// The fixes applied, in source order.
    pub applied: Vec<Fix>,
}

/// The codes that have a fix, with their level.
pub const FIXABLE: &[(&str, Applicability)] =
    &[("SEC001", Applicability::Safe), ("REL001", Applicability::Unsafe), ("SEC008", Applicability::Unsafe)];

/// The fixes available for the findings of `report`.
pub fn fixes(project: &Project, report: &Report) -> Vec<Fix> {
    let mut out = Vec::new();
    for finding in &report.findings {
        let Some(module) = project.module_by_display_path(&finding.file) else { continue };
        let Some(offset) = byte_offset(&module.source, finding.line, finding.column) else { continue };
        let fix = match finding.code.as_str() {
            "SEC001" => debug_off(module, finding, offset),
            "REL001" => byte_offset(&module.source, finding.end_line, finding.end_column)
                .and_then(|end| add_timeout(module, offset, end)),
            "SEC008" => remove_verify_false(module, offset),
            _ => None,
        };
        if let Some((applicability, title, edit)) = fix {
            out.push(Fix {
                code: finding.code.clone(),
                file: finding.file.clone(),
                line: finding.line,
                applicability,
                title,
                edit,
            });
        }
    }
    out
}

/// Applies the fixes allowed at `level` (safe only, or safe and unsafe),
/// file by file; of two overlapping edits the first in source order wins.
pub fn apply(project: &Project, fixes: &[Fix], unsafe_fixes: bool) -> Vec<FixedFile> {
    let mut by_file: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    for fix in fixes.iter().filter(|f| unsafe_fixes || f.applicability == Applicability::Safe) {
        by_file.entry(fix.file.as_str()).or_default().push(fix);
    }
    let mut out = Vec::new();
    for (file, mut list) in by_file {
        let Some(module) = project.module_by_display_path(file) else { continue };
        list.sort_by_key(|f| (f.edit.start, f.edit.end));
        list.dedup_by(|a, b| a.edit == b.edit);
        let mut applied: Vec<Fix> = Vec::new();
        let mut fixed = String::with_capacity(module.source.len() + 32);
        let mut cursor = 0;
        for fix in list {
            if fix.edit.start < cursor {
                continue;
            }
            fixed.push_str(&module.source[cursor..fix.edit.start]);
            fixed.push_str(&fix.edit.replacement);
            cursor = fix.edit.end;
            applied.push(fix.clone());
        }
        fixed.push_str(&module.source[cursor..]);
        if !applied.is_empty() {
            out.push(FixedFile { file: file.to_string(), original: module.source.clone(), fixed, applied });
        }
    }
    out
}

/// The byte offset of 1-based `line` and character `column` in `source`.
fn byte_offset(source: &str, line: u32, column: u32) -> Option<usize> {
    if line == 0 || column == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += source[start..].find('\n')? + 1;
    }
    let text = &source[start..];
    let within = text
        .char_indices()
        .nth(column as usize - 1)
        .map(|(i, _)| i)
        .or_else(|| (text.chars().count() == column as usize - 1).then_some(text.len()))?;
    Some(start + within)
}

/// `SEC001`: the `True` that ends the reported `debug=True` or `DEBUG = True`.
fn debug_off(module: &Module, finding: &Finding, offset: usize) -> Option<(Applicability, String, Edit)> {
    let end = byte_offset(&module.source, finding.end_line, finding.end_column)?;
    let text = module.source.get(offset..end)?;
    let trimmed = text.trim_end();
    if !trimmed.ends_with("True") || !trimmed.contains('=') {
        return None;
    }
    let true_start = offset + trimmed.len() - "True".len();
    Some((
        Applicability::Safe,
        "set debug to `False`".to_string(),
        Edit { start: true_start, end: true_start + 4, replacement: "False".to_string() },
    ))
}

/// All calls of a module.
struct Calls<'m> {
    calls: Vec<&'m ExprCall>,
}

impl<'m> Visitor<'m> for Calls<'m> {
    fn visit_expr(&mut self, expr: &'m Expr) {
        if let Expr::Call(call) = expr {
            self.calls.push(call);
        }
        walk_expr(self, expr);
    }
}

fn calls(module: &Module) -> Vec<&ExprCall> {
    let mut visitor = Calls { calls: Vec::new() };
    visitor.visit_body(&module.ast.body);
    visitor.calls
}

/// `REL001`: `timeout=10` as the last argument of the call whose callee
/// spans `offset..end` (exactly: in `requests.get(u).json()` both calls'
/// callees start at `requests`).
fn add_timeout(module: &Module, offset: usize, end: usize) -> Option<(Applicability, String, Edit)> {
    let (at, to) = (TextSize::try_from(offset).ok()?, TextSize::try_from(end).ok()?);
    let call = calls(module).into_iter().find(|c| c.func.range().start() == at && c.func.range().end() == to)?;
    let arguments = call.arguments.range();
    let close = usize::from(arguments.end()).checked_sub(1)?;
    if module.source.get(close..=close)? != ")" {
        return None;
    }
    let inside = &module.source[usize::from(arguments.start()) + 1..close];
    let before_close = inside.trim_end();
    let insert_at = usize::from(arguments.start()) + 1 + before_close.len();
    let keyword = format!("timeout={DEFAULT_TIMEOUT_SECONDS}");
    let replacement = if before_close.is_empty() {
        keyword.clone()
    } else if before_close.ends_with(',') && inside.contains('\n') {
        // One argument per line (a formatter's layout): a line of its own,
        // indented like the last argument.
        let line_start = module.source[..insert_at].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = module.source[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        format!("\n{indent}{keyword},")
    } else if before_close.ends_with(',') {
        format!(" {keyword},")
    } else {
        format!(", {keyword}")
    };
    Some((Applicability::Unsafe, format!("add `{keyword}`"), Edit { start: insert_at, end: insert_at, replacement }))
}

/// `SEC008`: removes the `verify=False` keyword at `offset` with its comma.
fn remove_verify_false(module: &Module, offset: usize) -> Option<(Applicability, String, Edit)> {
    let at = TextSize::try_from(offset).ok()?;
    let call = calls(module).into_iter().find(|c| c.arguments.keywords.iter().any(|k| k.range().start() == at))?;
    let mut parts: Vec<(usize, usize)> = call
        .arguments
        .args
        .iter()
        .map(|a| a.range())
        .chain(call.arguments.keywords.iter().map(|k| k.range()))
        .map(|r| (usize::from(r.start()), usize::from(r.end())))
        .collect();
    parts.sort_unstable();
    let index = parts.iter().position(|&(start, _)| start == offset)?;
    let (start, end) = parts[index];
    let (cut_start, cut_end) = if index > 0 {
        // `f(a, verify=False)` → `f(a)`: from the end of the previous argument.
        (parts[index - 1].1, end)
    } else if let Some(&(next_start, _)) = parts.get(index + 1) {
        // `f(verify=False, a)` → `f(a)`: up to the next argument.
        (start, next_start)
    } else {
        // The only argument; a trailing comma goes too.
        let close = usize::from(call.arguments.range().end()) - 1;
        (start, close)
    };
    Some((
        Applicability::Unsafe,
        "remove `verify=False`".to_string(),
        Edit { start: cut_start, end: cut_end, replacement: String::new() },
    ))
}

/// A unified diff of the fixed files (`--- a/FILE` / `+++ b/FILE`).
pub fn unified_diff(files: &[FixedFile]) -> String {
    let mut out = String::new();
    for file in files {
        let diff = similar::TextDiff::from_lines(&file.original, &file.fixed);
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{}", file.file), &format!("b/{}", file.file))
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_count_characters_in_the_line() {
        let source = "a = 1\nb = \"é\" + x\n";
        assert_eq!(byte_offset(source, 2, 1), Some(6));
        assert_eq!(&source[byte_offset(source, 2, 11).unwrap()..], "x\n");
        assert_eq!(byte_offset(source, 0, 1), None);
        assert_eq!(byte_offset(source, 9, 1), None);
    }
}
