"""The meeting a pack is for: its agenda (or the body's standing agenda when no meeting is
recorded for the month), when and where it sits, and who has a seat on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desta_tui.db.models import Consortium, Membership, Organisation
from desta_tui.domain.meetings import BODY_SHORT_NAMES, standing_agenda
from desta_tui.domain.periods import Period
from desta_tui.services.meetings import (
    AgendaItemView,
    MeetingPackData,
    find_meeting_for_period,
    meeting_pack_data,
)
from desta_tui.services.members import ConsortiumChoice
from desta_tui.services.reporting.consortium import LIVE_MEMBERSHIP

#: the membership flag that gives an organisation a seat on each body
SEAT_FLAGS = {"smg": "is_smg_member", "board": "has_board_seat"}


@dataclass(frozen=True)
class PackAgendaItem:
    """One item of the agenda a pack follows; `item` is the meeting's own (None on a standing
    agenda with no meeting recorded)."""

    number: int
    kind: str
    title: str
    presenter: str
    description: str
    item: AgendaItemView | None

    @property
    def key(self) -> str:
        """The item's place in the PDF (bookmarks, page numbers on the cover)."""
        return f"item-{self.number}"


@dataclass(frozen=True)
class PackMeeting:
    body: str
    #: the meeting's record; None when no meeting of the body reports on the month
    record: MeetingPackData | None
    agenda: tuple[PackAgendaItem, ...]
    meeting_on: date
    start_time: str
    place: str
    #: member organisations with a seat on the body, by name: the attendance sheet's rows
    seat_holders: tuple[str, ...]

    @property
    def body_short(self) -> str:
        return BODY_SHORT_NAMES.get(self.body, self.body)


def _seat_holders_query(consortium: ConsortiumChoice, body: str):
    """The names of the consortium's live members with a seat on `body` (every live member
    when the body has no seat flag), one row per membership."""
    flag = SEAT_FLAGS.get(body)
    query = (
        Organisation.select(Organisation.name)
        .join(Membership)
        .join(Consortium)
        .where(
            (Consortium.uuid == consortium.uuid)
            & Membership.archived_at.is_null()
            & Organisation.archived_at.is_null()
            & Membership.status.in_(LIVE_MEMBERSHIP)
        )
    )
    if flag:
        query = query.where(getattr(Membership, flag) == True)  # noqa: E712 (SQL)
    return query


def _seat_holders(consortium: ConsortiumChoice, body: str) -> tuple[str, ...]:
    query = _seat_holders_query(consortium, body)
    return tuple(sorted({name for (name,) in query.tuples()}, key=str.casefold))


def pack_meeting(
    consortium: ConsortiumChoice, period: Period, body: str, expected_on: date
) -> PackMeeting:
    """The body's meeting that reports on `period`, with its agenda in order; without one, the
    body's standing agenda for a meeting on `expected_on`."""
    row = find_meeting_for_period(consortium.uuid, period, body)
    if row is None:
        agenda = tuple(
            PackAgendaItem(number, item.kind, item.title, "", "", None)
            for number, item in enumerate(standing_agenda(body), start=1)
        )
        return PackMeeting(body, None, agenda, expected_on, "", "", _seat_holders(consortium, body))
    record = meeting_pack_data(row.uuid)
    agenda = tuple(
        PackAgendaItem(item.number, item.kind, item.title, item.presenter, item.description, item)
        for item in record.agenda
    )
    seats = tuple(sorted((m.name for m in record.voting_members), key=str.casefold))
    return PackMeeting(
        body,
        record,
        agenda,
        row.meeting_on,
        row.start_time,
        row.place,
        seats or _seat_holders(consortium, body),
    )
