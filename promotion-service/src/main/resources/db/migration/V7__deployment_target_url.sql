-- The page of the run deploy-service's target started (a Bitbucket pipeline's, a Pulumi deployment's console),
-- as deploy-service reported it; carried on the states this service publishes about the deployment.
ALTER TABLE deployment ADD COLUMN target_url TEXT;
