pub mod missing_health_endpoint;
pub mod request_without_timeout;
pub mod swallowed_exception;

use crate::registry::{Check, Registered};
use crate::rules::registered;

/// The rules of this category, in code order.
pub(crate) static REGISTERED: &[Registered] = &[
    registered!(request_without_timeout, Check::Expr(m::check)),
    registered!(swallowed_exception, Check::Stmt(m::check)),
    registered!(missing_health_endpoint, Check::Project(m::check)),
];
