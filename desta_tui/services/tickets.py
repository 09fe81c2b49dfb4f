"""Provider support tickets: open, edit, climb the ladder, log notes and time, plan, close."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from peewee import JOIN, fn

from desta_tui.db.database import db
from desta_tui.db.models import (
    Contract,
    ContractPartner,
    Membership,
    Metric,
    Organisation,
    SupportTicket,
    TicketAction,
    TicketEvent,
    TicketMetric,
)
from desta_tui.domain.choices import (
    TICKET_CATEGORIES,
    TICKET_EVENT_KINDS,
    TICKET_PRIORITIES,
    TICKET_STAGES,
    TICKET_STATUSES,
)
from desta_tui.domain.dates import format_uk_date, parse_optional_uk_date
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.rag import Rag
from desta_tui.domain.tickets import (
    FINISHED_STATUSES,
    GREEN_MONTHS_TO_CLOSE,
    LADDER,
    all_back_at_green,
    allowed_statuses,
    days_overdue,
    due_date_for,
    format_due,
    format_minutes,
    green_months_in_a_row,
    is_finished,
    is_overdue,
    parse_minutes,
    stage_above,
    stage_below,
    validate_stage_move,
    validate_status_move,
)
from desta_tui.services.audit import (
    AuditEntry,
    audit_text,
    create_record,
    record_history,
    update_record,
)
from desta_tui.services.context import current_user, now, today
from desta_tui.services.contracts import contract_support_provider
from desta_tui.services.performance import (
    contract_performance,
    describe_figure,
    latest_returned_period,
)
from desta_tui.services.records import archive_record, restore_record, undo_last_archive
from desta_tui.services.search_index import fold
from desta_tui.services.settings import get_setting

TICKET_TABLE = SupportTicket._meta.table_name
ACTION_TABLE = TicketAction._meta.table_name

_REFERENCE = re.compile(r"T-(\d+)")

#: the fields a ticket form edits, in form order (stage and status move only by their own steps)
TICKET_FIELDS = ("provider", "contract", "support_provider", "subject", "category", "priority",
                 "owner", "due_on", "description", "metrics")  # fmt: skip


# --- what the services return -------------------------------------------------------------


@dataclass(frozen=True)
class TicketRow:
    """One ticket as a list shows it."""

    uuid: str
    reference: str
    subject: str
    provider_uuid: str
    provider_name: str
    contract_uuid: str | None
    contract_title: str
    support_provider_name: str
    category: str
    priority: str
    owner: str
    stage: str
    status: str
    opened_on: date
    due_on: date | None
    closed_on: date | None
    due_text: str
    is_overdue: bool
    days_overdue: int
    is_archived: bool = False

    @property
    def stage_label(self) -> str:
        return TICKET_STAGES.label(self.stage)

    @property
    def status_label(self) -> str:
        return TICKET_STATUSES.label(self.status)

    @property
    def priority_label(self) -> str:
        return TICKET_PRIORITIES.label(self.priority)

    @property
    def category_label(self) -> str:
        return TICKET_CATEGORIES.label(self.category)

    @property
    def is_finished(self) -> bool:
        return is_finished(self.status)


@dataclass(frozen=True)
class LinkedMetric:
    uuid: str
    code: str
    name: str


@dataclass(frozen=True)
class TicketEventView:
    """One line of the activity log."""

    uuid: str
    occurred_at: datetime
    who: str
    kind: str
    text: str
    minutes: int

    @property
    def kind_label(self) -> str:
        return TICKET_EVENT_KINDS.label(self.kind)

    @property
    def time_text(self) -> str:
        return format_minutes(self.minutes)


@dataclass(frozen=True)
class TicketActionView:
    """One item of the improvement plan."""

    uuid: str
    description: str
    owner: str
    due_on: date | None
    is_done: bool
    done_on: date | None
    due_text: str
    is_overdue: bool


@dataclass(frozen=True)
class TicketDetail:
    """A whole ticket: its fields, linked metrics, activity log and improvement plan."""

    row: TicketRow
    support_provider_uuid: str | None
    description: str
    outcome: str
    metrics: tuple[LinkedMetric, ...]
    events: tuple[TicketEventView, ...]
    actions: tuple[TicketActionView, ...]
    minutes_total: int
    has_had_plan: bool
    next_statuses: tuple[str, ...]

    def __getattr__(self, name: str) -> Any:
        # the list's fields read straight through: detail.reference, detail.stage ...
        if name.startswith("__") or "row" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.__dict__["row"], name)

    @property
    def stage_up(self) -> str | None:
        return stage_above(self.row.stage)

    @property
    def stage_down(self) -> str | None:
        return stage_below(self.row.stage)

    @property
    def time_text(self) -> str:
        return format_minutes(self.minutes_total) or "none logged"


@dataclass(frozen=True)
class TicketFilter:
    """What the tickets list shows. `status` "" shows the unfinished ones ("all": every one)."""

    text: str = ""
    status: str = ""
    stage: str = ""
    provider_uuid: str = ""
    contract_uuid: str = ""
    overdue_only: bool = False
    consortium_uuid: str | None = None

    @property
    def is_narrowed(self) -> bool:
        return bool(self.status or self.stage or self.provider_uuid or self.contract_uuid
                    or self.overdue_only)  # fmt: skip


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int
    overdue: int


@dataclass(frozen=True)
class TicketDraft:
    """A new ticket's form, filled in (from a red figure): values as the form takes them."""

    values: dict[str, Any]
    title: str
    existing_uuid: str | None = None
    existing_reference: str = ""


@dataclass(frozen=True)
class MetricMonths:
    """One linked metric's status month by month (oldest first), as the performance view has it."""

    code: str
    name: str
    months: tuple[tuple[str, str], ...]  # (period "2012-10", RAG word)
    green_in_a_row: int


@dataclass(frozen=True)
class TicketRecovery:
    """Whether the linked metrics are back at green for long enough to close the ticket."""

    is_back_at_green: bool
    message: str
    metrics: tuple[MetricMonths, ...] = field(default_factory=tuple)


# --- choices for forms and filters ----------------------------------------------------------


def provider_choices() -> list[tuple[str, str]]:
    """(name, uuid) of every live member organisation: the providers tickets are about."""
    query = (
        Organisation.select(Organisation.name, Organisation.uuid)
        .where(Organisation.archived_at.is_null() & (Organisation.is_member == True))  # noqa: E712
        .order_by(fn.lower(Organisation.name))
    )
    return list(query.tuples())


def support_provider_choices() -> list[tuple[str, str]]:
    """(name, uuid) of organisations that can give support (any but commissioners)."""
    query = (
        Organisation.select(Organisation.name, Organisation.uuid)
        .where(Organisation.archived_at.is_null() & (Organisation.is_commissioner == False))  # noqa: E712
        .order_by(fn.lower(Organisation.name))
    )
    return list(query.tuples())


def contract_choices() -> list[tuple[str, str]]:
    query = (
        Contract.select(Contract.title, Contract.uuid)
        .where(Contract.archived_at.is_null())
        .order_by(fn.lower(Contract.title))
    )
    return list(query.tuples())


def metric_choices() -> list[tuple[str, str]]:
    query = Metric.select(Metric.name, Metric.uuid).where(Metric.archived_at.is_null())
    return list(query.order_by(Metric.sort_order, Metric.name).tuples())


def ticket_provider_choices() -> list[tuple[str, str]]:
    """(name, uuid) of the providers that have tickets, for the list's filter."""
    query = (
        Organisation.select(Organisation.name, Organisation.uuid)
        .join(SupportTicket, on=(SupportTicket.provider == Organisation.id))
        .where(SupportTicket.archived_at.is_null())
        .group_by(Organisation.name, Organisation.uuid)  # PostgreSQL: no DISTINCT with lower()
        .order_by(fn.lower(Organisation.name))
    )
    return list(query.tuples())


def ticket_contract_choices() -> list[tuple[str, str]]:
    """(title, uuid) of the contracts that have tickets, for the list's filter."""
    query = (
        Contract.select(Contract.title, Contract.uuid)
        .join(SupportTicket, on=(SupportTicket.contract == Contract.id))
        .where(SupportTicket.archived_at.is_null())
        .group_by(Contract.title, Contract.uuid)  # PostgreSQL: no DISTINCT with lower()
        .order_by(fn.lower(Contract.title))
    )
    return list(query.tuples())


def contract_support_provider_uuid(contract_uuid: str | None) -> str | None:
    """The UUID of the contract's support provider (its partner with role "support"), if any."""
    if not contract_uuid:
        return None
    found = contract_support_provider(contract_uuid)
    return found.organisation_uuid if found is not None else None


def due_days() -> dict[str, int]:
    """Days allowed per priority, from Settings (missing priorities fall back to the default)."""
    from desta_tui.services.settings import DEFAULTS

    saved = get_setting("ticket_due_days") or {}
    return {**DEFAULTS["ticket_due_days"], **saved}


def default_due_on(priority: str, opened_on: date | None = None) -> date:
    """The due date a new ticket of `priority` gets when none is typed."""
    return due_date_for(priority, opened_on or today(), due_days())


# --- reading ----------------------------------------------------------------------------------


def _ticket_query(columns: Callable[[Any, Any], list]):
    """Tickets joined to their provider, support provider and contract; `columns(provider,
    support)` says what is read. Returns the query and the provider's alias to filter on."""
    provider, support = Organisation.alias(), Organisation.alias()
    return (
        SupportTicket.select(*columns(provider, support))
        .join(provider, on=(SupportTicket.provider == provider.id))
        .switch(SupportTicket)
        .join(support, JOIN.LEFT_OUTER, on=(SupportTicket.support_provider == support.id))
        .switch(SupportTicket)
        .join(Contract, JOIN.LEFT_OUTER, on=(SupportTicket.contract == Contract.id))
    ), provider


def _base_query():
    """Whole tickets with their related records, for one ticket's detail."""
    return _ticket_query(lambda provider, support: [SupportTicket, provider, support, Contract])


def _row(ticket: SupportTicket, on: date) -> TicketRow:
    contract = ticket.contract if ticket.contract_id else None
    support = ticket.support_provider if ticket.support_provider_id else None
    return _row_of(
        (ticket.uuid, ticket.reference, ticket.subject, ticket.provider.uuid, ticket.provider.name,
         contract.uuid if contract else None, contract.title if contract else None,
         support.name if support else None, ticket.category, ticket.priority, ticket.owner,
         ticket.stage, ticket.status, ticket.opened_on, ticket.due_on, ticket.closed_on,
         ticket.archived_at),
        on,
    )  # fmt: skip


def _list_query():
    """Only the columns a list shows, as plain tuples: a list of thousands of tickets would
    otherwise spend most of its time building four whole model objects per row."""
    return _ticket_query(
        lambda provider, support: [
            SupportTicket.uuid, SupportTicket.reference, SupportTicket.subject, provider.uuid,
            provider.name, Contract.uuid, Contract.title, support.name, SupportTicket.category,
            SupportTicket.priority, SupportTicket.owner, SupportTicket.stage,
            SupportTicket.status, SupportTicket.opened_on, SupportTicket.due_on,
            SupportTicket.closed_on, SupportTicket.archived_at,
        ]
    )  # fmt: skip


def _row_of(values: tuple, on: date) -> TicketRow:
    """A TicketRow from the columns of `_list_query`, in its order."""
    (uuid, reference, subject, provider_uuid, provider_name, contract_uuid, contract_title,
     support_name, category, priority, owner, stage, status, opened_on, due_on, closed_on,
     archived_at) = values  # fmt: skip
    finished = is_finished(status)
    return TicketRow(
        uuid=uuid,
        reference=reference,
        subject=subject,
        provider_uuid=provider_uuid,
        provider_name=provider_name,
        contract_uuid=contract_uuid,
        contract_title=contract_title or "",
        support_provider_name=support_name or "",
        category=category,
        priority=priority,
        owner=owner,
        stage=stage,
        status=status,
        opened_on=opened_on,
        due_on=due_on,
        closed_on=closed_on,
        due_text=format_due(due_on, on, status),
        is_overdue=is_overdue(due_on, on, status),
        days_overdue=days_overdue(due_on, on) if not finished else 0,
        is_archived=archived_at is not None,
    )


def _in_consortium(query, consortium_uuid: str | None):
    """Tickets under the consortium's contracts, or with no contract but a member provider."""
    if not consortium_uuid:
        return query
    from desta_tui.db.models import Consortium

    members = (
        Membership.select(Membership.organisation)
        .join(Consortium)
        .where((Consortium.uuid == consortium_uuid) & Membership.archived_at.is_null())
    )
    contracts = (
        Contract.select(Contract.id).join(Consortium).where(Consortium.uuid == consortium_uuid)
    )
    return query.where(
        SupportTicket.contract.in_(contracts)
        | (SupportTicket.contract.is_null() & SupportTicket.provider.in_(members))
    )


def list_tickets(wanted: TicketFilter | None = None) -> list[TicketRow]:
    """Tickets matching `wanted`: unfinished first, soonest due first, then by reference."""
    wanted = wanted or TicketFilter()
    on = today()
    query, _provider = _list_query()
    query = query.where(SupportTicket.archived_at.is_null())
    if wanted.status == "all":
        pass
    elif wanted.status:
        query = query.where(SupportTicket.status == wanted.status)
    elif not wanted.text:
        # a search looks everywhere; the plain list keeps to the live work
        query = query.where(SupportTicket.status.not_in(sorted(FINISHED_STATUSES)))
    if wanted.stage:
        query = query.where(SupportTicket.stage == wanted.stage)
    if wanted.provider_uuid:
        query = query.where(_provider.uuid == wanted.provider_uuid)
    if wanted.contract_uuid:
        query = query.where(Contract.uuid == wanted.contract_uuid)
    if wanted.overdue_only:
        query = query.where(
            (SupportTicket.due_on < on) & SupportTicket.status.not_in(sorted(FINISHED_STATUSES))
        )
    query = _in_consortium(query, wanted.consortium_uuid)
    rows = [_row_of(values, on) for values in query.tuples()]
    if wanted.text.strip():
        words = fold(wanted.text).split()
        rows = [row for row in rows if _holds_all(_haystack(row), words)]
    rows.sort(key=_list_order)
    return rows


def _haystack(row: TicketRow) -> str:
    return fold(" | ".join((row.reference, row.subject, row.provider_name, row.contract_title,
                            row.support_provider_name, row.owner, row.stage_label,
                            row.status_label, row.category_label)))  # fmt: skip


def _holds_all(haystack: str, words: list[str]) -> bool:
    return all(word in haystack for word in words)


def _list_order(row: TicketRow) -> tuple:
    return (row.is_finished, row.due_on is None, row.due_on or date.max, row.reference)


def overdue_tickets(consortium_uuid: str | None = None) -> list[TicketRow]:
    """Unfinished tickets past their due date, most overdue first (for the dashboard)."""
    rows = list_tickets(TicketFilter(overdue_only=True, consortium_uuid=consortium_uuid))
    return sorted(rows, key=lambda row: (-row.days_overdue, row.reference))


def open_tickets_by_stage(consortium_uuid: str | None = None) -> list[StageCount]:
    """Unfinished tickets counted per rung of the ladder, with how many of them are overdue."""
    rows = list_tickets(TicketFilter(consortium_uuid=consortium_uuid))
    return [
        StageCount(
            stage=stage,
            label=TICKET_STAGES.label(stage),
            count=sum(1 for row in rows if row.stage == stage),
            overdue=sum(1 for row in rows if row.stage == stage and row.is_overdue),
        )
        for stage in LADDER
    ]


def _ticket(ticket_uuid: str) -> SupportTicket:
    query, _ = _base_query()
    ticket = query.where(SupportTicket.uuid == ticket_uuid).first()
    if ticket is None:
        raise DestaError("That support ticket no longer exists.")
    return ticket


def _has_had_plan(ticket: SupportTicket) -> bool:
    if ticket.stage in ("improvement_plan", "remedial_action"):
        return True
    # a stage event that went to the improvement plan (the log text names the rung it reached)
    plan = TICKET_STAGES.label("improvement_plan")
    return (
        TicketEvent.select()
        .where(
            (TicketEvent.ticket == ticket)
            & (TicketEvent.kind == "stage")
            & TicketEvent.text.contains(f"-> {plan}")
        )
        .exists()
    )


def get_ticket(ticket_uuid: str) -> TicketDetail:
    """The whole ticket: fields, linked metrics, activity log (newest first) and actions."""
    ticket = _ticket(ticket_uuid)
    on = today()
    metrics = (
        Metric.select(Metric.uuid, Metric.code, Metric.name)
        .join(TicketMetric)
        .where(TicketMetric.ticket == ticket)
        .order_by(Metric.sort_order, Metric.name)
    )
    events = (
        TicketEvent.select()
        .where((TicketEvent.ticket == ticket) & TicketEvent.archived_at.is_null())
        .order_by(TicketEvent.occurred_at.desc(), TicketEvent.id.desc())
    )
    actions = (
        TicketAction.select()
        .where((TicketAction.ticket == ticket) & TicketAction.archived_at.is_null())
        .order_by(
            TicketAction.is_done,
            TicketAction.due_on.is_null(),
            TicketAction.due_on,
            TicketAction.id,
        )  # fmt: skip
    )
    event_views = tuple(
        TicketEventView(e.uuid, e.occurred_at, e.who, e.kind, e.text, e.minutes) for e in events
    )
    return TicketDetail(
        row=_row(ticket, on),
        support_provider_uuid=ticket.support_provider.uuid if ticket.support_provider_id else None,
        description=ticket.description,
        outcome=ticket.outcome,
        metrics=tuple(LinkedMetric(m.uuid, m.code, m.name) for m in metrics),
        events=event_views,
        actions=tuple(_action_view(action, on) for action in actions),
        minutes_total=sum(event.minutes for event in event_views),
        has_had_plan=_has_had_plan(ticket),
        next_statuses=allowed_statuses(ticket.status),
    )


def _action_view(action: TicketAction, on: date) -> TicketActionView:
    status = "closed" if action.is_done else "open"
    return TicketActionView(
        uuid=action.uuid,
        description=action.description,
        owner=action.owner,
        due_on=action.due_on,
        is_done=action.is_done,
        done_on=action.done_on,
        due_text=format_due(action.due_on, on, status),
        is_overdue=is_overdue(action.due_on, on, status),
    )


def ticket_history(ticket_uuid: str) -> list[AuditEntry]:
    """The audit history of the ticket, its actions and its log entries, newest first."""
    ticket = _ticket(ticket_uuid)
    uuids = [ticket.uuid]
    uuids += [
        a.uuid for a in TicketAction.select(TicketAction.uuid).where(TicketAction.ticket == ticket)
    ]
    return record_history(uuids)


# --- writing ------------------------------------------------------------------------------------


def _log(ticket: SupportTicket, kind: str, text: str, minutes: int = 0) -> TicketEvent:
    """Add an entry to the activity log (never edited or deleted afterwards)."""
    stamp = now()
    return create_record(
        TicketEvent, ticket=ticket, occurred_at=stamp, who=current_user(), kind=kind, text=text,
        minutes=minutes, created_at=stamp, updated_at=stamp,
    )  # fmt: skip


def next_reference() -> str:
    """T-0001, T-0002 ...: one more than the highest reference ever given (archived too)."""
    highest = 0
    for (reference,) in SupportTicket.select(SupportTicket.reference).tuples():
        if match := _REFERENCE.fullmatch(reference or ""):
            highest = max(highest, int(match[1]))
    return f"T-{highest + 1:04d}"


def _organisation(uuid: str, field_name: str, words: str) -> Organisation | None:
    if not uuid:
        return None
    found = Organisation.get_or_none(Organisation.uuid == uuid)
    if found is None or found.archived_at is not None:
        raise ValidationError(field_name, f"that {words} is no longer in the list")
    return found


def _clean(values: Mapping[str, Any], ticket: SupportTicket | None) -> dict[str, Any]:
    """Form values (raw text and UUIDs) checked and turned into model values, or FormError."""
    errors: list[ValidationError] = []
    clean: dict[str, Any] = {}

    def attempt(name: str, work) -> None:
        try:
            clean[name] = work()
        except ValidationError as error:
            errors.append(error)

    def text(name: str) -> str:
        value = values.get(name, "")
        return "" if value is None else str(value).strip()

    provider_uuid = text("provider")
    if not provider_uuid:
        errors.append(ValidationError("provider", "choose the provider the ticket is about"))
    else:
        attempt("provider", lambda: _organisation(provider_uuid, "provider", "provider"))

    contract_uuid = text("contract")

    def contract() -> Contract | None:
        if not contract_uuid:
            return None
        found = Contract.get_or_none(Contract.uuid == contract_uuid)
        if found is None or found.archived_at is not None:
            raise ValidationError("contract", "that contract is no longer in the list")
        return found

    attempt("contract", contract)

    support_uuid = text("support_provider") or contract_support_provider_uuid(contract_uuid) or ""
    attempt(
        "support_provider",
        lambda: _organisation(support_uuid, "support_provider", "support provider"),
    )

    subject = " ".join(text("subject").split())
    if not subject:
        errors.append(ValidationError("subject", "say in a few words what the ticket is about"))
    elif len(subject) > 200:
        errors.append(ValidationError("subject", "keep the subject under 200 characters"))
    clean["subject"] = subject

    category = text("category") or "other"
    if category not in TICKET_CATEGORIES.codes:
        errors.append(ValidationError("category", f"{category!r} is not a category"))
    clean["category"] = category
    priority = text("priority") or "normal"
    if priority not in TICKET_PRIORITIES.codes:
        errors.append(ValidationError("priority", f"{priority!r} is not a priority"))
    clean["priority"] = priority
    clean["owner"] = " ".join(text("owner").split())
    clean["description"] = str(values.get("description") or "").strip()

    opened_on = ticket.opened_on if ticket is not None else today()
    due_text = text("due_on")
    try:
        due_on = parse_optional_uk_date(due_text, "due_on", today=today())
        if due_on is None and priority in TICKET_PRIORITIES.codes:
            due_on = due_date_for(priority, opened_on, due_days())
        if due_on is not None and due_on < opened_on:
            raise ValidationError(
                "due_on",
                f"the due date is before the ticket was opened ({format_uk_date(opened_on)})",
            )
        clean["due_on"] = due_on
    except ValidationError as error:
        errors.append(ValidationError("due_on", error.message))

    metric_uuids = values.get("metrics") or []
    if isinstance(metric_uuids, str):
        metric_uuids = [part for part in metric_uuids.split(",") if part.strip()]
    metrics = list(Metric.select().where(Metric.uuid.in_([str(u).strip() for u in metric_uuids])))
    if len(metrics) != len(set(metric_uuids)):
        errors.append(ValidationError("metrics", "a chosen metric is no longer in the list"))
    clean["metrics"] = metrics

    provider, support = clean.get("provider"), clean.get("support_provider")
    if provider is not None and support is not None and provider.id == support.id:
        errors.append(
            ValidationError("support_provider", "a provider cannot be its own support provider")
        )
    the_contract = clean.get("contract")
    changed_pair = ticket is None or (
        provider is not None
        and (provider.id != ticket.provider_id or
             (the_contract.id if the_contract else None) != ticket.contract_id)
    )  # fmt: skip
    if provider is not None and the_contract is not None and changed_pair:
        is_partner = (
            ContractPartner.select()
            .where(
                (ContractPartner.contract == the_contract)
                & (ContractPartner.organisation == provider)
                & ContractPartner.archived_at.is_null()
            )
            .exists()
        )
        if not is_partner:
            errors.append(
                ValidationError(
                    "provider", f"{provider.name} is not a partner on {the_contract.title}"
                )  # fmt: skip
            )
    FormError.raise_if_any(errors)
    return clean


def create_ticket(values: Mapping[str, Any]) -> TicketDetail:
    """Open a ticket from form values; its first log entry says who opened it and why."""
    with db.atomic():
        clean = _clean(values, None)
        metrics = clean.pop("metrics")
        ticket = create_record(
            SupportTicket,
            reference=next_reference(),
            opened_on=today(),
            stage="support",
            status="open",
            **clean,
        )
        for metric in metrics:
            TicketMetric.create(ticket=ticket, metric=metric)
        opened = f"Ticket opened: {ticket.subject}"
        if metrics:
            opened += f" (metrics: {', '.join(m.name for m in metrics)})"
        _log(ticket, "created", opened)
    return get_ticket(ticket.uuid)


_CHANGE_WORDS = {
    "provider": "provider", "contract": "contract", "support_provider": "support provider",
    "subject": "subject", "category": "category", "priority": "priority", "owner": "owner",
    "due_on": "due date", "description": "description",
}  # fmt: skip
_VOCABULARIES = {"category": TICKET_CATEGORIES, "priority": TICKET_PRIORITIES}


def _change_words(name: str, value: Any) -> str:
    if name in _VOCABULARIES:
        return _VOCABULARIES[name].label(value)
    return audit_text(name, value) or "none"


def update_ticket(ticket_uuid: str, values: Mapping[str, Any]) -> TicketDetail:
    """Save an edited ticket; each change is audited and summed up in one log entry."""
    with db.atomic():
        ticket = _ticket(ticket_uuid)
        if ticket.archived_at is not None:
            raise DestaError(f"{ticket.reference} is archived: restore it before editing.")
        clean = _clean(values, ticket)
        metrics = clean.pop("metrics")
        before = {name: getattr(ticket, name) for name in clean}
        changed = update_record(ticket, **clean)
        words = []
        for name in changed:
            if name == "description":
                words.append("description edited")
            else:
                old, new = _change_words(name, before[name]), _change_words(name, clean[name])
                words.append(f"{_CHANGE_WORDS.get(name, name)} {old} -> {new}")
        old_ids = {
            link.metric_id for link in TicketMetric.select().where(TicketMetric.ticket == ticket)
        }
        new_ids = {metric.id for metric in metrics}
        if old_ids != new_ids:
            TicketMetric.delete().where(TicketMetric.ticket == ticket).execute()
            for metric in metrics:
                TicketMetric.create(ticket=ticket, metric=metric)
            names = ", ".join(m.name for m in metrics) or "none"
            words.append(f"metrics now {names}")
            from desta_tui.services.audit import write_audit

            write_audit(ticket, "update", "metrics", None, names)
        if words:
            _log(ticket, "change", "Changed: " + "; ".join(words))
    return get_ticket(ticket_uuid)


def _live_ticket(ticket_uuid: str) -> SupportTicket:
    ticket = _ticket(ticket_uuid)
    if ticket.archived_at is not None:
        raise DestaError(f"{ticket.reference} is archived: restore it first.")
    return ticket


def change_ticket_stage(
    ticket_uuid: str, to_stage: str, reason: str, *, override: bool = False
) -> TicketDetail:
    """Move the ticket on the ladder, with a reason; the move goes in the log."""
    with db.atomic():
        ticket = _live_ticket(ticket_uuid)
        if is_finished(ticket.status):
            raise DestaError(
                f"{ticket.reference} is {TICKET_STATUSES.label(ticket.status).lower()}: "
                "reopen it before moving it on the ladder."
            )
        move = validate_stage_move(
            ticket.stage, to_stage, reason, has_had_plan=_has_had_plan(ticket), override=override
        )
        update_record(ticket, stage=to_stage)
        _log(ticket, "stage", move.text)
    return get_ticket(ticket_uuid)


def move_ticket_up(ticket_uuid: str, reason: str, *, override: bool = False) -> TicketDetail:
    """One rung up the ladder (or, with `override`, straight to remedial action)."""
    ticket = _live_ticket(ticket_uuid)
    target = "remedial_action" if override else stage_above(ticket.stage)
    if target is None:
        raise ValidationError("stage", "remedial action is the top of the ladder")
    return change_ticket_stage(ticket_uuid, target, reason, override=override)


def move_ticket_down(ticket_uuid: str, reason: str) -> TicketDetail:
    ticket = _live_ticket(ticket_uuid)
    target = stage_below(ticket.stage)
    if target is None:
        raise ValidationError("stage", "support is the bottom of the ladder")
    return change_ticket_stage(ticket_uuid, target, reason)


def change_ticket_status(
    ticket_uuid: str, to_status: str, *, reason: str = "", outcome: str = ""
) -> TicketDetail:
    """Move the status; closing records the outcome and the day, reopening clears the day."""
    reason, outcome = (reason or "").strip(), (outcome or "").strip()
    with db.atomic():
        ticket = _live_ticket(ticket_uuid)
        validate_status_move(ticket.status, to_status, reason=reason, outcome=outcome)
        old = ticket.status
        changes: dict[str, Any] = {"status": to_status}
        if to_status == "closed":
            changes.update(closed_on=today(), outcome=outcome)
        elif old == "closed":
            changes["closed_on"] = None
        update_record(ticket, **changes)
        text = f"{TICKET_STATUSES.label(old)} -> {TICKET_STATUSES.label(to_status)}"
        detail = outcome if to_status == "closed" else reason
        if detail:
            text += f": {detail}"
        _log(ticket, "status", text)
    return get_ticket(ticket_uuid)


def close_ticket(ticket_uuid: str, outcome: str) -> TicketDetail:
    """Close with an outcome (what came of the support)."""
    return change_ticket_status(ticket_uuid, "closed", outcome=outcome)


def add_ticket_note(ticket_uuid: str, text: str, minutes: str | int = "") -> TicketEventView:
    """Add a note to the log, with the time it took if given."""
    text = (text or "").strip()
    errors = []
    if not text:
        errors.append(ValidationError("text", "write the note"))
    try:
        spent = minutes if isinstance(minutes, int) else parse_minutes(minutes, allow_zero=True)
    except ValidationError as error:
        errors.append(error)
        spent = 0
    FormError.raise_if_any(errors)
    with db.atomic():
        event = _log(_live_ticket(ticket_uuid), "note", text, spent)
    return TicketEventView(event.uuid, event.occurred_at, event.who, event.kind, event.text,
                           event.minutes)  # fmt: skip


def log_ticket_time(ticket_uuid: str, minutes: str | int, text: str = "") -> TicketEventView:
    """Log time spent on the ticket (what it was spent on is optional)."""
    spent = minutes if isinstance(minutes, int) else parse_minutes(minutes)
    if spent <= 0:
        raise ValidationError("minutes", "the time spent must be more than 0 minutes")
    with db.atomic():
        ticket = _live_ticket(ticket_uuid)
        event = _log(
            ticket, "time", (text or "").strip() or f"{format_minutes(spent)} spent", spent
        )
    return TicketEventView(event.uuid, event.occurred_at, event.who, event.kind, event.text,
                           event.minutes)  # fmt: skip


def archive_ticket(ticket_uuid: str):
    """Archive a ticket (it leaves the lists; `u` brings it back)."""
    return archive_record(TICKET_TABLE, ticket_uuid)


def restore_ticket(ticket_uuid: str):
    return restore_record(TICKET_TABLE, ticket_uuid)


def undo_ticket_archive():
    """Restore the last ticket this person archived; None when there is none."""
    return undo_last_archive([TICKET_TABLE])


# --- improvement plan actions -----------------------------------------------------------------


def _clean_action(values: Mapping[str, Any]) -> dict[str, Any]:
    errors = []
    description = " ".join(str(values.get("description") or "").split())
    if not description:
        errors.append(ValidationError("description", "say what is to be done"))
    owner = " ".join(str(values.get("owner") or "").split())
    due_on = None
    try:
        due_on = parse_optional_uk_date(str(values.get("due_on") or ""), "due_on", today=today())
    except ValidationError as error:
        errors.append(error)
    FormError.raise_if_any(errors)
    return {"description": description, "owner": owner, "due_on": due_on,
            "is_done": bool(values.get("is_done"))}  # fmt: skip


def add_ticket_action(ticket_uuid: str, values: Mapping[str, Any]) -> TicketActionView:
    """Add an item to the improvement plan (owner, due date, done)."""
    clean = _clean_action(values)
    with db.atomic():
        ticket = _live_ticket(ticket_uuid)
        clean["done_on"] = today() if clean["is_done"] else None
        action = create_record(TicketAction, ticket=ticket, **clean)
        due = f", due {format_uk_date(action.due_on)}" if action.due_on else ""
        owner = f" ({action.owner}{due})" if action.owner else (f" ({due[2:]})" if due else "")
        _log(ticket, "action", f"Action added: {action.description}{owner}")
    return _action_view(action, today())


def _action(action_uuid: str) -> TicketAction:
    action = TicketAction.get_or_none(TicketAction.uuid == action_uuid)
    if action is None:
        raise DestaError("That action no longer exists.")
    return action


def update_ticket_action(action_uuid: str, values: Mapping[str, Any]) -> TicketActionView:
    clean = _clean_action(values)
    with db.atomic():
        action = _action(action_uuid)
        was_done = action.is_done
        if clean["is_done"] != was_done:
            clean["done_on"] = today() if clean["is_done"] else None
        changed = update_record(action, **clean)
        if changed:
            if "is_done" in changed:
                word = "done" if action.is_done else "not done after all"
                text = f"Action {word}: {action.description}"
            else:
                text = f"Action changed: {action.description}"
            _log(action.ticket, "action", text)
    return _action_view(action, today())


def set_action_done(action_uuid: str, is_done: bool = True) -> TicketActionView:
    """Tick an action done (or undo the tick); the log says so."""
    action = _action(action_uuid)
    return update_ticket_action(
        action_uuid,
        {"description": action.description, "owner": action.owner,
         "due_on": format_uk_date(action.due_on), "is_done": is_done},
    )  # fmt: skip


def archive_ticket_action(action_uuid: str):
    """Take an action off the plan (archived, restorable); the log says so."""
    with db.atomic():
        action = _action(action_uuid)
        ref = archive_record(ACTION_TABLE, action_uuid)
        _log(action.ticket, "action", f"Action removed: {action.description}")
    return ref


# --- from a red figure, and back at green -------------------------------------------------------


def open_ticket_from_figure(figure: Any) -> TicketDraft:
    """A new ticket's form filled in from a red performance figure (a `FigureRow`).

    If an unfinished ticket already covers this provider, contract and metric, the draft names
    it so the screen can offer that one first.
    """
    metric = Metric.get_or_none(Metric.code == figure.metric_code)
    provider_uuid = getattr(figure, "organisation_uuid", "") or ""
    contract_uuid = getattr(figure, "contract_uuid", "") or ""
    percent = figure.rag.percent
    subject = f"{figure.metric_name} behind target"
    if percent and percent != "–":
        subject += f" ({percent} of target to date)"
    lines = [describe_figure(figure) + "."]
    category = "data_returns" if figure.months_of_data == 0 else "other"
    values = {
        "provider": provider_uuid,
        "contract": contract_uuid,
        "support_provider": contract_support_provider_uuid(contract_uuid) or "",
        "subject": subject,
        "category": category,
        "priority": "high",
        "owner": "",
        "due_on": format_uk_date(default_due_on("high")),
        "description": "\n".join(lines),
        "metrics": [metric.uuid] if metric else [],
    }
    existing = None
    if metric is not None and provider_uuid:
        query, provider = _base_query()
        query = (
            query.join(TicketMetric, on=(TicketMetric.ticket == SupportTicket.id))
            .where(
                (provider.uuid == provider_uuid)
                & (TicketMetric.metric == metric)
                & SupportTicket.archived_at.is_null()
                & SupportTicket.status.not_in(sorted(FINISHED_STATUSES))
            )
            .order_by(SupportTicket.opened_on.desc())
        )
        if contract_uuid:
            query = query.where(Contract.uuid == contract_uuid)
        existing = query.first()
    return TicketDraft(
        values=values,
        title=f"New support ticket: {figure.organisation_name}, {figure.metric_name}",
        existing_uuid=existing.uuid if existing else None,
        existing_reference=existing.reference if existing else "",
    )


def minutes_by_ticket(ticket_uuids: Iterable[str]) -> dict[str, int]:
    """Total minutes logged per ticket."""
    query = (
        SupportTicket.select(SupportTicket.uuid, fn.SUM(TicketEvent.minutes))
        .join(TicketEvent)
        .where(SupportTicket.uuid.in_(list(ticket_uuids)))
        .group_by(SupportTicket.uuid)
        .tuples()
    )
    return {uuid: total or 0 for uuid, total in query}


#: months of status the recovery check shows per linked metric
RECOVERY_MONTHS = 3


def ticket_recovery(ticket_uuid: str) -> TicketRecovery:
    """Whether every linked metric is back at green for two months in a row.

    Judged on the status the performance view shows (the provider's figure to date at the end of
    each month, from the performance service), so the ticket and the view never disagree.
    """
    ticket = get_ticket(ticket_uuid)
    if not ticket.metrics:
        return TicketRecovery(False, "No metrics are linked: edit the ticket to follow some.")
    if not ticket.contract_uuid:
        return TicketRecovery(False, "No contract: the ticket has no figures to follow.")
    latest = latest_returned_period(ticket.contract_uuid)
    if latest is None:
        return TicketRecovery(False, "No returns yet for the contract.")
    months = [latest.shift(-back) for back in range(RECOVERY_MONTHS - 1, -1, -1)]
    by_metric: dict[str, list[tuple[str, Rag]]] = {m.code: [] for m in ticket.metrics}
    for period in months:
        figures = contract_performance(ticket.contract_uuid, up_to=period)
        found = {
            row.metric_code: row.rag.rag
            for row in figures.rows
            if row.organisation_uuid == ticket.provider_uuid
        }
        for code, series in by_metric.items():
            series.append((period.label, found.get(code, Rag.NO_DATA)))
    lines = tuple(
        MetricMonths(
            code=metric.code,
            name=metric.name,
            months=tuple((label, rag.word) for label, rag in by_metric[metric.code]),
            green_in_a_row=green_months_in_a_row([rag for _, rag in by_metric[metric.code]]),
        )
        for metric in ticket.metrics
    )
    rags = {code: [rag for _, rag in series] for code, series in by_metric.items()}
    back = all_back_at_green(rags, GREEN_MONTHS_TO_CLOSE)
    names = ", ".join(line.name for line in lines)
    if back:
        message = (
            f"Back at green for {GREEN_MONTHS_TO_CLOSE} months in a row to {latest.label} "
            f"({names}): the ticket can be closed with an outcome."
        )
    else:
        behind = [
            f"{line.name} {line.months[-1][1].lower()} in {latest.label}"
            for line in lines
            if line.green_in_a_row < GREEN_MONTHS_TO_CLOSE
        ]
        message = "Not yet back at green: " + "; ".join(behind) + "."
    return TicketRecovery(back, message, lines)
