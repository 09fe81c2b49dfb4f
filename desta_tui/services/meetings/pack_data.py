"""What the packs print of meetings: one meeting's agenda and record, the board's cross-view."""

from __future__ import annotations

from datetime import date

from desta_tui.db.models import Consortium, Meeting
from desta_tui.domain.periods import Period, parse_period
from desta_tui.services.context import today
from desta_tui.services.meetings.actions import action_log
from desta_tui.services.meetings.common import find
from desta_tui.services.meetings.decisions import decisions_due, decisions_taken
from desta_tui.services.meetings.detail import get_meeting
from desta_tui.services.meetings.interests import list_registered_interests
from desta_tui.services.meetings.lines import meeting_row
from desta_tui.services.meetings.risks import list_risks
from desta_tui.services.meetings.views import (
    BoardPackExtras,
    ItemMinutes,
    LastMeetingMinutes,
    MeetingDetail,
    MeetingPackData,
)


def _last_meeting(detail: MeetingDetail) -> LastMeetingMinutes | None:
    if detail.previous is None:
        return None
    last = get_meeting(detail.previous.uuid)
    approval = last.minutes_approval_meeting
    return LastMeetingMinutes(
        meeting=last.meeting,
        minutes=last.minutes,
        items=tuple(
            ItemMinutes(item.number, item.title, item.minutes)
            for item in last.agenda
            if item.minutes
        ),
        decisions=last.decisions,
        present=tuple(line.text for line in last.present),
        apologies=tuple(line.text for line in last.apologies),
        is_approved=last.meeting.is_locked,
        approved_on=last.meeting.minutes_approved_on,
        approved_at=approval.title if approval else "",
    )


def _quorum_line(detail: MeetingDetail) -> str:
    """Whether the meeting was quorate; before it sits, how many make it so."""
    if detail.meeting.status in ("planned", "papers_sent"):
        found = detail.quorum
        return (
            f"Quorum: {found.needed} of the {found.voting_members} voting members "
            f"({detail.quorum_rule_text})"
        )
    return detail.quorum.text


def meeting_pack_data(meeting_uuid: str) -> MeetingPackData:
    """A meeting's pack: the agenda in order with numbers, attendance and the quorum line,
    declarations, decisions with their tally, actions carried forward, the last meeting's
    minutes and its actions as matters arising, the register of interests."""
    detail = get_meeting(meeting_uuid)
    previous_uuid = detail.previous.uuid if detail.previous else None
    return MeetingPackData(
        meeting=detail.meeting,
        agenda=detail.agenda,
        present=detail.present,
        apologies=detail.apologies,
        absent=detail.absent,
        observers=detail.observers,
        quorum=detail.quorum,
        quorum_line=_quorum_line(detail),
        quorum_rule_text=detail.quorum_rule_text,
        declarations=detail.declarations,
        decisions=detail.decisions,
        actions_raised=detail.actions_raised,
        actions_carried=detail.actions_carried,
        matters_arising=tuple(
            line for line in detail.actions_carried if line.meeting_uuid == previous_uuid
        ),
        last_meeting=_last_meeting(detail),
        registered_interests=tuple(
            list_registered_interests(detail.meeting.consortium_uuid, on=detail.meeting_on)
        ),
        chair=detail.chair,
    )


def board_pack_extras(
    consortium_uuid: str, period: Period | str, *, as_of: date | None = None
) -> BoardPackExtras:
    """For a month's board pack: decisions due, decisions taken in the month, the action log
    of every body (open, or done in the month), the live risks, the meetings of the month and
    the next."""
    period = period if isinstance(period, Period) else parse_period(str(period))
    as_of = as_of or today()
    consortium = find(Consortium, consortium_uuid, live=False)
    meetings = (
        Meeting.select()
        .where(
            (Meeting.consortium == consortium)
            & (Meeting.meeting_on >= period.first_day)
            & (Meeting.meeting_on <= period.next().last_day)
            & Meeting.archived_at.is_null()
        )
        .order_by(Meeting.meeting_on, Meeting.body)
    )
    return BoardPackExtras(
        consortium_uuid=consortium.uuid,
        consortium_name=consortium.name,
        period=period,
        as_of=as_of,
        decisions_due=tuple(decisions_due(consortium_uuid)),
        decisions_taken=tuple(decisions_taken(consortium_uuid, period.first_day, period.last_day)),
        action_log=tuple(action_log(consortium_uuid, as_of=as_of, done_since=period.first_day)),
        risks=tuple(list_risks(consortium_uuid, on=as_of)),
        meetings=tuple(meeting_row(meeting, consortium) for meeting in meetings),
    )
