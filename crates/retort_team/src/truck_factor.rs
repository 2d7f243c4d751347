//! Truck factor by Avelino et al.'s greedy algorithm.
//!
//! Source: Avelino, Passos, Hora, Valente, "A novel approach for
//! estimating truck factors" (ICPC 2016), algorithm 1: authors are ranked
//! by the number of files they author (DOA, see [`crate::doa`]); the top
//! author is removed until fewer than 50 % of the files keep at least one
//! author; the truck factor is the number removed. Ties in the ranking go
//! to the developer whose name sorts first (the paper leaves them open).
//!
//! Recency (not in the paper): developers in `gone` (inactive for the
//! configured period) are removed before the greedy loop and not counted,
//! so the value is the number of *active* departures that stall the code.

use std::collections::{BTreeSet, HashMap};

use retort_history::DevId;

/// The greedy algorithm's result for one set of files.
#[derive(Debug, Clone, PartialEq)]
pub struct TruckFactorResult {
    pub value: usize,
    /// Developers removed, in order.
    pub removed: Vec<DevId>,
    /// Files considered.
    pub files: usize,
    /// Files with at least one author among the developers not in `gone`
    /// (before the greedy loop).
    pub covered_files: usize,
    /// Files whose every author is in `gone`.
    pub orphaned_files: usize,
}

impl TruckFactorResult {
    pub fn coverage(&self) -> f64 {
        if self.files == 0 {
            0.0
        } else {
            self.covered_files as f64 / self.files as f64
        }
    }
}

/// `file_authors[i]` are the authors of file i; `name_of` orders ties.
pub fn truck_factor(
    file_authors: &[&[DevId]],
    gone: &BTreeSet<DevId>,
    name_of: &dyn Fn(DevId) -> String,
    coverage_threshold: f64,
) -> TruckFactorResult {
    let files = file_authors.len();
    let mut authored: HashMap<DevId, usize> = HashMap::new();
    for authors in file_authors {
        for &a in authors.iter().filter(|a| !gone.contains(a)) {
            *authored.entry(a).or_default() += 1;
        }
    }
    let mut ranking: Vec<(DevId, usize, String)> = authored.into_iter().map(|(d, n)| (d, n, name_of(d))).collect();
    ranking.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
    let mut removed_set: BTreeSet<DevId> = gone.clone();
    let covered = |removed: &BTreeSet<DevId>| {
        file_authors.iter().filter(|authors| authors.iter().any(|a| !removed.contains(a))).count()
    };
    let covered_files = covered(&removed_set);
    let orphaned_files =
        file_authors.iter().filter(|authors| !authors.is_empty() && authors.iter().all(|a| gone.contains(a))).count();
    let mut removed = Vec::new();
    let mut now_covered = covered_files;
    for (developer, _, _) in ranking {
        if files == 0 || (now_covered as f64) / (files as f64) < coverage_threshold {
            break;
        }
        removed_set.insert(developer);
        removed.push(developer);
        now_covered = covered(&removed_set);
    }
    TruckFactorResult { value: removed.len(), removed, files, covered_files, orphaned_files }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(files: &[&[u32]], gone: &[u32]) -> TruckFactorResult {
        let owned: Vec<Vec<DevId>> = files.iter().map(|f| f.iter().map(|&d| DevId(d)).collect()).collect();
        let refs: Vec<&[DevId]> = owned.iter().map(|v| v.as_slice()).collect();
        let gone = gone.iter().map(|&d| DevId(d)).collect();
        truck_factor(&refs, &gone, &|d| format!("dev{}", d.0), 0.5)
    }

    #[test]
    fn one_dominant_author_gives_one() {
        let r = run(&[&[0], &[0], &[0], &[1]], &[]);
        assert_eq!((r.value, r.removed.clone()), (1, vec![DevId(0)]));
    }

    #[test]
    fn removal_continues_until_below_half() {
        // Four authors, two files each: removing two leaves 4/8 = 50 %
        // (not below), so a third goes.
        let r = run(&[&[0], &[0], &[1], &[1], &[2], &[2], &[3], &[3]], &[]);
        assert_eq!(r.value, 3);
    }

    #[test]
    fn gone_developers_are_removed_first_and_not_counted() {
        let r = run(&[&[0], &[0], &[0], &[1], &[2]], &[0]);
        assert_eq!(r.value, 0);
        assert_eq!(r.orphaned_files, 3);
        let r = run(&[&[0], &[1], &[1], &[2], &[3]], &[0]);
        assert_eq!(r.removed, vec![DevId(1)]);
    }

    #[test]
    fn no_files_no_truck_factor() {
        assert_eq!(run(&[], &[]).value, 0);
    }
}
