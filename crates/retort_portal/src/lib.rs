//! The portal: `retort serve` (web pages and a JSON API over every
//! service's results, over time) and `retort push` (upload results), with
//! one store on SQLite (embedded default) or PostgreSQL (an organisation).

pub mod backstage;
pub mod cli;
pub mod client;
pub mod html;
pub mod model;
pub mod pages;
pub mod pg;
pub mod pool;
pub mod server;
pub mod sqlite;
pub mod store;
pub mod svg;
pub mod token;

use std::sync::Arc;

pub use model::{Push, PushOutcome, ServiceIdentity};
pub use store::{Store, StoreError};

/// Unix seconds now.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Opens and migrates the store a database URL names: `postgres://…` or
/// `postgresql://…` for PostgreSQL, `sqlite:PATH`, `sqlite://PATH` or a
/// plain file path for SQLite.
pub fn open_store(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    let store: Arc<dyn Store> = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Arc::new(store::SqlStore::new(pg::Postgres::open(url)?))
    } else {
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if path.is_empty() || path.contains("://") {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        }
        Arc::new(store::SqlStore::new(sqlite::Sqlite::open(std::path::Path::new(path))?))
    };
    store.migrate()?;
    Ok(store)
}
