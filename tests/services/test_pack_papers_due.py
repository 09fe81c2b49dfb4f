"""The SMG pack's papers due are asked of each due paper's membership before its renewals."""

from __future__ import annotations

import pytest

from desta_tui.db.database import db
from desta_tui.db.models import ComplianceItem
from desta_tui.services.context import today
from desta_tui.services.members import papers_due_among
from desta_tui.services.members.papers_due import _due
from desta_tui.services.reporting.consortium import find_consortium
from desta_tui.services.reporting.smg_pack import _live_members


def _plan(query) -> list[str]:
    sql, params = query.sql()
    return [row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]


def test_a_due_paper_is_asked_its_membership_first_in_one_seek(demo_db):
    """A hub holds the papers of every consortium's members (a tenth of them the pack's): the
    other consortia's papers cost the pack one seek each, on (organisation, consortium), and
    only the consortium's own are looked at for a renewal."""
    if db.is_server:
        pytest.skip("SQLite's query plan")
    query = _due(_live_members(find_consortium(None)), 30, today(), ComplianceItem.id)
    plan = _plan(query)
    membership = next(i for i, step in enumerate(plan) if "membership" in step)
    renewal = next(i for i, step in enumerate(plan) if "compliance_item_organisation" in step)
    assert membership < renewal
    assert "(organisation_id=? AND consortium_id=?)" in plan[membership]


def test_the_packs_papers_due_are_the_live_members_due_papers(demo_db):
    from desta_tui.db.models import Membership

    consortium = find_consortium(None)
    members = Membership.select(Membership.organisation).where(
        Membership.archived_at.is_null() & Membership.status.in_(("applied", "active", "suspended"))
    )
    expected = papers_due_among(members, 30)
    assert expected
    assert papers_due_among(_live_members(consortium), 30) == expected
