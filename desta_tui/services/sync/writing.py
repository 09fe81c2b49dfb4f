"""Writing what a bundle brings: records by uuid, relations found here, derived columns redone.

These writes bypass the services' choke points on purpose: the changes are already in the log
(they came with the bundle), and the history rows are written by the merge with the original
author, time and site.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from peewee import ForeignKeyField

from desta_tui.db.models import Organisation, RecordModel, SyncAlias, utc_now
from desta_tui.domain.errors import BundleError
from desta_tui.domain.validation import normalise_name
from desta_tui.services.sync.tables import (
    CHUNK,
    LinkField,
    SyncedTable,
    decode,
    ids_by_uuid,
)


class IdLookup:
    """Local ids of records named by uuid (a merged record's other uuid too), remembered."""

    def __init__(self) -> None:
        self._ids: dict[type[RecordModel], dict[str, int]] = {}
        self._aliases: dict[str, str] | None = None

    def canonical(self, uuid: str) -> str:
        """The uuid a record is kept under here (a record created at two sites has one)."""
        if self._aliases is None:
            self._aliases = dict(SyncAlias.select(SyncAlias.alias_uuid, SyncAlias.record_uuid)
                                 .tuples())  # fmt: skip
        return self._aliases.get(uuid, uuid)

    def add_alias(self, alias_uuid: str, record_uuid: str) -> None:
        self.canonical(alias_uuid)
        assert self._aliases is not None
        for key, value in self._aliases.items():
            if value == alias_uuid:
                self._aliases[key] = record_uuid
        self._aliases[alias_uuid] = record_uuid

    def remember(self, model: type[RecordModel], uuid: str, record_id: int) -> None:
        self._ids.setdefault(model, {})[uuid] = record_id

    def forget(self, model: type[RecordModel], uuid: str) -> None:
        self._ids.get(model, {}).pop(uuid, None)

    def preload(self, model: type[RecordModel], uuids: Iterable[str]) -> None:
        known = self._ids.setdefault(model, {})
        wanted = {self.canonical(uuid) for uuid in uuids if uuid} - known.keys()
        if wanted:
            known.update(ids_by_uuid(model, wanted))

    def id_of(
        self, model: type[RecordModel], uuid: str | None, *, needed: bool = True
    ) -> int | None:
        if uuid is None:
            return None
        uuid = self.canonical(uuid)
        known = self._ids.setdefault(model, {})
        if uuid not in known:
            found = ids_by_uuid(model, [uuid]).get(uuid)
            if found is None:
                if not needed:
                    return None
                raise BundleError(
                    f"The bundle refers to a {model.record_label} this database does not have "
                    f"({uuid}): import the bundles in the order they were written, or ask "
                    "for one written with --all. Nothing was changed."
                )
            known[uuid] = found
        return known[uuid]


def column_values(
    table: SyncedTable, image: Mapping[str, Any], ids: IdLookup, *, skip_self: bool = False
) -> dict[str, Any]:
    """A record's column values from its travelling values (relations found here by uuid).
    `skip_self` leaves relations to the same table out (filled in once all are written)."""
    values: dict[str, Any] = {}
    for field in table.fields:
        if field.name not in image:
            continue
        value = image[field.name]
        if isinstance(field, ForeignKeyField):
            if skip_self and field.rel_model is table.model:
                continue
            values[field.column_name] = ids.id_of(field.rel_model, value)
        else:
            values[field.column_name] = decode(field, value)
    values.update(derived_columns(table, image))
    return values


def derived_columns(table: SyncedTable, image: Mapping[str, Any]) -> dict[str, Any]:
    """The columns each site works out for itself from what travelled."""
    if table.model is Organisation and "name" in image:
        # the search text is redone for every organisation a merge touched
        return {"name_key": normalise_name(image["name"] or "")}
    return {}


def self_references(table: SyncedTable) -> list[ForeignKeyField]:
    return [
        field
        for field in table.fields
        if isinstance(field, ForeignKeyField) and field.rel_model is table.model
    ]


def insert_records(table: SyncedTable, images: Sequence[tuple[str, Mapping[str, Any]]],
                   ids: IdLookup) -> None:  # fmt: skip
    """Insert new records (uuid, travelling values each), relations to the same table after
    every record is in."""
    from desta_tui.services.audit import insert_rows

    if not images:
        return
    model = table.model
    stamp = utc_now()
    selfs = self_references(table)
    rows = []
    for uuid, image in images:
        values = column_values(table, image, ids, skip_self=bool(selfs))
        values["uuid"] = uuid
        values["updated_at"] = stamp
        if "search_text" in model._meta.fields:
            values.setdefault("search_text", "")
        rows.append(values)
    columns = sorted({name for row in rows for name in row})
    insert_rows(model, columns, [[row.get(name) for name in columns] for row in rows])
    for start in range(0, len(images), CHUNK):
        chunk = [uuid for uuid, _image in images[start : start + CHUNK]]
        for uuid, record_id in ids_by_uuid(model, chunk).items():
            ids.remember(model, uuid, record_id)
    for link in table.links:
        for uuid, image in images:
            if image.get(link.name):
                set_links(link, ids.id_of(model, uuid), image[link.name], ids)
    for field in selfs:
        for uuid, image in images:
            target = image.get(field.name)
            if target is not None:
                model.update({field.column_name: ids.id_of(model, target)}).where(
                    model.id == ids.id_of(model, uuid)
                ).execute()


def update_columns(table: SyncedTable, record_id: int, image: Mapping[str, Any],
                   ids: IdLookup) -> None:  # fmt: skip
    """Set some travelling fields of a record held here."""
    values = column_values(table, image, ids)
    if not values:
        return
    values["updated_at"] = utc_now()
    table.model.update(values).where(table.model.id == record_id).execute()


def set_links(link: LinkField, owner_id: int, uuids: Iterable[str], ids: IdLookup) -> None:
    """Make a record's linked records (its boroughs, a ticket's metrics) exactly these."""
    from desta_tui.services.audit import insert_rows

    other_ids = sorted({ids.id_of(link.other, uuid) for uuid in uuids})
    link.model.delete().where(link.owner_field == owner_id).execute()
    insert_rows(
        link.model,
        [link.owner_field.column_name, link.other_field.column_name],
        [(owner_id, other_id) for other_id in other_ids],
    )
