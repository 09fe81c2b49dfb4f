"""A ticket's life after it opens: the ladder, its status, notes and time, archive and restore."""

from __future__ import annotations

from desta_tui.db.database import db
from desta_tui.domain.tickets import (
    next_stage_down,
    next_stage_up,
    validate_ladder_open,
    validate_note,
    validate_stage_move,
    validate_status_move,
    validate_time_entry,
)
from desta_tui.services.audit import update_record
from desta_tui.services.context import today
from desta_tui.services.records import archive_record, restore_record, undo_last_archive
from desta_tui.services.tickets.activity import event_view, log_event
from desta_tui.services.tickets.detail import get_ticket, has_had_plan
from desta_tui.services.tickets.queries import TICKET_TABLE, load_live_ticket
from desta_tui.services.tickets.views import TicketDetail, TicketEventView


def change_ticket_stage(
    ticket_uuid: str, to_stage: str, reason: str, *, override: bool = False
) -> TicketDetail:
    """Move the ticket on the ladder, with a reason; the move goes in the log."""
    with db.atomic():
        ticket = load_live_ticket(ticket_uuid)
        validate_ladder_open(ticket.reference, ticket.status)
        move = validate_stage_move(
            ticket.stage, to_stage, reason, has_had_plan=has_had_plan(ticket), override=override
        )
        update_record(ticket, stage=to_stage)
        log_event(ticket, "stage", move.text)
    return get_ticket(ticket_uuid)


def move_ticket_up(ticket_uuid: str, reason: str, *, override: bool = False) -> TicketDetail:
    """One rung up the ladder (or, with `override`, straight to remedial action)."""
    ticket = load_live_ticket(ticket_uuid)
    target = next_stage_up(ticket.stage, override=override)
    return change_ticket_stage(ticket_uuid, target, reason, override=override)


def move_ticket_down(ticket_uuid: str, reason: str) -> TicketDetail:
    ticket = load_live_ticket(ticket_uuid)
    return change_ticket_stage(ticket_uuid, next_stage_down(ticket.stage), reason)


def change_ticket_status(
    ticket_uuid: str, to_status: str, *, reason: str = "", outcome: str = ""
) -> TicketDetail:
    """Move the status; closing records the outcome and the day, reopening clears the day."""
    with db.atomic():
        ticket = load_live_ticket(ticket_uuid)
        move = validate_status_move(ticket.status, to_status, reason=reason, outcome=outcome)
        update_record(ticket, **move.changes(today()))
        log_event(ticket, "status", move.text)
    return get_ticket(ticket_uuid)


def close_ticket(ticket_uuid: str, outcome: str) -> TicketDetail:
    """Close with an outcome (what came of the support)."""
    return change_ticket_status(ticket_uuid, "closed", outcome=outcome)


def ticket_log_scope(ticket_uuid: str) -> str:
    """What adding to a ticket's log writes: one more entry of that ticket (kept while it is
    live). Notes on other tickets, returns and new tickets are saved at the same time."""
    return f"log of ticket {ticket_uuid}"


def add_ticket_note(ticket_uuid: str, text: str, minutes: str | int = "") -> TicketEventView:
    """Add a note to the log, with the time it took if given."""
    entry = validate_note(text, minutes)
    with db.atomic_for(ticket_log_scope(ticket_uuid)):
        event = log_event(load_live_ticket(ticket_uuid), entry.kind, entry.text, entry.minutes)
    return event_view(event)


def log_ticket_time(ticket_uuid: str, minutes: str | int, text: str = "") -> TicketEventView:
    """Log time spent on the ticket (what it was spent on is optional)."""
    entry = validate_time_entry(minutes, text)
    with db.atomic_for(ticket_log_scope(ticket_uuid)):
        event = log_event(load_live_ticket(ticket_uuid), entry.kind, entry.text, entry.minutes)
    return event_view(event)


def archive_ticket(ticket_uuid: str):
    """Archive a ticket (it leaves the lists; `u` brings it back)."""
    return archive_record(TICKET_TABLE, ticket_uuid)


def restore_ticket(ticket_uuid: str):
    return restore_record(TICKET_TABLE, ticket_uuid)


def undo_ticket_archive():
    """Restore the last ticket this person archived; None when there is none."""
    return undo_last_archive([TICKET_TABLE])
