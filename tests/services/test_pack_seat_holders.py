"""A meeting pack's seat holders: a seek to the consortium's live members with a seat."""

from __future__ import annotations

import pytest

from desta_tui.db.database import db
from desta_tui.db.models import Consortium, Membership
from desta_tui.services.reporting.consortium import LIVE_MEMBERSHIP, find_consortium
from desta_tui.services.reporting.pack_meeting import _seat_holders, _seat_holders_query


def _plan(query) -> list[str]:
    sql, params = query.sql()
    return [row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]


@pytest.mark.parametrize(
    ("body", "index"), [("smg", "membership_smg_seat"), ("board", "membership_board_seat")]
)
def test_the_seat_holders_are_sought_by_consortium_and_seat(demo_db, body, index):
    """A large hub's consortium has 10,000 memberships and a handful of seats: the flag is
    sought in the index beside the consortium, not tested on every membership."""
    if db.is_server:
        pytest.skip("SQLite's query plan")
    plan = _plan(_seat_holders_query(find_consortium(None), body))
    membership = next(step for step in plan if "membership" in step or " t2 " in step)
    assert index in membership, plan


@pytest.mark.parametrize(("body", "flag"), [("smg", "is_smg_member"), ("board", "has_board_seat")])
def test_the_seat_holders_are_the_live_members_with_the_seat(demo_db, body, flag):
    consortium = find_consortium(None)
    seated = (
        Membership.select()
        .where(
            Membership.archived_at.is_null()
            & (Membership.consortium == Consortium.get(Consortium.uuid == consortium.uuid))
            & Membership.status.in_(LIVE_MEMBERSHIP)
            & (getattr(Membership, flag) == True)  # noqa: E712 (SQL)
        )
        .join_from(Membership, Membership.organisation.rel_model)
    )
    expected = sorted(
        {m.organisation.name for m in seated if m.organisation.archived_at is None},
        key=str.casefold,
    )
    assert expected
    assert list(_seat_holders(consortium, body)) == expected
