"""Migration 0004: a contract partner's own start and end dates (blank: the contract's)."""


def up(migrator, database):
    # Plain SQL keeps the migration frozen; SQLite and PostgreSQL both accept it. The columns
    # are nullable and left empty: a partner without dates follows the contract's, as every
    # partner did before this migration.
    statements = [
        "ALTER TABLE contract_partner ADD COLUMN starts_on DATE",
        "ALTER TABLE contract_partner ADD COLUMN ends_on DATE",
    ]
    for statement in statements:
        database.execute_sql(statement)
