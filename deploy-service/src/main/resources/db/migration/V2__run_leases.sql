-- A run in progress is held by a lease: the instance working on it (lease_owner, random per
-- process start) renews lease_expires_at while it calls the target. A run whose lease expired lost
-- its worker; recovery takes it over, resuming it from the stored request when the target is
-- idempotent, ending it FAILED ("outcome unknown") otherwise. Lease times are the database's clock.
ALTER TABLE deployment_run
    ADD COLUMN request          TEXT,
    ADD COLUMN lease_owner      TEXT,
    ADD COLUMN lease_expires_at TIMESTAMPTZ;

COMMENT ON COLUMN deployment_run.request IS
    'The DeploymentRequested event as JSON (credential references, never values): what a new owner needs to resume or report the run';

-- Runs left IN_PROGRESS before leases existed stored no request: nobody can resume them or publish
-- their end. Their outcome is unknown; promotion-service''s deadline fails them on its side.
UPDATE deployment_run
SET state = 'FAILED',
    reason = 'outcome unknown: deploy-service stopped during the call',
    finished_at = now()
WHERE state = 'IN_PROGRESS';

DROP INDEX deployment_run_in_progress;
CREATE INDEX deployment_run_lease ON deployment_run (lease_expires_at) WHERE state = 'IN_PROGRESS';
