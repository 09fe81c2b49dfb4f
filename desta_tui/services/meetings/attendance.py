"""Attendance: members' contacts present, sending apologies or absent, observers; the quorum."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import (
    AgendaItem,
    Contact,
    Declaration,
    Meeting,
    MeetingAttendance,
    Membership,
    Organisation,
)
from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.meetings import (
    ATTENDANCE_KINDS,
    ATTENDANCE_ROLES,
    QuorumResult,
    quorum,
    quorum_for_item,
    validate_attendee,
)
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.meetings.agenda import ensure_item_of
from desta_tui.services.meetings.common import (
    archive_meeting_part,
    contact,
    find,
    open_for_changes,
    rule_for,
    text_value,
    uuid_value,
    voting_members,
)
from desta_tui.services.records import restore_record

ATTENDANCE_TABLE = MeetingAttendance._meta.table_name


def _is_member(organisation_id: int, consortium_id: int) -> bool:
    return (
        Membership.select()
        .where(
            (Membership.organisation == organisation_id)
            & (Membership.consortium == consortium_id)
            & Membership.archived_at.is_null()
        )
        .exists()
    )


def _clean(meeting: Meeting, values: Mapping[str, Any], row: MeetingAttendance | None) -> dict:
    errors: list[ValidationError] = []
    kind = text_value(values, "kind") or "present"
    role = text_value(values, "role") or "member"
    name = text_value(values, "name")
    person = None
    try:
        person = contact(uuid_value(values, "contact"), "contact")
        validate_attendee(kind, has_contact=person is not None, name=name)
    except ValidationError as error:
        errors.append(error)
    if role not in ATTENDANCE_ROLES.codes:
        errors.append(ValidationError("role", f"{role!r} is not a role at a meeting"))
    is_outsider = person is not None and not _is_member(
        person.organisation_id, meeting.consortium_id
    )
    if is_outsider and kind != "observer":
        errors.append(
            ValidationError(
                "kind",
                f"{person.organisation.name} is not a member of the consortium: "
                f"{person.full_name} can only observe",
            )
        )
    if role == "chair" and kind == "present":
        other_chair = MeetingAttendance.select().where(
            (MeetingAttendance.meeting == meeting)
            & (MeetingAttendance.role == "chair")
            & (MeetingAttendance.kind == "present")
            & MeetingAttendance.archived_at.is_null()
        )
        if row is not None:
            other_chair = other_chair.where(MeetingAttendance.id != row.id)
        if other_chair.exists():
            errors.append(ValidationError("role", "the meeting already has a chair"))
    FormError.raise_if_any(errors)
    return {
        "contact": person,
        "organisation": person.organisation if person is not None else None,
        "name": name if person is None else "",
        "kind": kind,
        "role": role,
    }


def record_attendance(
    meeting_uuid: str, values: Mapping[str, Any], *, correction_reason: str | None = None
) -> MeetingAttendance:
    """Add someone to the attendance list: a member's contact (`contact` uuid) present, with
    apologies or absent, or an observer (a contact, or a `name` typed in); `role` chair etc."""
    with db.atomic():
        meeting = find(Meeting, meeting_uuid)
        clean = _clean(meeting, values, None)
        open_for_changes(meeting, correction_reason)
        person = clean["contact"]
        if person is not None:
            earlier = MeetingAttendance.get_or_none(
                (MeetingAttendance.meeting == meeting) & (MeetingAttendance.contact == person)
            )
            if earlier is not None and earlier.archived_at is None:
                raise ValidationError(
                    "contact", f"{person.full_name} is already on the list: change their entry"
                )
            if earlier is not None:
                # the one row a person has per meeting comes back, with its history
                restore_record(ATTENDANCE_TABLE, earlier.uuid)
                earlier = MeetingAttendance.get_by_id(earlier.id)
                update_record(earlier, **clean)
                return earlier
        return create_record(MeetingAttendance, meeting=meeting, **clean)


def update_attendance(
    attendance_uuid: str, values: Mapping[str, Any], *, correction_reason: str | None = None
) -> MeetingAttendance:
    """Change someone's entry: present, apologies, absent or observing; their role."""
    with db.atomic():
        row = find(MeetingAttendance, attendance_uuid)
        meeting = row.meeting
        merged = {"contact": row.contact.uuid if row.contact_id else "", "name": row.name,
                  "kind": row.kind, "role": row.role, **values}  # fmt: skip
        clean = _clean(meeting, merged, row)
        open_for_changes(meeting, correction_reason)
        if clean["contact"] is not None and clean["contact"].id != row.contact_id:
            taken = MeetingAttendance.select().where(
                (MeetingAttendance.meeting == meeting)
                & (MeetingAttendance.contact == clean["contact"])
                & (MeetingAttendance.id != row.id)
            )
            if taken.exists():
                raise ValidationError("contact", "that person has an entry already")
        update_record(row, **clean)
    return row


def remove_attendance(attendance_uuid: str, *, correction_reason: str | None = None):
    """Take someone off the list (archived: the entry and its history stay)."""
    return archive_meeting_part(MeetingAttendance, attendance_uuid, correction_reason)


def present_voting_members(meeting: Meeting) -> tuple[set[int], int]:
    """(ids of the voting member organisations with someone present, how many have a vote)."""
    voters = voting_members(meeting.consortium_id, meeting.body)
    rows = MeetingAttendance.select(MeetingAttendance.organisation).where(
        (MeetingAttendance.meeting == meeting)
        & (MeetingAttendance.kind == "present")
        & MeetingAttendance.archived_at.is_null()
    )
    present = {row.organisation_id for row in rows if row.organisation_id in voters}
    return present, len(voters)


def withdrawn_members(item: AgendaItem) -> set[int]:
    """Ids of the organisations that declared an interest in the item and withdrew from it."""
    rows = Declaration.select(Declaration.organisation).where(
        (Declaration.agenda_item == item)
        & Declaration.is_withdrawn
        & Declaration.archived_at.is_null()
    )
    return {row.organisation_id for row in rows if row.organisation_id}


def meeting_quorum(meeting_uuid: str, agenda_item_uuid: str | None = None) -> QuorumResult:
    """The quorum of the meeting, or of one item once those who withdrew from it have left."""
    meeting = find(Meeting, meeting_uuid, live=False)
    present, voters = present_voting_members(meeting)
    rule = rule_for(meeting.body)
    if agenda_item_uuid:
        item = ensure_item_of(meeting, agenda_item_uuid)
        return quorum_for_item(present, withdrawn_members(item), voters, rule)
    return quorum(len(present), voters, rule)


def attendee_choices(meeting_uuid: str) -> list[tuple[str, str]]:
    """(label, contact uuid) for the contacts of the consortium's members, by organisation."""
    meeting = find(Meeting, meeting_uuid, live=False)
    query = (
        Contact.select(Contact.uuid, Contact.full_name, Organisation.name)
        .join(Organisation)
        .join(Membership, on=(Membership.organisation == Organisation.id))
        .where(
            (Membership.consortium == meeting.consortium_id)
            & Membership.archived_at.is_null()
            & Contact.archived_at.is_null()
            & Organisation.archived_at.is_null()
        )
        .order_by(Organisation.name, Contact.full_name)
        .tuples()
    )
    return [(f"{name} ({org})", uuid) for uuid, name, org in query]


def attendance_kind_choices() -> list[tuple[str, str]]:
    return ATTENDANCE_KINDS.options()


def attendance_role_choices() -> list[tuple[str, str]]:
    return ATTENDANCE_ROLES.options()
