"""Migration 0010: indexes for the members with a seat on a body (frozen: never import the models).

A meeting pack's attendance sheet lists a consortium's live members with a seat on the body met
(the SMG or the board). By the consortium's index alone that is every membership of the
consortium read to test its flag (10,000 on a large hub, of which a handful hold a seat); with
the flag in the index beside the consortium it is a seek to those few. Only live memberships
are ever asked for, so the indexes hold those alone.
"""

SEAT_INDEXES = [
    "CREATE INDEX IF NOT EXISTS membership_smg_seat ON membership "
    "(consortium_id, is_smg_member) WHERE archived_at IS NULL",
    "CREATE INDEX IF NOT EXISTS membership_board_seat ON membership "
    "(consortium_id, has_board_seat) WHERE archived_at IS NULL",
]


def up(migrator, database):
    for statement in SEAT_INDEXES:
        database.execute_sql(statement)
