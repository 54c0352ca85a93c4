-- The read model of deployments, built from trunkline.deployment-status: what the ops API and the
-- dashboard show. One row per deployment with its current state ...
CREATE TABLE deployment (
    id              UUID        PRIMARY KEY,
    provider        TEXT        NOT NULL,
    workspace       TEXT        NOT NULL,
    slug            TEXT        NOT NULL,
    environment     TEXT        NOT NULL,
    commit_hash     TEXT,
    operation       TEXT        NOT NULL,
    pull_request_id BIGINT,
    state           TEXT        NOT NULL,
    reason          TEXT,
    -- when the first and the latest applied state were entered (the events' times)
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX deployment_by_environment ON deployment (provider, workspace, slug, environment, created_at DESC);
CREATE INDEX deployment_by_state ON deployment (state, created_at DESC);

-- ... and its timeline: one row per state event, in the order the events happened.
CREATE TABLE deployment_event (
    event_id      UUID        PRIMARY KEY,
    deployment_id UUID        NOT NULL REFERENCES deployment (id),
    state         TEXT        NOT NULL,
    reason        TEXT,
    occurred_at   TIMESTAMPTZ NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX deployment_event_by_deployment ON deployment_event (deployment_id, occurred_at);
