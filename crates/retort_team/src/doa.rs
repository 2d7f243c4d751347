//! Degree of authorship per file.
//!
//! Source: Fritz et al., "A degree-of-knowledge model to capture source
//! code familiarity" (ICSE 2010), in the form used by Avelino et al., "A
//! novel approach for estimating truck factors" (ICPC 2016):
//! `DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)`, FA = 1 for the
//! developer who created the file, DL = the developer's commits to it, AC =
//! the commits by everyone else. A developer is an *author* of the file
//! when the DOA normalised by the file's highest DOA is above
//! `normalized_threshold` (0.75) and the DOA is at least
//! `absolute_threshold` (3.293). Files are `retort_history` identities, so
//! renames are followed; identities are merged and bots dropped there.

use retort_history::analysis::FileAuthorship;
use retort_history::DevId;
use serde::{Deserialize, Serialize};

/// The thresholds of Avelino et al.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, rename_all = "kebab-case")]
pub struct DoaOptions {
    /// Normalised DOA strictly above this makes an author (Avelino: 0.75).
    pub normalized_threshold: f64,
    /// DOA at least this makes an author (Avelino: 3.293, a creator with no
    /// later changes by others scores 4.391; one commit alone 3.457).
    pub absolute_threshold: f64,
}

impl Default for DoaOptions {
    fn default() -> Self {
        DoaOptions { normalized_threshold: 0.75, absolute_threshold: 3.293 }
    }
}

/// Fritz et al.'s degree of authorship.
pub fn degree_of_authorship(first_authorship: bool, deliveries: u32, acceptances: u32) -> f64 {
    3.293 + 1.098 * f64::from(u8::from(first_authorship)) + 0.164 * f64::from(deliveries)
        - 0.321 * (1.0 + f64::from(acceptances)).ln()
}

/// One developer's DOA on one file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeveloperDoa {
    pub developer: DevId,
    pub doa: f64,
    pub normalized: f64,
    pub author: bool,
}

/// Every developer who changed the file (or created it), highest DOA
/// first, then developer id.
pub fn file_doa(file: &FileAuthorship, options: &DoaOptions) -> Vec<DeveloperDoa> {
    let mut developers: Vec<DevId> = file.changes_by.iter().map(|(d, _)| *d).collect();
    if let Some(creator) = file.creator {
        if !developers.contains(&creator) {
            developers.push(creator);
        }
    }
    let mut rows: Vec<DeveloperDoa> = developers
        .into_iter()
        .map(|developer| {
            let dl = file.changes_of(developer);
            let ac = file.total_changes - dl;
            let doa = degree_of_authorship(file.creator == Some(developer), dl, ac);
            DeveloperDoa { developer, doa, normalized: 0.0, author: false }
        })
        .collect();
    let max = rows.iter().map(|r| r.doa).fold(f64::NEG_INFINITY, f64::max);
    for row in &mut rows {
        row.normalized = if max > 0.0 { row.doa / max } else { 0.0 };
        row.author = row.normalized > options.normalized_threshold && row.doa >= options.absolute_threshold;
    }
    rows.sort_by(|a, b| b.doa.total_cmp(&a.doa).then(a.developer.cmp(&b.developer)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn file(creator: Option<u32>, changes: &[(u32, u32)]) -> FileAuthorship {
        FileAuthorship {
            file: retort_history::FileId(0),
            path: Arc::from("a.py"),
            creator: creator.map(DevId),
            changes_by: changes.iter().map(|&(d, n)| (DevId(d), n)).collect(),
            total_changes: changes.iter().map(|(_, n)| n).sum(),
        }
    }

    #[test]
    fn formula_matches_the_published_coefficients() {
        // Creator with one commit and no others: 3.293 + 1.098 + 0.164.
        assert!((degree_of_authorship(true, 1, 0) - 4.555).abs() < 1e-9);
        // 10 commits, others 3: 3.293 + 1.64 - 0.321 ln 4.
        let expected = 3.293 + 1.64 - 0.321 * 4f64.ln();
        assert!((degree_of_authorship(false, 10, 3) - expected).abs() < 1e-12);
    }

    #[test]
    fn authors_need_both_thresholds() {
        // Creator 0 (1 commit), developer 1 with 20 commits.
        let rows = file_doa(&file(Some(0), &[(0, 1), (1, 20)]), &DoaOptions::default());
        assert_eq!(rows[0].developer, DevId(1));
        assert!(rows[0].author);
        // 0: 3.293 + 1.098 + 0.164 - 0.321 ln 21 = 3.578; 1: 3.293 + 3.28 - 0.321 ln 2 = 6.35.
        assert!(!rows[1].author, "{rows:?}");
        // One-commit developer among many: DOA below 3.293, no author at all.
        let rows = file_doa(&file(None, &[(0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1)]), &DoaOptions::default());
        assert!(rows.iter().all(|r| !r.author), "{rows:?}");
    }
}
