//! Operational endpoints recognised by their rule: health and readiness
//! probes (`/healthz`, `/-/ready`) and the other endpoints operators poll
//! (`/metrics`, `/version`, `/status`). Shared by `retort check` (a health
//! endpoint exists; probes need no auth or caching) and `retort arch` (a
//! component serving only these has nothing to extract).

/// Last segments of health and readiness probe rules.
const HEALTH_SEGMENTS: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "health-check",
    "_health",
    "ready",
    "readyz",
    "readiness",
    "live",
    "livez",
    "liveness",
    "ping",
    "gtg",
];

/// Other operational endpoints.
const OPERATIONAL_SEGMENTS: &[&str] = &["metrics", "version", "status"];

fn last_segment(rule: &str) -> String {
    rule.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_ascii_lowercase()
}

/// Whether a Flask rule is a health or readiness probe.
pub fn is_health_rule(rule: &str) -> bool {
    HEALTH_SEGMENTS.contains(&last_segment(rule).as_str())
}

/// Whether a Flask rule is a probe or another operational endpoint, with
/// no variable part (`/users/<id>/status` is not).
pub fn is_operational_rule(rule: &str) -> bool {
    !rule.contains('<') && (is_health_rule(rule) || OPERATIONAL_SEGMENTS.contains(&last_segment(rule).as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_and_operational_endpoints() {
        for rule in ["/health", "/healthz/", "/api/v1/ready", "/-/metrics", "/version", "/GTG"] {
            assert!(is_operational_rule(rule), "{rule}");
        }
        assert!(is_health_rule("/readyz") && !is_health_rule("/metrics"));
        for rule in ["/", "/users/<int:id>/status", "/healthy-recipes", "/orders", "/status/<code>"] {
            assert!(!is_operational_rule(rule), "{rule}");
        }
    }
}
