pub mod engine_without_pool_settings;
pub mod n_plus_one_query;
pub mod outbound_call_in_request_handler;
pub mod sleep_in_request_handler;
pub mod unbounded_query;
pub mod uncached_read_endpoint;

use crate::registry::{Check, Registered};
use crate::rules::registered;

/// The rules of this category, in code order.
pub(crate) static REGISTERED: &[Registered] = &[
    registered!(unbounded_query, Check::Expr(m::check)),
    registered!(sleep_in_request_handler, Check::Expr(m::check)),
    registered!(n_plus_one_query, Check::Stmt(m::check)),
    registered!(engine_without_pool_settings, Check::Project(m::check)),
    registered!(uncached_read_endpoint, Check::Project(m::check)),
    registered!(outbound_call_in_request_handler, Check::Expr(m::check)),
];
