-- The one comment Trunkline keeps on each pull request with a preview: its id (and Data Center's
-- version, which an edit must name), so that every later state edits it in place, also after a restart.
-- create_attempted_at is set before the comment is created: an attempt whose answer was lost (a crash,
-- a timeout) looks for the comment it may have created instead of posting a second one.
CREATE TABLE pull_request_comment (
    provider            TEXT        NOT NULL,
    workspace           TEXT        NOT NULL,
    slug                TEXT        NOT NULL,
    pull_request_id     BIGINT      NOT NULL,
    comment_id          BIGINT,
    comment_version     INTEGER,
    create_attempted_at TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, workspace, slug, pull_request_id)
);
