-- The roles the caller's token granted (with those they include), space-separated, for each audit entry
ALTER TABLE audit_entry ADD COLUMN roles TEXT NOT NULL DEFAULT '';
