"""What single reports print (a member, a contract, the tickets), read into frozen dataclasses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from peewee import fn

from desta_tui.db.models import (
    Borough,
    CommissionerContact,
    ComplianceItem,
    Consortium,
    Contact,
    Contract,
    ContractBorough,
    ContractPartner,
    ContractPartnerBorough,
    ContractStageChange,
    Membership,
    Metric,
    Organisation,
    OrganisationBorough,
    SupportTicket,
    TicketAction,
    TicketEvent,
    TicketMetric,
)
from desta_tui.domain.choices import (
    AUDIT_ACTIONS,
    COMPLIANCE_KINDS,
    CONTACT_KINDS,
    CONTRACT_STAGES,
    MEMBERSHIP_STATUSES,
    ORGANISATION_KINDS,
    PARTNER_ROLES,
    PERIOD_KINDS,
    TICKET_EVENT_KINDS,
)
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.domain.validation import normalise_name
from desta_tui.services.audit import record_history
from desta_tui.services.context import current_user, today
from desta_tui.services.performance import ContractPerformance, contract_performance
from desta_tui.services.tickets import TicketFilter, TicketRow, get_ticket, list_tickets

LAST_EVENTS_IN_PACK = 3
"""How many of a ticket's latest log entries the meeting pack shows."""

# --- shared lines ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    """One change in a record's history: when (local time), who, what, old -> new."""

    when: str
    who: str
    record: str
    action: str
    field: str
    old_value: str
    new_value: str


@dataclass(frozen=True)
class TicketEventLine:
    occurred_at: datetime
    who: str
    kind: str
    text: str
    minutes: int


@dataclass(frozen=True)
class TicketActionLine:
    ticket_reference: str
    provider_name: str
    description: str
    owner: str
    due_on: date | None
    is_done: bool
    done_on: date | None
    is_overdue: bool


@dataclass(frozen=True)
class TicketLine:
    """A support ticket as printed: the essentials, its latest log entries and its actions."""

    uuid: str
    reference: str
    contract_uuid: str | None
    contract_title: str
    provider_uuid: str
    provider_name: str
    support_provider_name: str
    subject: str
    category: str
    priority: str
    stage: str
    status: str
    is_open: bool
    owner: str
    opened_on: date | None
    due_on: date | None
    closed_on: date | None
    is_overdue: bool
    due_text: str
    outcome: str
    description: str
    metric_codes: tuple[str, ...]
    metric_names: tuple[str, ...]
    events: tuple[TicketEventLine, ...]
    """Newest first: all of them, or the last few in a pack."""
    event_count: int
    actions: tuple[TicketActionLine, ...]
    history: tuple[HistoryLine, ...] = ()


@dataclass(frozen=True)
class PrintStamp:
    """Who printed a report and when: the footer of every page."""

    printed_on: date
    printed_by: str


def print_stamp() -> PrintStamp:
    return PrintStamp(printed_on=today(), printed_by=current_user())


def field_words(field: str) -> str:
    """`has_board_seat` -> `Has board seat`; `total_value_pence` -> `Total value`."""
    if not field:
        return ""
    words = field.replace("_", " ").strip()
    for suffix in (" pence", " on", " at"):
        if words.endswith(suffix) and len(words) > len(suffix):
            words = words[: -len(suffix)]
            break
    return words[:1].upper() + words[1:]


def history_lines(uuids: Iterable[str]) -> tuple[HistoryLine, ...]:
    """The audit log of a record and its parts, newest first, ready to print."""
    lines = []
    for entry in record_history(list(uuids)):
        # the log keeps UTC; people read their own clock
        local = entry.at.replace(tzinfo=UTC).astimezone()
        lines.append(
            HistoryLine(
                when=local.strftime("%d/%m/%Y %H:%M"),
                who=entry.who,
                # a record with no name of its own (a membership) is logged by its uuid
                record=(
                    field_words(entry.table_name)
                    if entry.record_label in ("", entry.record_uuid)
                    else entry.record_label
                ),
                action=AUDIT_ACTIONS.label(entry.action),
                field=field_words(entry.field),
                old_value=entry.old_value or "",
                new_value=entry.new_value or "",
            )
        )
    return tuple(lines)


def _name(record) -> str:
    return record.name if record is not None else ""


def ticket_lines(
    rows: Iterable[TicketRow],
    *,
    last_events: int | None = None,
    with_history: bool = False,
) -> list[TicketLine]:
    """Tickets from services.tickets' list as printed lines, with their events (all, or the
    last few) and actions.

    Reads events, actions and metrics for all the tickets in a few queries, not a few a ticket,
    so a pack with hundreds of open tickets stays quick.
    """
    rows = list(rows)
    if not rows:
        return []
    found = {
        t.uuid: t
        for t in SupportTicket.select(
            SupportTicket.id, SupportTicket.uuid, SupportTicket.description, SupportTicket.outcome
        ).where(SupportTicket.uuid.in_([r.uuid for r in rows]))
    }
    ids = [t.id for t in found.values()]
    on = today()
    metrics: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for link in (
        TicketMetric.select(TicketMetric, Metric)
        .join(Metric)
        .where(TicketMetric.ticket.in_(ids))
        .order_by(Metric.sort_order, Metric.name)
    ):
        metrics[link.ticket_id].append((link.metric.code, link.metric.name))
    events: dict[int, list[TicketEvent]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for event in (
        TicketEvent.select()
        .where(TicketEvent.ticket.in_(ids) & TicketEvent.archived_at.is_null())
        .order_by(TicketEvent.occurred_at.desc(), TicketEvent.id.desc())
    ):
        counts[event.ticket_id] += 1
        if last_events is None or len(events[event.ticket_id]) < last_events:
            events[event.ticket_id].append(event)
    actions: dict[int, list[TicketAction]] = defaultdict(list)
    for action in (
        TicketAction.select()
        .where(TicketAction.ticket.in_(ids) & TicketAction.archived_at.is_null())
        .order_by(TicketAction.due_on.asc(nulls="LAST"), TicketAction.id)
    ):
        actions[action.ticket_id].append(action)
    lines = []
    for row in rows:
        ticket = found[row.uuid]
        tid = ticket.id
        uuids = [row.uuid]
        uuids += [e.uuid for e in events[tid]] + [a.uuid for a in actions[tid]]
        lines.append(
            TicketLine(
                uuid=row.uuid,
                reference=row.reference,
                contract_uuid=row.contract_uuid,
                contract_title=row.contract_title,
                provider_uuid=row.provider_uuid,
                provider_name=row.provider_name,
                support_provider_name=row.support_provider_name,
                subject=row.subject,
                category=row.category_label,
                priority=row.priority_label,
                stage=row.stage_label,
                status=row.status_label,
                is_open=not row.is_finished,
                owner=row.owner,
                opened_on=row.opened_on,
                due_on=row.due_on,
                closed_on=row.closed_on,
                is_overdue=row.is_overdue,
                due_text=row.due_text,
                outcome=ticket.outcome,
                description=ticket.description,
                metric_codes=tuple(code for code, _ in metrics[tid]),
                metric_names=tuple(name for _, name in metrics[tid]),
                events=tuple(
                    TicketEventLine(
                        occurred_at=e.occurred_at,
                        who=e.who,
                        kind=TICKET_EVENT_KINDS.label(e.kind),
                        text=e.text,
                        minutes=e.minutes,
                    )
                    for e in events[tid]
                ),
                event_count=counts[tid],
                actions=tuple(
                    TicketActionLine(
                        ticket_reference=row.reference,
                        provider_name=row.provider_name,
                        description=a.description,
                        owner=a.owner,
                        due_on=a.due_on,
                        is_done=a.is_done,
                        done_on=a.done_on,
                        is_overdue=bool(not a.is_done and a.due_on and a.due_on < on),
                    )
                    for a in actions[tid]
                ),
                history=history_lines(uuids) if with_history else (),
            )
        )
    return lines


def ticket_rows(
    *,
    consortium_uuid: str | None = None,
    provider_uuid: str = "",
    contract_uuid: str = "",
    only_open: bool = True,
) -> list[TicketRow]:
    """Tickets through services.tickets: unfinished first, soonest due first."""
    return list_tickets(
        TicketFilter(
            status="" if only_open else "all",
            provider_uuid=provider_uuid,
            contract_uuid=contract_uuid,
            consortium_uuid=consortium_uuid,
        )
    )


def borough_names(link_model, owner_field, owner_ids: Iterable[int]) -> dict[int, str]:
    """owner id -> its boroughs, comma separated in name order (one query)."""
    names: dict[int, list[str]] = defaultdict(list)
    owner_ids = list(owner_ids)
    if not owner_ids:
        return {}
    query = (
        link_model.select(owner_field, Borough.name)
        .join(Borough)
        .where(owner_field.in_(owner_ids))
        .order_by(Borough.name)
        .tuples()
    )
    for owner_id, name in query:
        names[owner_id].append(name)
    return {key: ", ".join(value) for key, value in names.items()}


def compliance_state(expires_on: date | None, warning_days: int, on: date) -> str:
    """ "Expired", "Expires in N days", "Current" or "No expiry date"."""
    if expires_on is None:
        return "No expiry date"
    days = (expires_on - on).days
    if days < 0:
        return "Expired"
    if days == 0:
        return "Expires today"
    if days <= warning_days:
        return f"Expires in {days} day{'s' if days != 1 else ''}"
    return "Current"


# --- a member --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipLine:
    consortium: str
    status: str
    joined_on: date | None
    left_on: date | None
    has_board_seat: bool
    is_smg_member: bool
    has_vote: bool


@dataclass(frozen=True)
class ContactLine:
    full_name: str
    role: str
    email: str
    phone: str
    is_primary: bool


@dataclass(frozen=True)
class PaperLine:
    kind: str
    reference: str
    checked_on: date | None
    expires_on: date | None
    state: str


@dataclass(frozen=True)
class PartnershipLine:
    contract_title: str
    consortium: str
    stage: str
    role: str
    allocated_value_pence: int
    boroughs: str


@dataclass(frozen=True)
class MemberRecord:
    """An organisation with everything the hub holds on it, and its history."""

    uuid: str
    name: str
    kind: str
    is_member: bool
    is_commissioner: bool
    charity_number: str
    company_number: str
    address: str
    postcode: str
    borough: str
    boroughs: str
    email: str
    phone: str
    website: str
    notes: str
    archived: bool
    memberships: tuple[MembershipLine, ...]
    contacts: tuple[ContactLine, ...]
    papers: tuple[PaperLine, ...]
    partnerships: tuple[PartnershipLine, ...]
    tickets: tuple[TicketLine, ...]
    history: tuple[HistoryLine, ...]
    stamp: PrintStamp


def find_organisation(name: str) -> Organisation:
    """The organisation called `name`: exact (ignoring case, spaces, "&"/"and"), else the one
    whose name holds it; an unknown or ambiguous name is a DestaError naming the candidates."""
    text = (name or "").strip()
    if not text:
        raise DestaError("Give the name of a member organisation.")
    live = Organisation.archived_at.is_null()
    exact = Organisation.get_or_none(Organisation.name_key == normalise_name(text))
    if exact is not None:
        return exact
    matches = list(
        Organisation.select()
        .where(live & Organisation.name.contains(text))
        .order_by(Organisation.name)
        .limit(6)
    )
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise DestaError(f"No member organisation is called {text!r}.")
    shown = "; ".join(m.name for m in matches[:5])
    raise DestaError(f"{text!r} matches several organisations ({shown}): give the full name.")


def member_record(organisation_uuid: str) -> MemberRecord:
    """Everything on one organisation, with its history, for `desta report member`."""
    org = Organisation.get_or_none(Organisation.uuid == organisation_uuid)
    if org is None:
        raise DestaError("That organisation no longer exists.")
    on = today()
    from desta_tui.services.settings import get_setting

    warning_days = int(get_setting("compliance_warning_days"))
    memberships = list(
        Membership.select(Membership, Consortium)
        .join(Consortium)
        .where(Membership.organisation == org)
        .order_by(Consortium.name)
    )
    contacts = list(
        Contact.select()
        .where(
            (Contact.organisation == org)
            & Contact.archived_at.is_null()
            & Contact.erased_at.is_null()
        )
        .order_by(Contact.is_primary.desc(), Contact.full_name)
    )
    papers = list(
        ComplianceItem.select()
        .where((ComplianceItem.organisation == org) & ComplianceItem.archived_at.is_null())
        .order_by(ComplianceItem.kind, ComplianceItem.expires_on)
    )
    partners = list(
        ContractPartner.select(ContractPartner, Contract, Consortium)
        .join(Contract)
        .join(Consortium)
        .where((ContractPartner.organisation == org) & ContractPartner.archived_at.is_null())
        .order_by(Contract.title)
    )
    partner_boroughs = borough_names(
        ContractPartnerBorough, ContractPartnerBorough.partner, [p.id for p in partners]
    )
    tickets = ticket_lines(ticket_rows(provider_uuid=org.uuid, only_open=False))
    own_boroughs = borough_names(OrganisationBorough, OrganisationBorough.organisation, [org.id])
    uuids = [org.uuid] + [m.uuid for m in memberships] + [c.uuid for c in contacts]
    uuids += [p.uuid for p in papers] + [p.uuid for p in partners]
    return MemberRecord(
        uuid=org.uuid,
        name=org.name,
        kind=ORGANISATION_KINDS.label(org.kind),
        is_member=org.is_member,
        is_commissioner=org.is_commissioner,
        charity_number=org.charity_number,
        company_number=org.company_number,
        address=org.address,
        postcode=org.postcode,
        borough=org.borough.name if org.borough_id else "",
        boroughs=own_boroughs.get(org.id, ""),
        email=org.email,
        phone=org.phone,
        website=org.website,
        notes=org.notes,
        archived=org.archived_at is not None,
        memberships=tuple(
            MembershipLine(
                consortium=m.consortium.name,
                status=MEMBERSHIP_STATUSES.label(m.status)
                + (" (archived)" if m.archived_at else ""),
                joined_on=m.joined_on,
                left_on=m.left_on,
                has_board_seat=m.has_board_seat,
                is_smg_member=m.is_smg_member,
                has_vote=m.has_vote,
            )
            for m in memberships
        ),
        contacts=tuple(
            ContactLine(c.full_name, c.role, c.email, c.phone, c.is_primary) for c in contacts
        ),
        papers=tuple(
            PaperLine(
                kind=COMPLIANCE_KINDS.label(p.kind),
                reference=p.reference,
                checked_on=p.checked_on,
                expires_on=p.expires_on,
                state=compliance_state(p.expires_on, warning_days, on),
            )
            for p in papers
        ),
        partnerships=tuple(
            PartnershipLine(
                contract_title=p.contract.title,
                consortium=p.contract.consortium.name,
                stage=CONTRACT_STAGES.label(p.contract.stage),
                role=PARTNER_ROLES.label(p.role),
                allocated_value_pence=p.allocated_value_pence,
                boroughs=partner_boroughs.get(p.id, ""),
            )
            for p in partners
        ),
        tickets=tuple(tickets),
        history=history_lines(uuids),
        stamp=print_stamp(),
    )


# --- a contract ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerLine:
    organisation_uuid: str
    organisation_name: str
    role: str
    allocated_value_pence: int
    boroughs: str
    compliance_override_reason: str
    #: the partner's own dates; None follows the contract's
    starts_on: date | None = None
    ends_on: date | None = None

    @property
    def term_text(self) -> str:
        """The partner's own dates in words, "" when it follows the contract's."""
        if self.starts_on and self.ends_on:
            return f"{format_uk_date(self.starts_on)} to {format_uk_date(self.ends_on)}"
        if self.starts_on:
            return f"from {format_uk_date(self.starts_on)}"
        return f"to {format_uk_date(self.ends_on)}" if self.ends_on else ""


@dataclass(frozen=True)
class StageChangeLine:
    changed_on: date
    from_stage: str
    to_stage: str
    changed_by: str
    reason: str


@dataclass(frozen=True)
class CommissionerContactLine:
    contacted_on: date
    kind: str
    with_whom: str
    notes: str
    logged_by: str


@dataclass(frozen=True)
class ContractRecord:
    """A contract with its partners, stages, contacts, figures, tickets and history."""

    uuid: str
    title: str
    reference: str
    consortium: str
    commissioner: str
    stage: str
    stage_code: str
    total_value_pence: int
    annual_value_pence: int
    starts_on: date | None
    ends_on: date | None
    period_kind: str
    tender_deadline_on: date | None
    decision_on: date | None
    contact_interval_days: int
    notes: str
    boroughs: str
    archived: bool
    partners: tuple[PartnerLine, ...]
    stage_changes: tuple[StageChangeLine, ...]
    commissioner_contacts: tuple[CommissionerContactLine, ...]
    performance: ContractPerformance | None
    """Figures to the last month with returns; None before any targets are set."""
    tickets: tuple[TicketLine, ...]
    history: tuple[HistoryLine, ...]
    stamp: PrintStamp


def find_contract(name: str) -> Contract:
    """The contract titled `name` (or with that reference); else the one whose title holds it."""
    text = (name or "").strip()
    if not text:
        raise DestaError("Give the title of a contract.")
    exact = list(
        Contract.select().where(
            (fn.LOWER(Contract.title) == text.lower()) | (Contract.reference == text)
        )
    )
    live = [c for c in exact if c.archived_at is None] or exact
    if len(live) == 1:
        return live[0]
    matches = list(
        Contract.select()
        .where(Contract.archived_at.is_null() & Contract.title.contains(text))
        .order_by(Contract.title)
        .limit(6)
    )
    if len(matches) == 1:
        return matches[0]
    if not matches and not live:
        raise DestaError(f"No contract is called {text!r}.")
    shown = "; ".join(c.title for c in (matches or live)[:5])
    raise DestaError(f"{text!r} matches several contracts ({shown}): give the full title.")


def partner_lines(contract_ids: Iterable[int]) -> dict[int, list[PartnerLine]]:
    """contract id -> its live partners (support provider first, then by name)."""
    contract_ids = list(contract_ids)
    partners = list(
        ContractPartner.select(ContractPartner, Organisation)
        .join(Organisation)
        .where(ContractPartner.contract.in_(contract_ids) & ContractPartner.archived_at.is_null())
        .order_by(ContractPartner.contract, Organisation.name)
    )
    boroughs = borough_names(
        ContractPartnerBorough, ContractPartnerBorough.partner, [p.id for p in partners]
    )
    order = {"lead": 0, "support": 1, "delivery": 2}
    result: dict[int, list[PartnerLine]] = defaultdict(list)
    for p in sorted(partners, key=lambda p: (order.get(p.role, 3), p.organisation.name.casefold())):
        result[p.contract_id].append(
            PartnerLine(
                organisation_uuid=p.organisation.uuid,
                organisation_name=p.organisation.name,
                role=PARTNER_ROLES.label(p.role),
                allocated_value_pence=p.allocated_value_pence,
                boroughs=boroughs.get(p.id, ""),
                compliance_override_reason=p.compliance_override_reason,
                starts_on=p.starts_on,
                ends_on=p.ends_on,
            )
        )
    return result


def contract_record(contract_uuid: str) -> ContractRecord:
    """Everything on one contract, with its history, for `desta report contract`."""
    contract = Contract.get_or_none(Contract.uuid == contract_uuid)
    if contract is None:
        raise DestaError("That contract no longer exists.")
    partners = partner_lines([contract.id]).get(contract.id, [])
    partner_records = list(
        ContractPartner.select(ContractPartner.uuid).where(ContractPartner.contract == contract)
    )
    stages = list(
        ContractStageChange.select()
        .where(
            (ContractStageChange.contract == contract) & ContractStageChange.archived_at.is_null()
        )
        .order_by(ContractStageChange.changed_on, ContractStageChange.id)
    )
    contacts = list(
        CommissionerContact.select()
        .where(
            (CommissionerContact.contract == contract) & CommissionerContact.archived_at.is_null()
        )
        .order_by(CommissionerContact.contacted_on.desc())
    )
    tickets = ticket_lines(ticket_rows(contract_uuid=contract.uuid, only_open=False))
    own_boroughs = borough_names(ContractBorough, ContractBorough.contract, [contract.id])
    figures = None
    if contract.stage in ("awarded", "in_delivery", "ended"):
        figures = contract_performance(contract.uuid)
        if not (figures.rows or figures.totals):
            figures = None
    uuids = [contract.uuid] + [p.uuid for p in partner_records] + [s.uuid for s in stages]
    uuids += [c.uuid for c in contacts]
    return ContractRecord(
        uuid=contract.uuid,
        title=contract.title,
        reference=contract.reference,
        consortium=contract.consortium.name,
        commissioner=_name(contract.commissioner) if contract.commissioner_id else "",
        stage=CONTRACT_STAGES.label(contract.stage),
        stage_code=contract.stage,
        total_value_pence=contract.total_value_pence,
        annual_value_pence=contract.annual_value_pence,
        starts_on=contract.starts_on,
        ends_on=contract.ends_on,
        period_kind=PERIOD_KINDS.label(contract.period_kind),
        tender_deadline_on=contract.tender_deadline_on,
        decision_on=contract.decision_on,
        contact_interval_days=contract.contact_interval_days,
        notes=contract.notes,
        boroughs=own_boroughs.get(contract.id, ""),
        archived=contract.archived_at is not None,
        partners=tuple(partners),
        stage_changes=tuple(
            StageChangeLine(
                changed_on=s.changed_on,
                from_stage=CONTRACT_STAGES.label(s.from_stage) if s.from_stage else "",
                to_stage=CONTRACT_STAGES.label(s.to_stage),
                changed_by=s.changed_by,
                reason=s.reason,
            )
            for s in stages
        ),
        commissioner_contacts=tuple(
            CommissionerContactLine(
                contacted_on=c.contacted_on,
                kind=CONTACT_KINDS.label(c.kind),
                with_whom=c.with_whom,
                notes=c.notes,
                logged_by=c.logged_by,
            )
            for c in contacts
        ),
        performance=figures,
        tickets=tuple(tickets),
        history=history_lines(uuids),
        stamp=print_stamp(),
    )


# --- the tickets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketsReport:
    """Every live ticket (or only the open ones), each with its whole log, actions and history."""

    only_open: bool
    tickets: tuple[TicketLine, ...]
    stamp: PrintStamp


def tickets_report(only_open: bool = False) -> TicketsReport:
    rows = sorted(ticket_rows(only_open=only_open), key=lambda row: row.reference)
    return TicketsReport(
        only_open=only_open,
        tickets=tuple(ticket_lines(rows, with_history=True)),
        stamp=print_stamp(),
    )


def ticket_record(ticket_uuid: str) -> TicketsReport:
    """One ticket, whole, as a tickets report of one (the app's Print on a ticket)."""
    lines = ticket_lines([get_ticket(ticket_uuid).row], with_history=True)
    return TicketsReport(only_open=False, tickets=tuple(lines), stamp=print_stamp())
