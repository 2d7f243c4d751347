//! `retort slo`: SLO specs (OpenSLO v1 and a native TOML form), SLIs and
//! error budgets from access logs, multiwindow burn-rate alert back-tests,
//! and the equivalent Prometheus rules.
//!
//! Routes come in as data ([`routes::RouteRule`]); this crate knows
//! nothing of how they were found.

pub mod error;
pub mod spec;
pub mod units;
pub mod windows;

pub use error::SloError;
pub use spec::{Budgeting, Indicator, Objective, Scope, Spec};
pub mod accesslog;
pub mod cli;
pub mod render;
pub mod report;
pub mod routes;
pub mod rules;
pub mod time;
