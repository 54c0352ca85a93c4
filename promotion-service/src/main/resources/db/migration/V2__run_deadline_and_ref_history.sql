-- When promotion-service gives up on a dispatched deployment that deploy-service has not reported on:
-- set at dispatch and at each state deploy-service reports, cleared when the deployment ends.
ALTER TABLE deployment ADD COLUMN news_deadline TIMESTAMPTZ;

-- Deployments already handed over get the default run deadline (1h) from their latest news, so none
-- left behind by a lost request stays blocking its environment.
UPDATE deployment SET news_deadline = updated_at + INTERVAL '1 hour'
 WHERE dispatched AND state IN ('QUEUED', 'IN_PROGRESS');

CREATE INDEX deployment_news_deadline_idx ON deployment (news_deadline) WHERE news_deadline IS NOT NULL;

-- Where each branch and tag is after the last change applied to it; head_commit is null once deleted.
CREATE TABLE ref_head (
    provider    TEXT        NOT NULL,
    workspace   TEXT        NOT NULL,
    slug        TEXT        NOT NULL,
    ref_type    TEXT        NOT NULL CHECK (ref_type IN ('BRANCH', 'TAG')),
    ref_name    TEXT        NOT NULL,
    head_commit TEXT,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, workspace, slug, ref_type, ref_name)
);

-- Every ref change pushes reported and what became of it: APPLIED (deployments planned), STALE (older
-- than the ref's head) or DUPLICATE (the head already reflects it). Purged after the retention.
CREATE TABLE ref_change (
    id          BIGSERIAL   PRIMARY KEY,
    event_id    UUID        NOT NULL,
    delivery_id TEXT,
    provider    TEXT        NOT NULL,
    workspace   TEXT        NOT NULL,
    slug        TEXT        NOT NULL,
    ref_type    TEXT        NOT NULL CHECK (ref_type IN ('BRANCH', 'TAG')),
    ref_name    TEXT        NOT NULL,
    old_commit  TEXT,
    new_commit  TEXT,
    outcome     TEXT        NOT NULL CHECK (outcome IN ('APPLIED', 'STALE', 'DUPLICATE')),
    reason      TEXT        NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX ref_change_ref_idx ON ref_change (provider, workspace, slug, ref_type, ref_name, id);
CREATE INDEX ref_change_recorded_at_idx ON ref_change (recorded_at);
