//! Which project function a call reaches: the resolution lives in the
//! data-flow engine ([`retort_dataflow::resolve`]), shared with the rules.

pub use retort_dataflow::resolve::{resolve_class, resolve_function};
