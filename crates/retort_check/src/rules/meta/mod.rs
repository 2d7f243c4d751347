pub mod unused_suppression;

use crate::registry::Registered;

/// Rules the engine itself reports.
pub(crate) static REGISTERED: &[Registered] = &[Registered { rule: &unused_suppression::RULE, checks: &[] }];
