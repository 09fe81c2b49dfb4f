"""The one set of joins every ticket read goes through, and a ticket row built from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from peewee import JOIN

from desta_tui.db.database import db
from desta_tui.db.models import Contract, Organisation, SupportTicket, TicketAction
from desta_tui.domain.errors import DestaError
from desta_tui.domain.ticket_due import days_overdue, format_due, is_finished, is_overdue
from desta_tui.services.tickets.ticket_row import TicketRow

TICKET_TABLE = SupportTicket._meta.table_name
ACTION_TABLE = TicketAction._meta.table_name


def ticket_query(columns: Callable[[Any, Any], list]):
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


def whole_ticket_query():
    """Whole tickets with their related records, for one ticket's detail."""
    return ticket_query(lambda provider, support: [SupportTicket, provider, support, Contract])


def list_query():
    """Only the columns a list shows, as plain tuples: a list of thousands of tickets would
    otherwise spend most of its time building four whole model objects per row."""
    return ticket_query(
        lambda provider, support: [
            SupportTicket.uuid, SupportTicket.reference, SupportTicket.subject, provider.uuid,
            provider.name, Contract.uuid, Contract.title, support.name, SupportTicket.category,
            SupportTicket.priority, SupportTicket.owner, SupportTicket.stage,
            SupportTicket.status, SupportTicket.opened_on, SupportTicket.due_on,
            SupportTicket.closed_on, SupportTicket.archived_at,
        ]
    )  # fmt: skip


def list_rows(query, on: date) -> list[TicketRow]:
    """TicketRows of a `list_query`, read as the driver gives them: a list of thousands of
    tickets would spend most of its time having peewee convert each of their values."""
    return [row_of(values, on) for values in db.execute_sql(*query.sql()).fetchall()]


def _day(value: Any) -> date | None:
    """A date column as SQLite gives it (ISO text) or PostgreSQL does (a date)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    return value


def row_of(values: tuple, on: date) -> TicketRow:
    """A TicketRow from the columns of `list_query`, in its order."""
    (uuid, reference, subject, provider_uuid, provider_name, contract_uuid, contract_title,
     support_name, category, priority, owner, stage, status, opened_on, due_on, closed_on,
     archived_at) = values  # fmt: skip
    opened_on, due_on, closed_on = _day(opened_on), _day(due_on), _day(closed_on)
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


def row_of_ticket(ticket: SupportTicket, on: date) -> TicketRow:
    """The same TicketRow from a whole ticket of `whole_ticket_query`."""
    contract = ticket.contract if ticket.contract_id else None
    support = ticket.support_provider if ticket.support_provider_id else None
    return row_of(
        (ticket.uuid, ticket.reference, ticket.subject, ticket.provider.uuid, ticket.provider.name,
         contract.uuid if contract else None, contract.title if contract else None,
         support.name if support else None, ticket.category, ticket.priority, ticket.owner,
         ticket.stage, ticket.status, ticket.opened_on, ticket.due_on, ticket.closed_on,
         ticket.archived_at),
        on,
    )  # fmt: skip


def load_ticket(ticket_uuid: str) -> SupportTicket:
    """The whole ticket (archived too), or DestaError when it is gone."""
    query, _ = whole_ticket_query()
    ticket = query.where(SupportTicket.uuid == ticket_uuid).first()
    if ticket is None:
        raise DestaError("That support ticket no longer exists.")
    return ticket


def load_live_ticket(ticket_uuid: str) -> SupportTicket:
    """The whole ticket, or DestaError when it is gone or archived (nothing is added to those)."""
    ticket = load_ticket(ticket_uuid)
    if ticket.archived_at is not None:
        raise DestaError(f"{ticket.reference} is archived: restore it first.")
    return ticket
