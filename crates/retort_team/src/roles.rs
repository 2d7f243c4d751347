//! Role map and hiring plan: each of the seed's roles gets a need score
//! from evidence lines, each worth documented points (`docs/team.md`),
//! multiplied by the role's configured weight (default 1).
//!
//! Evidence comes from two places only: the capabilities' ownership (no
//! active author, truck factor 1, an expected capability with no files)
//! and the related `retort check` findings (table [`FINDING_ROLES`]).

/// The roles of the seed, in its order.
pub const ROLES: &[(&str, &str)] = &[
    ("tech-lead-architect", "Tech lead / architect"),
    ("senior-flask-backend", "Senior Flask backend engineer"),
    ("sre", "Site reliability engineer"),
    ("qa-automation", "QA automation engineer"),
    ("flask-api-specialist", "Flask API specialist"),
    ("full-stack", "Full-stack Flask + React/Vue developer"),
    ("async-engineer", "Python async/concurrency engineer"),
    ("database-performance", "Database performance engineer"),
];

/// Capability → the roles that cover it.
pub const CAPABILITY_ROLES: &[(&str, &[&str])] = &[
    ("http-api", &["flask-api-specialist", "senior-flask-backend"]),
    ("data", &["database-performance"]),
    ("async-work", &["async-engineer"]),
    ("front-end", &["full-stack"]),
    ("delivery", &["sre"]),
    ("security", &["flask-api-specialist"]),
    ("observability", &["sre"]),
    ("tests", &["qa-automation"]),
];

/// `retort check` rule code → the role whose work it points at.
pub const FINDING_ROLES: &[(&str, &str)] = &[
    ("DEL001", "qa-automation"),
    ("DEL002", "qa-automation"),
    ("DEL008", "qa-automation"),
    ("DEL010", "qa-automation"),
    ("DEL012", "qa-automation"),
    ("REL001", "sre"),
    ("REL003", "sre"),
    ("REL005", "sre"),
    ("REL006", "sre"),
    ("OBS001", "sre"),
    ("OBS002", "sre"),
    ("OBS003", "sre"),
    ("OBS004", "sre"),
    ("OBS005", "sre"),
    ("OBS006", "sre"),
    ("DEL003", "sre"),
    ("DEL005", "sre"),
    ("DEL006", "sre"),
    ("DEL007", "sre"),
    ("PERF001", "database-performance"),
    ("PERF003", "database-performance"),
    ("PERF004", "database-performance"),
    ("PERF005", "database-performance"),
    ("REL007", "database-performance"),
    ("REL008", "async-engineer"),
    ("PERF002", "async-engineer"),
    ("PERF006", "async-engineer"),
    ("SEC003", "flask-api-specialist"),
    ("SEC004", "flask-api-specialist"),
    ("SEC005", "flask-api-specialist"),
    ("SEC007", "flask-api-specialist"),
    ("SEC009", "flask-api-specialist"),
    ("SEC010", "flask-api-specialist"),
    ("SEC011", "flask-api-specialist"),
    ("SEC012", "flask-api-specialist"),
    ("SEC013", "flask-api-specialist"),
    ("SEC015", "flask-api-specialist"),
    ("SEC017", "flask-api-specialist"),
    ("SEC022", "flask-api-specialist"),
    ("REL004", "flask-api-specialist"),
    ("SEC014", "full-stack"),
    ("SEC019", "full-stack"),
    ("SEC001", "senior-flask-backend"),
    ("SEC002", "senior-flask-backend"),
    ("SEC006", "senior-flask-backend"),
    ("SEC008", "senior-flask-backend"),
    ("SEC016", "senior-flask-backend"),
    ("SEC018", "senior-flask-backend"),
    ("SEC020", "senior-flask-backend"),
    ("SEC021", "senior-flask-backend"),
    ("SEC023", "senior-flask-backend"),
    ("REL002", "senior-flask-backend"),
    ("DEL004", "senior-flask-backend"),
    ("DEL011", "senior-flask-backend"),
    ("DEL009", "tech-lead-architect"),
];

/// Points per kind of evidence.
pub mod points {
    /// A capability with files whose authors are all inactive (or none).
    pub const NO_ACTIVE_EXPERT: f64 = 3.0;
    /// A capability whose active truck factor is 1.
    pub const TRUCK_FACTOR_ONE: f64 = 2.0;
    /// Tests or delivery files expected but none found.
    pub const MISSING_CAPABILITY: f64 = 2.0;
    /// Per finding by severity; findings add at most `FINDINGS_CAP` per role.
    pub const ERROR: f64 = 1.0;
    pub const WARNING: f64 = 0.5;
    pub const INFO: f64 = 0.25;
    pub const FINDINGS_CAP: f64 = 5.0;
    /// Repository active truck factor 1 (tech lead), 2 gives half.
    pub const REPOSITORY_TRUCK_FACTOR_ONE: f64 = 3.0;
    /// Per component with active truck factor ≤ 1, at most 3 components.
    pub const COMPONENT_TRUCK_FACTOR_ONE: f64 = 1.0;
}

/// The role covering a finding's rule code, if any.
pub fn role_of_finding(code: &str) -> Option<&'static str> {
    FINDING_ROLES.iter().find(|(c, _)| *c == code).map(|(_, r)| *r)
}
