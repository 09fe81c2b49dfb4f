"""One organisation: read it, add it, change it, archive it (its rules in domain.organisations)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import Borough, Organisation, OrganisationBorough
from desta_tui.domain.choices import ORGANISATION_KINDS
from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.organisations import validate_organisation
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.audit import write_audit as _write_audit
from desta_tui.services.lookups import borough_names
from desta_tui.services.members.common import organisation_or_fail
from desta_tui.services.members.views import OrganisationDetail
from desta_tui.services.records import RecordRef, archive_record
from desta_tui.services.search_index import refresh_search_text


def _borough_names_of(org: Organisation) -> list[str]:
    return [
        b.name
        for b in Borough.select(Borough.name)
        .join(OrganisationBorough)
        .where(OrganisationBorough.organisation == org)
        .order_by(Borough.name)
    ]


def _detail(org: Organisation) -> OrganisationDetail:
    return OrganisationDetail(
        uuid=org.uuid,
        name=org.name,
        kind=org.kind,
        kind_label=ORGANISATION_KINDS.label(org.kind),
        is_member=org.is_member,
        is_commissioner=org.is_commissioner,
        charity_number=org.charity_number,
        company_number=org.company_number,
        address=org.address,
        postcode=org.postcode,
        borough=org.borough.name if org.borough_id else "",
        boroughs=_borough_names_of(org),
        email=org.email,
        phone=org.phone,
        website=org.website,
        notes=org.notes,
        is_archived=org.archived_at is not None,
        created_at=org.created_at,
        updated_at=org.updated_at,
    )


def get_organisation(uuid: str) -> OrganisationDetail:
    return _detail(organisation_or_fail(uuid))


def _name_taken(name: str, name_key: str, current: Organisation | None) -> ValidationError | None:
    """Names are unique across the hub, archived ones too, under normalise_name's key."""
    clash = Organisation.select().where(Organisation.name_key == name_key)
    if current is not None:
        clash = clash.where(Organisation.id != current.id)
    other = clash.first()
    if other is None:
        return None
    archived = " (archived: show archived records to restore it)" if other.archived_at else ""
    return ValidationError("name", f"{other.name!r} is already in the hub{archived}")


def _check_organisation(values: Mapping[str, Any], current: Organisation | None) -> dict[str, Any]:
    """domain.organisations.validate_organisation, and the one check it cannot make: is the
    name taken? Every complaint is raised together."""
    errors: list[ValidationError] = []
    try:
        clean = validate_organisation(values, known_boroughs=borough_names())
    except FormError as error:
        errors, clean = list(error.validation_errors), {}
    if errors:
        # the other fields' complaints must not hide a name clash: check the name alone
        try:
            clean = validate_organisation({"name": values.get("name")}, partial=True)
        except FormError:
            clean = {}
    taken = None
    if "name_key" in clean:
        taken = _name_taken(clean["name"], clean["name_key"], current)
    if taken is not None:
        # after the name's own complaints, before the other fields', as the form lists them
        at = next((n for n, e in enumerate(errors) if e.field != "name"), len(errors))
        errors.insert(at, taken)
    FormError.raise_if_any(errors)
    if clean["borough"] is not None:
        clean["borough"] = Borough.get(Borough.name == clean["borough"])
    return clean


def _set_boroughs(org: Organisation, names: list[str]) -> None:
    before = _borough_names_of(org)
    after = sorted(names)
    if before == after:
        return
    OrganisationBorough.delete().where(OrganisationBorough.organisation == org).execute()
    for borough in Borough.select().where(Borough.name.in_(after)):
        OrganisationBorough.create(organisation=org, borough=borough)
    # the links are not records of their own: the change is logged on the organisation
    _write_audit(org, "update", "boroughs", ", ".join(before), ", ".join(after))


def create_organisation(values: Mapping[str, Any]) -> OrganisationDetail:
    """Add an organisation from a form's raw values; FormError names every bad field."""
    with db.atomic():
        clean = _check_organisation(values, None)
        boroughs = clean.pop("boroughs")
        org = create_record(Organisation, **clean)
        if boroughs:
            OrganisationBorough.insert_many(
                [{"organisation": org.id, "borough": b.id}
                 for b in Borough.select().where(Borough.name.in_(boroughs))]
            ).execute()  # fmt: skip
            _write_audit(org, "create", "boroughs", None, ", ".join(sorted(boroughs)))
        refresh_search_text(org)
        return _detail(org)


def update_organisation(uuid: str, values: Mapping[str, Any]) -> OrganisationDetail:
    """Change an organisation; only fields that really changed are logged."""
    with db.atomic():
        org = organisation_or_fail(uuid)
        clean = _check_organisation(values, org)
        boroughs = clean.pop("boroughs")
        update_record(org, **clean)
        _set_boroughs(org, boroughs)
        refresh_search_text(org)
        return _detail(org)


def archive_organisation(uuid: str) -> RecordRef:
    """Take an organisation off the lists (its history stays; `u` or restore brings it back)."""
    return archive_record("organisation", uuid)
