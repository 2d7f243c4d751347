//! Retort's architecture assessment (`retort arch`).
//!
//! One import graph ([`graph::ImportGraph`], built once by
//! [`imports::scan_imports`] with grimp's rules) is queried by every
//! analysis: components ([`components`]), cycles and cycle breakers
//! ([`cycles`]), coupling metrics ([`metrics`]) and boundary contracts
//! ([`contracts`], import-linter's semantics). [`assess`] runs them all
//! and returns the [`report::ArchReport`] that `retort arch` prints.

pub mod assess;
pub mod components;
pub mod config;
pub mod contracts;
pub mod cycles;
pub mod evolution;
pub mod graph;
pub mod imports;
pub mod load;
pub mod ownership;
pub mod plan;
pub mod render;
pub mod report;

pub use assess::{assess, AssessInput};
pub use config::ArchConfig;
pub use load::{LoadRun, MeasuredRoute};
pub use report::ArchReport;
