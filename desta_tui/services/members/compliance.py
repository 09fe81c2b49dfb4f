"""Compliance papers: list, add, change, archive, and judge them by domain.compliance's rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from peewee import Case, Query

from desta_tui.db.database import db
from desta_tui.db.models import ComplianceItem, Membership
from desta_tui.domain.choices import COMPLIANCE_KINDS
from desta_tui.domain.compliance import (
    ComplianceSummary,
    Paper,
    judge_papers,
    paper_state,
    summarise_papers,
    validate_paper,
)
from desta_tui.domain.errors import DestaError
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.context import today
from desta_tui.services.members.common import organisation_or_fail, paper_columns
from desta_tui.services.members.views import ComplianceInfo
from desta_tui.services.records import RecordRef, archive_record
from desta_tui.services.settings import compliance_warning_days


def warning_days() -> int:
    """How many days ahead a paper counts as expiring (Settings, 60 by default)."""
    return compliance_warning_days()


# --- judging ------------------------------------------------------------------------------------


def _paper(item: ComplianceItem) -> Paper:
    return Paper(item.kind, item.expires_on, item.checked_on, item.created_at, item)


def _judged(
    live: Iterable[ComplianceItem], on: date, within: int
) -> dict[int, tuple[str, int | None]]:
    """(state, days left) by id for one organisation's live papers, renewals counted."""
    papers = [_paper(item) for item in sorted(live, key=lambda item: item.id)]
    return {paper.ref.id: (state, days) for paper, state, days in judge_papers(papers, on, within)}


def _info(item: ComplianceItem, state: str, days: int | None) -> ComplianceInfo:
    org = item.organisation
    return ComplianceInfo(
        uuid=item.uuid,
        organisation_uuid=org.uuid,
        organisation_name=org.name,
        kind=item.kind,
        kind_label=COMPLIANCE_KINDS.label(item.kind),
        reference=item.reference,
        checked_on=item.checked_on,
        expires_on=item.expires_on,
        notes=item.notes,
        state=state,
        days_left=days,
        is_archived=item.archived_at is not None,
    )


def _judge_one(item: ComplianceItem, on: date, within: int) -> ComplianceInfo:
    """One paper, judged beside the organisation's other live papers of its kind."""
    if item.archived_at is not None:
        return _info(item, *paper_state(item.expires_on, on, within))
    kin = ComplianceItem.select().where(
        (ComplianceItem.organisation == item.organisation_id)
        & (ComplianceItem.kind == item.kind)
        & ComplianceItem.archived_at.is_null()
    )
    return _info(item, *_judged(kin, on, within)[item.id])


def papers_of(organisation_ids: Iterable[int] | Query) -> dict[int, list[Paper]]:
    """The live papers of each organisation (ids, or a subquery of them), oldest record first:
    what domain.compliance's `current_papers` and `summarise_papers` take."""
    ids = organisation_ids if isinstance(organisation_ids, Query) else list(organisation_ids)
    query = ComplianceItem.select(*paper_columns()).where(
        ComplianceItem.organisation.in_(ids) & ComplianceItem.archived_at.is_null()
    )
    # sorted here, not in SQL: asked for the records in id order, SQLite reads every live paper
    # of the hub through the archived_at index (already in id order) rather than the
    # organisations' own (a tenth of a 10x pack's gathering, one contract's partners at a time)
    papers: dict[int, list[Paper]] = {}
    for _id, org_id, kind, expires_on, checked_on, created_at in sorted(query.tuples()):
        papers.setdefault(org_id, []).append(Paper(kind, expires_on, checked_on, created_at))
    return papers


def summarise_compliance(
    papers: Sequence[Paper | tuple[str, date | None]],
    *,
    is_member: bool,
    on: date | None = None,
    within: int | None = None,
) -> ComplianceSummary:
    """The worst of an organisation's papers in force (domain.compliance.summarise_papers), on
    today and with the Settings' warning days unless told; `papers` are Paper or (kind, expiry)
    tuples, oldest record first."""
    return summarise_papers(
        [paper if isinstance(paper, Paper) else Paper(*paper) for paper in papers],
        is_member=is_member,
        on=on or today(),
        warning_days=warning_days() if within is None else within,
    )


def organisation_compliance(uuid: str) -> ComplianceSummary:
    """One organisation's compliance state (its header on the detail screen)."""
    org = organisation_or_fail(uuid)
    is_member = (
        Membership.select()
        .where((Membership.organisation == org) & Membership.archived_at.is_null())
        .exists()
    )
    return summarise_compliance(papers_of([org.id]).get(org.id, []), is_member=is_member)


# --- one organisation's papers ------------------------------------------------------------------


def list_compliance(
    organisation_uuid: str, *, include_archived: bool = False
) -> list[ComplianceInfo]:
    """An organisation's papers, soonest expiry first (no expiry last); a paper a renewal has
    superseded says "renewed" instead of its own expiry."""
    org = organisation_or_fail(organisation_uuid)
    query = ComplianceItem.select().where(ComplianceItem.organisation == org)
    if not include_archived:
        query = query.where(ComplianceItem.archived_at.is_null())
    no_expiry_last = Case(None, [(ComplianceItem.expires_on.is_null(), 1)], 0)
    query = query.order_by(no_expiry_last, ComplianceItem.expires_on, ComplianceItem.kind)
    items = list(query)
    for item in items:
        item.organisation = org  # already loaded: no query per row
    on, within = today(), warning_days()
    judged = _judged([item for item in items if item.archived_at is None], on, within)
    return [
        _info(item, *judged.get(item.id) or paper_state(item.expires_on, on, within))
        for item in items
    ]


def get_compliance_item(uuid: str) -> ComplianceInfo:
    item = ComplianceItem.get_or_none(ComplianceItem.uuid == uuid)
    if item is None:
        raise DestaError("That compliance paper no longer exists.")
    return _judge_one(item, today(), warning_days())


def create_compliance_item(organisation_uuid: str, values: Mapping[str, Any]) -> ComplianceInfo:
    """Add a paper from a form's raw values (domain.compliance.validate_paper); a paper of a
    kind already on file with a later expiry is its renewal and supersedes the older one."""
    with db.atomic():
        org = organisation_or_fail(organisation_uuid)
        clean = validate_paper(values, on=today())
        item = create_record(ComplianceItem, organisation=org, **clean)
        return _judge_one(item, today(), warning_days())


def update_compliance_item(uuid: str, values: Mapping[str, Any]) -> ComplianceInfo:
    with db.atomic():
        item = ComplianceItem.get_or_none(ComplianceItem.uuid == uuid)
        if item is None:
            raise DestaError("That compliance paper no longer exists.")
        update_record(item, **validate_paper(values, on=today()))
        return _judge_one(item, today(), warning_days())


def archive_compliance_item(uuid: str) -> RecordRef:
    return archive_record("compliance_item", uuid)
