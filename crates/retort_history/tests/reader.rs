//! The reader on synthetic repositories with known answers.

mod common;

use common::{lines, Repo, DAY, START};
use retort_history::{read_history, ChangeKind, History, HistoryError, HistoryOptions, MergePolicy};

const ANN: &str = "Ann Lee <ann@example.org>";
const BOB: &str = "Bob Ray <bob@example.org>";

fn read(repo: &Repo) -> History {
    read_history(repo.path(), &HistoryOptions::default()).expect("history")
}

fn dev_name(history: &History, commit: usize) -> &str {
    &history.developer(history.commits[commit].author).name
}

#[test]
fn commits_changes_and_line_counts() {
    let mut repo = Repo::new();
    let first = repo.commit(ANN, &[("app.py", &lines(10, "a")), ("README.md", "hi\n")]);
    let second = repo.commit(BOB, &[("app.py", &(lines(8, "a") + &lines(3, "b")))]);
    let history = read(&repo);
    assert_eq!(history.commits.len(), 2);
    assert_eq!(history.commits[0].hash, second);
    assert_eq!(history.commits[0].parents, vec![first.clone()]);
    assert_eq!(history.commits[1].parents, Vec::<String>::new());
    assert_eq!(dev_name(&history, 0), "Bob Ray");
    assert_eq!(history.commits[1].author_time, START);
    assert_eq!(history.commits[0].author_time, START + DAY);
    let app_change = history.changes.iter().find(|c| c.commit == 0).unwrap();
    assert_eq!(&*app_change.path, "app.py");
    assert_eq!((app_change.added, app_change.removed), (Some(3), Some(2)));
    assert_eq!(app_change.kind, ChangeKind::Modified);
    let created: Vec<_> = history.changes.iter().filter(|c| c.commit == 1).collect();
    assert_eq!(created.len(), 2);
    assert!(created.iter().all(|c| c.kind == ChangeKind::Added));
    let w = &history.window;
    assert_eq!((w.commits_read, w.commits_kept), (2, 2));
    assert_eq!(w.newest_commit.as_deref(), Some(second.as_str()));
    assert_eq!(w.oldest_commit.as_deref(), Some(first.as_str()));
    assert_eq!((w.oldest_time, w.newest_time), (Some(START), Some(START + DAY)));
    assert!(w.complete(), "{w:?}");
    assert_eq!(history.repository.head.as_deref(), Some(second.as_str()));
}

#[test]
fn a_file_keeps_its_identity_through_renames() {
    let mut repo = Repo::new();
    repo.commit(ANN, &[("old.py", &lines(30, "x"))]);
    repo.commit(BOB, &[("old.py", &(lines(30, "x") + "more\n"))]);
    repo.git(&["mv", "old.py", "mid.py"]);
    repo.commit_staged(BOB);
    std::fs::create_dir(repo.path().join("pkg")).unwrap();
    repo.git(&["mv", "mid.py", "pkg/new.py"]);
    repo.commit(ANN, &[("pkg/new.py", &(lines(30, "x") + "more\nagain\n"))]);
    let history = read(&repo);
    assert_eq!(history.files.len(), 1, "{:?}", history.files);
    let file = &history.files[0];
    assert_eq!(&*file.path, "pkg/new.py");
    let former: Vec<&str> = file.former_paths.iter().map(|p| &**p).collect();
    assert_eq!(former, vec!["mid.py", "old.py"]);
    let created = file.created.as_ref().expect("creation in window");
    assert_eq!(history.developer(created.author).name, "Ann Lee");
    assert_eq!(history.changes.len(), 4);
    assert!(history.changes.iter().all(|c| c.file == file.id));
    let renames: Vec<_> = history.changes.iter().filter(|c| c.kind == ChangeKind::Renamed).collect();
    assert_eq!(renames.len(), 2);
    assert_eq!(renames[0].old_path.as_deref(), Some("mid.py"));

    // Without rename following, a rename is a deletion and an addition.
    let options = HistoryOptions { follow_renames: false, ..Default::default() };
    let plain = read_history(repo.path(), &options).unwrap();
    assert_eq!(plain.files.len(), 3);
}

#[test]
fn a_path_recreated_after_deletion_continues_unless_asked_otherwise() {
    let mut repo = Repo::new();
    repo.commit(ANN, &[("x.py", &lines(5, "first"))]);
    std::fs::remove_file(repo.path().join("x.py")).unwrap();
    repo.commit_staged(ANN);
    repo.commit(BOB, &[("x.py", &lines(5, "second"))]);
    // Default: one identity per path across a deletion (code-maat's view,
    // and a reverted deletion stays one file), created by its first author.
    let history = read(&repo);
    assert_eq!(history.files.len(), 1);
    assert_eq!(history.developer(history.files[0].created.as_ref().unwrap().author).name, "Ann Lee");
    assert!(!history.files[0].deleted);

    let options = HistoryOptions { recreated_is_new: true, ..Default::default() };
    let history = read_history(repo.path(), &options).unwrap();
    assert_eq!(history.files.len(), 2);
    let creators: Vec<&str> =
        history.files.iter().map(|f| history.developer(f.created.as_ref().unwrap().author).name.as_str()).collect();
    assert_eq!(creators, vec!["Bob Ray", "Ann Lee"]);
    assert!(!history.files[0].deleted);
    assert!(history.files[1].deleted);
}

#[test]
fn a_path_reused_after_a_rename_is_a_new_file() {
    let mut repo = Repo::new();
    repo.commit(ANN, &[("a.py", &lines(30, "old"))]);
    repo.git(&["mv", "a.py", "b.py"]);
    repo.commit_staged(ANN);
    repo.commit(BOB, &[("a.py", &lines(30, "brand new"))]);
    repo.commit(BOB, &[("a.py", &(lines(30, "brand new") + "edit\n"))]);
    let history = read(&repo);
    assert_eq!(history.files.len(), 2, "{:?}", history.files);
    let a = history.files.iter().find(|f| &*f.path == "a.py").unwrap();
    let b = history.files.iter().find(|f| &*f.path == "b.py").unwrap();
    assert_eq!(history.developer(a.created.as_ref().unwrap().author).name, "Bob Ray");
    assert_eq!(history.developer(b.created.as_ref().unwrap().author).name, "Ann Lee");
    assert_eq!(b.former_paths.iter().map(|p| &**p).collect::<Vec<_>>(), vec!["a.py"]);
    assert_eq!(history.changes.iter().filter(|c| c.file == a.id).count(), 2);
}

#[test]
fn a_rename_on_a_branch_joins_the_old_name_edited_on_main() {
    let mut repo = Repo::new();
    repo.commit(ANN, &[("core.py", &lines(40, "c"))]);
    repo.git(&["checkout", "-q", "-b", "move"]);
    repo.git(&["mv", "core.py", "engine.py"]);
    repo.commit_staged(BOB);
    repo.git(&["checkout", "-q", "main"]);
    repo.commit(ANN, &[("core.py", &(lines(40, "c") + "edit on main\n"))]);
    repo.merge("move", ANN);
    let history = read(&repo);
    assert_eq!(history.files.len(), 1, "{:?}", history.files);
    assert_eq!(&*history.files[0].path, "engine.py");
}

#[test]
fn merges_follow_the_chosen_policy() {
    let mut repo = Repo::new();
    repo.commit(ANN, &[("a.py", "1\n")]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.commit(BOB, &[("b.py", "1\n2\n")]);
    repo.git(&["checkout", "-q", "main"]);
    repo.commit(ANN, &[("a.py", "1\n2\n")]);
    let merge = repo.merge("feature", ANN);

    let history = read(&repo);
    assert_eq!(history.commits.len(), 4);
    assert_eq!(history.window.merge_commits, 1);
    let merge_index = history.commits.iter().position(|c| c.hash == merge).unwrap();
    assert!(history.commits[merge_index].is_merge());
    assert!(history.changes.iter().all(|c| c.commit as usize != merge_index));
    // b.py counted once, on Bob's commit.
    let b: Vec<_> = history.changes.iter().filter(|c| &*c.path == "b.py").collect();
    assert_eq!(b.len(), 1);
    assert_eq!(dev_name(&history, b[0].commit as usize), "Bob Ray");

    let first_parent = HistoryOptions { merges: MergePolicy::FirstParent, ..Default::default() };
    let history = read_history(repo.path(), &first_parent).unwrap();
    let merge_changes: Vec<_> =
        history.changes.iter().filter(|c| history.commits[c.commit as usize].hash == merge).collect();
    assert_eq!(merge_changes.len(), 1);
    assert_eq!(&*merge_changes[0].path, "b.py");

    let skip = HistoryOptions { merges: MergePolicy::Skip, ..Default::default() };
    let history = read_history(repo.path(), &skip).unwrap();
    assert_eq!(history.commits.len(), 3);
    assert_eq!(history.window.merge_commits, 0);
}

#[test]
fn a_subfolder_restricts_the_history_and_keeps_root_relative_paths() {
    let mut repo = Repo::new();
    repo.commit(ANN, &[("svc/api/views.py", "v\n"), ("docs/index.md", "d\n")]);
    repo.commit(BOB, &[("docs/index.md", "d\ne\n")]);
    repo.commit(BOB, &[("svc/api/views.py", "v\nw\n"), ("svc/models.py", "m\n")]);
    let history = read_history(&repo.path().join("svc"), &HistoryOptions::default()).unwrap();
    assert_eq!(history.repository.path_filter.as_deref(), Some("svc/"));
    assert_eq!(history.commits.len(), 2);
    let mut paths: Vec<&str> = history.files.iter().map(|f| &*f.path).collect();
    paths.sort();
    assert_eq!(paths, vec!["svc/api/views.py", "svc/models.py"]);
    // A single file works too.
    let one = read_history(&repo.path().join("docs/index.md"), &HistoryOptions::default()).unwrap();
    assert_eq!(one.commits.len(), 2);
    assert_eq!(one.files.len(), 1);
}

#[test]
fn the_window_bounds_are_applied_and_stated() {
    let mut repo = Repo::new();
    for i in 0..10 {
        repo.commit(ANN, &[("f.py", &lines(i + 1, "l"))]);
    }
    let options = HistoryOptions { max_commits: Some(4), ..Default::default() };
    let history = read_history(repo.path(), &options).unwrap();
    assert_eq!(history.commits.len(), 4);
    assert!(history.window.truncated);
    assert!(!history.window.complete());
    let exact = HistoryOptions { max_commits: Some(10), ..Default::default() };
    let history = read_history(repo.path(), &exact).unwrap();
    assert_eq!(history.commits.len(), 10);
    assert!(!history.window.truncated);
    // Days 3..=6 after START (commit i is at START + i days).
    let since = format!("@{}", START + 3 * DAY);
    let until = format!("@{}", START + 6 * DAY);
    let dated = HistoryOptions { since: Some(since.clone()), until: Some(until.clone()), ..Default::default() };
    let history = read_history(repo.path(), &dated).unwrap();
    let times: Vec<i64> = history.commits.iter().map(|c| (c.commit_time - START) / DAY).collect();
    assert_eq!(times, vec![6, 5, 4, 3]);
    assert_eq!(history.window.since.as_deref(), Some(since.as_str()));
    assert_eq!(history.window.oldest_time, Some(START + 3 * DAY));
    assert!(history.window.complete());
    // The bound never reaches git as an option.
    let bad = HistoryOptions { revision: "--output=/tmp/x".into(), ..Default::default() };
    assert!(matches!(read_history(repo.path(), &bad), Err(HistoryError::InvalidOption(_))));
    let zero = HistoryOptions { max_commits: Some(0), ..Default::default() };
    assert!(matches!(read_history(repo.path(), &zero), Err(HistoryError::InvalidOption(_))));
}

#[test]
fn binary_files_are_marked() {
    let mut repo = Repo::new();
    repo.write("logo.png", "");
    std::fs::write(repo.path().join("logo.png"), [0u8, 1, 2, 0, 255, 0]).unwrap();
    repo.commit_staged(ANN);
    let history = read(&repo);
    assert_eq!(history.changes.len(), 1);
    let change = &history.changes[0];
    assert!(change.binary);
    assert_eq!((change.added, change.removed), (None, None));
    assert!(history.commits[0].line_counts);
}

#[test]
fn mailmap_aliases_and_bots() {
    let mut repo = Repo::new();
    repo.commit("Ann Lee <ann@example.org>", &[("a.py", "1\n")]);
    repo.commit("ann <ANN@EXAMPLE.ORG>", &[("a.py", "1\n2\n")]);
    repo.commit("Ann  LEE <ann@home.example>", &[("a.py", "1\n2\n3\n")]);
    repo.commit("Old Nick <nick@old.example>", &[("b.py", "1\n")]);
    repo.commit("dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>", &[("req.txt", "x==1\n")]);
    repo.commit("Release Robot <robot@example.org>", &[("req.txt", "x==2\n")]);
    repo.commit(BOB, &[("b.py", "1\n2\n")]);
    repo.write(".mailmap", "Nick New <nick@new.example> <nick@old.example>\n");
    repo.commit(BOB, &[]);

    let history = read(&repo);
    let names: Vec<&str> =
        history.developers.iter().filter(|d| d.authored_commits > 0).map(|d| d.name.as_str()).collect();
    assert!(names.contains(&"Nick New"), "{names:?}");
    let ann: Vec<_> = history.developers.iter().filter(|d| d.emails.iter().any(|e| e.contains("ann"))).collect();
    assert_eq!(ann.len(), 1, "{ann:?}");
    assert_eq!(ann[0].authored_commits, 3);
    assert_eq!(history.window.bot_commits_left_out, 1);
    assert_eq!(history.window.commits_read, 8);
    assert_eq!(history.commits.len(), 7);
    assert!(history.developers.iter().any(|d| d.bot && d.name == "dependabot[bot]"));

    let mut options = HistoryOptions::default();
    options.identities.bot_patterns.push("robot@".into());
    options.identities.merge_by_name = false;
    let history = read_history(repo.path(), &options).unwrap();
    assert_eq!(history.window.bot_commits_left_out, 2);
    // "Ann  LEE <ann@home.example>" shares neither e-mail nor (now) name.
    let ann: Vec<_> = history.developers.iter().filter(|d| d.emails.iter().any(|e| e.contains("ann"))).collect();
    assert_eq!(ann.len(), 2);

    let keep = HistoryOptions { keep_bots: true, ..Default::default() };
    let history = read_history(repo.path(), &keep).unwrap();
    assert_eq!(history.commits.len(), 8);
    assert_eq!(history.window.bot_commits_left_out, 0);
}

#[test]
fn a_file_edited_on_a_branch_after_main_deleted_it_is_dead_when_the_merge_keeps_the_deletion() {
    let mut repo = Repo::new();
    repo.commit(ANN, &[("old.py", &lines(20, "o")), ("keep.py", &lines(5, "k"))]);
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.git(&["checkout", "-q", "main"]);
    std::fs::remove_file(repo.path().join("old.py")).unwrap();
    repo.commit_staged(ANN);
    repo.git(&["checkout", "-q", "side"]);
    // Later in time than the deletion: the newest change of old.py is this edit.
    repo.commit(BOB, &[("old.py", &(lines(20, "o") + "late edit\n"))]);
    repo.git(&["checkout", "-q", "main"]);
    // The merge conflicts (modify/delete); resolve it by keeping the deletion.
    let _ = common::git_command(repo.path()).args(["merge", "-q", "--no-ff", "-m", "merge", "side"]).output();
    repo.git(&["rm", "-q", "--cached", "--ignore-unmatch", "old.py"]);
    let _ = std::fs::remove_file(repo.path().join("old.py"));
    repo.commit_staged(ANN);
    assert_eq!(repo.git(&["ls-files"]).trim(), "keep.py");
    assert_eq!(repo.git(&["rev-list", "--parents", "-n1", "HEAD"]).split_whitespace().count(), 3, "a merge commit");

    let history = read(&repo);
    let old = history.files.iter().find(|f| &*f.path == "old.py").unwrap();
    let keep = history.files.iter().find(|f| &*f.path == "keep.py").unwrap();
    assert!(old.deleted, "old.py is not at HEAD: {old:?}");
    assert!(!keep.deleted);
}
