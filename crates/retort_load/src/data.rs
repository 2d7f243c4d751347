//! Data files (CSV) whose columns fill template variables.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::LoadError;

/// How rows of a data set are picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RowOrder {
    /// Rows in file order, wrapping around (shared by all connections).
    #[default]
    Sequential,
    /// A uniformly random row per request.
    Random,
}

/// A CSV file loaded in memory: a header row of variable names and rows.
#[derive(Debug)]
pub struct DataSet {
    /// Where it was read from, for messages.
    pub path: String,
    /// Column names (the first row of the file).
    pub columns: Vec<String>,
    rows: Vec<Vec<String>>,
    order: RowOrder,
    next: AtomicUsize,
}

impl DataSet {
    /// Reads a CSV file with a header row.
    pub fn read(path: &Path, order: RowOrder) -> Result<DataSet, LoadError> {
        let fail = |message: String| LoadError::Data { path: path.display().to_string(), message };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .trim(csv::Trim::All)
            .from_path(path)
            .map_err(|e| fail(e.to_string()))?;
        let columns: Vec<String> =
            reader.headers().map_err(|e| fail(e.to_string()))?.iter().map(str::to_string).collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| fail(e.to_string()))?;
            rows.push(record.iter().map(str::to_string).collect());
        }
        DataSet::from_rows(path.display().to_string(), columns, rows, order)
    }

    /// Builds a data set from rows in memory.
    pub fn from_rows(
        path: String,
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
        order: RowOrder,
    ) -> Result<DataSet, LoadError> {
        if rows.is_empty() {
            return Err(LoadError::Data { path, message: "no data rows after the header".into() });
        }
        Ok(DataSet { path, columns, rows, order, next: AtomicUsize::new(0) })
    }

    /// Index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// Picks the row for the next request.
    pub fn pick_row(&self, rng: &mut fastrand::Rng) -> usize {
        match self.order {
            RowOrder::Sequential => self.next.fetch_add(1, Ordering::Relaxed) % self.rows.len(),
            RowOrder::Random => rng.usize(0..self.rows.len()),
        }
    }

    /// The value of `column` in `row` (empty when the row is short).
    pub fn value(&self, row: usize, column: usize) -> &str {
        self.rows[row].get(column).map(String::as_str).unwrap_or("")
    }
}
