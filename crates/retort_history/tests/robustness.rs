//! Bad or unusual repositories: a typed error or a partial result that
//! says what it covers; never a panic, never an unbounded run.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{git_command, git_in, lines, Repo};
use retort_history::{read_history, read_history_with_progress, HistoryError, HistoryOptions};

const ANN: &str = "Ann Lee <ann@example.org>";

#[test]
fn not_a_repository_and_missing_paths_are_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let error = read_history(dir.path(), &HistoryOptions::default()).unwrap_err();
    assert!(matches!(error, HistoryError::NotARepository(_)), "{error}");
    assert!(error.to_string().contains("not inside a git repository"));
    let error = read_history(&dir.path().join("nope"), &HistoryOptions::default()).unwrap_err();
    assert!(matches!(error, HistoryError::PathNotFound(_)), "{error}");
}

#[test]
fn an_empty_history_is_an_empty_complete_result() {
    let repo = Repo::new();
    let history = read_history(repo.path(), &HistoryOptions::default()).unwrap();
    assert!(history.commits.is_empty() && history.changes.is_empty());
    assert_eq!(history.window.commits_read, 0);
    assert!(history.window.complete());
    assert!(history.repository.head.is_none());

    // A folder no commit ever touched.
    let mut repo = Repo::new();
    repo.commit(ANN, &[("a.py", "1\n")]);
    std::fs::create_dir(repo.path().join("untracked")).unwrap();
    let history = read_history(&repo.path().join("untracked"), &HistoryOptions::default()).unwrap();
    assert!(history.commits.is_empty());
    assert!(history.window.complete());

    let unknown = HistoryOptions { revision: "no-such-branch".into(), ..Default::default() };
    assert!(matches!(read_history(repo.path(), &unknown), Err(HistoryError::InvalidOption(_))));
}

#[test]
fn a_shallow_clone_states_its_boundary_and_drops_its_fake_additions() {
    let mut source = Repo::new();
    for i in 0..6 {
        source.commit(ANN, &[("a.py", &lines(i + 1, "a")), ("b.py", &lines(2 * i + 1, "b"))]);
    }
    let target = tempfile::tempdir().unwrap();
    let url = format!("file://{}", source.path().display());
    git_in(target.path(), &["clone", "-q", "--depth", "3", &url, "shallow"]);
    let path = target.path().join("shallow");
    let history = read_history(&path, &HistoryOptions::default()).unwrap();
    assert!(history.repository.shallow);
    assert_eq!(history.commits.len(), 3);
    assert_eq!(history.window.shallow_boundary.len(), 1);
    let boundary = &history.window.shallow_boundary[0];
    let index = history.commits.iter().position(|c| &c.hash == boundary).unwrap();
    assert!(history.changes.iter().all(|c| c.commit as usize != index));
    // The files existed before the boundary: no creation is claimed.
    assert!(history.files.iter().all(|f| f.created.is_none()));
}

/// Five commits each changing f.txt and g.txt; f.txt's blob of the middle
/// commit is deleted, as a mirror without large blobs would lack it.
#[test]
fn a_missing_blob_gives_a_partial_result_that_names_what_it_lacks() {
    let mut repo = Repo::new();
    let mut hashes = Vec::new();
    for i in 0..5 {
        hashes.push(repo.commit(ANN, &[("f.txt", &lines(10 + i, "f")), ("g.txt", &lines(3 + i, "g"))]));
    }
    std::fs::remove_file(repo.object_file("HEAD~2:f.txt")).unwrap();
    let history = read_history(repo.path(), &HistoryOptions::default()).unwrap();
    let w = &history.window;
    assert_eq!(w.commits_read, 5);
    assert_eq!(history.commits.len(), 5);
    // The commit that added the blob's content and the one that changed it.
    let mut lacking = w.commits_without_line_counts.clone();
    lacking.sort();
    let mut expected = vec![hashes[2].clone(), hashes[3].clone()];
    expected.sort();
    assert_eq!(lacking, expected);
    assert!(!w.complete());
    assert!(w.stopped_early.is_none(), "{w:?}");
    // Older and newer commits keep their counts; the others keep their files.
    for commit in &history.commits {
        let changes: Vec<_> = history.changes.iter().filter(|c| history.commit_of(c).hash == commit.hash).collect();
        assert_eq!(changes.len(), 2, "{}", commit.hash);
        let counted = changes.iter().all(|c| c.added.is_some());
        assert_eq!(counted, commit.line_counts);
        assert_eq!(counted, !expected.contains(&commit.hash));
    }
    assert!(w.warnings.iter().any(|w| w.contains("could not read")), "{:?}", w.warnings);
}

#[test]
fn the_recovery_is_bounded() {
    let mut repo = Repo::new();
    for i in 0..6 {
        repo.commit(ANN, &[("f.txt", &lines(10 + i, "f"))]);
    }
    for rev in ["HEAD~1:f.txt", "HEAD~3:f.txt", "HEAD~5:f.txt"] {
        std::fs::remove_file(repo.object_file(rev)).unwrap();
    }
    let options = HistoryOptions { max_recoveries: 1, ..Default::default() };
    let history = read_history(repo.path(), &options).unwrap();
    assert_eq!(history.window.commits_read, 6);
    // After one restart the rest is read without counts in one pass.
    assert!(history.window.commits_without_line_counts.len() >= 5, "{:?}", history.window);
}

#[test]
fn a_partial_clone_never_fetches_and_says_which_commits_lack_counts() {
    let mut source = Repo::new();
    let big = lines(400, "big");
    source.commit(ANN, &[("big.txt", &big), ("small.py", "1\n")]);
    source.commit(ANN, &[("big.txt", &(big.clone() + "x\n"))]);
    source.commit(ANN, &[("small.py", "1\n2\n")]);
    source.git(&["config", "uploadpack.allowFilter", "true"]);
    let target = tempfile::tempdir().unwrap();
    let url = format!("file://{}", source.path().display());
    git_in(target.path(), &["clone", "-q", "--bare", "--filter=blob:limit=1k", &url, "mirror.git"]);
    let history = read_history(&target.path().join("mirror.git"), &HistoryOptions::default()).unwrap();
    assert_eq!(history.commits.len(), 3);
    let lacking = &history.window.commits_without_line_counts;
    assert_eq!(lacking.len(), 2, "{:?}", history.window);
    assert!(history.commits[0].line_counts, "the newest commit only touches a small file");
    assert_eq!(history.files.len(), 2);
}

#[test]
fn a_corrupt_tree_gives_a_partial_result() {
    let mut repo = Repo::new();
    for i in 0..5 {
        repo.commit(ANN, &[("f.txt", &lines(10 + i, "f"))]);
    }
    let tree = repo.object_file("HEAD~2^{tree}");
    std::fs::remove_file(&tree).unwrap();
    std::fs::write(&tree, b"this is not a zlib stream").unwrap();
    let history = read_history(repo.path(), &HistoryOptions::default()).unwrap();
    let w = &history.window;
    assert!(!w.complete());
    assert!(!w.commits_unreadable.is_empty(), "{w:?}");
    // The newest and the oldest commit are still there with their counts.
    assert!(history.commits.first().unwrap().line_counts);
    assert!(history.commits.last().unwrap().line_counts);
    assert_eq!(history.commits.len() + w.commits_unreadable.len(), 5);
}

#[test]
fn a_corrupt_commit_stops_the_walk_with_a_reason() {
    let mut repo = Repo::new();
    for i in 0..5 {
        repo.commit(ANN, &[("f.txt", &lines(10 + i, "f"))]);
    }
    let commit = repo.object_file("HEAD~2");
    std::fs::remove_file(&commit).unwrap();
    std::fs::write(&commit, b"garbage").unwrap();
    match read_history(repo.path(), &HistoryOptions::default()) {
        Ok(history) => {
            assert!(!history.window.complete(), "{:?}", history.window);
            assert!(history.commits.len() < 5);
        }
        Err(error) => assert!(matches!(error, HistoryError::GitRefused { .. }), "{error}"),
    }
}

/// A long history made with `git fast-import`: the bound holds and is said.
#[test]
fn a_long_history_is_bounded_by_max_commits() {
    let repo = Repo::new();
    let mut stream = String::new();
    let commits = 3000;
    for i in 0..commits {
        let body = format!("line {i}\n");
        stream.push_str(&format!(
            "commit refs/heads/main\nmark :{}\nauthor Dev{} <dev{}@example.org> {} +0000\ncommitter C <c@example.org> {} +0000\ndata 1\nx\n",
            i + 1,
            i % 7,
            i % 7,
            1_600_000_000 + i,
            1_600_000_000 + i
        ));
        if i > 0 {
            stream.push_str(&format!("from :{i}\n"));
        }
        stream.push_str(&format!("M 100644 inline src/f{}.py\ndata {}\n{}\n", i % 50, body.len(), body));
    }
    let mut child = git_command(repo.path()).args(["fast-import", "--quiet"]).stdin(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stream.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());

    let options = HistoryOptions { max_commits: Some(1000), ..Default::default() };
    let mut reports = Vec::new();
    let history = read_history_with_progress(repo.path(), &options, &mut |n| reports.push(n)).unwrap();
    assert_eq!(reports, vec![500, 1000, 1000]);
    assert_eq!(history.commits.len(), 1000);
    assert!(history.window.truncated);
    assert_eq!(history.developers.iter().filter(|d| d.authored_commits > 0).count(), 7);
    let all = read_history(repo.path(), &HistoryOptions::default()).unwrap();
    assert_eq!(all.commits.len(), commits);
    assert!(all.window.complete());
    assert_eq!(all.files.len(), 50);
    // Files that existed before the window have no known creator.
    assert!(history.files.iter().all(|f| f.created.is_none()));
}
