"""The commissioner contact log: dated meetings, calls and emails, and who is overdue one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import CommissionerContact, Contract
from desta_tui.domain.choices import CONTACT_KINDS
from desta_tui.domain.dates import parse_uk_date
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.forms import text_of
from desta_tui.services import records
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.context import current_user, today
from desta_tui.services.contracts.contact_due import (  # noqa: F401  (from here too)
    overdue_commissioner_contacts,
)
from desta_tui.services.contracts.lookups import contract_by_uuid
from desta_tui.services.contracts.overview_views import CommissionerContactRow


def list_commissioner_contacts(contract_uuid: str) -> list[CommissionerContactRow]:
    """The contract's contact log, newest first."""
    contract = contract_by_uuid(contract_uuid)
    query = (
        CommissionerContact.select()
        .where(
            (CommissionerContact.contract == contract) & CommissionerContact.archived_at.is_null()
        )
        .order_by(CommissionerContact.contacted_on.desc(), CommissionerContact.id.desc())
    )
    return [_contact_row(contact, contract) for contact in query]


def _contact_row(contact: CommissionerContact, contract: Contract) -> CommissionerContactRow:
    return CommissionerContactRow(
        uuid=contact.uuid,
        contract_uuid=contract.uuid,
        contacted_on=contact.contacted_on,
        kind=contact.kind,
        kind_label=CONTACT_KINDS.label(contact.kind),
        with_whom=contact.with_whom,
        notes=contact.notes,
        logged_by=contact.logged_by,
    )


def get_commissioner_contact(contact_uuid: str) -> CommissionerContactRow:
    """One entry of a contact log, archived or not."""
    contact = CommissionerContact.get_or_none(CommissionerContact.uuid == contact_uuid)
    if contact is None:
        raise DestaError("That contact entry no longer exists.")
    return _contact_row(contact, contact.contract)


def _parse_contact_values(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: list[ValidationError] = []
    on = today()
    contacted_on = None
    try:
        contacted_on = parse_uk_date(text_of(values, "contacted_on"), "contacted_on", on)
    except ValidationError as error:
        errors.append(error)
    if contacted_on is not None and contacted_on > on:
        errors.append(
            ValidationError("contacted_on", "the log is of contacts made: this date is ahead")
        )
    kind = text_of(values, "kind") or "meeting"
    if kind not in CONTACT_KINDS.codes:
        errors.append(ValidationError("kind", "choose meeting, phone call, email or other"))
    with_whom = text_of(values, "with_whom")
    notes = str(values.get("notes") or "").strip()
    if not with_whom and not notes:
        errors.append(ValidationError("with_whom", "say who it was with, or add a note"))
    FormError.raise_if_any(errors)
    return {"contacted_on": contacted_on, "kind": kind, "with_whom": with_whom, "notes": notes}


def log_commissioner_contact(
    contract_uuid: str, values: Mapping[str, Any]
) -> CommissionerContactRow:
    """Add a dated entry (meeting, call, email) to the contract's commissioner contact log."""
    with db.atomic():
        contract = contract_by_uuid(contract_uuid)
        fields = _parse_contact_values(values)
        contact = create_record(
            CommissionerContact, contract=contract, logged_by=current_user(), **fields
        )
    return _contact_row(contact, contract)


def update_commissioner_contact(
    contact_uuid: str, values: Mapping[str, Any]
) -> CommissionerContactRow:
    """Save an entry of the contact log from the form's raw values."""
    with db.atomic():
        contact = CommissionerContact.get_or_none(CommissionerContact.uuid == contact_uuid)
        if contact is None:
            raise DestaError("That contact entry no longer exists.")
        update_record(contact, **_parse_contact_values(values))
    return _contact_row(contact, contact.contract)


def archive_commissioner_contact(contact_uuid: str) -> records.RecordRef:
    """Archive an entry of the contact log."""
    return records.archive_record("commissioner_contact", contact_uuid)


def undo_last_contact_archive(contract_uuid: str | None = None) -> records.RecordRef | None:
    """Bring back the contact entry archived last (only if it is this contract's, when given)."""
    ref = records.last_archived(["commissioner_contact"])
    if ref is None:
        return None
    if contract_uuid is not None:
        entry = CommissionerContact.get_or_none(CommissionerContact.uuid == ref.uuid)
        if entry is None or entry.contract.uuid != contract_uuid:
            return None
    return records.restore_record("commissioner_contact", ref.uuid)
