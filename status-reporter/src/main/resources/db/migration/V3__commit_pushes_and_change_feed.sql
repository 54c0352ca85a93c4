-- When each commit was first pushed to its repository (from trunkline.scm-events): where the lead time
-- for changes starts. A commit seen again (a tag on it, a branch moved back) keeps its first push.
CREATE TABLE commit_push (
    provider    TEXT        NOT NULL,
    workspace   TEXT        NOT NULL,
    slug        TEXT        NOT NULL,
    commit_hash TEXT        NOT NULL,
    pushed_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, workspace, slug, commit_hash)
);

-- The DORA queries look deployments up by repository, environment and finish time.
CREATE INDEX deployment_by_repository_environment ON deployment (workspace, slug, environment, updated_at);
CREATE INDEX deployment_by_commit ON deployment (provider, workspace, slug, commit_hash, created_at);
