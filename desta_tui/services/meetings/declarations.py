"""Declarations of interest per agenda item, and the ones to suggest from members' own records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import AgendaItem, Decision, Declaration, MeetingAttendance, Vote
from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.meetings import SuggestedDeclaration, suggested_declarations
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.meetings.common import (
    archive_meeting_part,
    contact,
    find,
    long_text_value,
    open_for_changes,
    organisation,
    uuid_value,
    voting_members,
)
from desta_tui.services.meetings.detail import member_stakes

DECLARATION_TABLE = Declaration._meta.table_name


def _clean(item: AgendaItem, values: Mapping[str, Any], row: Declaration | None) -> dict:
    errors: list[ValidationError] = []
    person = org = None
    try:
        person = contact(uuid_value(values, "contact"), "contact")
    except ValidationError as error:
        errors.append(error)
    try:
        org = organisation(uuid_value(values, "organisation"), "organisation")
    except ValidationError as error:
        errors.append(error)
    if person is not None:
        if org is not None and org.id != person.organisation_id:
            errors.append(ValidationError("contact", f"{person.full_name} is not of {org.name}"))
        org = person.organisation
    if person is None and org is None and not errors:
        errors.append(ValidationError("organisation", "choose the member declaring an interest"))
    description = long_text_value(values, "description")
    if not description:
        errors.append(ValidationError("description", "say what the interest is"))
    is_withdrawn = values.get("is_withdrawn", True)
    is_withdrawn = is_withdrawn if isinstance(is_withdrawn, bool) else str(is_withdrawn) in (
        "1", "true", "yes", "True")  # fmt: skip
    FormError.raise_if_any(errors)
    twice = Declaration.select().where(
        (Declaration.agenda_item == item)
        & (Declaration.organisation == org)
        & Declaration.archived_at.is_null()
    )
    if row is not None:
        twice = twice.where(Declaration.id != row.id)
    if twice.exists():
        raise ValidationError(
            "organisation", f"{org.name} has already declared an interest in this item"
        )
    if is_withdrawn:
        voted = (
            Vote.select(Decision.title)
            .join(Decision)
            .where(
                (Decision.agenda_item == item)
                & (Vote.organisation == org)
                & (Vote.choice != "withdrawn")
                & Vote.archived_at.is_null()
                & Decision.archived_at.is_null()
            )
            .first()
        )
        if voted is not None:
            raise ValidationError(
                "organisation",
                f"{org.name} voted on {voted.decision.title!r}: "
                "record that vote again without it first",
            )
    return {
        "organisation": org,
        "contact": person,
        "description": description,
        "is_withdrawn": is_withdrawn,
    }


def declare_interest(
    agenda_item_uuid: str, values: Mapping[str, Any], *, correction_reason: str | None = None
) -> Declaration:
    """A member (`organisation`, or its `contact`) declares an interest (`description`) in an
    item; with `is_withdrawn` (the default) it leaves the item's discussion, vote and quorum."""
    with db.atomic():
        item = find(AgendaItem, agenda_item_uuid)
        clean = _clean(item, values, None)
        open_for_changes(item.meeting, correction_reason)
        return create_record(Declaration, agenda_item=item, **clean)


def update_declaration(
    declaration_uuid: str, values: Mapping[str, Any], *, correction_reason: str | None = None
) -> Declaration:
    with db.atomic():
        row = find(Declaration, declaration_uuid)
        merged = {"organisation": row.organisation.uuid if row.organisation_id else "",
                  "contact": row.contact.uuid if row.contact_id else "",
                  "description": row.description, "is_withdrawn": row.is_withdrawn,
                  **values}  # fmt: skip
        clean = _clean(row.agenda_item, merged, row)
        open_for_changes(row.agenda_item.meeting, correction_reason)
        update_record(row, **clean)
    return row


def remove_declaration(declaration_uuid: str, *, correction_reason: str | None = None):
    """Withdraw a declaration made in error (archived, restorable)."""
    return archive_meeting_part(
        Declaration, declaration_uuid, correction_reason, lambda row: row.agenda_item.meeting
    )


def suggested_declarations_for(agenda_item_uuid: str) -> list[SuggestedDeclaration]:
    """Members who should think of declaring an interest in the item: those whose own contract,
    ticket or organisation it is about (voting members and anyone on the attendance list)."""
    item = find(AgendaItem, agenda_item_uuid, live=False)
    meeting = item.meeting
    members = set(voting_members(meeting.consortium_id, meeting.body))
    attending = MeetingAttendance.select(MeetingAttendance.organisation).where(
        (MeetingAttendance.meeting == meeting) & MeetingAttendance.archived_at.is_null()
    )
    members |= {row.organisation_id for row in attending if row.organisation_id}
    declared = {
        row.organisation.uuid
        for row in Declaration.select().where(
            (Declaration.agenda_item == item) & Declaration.archived_at.is_null()
        )
        if row.organisation_id
    }
    stakes = member_stakes([item], members)
    return suggested_declarations(item.link_table, item.link_uuid, stakes, declared)
