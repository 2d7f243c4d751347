//! Fingerprints that survive unrelated edits, and baselines built on them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::finding::{Finding, Report};

/// `sha256(code, file, source line without whitespace)` (16 hex digits) and
/// an occurrence index among identical ones: moving code up or down a file
/// keeps the fingerprint; editing the flagged line changes it.
pub fn fingerprint(code: &str, file: &str, snippet: &str) -> String {
    let normalised: String = snippet.chars().filter(|c| !c.is_whitespace()).collect();
    let mut hasher = Sha256::new();
    hasher.update(code.as_bytes());
    hasher.update([0]);
    hasher.update(file.as_bytes());
    hasher.update([0]);
    hasher.update(normalised.as_bytes());
    let digest = hasher.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Gives each finding its fingerprint. `snippet` returns the flagged
/// source line (or the message for project-level findings). Findings must
/// be sorted so that occurrence indices follow source order.
pub(crate) fn assign(findings: &mut [Finding], mut snippet: impl FnMut(&Finding) -> String) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for finding in findings {
        let base = fingerprint(&finding.code, &finding.file, &snippet(finding));
        let n = seen.entry(base.clone()).or_insert(0);
        finding.fingerprint = format!("{base}:{n}");
        *n += 1;
    }
}

/// Why a baseline could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a Retort baseline: {source}")]
    Parse { path: PathBuf, source: serde_json::Error },
}

/// Known findings, by fingerprint (`retort check --baseline FILE`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

/// One known finding; code, file and message are kept for humans reading diffs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub code: String,
    pub file: String,
    pub message: String,
}

impl Baseline {
    /// The baseline of every finding of `report`.
    pub fn from_report(report: &Report) -> Baseline {
        Baseline {
            version: 1,
            findings: report
                .findings
                .iter()
                .map(|f| BaselineEntry {
                    fingerprint: f.fingerprint.clone(),
                    code: f.code.clone(),
                    file: f.file.clone(),
                    message: f.message.clone(),
                })
                .collect(),
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| BaselineError::Read { path: path.to_path_buf(), source })?;
        serde_json::from_str(&text).map_err(|source| BaselineError::Parse { path: path.to_path_buf(), source })
    }

    pub fn save(&self, path: &Path) -> Result<(), BaselineError> {
        let mut text = serde_json::to_string_pretty(self).expect("baseline serialises");
        text.push('\n');
        std::fs::write(path, text).map_err(|source| BaselineError::Write { path: path.to_path_buf(), source })
    }

    /// `report` without the findings this baseline knows (counted in `baselined`).
    pub fn filter(&self, mut report: Report) -> Report {
        let known: HashSet<(&str, &str)> =
            self.findings.iter().map(|e| (e.fingerprint.as_str(), e.file.as_str())).collect();
        let before = report.findings.len();
        report.findings.retain(|f| !known.contains(&(f.fingerprint.as_str(), f.file.as_str())));
        report.baselined += before - report.findings.len();
        report
    }
}
