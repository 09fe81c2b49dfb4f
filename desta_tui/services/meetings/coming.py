"""The soonest meeting coming: all the dashboard reads of meetings, so its start loads no more."""

from __future__ import annotations

from desta_tui.db.models import Consortium, Meeting
from desta_tui.services.context import today
from desta_tui.services.meetings.meeting_row import MeetingRow, meeting_row


def next_meeting(consortium_uuid: str | None = None) -> MeetingRow | None:
    """The soonest meeting from today on (of one consortium when given), for the dashboard."""
    query = (
        Meeting.select(Meeting, Consortium)
        .join(Consortium)
        .where((Meeting.meeting_on >= today()) & Meeting.archived_at.is_null())
        .order_by(Meeting.meeting_on, Meeting.id)
    )
    if consortium_uuid:
        query = query.where(Consortium.uuid == consortium_uuid)
    found = query.first()
    return meeting_row(found, found.consortium) if found else None
