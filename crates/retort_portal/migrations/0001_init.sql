-- The portal's store. One file per schema version, applied in order by
-- `migrate` inside one transaction; `{{ID}}` becomes the engine's
-- auto-increment primary key (SQLite INTEGER PRIMARY KEY, PostgreSQL
-- identity). Everything else is written once for both engines.

CREATE TABLE services (
    id {{ID}},
    name TEXT NOT NULL UNIQUE,
    owner TEXT,
    system TEXT,
    repository TEXT,
    created_at BIGINT NOT NULL
);

-- One accepted push: the results it stored share it.
CREATE TABLE runs (
    id {{ID}},
    service_id BIGINT NOT NULL REFERENCES services (id),
    commit_sha TEXT NOT NULL,
    run_time BIGINT NOT NULL,
    received_at BIGINT NOT NULL
);

-- One tool's output for one commit of one service: the duplicate policy
-- (docs/portal.md) rests on this uniqueness constraint.
CREATE TABLE results (
    id {{ID}},
    run_id BIGINT NOT NULL REFERENCES runs (id),
    service_id BIGINT NOT NULL REFERENCES services (id),
    commit_sha TEXT NOT NULL,
    tool TEXT NOT NULL,
    run_time BIGINT NOT NULL,
    payload TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    UNIQUE (service_id, commit_sha, tool)
);
CREATE INDEX results_by_service_tool ON results (service_id, tool, run_time);
CREATE INDEX results_by_run ON results (run_id);

-- Facts drawn from the payloads at push time, for the views and search.
CREATE TABLE levels (
    result_id BIGINT NOT NULL REFERENCES results (id),
    category TEXT NOT NULL,
    level TEXT NOT NULL,
    rank BIGINT NOT NULL
);
CREATE INDEX levels_by_result ON levels (result_id);

CREATE TABLE findings (
    result_id BIGINT NOT NULL REFERENCES results (id),
    code TEXT NOT NULL,
    rule TEXT NOT NULL,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    file TEXT NOT NULL,
    line BIGINT NOT NULL
);
CREATE INDEX findings_by_result ON findings (result_id);

CREATE TABLE routes (
    result_id BIGINT NOT NULL REFERENCES results (id),
    rule TEXT NOT NULL,
    methods TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    view TEXT NOT NULL,
    doc TEXT NOT NULL,
    guards TEXT NOT NULL,
    file TEXT NOT NULL,
    line BIGINT NOT NULL
);
CREATE INDEX routes_by_result ON routes (result_id);

CREATE TABLE components (
    result_id BIGINT NOT NULL REFERENCES results (id),
    name TEXT NOT NULL,
    truck_factor BIGINT NOT NULL,
    authors TEXT NOT NULL
);
CREATE INDEX components_by_result ON components (result_id);

CREATE TABLE metrics (
    result_id BIGINT NOT NULL REFERENCES results (id),
    name TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL
);
CREATE INDEX metrics_by_result ON metrics (result_id);

CREATE TABLE tokens (
    id {{ID}},
    token_sha256 TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
