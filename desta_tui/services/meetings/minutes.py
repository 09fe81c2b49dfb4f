"""Minutes: drafted after the meeting, approved at the next meeting of the body, then locked."""

from __future__ import annotations

from desta_tui.db.database import db
from desta_tui.db.models import Meeting
from desta_tui.domain.errors import DestaError, ValidationError
from desta_tui.domain.meetings import validate_minutes_approval
from desta_tui.services.audit import update_record
from desta_tui.services.context import today
from desta_tui.services.meetings.attendance import meeting_quorum
from desta_tui.services.meetings.common import find, next_meeting, open_for_changes
from desta_tui.services.meetings.detail import get_meeting
from desta_tui.services.meetings.views import MeetingDetail


def save_minutes(
    meeting_uuid: str, text: str, *, correction_reason: str | None = None
) -> MeetingDetail:
    """Write the draft minutes of a meeting that has been held. Once they are approved a change
    is a correction: it needs a reason, and the reason and the change are in the history."""
    with db.atomic():
        meeting = find(Meeting, meeting_uuid)
        if meeting.status in ("planned", "papers_sent"):
            raise ValidationError("minutes", "the meeting has not been held: nothing to minute")
        open_for_changes(meeting, correction_reason)
        changes = {"minutes": (text or "").strip()}
        if meeting.minutes_drafted_on is None and changes["minutes"]:
            changes["minutes_drafted_on"] = today()
        update_record(meeting, **changes)
    return get_meeting(meeting_uuid)


def correct_minutes(meeting_uuid: str, text: str, reason: str) -> MeetingDetail:
    """Correct approved minutes: the reason is required and kept in the meeting's history."""
    if not (reason or "").strip():
        raise ValidationError("correction_reason", "say why the approved minutes are corrected")
    return save_minutes(meeting_uuid, text, correction_reason=reason)


def approve_minutes(meeting_uuid: str, approval_meeting_uuid: str | None = None) -> MeetingDetail:
    """The next meeting of the body (once it sits) approves these minutes: the meeting's record
    is then locked. Without `approval_meeting_uuid` the next meeting is the one meant."""
    with db.atomic():
        meeting = find(Meeting, meeting_uuid)
        following = next_meeting(meeting)
        if approval_meeting_uuid:
            approving = find(Meeting, approval_meeting_uuid)
        elif following is not None:
            approving = following
        else:
            raise ValidationError(
                "approval_meeting", "there is no later meeting of this body to approve them"
            )
        if approving.consortium_id != meeting.consortium_id or approving.body != meeting.body:
            raise DestaError("Minutes are approved by a meeting of the same body.")
        validate_minutes_approval(
            meeting.status,
            meeting.minutes,
            approving.status,
            is_next_meeting=following is not None and following.id == approving.id,
            approving_quorum=meeting_quorum(approving.uuid),
        )
        update_record(
            meeting,
            status="minutes_approved",
            minutes_approved_on=approving.meeting_on,
            minutes_approval_meeting=approving,
        )
    return get_meeting(meeting_uuid)
