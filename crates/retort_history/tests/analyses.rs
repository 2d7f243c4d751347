//! The analyses on a synthetic repository whose answers are counted by
//! hand in the comments (code-maat's coupling rules, renames followed,
//! bots left out).

mod common;

use common::{lines, Repo, DAY, START};
use retort_history::analysis::{churn_by_file, developer_activity, file_authorship, logical_coupling, CouplingOptions};
use retort_history::{read_history, History, HistoryOptions};

const ANN: &str = "Ann Lee <ann@example.org>";
const BOB: &str = "Bob Ray <bob@example.org>";
const BOT: &str = "renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>";

/// Builds the history; `version` makes every write a real change.
fn build() -> History {
    let mut repo = Repo::new();
    let mut version = 0;
    let mut next = |tag: &str| {
        version += 1;
        lines(20, tag) + &format!("v{version}\n")
    };
    // 1 changeset: a, b, c created by Ann.
    repo.commit(ANN, &[("a.py", &next("a")), ("b.py", &next("b")), ("c.py", &next("c"))]);
    // 5 changesets: a + b (Ann).
    for _ in 0..5 {
        repo.commit(ANN, &[("a.py", &next("a")), ("b.py", &next("b"))]);
    }
    // 2 changesets: a alone (Bob).
    for _ in 0..2 {
        repo.commit(BOB, &[("a.py", &next("a"))]);
    }
    // 3 changesets: a + c (Bob).
    for _ in 0..3 {
        repo.commit(BOB, &[("a.py", &next("a")), ("c.py", &next("c"))]);
    }
    // b is renamed (a changeset of b alone), then changed with a once.
    std::fs::create_dir(repo.path().join("pkg")).unwrap();
    repo.git(&["mv", "b.py", "pkg/b.py"]);
    repo.commit_staged(ANN);
    repo.commit(ANN, &[("a.py", &next("a")), ("pkg/b.py", &next("b"))]);
    // A bot touches a: left out.
    repo.commit(BOT, &[("a.py", &next("a"))]);
    // One changeset of 31 files: ignored by coupling, counted by churn.
    let mut big: Vec<(String, String)> = (0..29).map(|i| (format!("gen/g{i}.py"), next("g"))).collect();
    big.push(("a.py".into(), next("a")));
    big.push(("pkg/b.py".into(), next("b")));
    let files: Vec<(&str, &str)> = big.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    repo.commit(BOB, &files);
    read_history(repo.path(), &HistoryOptions::default()).unwrap()
}

#[test]
fn coupling_follows_code_maat_with_renames() {
    let history = build();
    // Revisions without the big changeset: a = 1+5+2+3+1 = 12,
    // b = 1+5+1(rename)+1 = 8, c = 1+3 = 4. Shared a-b = 1+5+1 = 7:
    // degree 7 / 10 × 100 = 70. a-c shares 4 < 5: left out.
    let pairs = logical_coupling(&history, &CouplingOptions::default());
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let ab = &pairs[0];
    assert_eq!((&*ab.a_path, &*ab.b_path), ("a.py", "pkg/b.py"));
    assert_eq!((ab.shared_revisions, ab.revisions_a, ab.revisions_b), (7, 12, 8));
    assert!((ab.degree - 70.0).abs() < 1e-9);

    // a-c: mean (12+4)/2 = 8, degree 4/8 = 50 %.
    let loose = CouplingOptions { min_shared_revisions: 4, ..Default::default() };
    let pairs = logical_coupling(&history, &loose);
    let ac = pairs.iter().find(|p| &*p.b_path == "c.py").expect("a-c");
    assert_eq!((ac.shared_revisions, ac.degree), (4, 50.0));
    // b-c shares 1: never.
    assert!(pairs.iter().all(|p| !(p.a_path.ends_with("b.py") && &*p.b_path == "c.py")));

    // With the big changeset allowed, a-b shares 8 of (13+9)/2 = 11.
    let big = CouplingOptions { max_changeset_size: 31, ..Default::default() };
    let pairs = logical_coupling(&history, &big);
    let ab = pairs.iter().find(|p| &*p.a_path == "a.py" && &*p.b_path == "pkg/b.py").unwrap();
    assert_eq!((ab.shared_revisions, ab.revisions_a, ab.revisions_b), (8, 13, 9));
    // A minimum degree above 80 drops it (8/11 = 72.7 %).
    let strict = CouplingOptions { min_degree: 80.0, ..big };
    assert!(logical_coupling(&history, &strict).iter().all(|p| &*p.a_path != "a.py" || &*p.b_path != "pkg/b.py"));
}

#[test]
fn churn_counts_revisions_and_lines_per_identity() {
    let history = build();
    let churn = churn_by_file(&history);
    let a = churn.iter().find(|r| &*r.path == "a.py").unwrap();
    // 12 + the big changeset; the bot's commit is left out.
    assert_eq!(a.revisions, 13);
    assert_eq!(a.authors, 2);
    // Creation adds 21 lines; each later change rewrites the last line.
    assert_eq!(a.added, 21 + 12);
    assert_eq!(a.removed, 12);
    let b = churn.iter().find(|r| &*r.path == "pkg/b.py").unwrap();
    assert_eq!(b.revisions, 9);
    // The rename changed no line.
    assert_eq!(b.added, 21 + 7);
    assert_eq!(churn[0].path, a.path, "most revisions first");
    assert_eq!(churn.len(), 3 + 29);
}

#[test]
fn authorship_inputs_and_activity() {
    let history = build();
    let rows = file_authorship(&history);
    let name = |row: &retort_history::analysis::FileAuthorship| row.creator.map(|d| history.developer(d).name.clone());
    let ann = history.developers.iter().find(|d| d.name == "Ann Lee").unwrap().id;
    let bob = history.developers.iter().find(|d| d.name == "Bob Ray").unwrap().id;
    let a = rows.iter().find(|r| &*r.path == "a.py").unwrap();
    assert_eq!(name(a).as_deref(), Some("Ann Lee"));
    // Ann: 1 + 5 + 1; Bob: 2 + 3 + 1 (big).
    assert_eq!(a.changes_of(ann), 7);
    assert_eq!(a.changes_of(bob), 6);
    assert_eq!(a.changes_by_others(ann), 6);
    assert_eq!(a.total_changes, 13);
    let b = rows.iter().find(|r| &*r.path == "pkg/b.py").unwrap();
    assert_eq!(name(b).as_deref(), Some("Ann Lee"), "created before its rename");
    let g = rows.iter().find(|r| &*r.path == "gen/g0.py").unwrap();
    assert_eq!(name(g).as_deref(), Some("Bob Ray"));

    let activity = developer_activity(&history);
    assert_eq!(activity.len(), 2, "the bot is left out");
    let ann_row = activity.iter().find(|r| r.developer == ann).unwrap();
    assert_eq!(ann_row.commits, 1 + 5 + 1 + 1);
    assert_eq!(ann_row.first_time, START);
    let bob_row = activity.iter().find(|r| r.developer == bob).unwrap();
    assert_eq!(bob_row.commits, 2 + 3 + 1);
    assert_eq!(bob_row.files, 3 + 29);
    assert_eq!(bob_row.first_time, START + 6 * DAY);
    // Commits 0..=14, one a day: the big changeset is the 15th.
    assert_eq!(bob_row.last_time, START + 14 * DAY);
}

#[test]
fn a_file_created_by_a_bot_has_no_creator() {
    let mut repo = Repo::new();
    repo.commit(BOT, &[("renovate.json", "{}\n")]);
    repo.commit(ANN, &[("renovate.json", "{\"a\": 1}\n")]);
    let history = read_history(repo.path(), &HistoryOptions::default()).unwrap();
    let rows = file_authorship(&history);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].creator, None);
    assert_eq!(rows[0].total_changes, 1);
}
