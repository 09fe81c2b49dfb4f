"""The overdue tickets the dashboard lists and counts, and which tickets are a consortium's:
apart from the listing's filter and counts, which the dashboard's start does not load."""

from __future__ import annotations

from desta_tui.db.models import Consortium, Contract, Membership, SupportTicket
from desta_tui.domain.ticket_due import UNFINISHED_STATUSES
from desta_tui.services.context import today
from desta_tui.services.tickets.queries import list_query, list_rows
from desta_tui.services.tickets.ticket_row import TicketRow


def in_consortium(query, consortium_uuid: str | None):
    """Tickets under the consortium's contracts, or with no contract but a member provider."""
    if not consortium_uuid:
        return query
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


def _overdue_query(consortium_uuid: str | None):
    """The live unfinished tickets past their due date (the list's "overdue only"), and today."""
    on = today()
    query, _provider = list_query()
    query = query.where(
        SupportTicket.archived_at.is_null()
        & (SupportTicket.due_on < on)
        & SupportTicket.status.in_(UNFINISHED_STATUSES)
    )
    return in_consortium(query, consortium_uuid), on


def overdue_tickets(
    consortium_uuid: str | None = None, limit: int | None = None
) -> list[TicketRow]:
    """Unfinished tickets past their due date, most overdue first (for the dashboard): all of
    them, or the first `limit`, picked by the database."""
    query, on = _overdue_query(consortium_uuid)
    query = query.order_by(SupportTicket.due_on, SupportTicket.reference)
    if limit is not None:
        query = query.limit(limit)
    rows = list_rows(query, on)
    return sorted(rows, key=lambda row: (-row.days_overdue, row.reference))


def count_overdue_tickets(consortium_uuid: str | None = None) -> int:
    """How many tickets `overdue_tickets` would give."""
    query, _on = _overdue_query(consortium_uuid)
    return query.count()
