"""What the Service Management Group meeting pack prints, gathered into frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from desta_tui.db.models import (
    Consortium,
    Contract,
    ContractPartner,
    Membership,
    Organisation,
)
from desta_tui.domain.choices import COMPLIANCE_KINDS, GATE_COMPLIANCE_KINDS
from desta_tui.domain.compliance import (
    EXPIRED,
    MISSING,
    compliance_gaps,
    current_papers,
    state_words,
)
from desta_tui.domain.periods import Period
from desta_tui.services.contracts import ContractDetail, PartnerRow, partners_of_contracts
from desta_tui.services.lookups import ConsortiumChoice
from desta_tui.services.members import papers_due_among, papers_of
from desta_tui.services.performance import (
    ContractPerformance,
    ContractTrajectories,
    CountedContracts,
    contracts_performance,
    contracts_trajectories,
    counted_contracts,
    exception_notes,
    partner_statuses,
    rag_thresholds,
)
from desta_tui.services.reporting.consortium import (
    LIVE_MEMBERSHIP,
    PackCover,
    consortium_contracts,
    find_consortium,
    pack_cover,
    pack_period,
)
from desta_tui.services.reporting.exceptions import (
    HISTORY_MONTHS,
    ExceptionLine,
    cut_note,
    exception_figures,
    exception_lines,
)
from desta_tui.services.reporting.pack_meeting import PackMeeting, pack_meeting
from desta_tui.services.reporting.pipeline import PIPELINE_STAGES, PipelineLine, pipeline_lines
from desta_tui.services.reporting.stamp import PrintStamp, print_stamp
from desta_tui.services.reporting.tickets_report import TicketLine, ticket_lines, ticket_rows
from desta_tui.services.settings import compliance_warning_days
from desta_tui.services.tickets import TicketActionView, TicketRow

LAST_EVENTS_IN_PACK = 3
"""How many of a ticket's latest log entries the meeting pack shows."""
NOTE_CHARACTERS_IN_PACK = 600
"""A log entry longer than this is cut in the pack (a 20,000-character note would fill a dozen
pages); the ticket report prints it whole."""
# --- contracts in delivery and their figures --------------------------------------------------


@dataclass(frozen=True)
class ContractSection:
    """A contract in delivery: the contract and its partners as the contract screen reads them
    (but for their papers), its figures to the pack's month and (with them) the returns it
    still lacks."""

    contract: ContractDetail
    #: their papers unjudged: `compliance_gaps` and `papers_due` are empty
    partners: tuple[PartnerRow, ...]
    performance: ContractPerformance
    #: the first summed metric month by month since the contract's first month (the charts)
    trajectory: ContractTrajectories | None = None
    #: the look-ups its figures were counted with, which the exceptions count with again
    counted: CountedContracts | None = field(default=None, repr=False, compare=False)

    @property
    def missing_returns(self) -> tuple[str, ...]:
        """Delivery partners whose return for the month is not in (organisation names)."""
        return tuple(self.performance.missing)


@dataclass(frozen=True)
class MissingReturnLine:
    contract_title: str
    organisation_name: str
    period: Period


def contract_sections(contracts: list[ContractDetail], period: Period) -> list[ContractSection]:
    """Each contract in delivery with its figures to `period`: counted here, once, and read by
    the exceptions as well as the contract's own section."""
    delivering = [contract for contract in contracts if contract.stage == "in_delivery"]
    uuids = [contract.uuid for contract in delivering]
    # the contracts' metrics and partners, read once for the figures, the trajectories and
    # (through the sections) the exceptions' earlier months
    counted = counted_contracts(uuids)
    # no sparklines: the pack prints the months of the trajectories, not of every figure
    figures = contracts_performance(counted, up_to=period, with_sparklines=False)
    trajectories = contracts_trajectories(counted, period)
    # the pack's partner tables print no papers (its compliance part reads them itself)
    partners = partners_of_contracts(uuids, with_compliance=False)
    return [
        ContractSection(
            contract=contract,
            partners=tuple(partners_of),
            performance=performance,
            trajectory=trajectory,
            counted=counted,
        )
        for contract, partners_of, performance, trajectory in zip(
            delivering, partners, figures, trajectories, strict=True
        )
    ]


# --- exceptions ------------------------------------------------------------------------------


def argued_exceptions(
    sections: list[ContractSection], tickets: list[TicketLine], period: Period
) -> list[ExceptionLine]:
    """The red and amber partner figures of the sections, worst first, each argued (see
    reporting.exceptions): the statuses of the two months before read in one pass each."""
    figures = exception_figures([row for s in sections for row in s.performance.rows])
    uuids = [section.contract.uuid for section in sections]
    known = sections[0].counted if sections else None
    earlier = {}
    if figures:
        for back in range(1, HISTORY_MONTHS):
            month = period.shift(-back)
            earlier[month] = partner_statuses(known or uuids, month)
    should_act = {
        s.contract.uuid: s.contract.support_provider.name
        for s in sections
        if s.contract.support_provider is not None
    }
    return exception_lines(
        figures,
        tickets,
        period=period,
        notes=exception_notes(uuids, period) if figures else {},
        earlier=earlier,
        should_act=should_act,
        thresholds=rag_thresholds(),
    )


# --- tickets and actions ---------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDue:
    """An improvement action not yet done, with the ticket it belongs to."""

    ticket: TicketRow
    action: TicketActionView


def open_ticket_lines(consortium: ConsortiumChoice) -> list[TicketLine]:
    """The consortium's open tickets (its contracts', or its members' on no contract), each
    with its latest few log entries, long ones cut."""
    lines = ticket_lines(
        ticket_rows(consortium_uuid=consortium.uuid, only_open=True),
        last_events=LAST_EVENTS_IN_PACK,
    )
    return [
        replace(
            line,
            events=tuple(
                replace(e, text=cut_note(e.text, NOTE_CHARACTERS_IN_PACK)) for e in line.events
            ),
        )
        for line in lines
    ]


def actions_due(tickets: list[TicketLine]) -> list[ActionDue]:
    """Improvement actions not yet done, soonest due first (overdue ones at the top)."""
    pending = [ActionDue(t.row, a) for t in tickets for a in t.actions if not a.is_done]
    return sorted(pending, key=lambda a: (a.action.due_on is None, a.action.due_on or date.max))


# --- compliance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceLine:
    organisation_name: str
    kind: str
    reference: str
    expires_on: date | None
    state: str
    """The paper's state in domain.compliance's words: "expired 3 days ago", "expiring in 12
    days", "missing" (a gate paper a partner has not sent)."""
    is_expired: bool
    """Expired or missing: the pack prints it in bold."""


def _live_members(consortium: ConsortiumChoice):
    """A subquery: the organisations with a live membership (applied, active, suspended)."""
    # the consortium's id looked up once (a subquery of its own), not joined: asked of each
    # due paper's organisation, the membership is then one seek on (organisation, consortium)
    consortium_id = Consortium.select(Consortium.id).where(Consortium.uuid == consortium.uuid)
    return Membership.select(Membership.organisation).where(
        (Membership.consortium == consortium_id)
        & Membership.archived_at.is_null()
        & Membership.status.in_(LIVE_MEMBERSHIP)
    )


def compliance_lines(
    consortium: ConsortiumChoice, on: date, warning_days: int
) -> list[ComplianceLine]:
    """Members' papers expired or expiring within `warning_days` of today (`on`), and the gate
    papers that contract partners do not have on file at all."""
    # members' own list (the expiring view's), of live memberships: lapsed and left ones are
    # not asked; each due paper's organisation looked up, not the consortium's members listed
    due = papers_due_among(_live_members(consortium), warning_days)
    due.sort(key=lambda paper: (paper.expires_on, paper.organisation_name))
    lines = [
        ComplianceLine(
            organisation_name=paper.organisation_name,
            kind=paper.kind_label,
            reference=paper.reference,
            expires_on=paper.expires_on,
            state=paper.state_text,
            is_expired=paper.state == EXPIRED,
        )
        for paper in due
    ]
    # partners carrying contract risk: every gate paper must be on file
    partner_orgs = (
        ContractPartner.select(ContractPartner.organisation)
        .join(Contract)
        .join(Consortium)
        .where(
            (Consortium.uuid == consortium.uuid)
            & ContractPartner.archived_at.is_null()
            & Contract.archived_at.is_null()
            & Contract.stage.in_(("awarded", "in_delivery"))
        )
    )
    papers = papers_of(partner_orgs)
    for org in (
        Organisation.select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(partner_orgs) & Organisation.archived_at.is_null())
        .order_by(Organisation.name)
    ):
        current = current_papers(papers.get(org.id, []))
        for gap in compliance_gaps(GATE_COMPLIANCE_KINDS, current, on, warning_days):
            if gap.state == MISSING:
                lines.append(
                    ComplianceLine(
                        organisation_name=org.name,
                        kind=COMPLIANCE_KINDS.label(gap.kind),
                        reference="",
                        expires_on=None,
                        state=state_words(MISSING, None),
                        is_expired=True,
                    )
                )
    return lines


# --- the SMG pack ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SmgPack:
    """Everything the Service Management Group pack prints, in its order."""

    cover: PackCover
    meeting: PackMeeting
    exceptions: tuple[ExceptionLine, ...]
    contracts: tuple[ContractSection, ...]
    tickets: tuple[TicketLine, ...]
    actions: tuple[ActionDue, ...]
    compliance: tuple[ComplianceLine, ...]
    compliance_warning_days: int
    pipeline: tuple[PipelineLine, ...]
    missing_returns: tuple[MissingReturnLine, ...]
    today: date
    stamp: PrintStamp

    @property
    def period(self) -> Period:
        return self.cover.period


def smg_pack(consortium_name: str | None, period_text: str | Period) -> SmgPack:
    """Gather the SMG pack for a consortium (by name; None picks it) and month."""
    consortium = find_consortium(consortium_name)
    period = period_text if isinstance(period_text, Period) else pack_period(period_text)
    stamp = print_stamp()
    on = stamp.printed_on
    warning_days = compliance_warning_days()
    tickets = open_ticket_lines(consortium)
    # read once: the contracts in delivery get a section each, the rest are the pipeline
    contracts = consortium_contracts(consortium, ("in_delivery", *PIPELINE_STAGES))
    sections = contract_sections(contracts, period)
    missing = [
        MissingReturnLine(section.contract.title, name, period)
        for section in sections
        for name in section.missing_returns
    ]
    cover = pack_cover(consortium, period)
    return SmgPack(
        cover=cover,
        meeting=pack_meeting(consortium, period, "smg", cover.meeting_on),
        exceptions=tuple(argued_exceptions(sections, tickets, period)),
        contracts=tuple(sections),
        tickets=tuple(tickets),
        actions=tuple(actions_due(tickets)),
        compliance=tuple(compliance_lines(consortium, on, warning_days)),
        compliance_warning_days=warning_days,
        pipeline=tuple(pipeline_lines(contracts, on)),
        missing_returns=tuple(missing),
        today=on,
        stamp=stamp,
    )
