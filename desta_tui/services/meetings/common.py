"""What the meetings services share: finding records, reading form values, the minutes lock."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import (
    Consortium,
    Contact,
    Meeting,
    Membership,
    Organisation,
    RecordModel,
)
from desta_tui.domain.dates import parse_optional_uk_date
from desta_tui.domain.errors import DestaError, ValidationError
from desta_tui.domain.meetings import QuorumRule, check_editable, quorum_rule_for
from desta_tui.services.audit import write_audit
from desta_tui.services.context import today
from desta_tui.services.records import RecordRef, archive_record, restore_record
from desta_tui.services.settings import get_setting

#: the memberships whose organisation sits with a vote on each body (the AGM: every member)
BODY_SEATS = {"smg": "is_smg_member", "board": "has_board_seat", "agm": None}


def text_value(values: Mapping[str, Any], name: str) -> str:
    """A one-line text field, spaces tidied."""
    value = values.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def long_text_value(values: Mapping[str, Any], name: str) -> str:
    """A text area: lines kept, ends trimmed."""
    value = values.get(name)
    return str(value).strip() if value is not None else ""


def date_value(value: Any, field: str) -> date | None:
    """A date given as a date or as typed (dd/mm/yyyy, `today`); blank is None."""
    if value is None or isinstance(value, date):
        return value
    return parse_optional_uk_date(str(value), field, today=today())


def uuid_value(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    if isinstance(value, RecordModel):
        return value.uuid
    return str(value).strip() if value else ""


def find(model: type[RecordModel], uuid: str, *, live: bool = True) -> Any:
    """The record, or a DestaError a person can read; archived ones only when `live` is False."""
    record = model.get_or_none(model.uuid == uuid) if uuid else None
    if record is None:
        raise DestaError(f"That {model.record_label} no longer exists.")
    if live and record.archived_at is not None:
        raise DestaError(f"That {model.record_label} is archived: restore it first.")
    return record


def pick(model: type[RecordModel], uuid: str, field: str, words: str) -> Any:
    """A record chosen in a form, as a ValidationError on `field` when it is gone."""
    record = model.get_or_none(model.uuid == uuid) if uuid else None
    if record is None or record.archived_at is not None:
        raise ValidationError(field, f"that {words} is no longer in the list")
    return record


def consortium(uuid: str, field: str = "consortium") -> Consortium:
    if not uuid:
        raise ValidationError(field, "choose the consortium")
    return pick(Consortium, uuid, field, "consortium")


def contact(uuid: str, field: str) -> Contact | None:
    return pick(Contact, uuid, field, "contact") if uuid else None


def organisation(uuid: str, field: str) -> Organisation | None:
    return pick(Organisation, uuid, field, "organisation") if uuid else None


def open_for_changes(meeting: Meeting, correction_reason: str | None = None) -> str:
    """Refuse a change to a meeting whose minutes are approved unless it is a correction with a
    reason; the reason goes in the meeting's history. Call inside the write's transaction."""
    reason = check_editable(
        meeting.status, correction_reason, approved_on=meeting.minutes_approved_on
    )
    if reason:
        write_audit(meeting, "correct", "correction_reason", None, reason)
    return reason


def archive_meeting_part(
    model: type[RecordModel],
    uuid: str,
    correction_reason: str | None = None,
    meeting_of: Callable[[Any], Meeting] = lambda row: row.meeting,
) -> RecordRef:
    """Archive a part of a meeting (an action, a motion, an attendance, a declaration) in one
    transaction, under the minutes lock (`open_for_changes`); `meeting_of` finds its meeting."""
    with db.atomic():
        open_for_changes(meeting_of(find(model, uuid)), correction_reason)
        return archive_record(model._meta.table_name, uuid)


def restore_meeting_part(
    model: type[RecordModel],
    uuid: str,
    correction_reason: str | None = None,
    meeting_of: Callable[[Any], Meeting] = lambda row: row.meeting,
) -> RecordRef:
    """Bring an archived part of a meeting back, under the minutes lock."""
    with db.atomic():
        open_for_changes(meeting_of(find(model, uuid, live=False)), correction_reason)
        return restore_record(model._meta.table_name, uuid)


def rule_for(body: str) -> QuorumRule:
    return quorum_rule_for(body, get_setting("quorum_rule"))


def chair_has_casting_vote() -> bool:
    return bool(get_setting("chair_has_casting_vote"))


def voting_members(consortium_id: int, body: str) -> dict[int, Organisation]:
    """The member organisations with a vote on the body, by id: active members with a vote and
    a seat on it (every active member at an AGM). One vote each, however many people come."""
    query = (
        Organisation.select(Organisation)
        .join(Membership, on=(Membership.organisation == Organisation.id))
        .where(
            (Membership.consortium == consortium_id)
            & (Membership.status == "active")
            & Membership.has_vote
            & Membership.archived_at.is_null()
            & Organisation.archived_at.is_null()
        )
    )
    seat = BODY_SEATS.get(body)
    if seat:
        query = query.where(getattr(Membership, seat))
    return {org.id: org for org in query.order_by(Organisation.name)}


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last live meeting of the same body of the consortium before this one."""
    return (
        Meeting.select()
        .where(
            (Meeting.consortium == meeting.consortium_id)
            & (Meeting.body == meeting.body)
            & (Meeting.meeting_on < meeting.meeting_on)
            & Meeting.archived_at.is_null()
        )
        .order_by(Meeting.meeting_on.desc(), Meeting.id.desc())
        .first()
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The first live meeting of the same body of the consortium after this one."""
    return (
        Meeting.select()
        .where(
            (Meeting.consortium == meeting.consortium_id)
            & (Meeting.body == meeting.body)
            & (Meeting.meeting_on > meeting.meeting_on)
            & Meeting.archived_at.is_null()
        )
        .order_by(Meeting.meeting_on, Meeting.id)
        .first()
    )
