-- The result of a deployment's verify checks (post-deploy http polls and Postman collections) as the latest
-- state event carrying one said it: JSON of io.trunkline.events.VerificationResult. Null without checks.
ALTER TABLE deployment ADD COLUMN verification TEXT;
