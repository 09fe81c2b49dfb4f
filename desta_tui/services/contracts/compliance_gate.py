"""The compliance gate: the papers a partner needs on file, and those running out soon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from desta_tui.db.models import ComplianceItem, Organisation
from desta_tui.domain.choices import COMPLIANCE_KINDS, GATE_COMPLIANCE_KINDS
from desta_tui.domain.dates import format_uk_date
from desta_tui.services.context import today
from desta_tui.services.settings import get_setting


@dataclass(frozen=True)
class ComplianceGap:
    """A paper the gate wants that is missing or expired."""

    kind: str
    label: str
    expired_on: date | None
    """None when the paper is missing altogether."""

    @property
    def text(self) -> str:
        if self.expired_on is None:
            return f"no {self.label.lower()} on file"
        return f"{self.label.lower()} expired on {format_uk_date(self.expired_on)}"


@dataclass(frozen=True)
class PaperDue:
    """A gate paper still valid but running out soon."""

    kind: str
    label: str
    expires_on: date

    @property
    def text(self) -> str:
        return f"{self.label} expires {format_uk_date(self.expires_on)}"


def latest_papers_of(organisation_ids: list[int]) -> dict[int, dict[str, date | None]]:
    """Per organisation, the furthest expiry of each gate paper on file (None: a paper that
    never runs out), in one query for them all (a contract of 20 partners, a pack of 200)."""
    latest: dict[int, dict[str, date | None]] = {org_id: {} for org_id in organisation_ids}
    if not organisation_ids:
        return latest
    papers = ComplianceItem.select(
        ComplianceItem.organisation, ComplianceItem.kind, ComplianceItem.expires_on
    ).where(
        ComplianceItem.organisation.in_(organisation_ids)
        & ComplianceItem.archived_at.is_null()
        & ComplianceItem.kind.in_(GATE_COMPLIANCE_KINDS)
    )
    for org_id, kind, expires_on in papers.tuples():
        held = latest[org_id]
        known = held.get(kind, date.min)
        later = expires_on is None or (known is not None and expires_on > known)
        if kind not in held or later:
            held[kind] = expires_on
    return latest


def _latest_papers(organisation: Organisation) -> dict[str, date | None]:
    return latest_papers_of([organisation.id])[organisation.id]


def compliance_gaps(
    organisation: Organisation,
    on: date | None = None,
    *,
    latest: dict[str, date | None] | None = None,
) -> list[ComplianceGap]:
    """The gate's papers this organisation lacks, or holds only expired, on `on` (today);
    `latest` is its papers from `latest_papers_of` when already read."""
    on = on or today()
    latest = _latest_papers(organisation) if latest is None else latest
    gaps = []
    for kind in GATE_COMPLIANCE_KINDS:
        label = COMPLIANCE_KINDS.label(kind)
        if kind not in latest:
            gaps.append(ComplianceGap(kind, label, None))
        elif latest[kind] is not None and latest[kind] < on:
            gaps.append(ComplianceGap(kind, label, latest[kind]))
    return gaps


def papers_expiring(
    organisation: Organisation,
    on: date | None = None,
    within_days: int | None = None,
    *,
    latest: dict[str, date | None] | None = None,
) -> list[PaperDue]:
    """Gate papers still valid on `on` that run out within the warning days (setting);
    `latest` is its papers from `latest_papers_of` when already read."""
    on = on or today()
    within = within_days if within_days is not None else int(get_setting("compliance_warning_days"))
    latest = _latest_papers(organisation) if latest is None else latest
    return [
        PaperDue(kind, COMPLIANCE_KINDS.label(kind), latest[kind])
        for kind in GATE_COMPLIANCE_KINDS
        if latest.get(kind) is not None and on <= latest[kind] <= on + timedelta(days=within)
    ]
