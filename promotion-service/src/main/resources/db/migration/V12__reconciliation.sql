-- The optional reconciliation of missed webhooks: its interval per repository (null: off), as written and in seconds.
ALTER TABLE repository_config ADD COLUMN reconcile_interval TEXT;
ALTER TABLE repository_config ADD COLUMN reconcile_interval_seconds BIGINT;
CREATE INDEX repository_config_reconcile_idx ON repository_config (provider, workspace, slug)
    WHERE reconcile_interval_seconds IS NOT NULL;

-- One row per repository with reconciliation on: when it last ran, which instance has claimed the run in
-- progress and until when, what it observed (scope: trunk branch, tag pattern, pull requests; a changed scope
-- takes a new baseline), and the run's sequence number (generation), part of the ids of the events it raises.
CREATE TABLE reconcile_state (
    provider      TEXT        NOT NULL,
    workspace     TEXT        NOT NULL,
    slug          TEXT        NOT NULL,
    scope         TEXT,
    generation    BIGINT      NOT NULL DEFAULT 0,
    baseline_at   TIMESTAMPTZ,
    last_run_at   TIMESTAMPTZ,
    last_failure  TEXT,
    claimed_by    UUID,
    claimed_until TIMESTAMPTZ,
    PRIMARY KEY (provider, workspace, slug)
);

-- What the last run saw in Bitbucket: the trunk branch, the release tags, the open pull requests (name: the id);
-- baseline: seen there since the baseline run, so never raised.
CREATE TABLE reconcile_ref (
    provider    TEXT    NOT NULL,
    workspace   TEXT    NOT NULL,
    slug        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('BRANCH', 'TAG', 'PULL_REQUEST')),
    name        TEXT    NOT NULL,
    commit_hash TEXT    NOT NULL,
    baseline    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (provider, workspace, slug, kind, name),
    FOREIGN KEY (provider, workspace, slug) REFERENCES reconcile_state ON DELETE CASCADE
);
