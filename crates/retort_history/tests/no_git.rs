//! Without a `git` command the reader says so (its own test binary: it
//! changes PATH for the whole process).

use retort_history::{read_history, HistoryError, HistoryOptions};

#[test]
fn a_missing_git_command_is_a_typed_error() {
    let empty = tempfile::tempdir().unwrap();
    // The only test in this process: nothing else reads PATH concurrently.
    std::env::set_var("PATH", empty.path());
    let error = read_history(empty.path(), &HistoryOptions::default()).unwrap_err();
    assert!(matches!(error, HistoryError::GitNotFound(_)), "{error}");
    assert!(error.to_string().contains("install git"));
}
