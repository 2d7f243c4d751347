//! Pure analyses over a [`crate::History`]: one per file, each a function
//! from the change table to a table of results, thresholds as named
//! options with code-maat's defaults where code-maat has them.

pub mod activity;
pub mod authorship;
pub mod churn;
pub mod coupling;

pub use activity::{developer_activity, DeveloperActivity};
pub use authorship::{file_authorship, FileAuthorship};
pub use churn::{churn_by_file, FileChurn};
pub use coupling::{logical_coupling, CoupledPair, CouplingOptions};
