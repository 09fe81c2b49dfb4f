"""The consortium's standing register of interests: who holds which interest, from when to when."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from peewee import JOIN

from desta_tui.db.database import db
from desta_tui.db.models import Consortium, Contact, Organisation, RegisteredInterest
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.forms import Checks
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.context import today
from desta_tui.services.meetings.common import (
    consortium,
    contact,
    date_value,
    find,
    long_text_value,
    organisation,
    uuid_value,
)
from desta_tui.services.meetings.views import RegisteredInterestLine
from desta_tui.services.records import archive_record, restore_record

INTEREST_TABLE = RegisteredInterest._meta.table_name


def _clean(values: Mapping[str, Any], row: RegisteredInterest | None) -> dict[str, Any]:
    checks, clean = Checks(), {}
    errors = checks.errors
    attempt = partial(checks.put, clean)

    if row is None:
        attempt("consortium", lambda: consortium(uuid_value(values, "consortium")))
    attempt("contact", lambda: contact(uuid_value(values, "contact"), "contact"))
    attempt(
        "organisation", lambda: organisation(uuid_value(values, "organisation"), "organisation")
    )
    person, org = clean.get("contact"), clean.get("organisation")
    if person is not None:
        if org is not None and org.id != person.organisation_id:
            errors.append(ValidationError("contact", f"{person.full_name} is not of {org.name}"))
        clean["organisation"] = person.organisation
    elif org is None and not errors:
        errors.append(ValidationError("organisation", "choose the member or the person"))
    clean["description"] = long_text_value(values, "description")
    if not clean["description"]:
        errors.append(ValidationError("description", "say what the interest is"))
    attempt("starts_on", lambda: date_value(values.get("starts_on"), "starts_on") or today())
    attempt("ends_on", lambda: date_value(values.get("ends_on"), "ends_on"))
    starts, ends = clean.get("starts_on"), clean.get("ends_on")
    if starts and ends and ends < starts:
        errors.append(
            ValidationError(
                "ends_on", f"the interest ends before it starts ({format_uk_date(starts)})"
            )
        )
    FormError.raise_if_any(errors)
    return clean


def register_interest(values: Mapping[str, Any]) -> RegisteredInterestLine:
    """Enter an interest in the register: the `consortium`, the member `organisation` and/or the
    `contact`, a `description`, `starts_on` (today if blank) and `ends_on`."""
    with db.atomic():
        row = create_record(RegisteredInterest, **_clean(values, None))
    return get_registered_interest(row.uuid)


def update_registered_interest(uuid: str, values: Mapping[str, Any]) -> RegisteredInterestLine:
    with db.atomic():
        row = find(RegisteredInterest, uuid)
        merged = {"organisation": row.organisation.uuid if row.organisation_id else "",
                  "contact": row.contact.uuid if row.contact_id else "",
                  "description": row.description, "starts_on": row.starts_on,
                  "ends_on": row.ends_on, **values}  # fmt: skip
        update_record(row, **_clean(merged, row))
    return get_registered_interest(uuid)


def end_registered_interest(uuid: str, ends_on: date | str | None = None) -> RegisteredInterestLine:
    """The interest is no longer held: it ends today unless a day is given."""
    with db.atomic():
        row = find(RegisteredInterest, uuid)
        ends = date_value(ends_on, "ends_on") or today()
        if ends < row.starts_on:
            raise ValidationError(
                "ends_on", f"the interest ends before it starts ({format_uk_date(row.starts_on)})"
            )
        update_record(row, ends_on=ends)
    return get_registered_interest(uuid)


def archive_registered_interest(uuid: str):
    """Take an entry made in error out of the register (archived, restorable)."""
    return archive_record(INTEREST_TABLE, uuid)


def restore_registered_interest(uuid: str):
    return restore_record(INTEREST_TABLE, uuid)


def _query():
    return (
        RegisteredInterest.select(RegisteredInterest, Consortium, Contact, Organisation)
        .join(Consortium)
        .switch(RegisteredInterest)
        .join(Contact, JOIN.LEFT_OUTER, on=(RegisteredInterest.contact == Contact.id))
        .switch(RegisteredInterest)
        .join(
            Organisation, JOIN.LEFT_OUTER, on=(RegisteredInterest.organisation == Organisation.id)
        )
    )


def _line(row: RegisteredInterest, on: date) -> RegisteredInterestLine:
    person = row.contact if row.contact_id else None
    org = row.organisation if row.organisation_id else None
    return RegisteredInterestLine(
        uuid=row.uuid,
        consortium_uuid=row.consortium.uuid,
        organisation_uuid=org.uuid if org else None,
        organisation_name=org.name if org else "",
        contact_uuid=person.uuid if person else None,
        person_name=person.full_name if person else "",
        description=row.description,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        is_current=row.starts_on <= on and (row.ends_on is None or row.ends_on >= on),
    )


def get_registered_interest(uuid: str) -> RegisteredInterestLine:
    row = _query().where(RegisteredInterest.uuid == uuid).first()
    if row is None:
        find(RegisteredInterest, uuid, live=False)  # says it no longer exists
    return _line(row, today())


def list_registered_interests(
    consortium_uuid: str, *, on: date | None = None, include_ended: bool = False
) -> list[RegisteredInterestLine]:
    """The register, by organisation then person: the interests held on the day (today), or
    every entry with `include_ended`."""
    on = on or today()
    query = _query().where(
        (Consortium.uuid == consortium_uuid) & RegisteredInterest.archived_at.is_null()
    )
    lines = [_line(row, on) for row in query]
    if not include_ended:
        lines = [line for line in lines if line.is_current]
    return sorted(
        lines,
        key=lambda line: (line.organisation_name.casefold(), line.person_name.casefold(),
                          line.starts_on),
    )  # fmt: skip
