-- The provider is part of every repository key: Bitbucket Cloud's acme/shop and a Data Center project's
-- ACME/shop are different repositories. A configuration stored before takes the provider its deployments
-- came from, else Bitbucket Cloud.
ALTER TABLE repository_config ADD COLUMN provider TEXT;
UPDATE repository_config c SET provider = COALESCE(
    (SELECT d.provider FROM deployment d WHERE d.workspace = c.workspace AND d.slug = c.slug
      ORDER BY d.created_at DESC LIMIT 1),
    'bitbucket-cloud');
ALTER TABLE repository_config ALTER COLUMN provider SET NOT NULL;
ALTER TABLE repository_config DROP CONSTRAINT repository_config_pkey;
ALTER TABLE repository_config ADD PRIMARY KEY (provider, workspace, slug);
CREATE INDEX repository_config_name_idx ON repository_config (workspace, slug);

-- The operator who asked for a deployment by hand (redeploy, rollback); null for deployments the rules planned.
ALTER TABLE deployment ADD COLUMN requested_by TEXT;
-- The operator who approved a deployment that waited for approval.
ALTER TABLE deployment ADD COLUMN approved_by TEXT;
-- Set when an operator cancels a deployment deploy-service already has: it ends CANCELLED, with this
-- reason, once deploy-service reports the end of the run (or the run deadline passes).
ALTER TABLE deployment ADD COLUMN cancel_reason TEXT;

CREATE INDEX deployment_provider_environment_idx ON deployment (provider, workspace, slug, environment, state);

-- An environment held after a rollback: deployments the rules plan wait (QUEUED, "held after rollback")
-- until an operator releases it. At most one hold per environment.
CREATE TABLE environment_hold (
    provider      TEXT        NOT NULL,
    workspace     TEXT        NOT NULL,
    slug          TEXT        NOT NULL,
    environment   TEXT        NOT NULL,
    deployment_id UUID        NOT NULL,
    commit_sha    TEXT        NOT NULL,
    held_by       TEXT        NOT NULL,
    held_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, workspace, slug, environment)
);

-- Every configuration change and operator command: who, when, what, and the configuration before and
-- after with secrets masked. Append-only.
CREATE TABLE audit_entry (
    id            BIGSERIAL   PRIMARY KEY,
    recorded_at   TIMESTAMPTZ NOT NULL,
    subject       TEXT        NOT NULL,
    action        TEXT        NOT NULL,
    provider      TEXT,
    workspace     TEXT,
    slug          TEXT,
    environment   TEXT,
    deployment_id UUID,
    summary       TEXT        NOT NULL,
    before_state  JSONB,
    after_state   JSONB
);

CREATE INDEX audit_entry_repository_idx ON audit_entry (workspace, slug, id);
CREATE INDEX audit_entry_deployment_idx ON audit_entry (deployment_id) WHERE deployment_id IS NOT NULL;
