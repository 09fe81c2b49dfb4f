"""Papers due across the hub: those in force that have expired or expire soon, found in SQL.

A big hub holds tens of thousands of papers, so the database does the sifting that is safe to do
there: it leaves out a paper that another live paper of its kind and organisation runs further
than (no expiry, or a later one), which domain.compliance's renewal rule supersedes whatever
else the two hold. Papers that tie on expiry are handed to the domain to settle, and the
domain judges each paper's state, so the expiring view, the dashboard and the reports say of
a paper what the members screens say.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from peewee import SQL, Expression, Query, Select, fn

from desta_tui.db.models import ComplianceItem, Organisation
from desta_tui.domain.choices import COMPLIANCE_KINDS
from desta_tui.domain.paper_states import (
    EXPIRED,
    EXPIRING,
    RENEWED,
    STANDALONE_KINDS,
    Paper,
    judge_papers,
    paper_state,
)
from desta_tui.services.context import today
from desta_tui.services.members.common import member_ids_of, paper_columns
from desta_tui.services.members.compliance_info import ComplianceInfo

_COLUMNS = (
    ComplianceItem.id,
    ComplianceItem.uuid,
    ComplianceItem.kind,
    ComplianceItem.reference,
    ComplianceItem.checked_on,
    ComplianceItem.expires_on,
    ComplianceItem.notes,
    Organisation.uuid,
    Organisation.name,
)
"""What the expiring view shows of a paper and its organisation, in the order read."""


def _kin(paper_is: Callable[[type[ComplianceItem]], Expression]) -> Select:
    """Live papers of the outer paper's organisation and kind for which `paper_is` holds."""
    kin = ComplianceItem.alias()
    return kin.select(SQL("1")).where(
        (kin.organisation == ComplianceItem.organisation)
        & (kin.kind == ComplianceItem.kind)
        & kin.archived_at.is_null()
        & paper_is(kin)
    )


def _outrun_by_a_renewal() -> Expression:
    return ComplianceItem.kind.not_in(STANDALONE_KINDS) & fn.EXISTS(
        _kin(lambda kin: kin.expires_on.is_null() | (kin.expires_on > ComplianceItem.expires_on))
    )


def _tied() -> Expression:
    """The paper shares its expiry with another of its kind: the domain says which is current."""
    return ComplianceItem.kind.not_in(STANDALONE_KINDS) & fn.EXISTS(
        _kin(
            lambda kin: (
                (kin.id != ComplianceItem.id) & (kin.expires_on == ComplianceItem.expires_on)
            )
        )
    )


def _due(organisation_ids: Iterable[int] | Query | None, within_days: int, on: date, *columns):
    """Live papers of live organisations expiring by `within_days` after `on` (or expired), but
    those a later paper of their kind renews; ties on expiry are still in."""
    # a live organisation is one not among the archived (a handful), which the index of
    # archived organisations answers without reading each due paper's organisation
    gone = Organisation.alias()
    archived = gone.select(gone.id).where(gone.archived_at.is_null(False))
    conditions = [
        ComplianceItem.archived_at.is_null(),
        ComplianceItem.organisation.not_in(archived),
        ComplianceItem.expires_on.is_null(False),
        ComplianceItem.expires_on <= on + timedelta(days=within_days),
    ]
    if isinstance(organisation_ids, Query):
        # asked of each due paper's organisation, not "IN (the subquery)": SQLite would list
        # the subquery's organisations first, every member of a hub of 100,000, to keep a
        # few thousand papers; each look-up is one seek in an index
        chosen = organisation_ids.selected_columns[0]
        conditions.append(fn.EXISTS(organisation_ids.where(chosen == ComplianceItem.organisation)))
    elif organisation_ids is not None:
        conditions.append(ComplianceItem.organisation.in_(list(organisation_ids)))
    # SQLite tries the terms in the order written: the organisations asked about first (one
    # seek), then the renewal look-up for the papers they keep (a consortium's tenth of a hub)
    conditions.append(~_outrun_by_a_renewal())
    return ComplianceItem.select(*columns).where(functools.reduce(operator.and_, conditions))


def _renewed_in_ties(due: Select, on: date, within_days: int) -> dict[int, date]:
    """The due papers (id: expiry) that tie on expiry with another of their kind and lose it:
    domain.compliance's renewal rule picks the current one (later checked, later created, the
    newer record)."""
    tied = due.select(*paper_columns()).where(_tied())
    by_org: dict[int, list[Paper]] = {}
    for item_id, org_id, kind, expires_on, checked_on, created_at in tied.order_by(
        ComplianceItem.id
    ).tuples():
        by_org.setdefault(org_id, []).append(
            Paper(kind, expires_on, checked_on, created_at, item_id)
        )
    return {
        paper.ref: paper.expires_on
        for papers in by_org.values()
        for paper, state, _ in judge_papers(papers, on, within_days)
        if state == RENEWED
    }


def papers_due_among(
    organisation_ids: Iterable[int] | Query | None,
    within_days: int,
    on: date | None = None,
    *,
    limit: int | None = None,
) -> list[ComplianceInfo]:
    """The papers in force of live organisations (ids or a subquery of them; every one when
    None) that have expired or expire within `within_days` of `on` (today), soonest first,
    then by organisation name; the first `limit` of them when given. A paper a renewal has
    superseded is left out, however near its own expiry (domain.compliance.papers_due)."""
    on = on or today()
    due = _due(organisation_ids, within_days, on, *_COLUMNS, _tied()).join(Organisation)
    read = due.order_by(ComplianceItem.expires_on, Organisation.name_key, ComplianceItem.id)
    if limit is not None:
        read = read.limit(limit)
    rows = list(read.tuples())
    # a tie among the rows read: read them again without the papers it leaves superseded (a
    # tie beyond the rows read does not change them)
    if any(row[-1] for row in rows):
        renewed = _renewed_in_ties(due, on, within_days)
        rows = list(read.where(ComplianceItem.id.not_in(list(renewed))).tuples())
    found = []
    for _id, uuid, kind, reference, checked_on, expires_on, notes, org_uuid, org_name, _ in rows:
        state, days = paper_state(expires_on, on, within_days)
        found.append(
            ComplianceInfo(
                uuid=uuid,
                organisation_uuid=org_uuid,
                organisation_name=org_name,
                kind=kind,
                kind_label=COMPLIANCE_KINDS.label(kind),
                reference=reference,
                checked_on=checked_on,
                expires_on=expires_on,
                notes=notes,
                state=state,
                days_left=days,
                is_archived=False,
            )
        )
    return found


def count_papers_due(
    organisation_ids: Iterable[int] | Query | None, within_days: int, on: date | None = None
) -> dict[str, int]:
    """How many of `papers_due_among`'s papers are EXPIRED and how many EXPIRING, counted in
    the database (a count per expiry date and kind, each date judged by domain.compliance)."""
    on = on or today()
    counts = {EXPIRED: 0, EXPIRING: 0}
    due = _due(organisation_ids, within_days, on, ComplianceItem.expires_on)
    # a tie is two due papers of one organisation, kind and expiry (a later kin would have
    # left both out), so one per kind and date is fewer organisations than papers: counted
    # in the same pass, not asked of each paper's kin
    per_day = due.select(
        ComplianceItem.expires_on,
        ComplianceItem.kind,
        fn.COUNT(ComplianceItem.id),
        fn.COUNT(ComplianceItem.organisation.distinct()),
    ).group_by(ComplianceItem.expires_on, ComplianceItem.kind)
    any_tied = False
    for expires_on, kind, count, organisations in per_day.tuples():
        counts[paper_state(expires_on, on, within_days)[0]] += count
        any_tied = any_tied or (organisations < count and kind not in STANDALONE_KINDS)
    if any_tied:
        for expires_on in _renewed_in_ties(due, on, within_days).values():
            counts[paper_state(expires_on, on, within_days)[0]] -= 1
    return counts


def expiring_compliance(
    within_days: int, consortium_uuid: str | None = None
) -> list[ComplianceInfo]:
    """Every paper in force of a live organisation (of the consortium's members, when given)
    that has expired or expires within `within_days` of today, soonest first: the hub-wide
    "expiring" view (`papers_due_among`)."""
    members = member_ids_of(consortium_uuid) if consortium_uuid else None
    return papers_due_among(members, within_days)
