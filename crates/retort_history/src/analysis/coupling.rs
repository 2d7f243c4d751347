//! Logical (co-change) coupling between files.
//!
//! Source: code-maat's `coupling` analysis (Adam Tornhill,
//! `src/code_maat/analysis/logical_coupling.clj` and `coupling_algos.clj`;
//! "Your Code as a Crime Scene", ch. 8). Change sets larger than
//! `max_changeset_size` files are dropped first; a file's revisions are
//! counted over the remaining change sets; for each pair changed together,
//! degree = shared revisions / mean of the two files' revisions × 100; a
//! pair is kept when the mean revisions ≥ `min_revisions`, the shared
//! revisions ≥ `min_shared_revisions`, the degree ≥ `min_degree` and
//! ⌊degree⌋ ≤ `max_degree`. Defaults are code-maat's. Unlike code-maat,
//! files are identities that survive renames, not path strings.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::{FileId, History};

/// code-maat's thresholds, by their code-maat option names.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CouplingOptions {
    /// `--min-revs`: minimum mean revisions of the pair.
    pub min_revisions: f64,
    /// `--min-shared-revs`.
    pub min_shared_revisions: u32,
    /// `--min-coupling`, percent.
    pub min_degree: f64,
    /// `--max-coupling`, percent.
    pub max_degree: f64,
    /// `--max-changeset-size`: larger commits are ignored.
    pub max_changeset_size: usize,
}

impl Default for CouplingOptions {
    fn default() -> Self {
        CouplingOptions {
            min_revisions: 5.0,
            min_shared_revisions: 5,
            min_degree: 30.0,
            max_degree: 100.0,
            max_changeset_size: 30,
        }
    }
}

/// Two files that change together.
#[derive(Debug, Clone, Serialize)]
pub struct CoupledPair {
    pub a: FileId,
    pub b: FileId,
    /// Newest paths, `a_path < b_path`.
    pub a_path: Arc<str>,
    pub b_path: Arc<str>,
    pub shared_revisions: u32,
    pub revisions_a: u32,
    pub revisions_b: u32,
    /// Shared revisions / mean revisions × 100.
    pub degree: f64,
}

impl CoupledPair {
    pub fn mean_revisions(&self) -> f64 {
        (f64::from(self.revisions_a) + f64::from(self.revisions_b)) / 2.0
    }
}

/// The coupled pairs, highest degree first (then most shared revisions,
/// then paths).
pub fn logical_coupling(history: &History, options: &CouplingOptions) -> Vec<CoupledPair> {
    let mut revisions: HashMap<FileId, u32> = HashMap::new();
    let mut shared: HashMap<(FileId, FileId), u32> = HashMap::new();
    let mut files: Vec<FileId> = Vec::new();
    for (_, changes) in history.changesets() {
        files.clear();
        files.extend(changes.iter().map(|c| c.file));
        files.sort_unstable();
        files.dedup();
        if files.is_empty() || files.len() > options.max_changeset_size {
            continue;
        }
        for &file in &files {
            *revisions.entry(file).or_default() += 1;
        }
        for (i, &a) in files.iter().enumerate() {
            for &b in &files[i + 1..] {
                *shared.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<CoupledPair> = shared
        .into_iter()
        .filter_map(|((a, b), shared_revisions)| {
            let (revisions_a, revisions_b) = (revisions[&a], revisions[&b]);
            let mean = (f64::from(revisions_a) + f64::from(revisions_b)) / 2.0;
            let degree = f64::from(shared_revisions) / mean * 100.0;
            let keep = mean >= options.min_revisions
                && shared_revisions >= options.min_shared_revisions
                && degree >= options.min_degree
                && degree.floor() <= options.max_degree;
            if !keep {
                return None;
            }
            let (pa, pb) = (history.file(a).path.clone(), history.file(b).path.clone());
            let ((a, a_path, revisions_a), (b, b_path, revisions_b)) = if pa <= pb {
                ((a, pa, revisions_a), (b, pb, revisions_b))
            } else {
                ((b, pb, revisions_b), (a, pa, revisions_a))
            };
            Some(CoupledPair { a, b, a_path, b_path, shared_revisions, revisions_a, revisions_b, degree })
        })
        .collect();
    pairs.sort_by(|x, y| {
        y.degree
            .total_cmp(&x.degree)
            .then_with(|| y.shared_revisions.cmp(&x.shared_revisions))
            .then_with(|| x.a_path.cmp(&y.a_path))
            .then_with(|| x.b_path.cmp(&y.b_path))
    });
    pairs
}
