-- Webhook secrets are kept sealed: AES-256-GCM under TRUNKLINE_SECRETS_KEY (events' SecretSealing), bound
-- to the row's workspace, slug and webhook_secret_sealed_at (the instant as text, exactly as sealed).
-- Rows written before this version hold the secret in clear. SQL cannot seal them (the key is not the
-- database's), so their column is renamed and promotion-service seals and clears them at its next start
-- (WebhookSecrets), publishing each to trunkline.repository-secrets in the same transaction.
ALTER TABLE repository_config RENAME COLUMN webhook_secret TO webhook_secret_plain;

ALTER TABLE repository_config
    ADD COLUMN webhook_secret_algorithm  TEXT,
    ADD COLUMN webhook_secret_key_id     TEXT,
    ADD COLUMN webhook_secret_nonce      TEXT,
    ADD COLUMN webhook_secret_ciphertext TEXT,
    ADD COLUMN webhook_secret_sealed_at  TEXT;
