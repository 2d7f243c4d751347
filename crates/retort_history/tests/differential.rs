//! Differential check against git's own text output: the change table of
//! the repository this crate lives in (Retort's own history) must have the
//! same files per commit and the same line totals as `git log --numstat
//! -M`, parsed here independently from git's human format (not `-z`).
//! Skipped, with a message, when the checkout is not a git repository or
//! is shallow (CI checkouts often are).

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use retort_history::{read_history, HistoryOptions};

const WINDOW: usize = 2000;

#[test]
fn the_change_table_agrees_with_git_log_numstat() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shallow = Command::new("git").current_dir(here).args(["rev-parse", "--is-shallow-repository"]).output();
    match shallow {
        Ok(out) if out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "false" => {}
        _ => {
            eprintln!("skipped: {} is not in a complete git clone", here.display());
            return;
        }
    }
    let top = Command::new("git").current_dir(here).args(["rev-parse", "--show-toplevel"]).output().unwrap();
    let root = String::from_utf8_lossy(&top.stdout).trim().to_string();
    let options = HistoryOptions { max_commits: Some(WINDOW), keep_bots: true, ..Default::default() };
    let history = read_history(Path::new(&root), &options).expect("history of this repository");
    assert_eq!(history.repository.path_filter, None);

    let out = Command::new("git")
        .current_dir(&history.repository.root)
        .args(["log", "--numstat", "-M", "--diff-merges=off", "--format=commit %H"])
        .arg(format!("--max-count={WINDOW}"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let mut files_per_commit: HashMap<String, usize> = HashMap::new();
    let mut order = Vec::new();
    let (mut added, mut removed) = (0u64, 0u64);
    let mut current = String::new();
    for line in text.lines() {
        if let Some(hash) = line.strip_prefix("commit ") {
            current = hash.to_string();
            order.push(current.clone());
            files_per_commit.entry(current.clone()).or_default();
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, '\t').collect();
        if parts.len() == 3 {
            *files_per_commit.get_mut(&current).unwrap() += 1;
            added += parts[0].parse::<u64>().unwrap_or(0);
            removed += parts[1].parse::<u64>().unwrap_or(0);
        }
    }
    let ours: Vec<&str> = history.commits.iter().map(|c| c.hash.as_str()).collect();
    assert_eq!(ours, order.iter().map(String::as_str).collect::<Vec<_>>());
    let mut our_files: HashMap<&str, usize> = HashMap::new();
    for change in &history.changes {
        *our_files.entry(history.commit_of(change).hash.as_str()).or_default() += 1;
    }
    for (hash, count) in &files_per_commit {
        assert_eq!(our_files.get(hash.as_str()).copied().unwrap_or(0), *count, "files of commit {hash}");
    }
    let our_added: u64 = history.changes.iter().map(|c| u64::from(c.added.unwrap_or(0))).sum();
    let our_removed: u64 = history.changes.iter().map(|c| u64::from(c.removed.unwrap_or(0))).sum();
    assert_eq!((our_added, our_removed), (added, removed));
    assert_eq!(
        history.window.truncated,
        history.commits.len() == WINDOW && order.len() == WINDOW && {
            let total = Command::new("git")
                .current_dir(&history.repository.root)
                .args(["rev-list", "--count", "HEAD"])
                .output()
                .unwrap();
            String::from_utf8_lossy(&total.stdout).trim().parse::<usize>().unwrap() > WINDOW
        }
    );
}
