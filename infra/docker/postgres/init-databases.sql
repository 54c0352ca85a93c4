-- One database per service; run by the postgres image on its first start (empty data volume).
-- bin/trunkline creates the same databases in its embedded PostgreSQL.
CREATE DATABASE webhook_ingest;
CREATE DATABASE promotion_service;
CREATE DATABASE deploy_service;
CREATE DATABASE status_reporter;
