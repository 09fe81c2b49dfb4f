"""A full bundle's snapshot: every record of the hub, its history, settings and merge state, for
a new laptop to start from."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from desta_tui.db.models import (
    AuditLog,
    Organisation,
    Setting,
    SyncAlias,
    SyncConflict,
    SyncFieldVersion,
    utc_now,
)
from desta_tui.services.sync.tables import UuidResolver, link_values, synced_tables
from desta_tui.services.sync.writing import IdLookup, insert_records, set_links

#: settings that belong to the desk, not the hub: a new laptop does not take them
SITE_SETTINGS = frozenset({"user_name"})
HISTORY_COLUMNS = ("at", "who", "table_name", "record_uuid", "record_label", "action", "field",
                   "old_value", "new_value", "merged_note")  # fmt: skip
HEAD_COLUMNS = ("table_name", "record_uuid", "field", "origin_site", "seq", "hlc", "seen")
CONFLICT_COLUMNS = ("key", "kind", "table_name", "record_uuid", "record_label", "field", "sides",
                    "detail", "opened_at")  # fmt: skip


def _text(value: Any) -> Any:
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value


def take_snapshot() -> dict[str, Any]:
    """Everything a new site starts from, as plain data."""
    resolver = UuidResolver()
    tables: dict[str, Any] = {}
    links: dict[str, dict[str, dict[str, list[str]]]] = {}
    for table in sorted(synced_tables().values(), key=lambda found: found.rank):
        model = table.model
        rows = list(model.select(model.id, model.uuid, *table.fields).dicts())
        resolver.want(table, rows)
        names = [field.name for field in table.fields]
        images = []
        for row in sorted(rows, key=lambda found: found["uuid"]):
            image = resolver.image(table, row)
            images.append([row["uuid"], *(image[name] for name in names)])
        tables[table.name] = {"fields": names, "rows": images}
        uuid_of = {row["id"]: row["uuid"] for row in rows}
        for link in table.links:
            values = link_values(link, uuid_of)
            links.setdefault(table.name, {})[link.name] = {
                uuid_of[owner]: uuids for owner, uuids in values.items() if uuids
            }
    settings = {
        row.key: json.loads(row.value) for row in Setting.select() if row.key not in SITE_SETTINGS
    }
    history = [
        [_text(value) for value in row]
        for row in AuditLog.select(*(getattr(AuditLog, name) for name in HISTORY_COLUMNS))
        .order_by(AuditLog.id)
        .tuples()
    ]
    heads = [list(row) for row in SyncFieldVersion.select(
        *(getattr(SyncFieldVersion, name) for name in HEAD_COLUMNS)).tuples()]  # fmt: skip
    conflicts = [
        [_text(value) for value in row]
        for row in SyncConflict.select(*(getattr(SyncConflict, name) for name in CONFLICT_COLUMNS))
        .where(SyncConflict.resolved_at.is_null())
        .tuples()
    ]
    aliases = [list(row) for row in SyncAlias.select(
        SyncAlias.table_name, SyncAlias.alias_uuid, SyncAlias.record_uuid).tuples()]  # fmt: skip
    return {
        "tables": tables,
        "links": links,
        "settings": settings,
        "history": history,
        "heads": heads,
        "conflicts": conflicts,
        "aliases": aliases,
    }


def snapshot_counts(snapshot: dict[str, Any]) -> dict[str, int]:
    """How many records of each kind a snapshot holds."""
    return {name: len(table["rows"]) for name, table in snapshot.get("tables", {}).items()}


def load_snapshot(snapshot: dict[str, Any]) -> int:
    """Fill this empty database from a snapshot; return the records written. Call inside the
    transaction that also takes the hub's identity and change log."""
    from desta_tui.services.audit import insert_rows
    from desta_tui.services.search_index import refresh_search_texts

    ids = IdLookup()
    written = 0
    known = synced_tables()
    for table in sorted(known.values(), key=lambda found: found.rank):
        found = snapshot["tables"].get(table.name)
        if not found:
            continue
        names = found["fields"]
        images = [(row[0], dict(zip(names, row[1:], strict=True))) for row in found["rows"]]
        insert_records(table, images, ids)
        written += len(images)
    for table_name, by_name in snapshot.get("links", {}).items():
        table = known.get(table_name)
        if table is None:
            continue
        for name, owners in by_name.items():
            link = table.link(name)
            if link is None:
                continue
            for owner_uuid, uuids in owners.items():
                set_links(link, ids.id_of(table.model, owner_uuid), uuids, ids)
    stamp = utc_now()
    for key, value in snapshot.get("settings", {}).items():
        encoded = json.dumps(value)
        if not Setting.update(value=encoded, updated_at=stamp).where(Setting.key == key).execute():
            Setting.create(key=key, value=encoded, updated_at=stamp)
    insert_rows(AuditLog, HISTORY_COLUMNS, snapshot.get("history", []))
    insert_rows(SyncFieldVersion, HEAD_COLUMNS, snapshot.get("heads", []))
    insert_rows(
        SyncConflict,
        (*CONFLICT_COLUMNS, "resolved_by", "resolution"),
        [(*row, "", "") for row in snapshot.get("conflicts", [])],
    )
    insert_rows(SyncAlias, ("table_name", "alias_uuid", "record_uuid"), snapshot.get("aliases", []))
    refresh_search_texts(list(Organisation.select()))
    return written
