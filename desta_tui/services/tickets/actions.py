"""The improvement plan: actions on a ticket, with owner, due date and done, each in the log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import TicketAction
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.domain.tickets import validate_action
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.context import today
from desta_tui.services.records import archive_record
from desta_tui.services.tickets.activity import log_event
from desta_tui.services.tickets.detail import action_view
from desta_tui.services.tickets.queries import ACTION_TABLE, load_live_ticket
from desta_tui.services.tickets.views import TicketActionView


def add_ticket_action(ticket_uuid: str, values: Mapping[str, Any]) -> TicketActionView:
    """Add an item to the improvement plan (owner, due date, done)."""
    clean = validate_action(values, today=today())
    with db.atomic():
        ticket = load_live_ticket(ticket_uuid)
        clean["done_on"] = today() if clean["is_done"] else None
        action = create_record(TicketAction, ticket=ticket, **clean)
        due = f", due {format_uk_date(action.due_on)}" if action.due_on else ""
        owner = f" ({action.owner}{due})" if action.owner else (f" ({due[2:]})" if due else "")
        log_event(ticket, "action", f"Action added: {action.description}{owner}")
    return action_view(action, today())


def _action(action_uuid: str) -> TicketAction:
    action = TicketAction.get_or_none(TicketAction.uuid == action_uuid)
    if action is None:
        raise DestaError("That action no longer exists.")
    return action


def update_ticket_action(action_uuid: str, values: Mapping[str, Any]) -> TicketActionView:
    clean = validate_action(values, today=today())
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
            log_event(action.ticket, "action", text)
    return action_view(action, today())


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
        log_event(action.ticket, "action", f"Action removed: {action.description}")
    return ref
