//! Reads a repository's history and prints a summary: the entry point of
//! `bench/history.sh` until `retort arch` exists.
//!
//!     cargo run --release -p retort_history --example history -- PATH
//!         [--max-commits N] [--since DATE] [--until DATE] [--no-renames]
//!         [--keep-bots] [--analyses] [--json] [--coupling-csv]
//!
//! `--analyses` also runs churn, coupling, authorship and activity;
//! `--json` prints the whole change table; `--coupling-csv` the coupled
//! pairs in code-maat's CSV columns.

use std::path::PathBuf;
use std::process::ExitCode;

use retort_history::analysis::{churn_by_file, developer_activity, file_authorship, logical_coupling};
use retort_history::{read_history, HistoryOptions};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut options = HistoryOptions::default();
    let (mut analyses, mut json, mut coupling_csv) = (false, false, false);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--max-commits" => options.max_commits = args.next().and_then(|n| n.parse().ok()),
            "--since" => options.since = args.next(),
            "--until" => options.until = args.next(),
            "--no-renames" => options.follow_renames = false,
            "--keep-bots" => options.keep_bots = true,
            "--analyses" => analyses = true,
            "--json" => json = true,
            "--coupling-csv" => coupling_csv = true,
            _ if path.is_none() => path = Some(PathBuf::from(arg)),
            other => {
                eprintln!("unexpected argument {other}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(path) = path else {
        eprintln!(
            "usage: history PATH [--max-commits N] [--since DATE] [--until DATE] [--no-renames] [--analyses] [--json]"
        );
        return ExitCode::from(2);
    };
    let history = match read_history(&path, &options) {
        Ok(history) => history,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    if coupling_csv {
        // code-maat's `coupling` output columns, for differential checks.
        println!("entity,coupled,degree,average-revs");
        for pair in logical_coupling(&history, &Default::default()) {
            println!("{},{},{},{}", pair.a_path, pair.b_path, pair.degree as u32, pair.mean_revisions().ceil());
        }
        return ExitCode::SUCCESS;
    }
    if json {
        match serde_json::to_string(&history) {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
        }
        return ExitCode::SUCCESS;
    }
    let w = &history.window;
    println!(
        "commits read {} kept {} (merges {}, bots left out {}), files {}, changes {}, developers {}, truncated {}, complete {}",
        w.commits_read,
        w.commits_kept,
        w.merge_commits,
        w.bot_commits_left_out,
        history.files.len(),
        history.changes.len(),
        history.developers.len(),
        w.truncated,
        w.complete()
    );
    println!("window {} .. {}", w.oldest_commit.as_deref().unwrap_or("-"), w.newest_commit.as_deref().unwrap_or("-"));
    if analyses {
        let churn = churn_by_file(&history);
        let coupling = logical_coupling(&history, &Default::default());
        let authorship = file_authorship(&history);
        let activity = developer_activity(&history);
        println!(
            "churn rows {}, coupled pairs {}, authorship rows {}, active developers {}",
            churn.len(),
            coupling.len(),
            authorship.len(),
            activity.len()
        );
    }
    if let Some(peak) = own_peak_rss_kb() {
        println!("reader process peak RSS {:.1} MB (git's child process not included)", peak as f64 / 1024.0);
    }
    ExitCode::SUCCESS
}

/// VmHWM of this process (Linux), so that the reader's own memory is told
/// apart from git's: `/usr/bin/time` reports the larger of the two.
fn own_peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
