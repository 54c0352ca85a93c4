-- A deployment waiting for a soak to end or a freeze window to close is looked at again from this time.
ALTER TABLE deployment ADD COLUMN not_before TIMESTAMPTZ;
-- Set when an operator let the deployment through freeze windows, with who and why.
ALTER TABLE deployment ADD COLUMN freeze_override TEXT;

CREATE INDEX deployment_not_before_idx ON deployment (not_before) WHERE not_before IS NOT NULL;
