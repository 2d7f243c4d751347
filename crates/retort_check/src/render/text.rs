use std::collections::BTreeMap;
use std::fmt::Write;

use retort_python::Project;

use super::SourceFiles;
use crate::finding::{Finding, Report, Severity};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const BLUE: &str = "\x1b[34m";

/// ruff-like text: `path:line:col: CODE [severity] message`, a code frame
/// with a caret under the flagged column, and a summary by rule.
pub fn render_text(report: &Report, project: &Project, colour: bool) -> String {
    let paint = |code: &str, text: &str| if colour { format!("{code}{text}{RESET}") } else { text.to_string() };
    let mut files = SourceFiles::new(project);
    let mut out = String::new();
    for f in &report.findings {
        let location = location(f);
        let severity_colour = match f.severity {
            Severity::Error => RED,
            Severity::Warning => YELLOW,
            Severity::Info => CYAN,
        };
        let _ = writeln!(
            out,
            "{}: {} {} {}",
            paint(BOLD, &location),
            paint(&format!("{BOLD}{severity_colour}"), &f.code),
            paint(severity_colour, &format!("[{}]", f.severity.as_str())),
            f.message
        );
        if let Some(source) = files.line(&f.file, f.line) {
            let number = f.line.to_string();
            let gutter = " ".repeat(number.len());
            let caret_at: usize =
                source.chars().take(f.column.saturating_sub(1) as usize).map(|c| if c == '\t' { 4 } else { 1 }).sum();
            let width =
                if f.end_line == f.line && f.end_column > f.column { (f.end_column - f.column) as usize } else { 1 };
            let shown = source.replace('\t', "    ");
            let _ = writeln!(out, "{} {}", gutter, paint(BLUE, "|"));
            let _ = writeln!(out, "{} {} {}", paint(BLUE, &number), paint(BLUE, "|"), shown);
            let _ = writeln!(
                out,
                "{} {} {}{}",
                gutter,
                paint(BLUE, "|"),
                " ".repeat(caret_at),
                paint(severity_colour, &"^".repeat(width))
            );
        }
        out.push('\n');
    }
    out.push_str(&summary(report, colour));
    out
}

/// One line per finding (`path:line:col: CODE [severity] message`, as in
/// ruff's concise format), then the same summary as the full text.
pub fn render_concise(report: &Report, colour: bool) -> String {
    let paint = |code: &str, text: &str| if colour { format!("{code}{text}{RESET}") } else { text.to_string() };
    let mut out = String::new();
    for f in &report.findings {
        let severity_colour = match f.severity {
            Severity::Error => RED,
            Severity::Warning => YELLOW,
            Severity::Info => CYAN,
        };
        let _ = writeln!(
            out,
            "{}: {} {} {}",
            paint(BOLD, &location(f)),
            paint(&format!("{BOLD}{severity_colour}"), &f.code),
            paint(severity_colour, &format!("[{}]", f.severity.as_str())),
            f.message.replace('\n', " ")
        );
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary(report, colour));
    out
}

fn location(f: &Finding) -> String {
    match (f.file.as_str(), f.line) {
        ("", _) => "<project>".to_string(),
        (file, 0) => file.to_string(),
        (file, line) => format!("{file}:{line}:{}", f.column),
    }
}

/// Files that could not be analysed, the findings per rule (errors first)
/// and the totals (errors first).
fn summary(report: &Report, colour: bool) -> String {
    let paint = |code: &str, text: &str| if colour { format!("{code}{text}{RESET}") } else { text.to_string() };
    let mut out = String::new();
    for d in &report.diagnostics {
        let kind = serde_json::to_value(d.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let _ = writeln!(
            out,
            "{}{}: {}: {}",
            d.file,
            d.line.map(|l| format!(":{l}")).unwrap_or_default(),
            paint(RED, &kind),
            d.message
        );
    }
    if !report.completeness.is_complete() {
        let _ = writeln!(out, "{}.\n", report.completeness.describe());
    }
    let mut by_code: BTreeMap<(std::cmp::Reverse<Severity>, &str, &str), usize> = BTreeMap::new();
    for f in &report.findings {
        *by_code.entry((std::cmp::Reverse(f.severity), f.code.as_str(), f.rule.as_str())).or_default() += 1;
    }
    for ((severity, code, rule), count) in &by_code {
        let _ = writeln!(out, "{count:>5}  {code:<8} {:<8} {rule}", severity.0.as_str());
    }
    let total = report.findings.len();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = write!(
        out,
        "Found {}, {} and {} info ({})",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        report.count(Severity::Info),
        plural(total, "finding")
    );
    if report.suppressed > 0 {
        let _ = write!(out, "; {} suppressed", report.suppressed);
    }
    if report.baselined > 0 {
        let _ = write!(out, "; {} in the baseline", report.baselined);
    }
    out.push_str(".\n");
    out
}
