"""Migration 0003: indexes for long histories and papers due; redundant ones dropped."""


def up(migrator, database):
    # Plain SQL keeps the migration frozen; SQLite and PostgreSQL both accept it. Each index
    # leads with the columns the queries test for equality (contract, live rows), so SQLite,
    # which keeps no statistics, prefers it to the single-column archived_at indexes.
    statements = [
        # a contract's live returns by month, values included: the sums, months and sparklines
        # of the performance view and dashboard read this index alone, and a month's returns
        # (the grid, the missing returns) are found by contract and month
        "CREATE INDEX IF NOT EXISTS monthly_return_contract_months ON monthly_return "
        "(contract_id, archived_at, period, metric_id, partner_id, value)",
        # the same by metric and partner: the sums to date per partner and metric need no
        # sorting (with only the index above, SQLite sorts every return of the history)
        "CREATE INDEX IF NOT EXISTS monthly_return_contract_figures ON monthly_return "
        "(contract_id, archived_at, metric_id, partner_id, period, value)",
        # the target of each return's month, found without reading the table
        "CREATE INDEX IF NOT EXISTS target_partner_id_metric_id_period_archived_at_value "
        "ON target (partner_id, metric_id, period, archived_at, value)",
        # which metrics each contract has targets for
        "CREATE INDEX IF NOT EXISTS target_contract_id_archived_at_metric_id "
        "ON target (contract_id, archived_at, metric_id)",
        # live papers by expiry: the dashboard's expired and expiring counts
        "CREATE INDEX IF NOT EXISTS compliance_item_archived_at_expires_on "
        "ON compliance_item (archived_at, expires_on)",
        # audit_log_record_uuid_at answers every look-up by record; the index on the uuid alone
        # only slowed each write of the log (an import writes a row per field it sets)
        "DROP INDEX IF EXISTS audit_log_record_uuid",
        # likewise the returns' own contract and partner indexes: others lead with those columns,
        # and an import of thousands of returns writes every index
        "DROP INDEX IF EXISTS monthly_return_contract_id",
        "DROP INDEX IF EXISTS monthly_return_partner_id",
    ]
    for statement in statements:
        database.execute_sql(statement)
