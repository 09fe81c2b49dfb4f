"""Which tables and fields travel between sites, and their values as a bundle carries them.

Every user record (a RecordModel) travels, field by field; a relation travels as the related
record's uuid, never its id (ids differ from site to site). The link tables (an organisation's
boroughs, a ticket's metrics) travel as one field of the record they belong to, holding the
linked records' uuids. Bookkeeping and derived columns stay behind: the id, `updated_at`, and
what each site works out for itself (`search_text`, `name_key`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, cached_property
from typing import Any

from peewee import (
    BooleanField,
    CompositeKey,
    DateField,
    DateTimeField,
    Field,
    ForeignKeyField,
    IntegerField,
    Model,
)

from desta_tui.db.models import ALL_MODELS, RecordModel

#: columns that never travel: identity and bookkeeping, or worked out at each site
LOCAL_FIELDS = frozenset({"id", "uuid", "updated_at", "search_text", "name_key"})
#: the field a create sets once and no change touches afterwards
CREATED_FIELD = "created_at"
ARCHIVED_FIELD = "archived_at"
#: rows per statement for look-ups by many ids or uuids
CHUNK = 500


@dataclass(frozen=True)
class LinkField:
    """A link table travelling as a field of its owner: e.g. organisation.boroughs."""

    name: str
    model: type[Model]
    owner_field: ForeignKeyField
    other_field: ForeignKeyField

    @property
    def other(self) -> type[RecordModel]:
        return self.other_field.rel_model


@dataclass(frozen=True, eq=False)
class SyncedTable:
    """A table whose records travel, with the fields that travel and its unique keys."""

    model: type[RecordModel]
    rank: int
    fields: tuple[Field, ...]
    links: tuple[LinkField, ...]
    #: each unique key other than the uuid, as field names (a relation by its field name)
    unique_keys: tuple[tuple[str, ...], ...]

    @property
    def name(self) -> str:
        return self.model._meta.table_name

    def field(self, name: str) -> Field | None:
        return self.model._meta.fields.get(name) if name in self.field_names else None

    @cached_property
    def field_names(self) -> frozenset[str]:
        return frozenset(field.name for field in self.fields)

    @cached_property
    def _links_by_name(self) -> dict[str, LinkField]:
        return {link.name: link for link in self.links}

    def link(self, name: str) -> LinkField | None:
        return self._links_by_name.get(name)

    @cached_property
    def changeable(self) -> tuple[Field, ...]:
        """The fields a change may set (all but the time of creation)."""
        return tuple(field for field in self.fields if field.name != CREATED_FIELD)


def _links() -> list[LinkField]:
    found = []
    for model in ALL_MODELS:
        if issubclass(model, RecordModel) or not isinstance(model._meta.primary_key, CompositeKey):
            continue
        keys = [field for field in model._meta.sorted_fields if isinstance(field, ForeignKeyField)]
        owners = [field for field in keys if (field.on_delete or "").upper() == "CASCADE"]
        if len(keys) != 2 or len(owners) != 1:
            continue
        owner = owners[0]
        other = next(field for field in keys if field is not owner)
        found.append(LinkField(f"{other.name}s", model, owner, other))
    return found


def _unique_keys(model: type[RecordModel]) -> tuple[tuple[str, ...], ...]:
    keys = [
        (field.name,)
        for field in model._meta.sorted_fields
        if field.unique and field.name not in ("id", "uuid")
    ]
    for index in model._meta.indexes:
        if isinstance(index, tuple) and index[1]:
            keys.append(tuple(index[0]))
    return tuple(keys)


@cache
def _tables(_models_key: tuple[type[Model], ...]) -> dict[str, SyncedTable]:
    links = _links()
    tables = {}
    for rank, model in enumerate(ALL_MODELS):
        if not issubclass(model, RecordModel):
            continue
        fields = tuple(f for f in model._meta.sorted_fields if f.name not in LOCAL_FIELDS)
        own_links = tuple(link for link in links if link.owner_field.rel_model is model)
        tables[model._meta.table_name] = SyncedTable(
            model, rank, fields, own_links, _unique_keys(model)
        )
    return tables


def synced_tables() -> dict[str, SyncedTable]:
    """Every table whose records travel, by table name, in the order they are created."""
    return _tables(tuple(ALL_MODELS))


def synced_table(table_name: str) -> SyncedTable | None:
    return synced_tables().get(table_name)


def link_models() -> set[type[Model]]:
    return {link.model for table in synced_tables().values() for link in table.links}


# --- values ---------------------------------------------------------------------------------


def encode(field: Field, value: Any) -> Any:
    """A field's value as a bundle carries it (JSON): dates ISO, flags true/false. A relation
    must already be the related record's uuid."""
    if value is None:
        return None
    if isinstance(field, ForeignKeyField):
        return value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(field, BooleanField):
        return bool(value)
    if isinstance(field, IntegerField):  # BigIntegerField too
        return int(value)
    return value if isinstance(value, str) else str(value)


def decode(field: Field, value: Any) -> Any:
    """The Python value a bundle's value stands for (a relation stays a uuid)."""
    if value is None or isinstance(field, ForeignKeyField):
        return value
    if isinstance(field, DateTimeField):
        return datetime.fromisoformat(value)
    if isinstance(field, DateField):
        return date.fromisoformat(value)
    return value


def dumps(value: Any) -> str:
    """JSON text, the same for the same value at every site."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


# --- ids and uuids --------------------------------------------------------------------------


def _pairs(model: type[Model], key: str, value: str, wanted: list[Any]) -> dict[Any, Any]:
    """key -> value of the rows of `model` whose `key` is among `wanted`, a few hundred at a
    time, in plain SQL (peewee builds a node for each value of a long IN list)."""
    database = model._meta.database
    opening, closing = database.quote
    table = f"{opening}{model._meta.table_name}{closing}"
    found: dict[Any, Any] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        places = ", ".join([database.param] * len(chunk))
        cursor = database.execute_sql(
            f"SELECT {key}, {value} FROM {table} WHERE {key} IN ({places})", chunk
        )
        found.update(cursor.fetchall())
    return found


def uuids_by_id(model: type[RecordModel], ids: Iterable[int]) -> dict[int, str]:
    """The uuid of each record of `model` among `ids`."""
    return _pairs(model, "id", "uuid", sorted({key for key in ids if key is not None}))


def ids_by_uuid(model: type[RecordModel], uuids: Iterable[str]) -> dict[str, int]:
    """The id of each record of `model` among `uuids` (those held here)."""
    return _pairs(model, "uuid", "id", sorted({key for key in uuids if key}))


def read_rows(table: SyncedTable, uuids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The travelling fields (a relation as the related id) and id of records, by uuid."""
    model = table.model
    wanted = sorted(set(uuids))
    columns = [model.id, model.uuid, *table.fields]
    rows: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for row in model.select(*columns).where(model.uuid.in_(chunk)).dicts():
            rows[row["uuid"]] = row
    return rows


class UuidResolver:
    """Turns the related ids of rows into uuids, looking each table up once for many rows."""

    def __init__(self) -> None:
        self._known: dict[type[RecordModel], dict[int, str]] = {}

    def want(self, table: SyncedTable, rows: Iterable[Mapping[str, Any]]) -> None:
        """Look up, in bulk, the related records `rows` (by field name) point to."""
        rows = list(rows)
        for field in table.fields:
            if isinstance(field, ForeignKeyField):
                known = self._known.setdefault(field.rel_model, {})
                missing = {row.get(field.name) for row in rows} - known.keys() - {None}
                if missing:
                    known.update(uuids_by_id(field.rel_model, missing))

    def uuid(self, model: type[RecordModel], record_id: int | None) -> str | None:
        if record_id is None:
            return None
        known = self._known.setdefault(model, {})
        if record_id not in known:
            known.update(uuids_by_id(model, [record_id]))
        return known.get(record_id)

    def image(self, table: SyncedTable, row: Mapping[str, Any]) -> dict[str, Any]:
        """A row's travelling values by field name, encoded; relations as uuids."""
        image = {}
        for field in table.fields:
            value = row.get(field.name)
            if isinstance(field, ForeignKeyField):
                value = self.uuid(field.rel_model, value)
            image[field.name] = encode(field, value)
        return image


def link_values(link: LinkField, owner_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each owner's linked records, as their sorted uuids (owners with none: an empty list)."""
    owners = sorted(set(owner_ids))
    found: dict[int, list[str]] = {owner: [] for owner in owners}
    database = link.model._meta.database
    opening, closing = database.quote

    def quoted(name: str) -> str:
        return f"{opening}{name}{closing}"

    links, others = quoted(link.model._meta.table_name), quoted(link.other._meta.table_name)
    owner_column = quoted(link.owner_field.column_name)
    other_column = quoted(link.other_field.column_name)
    for start in range(0, len(owners), CHUNK):
        chunk = owners[start : start + CHUNK]
        places = ", ".join([database.param] * len(chunk))
        cursor = database.execute_sql(
            f"SELECT l.{owner_column}, o.uuid FROM {links} AS l JOIN {others} AS o "
            f"ON o.id = l.{other_column} WHERE l.{owner_column} IN ({places})",
            chunk,
        )
        for owner, uuid in cursor.fetchall():
            found[owner].append(uuid)
    for uuids in found.values():
        uuids.sort()
    return found
