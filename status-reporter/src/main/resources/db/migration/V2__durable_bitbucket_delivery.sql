-- What the deployment events say beyond V1 (the ref, the environment's and the target's links, who
-- triggered it), and how reporting the deployment to Bitbucket went: a refusal for good (401, 403,
-- 404...) is kept here with Bitbucket's reason, for the API and the dashboard.
ALTER TABLE deployment
    ADD COLUMN ref_name        TEXT,
    ADD COLUMN environment_url TEXT,
    ADD COLUMN target_url      TEXT,
    ADD COLUMN triggered_by    TEXT,
    ADD COLUMN report_refused_at TIMESTAMPTZ,
    ADD COLUMN report_refusal  TEXT;

-- The durable queue of updates for Bitbucket, written in the transaction that records the state.
-- One row per thing Bitbucket shows (a commit's status of one key, a pull request's comment): a newer
-- update of the same thing replaces the payload and bumps the revision, so only the latest is posted;
-- a row is deleted once the revision Bitbucket accepted is still the latest.
CREATE TABLE bitbucket_delivery (
    id              BIGSERIAL   PRIMARY KEY,
    kind            TEXT        NOT NULL,
    target          TEXT        NOT NULL UNIQUE,
    deployment_id   UUID        NOT NULL,
    provider        TEXT        NOT NULL,
    workspace       TEXT        NOT NULL,
    slug            TEXT        NOT NULL,
    commit_hash     TEXT,
    pull_request_id BIGINT,
    payload         TEXT        NOT NULL,
    revision        INTEGER     NOT NULL DEFAULT 1,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- set while one instance posts the row; a crashed instance's claim runs out
    claimed_until   TIMESTAMPTZ,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX bitbucket_delivery_due ON bitbucket_delivery (next_attempt_at, id);

-- A 429 pauses every update to that Bitbucket installation until Retry-After has passed, for all instances.
CREATE TABLE bitbucket_pause (
    provider TEXT        PRIMARY KEY,
    until    TIMESTAMPTZ NOT NULL,
    reason   TEXT
);
