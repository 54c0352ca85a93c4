-- Runs a target starts and deploy-service follows (a Bitbucket pipeline, a Pulumi deployment): the run's
-- id at the target is stored as soon as the trigger call answers, so that whoever holds the lease next
-- (this instance after a restart, or another one after a takeover) follows that run instead of starting
-- another. link is the run's page for people (the pipeline's results page, Pulumi's consoleUrl).
ALTER TABLE deployment_run
    ADD COLUMN external_id TEXT,
    ADD COLUMN link        TEXT;

-- A run can end CANCELLED: an operator cancelled it before it started, or while it was followed.
ALTER TABLE deployment_run DROP CONSTRAINT deployment_run_state_check;
ALTER TABLE deployment_run ADD CONSTRAINT deployment_run_state_check
    CHECK (state IN ('IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELLED'));

-- Operators' cancels (DeploymentCancelRequested), one per deployment whatever its run is doing: a request
-- not started yet is not started, a followed run is stopped, a run that ended stays as it ended.
CREATE TABLE deployment_cancel (
    deployment_id UUID        PRIMARY KEY,
    event_id      UUID        NOT NULL,
    requested_by  TEXT,
    reason        TEXT,
    requested_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
