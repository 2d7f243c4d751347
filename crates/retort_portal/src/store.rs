//! The store behind one trait, [`Store`], with one implementation of the
//! portal's queries ([`SqlStore`]) over two engines: SQLite
//! ([`crate::sqlite`]) and PostgreSQL ([`crate::pg`]). Engines only run
//! SQL with `?` placeholders inside a transaction; every query and the
//! migrations are written once, so both engines run the same tests.

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};

use crate::model::{
    derive, rule_matches_path, ComponentRisk, ComponentRow, Counts, FindingRow, HistoryPoint, LevelTrend, Push,
    PushOutcome, RouteHit, RouteRow, RuleCount, RunSummary, ServiceDetail, ServiceSummary,
};

/// The numbered migrations, applied in order; files under `migrations/`.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[(1, "init", include_str!("../migrations/0001_init.sql"))];

/// Rows per multi-row INSERT.
const INSERT_CHUNK: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(String),
    #[error("cannot open the database: {0}")]
    Open(String),
    #[error("unsupported database URL `{0}` (use a file path, sqlite:PATH or postgres://…)")]
    UnsupportedUrl(String),
    /// A result differs from the one stored for the same (service, commit, tool).
    #[error("conflict: {0:?} already stored with different content")]
    Conflict(Vec<String>),
}

/// A value bound to or read from SQL.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Text(String),
    /// A NULL of a TEXT column (the only nullable columns).
    Null,
}

impl Value {
    pub fn int(&self) -> i64 {
        match self {
            Value::Int(n) => *n,
            Value::Float(f) => *f as i64,
            _ => 0,
        }
    }
    pub fn float(&self) -> f64 {
        match self {
            Value::Int(n) => *n as f64,
            Value::Float(f) => *f,
            _ => 0.0,
        }
    }
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Null => String::new(),
        }
    }
    pub fn opt_text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            other => Some(other.text()),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::Text(s.clone())
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}
impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Float(n)
    }
}
impl From<Option<&String>> for Value {
    fn from(s: Option<&String>) -> Value {
        s.map_or(Value::Null, |s| Value::Text(s.clone()))
    }
}

pub type Row = Vec<Value>;

/// SQL inside one open transaction of an engine.
pub trait Tx {
    /// Runs a statement; returns the rows it changed.
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
    /// Runs several `;`-separated statements without parameters (migrations).
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
}

/// An engine: connections and transactions, nothing about the portal.
pub trait Backend: Send + Sync + 'static {
    /// The auto-increment primary key column type for `{{ID}}` in migrations.
    fn id_column(&self) -> &'static str;
    /// Serialises concurrent migrations (e.g. two servers starting at once).
    fn migration_lock(&self, tx: &mut dyn Tx) -> Result<(), StoreError>;
    /// Runs `work` in one transaction, committed when it returns `Ok`,
    /// rolled back otherwise. `write` tells engines that lock up front.
    fn transaction<R>(
        &self,
        write: bool,
        work: &mut dyn FnMut(&mut dyn Tx) -> Result<R, StoreError>,
    ) -> Result<R, StoreError>;
}

/// Everything the portal reads and writes.
pub trait Store: Send + Sync {
    /// Applies the migrations not applied yet; returns the schema version.
    fn migrate(&self) -> Result<i64, StoreError>;
    /// Stores a push in one transaction, following the duplicate policy.
    fn push(&self, push: &Push, received_at: i64) -> Result<PushOutcome, StoreError>;
    fn add_token(&self, sha256_hex: &str, label: &str, created_at: i64) -> Result<(), StoreError>;
    fn token_hashes(&self) -> Result<Vec<String>, StoreError>;
    fn services(&self) -> Result<Vec<ServiceSummary>, StoreError>;
    fn service(&self, name: &str) -> Result<Option<ServiceDetail>, StoreError>;
    /// Routes of every service's newest scan whose rule contains `query`
    /// (case-insensitive) or serves it as a concrete path.
    fn search_routes(&self, query: &str, limit: usize) -> Result<Vec<RouteHit>, StoreError>;
    /// Components whose truck factor is at most 1, over every service's newest team result.
    fn bus_factor_one(&self) -> Result<Vec<ComponentRisk>, StoreError>;
    /// Rules with findings in the most services' newest check.
    fn failing_rules(&self, limit: usize) -> Result<Vec<RuleCount>, StoreError>;
    /// The newest result document of a tool for a service.
    fn latest_payload(&self, service: &str, tool: &str) -> Result<Option<String>, StoreError>;
    fn counts(&self) -> Result<Counts, StoreError>;
}

/// The portal's queries over any [`Backend`].
pub struct SqlStore<B: Backend> {
    pub backend: B,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Result ids of each service's newest result of `tool`.
fn latest_results_sql(tool_param: &str) -> String {
    format!(
        "SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY service_id ORDER BY run_time DESC, id DESC) AS rn \
         FROM results WHERE tool = {tool_param}) latest WHERE rn = 1"
    )
}

fn insert_rows(tx: &mut dyn Tx, table: &str, columns: &[&str], rows: Vec<Vec<Value>>) -> Result<(), StoreError> {
    let placeholders = format!("({})", vec!["?"; columns.len()].join(", "));
    for chunk in rows.chunks(INSERT_CHUNK) {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            vec![placeholders.as_str(); chunk.len()].join(", ")
        );
        let params: Vec<Value> = chunk.iter().flatten().cloned().collect();
        tx.exec(&sql, &params)?;
    }
    Ok(())
}

fn in_list(n: usize) -> String {
    vec!["?"; n].join(", ")
}

impl<B: Backend> SqlStore<B> {
    pub fn new(backend: B) -> SqlStore<B> {
        SqlStore { backend }
    }

    fn read<R>(&self, mut work: impl FnMut(&mut dyn Tx) -> Result<R, StoreError>) -> Result<R, StoreError> {
        self.backend.transaction(false, &mut work)
    }

    fn service_row(tx: &mut dyn Tx, name: &str) -> Result<Option<(i64, ServiceSummary)>, StoreError> {
        let rows =
            tx.query("SELECT id, name, owner, system, repository FROM services WHERE name = ?", &[name.into()])?;
        let Some(row) = rows.into_iter().next() else { return Ok(None) };
        Ok(Some((
            row[0].int(),
            ServiceSummary {
                name: row[1].text(),
                owner: row[2].opt_text(),
                system: row[3].opt_text(),
                repository: row[4].opt_text(),
                last_commit: None,
                last_time: None,
                levels: Vec::new(),
            },
        )))
    }

    /// Newest and previous check levels per service id.
    fn level_trends(tx: &mut dyn Tx, service_id: Option<i64>) -> Result<HashMap<i64, Vec<LevelTrend>>, StoreError> {
        let mut sql = "SELECT service_id, id, rn FROM (SELECT service_id, id, ROW_NUMBER() OVER \
             (PARTITION BY service_id ORDER BY run_time DESC, id DESC) AS rn FROM results WHERE tool = 'check'"
            .to_string();
        let mut params = Vec::new();
        if let Some(id) = service_id {
            sql.push_str(" AND service_id = ?");
            params.push(Value::Int(id));
        }
        sql.push_str(") newest WHERE rn <= 2");
        let picks = tx.query(&sql, &params)?;
        if picks.is_empty() {
            return Ok(HashMap::new());
        }
        let ids: Vec<Value> = picks.iter().map(|r| r[1].clone()).collect();
        let mut by_result: HashMap<i64, Vec<(String, String, i64)>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let rows = tx.query(
                &format!(
                    "SELECT result_id, category, level, rank FROM levels WHERE result_id IN ({})",
                    in_list(chunk.len())
                ),
                chunk,
            )?;
            for row in rows {
                by_result.entry(row[0].int()).or_default().push((row[1].text(), row[2].text(), row[3].int()));
            }
        }
        let mut newest: HashMap<i64, i64> = HashMap::new();
        let mut previous: HashMap<i64, i64> = HashMap::new();
        for pick in &picks {
            let target = if pick[2].int() == 1 { &mut newest } else { &mut previous };
            target.insert(pick[0].int(), pick[1].int());
        }
        let mut out = HashMap::new();
        for (service, result) in newest {
            let before: HashMap<String, i64> = previous
                .get(&service)
                .and_then(|id| by_result.get(id))
                .map(|levels| levels.iter().map(|(c, _, r)| (c.clone(), *r)).collect())
                .unwrap_or_default();
            let mut trends: Vec<LevelTrend> = by_result
                .get(&result)
                .map(|levels| {
                    levels
                        .iter()
                        .map(|(category, level, rank)| {
                            let previous_rank = before.get(category).copied();
                            let trend = match previous_rank {
                                None => "new",
                                Some(p) if p < *rank => "up",
                                Some(p) if p > *rank => "down",
                                Some(_) => "same",
                            };
                            LevelTrend {
                                category: category.clone(),
                                level: level.clone(),
                                rank: *rank,
                                previous_rank,
                                trend: trend.to_string(),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            trends.sort_by(|a, b| a.category.cmp(&b.category));
            out.insert(service, trends);
        }
        Ok(out)
    }

    fn history(tx: &mut dyn Tx, service_id: i64, tool: &str) -> Result<Vec<HistoryPoint>, StoreError> {
        let rows = tx.query(
            "SELECT r.id, r.commit_sha, r.run_time, m.name, m.value FROM results r JOIN metrics m ON m.result_id = r.id \
             WHERE r.service_id = ? AND r.tool = ? ORDER BY r.run_time, r.id",
            &[service_id.into(), tool.into()],
        )?;
        let mut points: Vec<(i64, HistoryPoint)> = Vec::new();
        for row in rows {
            let id = row[0].int();
            if points.last().map(|(last, _)| *last) != Some(id) {
                points.push((id, HistoryPoint { commit: row[1].text(), time: row[2].int(), values: BTreeMap::new() }));
            }
            if let Some((_, point)) = points.last_mut() {
                point.values.insert(row[3].text(), row[4].float());
            }
        }
        Ok(points.into_iter().map(|(_, p)| p).collect())
    }

    fn latest_result_id(tx: &mut dyn Tx, service_id: i64, tool: &str) -> Result<Option<i64>, StoreError> {
        let rows = tx.query(
            "SELECT id FROM results WHERE service_id = ? AND tool = ? ORDER BY run_time DESC, id DESC LIMIT 1",
            &[service_id.into(), tool.into()],
        )?;
        Ok(rows.first().map(|r| r[0].int()))
    }

    fn push_in(
        tx: &mut dyn Tx,
        push: &Push,
        received_at: i64,
        prepared: &[Prepared],
    ) -> Result<PushOutcome, StoreError> {
        let identity = &push.service;
        tx.exec(
            "INSERT INTO services (name, owner, system, repository, created_at) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (name) DO NOTHING",
            &[
                (&identity.name).into(),
                identity.owner.as_ref().into(),
                identity.system.as_ref().into(),
                identity.repository.as_ref().into(),
                received_at.into(),
            ],
        )?;
        tx.exec(
            "UPDATE services SET owner = COALESCE(?, owner), system = COALESCE(?, system), \
             repository = COALESCE(?, repository) WHERE name = ?",
            &[
                identity.owner.as_ref().into(),
                identity.system.as_ref().into(),
                identity.repository.as_ref().into(),
                (&identity.name).into(),
            ],
        )?;
        let service_id = tx
            .query("SELECT id FROM services WHERE name = ?", &[(&identity.name).into()])?
            .first()
            .map(|r| r[0].int())
            .ok_or_else(|| StoreError::Database("service row missing after insert".into()))?;
        let run_time = push.time.unwrap_or(received_at);
        let run_id = tx
            .query(
                "INSERT INTO runs (service_id, commit_sha, run_time, received_at) VALUES (?, ?, ?, ?) RETURNING id",
                &[service_id.into(), (&push.commit).into(), run_time.into(), received_at.into()],
            )?
            .first()
            .map(|r| r[0].int())
            .ok_or_else(|| StoreError::Database("no id returned for the run".into()))?;
        let mut outcome = PushOutcome::default();
        for item in prepared {
            // ON CONFLICT DO NOTHING waits for a concurrent insert of the same
            // key to finish, then sees its row: no duplicate, no error.
            let inserted = tx.query(
                "INSERT INTO results (run_id, service_id, commit_sha, tool, run_time, payload, payload_sha256) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (service_id, commit_sha, tool) DO NOTHING RETURNING id",
                &[
                    run_id.into(),
                    service_id.into(),
                    (&push.commit).into(),
                    (&item.tool).into(),
                    run_time.into(),
                    (&item.payload).into(),
                    (&item.sha256).into(),
                ],
            )?;
            match inserted.first() {
                Some(row) => {
                    let result_id = row[0].int();
                    Self::insert_derived(tx, result_id, &item.derived)?;
                    outcome.stored.push(item.tool.clone());
                }
                None => {
                    let existing = tx.query(
                        "SELECT payload_sha256 FROM results WHERE service_id = ? AND commit_sha = ? AND tool = ?",
                        &[service_id.into(), (&push.commit).into(), (&item.tool).into()],
                    )?;
                    match existing.first() {
                        Some(row) if row[0].text() == item.sha256 => outcome.unchanged.push(item.tool.clone()),
                        _ => outcome.conflicts.push(item.tool.clone()),
                    }
                }
            }
        }
        if !outcome.conflicts.is_empty() {
            return Err(StoreError::Conflict(outcome.conflicts));
        }
        if outcome.stored.is_empty() {
            tx.exec("DELETE FROM runs WHERE id = ?", &[run_id.into()])?;
        } else {
            outcome.run_id = Some(run_id);
        }
        Ok(outcome)
    }

    fn insert_derived(tx: &mut dyn Tx, result_id: i64, derived: &crate::model::Derived) -> Result<(), StoreError> {
        let id = Value::Int(result_id);
        insert_rows(
            tx,
            "levels",
            &["result_id", "category", "level", "rank"],
            derived
                .levels
                .iter()
                .map(|l| vec![id.clone(), (&l.category).into(), (&l.level).into(), l.rank.into()])
                .collect(),
        )?;
        insert_rows(
            tx,
            "findings",
            &["result_id", "code", "rule", "category", "severity", "message", "file", "line"],
            derived
                .findings
                .iter()
                .map(|f| {
                    vec![
                        id.clone(),
                        (&f.code).into(),
                        (&f.rule).into(),
                        (&f.category).into(),
                        (&f.severity).into(),
                        (&f.message).into(),
                        (&f.file).into(),
                        f.line.into(),
                    ]
                })
                .collect(),
        )?;
        insert_rows(
            tx,
            "routes",
            &["result_id", "rule", "methods", "endpoint", "view", "doc", "guards", "file", "line"],
            derived
                .routes
                .iter()
                .map(|r| {
                    vec![
                        id.clone(),
                        (&r.rule).into(),
                        (&r.methods).into(),
                        (&r.endpoint).into(),
                        (&r.view).into(),
                        (&r.doc).into(),
                        (&r.guards).into(),
                        (&r.file).into(),
                        r.line.into(),
                    ]
                })
                .collect(),
        )?;
        insert_rows(
            tx,
            "components",
            &["result_id", "name", "truck_factor", "authors"],
            derived
                .components
                .iter()
                .map(|c| vec![id.clone(), (&c.name).into(), c.truck_factor.into(), (&c.authors).into()])
                .collect(),
        )?;
        insert_rows(
            tx,
            "metrics",
            &["result_id", "name", "value"],
            derived.metrics.iter().map(|(name, value)| vec![id.clone(), name.into(), (*value).into()]).collect(),
        )
    }
}

/// A result ready to insert: canonical text, its hash and derived facts,
/// computed before the transaction opens.
struct Prepared {
    tool: String,
    payload: String,
    sha256: String,
    derived: crate::model::Derived,
}

fn route_from(row: &[Value]) -> RouteRow {
    RouteRow {
        rule: row[0].text(),
        methods: row[1].text(),
        endpoint: row[2].text(),
        view: row[3].text(),
        doc: row[4].text(),
        guards: row[5].text(),
        file: row[6].text(),
        line: row[7].int(),
    }
}

const ROUTE_COLUMNS: &str = "ro.rule, ro.methods, ro.endpoint, ro.view, ro.doc, ro.guards, ro.file, ro.line";

impl<B: Backend> Store for SqlStore<B> {
    fn migrate(&self) -> Result<i64, StoreError> {
        let id_column = self.backend.id_column();
        self.backend.transaction(true, &mut |tx| {
            self.backend.migration_lock(tx)?;
            tx.batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, \
                 applied_at BIGINT NOT NULL)",
            )?;
            let applied: Vec<i64> =
                tx.query("SELECT version FROM schema_migrations", &[])?.iter().map(|r| r[0].int()).collect();
            for (version, name, sql) in MIGRATIONS {
                if applied.contains(version) {
                    continue;
                }
                tx.batch(&sql.replace("{{ID}}", id_column))?;
                tx.exec(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    &[(*version).into(), (*name).into(), crate::now().into()],
                )?;
            }
            Ok(tx.query("SELECT MAX(version) FROM schema_migrations", &[])?.first().map(|r| r[0].int()).unwrap_or(0))
        })
    }

    fn push(&self, push: &Push, received_at: i64) -> Result<PushOutcome, StoreError> {
        let prepared: Vec<Prepared> = push
            .results
            .iter()
            .map(|(tool, doc)| {
                let payload = doc.to_string();
                Prepared {
                    tool: tool.clone(),
                    sha256: sha256_hex(payload.as_bytes()),
                    derived: derive(tool, doc),
                    payload,
                }
            })
            .collect();
        match self.backend.transaction(true, &mut |tx| Self::push_in(tx, push, received_at, &prepared)) {
            Err(StoreError::Conflict(conflicts)) => Ok(PushOutcome { conflicts, ..Default::default() }),
            other => other,
        }
    }

    fn add_token(&self, sha256_hex: &str, label: &str, created_at: i64) -> Result<(), StoreError> {
        self.backend.transaction(true, &mut |tx| {
            tx.exec(
                "INSERT INTO tokens (token_sha256, label, created_at) VALUES (?, ?, ?)",
                &[sha256_hex.into(), label.into(), created_at.into()],
            )
            .map(|_| ())
        })
    }

    fn token_hashes(&self) -> Result<Vec<String>, StoreError> {
        self.read(|tx| Ok(tx.query("SELECT token_sha256 FROM tokens", &[])?.iter().map(|r| r[0].text()).collect()))
    }

    fn services(&self) -> Result<Vec<ServiceSummary>, StoreError> {
        self.read(|tx| {
            let rows = tx.query(
                "SELECT s.id, s.name, s.owner, s.system, s.repository, \
                 (SELECT commit_sha FROM runs WHERE service_id = s.id ORDER BY run_time DESC, id DESC LIMIT 1), \
                 (SELECT MAX(run_time) FROM runs WHERE service_id = s.id) \
                 FROM services s ORDER BY s.name",
                &[],
            )?;
            let mut trends = Self::level_trends(tx, None)?;
            Ok(rows
                .into_iter()
                .map(|row| ServiceSummary {
                    name: row[1].text(),
                    owner: row[2].opt_text(),
                    system: row[3].opt_text(),
                    repository: row[4].opt_text(),
                    last_commit: row[5].opt_text(),
                    last_time: row[6].opt_text().map(|_| row[6].int()),
                    levels: trends.remove(&row[0].int()).unwrap_or_default(),
                })
                .collect())
        })
    }

    fn service(&self, name: &str) -> Result<Option<ServiceDetail>, StoreError> {
        self.read(|tx| {
            let Some((id, mut summary)) = Self::service_row(tx, name)? else { return Ok(None) };
            summary.levels = Self::level_trends(tx, Some(id))?.remove(&id).unwrap_or_default();
            let run_rows = tx.query(
                "SELECT ru.id, ru.commit_sha, ru.run_time, r.tool FROM runs ru JOIN results r ON r.run_id = ru.id \
                 WHERE ru.service_id = ? ORDER BY ru.run_time DESC, ru.id DESC, r.tool",
                &[id.into()],
            )?;
            let mut runs: Vec<RunSummary> = Vec::new();
            for row in run_rows {
                if runs.last().map(|r| r.id) != Some(row[0].int()) {
                    runs.push(RunSummary { id: row[0].int(), commit: row[1].text(), time: row[2].int(), tools: vec![] });
                }
                if let Some(run) = runs.last_mut() {
                    run.tools.push(row[3].text());
                }
            }
            if let Some(run) = runs.first() {
                summary.last_commit = Some(run.commit.clone());
                summary.last_time = Some(run.time);
            }
            let level_rows = tx.query(
                "SELECT r.commit_sha, r.run_time, l.category, l.rank, r.id FROM results r JOIN levels l ON l.result_id = r.id \
                 WHERE r.service_id = ? AND r.tool = 'check' ORDER BY r.run_time, r.id",
                &[id.into()],
            )?;
            let mut scorecards: Vec<(i64, HistoryPoint)> = Vec::new();
            for row in level_rows {
                if scorecards.last().map(|(rid, _)| *rid) != Some(row[4].int()) {
                    scorecards.push((
                        row[4].int(),
                        HistoryPoint { commit: row[0].text(), time: row[1].int(), values: BTreeMap::new() },
                    ));
                }
                if let Some((_, point)) = scorecards.last_mut() {
                    point.values.insert(row[2].text(), row[3].float());
                }
            }
            let routes = match Self::latest_result_id(tx, id, "scan")? {
                Some(result) => tx
                    .query(
                        &format!("SELECT {ROUTE_COLUMNS} FROM routes ro WHERE ro.result_id = ? ORDER BY ro.rule, ro.methods"),
                        &[result.into()],
                    )?
                    .iter()
                    .map(|r| route_from(r))
                    .collect(),
                None => Vec::new(),
            };
            let findings = match Self::latest_result_id(tx, id, "check")? {
                Some(result) => tx
                    .query(
                        "SELECT code, rule, category, severity, message, file, line FROM findings WHERE result_id = ? \
                         ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, file, line",
                        &[result.into()],
                    )?
                    .iter()
                    .map(|r| FindingRow {
                        code: r[0].text(),
                        rule: r[1].text(),
                        category: r[2].text(),
                        severity: r[3].text(),
                        message: r[4].text(),
                        file: r[5].text(),
                        line: r[6].int(),
                    })
                    .collect(),
                None => Vec::new(),
            };
            let mut team_metrics = BTreeMap::new();
            let components = match Self::latest_result_id(tx, id, "team")? {
                Some(result) => {
                    for row in tx.query("SELECT name, value FROM metrics WHERE result_id = ?", &[result.into()])? {
                        team_metrics.insert(row[0].text(), row[1].float());
                    }
                    tx.query(
                        "SELECT name, truck_factor, authors FROM components WHERE result_id = ? ORDER BY truck_factor, name",
                        &[result.into()],
                    )?
                    .iter()
                    .map(|r| ComponentRow { name: r[0].text(), truck_factor: r[1].int(), authors: r[2].text() })
                    .collect()
                }
                None => Vec::new(),
            };
            let mut arch_metrics = BTreeMap::new();
            let mut extraction_plan = Vec::new();
            if let Some(result) = Self::latest_result_id(tx, id, "arch")? {
                for row in tx.query("SELECT name, value FROM metrics WHERE result_id = ?", &[result.into()])? {
                    arch_metrics.insert(row[0].text(), row[1].float());
                }
                let payload = tx.query("SELECT payload FROM results WHERE id = ?", &[result.into()])?;
                if let Some(row) = payload.first() {
                    extraction_plan = crate::model::extraction_plan(&row[0].text());
                }
            }
            Ok(Some(ServiceDetail {
                summary,
                scorecards: scorecards.into_iter().map(|(_, p)| p).collect(),
                check_history: Self::history(tx, id, "check")?,
                load_history: Self::history(tx, id, "load")?,
                slo_history: Self::history(tx, id, "slo")?,
                routes,
                findings,
                components,
                team_metrics,
                arch_metrics,
                extraction_plan,
                runs,
            }))
        })
    }

    fn search_routes(&self, query: &str, limit: usize) -> Result<Vec<RouteHit>, StoreError> {
        let needle = query.trim().to_lowercase();
        if needle.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.read(|tx| {
            tx.query(
                &format!(
                    "SELECT s.name, {ROUTE_COLUMNS} FROM routes ro JOIN results r ON r.id = ro.result_id \
                     JOIN services s ON s.id = r.service_id WHERE r.id IN ({}) ORDER BY s.name, ro.rule",
                    latest_results_sql("'scan'")
                ),
                &[],
            )
        })?;
        let path = needle.split(['?', '#']).next().unwrap_or("").to_string();
        let mut hits: Vec<RouteHit> = rows
            .iter()
            .filter_map(|row| {
                let route = route_from(&row[1..]);
                let matched = if path.starts_with('/') && rule_matches_path(&route.rule.to_lowercase(), &path) {
                    "path"
                } else if route.rule.to_lowercase().contains(&needle) || route.endpoint.to_lowercase().contains(&needle)
                {
                    "text"
                } else {
                    return None;
                };
                Some(RouteHit { service: row[0].text(), route, matched: matched.to_string() })
            })
            .collect();
        // Routes that serve the path first, then by service.
        hits.sort_by(|a, b| (a.matched != "path").cmp(&(b.matched != "path")).then(a.service.cmp(&b.service)));
        hits.truncate(limit);
        Ok(hits)
    }

    fn bus_factor_one(&self) -> Result<Vec<ComponentRisk>, StoreError> {
        self.read(|tx| {
            Ok(tx
                .query(
                    &format!(
                        "SELECT s.name, c.name, c.truck_factor, c.authors FROM components c \
                         JOIN results r ON r.id = c.result_id JOIN services s ON s.id = r.service_id \
                         WHERE c.truck_factor <= 1 AND r.id IN ({}) ORDER BY s.name, c.name",
                        latest_results_sql("'team'")
                    ),
                    &[],
                )?
                .iter()
                .map(|r| ComponentRisk {
                    service: r[0].text(),
                    component: ComponentRow { name: r[1].text(), truck_factor: r[2].int(), authors: r[3].text() },
                })
                .collect())
        })
    }

    fn failing_rules(&self, limit: usize) -> Result<Vec<RuleCount>, StoreError> {
        self.read(|tx| {
            Ok(tx
                .query(
                    &format!(
                        "SELECT f.code, MAX(f.rule), COUNT(DISTINCT r.service_id) AS services, COUNT(*) AS total \
                         FROM findings f JOIN results r ON r.id = f.result_id WHERE r.id IN ({}) \
                         GROUP BY f.code ORDER BY services DESC, total DESC, f.code LIMIT ?",
                        latest_results_sql("'check'")
                    ),
                    &[(limit as i64).into()],
                )?
                .iter()
                .map(|r| RuleCount { code: r[0].text(), rule: r[1].text(), services: r[2].int(), findings: r[3].int() })
                .collect())
        })
    }

    fn latest_payload(&self, service: &str, tool: &str) -> Result<Option<String>, StoreError> {
        self.read(|tx| {
            Ok(tx
                .query(
                    "SELECT r.payload FROM results r JOIN services s ON s.id = r.service_id \
                     WHERE s.name = ? AND r.tool = ? ORDER BY r.run_time DESC, r.id DESC LIMIT 1",
                    &[service.into(), tool.into()],
                )?
                .first()
                .map(|r| r[0].text()))
        })
    }

    fn counts(&self) -> Result<Counts, StoreError> {
        self.read(|tx| {
            let row = tx.query(
                "SELECT (SELECT COUNT(*) FROM services), (SELECT COUNT(*) FROM runs), (SELECT COUNT(*) FROM results), \
                 (SELECT COUNT(*) FROM routes), (SELECT COUNT(*) FROM findings)",
                &[],
            )?;
            let row = row.first().ok_or_else(|| StoreError::Database("no counts".into()))?;
            Ok(Counts {
                services: row[0].int(),
                runs: row[1].int(),
                results: row[2].int(),
                routes: row[3].int(),
                findings: row[4].int(),
            })
        })
    }
}
