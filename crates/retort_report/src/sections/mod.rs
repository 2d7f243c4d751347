//! One module per section of the page, each a function from its input to
//! markup appended to the page.

pub mod architecture;
pub mod findings;
pub mod load;
pub mod routes;
pub mod rules;
pub mod scorecard;
pub mod slo;
pub mod summary;
pub mod team;
