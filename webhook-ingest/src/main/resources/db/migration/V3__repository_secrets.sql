-- Each repository's own webhook secret, as promotion-service publishes it on the compacted topic
-- trunkline.repository-secrets (see webhook-ingest/README.md): sealed with AES-256-GCM, never in clear
-- text. One row per repository, keyed as the configuration API keys it (workspace/slug, whatever the
-- provider). A row without seal stands for a record that could not be read: deliveries naming that
-- repository are answered 503 until a readable record replaces it.
CREATE TABLE repository_secret (
    workspace   TEXT        NOT NULL,
    slug        TEXT        NOT NULL,
    event_id    UUID,
    -- the event's occurredAt exactly as it was sealed: part of the seal's associated data
    occurred_at TEXT,
    -- the same instant, for ordering: an older record never replaces a newer one
    changed_at  TIMESTAMPTZ NOT NULL,
    algorithm   TEXT,
    key_id      TEXT,
    nonce       TEXT,
    ciphertext  TEXT,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, slug)
);

-- a delivery is matched to its repository's secret whatever the case of the name it gives
CREATE INDEX repository_secret_by_name ON repository_secret (lower(workspace), lower(slug));
