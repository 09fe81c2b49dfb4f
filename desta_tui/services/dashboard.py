"""The dashboard's figures, counted in the database for the chosen consortium (or all)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from peewee import fn

from desta_tui.db.models import (
    ComplianceItem,
    Consortium,
    Contract,
    Membership,
    Organisation,
    SupportTicket,
)
from desta_tui.domain.choices import CONTRACT_STAGES
from desta_tui.services.context import today
from desta_tui.services.settings import get_setting


@dataclass(frozen=True)
class StageLine:
    stage: str
    label: str
    count: int
    value_pence: int


@dataclass(frozen=True)
class DashboardSummary:
    consortium_name: str
    member_count: int
    organisation_count: int
    contracts_by_stage: list[StageLine] = field(default_factory=list)
    open_ticket_count: int = 0
    compliance_expired: int = 0
    compliance_expiring: int = 0
    compliance_warning_days: int = 60


def consortium_choices() -> list[tuple[str, str]]:
    """(name, uuid) of every live consortium, for selectors."""
    query = Consortium.select().where(Consortium.archived_at.is_null()).order_by(Consortium.name)
    return [(c.name, c.uuid) for c in query]


def dashboard_summary(consortium_uuid: str | None = None) -> DashboardSummary:
    consortium = (
        Consortium.get_or_none(Consortium.uuid == consortium_uuid) if consortium_uuid else None
    )
    members = Membership.select().where(
        Membership.archived_at.is_null() & (Membership.status == "active")
    )
    contracts = Contract.select(
        Contract.stage, fn.COUNT(Contract.id), fn.SUM(Contract.total_value_pence)
    ).where(Contract.archived_at.is_null())
    member_orgs = Membership.select(Membership.organisation).where(Membership.archived_at.is_null())
    tickets = SupportTicket.select().where(
        SupportTicket.archived_at.is_null() & SupportTicket.status.not_in(["resolved", "closed"])
    )
    if consortium is not None:
        members = members.where(Membership.consortium == consortium)
        contracts = contracts.where(Contract.consortium == consortium)
        member_orgs = member_orgs.where(Membership.consortium == consortium)
        tickets = tickets.join(Contract).where(Contract.consortium == consortium)
    by_stage = {stage: (count, value or 0) for stage, count, value in
                contracts.group_by(Contract.stage).tuples()}  # fmt: skip
    warning_days = int(get_setting("compliance_warning_days"))
    now = today()
    papers = ComplianceItem.select().where(
        ComplianceItem.archived_at.is_null()
        & ComplianceItem.organisation.in_(member_orgs)
        & ComplianceItem.expires_on.is_null(False)
    )
    return DashboardSummary(
        consortium_name=consortium.name if consortium else "All consortia",
        member_count=members.count(),
        organisation_count=Organisation.select()
        .where(Organisation.archived_at.is_null() & Organisation.id.in_(member_orgs))
        .count(),
        contracts_by_stage=[
            StageLine(choice.code, choice.label, *by_stage.get(choice.code, (0, 0)))
            for choice in CONTRACT_STAGES
        ],
        open_ticket_count=tickets.count(),
        compliance_expired=papers.where(ComplianceItem.expires_on < now).count(),
        compliance_expiring=papers.where(
            (ComplianceItem.expires_on >= now)
            & (ComplianceItem.expires_on <= now + timedelta(days=warning_days))
        ).count(),
        compliance_warning_days=warning_days,
    )
