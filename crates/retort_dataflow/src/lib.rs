//! Retort's data-flow engine: follows values from sources (Flask's
//! `request`, URL parameters, form fields, configured sources) through
//! assignments, containers, object attributes, returns, closures and calls
//! of project functions (also across modules, by memoised summaries) to
//! sinks of a kind (`sql`, `command`, `path`, …). What libraries do with
//! data is written as data: one table per library under `models/`
//! (see `docs/dataflow.md`), extended by `[tool.retort.dataflow]`.
//!
//! Clients (the taint rules of `retort check`) ask one question: which
//! values from a source reach sinks of kind K, and by which path.

pub mod config;
mod constants;
mod engine;
pub mod models;
mod regex_check;
pub mod resolve;
pub mod syntax;
mod validator;

pub use config::DataflowConfig;
pub use engine::{
    imports_flask_request, Analysis, CustomSink, Flow, FlowStep, Location, ProjectFacts, Root, SinkArguments,
    MAX_CALL_DEPTH,
};
pub use models::{Confidence, KindSet, ModelError, Models, SinkKind};
