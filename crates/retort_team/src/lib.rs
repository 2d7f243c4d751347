//! `retort team`: who knows which part of a Flask service, from its git
//! history and its code. Degree of authorship per file, truck factor with
//! recency, CODEOWNERS against the evidence, capabilities and roles.
//! Definitions, sources and limits: `docs/team.md`.

pub mod capabilities;
pub mod codeowners;
pub mod components;
pub mod config;
pub mod doa;
pub mod facts;
pub mod onboarding;
pub mod pattern;
pub mod render;
pub mod report;
pub mod roles;
pub mod surviving_lines;
pub mod truck_factor;

pub use config::TeamConfig;
pub use facts::CatalogFacts;
pub use report::{build_report, FindingFact, ReportOptions, TeamReport};
