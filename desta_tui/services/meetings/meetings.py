"""Meetings themselves: create (with the standing agenda), edit, move status, archive, list."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import Consortium, Decision, Meeting
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.forms import Checks
from desta_tui.domain.meetings import (
    BODY_SHORT_NAMES,
    MEETING_BODIES,
    MEETING_STATUSES,
    default_meeting_period,
    validate_body,
    validate_meeting_status_move,
)
from desta_tui.domain.periods import Period, parse_period
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.context import today
from desta_tui.services.meetings.agenda import carry_forward_items, create_standing_items
from desta_tui.services.meetings.common import (
    consortium,
    date_value,
    find,
    long_text_value,
    open_for_changes,
    text_value,
    uuid_value,
)
from desta_tui.services.meetings.detail import get_meeting
from desta_tui.services.meetings.lines import meeting_row
from desta_tui.services.meetings.views import MeetingDetail, MeetingRow
from desta_tui.services.records import archive_record, restore_record, undo_last_archive

MEETING_TABLE = Meeting._meta.table_name
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


def _start_time(text: str) -> str:
    if not text:
        return ""
    match = _TIME.fullmatch(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError("start_time", f"{text!r} is not a time: type it like 10:00")
    return f"{int(match[1]):02d}:{match[2]}"


def _clean(values: Mapping[str, Any], meeting: Meeting | None) -> dict[str, Any]:
    """Form values checked and turned into model values, or every problem as one FormError."""
    checks, clean = Checks(), {}
    errors = checks.errors
    attempt = partial(checks.put, clean)

    if meeting is None:
        attempt("consortium", lambda: consortium(uuid_value(values, "consortium")))
        attempt("body", lambda: validate_body(text_value(values, "body")))
    attempt("meeting_on", lambda: date_value(values.get("meeting_on"), "meeting_on"))
    if "meeting_on" in clean and clean["meeting_on"] is None:
        errors.append(ValidationError("meeting_on", "enter the day of the meeting"))
        clean.pop("meeting_on")
    attempt("start_time", lambda: _start_time(text_value(values, "start_time")))
    clean["place"] = text_value(values, "place")
    clean["notes"] = long_text_value(values, "notes")
    period_text = text_value(values, "period")
    if period_text:
        attempt("period", lambda: parse_period(period_text).key)
    elif clean.get("meeting_on"):
        clean["period"] = default_meeting_period(clean["meeting_on"]).key
    FormError.raise_if_any(errors)
    the_consortium = clean.get("consortium") or (meeting.consortium if meeting else None)
    body = clean.get("body") or (meeting.body if meeting else "")
    clash = Meeting.select().where(
        (Meeting.consortium == the_consortium)
        & (Meeting.body == body)
        & (Meeting.meeting_on == clean["meeting_on"])
        & Meeting.archived_at.is_null()
    )
    if meeting is not None:
        clash = clash.where(Meeting.id != meeting.id)
    if clash.exists():
        raise ValidationError(
            "meeting_on",
            f"the {BODY_SHORT_NAMES[body]} already meets on {format_uk_date(clean['meeting_on'])}",
        )
    return clean


def create_meeting(values: Mapping[str, Any]) -> MeetingDetail:
    """A planned meeting with its body's standing agenda, and the items the last meeting of the
    body carried forward."""
    with db.atomic():
        clean = _clean(values, None)
        meeting = create_record(Meeting, status="planned", **clean)
        create_standing_items(meeting)
        carry_forward_items(meeting.uuid)
    return get_meeting(meeting.uuid)


def update_meeting(
    meeting_uuid: str, values: Mapping[str, Any], *, correction_reason: str | None = None
) -> MeetingDetail:
    """Save an edited meeting (date, time, place, period, notes); once its minutes are approved
    a change is a correction and needs a reason."""
    with db.atomic():
        meeting = find(Meeting, meeting_uuid)
        merged = {"meeting_on": meeting.meeting_on, "start_time": meeting.start_time,
                  "place": meeting.place, "notes": meeting.notes, **values}  # fmt: skip
        clean = _clean(merged, meeting)
        if not text_value(values, "period"):
            clean.pop("period", None)  # keep the month it reports on unless one is given
        open_for_changes(meeting, correction_reason)
        update_record(meeting, **clean)
    return get_meeting(meeting_uuid)


def _has_record(meeting: Meeting) -> bool:
    voted = (
        Decision.select()
        .where(
            (Decision.meeting == meeting)
            & (Decision.outcome != "pending")
            & Decision.archived_at.is_null()
        )
        .exists()
    )
    return voted or bool(meeting.minutes.strip())


def change_meeting_status(meeting_uuid: str, status: str) -> MeetingDetail:
    """Planned -> papers sent -> held (and back while nothing is recorded). The minutes are
    approved with `approve_minutes`, at the next meeting."""
    with db.atomic():
        meeting = find(Meeting, meeting_uuid)
        validate_meeting_status_move(meeting.status, status, has_record=_has_record(meeting))
        if status == meeting.status:
            return get_meeting(meeting_uuid)
        changes: dict[str, Any] = {"status": status}
        if status == "held" and meeting.meeting_on > today():
            raise ValidationError(
                "status",
                f"the meeting is on {format_uk_date(meeting.meeting_on)}: it cannot be held yet",
            )
        if status == "papers_sent" and meeting.papers_sent_on is None:
            changes["papers_sent_on"] = today()
        if status == "planned":
            changes["papers_sent_on"] = None
        update_record(meeting, **changes)
    return get_meeting(meeting_uuid)


def send_papers(meeting_uuid: str) -> MeetingDetail:
    """The pack is out: papers sent today."""
    return change_meeting_status(meeting_uuid, "papers_sent")


def mark_meeting_held(meeting_uuid: str) -> MeetingDetail:
    return change_meeting_status(meeting_uuid, "held")


def archive_meeting(meeting_uuid: str):
    """Archive a meeting (cancelled, or made by mistake); `u` brings it back."""
    meeting = find(Meeting, meeting_uuid, live=False)
    if meeting.status in ("held", "minutes_approved") and _has_record(meeting):
        raise DestaError("This meeting has minutes or votes recorded: it stays on the record.")
    return archive_record(MEETING_TABLE, meeting_uuid)


def restore_meeting(meeting_uuid: str):
    return restore_record(MEETING_TABLE, meeting_uuid)


def undo_meeting_archive():
    """Restore the last meeting this person archived; None when there is none."""
    return undo_last_archive([MEETING_TABLE])


def list_meetings(
    consortium_uuid: str | None = None,
    body: str | None = None,
    *,
    include_archived: bool = False,
) -> list[MeetingRow]:
    """Meetings, newest first, of one consortium and body when given."""
    query = Meeting.select(Meeting, Consortium).join(Consortium)
    if consortium_uuid:
        query = query.where(Consortium.uuid == consortium_uuid)
    if body:
        query = query.where(Meeting.body == validate_body(body))
    if not include_archived:
        query = query.where(Meeting.archived_at.is_null())
    query = query.order_by(Meeting.meeting_on.desc(), Meeting.id.desc())
    return [meeting_row(meeting, meeting.consortium) for meeting in query]


def find_meeting_for_period(
    consortium_uuid: str, period: Period | str, body: str = "smg"
) -> MeetingRow | None:
    """The body's meeting that reports on a month (the one a month's pack is for), if there is
    one; the latest when there are several."""
    key = period.key if isinstance(period, Period) else parse_period(str(period)).key
    found = (
        Meeting.select(Meeting, Consortium)
        .join(Consortium)
        .where(
            (Consortium.uuid == consortium_uuid)
            & (Meeting.body == validate_body(body))
            & (Meeting.period == key)
            & Meeting.archived_at.is_null()
        )
        .order_by(Meeting.meeting_on.desc())
        .first()
    )
    return meeting_row(found, found.consortium) if found else None


def meeting_body_choices() -> list[tuple[str, str]]:
    """(label, code) pairs for a Select of bodies."""
    return MEETING_BODIES.options()


def meeting_status_choices() -> list[tuple[str, str]]:
    return MEETING_STATUSES.options()
