"""The read models of meetings: plain frozen dataclasses the screens and the packs both read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.meetings import (
    ATTENDANCE_KINDS,
    ATTENDANCE_ROLES,
    DECISION_OUTCOMES,
    RISK_STATUSES,
    VOTE_CHOICES,
    QuorumResult,
    RiskBand,
    SuggestedDeclaration,
    Tally,
)
from desta_tui.domain.periods import Period
from desta_tui.domain.rag import Rag
from desta_tui.services.meetings.meeting_row import MeetingRow as MeetingRow  # re-exported


def person_of(person_name: str, organisation_name: str) -> str:
    """Who declared or holds an interest: "Ann Lee (Rain Trust)", or whichever is known."""
    if person_name and organisation_name:
        return f"{person_name} ({organisation_name})"
    return person_name or organisation_name


@dataclass(frozen=True)
class MeetingRef:
    """Another meeting named from this one: the previous, the next, the one that approved."""

    uuid: str
    title: str
    meeting_on: date
    status: str


@dataclass(frozen=True)
class VotingMember:
    """A member organisation with a vote on the body, and whether it is there."""

    organisation_uuid: str
    name: str
    is_present: bool
    sent_apologies: bool


@dataclass(frozen=True)
class AttendanceLine:
    uuid: str
    #: None for an observer whose name was typed
    contact_uuid: str | None
    name: str
    organisation_uuid: str | None
    organisation_name: str
    kind: str
    role: str
    #: the person speaks for a member organisation with a vote on this body
    is_voting_member: bool

    @property
    def kind_label(self) -> str:
        return ATTENDANCE_KINDS.label(self.kind)

    @property
    def role_label(self) -> str:
        return ATTENDANCE_ROLES.label(self.role)

    @property
    def text(self) -> str:
        """`Amina Okafor (Rain Trust), chair`."""
        words = f"{self.name} ({self.organisation_name})" if self.organisation_name else self.name
        if self.role and self.role != "member":
            words += f", {self.role_label.lower()}"
        return words


@dataclass(frozen=True)
class DeclarationLine:
    uuid: str
    agenda_item_uuid: str
    item_number: int
    item_title: str
    organisation_uuid: str | None
    organisation_name: str
    contact_uuid: str | None
    person_name: str
    description: str
    is_withdrawn: bool

    @property
    def who(self) -> str:
        return person_of(self.person_name, self.organisation_name)


@dataclass(frozen=True)
class VoteLine:
    organisation_uuid: str
    organisation_name: str
    person_name: str
    choice: str

    @property
    def choice_label(self) -> str:
        return VOTE_CHOICES.label(self.choice)


@dataclass(frozen=True)
class DecisionLine:
    uuid: str
    meeting_uuid: str
    meeting_title: str
    meeting_on: date
    agenda_item_uuid: str | None
    #: the item's number on the agenda (0 when the decision hangs on no item)
    item_number: int
    item_title: str
    title: str
    details: str
    proposer: str
    seconder: str
    outcome: str
    tally: Tally
    casting_vote: str
    #: quorate at the time of the vote; None until voted
    is_quorate: bool | None
    quorum: QuorumResult | None
    votes: tuple[VoteLine, ...]
    due_on: date | None
    decided_on: date | None

    @property
    def outcome_label(self) -> str:
        return DECISION_OUTCOMES.label(self.outcome)

    @property
    def is_pending(self) -> bool:
        return self.outcome == "pending"

    @property
    def result_text(self) -> str:
        """`Carried (for 5, against 2, abstained 1)`, or `To be decided`."""
        if self.is_pending:
            return self.outcome_label
        words = self.outcome_label
        if self.casting_vote:
            words += " on the chair's casting vote"
        tally = self.tally.text
        return f"{words} ({tally[0].lower()}{tally[1:]})"

    @property
    def quorate_text(self) -> str:
        if self.is_quorate is None:
            return ""
        return (
            self.quorum.text if self.quorum else ("Quorate" if self.is_quorate else "Not quorate")
        )


@dataclass(frozen=True)
class ActionLine:
    uuid: str
    meeting_uuid: str
    meeting_title: str
    #: the day of the meeting that raised it
    raised_on: date
    body: str
    agenda_item_uuid: str | None
    item_title: str
    description: str
    owner: str
    due_on: date | None
    is_done: bool
    done_on: date | None
    progress: str
    #: meetings of the body it has come to since it was raised (0 at the meeting that raised it)
    times_carried: int
    is_overdue: bool

    @property
    def status_label(self) -> str:
        if self.is_done:
            return f"Done {format_uk_date(self.done_on)}".strip()
        return "Overdue" if self.is_overdue else "Open"


@dataclass(frozen=True)
class LinkRef:
    """The record an agenda item is about."""

    table_name: str
    uuid: str
    label: str


@dataclass(frozen=True)
class AgendaItemView:
    uuid: str
    #: 1, 2, 3 ... in agenda order
    number: int
    kind: str
    title: str
    description: str
    presenter: str
    link: LinkRef | None
    #: the meeting the item was carried forward from ("" when it was not)
    carried_from: str
    is_deferred: bool
    is_standing: bool
    minutes: str
    declarations: tuple[DeclarationLine, ...]
    #: members whose own contract, ticket or organisation the item is about, not yet declared
    suggested_declarations: tuple[SuggestedDeclaration, ...]
    decisions: tuple[DecisionLine, ...]
    actions: tuple[ActionLine, ...]
    #: the quorum for this item: the members who withdrew from it left out
    quorum: QuorumResult


@dataclass(frozen=True)
class MeetingDetail:
    """Everything about one meeting, for its screen and its pack."""

    meeting: MeetingRow
    attendance: tuple[AttendanceLine, ...]
    voting_members: tuple[VotingMember, ...]
    quorum: QuorumResult
    quorum_rule_text: str
    chair_has_casting_vote: bool
    agenda: tuple[AgendaItemView, ...]
    declarations: tuple[DeclarationLine, ...]
    decisions: tuple[DecisionLine, ...]
    #: actions raised at this meeting
    actions_raised: tuple[ActionLine, ...]
    #: actions raised at earlier meetings of the body: open, or done since the last meeting
    actions_carried: tuple[ActionLine, ...]
    minutes: str
    notes: str
    previous: MeetingRef | None
    next: MeetingRef | None
    minutes_approval_meeting: MeetingRef | None

    def __getattr__(self, name: str) -> Any:
        # detail.title, detail.status ... read through to the meeting's row
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.meeting, name)

    def attending(self, kind: str) -> tuple[AttendanceLine, ...]:
        return tuple(line for line in self.attendance if line.kind == kind)

    @property
    def present(self) -> tuple[AttendanceLine, ...]:
        return self.attending("present")

    @property
    def apologies(self) -> tuple[AttendanceLine, ...]:
        return self.attending("apologies")

    @property
    def absent(self) -> tuple[AttendanceLine, ...]:
        return self.attending("absent")

    @property
    def observers(self) -> tuple[AttendanceLine, ...]:
        return self.attending("observer")

    @property
    def chair(self) -> str:
        return next((line.name for line in self.attendance if line.role == "chair"), "")


@dataclass(frozen=True)
class RiskLine:
    uuid: str
    consortium_uuid: str
    title: str
    description: str
    likelihood: int
    impact: int
    score: int
    band: RiskBand
    owner: str
    mitigation: str
    review_on: date | None
    status: str
    #: the review date has come (as of the day asked about)
    is_review_due: bool

    @property
    def status_label(self) -> str:
        return RISK_STATUSES.label(self.status)

    @property
    def rag(self) -> Rag:
        return self.band.rag

    @property
    def score_text(self) -> str:
        """`12 (4 x 3), high`."""
        return f"{self.score} ({self.likelihood} x {self.impact}), {self.band.label.lower()}"


@dataclass(frozen=True)
class RegisteredInterestLine:
    uuid: str
    consortium_uuid: str
    organisation_uuid: str | None
    organisation_name: str
    contact_uuid: str | None
    person_name: str
    description: str
    starts_on: date
    ends_on: date | None
    is_current: bool

    @property
    def who(self) -> str:
        return person_of(self.person_name, self.organisation_name)


@dataclass(frozen=True)
class ItemMinutes:
    number: int
    title: str
    minutes: str


@dataclass(frozen=True)
class LastMeetingMinutes:
    """The minutes of the previous meeting of the body, put to this one."""

    meeting: MeetingRow
    minutes: str
    items: tuple[ItemMinutes, ...]
    decisions: tuple[DecisionLine, ...]
    present: tuple[str, ...]
    apologies: tuple[str, ...]
    #: approved at this meeting (or another), or waiting for approval
    is_approved: bool
    approved_on: date | None
    approved_at: str


@dataclass(frozen=True)
class MeetingPackData:
    """What a meeting's pack prints, in agenda order."""

    meeting: MeetingRow
    agenda: tuple[AgendaItemView, ...]
    present: tuple[AttendanceLine, ...]
    apologies: tuple[AttendanceLine, ...]
    absent: tuple[AttendanceLine, ...]
    observers: tuple[AttendanceLine, ...]
    quorum: QuorumResult
    #: `Quorate: 6 of 9 voting members present (5 needed)`
    quorum_line: str
    quorum_rule_text: str
    declarations: tuple[DeclarationLine, ...]
    decisions: tuple[DecisionLine, ...]
    actions_raised: tuple[ActionLine, ...]
    actions_carried: tuple[ActionLine, ...]
    #: the actions of the last meeting, with their progress
    matters_arising: tuple[ActionLine, ...]
    last_meeting: LastMeetingMinutes | None
    registered_interests: tuple[RegisteredInterestLine, ...]
    chair: str
    #: the member organisations with a vote on the body: the attendance sheet's rows
    voting_members: tuple[VotingMember, ...] = ()


@dataclass(frozen=True)
class BoardPackExtras:
    """The board's view across the consortium's meetings for a month's pack."""

    consortium_uuid: str
    consortium_name: str
    period: Period
    as_of: date
    #: motions put to meetings and not yet voted, soonest due first
    decisions_due: tuple[DecisionLine, ...]
    #: decisions taken in the month
    decisions_taken: tuple[DecisionLine, ...]
    #: open actions of every body, and those done in the month
    action_log: tuple[ActionLine, ...]
    #: open and monitored risks, highest score first
    risks: tuple[RiskLine, ...]
    #: the consortium's meetings in the month and the next
    meetings: tuple[MeetingRow, ...]
