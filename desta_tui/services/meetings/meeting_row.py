"""MeetingRow: a meeting as a list (and the dashboard) shows it, made from its record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from desta_tui.domain.meeting_bodies import (
    BODY_SHORT_NAMES,
    MEETING_BODIES,
    MEETING_STATUSES,
    is_locked,
    meeting_title,
)
from desta_tui.domain.periods import Period

if TYPE_CHECKING:
    from desta_tui.db.models import Consortium, Meeting


@dataclass(frozen=True)
class MeetingRow:
    """A meeting as a list shows it."""

    uuid: str
    consortium_uuid: str
    consortium_name: str
    consortium_short: str
    body: str
    meeting_on: date
    start_time: str
    place: str
    #: "2012-10": the month the meeting reports on ("" when none)
    period: str
    status: str
    papers_sent_on: date | None
    minutes_drafted_on: date | None
    minutes_approved_on: date | None
    is_archived: bool = False

    @property
    def title(self) -> str:
        """`Desta SMG, 09/10/2012`."""
        return meeting_title(self.body, self.meeting_on, self.consortium_short)

    @property
    def body_label(self) -> str:
        return MEETING_BODIES.label(self.body)

    @property
    def body_short(self) -> str:
        return BODY_SHORT_NAMES.get(self.body, self.body)

    @property
    def status_label(self) -> str:
        return MEETING_STATUSES.label(self.status)

    @property
    def is_locked(self) -> bool:
        return is_locked(self.status)

    @property
    def report_period(self) -> Period | None:
        return Period.from_key(self.period) if self.period else None


def meeting_row(meeting: Meeting, consortium: Consortium) -> MeetingRow:
    return MeetingRow(
        uuid=meeting.uuid,
        consortium_uuid=consortium.uuid,
        consortium_name=consortium.name,
        consortium_short=consortium.short_name or consortium.name,
        body=meeting.body,
        meeting_on=meeting.meeting_on,
        start_time=meeting.start_time,
        place=meeting.place,
        period=meeting.period,
        status=meeting.status,
        papers_sent_on=meeting.papers_sent_on,
        minutes_drafted_on=meeting.minutes_drafted_on,
        minutes_approved_on=meeting.minutes_approved_on,
        is_archived=meeting.archived_at is not None,
    )
