"""Field versions as the database keeps them: the heads of a field, the change behind each, and
what value each one gave."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from desta_tui.db.models import SyncChange, SyncFieldVersion
from desta_tui.domain.sync import Version, holder
from desta_tui.services.sync.tables import loads

HEAD_COLUMNS = ("table_name", "record_uuid", "field", "origin_site", "seq", "hlc", "seen")


def parse_seen(text: str | None) -> tuple[tuple[str, int], ...]:
    return tuple((site, int(seq)) for site, seq in json.loads(text or "[]"))


def version_of(row: SyncFieldVersion | SyncChange) -> Version:
    return Version(row.origin_site, int(row.seq), row.hlc, parse_seen(row.seen))


def version_of_change(change: dict[str, Any]) -> Version:
    """The version of a change as a bundle carries it."""
    return Version(change["origin"], int(change["seq"]), change["hlc"],
                   tuple((site, int(seq)) for site, seq in change.get("seen") or ()))  # fmt: skip


def heads_of(table_name: str, record_uuid: str) -> dict[str, list[Version]]:
    """Every field of a record that has heads (was changed after it was created), with them."""
    found: dict[str, list[Version]] = {}
    query = SyncFieldVersion.select().where(
        (SyncFieldVersion.table_name == table_name) & (SyncFieldVersion.record_uuid == record_uuid)
    )
    for row in query:
        found.setdefault(row.field, []).append(version_of(row))
    return found


def field_heads(table_name: str, record_uuid: str, field: str) -> list[Version]:
    query = SyncFieldVersion.select().where(
        (SyncFieldVersion.table_name == table_name)
        & (SyncFieldVersion.record_uuid == record_uuid)
        & (SyncFieldVersion.field == field)
    )
    return [version_of(row) for row in query]


def store_heads(table_name: str, record_uuid: str, field: str, heads: Iterable[Version], *,
                had_heads: bool = True) -> None:  # fmt: skip
    """Make these the field's heads (`had_heads=False`: it had none, nothing to replace)."""
    from desta_tui.services.audit import insert_rows

    if had_heads:
        SyncFieldVersion.delete().where(
            (SyncFieldVersion.table_name == table_name)
            & (SyncFieldVersion.record_uuid == record_uuid)
            & (SyncFieldVersion.field == field)
        ).execute()
    rows = [
        (table_name, record_uuid, field, head.origin, head.seq, head.hlc,
         json.dumps([list(pair) for pair in head.seen]))
        for head in heads
    ]  # fmt: skip
    insert_rows(SyncFieldVersion, HEAD_COLUMNS, rows)


def changes_by_ident(idents: Iterable[tuple[str, int]]) -> dict[tuple[str, int], SyncChange]:
    """The logged changes with these (site, number) identities."""
    found: dict[tuple[str, int], SyncChange] = {}
    by_origin: dict[str, set[int]] = {}
    for origin, seq in idents:
        by_origin.setdefault(origin, set()).add(seq)
    for origin, seqs in by_origin.items():
        query = SyncChange.select().where(
            (SyncChange.origin_site == origin) & SyncChange.seq.in_(sorted(seqs))
        )
        for change in query:
            found[(change.origin_site, int(change.seq))] = change
    return found


def value_in(change: SyncChange | None, field: str) -> Any:
    """The value a logged change gave `field` (a create gave every field one)."""
    if change is None:
        return None
    value = loads(change.value)
    if change.kind == "create":
        return (value or {}).get(field)
    return value


def create_of(table_name: str, record_uuid: str) -> SyncChange | None:
    """The logged creation of a record (None for a record the hub had before the log began)."""
    return (
        SyncChange.select()
        .where(
            (SyncChange.table_name == table_name)
            & (SyncChange.record_uuid == record_uuid)
            & (SyncChange.kind == "create")
        )
        .order_by(SyncChange.hlc, SyncChange.origin_site)
        .first()
    )


def last_change(
    table_name: str, record_uuid: str, field: str
) -> tuple[Version | None, SyncChange | None]:
    """The change whose value a field holds: its head (the holder, if several), else the
    record's creation; (None, None) for a field as the hub had it before the log began."""
    heads = field_heads(table_name, record_uuid, field)
    if heads:
        top = holder(heads)
        return top, changes_by_ident([top.ident]).get(top.ident)
    created = create_of(table_name, record_uuid)
    if created is None:
        return None, None
    return version_of(created), created
