//! The store suite, run on SQLite always and on PostgreSQL when
//! `RETORT_TEST_POSTGRES_URL` names a server (skipped with a note otherwise).

#[macro_use]
mod common;

use std::sync::Arc;

use common::{check_doc, push, scan_doc, team_doc};
use retort_portal::Store;

on_both_engines!(
    migrations_are_idempotent_and_data_survives_reopening,
    push_stores_results_and_derived_rows,
    repeated_push_is_unchanged_and_different_content_conflicts_atomically,
    levels_trend_between_commits,
    service_detail_has_history_routes_and_findings,
    search_finds_routes_by_text_and_by_concrete_path,
    organisation_views,
    hostile_text_is_stored_verbatim,
    concurrent_pushes_lose_nothing_and_duplicate_nothing,
    tokens_are_stored_as_given,
);

fn migrations_are_idempotent_and_data_survives_reopening(t: &common::TestStore) {
    assert_eq!(t.store.migrate().unwrap(), 1);
    assert_eq!(t.store.migrate().unwrap(), 1);
    t.store.push(&push("shop", "c1", 100, vec![("scan", scan_doc(&[("/a", "a")]))]), 100).unwrap();
    let reopened = retort_portal::open_store(&t.url).unwrap();
    let counts = reopened.counts().unwrap();
    assert_eq!((counts.services, counts.runs, counts.results, counts.routes), (1, 1, 1, 1));
}

fn push_stores_results_and_derived_rows(t: &common::TestStore) {
    let outcome = t
        .store
        .push(
            &push(
                "shop",
                "c1",
                100,
                vec![
                    ("scan", scan_doc(&[("/a", "a"), ("/b", "b")])),
                    ("check", check_doc(&[("security", "bronze")], &[("SEC001", "x.py")])),
                ],
            ),
            100,
        )
        .unwrap();
    assert_eq!(outcome.stored, vec!["check", "scan"]);
    assert!(outcome.run_id.is_some());
    assert!(outcome.unchanged.is_empty() && outcome.conflicts.is_empty());
    let counts = t.store.counts().unwrap();
    assert_eq!((counts.services, counts.runs, counts.results, counts.routes, counts.findings), (1, 1, 2, 2, 1));
    let payload = t.store.latest_payload("shop", "scan").unwrap().unwrap();
    let doc: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(doc, scan_doc(&[("/a", "a"), ("/b", "b")]));
    assert_eq!(t.store.latest_payload("shop", "load").unwrap(), None);
}

fn repeated_push_is_unchanged_and_different_content_conflicts_atomically(t: &common::TestStore) {
    let first = push("shop", "c1", 100, vec![("scan", scan_doc(&[("/a", "a")]))]);
    t.store.push(&first, 100).unwrap();
    let again = t.store.push(&first, 101).unwrap();
    assert_eq!(again.unchanged, vec!["scan"]);
    assert_eq!(again.run_id, None, "an all-unchanged push creates no run");
    // A different scan for the same commit conflicts, and the new check in
    // the same push is not stored either.
    let different = push(
        "shop",
        "c1",
        102,
        vec![("scan", scan_doc(&[("/other", "o")])), ("check", check_doc(&[("security", "gold")], &[]))],
    );
    let outcome = t.store.push(&different, 102).unwrap();
    assert_eq!(outcome.conflicts, vec!["scan"]);
    assert!(outcome.stored.is_empty());
    let counts = t.store.counts().unwrap();
    assert_eq!((counts.runs, counts.results, counts.routes), (1, 1, 1));
    assert_eq!(t.store.latest_payload("shop", "check").unwrap(), None);
    // A new tool for the same commit, next to an unchanged one, is stored.
    let more = push(
        "shop",
        "c1",
        103,
        vec![("scan", scan_doc(&[("/a", "a")])), ("check", check_doc(&[("security", "gold")], &[]))],
    );
    let outcome = t.store.push(&more, 103).unwrap();
    assert_eq!((outcome.stored, outcome.unchanged), (vec!["check".to_string()], vec!["scan".to_string()]));
    assert_eq!(t.store.counts().unwrap().results, 2);
}

fn levels_trend_between_commits(t: &common::TestStore) {
    let levels1 = [("security", "silver"), ("reliability", "bronze"), ("delivery", "gold")];
    let levels2 = [("security", "bronze"), ("reliability", "gold"), ("delivery", "gold")];
    t.store.push(&push("shop", "c1", 100, vec![("check", check_doc(&levels1, &[]))]), 100).unwrap();
    t.store.push(&push("shop", "c2", 200, vec![("check", check_doc(&levels2, &[]))]), 200).unwrap();
    t.store.push(&push("cart", "k1", 150, vec![("check", check_doc(&levels1, &[]))]), 150).unwrap();
    let services = t.store.services().unwrap();
    assert_eq!(services.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), vec!["cart", "shop"]);
    let shop = &services[1];
    assert_eq!(shop.last_commit.as_deref(), Some("c2"));
    assert_eq!(shop.last_time, Some(200));
    let trend = |category: &str| {
        let level = shop.levels.iter().find(|l| l.category == category).unwrap();
        (level.level.clone(), level.trend.clone())
    };
    assert_eq!(trend("security"), ("bronze".to_string(), "down".to_string()));
    assert_eq!(trend("reliability"), ("gold".to_string(), "up".to_string()));
    assert_eq!(trend("delivery"), ("gold".to_string(), "same".to_string()));
    assert!(services[0].levels.iter().all(|l| l.trend == "new"));
}

fn service_detail_has_history_routes_and_findings(t: &common::TestStore) {
    for (i, commit) in ["c1", "c2", "c3"].iter().enumerate() {
        let time = 100 * (i as i64 + 1);
        let findings: Vec<(&str, &str)> = (0..i).map(|_| ("SEC003", "views.py")).collect();
        t.store
            .push(
                &push(
                    "shop",
                    commit,
                    time,
                    vec![
                        ("check", check_doc(&[("security", ["gold", "silver", "bronze"][i])], &findings)),
                        ("scan", scan_doc(&[("/r", "r")][..]).clone()),
                        (
                            "load",
                            serde_json::json!({"duration_s": 10.0, "totals": {"requests": 1000 * (i + 1),
                            "error_rate": 0.0, "latency_us": {"p50": 1500.0, "p99": 9000.0 + i as f64}}}),
                        ),
                    ],
                ),
                time,
            )
            .unwrap_or_else(|e| panic!("push {commit}: {e}"));
    }
    assert!(t.store.service("nobody").unwrap().is_none());
    let detail = t.store.service("shop").unwrap().unwrap();
    assert_eq!(detail.scorecards.len(), 3);
    assert_eq!(detail.scorecards.iter().map(|p| p.values["security"]).collect::<Vec<_>>(), vec![3.0, 2.0, 1.0]);
    assert_eq!(detail.findings.len(), 2, "findings of the newest check");
    assert_eq!(detail.routes.len(), 1);
    assert_eq!(detail.runs.len(), 3);
    assert_eq!(detail.runs[0].commit, "c3");
    assert_eq!(detail.load_history.len(), 3);
    assert_eq!(detail.load_history[2].values["rps"], 300.0);
    assert_eq!(detail.load_history[2].values["p99_ms"], 9.002);
    assert_eq!(detail.check_history[2].values["errors"], 2.0);
}

fn search_finds_routes_by_text_and_by_concrete_path(t: &common::TestStore) {
    t.store
        .push(&push("users", "u1", 100, vec![("scan", scan_doc(&[("/api/v1/users/<int:id>", "users.get")]))]), 100)
        .unwrap();
    t.store
        .push(&push("orders", "o1", 100, vec![("scan", scan_doc(&[("/api/v1/orders", "orders.list")]))]), 100)
        .unwrap();
    // An older scan's routes are not searched once a newer one exists.
    t.store.push(&push("orders", "o0", 50, vec![("scan", scan_doc(&[("/api/v1/users/legacy", "old")]))]), 50).unwrap();
    let hits = t.store.search_routes("/api/v1/users/42", 50).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].service.as_str(), hits[0].matched.as_str()), ("users", "path"));
    let hits = t.store.search_routes("API/V1", 50).unwrap();
    assert_eq!(hits.iter().map(|h| h.service.as_str()).collect::<Vec<_>>(), vec!["orders", "users"]);
    assert!(t.store.search_routes("", 50).unwrap().is_empty());
    assert!(t.store.search_routes("%", 50).unwrap().is_empty(), "LIKE wildcards are not special");
    assert_eq!(t.store.search_routes("api", 1).unwrap().len(), 1);
}

fn organisation_views(t: &common::TestStore) {
    t.store
        .push(
            &push(
                "a",
                "1",
                100,
                vec![
                    ("team", team_doc(&[("billing", 1), ("catalog", 3)])),
                    (
                        "check",
                        check_doc(
                            &[("security", "bronze")],
                            &[("SEC003", "x.py"), ("SEC003", "y.py"), ("SEC009", "z")],
                        ),
                    ),
                ],
            ),
            100,
        )
        .unwrap();
    t.store
        .push(
            &push(
                "b",
                "1",
                100,
                vec![
                    ("team", team_doc(&[("auth", 0)])),
                    ("check", check_doc(&[("security", "gold")], &[("SEC003", "q.py")])),
                ],
            ),
            100,
        )
        .unwrap();
    let risks = t.store.bus_factor_one().unwrap();
    let names: Vec<(String, String)> = risks.iter().map(|r| (r.service.clone(), r.component.name.clone())).collect();
    assert_eq!(names, vec![("a".into(), "billing".into()), ("b".into(), "auth".into())]);
    let rules = t.store.failing_rules(10).unwrap();
    assert_eq!(rules[0].code, "SEC003");
    assert_eq!((rules[0].services, rules[0].findings), (2, 3));
    assert_eq!((rules[1].code.as_str(), rules[1].services), ("SEC009", 1));
    assert_eq!(t.store.failing_rules(1).unwrap().len(), 1);
}

fn hostile_text_is_stored_verbatim(t: &common::TestStore) {
    let hostile = "/x/<script>alert('x')</script>\"'\u{202e}gnp.exe\u{0}";
    let name = "svc \"'<img src=x onerror=alert(1)>\u{2066}";
    t.store
        .push(&push(name, "'; DROP TABLE runs; --", 100, vec![("scan", scan_doc(&[(hostile, hostile)]))]), 100)
        .unwrap();
    let detail = t.store.service(name).unwrap().unwrap();
    assert_eq!(detail.routes[0].rule, hostile.replace('\0', "\u{fffd}"));
    assert_eq!(detail.runs[0].commit, "'; DROP TABLE runs; --");
    assert_eq!(t.store.search_routes("<script>", 10).unwrap().len(), 1);
    assert_eq!(t.store.counts().unwrap().runs, 1);
}

fn concurrent_pushes_lose_nothing_and_duplicate_nothing(t: &common::TestStore) {
    // 8 writers × 25 pushes over 5 services × 20 commits: every (service,
    // commit) is pushed by two writers, so half of the pushes are repeats.
    let store: Arc<dyn Store> = t.store.clone();
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let store = store.clone();
            std::thread::spawn(move || {
                let mut stored = 0;
                for i in 0..25 {
                    let n = (writer % 4) * 25 + i;
                    let service = format!("svc{}", n % 5);
                    let commit = format!("c{}", n / 5);
                    let p = push(&service, &commit, n as i64, vec![("scan", scan_doc(&[("/a", "a"), ("/b", "b")]))]);
                    let outcome = store.push(&p, 1000).expect("push");
                    assert!(outcome.conflicts.is_empty());
                    stored += outcome.stored.len();
                }
                stored
            })
        })
        .collect();
    let stored: usize = writers.into_iter().map(|w| w.join().expect("writer")).sum();
    assert_eq!(stored, 100, "each of the 100 (service, commit) scans stored exactly once");
    let counts = t.store.counts().unwrap();
    assert_eq!((counts.services, counts.runs, counts.results, counts.routes), (5, 100, 100, 200));
}

fn tokens_are_stored_as_given(t: &common::TestStore) {
    assert!(t.store.token_hashes().unwrap().is_empty());
    t.store.add_token("ab", "ci", 1).unwrap();
    t.store.add_token("cd", "ci", 1).unwrap();
    assert!(t.store.add_token("ab", "again", 1).is_err(), "hashes are unique");
    let mut hashes = t.store.token_hashes().unwrap();
    hashes.sort();
    assert_eq!(hashes, vec!["ab", "cd"]);
}
