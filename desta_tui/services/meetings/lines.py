"""The lines of a meeting's read model built from queries: attendance, declarations, decisions,
actions, each a batch of rows read at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from peewee import JOIN

from desta_tui.db.models import (
    AgendaItem,
    Consortium,
    Contact,
    Decision,
    Declaration,
    Meeting,
    MeetingAction,
    MeetingAttendance,
    Organisation,
    Vote,
)
from desta_tui.domain.meetings import (
    ATTENDANCE_KINDS,
    QuorumResult,
    is_on_action_log,
    tally_votes,
)
from desta_tui.services.meetings.meeting_row import meeting_row as meeting_row  # re-exported
from desta_tui.services.meetings.views import (
    ActionLine,
    AttendanceLine,
    DecisionLine,
    DeclarationLine,
    VoteLine,
)

_KIND_ORDER = {code: index for index, code in enumerate(ATTENDANCE_KINDS.codes)}
_ROLE_ORDER = {"chair": 0, "vice_chair": 1}


def _person(contact: Contact | None, organisation: Organisation | None) -> tuple[str, str]:
    """(person's name, organisation's name) of a contact picked in a form."""
    name = contact.full_name if contact is not None and contact.id else ""
    org = organisation.name if organisation is not None and organisation.id else ""
    return name, org


def attendance_lines(meeting: Meeting, voter_ids: Iterable[int]) -> list[AttendanceLine]:
    """Who came, who sent apologies, who was absent, who observed: chair first, then by name."""
    voters = set(voter_ids)
    query = (
        MeetingAttendance.select(MeetingAttendance, Contact, Organisation)
        .join(Contact, JOIN.LEFT_OUTER, on=(MeetingAttendance.contact == Contact.id))
        .switch(MeetingAttendance)
        .join(Organisation, JOIN.LEFT_OUTER, on=(MeetingAttendance.organisation == Organisation.id))
        .where((MeetingAttendance.meeting == meeting) & MeetingAttendance.archived_at.is_null())
    )
    lines = []
    for row in query:
        contact = row.contact if row.contact_id else None
        organisation = row.organisation if row.organisation_id else None
        person, org_name = _person(contact, organisation)
        lines.append(
            AttendanceLine(
                uuid=row.uuid,
                contact_uuid=contact.uuid if contact else None,
                name=row.name or person,
                organisation_uuid=organisation.uuid if organisation else None,
                organisation_name=org_name,
                kind=row.kind,
                role=row.role,
                is_voting_member=row.organisation_id in voters and row.kind != "observer",
            )
        )
    return sorted(
        lines,
        key=lambda line: (_KIND_ORDER.get(line.kind, 9), _ROLE_ORDER.get(line.role, 2),
                          line.name.casefold()),
    )  # fmt: skip


def declaration_lines(item_ids: Iterable[int]) -> dict[int, list[DeclarationLine]]:
    """The live declarations of each item, by item id, in the order they were made."""
    ids = list(item_ids)
    found: dict[int, list[DeclarationLine]] = defaultdict(list)
    if not ids:
        return found
    query = (
        Declaration.select(Declaration, AgendaItem, Contact, Organisation)
        .join(AgendaItem)
        .switch(Declaration)
        .join(Contact, JOIN.LEFT_OUTER, on=(Declaration.contact == Contact.id))
        .switch(Declaration)
        .join(Organisation, JOIN.LEFT_OUTER, on=(Declaration.organisation == Organisation.id))
        .where(Declaration.agenda_item.in_(ids) & Declaration.archived_at.is_null())
        .order_by(Declaration.created_at, Declaration.id)
    )
    for row in query:
        contact = row.contact if row.contact_id else None
        organisation = row.organisation if row.organisation_id else None
        person, org_name = _person(contact, organisation)
        found[row.agenda_item_id].append(
            DeclarationLine(
                uuid=row.uuid,
                agenda_item_uuid=row.agenda_item.uuid,
                item_number=row.agenda_item.position,
                item_title=row.agenda_item.title,
                organisation_uuid=organisation.uuid if organisation else None,
                organisation_name=org_name,
                contact_uuid=contact.uuid if contact else None,
                person_name=person,
                description=row.description,
                is_withdrawn=row.is_withdrawn,
            )
        )
    return found


def _contact_names(ids: set[int]) -> dict[int, str]:
    """`Amina Okafor (Rain Trust)` for each contact id."""
    if not ids:
        return {}
    query = (
        Contact.select(Contact.id, Contact.full_name, Organisation.name)
        .join(Organisation)
        .where(Contact.id.in_(list(ids)))
        .tuples()
    )
    return {contact_id: f"{name} ({org})" for contact_id, name, org in query}


def decision_lines(decisions: Iterable[Decision]) -> list[DecisionLine]:
    """Lines for decisions (their meeting and consortium joined in), votes and names read in
    one query each."""
    decisions = list(decisions)
    if not decisions:
        return []
    ids = [decision.id for decision in decisions]
    votes: dict[int, list[VoteLine]] = defaultdict(list)
    vote_query = (
        Vote.select(Vote, Organisation, Contact)
        .join(Organisation)
        .switch(Vote)
        .join(Contact, JOIN.LEFT_OUTER, on=(Vote.contact == Contact.id))
        .where(Vote.decision.in_(ids) & Vote.archived_at.is_null())
    )
    for vote in vote_query:
        person = vote.contact.full_name if vote.contact_id else ""
        votes[vote.decision_id].append(
            VoteLine(vote.organisation.uuid, vote.organisation.name, person, vote.choice)
        )
    names = _contact_names(
        {d.proposer_id for d in decisions if d.proposer_id}
        | {d.seconder_id for d in decisions if d.seconder_id}
    )
    item_ids = {d.agenda_item_id for d in decisions if d.agenda_item_id}
    items = (
        {item.id: item for item in AgendaItem.select().where(AgendaItem.id.in_(list(item_ids)))}
        if item_ids
        else {}
    )
    lines = []
    for decision in decisions:
        meeting = decision.meeting
        row = meeting_row(meeting, meeting.consortium)
        cast = sorted(votes[decision.id], key=lambda vote: vote.organisation_name.casefold())
        tally = tally_votes(vote.choice for vote in cast)
        item = items.get(decision.agenda_item_id)
        quorum = None
        if decision.is_quorate is not None:
            quorum = QuorumResult(
                bool(decision.is_quorate),
                decision.quorum_needed,
                decision.present_count,
                decision.voting_member_count,
                tally.withdrawn,
            )
        lines.append(
            DecisionLine(
                uuid=decision.uuid,
                meeting_uuid=meeting.uuid,
                meeting_title=row.title,
                meeting_on=meeting.meeting_on,
                agenda_item_uuid=item.uuid if item else None,
                item_number=item.position if item else 0,
                item_title=item.title if item else "",
                title=decision.title,
                details=decision.details,
                proposer=names.get(decision.proposer_id, ""),
                seconder=names.get(decision.seconder_id, ""),
                outcome=decision.outcome,
                tally=tally,
                casting_vote=decision.casting_vote,
                is_quorate=decision.is_quorate,
                quorum=quorum,
                votes=tuple(cast),
                due_on=decision.due_on,
                decided_on=decision.decided_on,
            )
        )
    return lines


def decisions_query():
    """Live decisions of live meetings, with their meeting and consortium."""
    return (
        Decision.select(Decision, Meeting, Consortium)
        .join(Meeting)
        .join(Consortium)
        .where(Decision.archived_at.is_null() & Meeting.archived_at.is_null())
    )


def actions_query():
    """Live actions of live meetings, with their meeting and consortium."""
    return (
        MeetingAction.select(MeetingAction, Meeting, Consortium)
        .join(Meeting)
        .join(Consortium)
        .where(MeetingAction.archived_at.is_null() & Meeting.archived_at.is_null())
    )


def _meeting_days(consortium_ids: set[int]) -> dict[tuple[int, str], list[date]]:
    """The days each body of each consortium met (or will meet), in order."""
    days: dict[tuple[int, str], list[date]] = defaultdict(list)
    query = (
        Meeting.select(Meeting.consortium, Meeting.body, Meeting.meeting_on)
        .where(Meeting.consortium.in_(list(consortium_ids)) & Meeting.archived_at.is_null())
        .order_by(Meeting.meeting_on)
        .tuples()
    )
    for consortium_id, body, on in query:
        days[(consortium_id, body)].append(on)
    return days


def action_lines(actions: Iterable[MeetingAction], as_of: date, up_to: date) -> list[ActionLine]:
    """Lines for actions (their meeting joined in): overdue as of `as_of`, and carried to each
    meeting of the body after the one that raised it, up to the day `up_to`."""
    actions = list(actions)
    if not actions:
        return []
    days = _meeting_days({action.meeting.consortium_id for action in actions})
    item_ids = {action.agenda_item_id for action in actions if action.agenda_item_id}
    items = {}
    if item_ids:
        query = AgendaItem.select(AgendaItem.id, AgendaItem.uuid, AgendaItem.title)
        items = {id_: (uuid, title) for id_, uuid, title in
                 query.where(AgendaItem.id.in_(list(item_ids))).tuples()}  # fmt: skip
    lines = []
    for action in actions:
        meeting = action.meeting
        raised = meeting.meeting_on
        met = days[(meeting.consortium_id, meeting.body)]
        carried = sum(1 for on in met if raised < on <= up_to)
        lines.append(
            ActionLine(
                uuid=action.uuid,
                meeting_uuid=meeting.uuid,
                meeting_title=meeting_row(meeting, meeting.consortium).title,
                raised_on=raised,
                body=meeting.body,
                agenda_item_uuid=items.get(action.agenda_item_id, (None, ""))[0],
                item_title=items.get(action.agenda_item_id, (None, ""))[1],
                description=action.description,
                owner=action.owner,
                due_on=action.due_on,
                is_done=action.is_done,
                done_on=action.done_on,
                progress=action.progress,
                times_carried=carried,
                is_overdue=(
                    not action.is_done and action.due_on is not None and action.due_on < as_of
                ),
            )
        )
    return lines


def action_order(line: ActionLine) -> tuple:
    """Open before done, then by due date (none last), then oldest first."""
    return (line.is_done, line.due_on or date.max, line.raised_on, line.description.casefold())


def carried_actions(meeting: Meeting, previous_on: date | None, as_of: date) -> list[ActionLine]:
    """The actions on a meeting's log: raised at earlier meetings of the body, open, or done
    since the last meeting."""
    query = actions_query().where(
        (Meeting.consortium == meeting.consortium_id)
        & (Meeting.body == meeting.body)
        & (Meeting.meeting_on < meeting.meeting_on)
    )
    wanted = [
        action
        for action in query
        if is_on_action_log(
            action.meeting.meeting_on,
            action.is_done,
            action.done_on,
            meeting.meeting_on,
            previous_on,
        )
    ]
    return sorted(action_lines(wanted, as_of, meeting.meeting_on), key=action_order)
