"""Storage: the plan file, its schema, backups and the audit log. The ORM never leaves this package."""
