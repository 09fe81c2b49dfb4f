"""An organisation's contact people: list, add, change, archive (rules in domain.contacts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import Contact, Organisation
from desta_tui.domain.contacts import validate_contact
from desta_tui.domain.errors import DestaError
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.members.common import organisation_or_fail
from desta_tui.services.members.views import ContactInfo
from desta_tui.services.records import RecordRef, archive_record
from desta_tui.services.search_index import refresh_search_text


def _contact_info(contact: Contact, org: Organisation | None = None) -> ContactInfo:
    org = org or contact.organisation
    return ContactInfo(
        uuid=contact.uuid,
        organisation_uuid=org.uuid,
        organisation_name=org.name,
        full_name=contact.full_name,
        role=contact.role,
        email=contact.email,
        phone=contact.phone,
        is_primary=contact.is_primary,
        notes=contact.notes,
        is_erased=contact.erased_at is not None,
        is_archived=contact.archived_at is not None,
    )


def list_contacts(organisation_uuid: str, *, include_archived: bool = False) -> list[ContactInfo]:
    """An organisation's contacts, the main contact first, then by name."""
    org = organisation_or_fail(organisation_uuid)
    query = Contact.select().where(Contact.organisation == org)
    if not include_archived:
        query = query.where(Contact.archived_at.is_null())
    query = query.order_by(Contact.is_primary.desc(), Contact.full_name)
    return [_contact_info(contact, org) for contact in query]


def get_contact(uuid: str) -> ContactInfo:
    contact = Contact.get_or_none(Contact.uuid == uuid)
    if contact is None:
        raise DestaError("That contact no longer exists.")
    return _contact_info(contact)


def _only_primary(org: Organisation, keep: Contact) -> None:
    """One main contact per organisation: choosing one un-chooses the others (logged)."""
    others = Contact.select().where(
        (Contact.organisation == org) & (Contact.id != keep.id) & Contact.is_primary
    )
    for other in others:
        update_record(other, is_primary=False)


def create_contact(organisation_uuid: str, values: Mapping[str, Any]) -> ContactInfo:
    with db.atomic():
        org = organisation_or_fail(organisation_uuid)
        clean = validate_contact(values)
        contact = create_record(Contact, organisation=org, **clean)
        if contact.is_primary:
            _only_primary(org, contact)
        refresh_search_text(org)
        return _contact_info(contact, org)


def update_contact(uuid: str, values: Mapping[str, Any]) -> ContactInfo:
    with db.atomic():
        contact = Contact.get_or_none(Contact.uuid == uuid)
        if contact is None:
            raise DestaError("That contact no longer exists.")
        if contact.erased_at is not None:
            raise DestaError("This contact's personal data was erased at their request.")
        clean = validate_contact(values)
        update_record(contact, **clean)
        org = contact.organisation
        if contact.is_primary:
            _only_primary(org, contact)
        refresh_search_text(org)
        return _contact_info(contact, org)


def archive_contact(uuid: str) -> RecordRef:
    with db.atomic():
        ref = archive_record("contact", uuid)
        contact = Contact.get(Contact.uuid == uuid)
        refresh_search_text(contact.organisation)
        return ref
