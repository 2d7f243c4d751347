//! HTTP load engine (placeholder until the load engine lands).
pub mod cli;
