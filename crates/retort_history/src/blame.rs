//! Surviving lines per developer: `git blame` of files at the newest
//! commit, counted the way git-fame does (each line of the file goes to the
//! author of the commit that last changed it; `-w` ignores whitespace-only
//! changes). A second view of authorship next to the degree of authorship,
//! which counts commits: blame counts what is left of each person's work.
//!
//! One `git blame --line-porcelain` per file, a few at a time; a file git
//! cannot blame (binary, missing blob in a partial clone) is reported with
//! its reason and left out, never guessed.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use crate::git;
use crate::model::{DevId, History};

/// Surviving lines of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileBlame {
    pub path: String,
    /// Lines per developer of the history, most first.
    pub lines: Vec<(DevId, u32)>,
    /// Lines by authors the history does not know (before its window, or
    /// left-out bots).
    pub unattributed: u32,
}

/// Blames `paths` (relative to the repository root) at the history's
/// newest commit with up to `jobs` git processes at once. Returns the
/// files blamed and, apart, the files that could not be (path, reason).
pub fn blame_files(history: &History, paths: &[String], jobs: usize) -> (Vec<FileBlame>, Vec<(String, String)>) {
    let Some(head) = history.repository.head.as_deref() else {
        return (Vec::new(), paths.iter().map(|p| (p.clone(), "no commit to blame at".to_string())).collect());
    };
    let who = Identities::new(history);
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<(usize, Result<FileBlame, String>)>> = Mutex::new(Vec::with_capacity(paths.len()));
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| loop {
                let index = {
                    let mut next = next.lock().expect("no worker panics");
                    let index = *next;
                    *next += 1;
                    index
                };
                let Some(path) = paths.get(index) else { break };
                let result = blame_one(&history.repository.root, head, path, &who);
                results.lock().expect("no worker panics").push((index, result));
            });
        }
    });
    let mut results = results.into_inner().expect("no worker panics");
    results.sort_by_key(|(index, _)| *index);
    let mut blamed = Vec::new();
    let mut failed = Vec::new();
    for (index, result) in results {
        match result {
            Ok(file) => blamed.push(file),
            Err(reason) => failed.push((paths[index].clone(), reason)),
        }
    }
    (blamed, failed)
}

fn blame_one(root: &Path, head: &str, path: &str, who: &Identities) -> Result<FileBlame, String> {
    let mut command = git::git(root);
    command.args(["blame", "--line-porcelain", "-w", head, "--", path]);
    let stdout = git::output_bytes(command).map_err(|e| e.to_string())??;
    if stdout.contains(&0) {
        return Err("binary file".into());
    }
    let text = String::from_utf8_lossy(&stdout);
    let mut counts: HashMap<DevId, u32> = HashMap::new();
    let mut unattributed = 0u32;
    let mut name = "";
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("author ") {
            name = rest;
        } else if let Some(rest) = line.strip_prefix("author-mail ") {
            // One `author-mail` per blamed line in --line-porcelain output.
            let email = rest.trim_start_matches('<').trim_end_matches('>');
            match who.of(name, email) {
                Some(developer) => *counts.entry(developer).or_default() += 1,
                None => unattributed += 1,
            }
        }
    }
    let mut lines: Vec<(DevId, u32)> = counts.into_iter().collect();
    lines.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(FileBlame { path: path.to_string(), lines, unattributed })
}

/// The history's developers by e-mail (lower case) and by name, so that
/// blame's raw signatures map to the same merged identities (and bots,
/// left out of the history's authorship, stay out here too).
struct Identities {
    by_email: HashMap<String, DevId>,
    by_name: HashMap<String, DevId>,
}

impl Identities {
    fn new(history: &History) -> Self {
        let mut by_email = HashMap::new();
        let mut by_name = HashMap::new();
        for developer in history.developers.iter().filter(|d| !d.bot) {
            for email in &developer.emails {
                by_email.entry(email.to_ascii_lowercase()).or_insert(developer.id);
            }
            for name in &developer.names {
                by_name.entry(name.clone()).or_insert(developer.id);
            }
        }
        Identities { by_email, by_name }
    }

    fn of(&self, name: &str, email: &str) -> Option<DevId> {
        self.by_email.get(&email.to_ascii_lowercase()).or_else(|| self.by_name.get(name)).copied()
    }
}
