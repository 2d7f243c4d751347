//! The embedded engine: one SQLite file (WAL), created and migrated on
//! first open. Writers take the write lock up front (`BEGIN IMMEDIATE`)
//! and wait for each other through the busy timeout; readers never block.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::ValueRef;

use crate::pool::Pool;
use crate::store::{Backend, Row, StoreError, Tx, Value};

/// Connections kept open; readers and writers share them.
const POOL_SIZE: usize = 8;
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Sqlite {
    path: PathBuf,
    pool: Pool<rusqlite::Connection>,
}

fn db_error(err: rusqlite::Error) -> StoreError {
    StoreError::Database(err.to_string())
}

impl Sqlite {
    /// Opens (creating if needed) the database file at `path`.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let sqlite = Sqlite { path: path.to_path_buf(), pool: Pool::new(POOL_SIZE) };
        // Open one connection now so a bad path fails at start, not at the first request.
        let _ = sqlite.pool.take();
        match sqlite.connect() {
            Ok(conn) => sqlite.pool.give_back(conn),
            Err(err) => {
                sqlite.pool.release_slot();
                return Err(err);
            }
        }
        Ok(sqlite)
    }

    fn connect(&self) -> Result<rusqlite::Connection, StoreError> {
        let conn = rusqlite::Connection::open(&self.path)
            .map_err(|e| StoreError::Open(format!("{}: {e}", self.path.display())))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(db_error)?;
        // WAL: readers do not block the writer; synchronous=FULL: a commit
        // that returned is on disk, so an accepted push survives a power cut.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| StoreError::Open(e.to_string()))?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(db_error)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(db_error)?;
        Ok(conn)
    }
}

struct SqliteTx<'a>(&'a rusqlite::Connection);

fn bind(params: &[Value]) -> Vec<rusqlite::types::Value> {
    params
        .iter()
        .map(|p| match p {
            Value::Int(n) => rusqlite::types::Value::Integer(*n),
            Value::Float(f) => rusqlite::types::Value::Real(*f),
            Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
            Value::Null => rusqlite::types::Value::Null,
        })
        .collect()
}

impl Tx for SqliteTx<'_> {
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let mut statement = self.0.prepare_cached(sql).map_err(db_error)?;
        statement.execute(rusqlite::params_from_iter(bind(params))).map(|n| n as u64).map_err(db_error)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut statement = self.0.prepare_cached(sql).map_err(db_error)?;
        let columns = statement.column_count();
        let mut rows = statement.query(rusqlite::params_from_iter(bind(params))).map_err(db_error)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(db_error)? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match row.get_ref(i).map_err(db_error)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::Int(n),
                    ValueRef::Real(f) => Value::Float(f),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Text(String::from_utf8_lossy(b).into_owned()),
                });
            }
            out.push(values);
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.0.execute_batch(sql).map_err(db_error)
    }
}

impl Backend for Sqlite {
    fn id_column(&self) -> &'static str {
        "INTEGER PRIMARY KEY AUTOINCREMENT"
    }

    fn migration_lock(&self, _tx: &mut dyn Tx) -> Result<(), StoreError> {
        // BEGIN IMMEDIATE already holds the only write lock.
        Ok(())
    }

    fn transaction<R>(
        &self,
        write: bool,
        work: &mut dyn FnMut(&mut dyn Tx) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let conn = match self.pool.take() {
            Some(conn) => conn,
            None => self.connect().inspect_err(|_| self.pool.release_slot())?,
        };
        let result = (|| {
            conn.execute_batch(if write { "BEGIN IMMEDIATE" } else { "BEGIN" }).map_err(db_error)?;
            match work(&mut SqliteTx(&conn)) {
                Ok(value) => {
                    conn.execute_batch("COMMIT").map_err(db_error)?;
                    Ok(value)
                }
                Err(err) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    Err(err)
                }
            }
        })();
        // A connection left inside a transaction (a failed COMMIT) is dropped, not reused.
        if conn.is_autocommit() {
            self.pool.give_back(conn);
        } else {
            let _ = conn.execute_batch("ROLLBACK");
            self.pool.release_slot();
        }
        result
    }
}
