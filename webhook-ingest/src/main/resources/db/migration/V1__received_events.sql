-- One row per accepted change: a delivery Bitbucket retries (same X-Request-UUID, or the same
-- change through another hook) finds its row and is answered without publishing again.
CREATE TABLE received_event (
    event_id    UUID        PRIMARY KEY,
    delivery_id TEXT,
    event_type  TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
