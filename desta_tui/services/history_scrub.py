"""A person scrubbed out of the history: each audit value that holds their name, email or phone."""

from __future__ import annotations

import re
from collections.abc import Iterable

from peewee import Case, Field, OperationalError

from desta_tui.db.database import current_database, db
from desta_tui.db.models import AuditLog, Contact
from desta_tui.domain.text import fold

# the fields of a contact whose every value, past and present, is looked for in the history
NAME_FIELDS = ("full_name",)
DETAIL_FIELDS = ("email", "phone")
# shorter texts ("Al", "07") would match inside other people's words and numbers
SHORTEST_NEEDLE = 3
# a phone written without its spaces is still the phone, when there are enough digits to tell
SHORTEST_PHONE_DIGITS = 6


def _contact_rows(contact: Contact):
    return (AuditLog.record_uuid == contact.uuid) & (
        AuditLog.table_name == Contact._meta.table_name
    )


def person_needles(contact: Contact, erased_name: str, erased_value: str) -> dict[str, str]:
    """Each way the history may hold the person, as written, and what replaces it: their name
    as it is and as it was (and without its accents), their emails and phones (and the phones
    without spaces)."""
    names = {contact.full_name}
    details = {contact.email, contact.phone}
    earlier = AuditLog.select(AuditLog.field, AuditLog.old_value, AuditLog.new_value).where(
        _contact_rows(contact) & AuditLog.field.in_(NAME_FIELDS + DETAIL_FIELDS)
    )
    for row in earlier:
        (names if row.field in NAME_FIELDS else details).update((row.old_value, row.new_value))
    needles: dict[str, str] = {}
    for name in filter(None, names):
        for text in (name, fold(name)):
            needles[text.strip()] = erased_name
    for detail in filter(None, details):
        needles[detail.strip()] = erased_value
        digits = re.sub(r"\s+", "", detail)
        if digits != detail.strip() and sum(ch.isdigit() for ch in digits) >= SHORTEST_PHONE_DIGITS:
            needles[digits] = erased_value
    return {text: by for text, by in needles.items() if len(text) >= SHORTEST_NEEDLE}


def _pattern(needles: Iterable[str]) -> re.Pattern[str]:
    # longest first, so a name is replaced whole before a shorter needle inside it is tried;
    # whole words only, so "Sam Lee" is not found inside "Sam Leeds"
    alternatives = "|".join(re.escape(text) for text in sorted(needles, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def scrub_history(contact: Contact, erased_name: str, erased_value: str) -> int:
    """Blank the contact's own history and rewrite every other history row that names them
    (attendance, declarations, votes, proposers, observers, ticket notes...); the number of rows
    changed. Call inside the erasing transaction, before the contact's own fields are blanked."""
    needles = person_needles(contact, erased_name, erased_value)
    own = (
        AuditLog.update(
            old_value=_blank_unless_null(AuditLog.old_value, erased_value),
            new_value=_blank_unless_null(AuditLog.new_value, erased_value),
            record_label=erased_name,
        )
        .where(_contact_rows(contact))
        .execute()
    )
    if not needles:
        return own
    pattern = _pattern(needles)
    replacements = {text.casefold(): by for text, by in needles.items()}

    def scrubbed(text: str | None) -> str | None:
        if not text:
            return text
        return pattern.sub(lambda found: replacements.get(found[0].casefold(), erased_value), text)

    # the database narrows the rows down (LIKE ignores case, for ASCII on SQLite); the
    # pattern then decides, whole words only
    columns = (AuditLog.record_label, AuditLog.old_value, AuditLog.new_value)
    condition = None
    for needle in needles:
        for column in columns:
            clause = column.contains(needle)
            condition = clause if condition is None else (condition | clause)
    others = 0
    query = AuditLog.select(AuditLog.id, *columns).where(condition & ~_contact_rows(contact))
    for row in list(query):
        label, old, new = (scrubbed(row.record_label), scrubbed(row.old_value),
                           scrubbed(row.new_value))  # fmt: skip
        if (label, old, new) != (row.record_label, row.old_value, row.new_value):
            AuditLog.update(record_label=label, old_value=old, new_value=new).where(
                AuditLog.id == row.id
            ).execute()
            others += 1
    return own + others


def _blank_unless_null(column: Field, erased_value: str) -> Case:
    return Case(None, [(column.is_null(), None)], erased_value)


def wipe_freed_space_from_now() -> None:
    """SQLite keeps deleted and overwritten text in free space until it is reused: from now on
    this connection overwrites it with zeros (PRAGMA secure_delete, which many builds have on
    anyway, so it stays on), so what the erasure rewrites does not linger in the file.
    PostgreSQL's old row versions are its VACUUM's job."""
    if _is_sqlite():
        db.execute_sql("PRAGMA secure_delete = ON")


def flush_erased_pages() -> bool:
    """After the erasing commit, on SQLite: rebuild the file (VACUUM), so no free space keeps
    text from before, and empty the write-ahead log, whose older pages hold it too. False when
    another program's use of the file stopped that (the erasure itself is committed)."""
    if not _is_sqlite():
        return True
    try:
        db.execute_sql("VACUUM")
        busy, _frames, _copied = db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except OperationalError:
        return False
    return busy == 0


def _is_sqlite() -> bool:
    info = current_database()
    return info is not None and info.kind == "sqlite"
