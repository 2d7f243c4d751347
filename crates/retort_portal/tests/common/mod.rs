//! Shared by the store and HTTP tests: stores on both engines and result
//! documents shaped like the CLI's JSON.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;

use retort_portal::{Push, ServiceIdentity, Store};
use serde_json::{json, Value as Json};

pub const POSTGRES_ENV: &str = "RETORT_TEST_POSTGRES_URL";

/// Runs each named test (a function taking `&TestStore`) on SQLite, and on
/// PostgreSQL when [`POSTGRES_ENV`] names a server (skipped with a note
/// otherwise).
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { let store = super::common::sqlite_store(); super::$name(&store); } )*
        }
        mod postgres {
            $( #[test] fn $name() {
                match super::common::postgres_store() {
                    Some(store) => super::$name(&store),
                    None => eprintln!("skipped: {} not set", super::common::POSTGRES_ENV),
                }
            } )*
        }
    };
}

/// A store and what keeps it alive (a temp folder or a scratch database).
pub struct TestStore {
    pub store: Arc<dyn Store>,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    _database: Option<ScratchDatabase>,
}

pub fn sqlite_store() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = dir.path().join("portal.db").to_string_lossy().into_owned();
    let store = retort_portal::open_store(&url).expect("open sqlite");
    TestStore { store, url, _dir: Some(dir), _database: None }
}

/// A fresh database on the server `RETORT_TEST_POSTGRES_URL` names, or
/// `None` (the caller reports the test as skipped).
pub fn postgres_store() -> Option<TestStore> {
    let base = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty())?;
    let database = ScratchDatabase::create(&base);
    let store = retort_portal::open_store(&database.url).expect("open postgres");
    Some(TestStore { store, url: database.url.clone(), _dir: None, _database: Some(database) })
}

/// Both engines' stores, the PostgreSQL one when configured.
pub fn all_stores() -> Vec<(&'static str, TestStore)> {
    let mut stores = vec![("sqlite", sqlite_store())];
    match postgres_store() {
        Some(store) => stores.push(("postgres", store)),
        None => eprintln!("postgres part skipped: {POSTGRES_ENV} not set"),
    }
    stores
}

/// A database created for one test and dropped after it.
pub struct ScratchDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl ScratchDatabase {
    fn create(admin_url: &str) -> ScratchDatabase {
        let mut bytes = [0u8; 6];
        getrandom::getrandom(&mut bytes).expect("random");
        let name = format!("retort_test_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
        let mut client = postgres::Client::connect(admin_url, postgres::NoTls).expect("connect to the test server");
        client.batch_execute(&format!("CREATE DATABASE {name}")).expect("create database");
        let (before_query, query) = match admin_url.split_once('?') {
            Some((b, q)) => (b, format!("?{q}")),
            None => (admin_url, String::new()),
        };
        let scheme_end = before_query.find("://").map(|i| i + 3).unwrap_or(0);
        let base = match before_query[scheme_end..].find('/') {
            Some(slash) => &before_query[..scheme_end + slash],
            None => before_query,
        };
        let url = format!("{base}/{name}{query}");
        ScratchDatabase { admin_url: admin_url.to_string(), name, url }
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// A `check --format json` document with these levels and findings (code, file).
pub fn check_doc(levels: &[(&str, &str)], findings: &[(&str, &str)]) -> Json {
    json!({
        "version": 1,
        "summary": {"errors": findings.len(), "warnings": 0, "findings": findings.len()},
        "scorecard": levels.iter().map(|(category, status)| json!({
            "category": category, "level": status, "status": status, "next": null, "missing": [], "not_assessed": {}
        })).collect::<Vec<_>>(),
        "findings": findings.iter().enumerate().map(|(i, (code, file))| json!({
            "code": code, "rule": format!("rule-{}", code.to_lowercase()), "category": "security",
            "severity": "error", "message": format!("message {i} <b>"), "file": file, "line": i + 1
        })).collect::<Vec<_>>(),
    })
}

/// A `scan --format json` document with these (rule, endpoint) routes.
pub fn scan_doc(routes: &[(&str, &str)]) -> Json {
    json!({
        "schema_version": 1,
        "routes": routes.iter().map(|(rule, endpoint)| json!({
            "rule": rule, "methods": ["GET"], "endpoint": endpoint, "view": format!("app:{endpoint}"),
            "file": "app.py", "line": 3, "guards": [], "doc": format!("Serves {rule}.")
        })).collect::<Vec<_>>(),
    })
}

/// A `team --format json` document: components with their truck factors.
pub fn team_doc(components: &[(&str, i64)]) -> Json {
    json!({
        "truck_factor": {"value": 1, "developers": ["ann"], "files": 3, "covered_files": 3},
        "components": components.iter().map(|(name, tf)| json!({
            "name": name, "truck_factor": {"value": tf, "developers": [], "files": 1, "covered_files": 1},
            "authors": [{"developer": "ann", "share": 1.0}]
        })).collect::<Vec<_>>(),
    })
}

pub fn push(service: &str, commit: &str, time: i64, results: Vec<(&str, Json)>) -> Push {
    Push {
        service: ServiceIdentity { name: service.to_string(), ..Default::default() },
        commit: commit.to_string(),
        time: Some(time),
        results: results.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<BTreeMap<_, _>>(),
    }
}
