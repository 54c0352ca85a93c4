-- Configuration is data behind the API, one row per repository. The webhook secret is write-only.
CREATE TABLE repository_config (
    workspace           TEXT        NOT NULL,
    slug                TEXT        NOT NULL,
    trunk_branch        TEXT        NOT NULL,
    release_tag_pattern TEXT        NOT NULL,
    preview_forks       BOOLEAN     NOT NULL DEFAULT false,
    webhook_secret      TEXT,
    environments        JSONB       NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, slug)
);

CREATE TABLE deployment (
    id           UUID        PRIMARY KEY,
    provider     TEXT        NOT NULL,
    workspace    TEXT        NOT NULL,
    slug         TEXT        NOT NULL,
    environment  TEXT        NOT NULL,
    operation    TEXT        NOT NULL,
    commit_sha   TEXT        NOT NULL,
    branch       TEXT,
    tag          TEXT,
    pr_id        BIGINT,
    state        TEXT        NOT NULL,
    reason       TEXT,
    -- true once the deploy request is in the outbox: at most one dispatched, unfinished deployment per environment
    dispatched   BOOLEAN     NOT NULL DEFAULT false,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX deployment_environment_idx ON deployment (workspace, slug, environment, created_at);
CREATE INDEX deployment_commit_idx ON deployment (workspace, slug, commit_sha);
