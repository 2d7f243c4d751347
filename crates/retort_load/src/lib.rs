//! `retort load`: an HTTP load engine that knows a Flask service's routes
//! and holds it to SLOs.
//!
//! - [`scenario`]: what to send (TOML scenarios, quick mode, scans) → [`scenario::Plan`];
//! - [`engine`]: closed and open models on per-thread runtimes;
//! - [`cookie`], [`extract`], [`check`]: virtual users' sessions (cookie
//!   jars, values taken from responses) and k6-style checks;
//! - [`metrics`], [`histogram`], [`result`]: per-name HDR histograms and
//!   counters, the JSON result, exact merging;
//! - [`threshold`], [`compare`], [`significance`]: SLO gates, and
//!   regressions between runs that are more than noise;
//! - [`report`], [`html`], [`live`]: what people see.

pub mod check;
pub mod cli;
pub mod compare;
pub mod connection;
pub mod cookie;
pub mod data;
pub mod engine;
pub mod error;
pub mod extract;
pub mod histogram;
pub mod html;
pub mod http1;
pub mod live;
pub mod metrics;
pub mod redirect;
pub mod report;
pub mod request;
pub mod result;
pub mod route;
pub mod scenario;
pub mod schedule;
pub mod significance;
pub mod target;
pub mod template;
pub mod threshold;
pub mod units;

pub use error::LoadError;
pub use tokio_util::sync::CancellationToken;
