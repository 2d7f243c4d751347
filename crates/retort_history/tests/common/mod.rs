//! Synthetic repositories built with the `git` command in a temporary
//! directory: scripted authors, dates, renames, merges.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Repo {
    pub dir: tempfile::TempDir,
    /// Seconds since the epoch of the next commit; each commit adds a day.
    time: i64,
}

pub const DAY: i64 = 86_400;
pub const START: i64 = 1_600_000_000;

impl Repo {
    pub fn new() -> Repo {
        let repo = Repo { dir: tempfile::tempdir().expect("temp dir"), time: START };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args)
    }

    pub fn write(&self, file: &str, text: &str) {
        let path = self.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Writes `files` (path, text), stages everything and commits as
    /// `author` ("Name <email>"); returns the commit hash.
    pub fn commit(&mut self, author: &str, files: &[(&str, &str)]) -> String {
        for (file, text) in files {
            self.write(file, text);
        }
        self.commit_staged(author)
    }

    pub fn commit_staged(&mut self, author: &str) -> String {
        self.git(&["add", "-A"]);
        let (name, email) = split_author(author);
        let date = format!("{} +0000", self.time);
        self.time += DAY;
        let out = git_command(self.path())
            .args(["commit", "-q", "--allow-empty", "-m", "change"])
            .env("GIT_AUTHOR_NAME", name)
            .env("GIT_AUTHOR_EMAIL", email)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_NAME", "Committer")
            .env("GIT_COMMITTER_EMAIL", "committer@example.org")
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("git commit");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// Merges `branch` into the current branch with a merge commit.
    pub fn merge(&mut self, branch: &str, author: &str) -> String {
        let (name, email) = split_author(author);
        let date = format!("{} +0000", self.time);
        self.time += DAY;
        let out = git_command(self.path())
            .args(["merge", "-q", "--no-ff", "-m", "merge", branch])
            .env("GIT_AUTHOR_NAME", name)
            .env("GIT_AUTHOR_EMAIL", email)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_NAME", name)
            .env("GIT_COMMITTER_EMAIL", email)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("git merge");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// The loose object file of `object` (e.g. `HEAD~1:f.txt`).
    pub fn object_file(&self, object: &str) -> PathBuf {
        let hash = self.git(&["rev-parse", object]).trim().to_string();
        self.path().join(".git/objects").join(&hash[..2]).join(&hash[2..])
    }
}

/// `git` in `dir`, whatever repository the test process itself runs in
/// (e.g. `GIT_DIR` set by a hook).
pub fn git_command(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command.current_dir(dir);
    for variable in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR"] {
        command.env_remove(variable);
    }
    command
}

pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = git_command(dir).args(args).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn split_author(author: &str) -> (&str, &str) {
    let (name, rest) = author.split_once(" <").expect("Name <email>");
    (name, rest.trim_end_matches('>'))
}

/// `n` numbered lines, so that edits give known line counts.
pub fn lines(n: usize, tag: &str) -> String {
    (0..n).map(|i| format!("{tag} {i}\n")).collect()
}
