-- Redelivery semantics (see webhook-ingest/README.md).
--
-- A delivery is recognised by Bitbucket's delivery id (X-Request-UUID on Cloud, X-Request-Id on
-- Data Center), forever: one row per delivery answered 202, with the event id it was answered with.
CREATE TABLE webhook_delivery (
    provider    TEXT        NOT NULL,
    delivery_id TEXT        NOT NULL,
    event_id    UUID        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, delivery_id)
);

-- The deliveries accepted before this version keep their answer (all of them came from Bitbucket Cloud).
INSERT INTO webhook_delivery (provider, delivery_id, event_id, received_at)
SELECT 'bitbucket-cloud', delivery_id, event_id, received_at FROM received_event
WHERE delivery_id IS NOT NULL
ON CONFLICT DO NOTHING;

-- Its ids were derived from the change and kept forever, which swallowed repeated real changes.
DROP TABLE received_event;

-- Per ref, the latest change a delivery claimed: the same change reported again (a second webhook
-- of the repository) within trunkline.webhook.dedupe-window is a duplicate. published is false
-- while the claiming delivery waits for the broker. Rows older than the window are purged.
CREATE TABLE ref_change (
    provider   TEXT        NOT NULL,
    repository TEXT        NOT NULL,
    ref_type   TEXT        NOT NULL,
    ref_name   TEXT        NOT NULL,
    old_commit TEXT,
    new_commit TEXT,
    event_id   UUID        NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL,
    published  BOOLEAN     NOT NULL,
    PRIMARY KEY (provider, repository, ref_type, ref_name)
);

CREATE INDEX ref_change_claimed_at ON ref_change (claimed_at);
