"""The activity log: entries are only ever added, never edited or deleted afterwards."""

from __future__ import annotations

from desta_tui.db.models import SupportTicket, TicketEvent
from desta_tui.services.audit import create_record
from desta_tui.services.context import current_user, now
from desta_tui.services.tickets.views import TicketEventView


def log_event(ticket: SupportTicket, kind: str, text: str, minutes: int = 0) -> TicketEvent:
    """Add an entry to the ticket's activity log, stamped now and with who did it."""
    stamp = now()
    return create_record(
        TicketEvent, ticket=ticket, occurred_at=stamp, who=current_user(), kind=kind, text=text,
        minutes=minutes, created_at=stamp, updated_at=stamp,
    )  # fmt: skip


def event_view(event: TicketEvent) -> TicketEventView:
    return TicketEventView(event.uuid, event.occurred_at, event.who, event.kind, event.text,
                           event.minutes)  # fmt: skip
