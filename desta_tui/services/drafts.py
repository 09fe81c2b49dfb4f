"""Drafts: what a person typed but has not saved, kept as they type so a crash loses nothing.

A draft belongs to this desk and this person (site-local: never audited, archived or sent to
another site). The UI writes one about a second after the last key, offers it back when the
same form or month is opened again, and deletes it when the work is saved or discarded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import Draft
from desta_tui.services.context import current_user, now

__all__ = [
    "NEW",
    "RETURNS_KIND",
    "DraftView",
    "delete_draft",
    "delete_drafts_naming",
    "get_draft",
    "list_drafts",
    "record_draft_key",
    "returns_draft_key",
    "save_draft",
]

NEW = "new"
"""The key of a form for a record not saved yet."""

RETURNS_KIND = "returns"
"""The kind of a month of the returns grid."""

# a draft is small: a form's fields or a month's cells; anything bigger is not typing
_MAX_JSON_CHARS = 1_000_000


@dataclass(frozen=True, slots=True)
class DraftView:
    """One draft: `values` as the UI gave them; `updated_at` is UTC, when last typed."""

    kind: str
    record_key: str
    values: dict[str, Any]
    updated_at: datetime


def record_draft_key(uuid: str | None, parent_uuid: str | None = None) -> str:
    """A form's key: the record's uuid, or "new" (with the parent's uuid for a record that
    belongs to one, so a new contact of one organisation is not offered on another)."""
    if uuid:
        return uuid
    return f"{NEW}:{parent_uuid}" if parent_uuid else NEW


def returns_draft_key(contract_uuid: str, period_key: str) -> str:
    """The key of one contract's month of returns, e.g. "<uuid>:2012-10"."""
    return f"{contract_uuid}:{period_key}"


def save_draft(kind: str, record_key: str, values: Mapping[str, Any]) -> None:
    """Keep `values` (JSON-able) as the draft of `kind` and `record_key`, replacing any."""
    encoded = json.dumps(dict(values), sort_keys=True, ensure_ascii=False)
    if len(encoded) > _MAX_JSON_CHARS:
        raise ValueError("A draft this large is not typing")
    who = current_user()
    with db.atomic():
        stamp = now()
        updated = (
            Draft.update(values_json=encoded, updated_at=stamp)
            .where(Draft.who == who, Draft.kind == kind, Draft.record_key == record_key)
            .execute()
        )
        if not updated:
            Draft.create(
                who=who, kind=kind, record_key=record_key, values_json=encoded, updated_at=stamp
            )


def get_draft(kind: str, record_key: str) -> DraftView | None:
    """This person's draft of `kind` and `record_key`, or None."""
    row = Draft.get_or_none(
        Draft.who == current_user(), Draft.kind == kind, Draft.record_key == record_key
    )
    return _view(row) if row is not None else None


def delete_draft(kind: str, record_key: str) -> None:
    """Forget the draft (the work was saved or deliberately discarded); none is fine."""
    with db.atomic():
        Draft.delete().where(
            Draft.who == current_user(), Draft.kind == kind, Draft.record_key == record_key
        ).execute()


def delete_drafts_naming(record_uuid: str, needles: Iterable[str]) -> int:
    """Delete every draft at this desk, whoever typed it, of the record `record_uuid` or whose
    typing holds one of `needles` (a person's name, email or phone, any case): an erased person
    must not come back from a half-typed form. How many were deleted."""
    wanted = [needle.casefold() for needle in needles if needle and len(needle.strip()) > 2]
    doomed = []
    for row in Draft.select(Draft.id, Draft.record_key, Draft.values_json):
        text = row.values_json.casefold()
        if record_uuid in row.record_key or any(needle in text for needle in wanted):
            doomed.append(row.id)
    if doomed:
        Draft.delete().where(Draft.id.in_(doomed)).execute()
    return len(doomed)


def list_drafts() -> list[DraftView]:
    """This person's drafts, newest first."""
    rows = (
        Draft.select()
        .where(Draft.who == current_user())
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
    )
    return [_view(row) for row in rows]


def _view(row: Draft) -> DraftView:
    try:
        values = json.loads(row.values_json)
    except ValueError:  # a half-written value cannot be offered back; treat it as empty
        values = {}
    return DraftView(
        row.kind, row.record_key, values if isinstance(values, dict) else {}, row.updated_at
    )
