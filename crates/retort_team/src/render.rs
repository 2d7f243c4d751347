//! Printing the team report: a terminal summary, the Markdown team report
//! with an onboarding playbook per component, and a proposed CODEOWNERS.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use retort_history::DevId;

use crate::report::{Analysis, TeamReport, TruckFactor};

fn tf_line(tf: &TruckFactor) -> String {
    if tf.developers.is_empty() {
        format!("{} ({} files)", tf.value, tf.files)
    } else {
        format!("{} ({} files; {})", tf.value, tf.files, tf.developers.join(", "))
    }
}

/// The terminal summary.
pub fn summary(report: &TeamReport) -> String {
    let mut out = String::new();
    let w = &report.window;
    let _ = writeln!(
        out,
        "History: {} commits{}{}; {} developers ({} active in the last {} days)",
        w.commits,
        if w.truncated { " (truncated)" } else { "" },
        if w.shallow { " (shallow clone)" } else { "" },
        report.developers.len(),
        report.developers.iter().filter(|d| d.active).count(),
        report.inactive_days
    );
    let _ = writeln!(out, "Truck factor: {}", tf_line(&report.truck_factor));
    if let Some(lines) = &report.surviving_lines {
        let top: Vec<String> =
            lines.developers.iter().take(5).map(|d| format!("{} {:.0}%", d.name, d.share * 100.0)).collect();
        let _ = writeln!(
            out,
            "Surviving lines (git blame): {} lines in {} files: {}{}",
            lines.lines,
            lines.files,
            if top.is_empty() { "nobody".to_string() } else { top.join(", ") },
            if lines.not_blamed.is_empty() {
                String::new()
            } else {
                format!(" ({} files not blamed, see JSON)", lines.not_blamed.len())
            }
        );
    }
    let _ = writeln!(out, "Truck factor, inactive developers gone: {}", tf_line(&report.active_truck_factor));
    let lost = &report.knowledge_lost;
    let _ = writeln!(
        out,
        "Knowledge already lost: {} files with only inactive authors{}; {} files with no author",
        lost.files,
        if lost.components.is_empty() {
            String::new()
        } else {
            format!(" (components {})", lost.components.join(", "))
        },
        lost.files_without_author
    );
    if !report.if_leaves.is_empty() {
        let _ = writeln!(out, "\nIf one more developer leaves:");
        for d in report.if_leaves.iter().take(5) {
            let comps = if d.components_lost.is_empty() {
                String::new()
            } else {
                format!("; components below half: {}", d.components_lost.join(", "))
            };
            let _ = writeln!(
                out,
                "  {:<24} {:>5} files lose their last active author{comps}",
                d.developer, d.files_orphaned
            );
        }
    }
    let _ = writeln!(out, "\nComponents:");
    let _ = writeln!(out, "  {:<20} {:>6} {:>4} {:>6}  main authors", "component", "files", "TF", "active");
    for c in &report.components {
        let main: Vec<String> = c.authors.iter().take(3).map(|a| format!("{} ({})", a.developer, a.files)).collect();
        let _ = writeln!(
            out,
            "  {:<20} {:>6} {:>4} {:>6}  {}",
            c.name,
            c.files,
            c.truck_factor.value,
            c.active_truck_factor.value,
            main.join(", ")
        );
    }
    let _ = writeln!(out, "\nCapabilities:");
    for c in report.capabilities.iter().filter(|c| c.files > 0) {
        let experts: Vec<&str> = c.active_experts.iter().take(3).map(|a| a.developer.as_str()).collect();
        let _ = writeln!(
            out,
            "  {:<14} {:>5} files  TF {:>2}  {:>4} recent commits  findings {:>3}  experts: {}",
            c.name,
            c.files,
            c.active_truck_factor,
            c.recent_revisions,
            c.findings.len(),
            if experts.is_empty() { "none active".to_string() } else { experts.join(", ") }
        );
    }
    let co = &report.codeowners;
    if co.found {
        let never: Vec<&str> = co.owners.iter().filter(|o| o.never_touched).map(|o| o.owner.as_str()).collect();
        let _ = writeln!(
            out,
            "\nCODEOWNERS ({}): {} of {} files unowned; owners who never touched what they own: {}; authors not listed: {}",
            co.path.as_deref().unwrap_or("?"),
            co.unowned_files,
            co.files,
            if never.is_empty() { "none".to_string() } else { never.join(", ") },
            co.unlisted_authors.len()
        );
    } else {
        let _ = writeln!(out, "\nCODEOWNERS: none found (`--write-codeowners FILE` proposes one)");
    }
    if !report.hiring_plan.is_empty() {
        let _ = writeln!(out, "\nHiring plan (need score, strongest evidence):");
        for step in &report.hiring_plan {
            let _ = writeln!(out, "  {}. {:<40} {:>5.2}  {}", step.rank, step.title, step.need, step.because);
        }
    }
    for d in &report.diagnostics {
        let _ = writeln!(out, "warning: {d}");
    }
    out
}

/// The Markdown team report and onboarding playbook.
pub fn markdown(report: &TeamReport) -> String {
    let mut out = String::from("# Team report\n\n");
    let _ = writeln!(
        out,
        "Generated by {} from {} commits. Definitions and limits: Retort's `docs/team.md`.\n",
        report.tool, report.window.commits
    );
    let _ = writeln!(out, "- Truck factor: **{}**", tf_line(&report.truck_factor));
    let _ = writeln!(
        out,
        "- Truck factor with developers inactive for {} days counted as gone: **{}**",
        report.inactive_days,
        tf_line(&report.active_truck_factor)
    );
    let _ = writeln!(out, "- Files whose authors are all inactive: {}\n", report.knowledge_lost.files);
    let _ = writeln!(
        out,
        "## Components\n\n| component | files | truck factor | active | main authors |\n|---|---|---|---|---|"
    );
    for c in &report.components {
        let main: Vec<String> = c.authors.iter().take(3).map(|a| format!("{} ({})", a.developer, a.files)).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            c.name,
            c.files,
            c.truck_factor.value,
            c.active_truck_factor.value,
            main.join(", ")
        );
    }
    let _ = writeln!(out, "\n## Roles and hiring plan\n");
    for r in report.roles.iter().filter(|r| r.need > 0.0) {
        let _ = writeln!(out, "### {} — need {:.2}\n", r.title, r.need);
        for e in &r.evidence {
            let _ = writeln!(out, "- ({:+.2}) {}", e.points, e.text);
        }
        out.push('\n');
    }
    out.push_str("# Onboarding playbook\n");
    for path in &report.onboarding {
        let _ = writeln!(out, "\n## {}\n", path.component);
        for (i, step) in path.steps.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, step.text);
        }
    }
    out
}

/// A CODEOWNERS proposal: one line per component path (blueprint
/// packages) and per top-level directory of the rest, owned by up to two
/// active developers who author most of its files; `owner_of` gives the
/// handle to write (an e-mail address by default).
pub fn propose_codeowners(analysis: &Analysis, owner_of: &dyn Fn(DevId) -> String) -> String {
    let mut out = String::from(
        "# Proposed by `retort team --write-codeowners` from degree-of-authorship evidence.\n\
         # Review before committing: authorship is not responsibility. Last matching line wins.\n",
    );
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (path, _, component)) in analysis.files.iter().enumerate() {
        let def = &analysis.components.defs[*component];
        let key = if def.origin != "core" && def.paths.len() == 1 {
            format!("/{}", def.paths[0])
        } else {
            match path.split_once('/') {
                Some((dir, _)) => format!("/{dir}/"),
                None => "*".to_string(),
            }
        };
        groups.entry(key).or_default().push(i);
    }
    // `*` first so that the more specific lines below win.
    let mut keys: Vec<&String> = groups.keys().collect();
    keys.sort_by_key(|k| (k.as_str() != "*", k.len(), (*k).clone()));
    for key in keys {
        let members = &groups[key];
        let mut counts: HashMap<DevId, usize> = HashMap::new();
        for &i in members {
            for &a in &analysis.files[i].1 {
                if analysis.active[a.0 as usize] {
                    *counts.entry(a).or_default() += 1;
                }
            }
        }
        let mut ranked: Vec<(DevId, usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| analysis.names[a.0 .0 as usize].cmp(&analysis.names[b.0 .0 as usize]))
        });
        let owners: Vec<String> = ranked.iter().take(2).map(|(d, _)| owner_of(*d)).collect();
        let evidence: Vec<String> = ranked
            .iter()
            .take(2)
            .map(|(d, n)| format!("{} authors {n}/{}", analysis.names[d.0 as usize], members.len()))
            .collect();
        if owners.is_empty() {
            let _ = writeln!(out, "# {key}: no active author among {} files", members.len());
            continue;
        }
        let _ = writeln!(out, "# {}", evidence.join("; "));
        let _ = writeln!(out, "{} {}", key.replace(' ', "\\ "), owners.join(" "));
    }
    out
}
