"""Meeting actions: owner and due date, carried to each meeting of the body until done; the log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import Consortium, Meeting, MeetingAction
from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.meetings import validate_body
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.context import today
from desta_tui.services.meetings.agenda import ensure_item_of
from desta_tui.services.meetings.common import (
    archive_meeting_part,
    date_value,
    find,
    long_text_value,
    open_for_changes,
    restore_meeting_part,
    text_value,
    uuid_value,
)
from desta_tui.services.meetings.lines import action_lines, action_order, actions_query
from desta_tui.services.meetings.views import ActionLine

ACTION_TABLE = MeetingAction._meta.table_name


def _clean(meeting: Meeting, values: Mapping[str, Any]) -> dict[str, Any]:
    errors: list[ValidationError] = []
    clean: dict[str, Any] = {}
    clean["description"] = long_text_value(values, "description")
    if not clean["description"]:
        errors.append(ValidationError("description", "say what is to be done"))
    clean["owner"] = text_value(values, "owner")
    if not clean["owner"]:
        errors.append(ValidationError("owner", "say who will do it"))
    item_uuid = uuid_value(values, "agenda_item")
    try:
        clean["agenda_item"] = ensure_item_of(meeting, item_uuid) if item_uuid else None
    except ValidationError as error:
        errors.append(error)
    try:
        clean["due_on"] = date_value(values.get("due_on"), "due_on")
    except ValidationError as error:
        errors.append(error)
    if clean.get("due_on") and clean["due_on"] < meeting.meeting_on:
        errors.append(ValidationError("due_on", "the action is due before the meeting raised it"))
    clean["progress"] = long_text_value(values, "progress")
    FormError.raise_if_any(errors)
    return clean


def _line(action_uuid: str) -> ActionLine:
    found = action_lines(actions_query().where(MeetingAction.uuid == action_uuid), today(),
                         today())  # fmt: skip
    if not found:
        find(MeetingAction, action_uuid, live=False)
    return found[0]


def add_meeting_action(
    meeting_uuid: str, values: Mapping[str, Any], *, correction_reason: str | None = None
) -> ActionLine:
    """An action raised at the meeting: `description`, `owner`, `due_on`, the `agenda_item`."""
    with db.atomic():
        meeting = find(Meeting, meeting_uuid)
        clean = _clean(meeting, values)
        open_for_changes(meeting, correction_reason)
        action = create_record(MeetingAction, meeting=meeting, **clean)
    return _line(action.uuid)


def update_meeting_action(
    action_uuid: str, values: Mapping[str, Any], *, correction_reason: str | None = None
) -> ActionLine:
    """Edit an action. Its due date and progress move on after the minutes are approved; what
    the minutes record of it (what, who, which item) changes only as a correction."""
    with db.atomic():
        action = find(MeetingAction, action_uuid)
        meeting = action.meeting
        merged = {
            "description": action.description,
            "owner": action.owner,
            "agenda_item": action.agenda_item.uuid if action.agenda_item_id else "",
            "due_on": action.due_on,
            "progress": action.progress,
            **values,
        }
        clean = _clean(meeting, merged)
        item = clean["agenda_item"]
        minuted = (clean["description"], clean["owner"], item.id if item else None)
        if minuted != (action.description, action.owner, action.agenda_item_id):
            open_for_changes(meeting, correction_reason)
        update_record(action, **clean)
    return _line(action_uuid)


def set_meeting_action_done(
    action_uuid: str, is_done: bool = True, *, progress: str = "", done_on: Any = None
) -> ActionLine:
    """Tick an action done (today, or the day given) or open again, with a word on progress."""
    with db.atomic():
        action = find(MeetingAction, action_uuid)
        changes: dict[str, Any] = {"is_done": bool(is_done)}
        if is_done:
            day = date_value(done_on, "done_on") or today()
            if day < action.meeting.meeting_on:
                raise ValidationError("done_on", "the action is done before it was raised")
            changes["done_on"] = day
        else:
            changes["done_on"] = None
        if (progress or "").strip():
            changes["progress"] = progress.strip()
        update_record(action, **changes)
    return _line(action_uuid)


def note_action_progress(action_uuid: str, progress: str) -> ActionLine:
    """The latest word on an action, reported under matters arising."""
    with db.atomic():
        action = find(MeetingAction, action_uuid)
        update_record(action, progress=(progress or "").strip())
    return _line(action_uuid)


def archive_meeting_action(action_uuid: str, *, correction_reason: str | None = None):
    """Take an action raised in error off the log (archived, restorable)."""
    return archive_meeting_part(MeetingAction, action_uuid, correction_reason)


def restore_meeting_action(action_uuid: str, *, correction_reason: str | None = None):
    return restore_meeting_part(MeetingAction, action_uuid, correction_reason)


def action_log(
    consortium_uuid: str,
    body: str | None = None,
    *,
    as_of: date | None = None,
    done_since: date | None = None,
) -> list[ActionLine]:
    """The consortium's actions raised up to `as_of` (today): every open one, and those done on
    or after `done_since` (none done when not given); open first, soonest due first."""
    as_of = as_of or today()
    query = actions_query().where(
        (Consortium.uuid == consortium_uuid) & (Meeting.meeting_on <= as_of)
    )
    if body:
        query = query.where(Meeting.body == validate_body(body))
    if done_since is None:
        query = query.where(~MeetingAction.is_done)
    else:
        query = query.where(~MeetingAction.is_done | (MeetingAction.done_on >= done_since))
    return sorted(action_lines(query, as_of, as_of), key=action_order)
