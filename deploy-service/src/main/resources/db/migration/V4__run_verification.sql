-- The result of a deployment's verify checks (post-deploy http polls and Postman collections), as the JSON
-- deploy-service publishes on the deployment's states: each check's outcome and, for a collection, newman's
-- summary. Null for runs without checks, and until they ran.
ALTER TABLE deployment_run ADD COLUMN verification TEXT;
