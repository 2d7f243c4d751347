//! Surviving lines per developer against hand-counted answers.

mod common;

use common::{lines, Repo};
use retort_history::blame::blame_files;
use retort_history::{read_history, HistoryOptions};

const ANN: &str = "Ann Lee <ann@example.org>";
const ANN_AT_WORK: &str = "Ann Lee <ann.lee@work.example>";
const BOB: &str = "Bob Ray <bob@example.org>";
const BOT: &str = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>";

#[test]
fn lines_go_to_the_last_author_with_identities_merged_and_bots_unattributed() {
    let mut repo = Repo::new();
    repo.commit(ANN, &[("app.py", &lines(10, "ann")), ("logo.png", "\u{0}PNG\u{0}")]);
    // Bob rewrites three lines; Ann (other address, same name) adds two.
    let mut text: Vec<String> = lines(10, "ann").lines().map(str::to_string).collect();
    for line in text.iter_mut().take(3) {
        *line = format!("{line} bob");
    }
    repo.commit(BOB, &[("app.py", &(text.join("\n") + "\n"))]);
    repo.commit(ANN_AT_WORK, &[("app.py", &(text.join("\n") + "\nann 10\nann 11\n"))]);
    repo.commit(BOT, &[("app.py", &(text.join("\n") + "\nann 10\nann 11\nbot 12\n"))]);

    let history = read_history(repo.path(), &HistoryOptions::default()).unwrap();
    let name = |d| history.developer(d).name.clone();
    let paths = vec!["app.py".to_string(), "logo.png".to_string(), "missing.py".to_string()];
    let (blamed, failed) = blame_files(&history, &paths, 2);

    assert_eq!(blamed.len(), 1, "{blamed:?}");
    let app = &blamed[0];
    let counted: Vec<(String, u32)> = app.lines.iter().map(|&(d, n)| (name(d), n)).collect();
    assert_eq!(counted, vec![("Ann Lee".to_string(), 9), ("Bob Ray".to_string(), 3)]);
    assert_eq!(app.unattributed, 1, "the bot's line is nobody's authorship");

    let reasons: Vec<(&str, &str)> = failed.iter().map(|(p, r)| (p.as_str(), r.as_str())).collect();
    assert_eq!(reasons[0], ("logo.png", "binary file"));
    assert_eq!(reasons[1].0, "missing.py");
    assert!(reasons[1].1.contains("no such path"), "{reasons:?}");
}
