//! What to read and how to resolve people: one value passed down, with a
//! documented default for every field (see `docs/history.md`).

use serde::{Deserialize, Serialize};

/// Commits read when the caller sets no bound: enough for any Flask
/// service's history, and a bound on time and memory for the Linux kernel.
pub const DEFAULT_MAX_COMMITS: usize = 100_000;

/// How the history is read.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryOptions {
    /// Only commits more recent than this date (`git log --since`; any
    /// date git understands, e.g. `2024-01-01` or `6 months ago`).
    pub since: Option<String>,
    /// Only commits older than this date (`git log --until`).
    pub until: Option<String>,
    /// At most this many commits, the newest first (`None`: no bound; the
    /// default is [`DEFAULT_MAX_COMMITS`]). The window says when it cut.
    pub max_commits: Option<usize>,
    /// The revision to start from (default `HEAD`).
    pub revision: String,
    /// How merge commits count (see [`MergePolicy`]).
    pub merges: MergePolicy,
    /// Follow renames (`git log -M`): a file keeps one identity across
    /// `git mv`. Off gives `--no-renames` (a rename is a delete and an add).
    pub follow_renames: bool,
    /// A file added at a path where an older file was deleted is a new
    /// file. Default `false`: it continues the older file's identity, as
    /// code-maat counts per path and as a reverted deletion should (unless
    /// the older file was renamed away: then it is new either way).
    pub recreated_is_new: bool,
    /// Keep commits authored by bots in the change table (default: left
    /// out, and counted in the window).
    pub keep_bots: bool,
    pub identities: IdentityOptions,
    /// At most this many restarts of `git log` after a missing or corrupt
    /// object before the rest is read without line counts in one pass.
    pub max_recoveries: usize,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        HistoryOptions {
            since: None,
            until: None,
            max_commits: Some(DEFAULT_MAX_COMMITS),
            revision: "HEAD".to_string(),
            merges: MergePolicy::default(),
            follow_renames: true,
            recreated_is_new: false,
            keep_bots: false,
            identities: IdentityOptions::default(),
            max_recoveries: 64,
        }
    }
}

/// What a merge commit contributes to the change table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MergePolicy {
    /// Merges are listed as commits (with their parents) but change no
    /// file: each change counts once, in the commit that made it on its
    /// branch, by its author. git's own `git log --numstat` default and
    /// code-maat's input.
    #[default]
    NoChanges,
    /// A merge's diff against its first parent is counted, as if the merge
    /// were one squashed commit (`--diff-merges=first-parent`). Counts a
    /// merged branch's changes twice unless its commits are also dropped;
    /// meant for `--first-parent` style analyses.
    FirstParent,
    /// Merge commits are left out altogether (`--no-merges`).
    Skip,
}

/// How author identities are merged into developers, and who is a bot.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct IdentityOptions {
    /// Merge identities sharing a lower-cased e-mail address.
    pub merge_by_email: bool,
    /// Merge identities sharing a normalised name (lower-cased, every run
    /// of non-alphanumeric characters made one space, trimmed).
    pub merge_by_name: bool,
    /// Normalised names never used for merging (shared by many people).
    pub generic_names: Vec<String>,
    /// Lower-cased e-mail addresses never used for merging.
    pub generic_emails: Vec<String>,
    /// Explicit merges, applied after the rules: every identity whose name
    /// or e-mail equals (case-insensitively) one of `identities` becomes the
    /// developer `name`.
    pub aliases: Vec<Alias>,
    /// Lower-cased substrings of a name or e-mail that mark a bot, besides
    /// the `[bot]` suffix GitHub gives app accounts (always a bot).
    pub bot_patterns: Vec<String>,
}

/// One explicit identity merge.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Alias {
    pub name: String,
    pub identities: Vec<String>,
}

impl Default for IdentityOptions {
    fn default() -> Self {
        let owned = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        IdentityOptions {
            merge_by_email: true,
            merge_by_name: true,
            generic_names: owned(&[
                "root",
                "admin",
                "administrator",
                "user",
                "unknown",
                "ubuntu",
                "your name",
                "github",
                "gitlab",
                "system",
                "nobody",
            ]),
            generic_emails: owned(&[
                "noreply@github.com",
                "none@none",
                "you@example.com",
                "user@example.com",
                "root@localhost",
                "unknown",
            ]),
            aliases: Vec::new(),
            bot_patterns: owned(&["dependabot", "renovate", "github-actions", "pre-commit-ci"]),
        }
    }
}
