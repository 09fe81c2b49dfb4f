"""Migration 0002: indexes for a record's history and for lists of contacts and papers."""


def up(migrator, database):
    # written as plain SQL so the migration stays frozen; both SQLite and PostgreSQL accept it
    statements = [
        "CREATE INDEX IF NOT EXISTS audit_log_record_uuid_at ON audit_log (record_uuid, at)",
        "CREATE INDEX IF NOT EXISTS contact_organisation_id_archived_at "
        "ON contact (organisation_id, archived_at)",
        "CREATE INDEX IF NOT EXISTS compliance_item_organisation_id_kind "
        "ON compliance_item (organisation_id, kind)",
    ]
    for statement in statements:
        database.execute_sql(statement)
