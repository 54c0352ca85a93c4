-- Where the deployed environment answers (its url template expanded), and who or what caused the deployment
-- (the push's or pull request's actor, or the operator).
ALTER TABLE deployment ADD COLUMN environment_url TEXT;
ALTER TABLE deployment ADD COLUMN triggered_by TEXT;

CREATE INDEX deployment_pull_request_idx ON deployment (provider, workspace, slug, pr_id) WHERE pr_id IS NOT NULL;

-- A pull request's own environment (<configured environment>/pr-<id>): its head commit, when it last got
-- one, when it expires (the environment's ttl after that) and whether it has been closed (merged,
-- declined, deleted, or idle past its ttl), after which it is torn down once.
CREATE TABLE preview (
    provider               TEXT        NOT NULL,
    workspace              TEXT        NOT NULL,
    slug                   TEXT        NOT NULL,
    environment            TEXT        NOT NULL,
    configured_environment TEXT        NOT NULL,
    pull_request_id        BIGINT      NOT NULL,
    source_branch          TEXT,
    head_commit            TEXT        NOT NULL,
    opened_at              TIMESTAMPTZ NOT NULL,
    last_commit_at         TIMESTAMPTZ NOT NULL,
    expires_at             TIMESTAMPTZ,
    closed_at              TIMESTAMPTZ,
    close_reason           TEXT,
    PRIMARY KEY (provider, workspace, slug, environment)
);

CREATE INDEX preview_expires_at_idx ON preview (expires_at) WHERE expires_at IS NOT NULL AND closed_at IS NULL;
