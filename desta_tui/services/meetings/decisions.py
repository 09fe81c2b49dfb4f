"""Decisions: motions with proposer and seconder, an equal vote per member, outcome and quorum."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import (
    Consortium,
    Contact,
    Decision,
    Meeting,
    MeetingAttendance,
    Organisation,
    Vote,
)
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.forms import Checks
from desta_tui.domain.meetings import (
    VOTE_CHOICES,
    decision_outcome,
    quorum_for_item,
    validate_vote,
)
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.meetings.agenda import ensure_item_of
from desta_tui.services.meetings.attendance import present_voting_members, withdrawn_members
from desta_tui.services.meetings.common import (
    archive_meeting_part,
    chair_has_casting_vote,
    contact,
    date_value,
    find,
    long_text_value,
    open_for_changes,
    restore_meeting_part,
    rule_for,
    text_value,
    uuid_value,
    voting_members,
)
from desta_tui.services.meetings.lines import decision_lines, decisions_query
from desta_tui.services.meetings.views import DecisionLine
from desta_tui.services.records import archive_record, restore_record

DECISION_TABLE = Decision._meta.table_name
VOTE_TABLE = Vote._meta.table_name


def _present_contact(meeting: Meeting, person: Contact, field: str) -> None:
    here = MeetingAttendance.select().where(
        (MeetingAttendance.meeting == meeting)
        & (MeetingAttendance.contact == person)
        & (MeetingAttendance.kind == "present")
        & MeetingAttendance.archived_at.is_null()
    )
    if not here.exists():
        raise ValidationError(field, f"{person.full_name} is not recorded as present")


def _clean(meeting: Meeting, values: Mapping[str, Any]) -> dict[str, Any]:
    checks, clean = Checks(), {}
    errors = checks.errors
    attempt = partial(checks.put, clean)

    title = text_value(values, "title")
    if not title:
        errors.append(ValidationError("title", "say what is proposed"))
    elif len(title) > 200:
        errors.append(ValidationError("title", "keep the motion under 200 characters"))
    clean["title"] = title
    clean["details"] = long_text_value(values, "details")
    item_uuid = uuid_value(values, "agenda_item")
    attempt("agenda_item", lambda: ensure_item_of(meeting, item_uuid) if item_uuid else None)
    attempt("due_on", lambda: date_value(values.get("due_on"), "due_on"))
    withdrawn = withdrawn_members(clean["agenda_item"]) if clean.get("agenda_item") else set()
    for field in ("proposer", "seconder"):

        def person(field: str = field) -> Contact | None:
            found = contact(uuid_value(values, field), field)
            if found is not None:
                _present_contact(meeting, found, field)
                if found.organisation_id in withdrawn:
                    raise ValidationError(
                        field, f"{found.organisation.name} withdrew from this item"
                    )
            return found

        attempt(field, person)
    proposer, seconder = clean.get("proposer"), clean.get("seconder")
    if seconder is not None and proposer is None:
        errors.append(ValidationError("proposer", "a seconder seconds a proposer: name one"))
    same_member = (
        proposer is not None
        and seconder is not None
        and (proposer.organisation_id == seconder.organisation_id)
    )
    if same_member:
        errors.append(ValidationError("seconder", "the seconder must speak for another member"))
    FormError.raise_if_any(errors)
    return clean


def _line(decision_uuid: str) -> DecisionLine:
    found = decision_lines(decisions_query().where(Decision.uuid == decision_uuid))
    if not found:
        find(Decision, decision_uuid, live=False)  # says it no longer exists
        raise DestaError("That decision belongs to an archived meeting.")
    return found[0]


def propose_decision(
    meeting_uuid: str, values: Mapping[str, Any], *, correction_reason: str | None = None
) -> DecisionLine:
    """Put a motion (`title`, `details`) to a meeting, on an `agenda_item`, with `proposer` and
    `seconder` (contacts present) and the day it is `due_on`; it waits for the vote."""
    with db.atomic():
        meeting = find(Meeting, meeting_uuid)
        clean = _clean(meeting, values)
        open_for_changes(meeting, correction_reason)
        decision = create_record(Decision, meeting=meeting, outcome="pending", **clean)
    return _line(decision.uuid)


def update_decision(
    decision_uuid: str, values: Mapping[str, Any], *, correction_reason: str | None = None
) -> DecisionLine:
    with db.atomic():
        decision = find(Decision, decision_uuid)
        meeting = decision.meeting
        merged = {
            "title": decision.title,
            "details": decision.details,
            "agenda_item": decision.agenda_item.uuid if decision.agenda_item_id else "",
            "proposer": decision.proposer.uuid if decision.proposer_id else "",
            "seconder": decision.seconder.uuid if decision.seconder_id else "",
            "due_on": decision.due_on,
            **values,
        }
        clean = _clean(meeting, merged)
        open_for_changes(meeting, correction_reason)
        update_record(decision, **clean)
    return _line(decision_uuid)


def _speaker(meeting: Meeting, organisation_id: int) -> Contact | None:
    """Who voted for a member: its chair if it has the chair, else its first person present."""
    rows = (
        MeetingAttendance.select()
        .where(
            (MeetingAttendance.meeting == meeting)
            & (MeetingAttendance.organisation == organisation_id)
            & (MeetingAttendance.kind == "present")
            & MeetingAttendance.archived_at.is_null()
        )
        .order_by(MeetingAttendance.id)
    )
    people = sorted(rows, key=lambda row: row.role != "chair")
    return people[0].contact if people and people[0].contact_id else None


def record_votes(
    decision_uuid: str,
    votes: Mapping[str, str],
    *,
    casting_vote: str | None = None,
    correction_reason: str | None = None,
) -> DecisionLine:
    """Record the vote: one choice per member organisation present (`votes` maps organisation
    uuid -> "for", "against" or "abstain"); members who withdrew from the item are recorded as
    withdrawn. The outcome, the chair's casting vote on equal votes (if the rules give one) and
    the item's quorum at the time are kept. Recording again replaces the earlier vote."""
    with db.atomic():
        decision = find(Decision, decision_uuid)
        meeting = decision.meeting
        if meeting.status in ("planned", "papers_sent"):
            raise ValidationError("votes", "record the meeting as held before its votes")
        open_for_changes(meeting, correction_reason)
        voters = voting_members(meeting.consortium_id, meeting.body)
        present, voter_count = present_voting_members(meeting)
        withdrawn = withdrawn_members(decision.agenda_item) if decision.agenda_item_id else set()
        by_uuid = {org.uuid: org for org in voters.values()}
        choices: dict[int, str] = {}
        errors = []
        for org_uuid, choice in votes.items():
            org = by_uuid.get(org_uuid) or Organisation.get_or_none(Organisation.uuid == org_uuid)
            name = org.name if org is not None else "that organisation"
            try:
                validate_vote(
                    str(choice or "").strip(),
                    is_voting_member=org is not None and org.id in voters,
                    is_present=org is not None and org.id in present,
                    has_withdrawn=org is not None and org.id in withdrawn,
                    member=name,
                )
            except ValidationError as error:
                errors.append(error)
                continue
            choices[org.id] = str(choice).strip()
        FormError.raise_if_any(errors)
        for org_id in withdrawn & present:
            choices.setdefault(org_id, "withdrawn")
        result = decision_outcome(
            choices.values(), casting_vote, chair_has_casting_vote=chair_has_casting_vote()
        )
        standing = quorum_for_item(present, withdrawn, voter_count, rule_for(meeting.body))
        _write_votes(decision, meeting, choices)
        update_record(
            decision,
            outcome=result.outcome,
            casting_vote=result.casting_vote,
            is_quorate=standing.is_quorate,
            voting_member_count=standing.voting_members,
            present_count=standing.present,
            quorum_needed=standing.needed,
            decided_on=meeting.meeting_on,
        )
    return _line(decision_uuid)


def _write_votes(decision: Decision, meeting: Meeting, choices: Mapping[int, str]) -> None:
    earlier = {
        vote.organisation_id: vote for vote in Vote.select().where(Vote.decision == decision)
    }
    for org_id, choice in choices.items():
        vote = earlier.get(org_id)
        if vote is None:
            create_record(Vote, decision=decision, organisation=org_id,
                          contact=_speaker(meeting, org_id), choice=choice)  # fmt: skip
            continue
        if vote.archived_at is not None:
            restore_record(VOTE_TABLE, vote.uuid)
            vote = Vote.get_by_id(vote.id)
        update_record(vote, choice=choice)
    for org_id, vote in earlier.items():
        if org_id not in choices and vote.archived_at is None:
            archive_record(VOTE_TABLE, vote.uuid)


def reopen_decision(decision_uuid: str, *, correction_reason: str | None = None) -> DecisionLine:
    """Set a vote aside (recorded in error): the motion waits for the vote again."""
    with db.atomic():
        decision = find(Decision, decision_uuid)
        open_for_changes(decision.meeting, correction_reason)
        _write_votes(decision, decision.meeting, {})
        update_record(decision, outcome="pending", casting_vote="", is_quorate=None,
                      voting_member_count=0, present_count=0, quorum_needed=0,
                      decided_on=None)  # fmt: skip
    return _line(decision_uuid)


def archive_decision(decision_uuid: str, *, correction_reason: str | None = None):
    """Withdraw a motion (archived, restorable)."""
    return archive_meeting_part(Decision, decision_uuid, correction_reason)


def restore_decision(decision_uuid: str, *, correction_reason: str | None = None):
    return restore_meeting_part(Decision, decision_uuid, correction_reason)


def decisions_due(consortium_uuid: str, *, by: date | None = None) -> list[DecisionLine]:
    """Motions put to the consortium's meetings and not yet voted, soonest due first (due by
    `by` when given: the due day, else the meeting's day)."""
    query = decisions_query().where(
        (Consortium.uuid == consortium_uuid) & (Decision.outcome == "pending")
    )
    lines = decision_lines(query)
    if by is not None:
        lines = [line for line in lines if (line.due_on or line.meeting_on) <= by]
    return sorted(lines, key=lambda line: (line.due_on or line.meeting_on, line.meeting_on,
                                           line.item_number, line.title.casefold()))  # fmt: skip


def decisions_taken(consortium_uuid: str, starts_on: date, ends_on: date) -> list[DecisionLine]:
    """Decisions voted at the consortium's meetings between two days, in the order taken."""
    query = decisions_query().where(
        (Consortium.uuid == consortium_uuid)
        & (Decision.outcome != "pending")
        & (Decision.decided_on >= starts_on)
        & (Decision.decided_on <= ends_on)
    )
    return sorted(decision_lines(query), key=lambda line: (line.meeting_on, line.item_number))


def vote_choices() -> list[tuple[str, str]]:
    """(label, code) of the votes a member present may cast (withdrawn comes from a declaration)."""
    return [(choice.label, choice.code) for choice in VOTE_CHOICES if choice.code != "withdrawn"]
