"""Erasure across sites: what the change log holds about an erased person is blanked too."""

from __future__ import annotations

from typing import Any

from desta_tui.db.models import SyncChange, SyncConflict, SyncFieldVersion
from desta_tui.services.sync.tables import dumps, loads


def _personal() -> tuple[tuple[str, ...], str, str]:
    from desta_tui.services.personal_data import ERASED_NAME, ERASED_VALUE, PERSONAL_FIELDS

    return PERSONAL_FIELDS, ERASED_NAME, ERASED_VALUE


def erased_value(field: str) -> str:
    """What an erased person's field holds: the placeholder name, or nothing."""
    fields, erased_name, _ = _personal()
    return erased_name if field == fields[0] else ""


def scrub_image(image: dict[str, Any]) -> dict[str, Any]:
    """A create's values with the person's details blanked as an erasure blanks them."""
    fields, _, _ = _personal()
    scrubbed = dict(image)
    for name in fields:
        if name in scrubbed:
            scrubbed[name] = erased_value(name)
    if "is_primary" in scrubbed:
        scrubbed["is_primary"] = False
    return scrubbed


def scrub_change(kind: str, field: str, value: Any, old: Any) -> tuple[Any, Any]:
    """A logged change's values with the person's details blanked."""
    fields, _, _ = _personal()
    if kind == "create" and isinstance(value, dict):
        return scrub_image(value), old
    if field in fields:
        return erased_value(field), (None if old is None else erased_value(field))
    return value, old


def scrub_logged(table_name: str, record_uuid: str) -> None:
    """Blank the person's details in every logged change to their record (made here or
    received), and forget the field versions and conflicts about them: the erasure settles
    every one of those."""
    _fields, erased_name, erased_text = _personal()
    changes = SyncChange.select().where(
        (SyncChange.table_name == table_name) & (SyncChange.record_uuid == record_uuid)
    )
    for change in changes:
        value, old = scrub_change(change.kind, change.field, loads(change.value),
                                  loads(change.old_value))  # fmt: skip
        SyncChange.update(
            value=None if change.value is None else dumps(value),
            old_value=None if change.old_value is None else dumps(old),
            old_text=None if change.old_text is None else erased_text,
            new_text=None if change.new_text is None else erased_text,
            record_label=erased_name,
        ).where(SyncChange.id == change.id).execute()
    SyncFieldVersion.delete().where(
        (SyncFieldVersion.table_name == table_name) & (SyncFieldVersion.record_uuid == record_uuid)
    ).execute()
    SyncConflict.delete().where(
        (SyncConflict.table_name == table_name) & (SyncConflict.record_uuid == record_uuid)
    ).execute()


def scrub_person(contact) -> dict[str, str]:
    """Before a person's details are blanked (here, or as an erasure from another site is
    applied): blank them in the log's changes to their record, and rewrite every logged change
    that names them, as the history is rewritten. Returns what was looked for (their name,
    emails and phones), for changes logged later in the same transaction."""
    from desta_tui.services.history_scrub import person_needles

    _fields, erased_name, erased_text = _personal()
    needles = person_needles(contact, erased_name, erased_text)
    scrub_logged(contact._meta.table_name, contact.uuid)
    scrub_mentions(needles)
    return needles


def scrub_mentions(needles: dict[str, str]) -> int:
    """Rewrite every logged change whose values or words name the person; the number changed."""
    from desta_tui.services.history_scrub import mention_scrubber, mentioning

    if not needles:
        return 0
    _fields, _erased_name, erased_text = _personal()
    scrubbed = mention_scrubber(needles, erased_text)
    columns = (SyncChange.value, SyncChange.old_value, SyncChange.old_text, SyncChange.new_text,
               SyncChange.record_label)  # fmt: skip
    changed = 0
    query = SyncChange.select(SyncChange.id, *columns).where(mentioning(columns, needles))
    for row in list(query):
        before = [getattr(row, column.name) for column in columns]
        after = [scrubbed(text) for text in before]
        if after != before:
            SyncChange.update(dict(zip(columns, after, strict=True))).where(
                SyncChange.id == row.id
            ).execute()
            changed += 1
    return changed
