//! The reader: `git log` streamed into the change table, with recovery
//! when git cannot read an object part-way.
//!
//! Normal case: one `git log --raw --numstat -M -z` over the window. When
//! git dies on commit C (a blob missing from a mirror, a corrupt object),
//! the commits before C are kept; C is read again without line counts
//! (`--raw --no-renames` needs trees only) or, if even that fails, listed
//! as unreadable; and the walk resumes after C from the list of commits
//! `git rev-list` gives for the same window, fed to `git log --no-walk
//! --stdin`. After `max_recoveries` restarts the rest is read without line
//! counts in one pass. The window lists every such commit.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use crate::error::HistoryError;
use crate::files::FileTracker;
use crate::git::{self, Location};
use crate::identity::{self, Signatures};
use crate::model::{Change, ChangeKind, Commit, Creation, DevId, History, Repository, Window};
use crate::options::{HistoryOptions, MergePolicy};
use crate::parse::{RawCommit, LOG_FORMAT};

/// Reads the history of the repository holding `path`, restricted to
/// `path` when it is a subfolder or a file.
pub fn read_history(path: &Path, options: &HistoryOptions) -> Result<History, HistoryError> {
    read_history_with_progress(path, options, &mut |_| {})
}

/// Commits between two progress reports.
const PROGRESS_EVERY: usize = 500;

/// [`read_history`], calling `progress` with the number of commits read
/// so far every few hundred commits (for a progress bar on long histories).
pub fn read_history_with_progress(
    path: &Path,
    options: &HistoryOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<History, HistoryError> {
    if options.max_commits == Some(0) {
        return Err(HistoryError::InvalidOption("max_commits must be at least 1".into()));
    }
    if options.revision.starts_with('-') || options.revision.is_empty() {
        return Err(HistoryError::InvalidOption(format!("bad revision {:?}", options.revision)));
    }
    let location = git::locate(path)?;
    let mut builder = Builder::new(options, &location, progress);

    let mut head_query = git::git(&location.root);
    head_query.args(["rev-parse", "--verify", "--quiet", "--end-of-options"]);
    head_query.arg(format!("{}^{{commit}}", options.revision));
    let head = match git::output(head_query)? {
        Ok(hash) => hash.trim().to_string(),
        Err(_) if options.revision == "HEAD" => return Ok(builder.finish(None)), // no commits yet
        Err(_) => return Err(HistoryError::InvalidOption(format!("unknown revision {:?}", options.revision))),
    };
    if location.shallow {
        // `--git-path`: a linked worktree keeps it in the common directory.
        let mut query = git::git(&location.root);
        query.args(["rev-parse", "--git-path", "shallow"]);
        let file = match git::output(query)? {
            Ok(path) => location.root.join(path.trim()),
            Err(_) => location.git_dir.join("shallow"),
        };
        let shallow = std::fs::read_to_string(file).unwrap_or_default();
        builder.shallow_boundary = shallow.lines().map(|l| l.trim().to_string()).collect();
    }
    // One commit beyond the bound tells whether the bound cut anything.
    let limit = options.max_commits.map(|m| m.saturating_add(1));
    walk(&location, options, &head, limit, &mut builder)?;
    let at_head = paths_at_revision(&location, &head, &mut builder.window.warnings)?;
    Ok(builder.finish_at(Some(head), at_head))
}

/// The paths of the tree at `revision` (relative to the repository root),
/// or `None` when git cannot list them (the caller then goes by the newest
/// change of each file alone). A file is alive when its newest change does
/// not delete it and its newest path is in this tree: the newest change
/// alone is not enough on a
/// history with merges, where a side branch may edit a file after the
/// main line deleted or moved it and the merge (whose own diff `git log`
/// does not show) keeps the deletion.
fn paths_at_revision(
    location: &git::Location,
    revision: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<HashSet<String>>, HistoryError> {
    let mut command = git::git(&location.root);
    command.args(["ls-tree", "-r", "-z", "--name-only", "--full-tree", "--end-of-options", revision]);
    Ok(match git::output_bytes(command)? {
        Ok(bytes) => Some(
            bytes
                .split(|b| *b == 0)
                .filter(|p| !p.is_empty())
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect(),
        ),
        Err(message) => {
            warnings.push(format!("could not list the files at {revision}: {message}"));
            None
        }
    })
}

/// What a `git log` run prints for each file.
#[derive(Clone, Copy, PartialEq)]
enum Detail {
    /// Statuses, renames and line counts.
    Full,
    /// Statuses only, no rename detection: needs trees, never blobs.
    TreesOnly,
}

fn log_command(location: &Location, options: &HistoryOptions, detail: Detail) -> Command {
    let mut command = git::git(&location.root);
    command.args(["--literal-pathspecs", "-c", "log.showRoot=true", "-c", "diff.renameLimit=1000"]);
    command.args(["log", "--no-color", "--no-ext-diff", "--no-textconv", "--no-notes", "--no-show-signature"]);
    command.args([LOG_FORMAT, "-z", "--no-abbrev", "--raw"]);
    match detail {
        Detail::Full => {
            command.arg("--numstat");
            command.arg(if options.follow_renames { "-M" } else { "--no-renames" });
        }
        Detail::TreesOnly => {
            command.arg("--no-renames");
        }
    }
    match options.merges {
        MergePolicy::NoChanges => command.arg("--diff-merges=off"),
        MergePolicy::FirstParent => command.arg("--diff-merges=first-parent"),
        MergePolicy::Skip => command.arg("--diff-merges=off"),
    };
    command
}

fn window_args(command: &mut Command, options: &HistoryOptions, head: &str, limit: Option<usize>) {
    if let Some(since) = &options.since {
        command.arg(format!("--since={since}"));
    }
    if let Some(until) = &options.until {
        command.arg(format!("--until={until}"));
    }
    if let Some(limit) = limit {
        command.arg(format!("--max-count={limit}"));
    }
    if options.merges == MergePolicy::Skip {
        command.arg("--no-merges");
    }
    command.arg(head);
}

fn pathspec_args(command: &mut Command, location: &Location) {
    command.arg("--");
    if let Some(pathspec) = &location.pathspec {
        command.arg(pathspec);
    }
}

fn walk(
    location: &Location,
    options: &HistoryOptions,
    head: &str,
    limit: Option<usize>,
    builder: &mut Builder<'_>,
) -> Result<(), HistoryError> {
    // First pass: the whole window in one run.
    let mut command = log_command(location, options, Detail::Full);
    window_args(&mut command, options, head, limit);
    pathspec_args(&mut command, location);
    let (last_ok, incomplete, first_stderr) = match run(command, None, Detail::Full, limit, builder)? {
        Outcome::Done(end) => {
            builder.note_stderr(&end.stderr, end.success);
            return Ok(());
        }
        Outcome::Failed { last_ok, incomplete, stderr } => (last_ok, incomplete, stderr),
    };

    // Recovery: the commits of the window, in walk order, from rev-list.
    let mut list_command = git::git(&location.root);
    list_command.args(["--literal-pathspecs", "rev-list"]);
    window_args(&mut list_command, options, head, limit);
    pathspec_args(&mut list_command, location);
    let list = match git::output(list_command)? {
        Ok(text) => text.lines().map(str::to_string).collect::<Vec<_>>(),
        Err(message) => {
            builder.window.stopped_early = Some(format!(
                "git could not read the history ({}) nor list it ({})",
                last_line(&first_stderr),
                last_line(&message)
            ));
            return Ok(());
        }
    };
    let mut position = match failing_position(&list, 0, last_ok, incomplete) {
        Some(position) => position,
        None => {
            builder.window.stopped_early = Some(format!("git log failed: {}", last_line(&first_stderr)));
            return Ok(());
        }
    };
    // Each round reads the failing commit with trees only, then resumes
    // after it: every round advances, and rounds are bounded.
    let mut rounds = 0usize;
    let max_rounds = options.max_recoveries.saturating_mul(4).saturating_add(16);
    while position < list.len() && !builder.full(limit) {
        rounds += 1;
        if rounds > max_rounds {
            builder.window.stopped_early = Some(format!(
                "gave up after {max_rounds} restarts of git log at commit {} ({})",
                list[position],
                last_line(&first_stderr)
            ));
            break;
        }
        let hash = &list[position];
        let mut command = log_command(location, options, Detail::TreesOnly);
        command.args(["--no-walk=unsorted", "--stdin"]);
        pathspec_args(&mut command, location);
        if let Outcome::Failed { .. } = run(command, Some(vec![hash.clone()]), Detail::TreesOnly, limit, builder)? {
            if builder.seen.insert(hash.clone()) {
                builder.window.commits_unreadable.push(hash.clone());
                builder.window.commits_read += 1;
            }
        }
        position += 1;
        if position >= list.len() || builder.full(limit) {
            break;
        }
        let detail = if rounds >= options.max_recoveries { Detail::TreesOnly } else { Detail::Full };
        let mut command = log_command(location, options, detail);
        command.args(["--no-walk=unsorted", "--stdin"]);
        pathspec_args(&mut command, location);
        match run(command, Some(list[position..].to_vec()), detail, limit, builder)? {
            Outcome::Done(end) => {
                builder.note_stderr(&end.stderr, end.success);
                break;
            }
            Outcome::Failed { last_ok, incomplete, stderr } => {
                match failing_position(&list, position, last_ok, incomplete) {
                    Some(next) => position = next,
                    None => {
                        builder.window.stopped_early = Some(format!("git log failed: {}", last_line(&stderr)));
                        break;
                    }
                }
            }
        }
    }
    builder.window.warnings.push(format!(
        "git could not read some objects ({}); the window lists the commits without line counts or absent",
        last_line(&first_stderr)
    ));
    Ok(())
}

/// Where in `list` (from `start`) the commit git failed on is: the commit
/// it was printing, or the one after the last it printed whole.
fn failing_position(
    list: &[String],
    start: usize,
    last_ok: Option<String>,
    incomplete: Option<String>,
) -> Option<usize> {
    let find = |hash: &str| list[start..].iter().position(|h| h == hash).map(|i| i + start);
    match (incomplete, last_ok) {
        (Some(hash), _) => find(&hash),
        (None, Some(hash)) => find(&hash).map(|i| i + 1),
        (None, None) => Some(start),
    }
}

fn last_line(text: &str) -> &str {
    text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message")
}

enum Outcome {
    Done(git::RunEnd),
    /// git failed: the last commit accepted whole in this run, and the one
    /// it was printing when it died, if any.
    Failed {
        last_ok: Option<String>,
        incomplete: Option<String>,
        stderr: String,
    },
}

/// One `git log` run. A commit is accepted once the next one has started,
/// or git has finished cleanly, or (when git died) if all its files came
/// with their counts: git prints a commit only after its tree diff, and
/// its line counts after that, so a half-printed commit is never counted.
fn run(
    command: Command,
    stdin: Option<Vec<String>>,
    detail: Detail,
    limit: Option<usize>,
    builder: &mut Builder<'_>,
) -> Result<Outcome, HistoryError> {
    let mut pending: Option<RawCommit> = None;
    let mut last_ok: Option<String> = None;
    let end = git::stream_log(command, stdin, |commit| {
        if let Some(previous) = pending.take() {
            last_ok = Some(previous.hash.clone());
            builder.accept(previous, detail == Detail::Full);
        }
        if builder.full(limit) {
            return false;
        }
        pending = Some(commit);
        true
    })?;
    if end.success || end.stopped {
        if let Some(last) = pending.take() {
            if !builder.full(limit) {
                builder.accept(last, detail == Detail::Full);
            }
        }
        return Ok(Outcome::Done(end));
    }
    let incomplete = match pending {
        Some(last) if last.header_complete && (detail == Detail::TreesOnly || last.counted >= last.entries.len()) => {
            last_ok = Some(last.hash.clone());
            builder.accept(last, detail == Detail::Full);
            None
        }
        Some(last) => Some(last.hash),
        None => None,
    };
    Ok(Outcome::Failed { last_ok, incomplete, stderr: end.stderr })
}

/// Accumulates the table while commits stream in.
struct Builder<'p> {
    progress: &'p mut dyn FnMut(usize),
    window: Window,
    signatures: Signatures,
    files: FileTracker,
    /// Commits with their author/committer signature indices.
    commits: Vec<(Commit, u32, u32)>,
    /// Changes with the provisional file identity in `file`.
    changes: Vec<(Change, u32)>,
    seen: HashSet<String>,
    shallow_boundary: HashSet<String>,
    location: Location,
    options: HistoryOptions,
}

impl<'p> Builder<'p> {
    fn new(options: &HistoryOptions, location: &Location, progress: &'p mut dyn FnMut(usize)) -> Self {
        Builder {
            progress,
            window: Window {
                since: options.since.clone(),
                until: options.until.clone(),
                max_commits: options.max_commits,
                merges: options.merges,
                follow_renames: options.follow_renames,
                bots_kept: options.keep_bots,
                ..Window::default()
            },
            signatures: Signatures::default(),
            files: FileTracker::new(options.recreated_is_new),
            commits: Vec::new(),
            changes: Vec::new(),
            seen: HashSet::new(),
            shallow_boundary: HashSet::new(),
            location: location.clone(),
            options: options.clone(),
        }
    }

    /// The bound is reached (one extra commit was seen: older ones exist).
    fn full(&self, limit: Option<usize>) -> bool {
        limit.is_some_and(|l| self.seen.len() >= l)
    }

    fn accept(&mut self, raw: RawCommit, line_counts: bool) {
        if !self.seen.insert(raw.hash.clone()) {
            return;
        }
        if self.options.max_commits.is_some_and(|m| self.seen.len() > m) {
            self.window.truncated = true;
            return;
        }
        let line_counts = line_counts && raw.counted >= raw.entries.len();
        self.window.commits_read += 1;
        if self.window.commits_read.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(self.window.commits_read);
        }
        if !line_counts {
            self.window.commits_without_line_counts.push(raw.hash.clone());
        }
        let author = self.signatures.intern(&raw.author_name, &raw.author_email);
        self.signatures.count_authored(author);
        let committer = self.signatures.intern(&raw.committer_name, &raw.committer_email);
        let boundary = self.shallow_boundary.contains(&raw.hash);
        let index = self.commits.len() as u32;
        let commit = Commit {
            hash: raw.hash,
            parents: raw.parents,
            author: DevId(author),
            committer: DevId(committer),
            author_time: raw.author_time,
            commit_time: raw.commit_time,
            line_counts,
        };
        if boundary {
            // git diffs a shallow boundary against the empty tree.
            self.window.shallow_boundary.push(commit.hash.clone());
        } else {
            for entry in raw.entries {
                let path = self.files.intern(&entry.path);
                let old_path = entry.old_path.as_deref().map(|p| self.files.intern(p));
                let hash = &commit.hash;
                let file = self.files.track(entry.kind, &path, old_path.as_ref(), || Creation {
                    commit: hash.clone(),
                    author: DevId(author), // a signature for now, a developer in `finish`
                    time: commit.author_time,
                });
                let counts = line_counts && !entry.binary;
                let change = Change {
                    commit: index,
                    file: crate::model::FileId(0),
                    path,
                    old_path,
                    kind: entry.kind,
                    added: if counts { entry.added } else { None },
                    removed: if counts { entry.removed } else { None },
                    binary: entry.binary,
                };
                self.changes.push((change, file));
            }
        }
        self.commits.push((commit, author, committer));
    }

    fn note_stderr(&mut self, stderr: &str, success: bool) {
        for line in stderr.lines().filter(|l| !l.trim().is_empty()).take(20) {
            self.window.warnings.push(line.trim().to_string());
        }
        if !success && self.window.stopped_early.is_none() {
            self.window.stopped_early = Some(format!("git log failed: {}", last_line(stderr)));
        }
    }

    fn finish(self, head: Option<String>) -> History {
        self.finish_at(head, None)
    }

    /// `at_head`: the paths at the newest commit, which decide which files
    /// are alive (see [`paths_at_revision`]).
    fn finish_at(self, head: Option<String>, at_head: Option<HashSet<String>>) -> History {
        (self.progress)(self.window.commits_read);
        let Builder { mut window, signatures, files, commits, changes, location, options, .. } = self;
        let (developers, of_signature) = identity::resolve(&signatures, &options.identities);
        let (of_file, mut file_list) = files.finish();
        for file in &mut file_list {
            if let Some(created) = &mut file.created {
                created.author = of_signature[created.author.0 as usize];
            }
        }

        // Keep commits (bots left out unless asked) and renumber.
        let mut kept_index = vec![u32::MAX; commits.len()];
        let mut kept = Vec::with_capacity(commits.len());
        for (index, (mut commit, author, committer)) in commits.into_iter().enumerate() {
            commit.author = of_signature[author as usize];
            commit.committer = of_signature[committer as usize];
            if commit.is_merge() {
                window.merge_commits += 1;
            }
            if developers[commit.author.0 as usize].bot && !options.keep_bots {
                window.bot_commits_left_out += 1;
                continue;
            }
            kept_index[index] = kept.len() as u32;
            kept.push(commit);
        }
        let mut table = Vec::with_capacity(changes.len());
        let mut newest_seen = vec![false; file_list.len()];
        for (mut change, provisional) in changes {
            let file = of_file[provisional as usize];
            if !newest_seen[file.0 as usize] {
                newest_seen[file.0 as usize] = true;
                file_list[file.0 as usize].deleted = change.kind == ChangeKind::Deleted;
            }
            let index = kept_index[change.commit as usize];
            if index == u32::MAX {
                continue;
            }
            change.commit = index;
            change.file = file;
            table.push(change);
        }
        if let Some(at_head) = &at_head {
            for file in &mut file_list {
                file.deleted |= !at_head.contains(&*file.path);
            }
        }
        window.commits_kept = kept.len();
        if let Some(first) = kept.first() {
            window.newest_commit = Some(first.hash.clone());
            window.newest_time = Some(first.author_time);
        }
        if let Some(last) = kept.last() {
            window.oldest_commit = Some(last.hash.clone());
            window.oldest_time = Some(last.author_time);
        }
        History {
            repository: Repository {
                root: location.root,
                path_filter: location.pathspec,
                head,
                shallow: location.shallow,
            },
            window,
            developers,
            commits: kept,
            files: file_list,
            changes: table,
        }
    }
}
