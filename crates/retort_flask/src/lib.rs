//! Flask semantics.
