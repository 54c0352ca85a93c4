-- One row per deployment deploy-service has started: the row is claimed before the target is
-- called, so a redelivered request finds it and calls nothing. A row left IN_PROGRESS means the
-- process stopped between the call and recording its outcome (see README, "At most once").
CREATE TABLE deployment_run (
    deployment_id UUID        PRIMARY KEY,
    event_id      UUID        NOT NULL,
    state         TEXT        NOT NULL CHECK (state IN ('IN_PROGRESS', 'SUCCEEDED', 'FAILED')),
    attempts      INTEGER     NOT NULL DEFAULT 0,
    reason        TEXT,
    started_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ
);

CREATE INDEX deployment_run_in_progress ON deployment_run (started_at) WHERE state = 'IN_PROGRESS';
