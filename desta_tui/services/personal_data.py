"""Personal data of a contact: everything held about them (subject access), and erasing them."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import fn

from desta_tui.db.database import db
from desta_tui.db.models import (
    AuditLog,
    CommissionerContact,
    Contact,
    Contract,
    Decision,
    Declaration,
    MeetingAction,
    MeetingAttendance,
    Membership,
    Organisation,
    RegisteredInterest,
    Risk,
    SupportTicket,
    TicketAction,
    TicketEvent,
)
from desta_tui.domain.errors import DestaError
from desta_tui.domain.validation import normalise_name
from desta_tui.paths import create_private_file
from desta_tui.services.audit import write_audit
from desta_tui.services.backup import HeldBackup, backups_holding_the_past
from desta_tui.services.context import current_user, now
from desta_tui.services.drafts import delete_drafts_naming
from desta_tui.services.history_scrub import (
    flush_erased_pages,
    scrub_history,
    wipe_freed_space_from_now,
)
from desta_tui.services.search_index import fold, search_text_for
from desta_tui.services.sync import log as change_log

ERASED_NAME = "Erased contact"
ERASED_VALUE = "[erased]"
# The contact's own fields that hold personal data; the organisation link and flags stay.
PERSONAL_FIELDS = ("full_name", "role", "email", "phone", "notes")

# Free-text places where a person may be named: (model, fields, how a person reads the record).
MENTION_PLACES = (
    (Organisation, ("notes",), "organisation"),
    (Membership, ("notes",), "membership"),
    (Contract, ("notes",), "contract"),
    (CommissionerContact, ("with_whom", "notes", "logged_by"), "commissioner contact"),
    (SupportTicket, ("owner", "description", "outcome"), "support ticket"),
    (TicketEvent, ("who", "text"), "ticket log entry"),
    (TicketAction, ("owner", "description"), "improvement action"),
    (MeetingAttendance, ("name",), "meeting attendance"),
    (Declaration, ("description",), "declaration of interest"),
    (RegisteredInterest, ("description",), "registered interest"),
    (Decision, ("title", "details"), "decision"),
    (MeetingAction, ("owner", "description", "progress"), "meeting action"),
    (Risk, ("owner", "description", "mitigation"), "risk"),
)


@dataclass(frozen=True)
class ContactMatch:
    """A contact a name could mean."""

    uuid: str
    full_name: str
    organisation: str


@dataclass(frozen=True)
class Mention:
    """A free-text field elsewhere that names the person."""

    kind: str
    record: str
    record_uuid: str
    field: str
    text: str


@dataclass(frozen=True)
class SubjectAccessResult:
    """A subject access export written to a file."""

    path: Path
    full_name: str
    history_entries: int
    mentions: int


@dataclass(frozen=True)
class ErasureResult:
    """What erasing a contact did, and what a person must still review by hand."""

    uuid: str
    organisation: str
    audit_rows_scrubbed: int
    mentions: tuple[Mention, ...]
    #: copies of the database made before the erasure: they still hold the person
    backups: tuple[HeldBackup, ...] = ()
    #: subject access files written earlier (their names): they hold everything about the person
    exported_files: tuple[str, ...] = ()
    #: the database file holds no trace of them (False: another program had it open, and text
    #: from before may stay in its free space until SQLite reuses it)
    is_file_wiped: bool = True
    #: unsaved drafts at this desk that named them (their own form, or typing that held their
    #: name, email or phone): deleted
    drafts_deleted: int = 0


def find_contacts(name: str, organisation: str | None = None) -> list[ContactMatch]:
    """Contacts (not yet erased) whose name is `name` (or whose UUID it is), as people write it."""
    wanted = fold(normalise_name(name))
    query = (
        Contact.select(Contact, Organisation)
        .join(Organisation)
        .where(Contact.erased_at.is_null())
        .order_by(fn.lower(Organisation.name))
    )
    org_key = normalise_name(organisation) if organisation else None
    found = []
    for contact in query:
        if contact.uuid != name.strip() and fold(normalise_name(contact.full_name)) != wanted:
            continue
        if org_key and contact.organisation.name_key != org_key:
            continue
        found.append(ContactMatch(contact.uuid, contact.full_name, contact.organisation.name))
    return found


def resolve_contact(name: str, organisation: str | None = None) -> ContactMatch:
    """The one contact `name` means, or an error that lists the candidates."""
    found = find_contacts(name, organisation)
    if not found:
        where = f" at {organisation}" if organisation else ""
        raise DestaError(f"There is no contact called {name!r}{where} (erased contacts excluded).")
    if len(found) > 1:
        places = "; ".join(match.organisation for match in found)
        raise DestaError(
            f"{len(found)} contacts are called {name!r} (at {places}): add --organisation NAME."
        )
    return found[0]


def _mentions(full_name: str, email: str, phone: str) -> list[Mention]:
    needles = [text for text in (full_name, email, phone) if text and len(text.strip()) > 2]
    found = []
    for model, fields, kind in MENTION_PLACES:
        for field_name in fields:
            column = getattr(model, field_name)
            condition = None
            for needle in needles:
                clause = column.contains(needle)
                condition = clause if condition is None else (condition | clause)
            if condition is None:
                continue
            for record in model.select().where(condition):
                # a meeting's part (an observer's line, an action) is found by its meeting
                where = record.meeting if getattr(record, "meeting_id", None) else record
                found.append(Mention(kind, where.display_name(), record.uuid, field_name,
                                     str(getattr(record, field_name))))  # fmt: skip
    return found


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def subject_access_data(uuid: str) -> dict[str, Any]:
    """Everything Desta holds about one contact, as plain data."""
    contact = Contact.get_or_none(Contact.uuid == uuid)
    if contact is None:
        raise DestaError("That contact no longer exists.")
    organisation = contact.organisation
    history = (
        AuditLog.select()
        .where(AuditLog.record_uuid == contact.uuid)
        .order_by(AuditLog.at, AuditLog.id)
    )
    return {
        "produced_at": now().isoformat(sep=" "),
        "produced_by": current_user(),
        "about": "Everything this hub's Desta database holds about one person (subject access).",
        "contact": {
            "full_name": contact.full_name,
            "organisation": organisation.name,
            "role": contact.role,
            "email": contact.email,
            "phone": contact.phone,
            "is_primary_contact": contact.is_primary,
            "notes": contact.notes,
            "record_id": contact.uuid,
            "created_at": _jsonable(contact.created_at),
            "updated_at": _jsonable(contact.updated_at),
            "archived_at": _jsonable(contact.archived_at),
            "erased_at": _jsonable(contact.erased_at),
        },
        "history": [
            {
                "at": _jsonable(row.at),
                "who": row.who,
                "action": row.action,
                "field": row.field,
                "old": row.old_value,
                "new": row.new_value,
            }
            for row in history
        ],  # fmt: skip
        "mentioned_in": [
            {"kind": m.kind, "record": m.record, "field": m.field, "text": m.text}
            for m in _mentions(contact.full_name, contact.email, contact.phone)
        ],
    }


def export_contact(uuid: str, path: Path | str) -> SubjectAccessResult:
    """Write the subject access file (JSON, UTF-8), all at once, and log that it was made."""
    data = subject_access_data(uuid)
    path = Path(path).expanduser()
    if path.is_dir():
        raise DestaError(f"{path} is a folder: give a file name.")
    temporary = path.with_name(f".{path.name}.partial")
    try:
        with os.fdopen(create_private_file(temporary), "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        os.replace(temporary, path)
    except OSError as error:
        if temporary.exists():
            temporary.unlink()
        raise DestaError(f"Cannot write {path}: {error.strerror}.") from None
    with db.atomic():
        contact = Contact.get(Contact.uuid == uuid)
        # the log names the file, not its contents: the export is itself personal data
        write_audit(contact, "subject_access", "export", None, path.name)
    return SubjectAccessResult(path, data["contact"]["full_name"], len(data["history"]),
                               len(data["mentioned_in"]))  # fmt: skip


def erase_contact(uuid: str) -> ErasureResult:
    """Anonymise a contact: personal fields blanked, their history scrubbed, `erased_at` set.

    The row stays (so the organisation's counts and history still add up); the organisation,
    its memberships, returns and tickets are untouched. Every history row that holds their
    name, email or phone is scrubbed (their own, and those of their attendance, declarations,
    votes and any text naming them); free text in live records that names the person is listed
    for a person to review, not rewritten by guesswork. The backups made before still hold them:
    the result lists them, with when the daily backup deletes each.
    """
    with db.atomic():
        contact = Contact.get_or_none(Contact.uuid == uuid)
        if contact is None:
            raise DestaError("That contact no longer exists.")
        if contact.erased_at is not None:
            raise DestaError("That contact was already erased.")
        mentions = _mentions(contact.full_name, contact.email, contact.phone)
        exported = _subject_access_files(contact.uuid)
        wipe_freed_space_from_now()
        # the erasure travels to the other sites, and wins there over any edit not made after it
        change_log.erased(contact)
        stamp = now()
        scrubbed, drafts = blank_personal_data(contact, stamp, contact.archived_at or stamp)
        write_audit(contact, "erase", "erased_at", None, stamp)
        organisation = contact.organisation
    is_file_wiped = flush_erased_pages()
    return ErasureResult(contact.uuid, organisation.name, scrubbed, tuple(mentions),
                         tuple(backups_holding_the_past()), exported, is_file_wiped,
                         drafts)  # fmt: skip


def _subject_access_files(uuid: str) -> tuple[str, ...]:
    """The files subject access exports of the contact were written to, as the history names
    them (read before the history is scrubbed)."""
    rows = AuditLog.select(AuditLog.new_value).where(
        (AuditLog.record_uuid == uuid) & (AuditLog.action == "subject_access")
    )
    return tuple(dict.fromkeys(row.new_value for row in rows.order_by(AuditLog.id)))


def blank_personal_data(
    contact: Contact, erased_at: datetime, archived_at: datetime
) -> tuple[int, int]:
    """Scrub a contact out of the history and this desk's drafts, blank their personal fields
    and mark the row erased and archived (an erasure made here, or one that came from another
    site); the history rows changed and the drafts deleted. Call inside the erasing
    transaction."""
    drafts = delete_drafts_naming(contact.uuid, (contact.full_name, contact.email, contact.phone))
    scrubbed = scrub_history(contact, ERASED_NAME, ERASED_VALUE)
    contact.full_name = ERASED_NAME
    for name in PERSONAL_FIELDS[1:]:
        setattr(contact, name, "")
    contact.is_primary = False
    contact.erased_at = erased_at
    contact.archived_at = archived_at
    contact.updated_at = erased_at
    contact.save()
    organisation = contact.organisation
    organisation.search_text = search_text_for(organisation)
    organisation.save(only=[Organisation.search_text])
    return scrubbed, drafts
