"""Migration 0009, for hubs of 100,000 organisations and ten years of returns: returns summed per
partner and metric, kept by the database; indexes for the members filter and the counts.

The performance view, the dashboard and the packs judge every figure "to date": the sum of a
partner's live returns of a metric, the sum of the targets of the months returned, how many
months and the latest. Summed from the returns on each reading, that is every return of the
history (1.2 million on a hub of 2,000 providers with ten years); kept here, a reading is one
row per partner and metric. Triggers keep the row right whoever writes a return or a target
(the returns grid, an import, a correction, an archive or restore, another desk), in the same
transaction as the write; the sums start from the returns already there.

The members filter reads the live organisations in name order until a page of them hold the
words typed: with the folded search text in the index beside the name, that reading never
leaves the index (a word that is common stops within the first rows, one that is rare reads the
index through, 100,000 names in a few milliseconds).
"""

from peewee import PostgresqlDatabase

TABLE = (
    "CREATE TABLE return_total ("
    "contract_id INTEGER NOT NULL, partner_id INTEGER NOT NULL, metric_id INTEGER NOT NULL, "
    "value_sum BIGINT NOT NULL, target_sum BIGINT NOT NULL, months INTEGER NOT NULL, "
    "last_period VARCHAR(7), PRIMARY KEY (contract_id, partner_id, metric_id))"
)

RETURN_TOTALS_FILL = (
    "INSERT INTO return_total (contract_id, partner_id, metric_id, value_sum, target_sum, months,"
    " last_period) "
    "SELECT r.contract_id, r.partner_id, r.metric_id, SUM(r.value), SUM(COALESCE(t.value, 0)), "
    "COUNT(*), MAX(r.period) FROM monthly_return r LEFT JOIN target t "
    "ON t.partner_id = r.partner_id AND t.metric_id = r.metric_id AND t.period = r.period "
    "AND t.archived_at IS NULL "
    "WHERE r.archived_at IS NULL GROUP BY r.contract_id, r.partner_id, r.metric_id"
)


def _target_of(row: str) -> str:
    """The live target of the return `row` (OLD or NEW): a return's month counts its target."""
    return (
        f"COALESCE((SELECT value FROM target WHERE partner_id = {row}.partner_id "
        f"AND metric_id = {row}.metric_id AND period = {row}.period "
        f"AND archived_at IS NULL), 0)"
    )


def _key(row: str) -> str:
    return (
        f"contract_id = {row}.contract_id AND partner_id = {row}.partner_id "
        f"AND metric_id = {row}.metric_id"
    )


def _add_return(row: str, insert_if_missing: str) -> list[str]:
    return [
        insert_if_missing.format(row=row),
        f"UPDATE return_total SET value_sum = value_sum + {row}.value, "
        f"target_sum = target_sum + {_target_of(row)}, months = months + 1, "
        f"last_period = CASE WHEN last_period IS NULL OR {row}.period > last_period "
        f"THEN {row}.period ELSE last_period END WHERE {_key(row)}",
    ]


def _remove_return(row: str) -> list[str]:
    # the latest month is read again from the returns left (by the unique partner, metric and
    # period index: one partner's months of one metric)
    return [
        f"UPDATE return_total SET value_sum = value_sum - {row}.value, "
        f"target_sum = target_sum - {_target_of(row)}, months = months - 1, "
        f"last_period = (SELECT MAX(period) FROM monthly_return WHERE "
        f"partner_id = {row}.partner_id AND metric_id = {row}.metric_id "
        f"AND contract_id = {row}.contract_id AND archived_at IS NULL) WHERE {_key(row)}",
        f"DELETE FROM return_total WHERE {_key(row)} AND months <= 0",
    ]


def _change_target(row: str, sign: str) -> str:
    """A live target added (+) or taken away (-): it counts if its month has a live return."""
    return (
        f"UPDATE return_total SET target_sum = target_sum {sign} {row}.value "
        f"WHERE partner_id = {row}.partner_id AND metric_id = {row}.metric_id "
        f"AND contract_id = (SELECT contract_id FROM monthly_return WHERE "
        f"partner_id = {row}.partner_id AND metric_id = {row}.metric_id "
        f"AND period = {row}.period AND archived_at IS NULL)"
    )


SQLITE_INSERT_IF_MISSING = (
    "INSERT OR IGNORE INTO return_total VALUES "
    "({row}.contract_id, {row}.partner_id, {row}.metric_id, 0, 0, 0, NULL)"
)
POSTGRES_INSERT_IF_MISSING = (
    "INSERT INTO return_total VALUES "
    "({row}.contract_id, {row}.partner_id, {row}.metric_id, 0, 0, 0, NULL) "
    "ON CONFLICT DO NOTHING"
)


def _sqlite_trigger(name: str, event: str, table: str, when: str, body: list[str]) -> str:
    statements = "; ".join(body)
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW WHEN {when} "
        f"BEGIN {statements}; END"
    )


def sqlite_statements() -> list[str]:
    live_new, live_old = "NEW.archived_at IS NULL", "OLD.archived_at IS NULL"
    return [
        # an update is the old row taken away and the new one added, each if it was live
        _sqlite_trigger("return_total_insert", "INSERT", "monthly_return", live_new,
                        _add_return("NEW", SQLITE_INSERT_IF_MISSING)),
        _sqlite_trigger("return_total_delete", "DELETE", "monthly_return", live_old,
                        _remove_return("OLD")),
        _sqlite_trigger("return_total_update_old", "UPDATE", "monthly_return", live_old,
                        _remove_return("OLD")),
        _sqlite_trigger("return_total_update_new", "UPDATE", "monthly_return", live_new,
                        _add_return("NEW", SQLITE_INSERT_IF_MISSING)),
        _sqlite_trigger("return_total_target_insert", "INSERT", "target", live_new,
                        [_change_target("NEW", "+")]),
        _sqlite_trigger("return_total_target_delete", "DELETE", "target", live_old,
                        [_change_target("OLD", "-")]),
        _sqlite_trigger("return_total_target_update_old", "UPDATE", "target", live_old,
                        [_change_target("OLD", "-")]),
        _sqlite_trigger("return_total_target_update_new", "UPDATE", "target", live_new,
                        [_change_target("NEW", "+")]),
    ]  # fmt: skip


def postgres_statements() -> list[str]:
    def block(condition: str, body: list[str]) -> str:
        return f"IF {condition} THEN {'; '.join(body)}; END IF;"

    returns = (
        "CREATE OR REPLACE FUNCTION return_total_of_return() RETURNS trigger AS $$ BEGIN "
        + block("TG_OP IN ('DELETE', 'UPDATE') AND OLD.archived_at IS NULL", _remove_return("OLD"))
        + block(
            "TG_OP IN ('INSERT', 'UPDATE') AND NEW.archived_at IS NULL",
            _add_return("NEW", POSTGRES_INSERT_IF_MISSING),
        )
        + " RETURN NULL; END; $$ LANGUAGE plpgsql"
    )
    targets = (
        "CREATE OR REPLACE FUNCTION return_total_of_target() RETURNS trigger AS $$ BEGIN "
        + block(
            "TG_OP IN ('DELETE', 'UPDATE') AND OLD.archived_at IS NULL",
            [_change_target("OLD", "-")],
        )
        + block(
            "TG_OP IN ('INSERT', 'UPDATE') AND NEW.archived_at IS NULL",
            [_change_target("NEW", "+")],
        )
        + " RETURN NULL; END; $$ LANGUAGE plpgsql"
    )
    return [
        returns,
        targets,
        "DROP TRIGGER IF EXISTS return_total ON monthly_return",
        "CREATE TRIGGER return_total AFTER INSERT OR UPDATE OR DELETE ON monthly_return "
        "FOR EACH ROW EXECUTE PROCEDURE return_total_of_return()",
        "DROP TRIGGER IF EXISTS return_total ON target",
        "CREATE TRIGGER return_total AFTER INSERT OR UPDATE OR DELETE ON target "
        "FOR EACH ROW EXECUTE PROCEDURE return_total_of_target()",
    ]


MEMBERS_INDEX = (
    "CREATE INDEX IF NOT EXISTS organisation_live_name_search ON organisation "
    "(archived_at, name_key, search_text)"
)
COUNT_INDEXES = [
    # the live memberships by organisation, with status and consortium: the dashboard's count
    # of members and of member organisations read this index alone, and a paper's "is its
    # organisation a member" is one look-up in it
    "CREATE INDEX IF NOT EXISTS membership_live ON membership "
    "(archived_at, organisation_id, status, consortium_id)",
    # the live tickets by status and due date: the open ones (a few of a long history) and the
    # overdue among them are read by status, not by leaving out every finished ticket
    "CREATE INDEX IF NOT EXISTS support_ticket_live ON support_ticket "
    "(archived_at, status, due_on)",
    # an organisation's live papers: a page of the members list (or a contract's partners)
    # asks for a hundred organisations' papers, which the papers-by-expiry index of 0003 would
    # answer by reading every live paper of the hub
    "CREATE INDEX IF NOT EXISTS compliance_item_organisation_live ON compliance_item "
    "(organisation_id, archived_at, kind, expires_on)",
]
# PostgreSQL limits an index entry to a third of a page, which a search text of many contacts'
# names could pass: there the index holds the name alone, and its planner chooses by statistics
POSTGRES_MEMBERS_INDEX = (
    "CREATE INDEX IF NOT EXISTS organisation_live_name_search ON organisation "
    "(archived_at, name_key)"
)


def up(migrator, database):
    is_postgres = isinstance(database, PostgresqlDatabase)
    database.execute_sql(POSTGRES_MEMBERS_INDEX if is_postgres else MEMBERS_INDEX)
    for statement in COUNT_INDEXES:
        database.execute_sql(statement)
    database.execute_sql(TABLE)
    database.execute_sql(RETURN_TOTALS_FILL)
    for statement in postgres_statements() if is_postgres else sqlite_statements():
        database.execute_sql(statement)
