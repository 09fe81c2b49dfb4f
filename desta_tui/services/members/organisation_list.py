"""The members list: organisations filtered, sorted and cut in the database, one page of rows."""

from __future__ import annotations

from typing import Any

from peewee import SQL, Ordering, fn

from desta_tui.db.database import db
from desta_tui.db.models import (
    Borough,
    ComplianceItem,
    Consortium,
    Contact,
    Membership,
    Organisation,
    OrganisationBorough,
)
from desta_tui.domain.choices import MEMBERSHIP_STATUSES
from desta_tui.domain.compliance import STANDALONE_KINDS, Paper
from desta_tui.domain.errors import DestaError
from desta_tui.services.context import today
from desta_tui.services.members.common import as_date, member_ids_of
from desta_tui.services.members.compliance import summarise_compliance, warning_days
from desta_tui.services.members.views import OrganisationPage, OrganisationRow
from desta_tui.services.search_index import fold

# A list shows at most this many rows at once; typing narrows it (the count says how many match).
DEFAULT_LIMIT = 100

SORTS = ("name", "boroughs", "status", "board", "compliance", "contacts")


def _filtered(text: str, consortium_uuid: str | None, include_archived: bool):
    query = Organisation.select()
    if not include_archived:
        # the live rows in name order with their search text are one index (migration 0009):
        # the filter reads it until a page of rows match, never the table
        query = query.where(Organisation.archived_at.is_null())
    # every typed word must appear somewhere in the name, a borough or a contact's name
    for word in fold(text).split():
        query = query.where(Organisation.search_text.contains(word))
    if consortium_uuid:
        query = query.where(Organisation.id.in_(member_ids_of(consortium_uuid)))
    return query


def _soonest_expiry_in_force(org_id):
    """The earliest expiry among an organisation's papers in force: a paper that another of its
    kind outruns (domain.compliance's renewal rule) does not count."""
    renewal = ComplianceItem.alias()
    outrun = renewal.select(SQL("1")).where(
        (renewal.organisation == ComplianceItem.organisation)
        & (renewal.kind == ComplianceItem.kind)
        & renewal.archived_at.is_null()
        & (renewal.expires_on.is_null() | (renewal.expires_on > ComplianceItem.expires_on))
    )
    return ComplianceItem.select(fn.MIN(ComplianceItem.expires_on)).where(
        (ComplianceItem.organisation == org_id)
        & ComplianceItem.archived_at.is_null()
        & (ComplianceItem.kind.in_(sorted(STANDALONE_KINDS)) | ~fn.EXISTS(outrun))
    )


def _sort_expression(sort: str, consortium_uuid: str | None):
    org_id = Organisation.id
    if sort == "contacts":
        return Contact.select(fn.COUNT(Contact.id)).where(
            (Contact.organisation == org_id) & Contact.archived_at.is_null()
        )
    if sort == "compliance":
        return _soonest_expiry_in_force(org_id)
    if sort == "boroughs":
        return (
            OrganisationBorough.select(fn.MIN(Borough.name))
            .join(Borough)
            .where(OrganisationBorough.organisation == org_id)
        )
    if sort in ("status", "board"):
        column = Membership.status if sort == "status" else Membership.has_board_seat
        aggregate = fn.MIN(column) if sort == "status" else fn.MAX(column)
        members = Membership.select(aggregate).where(
            (Membership.organisation == org_id) & Membership.archived_at.is_null()
        )
        if consortium_uuid:
            members = members.join(Consortium).where(Consortium.uuid == consortium_uuid)
        return members
    return Organisation.name_key


def list_organisations(
    text: str = "",
    consortium_uuid: str | None = None,
    *,
    include_archived: bool = False,
    sort: str = "name",
    descending: bool = False,
    limit: int = DEFAULT_LIMIT,
) -> OrganisationPage:
    """The members list: organisations whose name, boroughs or contacts hold every typed word,
    in one consortium (or all), filtered and cut to `limit` rows in the database.

    When the rows are cut and words were typed, `total` is None rather than a second pass over
    every row to count them (the person is typing; the list says "more than N")."""
    if sort not in SORTS:
        raise DestaError(f"The list cannot be sorted by {sort!r}.")
    query = _filtered(text, consortium_uuid, include_archived)
    order = _sort_expression(sort, consortium_uuid)
    # blanks (no papers, no borough) last either way, as the table shows them
    direction = "DESC" if descending else "ASC"
    ordering = [Ordering(order, direction, nulls="LAST"), Organisation.name_key]
    # one more row than shown tells whether the list is cut without counting
    found = list(
        query.select(
            Organisation.id, Organisation.uuid, Organisation.name, Organisation.archived_at
        )
        .order_by(*ordering)
        .limit(limit + 1)
        .tuples()
    )
    is_cut = len(found) > limit
    found = found[:limit]
    if not is_cut:
        total: int | None = len(found)
    elif not fold(text).split():
        total = query.count()
    else:
        total = None
    return OrganisationPage(_rows_for(found, consortium_uuid), total, limit, is_cut)


def _in(ids: list[int]) -> str:
    return ", ".join([db.param] * len(ids))


def _rows_for(
    found: list[tuple[int, str, str, Any]], consortium_uuid: str | None
) -> list[OrganisationRow]:
    """The other cells of a page of rows: four plain queries over the page's ids (the filter
    runs on every keystroke, and building these through the ORM cost more than running them)."""
    ids = [org_id for org_id, *_ in found]
    if not ids:
        return []
    marks = _in(ids)
    boroughs: dict[int, list[str]] = {}
    for org_id, name in db.execute_sql(
        "SELECT ob.organisation_id, b.name FROM organisation_borough ob "
        f"JOIN borough b ON b.id = ob.borough_id WHERE ob.organisation_id IN ({marks}) "
        "ORDER BY b.name",
        ids,
    ).fetchall():
        boroughs.setdefault(org_id, []).append(name)
    contacts = dict(
        db.execute_sql(
            "SELECT organisation_id, COUNT(*) FROM contact "
            f"WHERE organisation_id IN ({marks}) AND archived_at IS NULL GROUP BY organisation_id",
            ids,
        ).fetchall()
    )
    member_sql = (
        "SELECT m.organisation_id, c.short_name, c.name, m.status, m.has_board_seat "
        f"FROM membership m JOIN consortium c ON c.id = m.consortium_id "
        f"WHERE m.organisation_id IN ({marks}) AND m.archived_at IS NULL"
    )
    params: list[Any] = list(ids)
    if consortium_uuid:
        member_sql += f" AND c.uuid = {db.param}"
        params.append(consortium_uuid)
    memberships: dict[int, list[tuple[str, str, bool]]] = {}
    for org_id, short_name, name, status, board in db.execute_sql(
        member_sql + " ORDER BY c.name", params
    ).fetchall():
        memberships.setdefault(org_id, []).append((short_name or name, status, bool(board)))
    # expiry alone judges a paper here: papers that tie on it tie on their state too
    papers: dict[int, list[Paper]] = {}
    for org_id, kind, expires_on in db.execute_sql(
        "SELECT organisation_id, kind, expires_on FROM compliance_item "
        f"WHERE organisation_id IN ({marks}) AND archived_at IS NULL",
        ids,
    ).fetchall():
        papers.setdefault(org_id, []).append(Paper(kind, as_date(expires_on)))
    on, within = today(), warning_days()
    rows = []
    for org_id, uuid, name, archived_at in found:
        held = memberships.get(org_id, [])
        if not held:
            status = "non-member"
        elif consortium_uuid or len({s for _, s, _ in held}) == 1:
            status = MEMBERSHIP_STATUSES.label(held[0][1])
        else:
            status = ", ".join(f"{short} {MEMBERSHIP_STATUSES.label(s)}" for short, s, _ in held)
        summary = summarise_compliance(
            papers.get(org_id, []), is_member=bool(held), on=on, within=within
        )
        rows.append(
            OrganisationRow(
                uuid=uuid,
                name=name,
                boroughs=", ".join(boroughs.get(org_id, [])),
                status=status,
                has_board_seat=any(board for _, _, board in held),
                compliance=summary.state,
                compliance_detail=summary.detail,
                contact_count=contacts.get(org_id, 0),
                is_archived=archived_at is not None,
            )
        )
    return rows
