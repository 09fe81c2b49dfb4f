"""What the SMG meeting pack and the board pack print, gathered into frozen dataclasses."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from peewee import JOIN, fn

from desta_tui.db.database import db
from desta_tui.db.models import (
    Borough,
    ComplianceItem,
    Consortium,
    Contract,
    ContractBorough,
    ContractPartner,
    Membership,
    Organisation,
)
from desta_tui.domain.choices import (
    COMPLIANCE_KINDS,
    CONTRACT_STAGES,
    GATE_COMPLIANCE_KINDS,
    MEMBERSHIP_STATUSES,
)
from desta_tui.domain.errors import DestaError, ValidationError
from desta_tui.domain.periods import Period, last_ended_month, parse_period
from desta_tui.services.context import today
from desta_tui.services.performance import (
    ContractPerformance,
    FigureRow,
    contract_performance,
    performance_exceptions,
)
from desta_tui.services.report_data import (
    LAST_EVENTS_IN_PACK,
    PartnerLine,
    PrintStamp,
    TicketActionLine,
    TicketLine,
    borough_names,
    compliance_state,
    partner_lines,
    print_stamp,
    ticket_lines,
    ticket_rows,
)
from desta_tui.services.settings import get_setting

PIPELINE_STAGES = ("dialogue", "preparing_tender", "submitted", "awarded")
"""Stages before delivery: the contracts the hub is still winning."""
LIVE_MEMBERSHIP = ("applied", "active", "suspended")
"""Memberships that count on the board's list (lapsed and left ones do not)."""
SMG_WEEKDAY = calendar.TUESDAY
SMG_WEEK = 2
"""Without a date in Settings, the SMG meets on the second Tuesday of the following month."""


@dataclass(frozen=True)
class ConsortiumRef:
    uuid: str
    name: str
    short_name: str


def find_consortium(name: str | None) -> ConsortiumRef:
    """The consortium named (full or short name, any case, or the start of one).

    Without a name: the only consortium, else the one with most contracts in delivery (then most
    members), which is the one whose SMG needs a pack.
    """
    live = list(
        Consortium.select().where(Consortium.archived_at.is_null()).order_by(Consortium.name)
    )
    if not live:
        raise DestaError("There is no consortium in this database yet.")
    if name is None or not name.strip():
        if len(live) == 1:
            return _ref(live[0])
        delivering = dict(
            Contract.select(Contract.consortium, fn.COUNT(Contract.id))
            .where(Contract.archived_at.is_null() & (Contract.stage == "in_delivery"))
            .group_by(Contract.consortium)
            .tuples()
        )
        members = dict(
            Membership.select(Membership.consortium, fn.COUNT(Membership.id))
            .where(Membership.archived_at.is_null() & (Membership.status == "active"))
            .group_by(Membership.consortium)
            .tuples()
        )
        best = max(live, key=lambda c: (delivering.get(c.id, 0), members.get(c.id, 0)))
        return _ref(best)
    wanted = name.strip().casefold()
    for consortium in live:
        if wanted in (consortium.name.casefold(), consortium.short_name.casefold()):
            return _ref(consortium)
    starts = [
        c
        for c in live
        if c.name.casefold().startswith(wanted) or c.short_name.casefold().startswith(wanted)
    ]
    if len(starts) == 1:
        return _ref(starts[0])
    known = ", ".join(c.short_name or c.name for c in live)
    if starts:
        raise DestaError(f"{name.strip()!r} could be several consortia: choose one of {known}.")
    raise DestaError(f"No consortium is called {name.strip()!r}: choose one of {known}.")


def _ref(consortium: Consortium) -> ConsortiumRef:
    return ConsortiumRef(consortium.uuid, consortium.name, consortium.short_name)


def pack_period(text: str | None) -> Period:
    """The month a pack is for: `2012-10`; a bad one is a DestaError in one sentence."""
    if text is None or not str(text).strip():
        raise DestaError("Give the month the pack is for, like --period 2012-10.")
    try:
        return parse_period(str(text), field="period")
    except ValidationError as error:
        raise DestaError(f"period: {error.message}") from None


# --- cover -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackCover:
    consortium: str
    consortium_short: str
    period: Period
    meeting_on: date
    hub_name: str


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` (calendar.MONDAY...) of a month."""
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def meeting_date(period: Period) -> date:
    """The SMG meeting for `period`: Settings' `smg_meeting_on` when it falls after the month,
    else the second Tuesday of the month after it."""
    saved = get_setting("smg_meeting_on", None)
    if saved:
        try:
            chosen = date.fromisoformat(str(saved))
        except ValueError:
            chosen = None
        if chosen is not None and chosen > period.last_day:
            return chosen
    following = period.next()
    return nth_weekday(following.year, following.month, SMG_WEEKDAY, SMG_WEEK)


def pack_cover(consortium: ConsortiumRef, period: Period) -> PackCover:
    return PackCover(
        consortium=consortium.name,
        consortium_short=consortium.short_name,
        period=period,
        meeting_on=meeting_date(period),
        hub_name=str(get_setting("hub_name") or ""),
    )


# --- performance (figures come from services.performance) -------------------------------------


@dataclass(frozen=True)
class ExceptionLine:
    """A red or amber figure and the ticket dealing with it (None: no ticket, flagged)."""

    figure: FigureRow
    ticket_reference: str | None
    ticket_stage: str
    ticket_status: str


@dataclass(frozen=True)
class ContractSection:
    """A contract in delivery: values, partners, figures to date and missing returns."""

    uuid: str
    title: str
    reference: str
    commissioner: str
    total_value_pence: int
    annual_value_pence: int
    starts_on: date | None
    ends_on: date | None
    boroughs: str
    partners: tuple[PartnerLine, ...]
    performance: ContractPerformance
    missing_returns: tuple[str, ...]


@dataclass(frozen=True)
class MissingReturnLine:
    contract_title: str
    organisation_name: str
    period: Period


def _contracts(consortium: ConsortiumRef, stages: tuple[str, ...]) -> list[Contract]:
    commissioner = Organisation.alias()
    return list(
        Contract.select(Contract, commissioner)
        .join(Consortium, on=Contract.consortium == Consortium.id)
        .switch(Contract)
        .join(commissioner, join_type=JOIN.LEFT_OUTER, on=Contract.commissioner == commissioner.id)
        .where(
            (Consortium.uuid == consortium.uuid)
            & Contract.archived_at.is_null()
            & Contract.stage.in_(stages)
        )
        .order_by(Contract.title)
    )


def contract_sections(consortium: ConsortiumRef, period: Period) -> list[ContractSection]:
    """Each contract in delivery with its figures to `period` and the returns it still lacks."""
    contracts = _contracts(consortium, ("in_delivery",))
    partners = partner_lines(c.id for c in contracts)
    boroughs = borough_names(ContractBorough, ContractBorough.contract, [c.id for c in contracts])
    sections = []
    for contract in contracts:
        figures = contract_performance(contract.uuid, up_to=period)
        sections.append(
            ContractSection(
                uuid=contract.uuid,
                title=contract.title,
                reference=contract.reference,
                commissioner=contract.commissioner.name if contract.commissioner_id else "",
                total_value_pence=contract.total_value_pence,
                annual_value_pence=contract.annual_value_pence,
                starts_on=contract.starts_on,
                ends_on=contract.ends_on,
                boroughs=boroughs.get(contract.id, ""),
                partners=tuple(partners.get(contract.id, [])),
                performance=figures,
                missing_returns=tuple(figures.missing),
            )
        )
    return sections


def exception_lines(
    consortium: ConsortiumRef, period: Period, open_tickets: list[TicketLine]
) -> list[ExceptionLine]:
    """Every red or amber figure (worst first), matched to the open ticket that deals with it.

    A ticket deals with a figure when it is about the same provider on the same contract (or on
    no contract); among several, one linked to the figure's metric wins.
    """
    figures = performance_exceptions(consortium.uuid, up_to=period)
    by_provider: dict[str, list[TicketLine]] = defaultdict(list)
    for ticket in open_tickets:
        by_provider[ticket.provider_uuid].append(ticket)
    lines = []
    for figure in figures:
        candidates = [
            t
            for t in by_provider.get(figure.organisation_uuid or "", [])
            if t.contract_uuid in (None, figure.contract_uuid)
        ]
        candidates.sort(key=lambda t: (figure.metric_code not in t.metric_codes, t.reference))
        ticket = candidates[0] if candidates else None
        lines.append(
            ExceptionLine(
                figure=figure,
                ticket_reference=ticket.reference if ticket else None,
                ticket_stage=ticket.stage if ticket else "",
                ticket_status=ticket.status if ticket else "",
            )
        )
    return lines


# --- tickets and actions ---------------------------------------------------------------------


def open_ticket_lines(consortium: ConsortiumRef) -> list[TicketLine]:
    """The consortium's open tickets (its contracts', or its members' on no contract)."""
    return ticket_lines(
        ticket_rows(consortium_uuid=consortium.uuid, only_open=True),
        last_events=LAST_EVENTS_IN_PACK,
    )


def actions_due(tickets: list[TicketLine]) -> list[TicketActionLine]:
    """Improvement actions not yet done, soonest due first (overdue ones at the top)."""
    pending = [a for t in tickets for a in t.actions if not a.is_done]
    return sorted(pending, key=lambda a: (a.due_on is None, a.due_on or date.max))


# --- compliance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceLine:
    organisation_name: str
    kind: str
    reference: str
    expires_on: date | None
    state: str
    """"Expired", "Expires in 12 days" or "Not on file"."""
    is_expired: bool


def compliance_lines(
    consortium: ConsortiumRef, on: date, warning_days: int
) -> list[ComplianceLine]:
    """Members' papers expired or expiring within `warning_days` of `on`, and the gate papers
    that contract partners do not have on file at all."""
    member_orgs = (
        Membership.select(Membership.organisation)
        .join(Consortium)
        .where(
            (Consortium.uuid == consortium.uuid)
            & Membership.archived_at.is_null()
            & Membership.status.in_(LIVE_MEMBERSHIP)
        )
    )
    due = (
        ComplianceItem.select(ComplianceItem, Organisation)
        .join(Organisation)
        .where(
            ComplianceItem.archived_at.is_null()
            & Organisation.archived_at.is_null()
            & ComplianceItem.organisation.in_(member_orgs)
            & (ComplianceItem.expires_on <= on + timedelta(days=warning_days))
        )
        .order_by(ComplianceItem.expires_on, Organisation.name)
    )
    lines = [
        ComplianceLine(
            organisation_name=item.organisation.name,
            kind=COMPLIANCE_KINDS.label(item.kind),
            reference=item.reference,
            expires_on=item.expires_on,
            state=compliance_state(item.expires_on, warning_days, on),
            is_expired=item.expires_on < on,
        )
        for item in due
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
    held = defaultdict(set)
    for org_id, kind in (
        ComplianceItem.select(ComplianceItem.organisation, ComplianceItem.kind)
        .where(ComplianceItem.archived_at.is_null() & ComplianceItem.organisation.in_(partner_orgs))
        .tuples()
    ):
        held[org_id].add(kind)
    for org in (
        Organisation.select()
        .where(Organisation.id.in_(partner_orgs) & Organisation.archived_at.is_null())
        .order_by(Organisation.name)
    ):
        for kind in GATE_COMPLIANCE_KINDS:
            if kind not in held[org.id]:
                lines.append(
                    ComplianceLine(
                        organisation_name=org.name,
                        kind=COMPLIANCE_KINDS.label(kind),
                        reference="",
                        expires_on=None,
                        state="Not on file",
                        is_expired=True,
                    )
                )
    return lines


# --- pipeline --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineLine:
    title: str
    commissioner: str
    stage: str
    total_value_pence: int
    annual_value_pence: int
    tender_deadline_on: date | None
    decision_on: date | None
    days_to_deadline: int | None
    boroughs: str


def pipeline_lines(consortium: ConsortiumRef, on: date) -> list[PipelineLine]:
    """Contracts being won (dialogue to awarded), nearest deadline first."""
    contracts = _contracts(consortium, PIPELINE_STAGES)
    boroughs = borough_names(ContractBorough, ContractBorough.contract, [c.id for c in contracts])
    lines = [
        PipelineLine(
            title=c.title,
            commissioner=c.commissioner.name if c.commissioner_id else "",
            stage=CONTRACT_STAGES.label(c.stage),
            total_value_pence=c.total_value_pence,
            annual_value_pence=c.annual_value_pence,
            tender_deadline_on=c.tender_deadline_on,
            decision_on=c.decision_on,
            days_to_deadline=(c.tender_deadline_on - on).days if c.tender_deadline_on else None,
            boroughs=boroughs.get(c.id, ""),
        )
        for c in contracts
    ]
    # upcoming deadlines first, then passed ones, then contracts with no deadline yet
    return sorted(
        lines,
        key=lambda p: (
            p.days_to_deadline is None,
            p.days_to_deadline is not None and p.days_to_deadline < 0,
            p.tender_deadline_on or date.max,
            p.title.casefold(),
        ),
    )


# --- the SMG pack ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SmgPack:
    """Everything the Service Management Group pack prints, in its order."""

    cover: PackCover
    exceptions: tuple[ExceptionLine, ...]
    contracts: tuple[ContractSection, ...]
    tickets: tuple[TicketLine, ...]
    actions: tuple[TicketActionLine, ...]
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
    warning_days = int(get_setting("compliance_warning_days"))
    tickets = open_ticket_lines(consortium)
    contracts = contract_sections(consortium, period)
    missing = [
        MissingReturnLine(section.title, name, period)
        for section in contracts
        for name in section.missing_returns
    ]
    return SmgPack(
        cover=pack_cover(consortium, period),
        exceptions=tuple(exception_lines(consortium, period, tickets)),
        contracts=tuple(contracts),
        tickets=tuple(tickets),
        actions=tuple(actions_due(tickets)),
        compliance=tuple(compliance_lines(consortium, on, warning_days)),
        compliance_warning_days=warning_days,
        pipeline=tuple(pipeline_lines(consortium, on)),
        missing_returns=tuple(missing),
        today=on,
        stamp=stamp,
    )


# --- the board pack --------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberLine:
    name: str
    status: str
    joined_on: date | None
    has_board_seat: bool
    is_smg_member: bool


@dataclass(frozen=True)
class BoroughMembers:
    borough: str
    members: tuple[MemberLine, ...]


@dataclass(frozen=True)
class ContractValueLine:
    title: str
    commissioner: str
    stage: str
    total_value_pence: int
    annual_value_pence: int
    starts_on: date | None
    ends_on: date | None
    partner_count: int


@dataclass(frozen=True)
class BoardPack:
    """What the board sees: members by borough, contracts and values, pipeline, performance."""

    cover: PackCover
    members_by_borough: tuple[BoroughMembers, ...]
    member_count: int
    board_seats: int
    contracts: tuple[ContractValueLine, ...]
    pipeline: tuple[PipelineLine, ...]
    performance: tuple[ContractPerformance, ...]
    """Figures to the pack's month, one per contract in delivery."""
    today: date
    stamp: PrintStamp

    @property
    def period(self) -> Period:
        return self.cover.period


def members_by_borough(consortium: ConsortiumRef) -> list[BoroughMembers]:
    """Live members grouped by their home borough (none: "No borough"), names in order."""
    query = (
        Membership.select(Membership, Organisation, Borough)
        .join(Consortium)
        .switch(Membership)
        .join(Organisation)
        .join(Borough, join_type=JOIN.LEFT_OUTER, on=Organisation.borough == Borough.id)
        .where(
            (Consortium.uuid == consortium.uuid)
            & Membership.archived_at.is_null()
            & Organisation.archived_at.is_null()
            & Membership.status.in_(LIVE_MEMBERSHIP)
        )
    )
    groups: dict[str, list[MemberLine]] = defaultdict(list)
    for m in query:
        org = m.organisation
        borough = org.borough.name if org.borough_id else "No borough"
        groups[borough].append(
            MemberLine(
                name=org.name,
                status=MEMBERSHIP_STATUSES.label(m.status),
                joined_on=m.joined_on,
                has_board_seat=m.has_board_seat,
                is_smg_member=m.is_smg_member,
            )
        )
    return [
        BoroughMembers(name, tuple(sorted(groups[name], key=lambda m: m.name.casefold())))
        for name in sorted(groups, key=lambda b: (b == "No borough", b.casefold()))
    ]


def board_pack(consortium_name: str | None, period_text: str | Period) -> BoardPack:
    """Gather the board pack for a consortium and month."""
    consortium = find_consortium(consortium_name)
    period = period_text if isinstance(period_text, Period) else pack_period(period_text)
    stamp = print_stamp()
    contracts = _contracts(
        consortium, (*PIPELINE_STAGES, "in_delivery", "ended")
    )  # not-won ones are history
    partner_counts = dict(
        ContractPartner.select(ContractPartner.contract, fn.COUNT(ContractPartner.id))
        .where(
            ContractPartner.contract.in_([c.id for c in contracts])
            & ContractPartner.archived_at.is_null()
        )
        .group_by(ContractPartner.contract)
        .tuples()
    )
    stage_order = {code: n for n, code in enumerate(CONTRACT_STAGES.codes)}
    groups = members_by_borough(consortium)
    members = [m for g in groups for m in g.members]
    return BoardPack(
        cover=pack_cover(consortium, period),
        members_by_borough=tuple(groups),
        member_count=len(members),
        board_seats=sum(1 for m in members if m.has_board_seat),
        contracts=tuple(
            ContractValueLine(
                title=c.title,
                commissioner=c.commissioner.name if c.commissioner_id else "",
                stage=CONTRACT_STAGES.label(c.stage),
                total_value_pence=c.total_value_pence,
                annual_value_pence=c.annual_value_pence,
                starts_on=c.starts_on,
                ends_on=c.ends_on,
                partner_count=partner_counts.get(c.id, 0),
            )
            for c in sorted(contracts, key=lambda c: (-stage_order[c.stage], c.title.casefold()))
        ),
        pipeline=tuple(pipeline_lines(consortium, stamp.printed_on)),
        performance=tuple(
            contract_performance(c.uuid, up_to=period)
            for c in contracts
            if c.stage == "in_delivery"
        ),
        today=stamp.printed_on,
        stamp=stamp,
    )


def release_thread_connection() -> None:
    """Close this thread's database connection (a worker thread that printed a pack): peewee
    opens one per thread, and a thread that ends should not leave its connection behind."""
    if db.obj is not None and not db.is_closed():
        db.close()


def default_pack_period() -> Period:
    """The month a pack is usually for: the last one that has ended (its returns are due)."""
    return last_ended_month(today())
