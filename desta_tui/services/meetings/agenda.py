"""The agenda: standing items, items added or carried forward, their order, links and minutes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import (
    AgendaItem,
    Contract,
    Decision,
    Meeting,
    Organisation,
    SupportTicket,
)
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.meetings import AGENDA_ITEM_KINDS, ITEM_LINK_TABLES, standing_agenda
from desta_tui.services.audit import create_record, update_record, write_audit
from desta_tui.services.meetings.common import (
    find,
    long_text_value,
    next_meeting,
    open_for_changes,
    previous_meeting,
    text_value,
)
from desta_tui.services.records import archive_record, restore_record

AGENDA_TABLE = AgendaItem._meta.table_name
LINKED_MODELS = {
    "contract": Contract,
    "organisation": Organisation,
    "support_ticket": SupportTicket,
    "meeting": Meeting,
}


def live_items(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items in agenda order."""
    return list(
        AgendaItem.select()
        .where((AgendaItem.meeting == meeting) & AgendaItem.archived_at.is_null())
        .order_by(AgendaItem.position, AgendaItem.id)
    )


def _renumber(items: list[AgendaItem]) -> None:
    """Positions 1, 2, 3 ... in the order given. The order is the agenda's, not a fact of any
    one item, so the history records the item moved rather than every neighbour shifting."""
    for position, item in enumerate(items, start=1):
        if item.position != position:
            AgendaItem.update(position=position).where(AgendaItem.id == item.id).execute()
            item.position = position


def _insert_before_aob(meeting: Meeting, new_items: list[AgendaItem]) -> None:
    items = [item for item in live_items(meeting) if item.id not in {n.id for n in new_items}]
    at = next((i for i, item in enumerate(items) if item.kind == "aob"), len(items))
    _renumber(items[:at] + new_items + items[at:])


def create_standing_items(meeting: Meeting) -> list[AgendaItem]:
    """The body's standing items on a new meeting; the minutes item names the last meeting."""
    previous = previous_meeting(meeting)
    made = []
    for position, standing in enumerate(standing_agenda(meeting.body), start=1):
        link = {}
        if standing.kind == "minutes" and previous is not None:
            link = {"link_table": "meeting", "link_uuid": previous.uuid}
        made.append(
            create_record(
                AgendaItem,
                meeting=meeting,
                position=position,
                kind=standing.kind,
                title=standing.title,
                **link,
            )
        )
    return made


def carry_forward_items(meeting_uuid: str) -> list[AgendaItem]:
    """Bring onto this meeting's agenda (before any other business) the items the previous
    meeting of the body deferred, each once; returns those added."""
    with db.atomic():
        meeting = find(Meeting, meeting_uuid)
        previous = previous_meeting(meeting)
        if previous is None:
            return []
        open_for_changes(meeting)
        deferred = [item for item in live_items(previous) if item.is_deferred]
        if not deferred:
            return []
        carried = {
            item.carried_from_id
            for item in AgendaItem.select(AgendaItem.carried_from).where(
                AgendaItem.carried_from.in_([item.id for item in deferred])
                & AgendaItem.archived_at.is_null()
            )
        }
        added = []
        for item in deferred:
            if item.id in carried:
                continue
            added.append(
                create_record(
                    AgendaItem,
                    meeting=meeting,
                    position=0,
                    kind="item",
                    title=item.title,
                    description=item.description,
                    presenter=item.presenter,
                    link_table=item.link_table,
                    link_uuid=item.link_uuid,
                    carried_from=item,
                )
            )
        if added:
            _insert_before_aob(meeting, added)
        return added


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: list[ValidationError] = []
    title = text_value(values, "title")
    if not title:
        errors.append(ValidationError("title", "give the item a title"))
    elif len(title) > 200:
        errors.append(ValidationError("title", "keep the title under 200 characters"))
    link_table = text_value(values, "link_table")
    link_uuid = text_value(values, "link_uuid")
    if link_table or link_uuid:
        model = LINKED_MODELS.get(link_table)
        if model is None:
            names = ", ".join(choice.label.lower() for choice in ITEM_LINK_TABLES)
            errors.append(ValidationError("link_table", f"an item may be about a {names}"))
        else:
            found = model.get_or_none(model.uuid == link_uuid) if link_uuid else None
            if found is None or found.archived_at is not None:
                errors.append(
                    ValidationError("link_uuid", f"that {model.record_label} is not in the list")
                )
    FormError.raise_if_any(errors)
    return {
        "title": title,
        "description": long_text_value(values, "description"),
        "presenter": text_value(values, "presenter"),
        "link_table": link_table,
        "link_uuid": link_uuid,
    }


def add_agenda_item(
    meeting_uuid: str, values: Mapping[str, Any], *, correction_reason: str | None = None
) -> AgendaItem:
    """Add an item (before any other business): a title, what it is about, who presents it, and
    the contract, organisation or ticket it concerns."""
    clean = _clean(values)
    with db.atomic():
        meeting = find(Meeting, meeting_uuid)
        open_for_changes(meeting, correction_reason)
        item = create_record(AgendaItem, meeting=meeting, position=0, kind="item", **clean)
        _insert_before_aob(meeting, [item])
    return item


def _item(item_uuid: str) -> AgendaItem:
    return find(AgendaItem, item_uuid)


def update_agenda_item(
    item_uuid: str, values: Mapping[str, Any], *, correction_reason: str | None = None
) -> AgendaItem:
    """Save an edited item; a standing item keeps its kind."""
    clean = _clean(values)
    with db.atomic():
        item = _item(item_uuid)
        open_for_changes(item.meeting, correction_reason)
        update_record(item, **clean)
    return item


def save_item_minutes(
    item_uuid: str, text: str, *, correction_reason: str | None = None
) -> AgendaItem:
    """What the minutes say of one item (a draft until the meeting's minutes are approved)."""
    with db.atomic():
        item = _item(item_uuid)
        meeting = item.meeting
        if meeting.status in ("planned", "papers_sent"):
            raise ValidationError("minutes", "the meeting has not been held: nothing to minute")
        open_for_changes(meeting, correction_reason)
        update_record(item, minutes=(text or "").strip())
    return item


def move_agenda_item(
    item_uuid: str, offset: int, *, correction_reason: str | None = None
) -> AgendaItem:
    """Move an item up (negative) or down the agenda."""
    with db.atomic():
        item = _item(item_uuid)
        open_for_changes(item.meeting, correction_reason)
        items = live_items(item.meeting)
        index = next(i for i, other in enumerate(items) if other.id == item.id)
        target = max(0, min(len(items) - 1, index + offset))
        if target == index:
            return item
        old = item.position
        items.insert(target, items.pop(index))
        _renumber(items)
        write_audit(item, "update", "position", old, item.position)
    return item


def defer_agenda_item(
    item_uuid: str, is_deferred: bool = True, *, correction_reason: str | None = None
) -> AgendaItem:
    """Mark an item not dealt with: it is carried to the next meeting of the body."""
    with db.atomic():
        item = _item(item_uuid)
        open_for_changes(item.meeting, correction_reason)
        update_record(item, is_deferred=bool(is_deferred))
        following = _next_meeting_of(item.meeting)
        if is_deferred and following is not None:
            carry_forward_items(following.uuid)
    return item


def _next_meeting_of(meeting: Meeting) -> Meeting | None:
    following = next_meeting(meeting)
    if following is None or following.status == "minutes_approved":
        return None
    return following


def remove_agenda_item(item_uuid: str, *, correction_reason: str | None = None):
    """Take an item off the agenda (archived, restorable)."""
    with db.atomic():
        item = _item(item_uuid)
        open_for_changes(item.meeting, correction_reason)
        has_decisions = (
            Decision.select()
            .where((Decision.agenda_item == item) & Decision.archived_at.is_null())
            .exists()
        )
        if has_decisions:
            raise DestaError("This item has decisions on it: take them off the item first.")
        ref = archive_record(AGENDA_TABLE, item_uuid)
        _renumber(live_items(item.meeting))
    return ref


def restore_agenda_item(item_uuid: str, *, correction_reason: str | None = None):
    with db.atomic():
        item = find(AgendaItem, item_uuid, live=False)
        open_for_changes(item.meeting, correction_reason)
        ref = restore_record(AGENDA_TABLE, item_uuid)
        _renumber(live_items(item.meeting))
    return ref


def agenda_kind_label(kind: str) -> str:
    return AGENDA_ITEM_KINDS.label(kind)


def ensure_item_of(meeting: Meeting, item_uuid: str, field: str = "agenda_item") -> AgendaItem:
    """An item of this meeting chosen in a form."""
    item = AgendaItem.get_or_none(AgendaItem.uuid == item_uuid) if item_uuid else None
    if item is None or item.archived_at is not None:
        raise ValidationError(field, "that agenda item is no longer on the agenda")
    if item.meeting_id != meeting.id:
        raise DestaError("That agenda item belongs to another meeting.")
    return item
