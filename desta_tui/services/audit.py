"""The audit log: who changed which field of which record, from what to what, and when."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import (
    EXCEPTIONS,
    AutoField,
    ExceptionWrapper,
    ForeignKeyField,
    Model,
    SqliteDatabase,
)

from desta_tui.db.models import AuditLog, RecordModel, new_uuid
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.money import format_money
from desta_tui.services.context import current_user, now

# Columns the log never repeats: they change on every save or are bookkeeping.
SKIPPED_FIELDS = {
    "id",
    "uuid",
    "created_at",
    "updated_at",
    "archived_at",
    "search_text",
    "name_key",
}


@dataclass(frozen=True)
class AuditEntry:
    """One line of a record's history."""

    at: datetime
    who: str
    table_name: str
    record_uuid: str
    record_label: str
    action: str
    field: str
    old_value: str | None
    new_value: str | None


def audit_text(field_name: str, value: Any) -> str | None:
    """How a value reads in the history: UK dates, pounds, yes/no, a related record's name."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field_name.endswith("_pence") and isinstance(value, int):
        return format_money(value, always_pence=True)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return format_uk_date(value)
    if isinstance(value, RecordModel):
        return value.display_name()
    return str(value)


def field_values(instance: Model) -> dict[str, Any]:
    """The audited fields of a record, by field name, related records resolved."""
    values = {}
    for field in instance._meta.sorted_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        if isinstance(field, ForeignKeyField):
            related_id = getattr(instance, field.column_name)
            values[field.name] = getattr(instance, field.name) if related_id is not None else None
        else:
            values[field.name] = getattr(instance, field.name)
    return values


def write_audit(
    instance: RecordModel,
    action: str,
    field: str = "",
    old: Any = None,
    new: Any = None,
    *,
    who: str | None = None,
) -> None:
    AuditLog.create(
        at=now(),
        who=who or current_user(),
        table_name=instance._meta.table_name,
        record_uuid=instance.uuid,
        record_label=instance.display_name(),
        action=action,
        field=field,
        old_value=audit_text(field, old),
        new_value=audit_text(field, new),
    )


def create_record(model: type[RecordModel], **values: Any) -> RecordModel:
    """Insert a record and log each field it was created with. Call inside a transaction."""
    instance = model.create(**values)
    who = current_user()
    for name, value in _created_fields(instance):
        write_audit(instance, "create", name, None, value, who=who)
    return instance


def _created_fields(instance: RecordModel) -> list[tuple[str, Any]]:
    """The fields a new record's history lists: each one set, or one bare entry if none is."""
    # a related record is always set (and comparing one with "" or 0 asks peewee, slowly)
    values = field_values(instance).items()
    return [
        (name, value)
        for name, value in values
        if isinstance(value, Model) or value not in (None, "", False, 0)
    ] or [("", None)]


def create_records(model: type[RecordModel], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many new records of one model, logged as `create_record` logs each, with one
    executemany for the records and one for their history (an import's thousands of rows).

    Call inside a transaction. The records get no ids back: use it for records nothing else
    written in the same go refers to. Defaults are taken once for them all, so a model whose
    default must differ from record to record (other than its uuid) cannot use it.
    """
    if not rows:
        return
    who, at = current_user(), AuditLog.at.db_value(now())
    database = model._meta.database
    if isinstance(getattr(database, "obj", database), SqliteDatabase):
        # the sqlite3 driver turns datetimes into text in Python, value by value: turn the one
        # time all these history rows share into the same text once
        at = sqlite3.adapt(at)
    fields = [field for field in model._meta.sorted_fields if not isinstance(field, AutoField)]
    texts: dict[tuple[str, Any], str | None] = {}  # the rows share most of their values

    def text(name: str, value: Any) -> str | None:
        # a related record by identity: the rows share the same few objects, and peewee's own
        # hashing and comparing of records is slow
        key = (name, id(value)) if isinstance(value, Model) else (name, value)
        found = texts.get(key, texts)
        if found is texts:
            found = texts[key] = audit_text(name, value)
        return found

    # the column each relation stores (the related record's id)
    keys = {
        field.name: field.rel_field.name for field in fields if isinstance(field, ForeignKeyField)
    }
    # the records are created at one moment: the defaults (times of creation...) are taken
    # once, and only each record's uuid is its own (below)
    defaults = model._meta.get_default_dict()
    instances = []
    for values in rows:
        # the instance peewee would build, put together directly: thousands of them add up
        data, related = dict(defaults), {}
        for name, value in values.items():
            if name in keys and isinstance(value, Model):
                related[name], value = value, getattr(value, keys[name])
            data[name] = value
        instance = model(__no_default__=True)
        instance.__data__, instance.__rel__ = data, related
        instances.append(instance)
    # new random uuids, handed out in order so the indexes on them grow left to right instead
    # of every insert landing on a different page
    fresh = [made for made, values in zip(instances, rows, strict=True) if "uuid" not in values]
    for instance, uuid in zip(fresh, sorted(new_uuid() for _ in fresh), strict=True):
        instance.__data__["uuid"] = uuid
    columns = [(field.name, field.db_value) for field in fields]
    records, history = [], []
    for instance in instances:
        data = instance.__data__
        records.append([to_column(data.get(name)) for name, to_column in columns])
        label = instance.display_name()
        history += [
            (at, who, model._meta.table_name, instance.uuid, label, "create", name, None,
             text(name, value))
            for name, value in _created_fields(instance)
        ]  # fmt: skip
    audit_columns = ["at", "who", "table_name", "record_uuid", "record_label", "action", "field",
                     "old_value", "new_value"]  # fmt: skip
    cursor = database.cursor()
    with ExceptionWrapper(EXCEPTIONS):  # the driver's errors as peewee's, as queries raise them
        cursor.executemany(_insert_sql(model, [f.column_name for f in fields]), records)
        cursor.executemany(_insert_sql(AuditLog, audit_columns), history)


def _insert_sql(model: type[Model], columns: list[str]) -> str:
    database = model._meta.database
    opening, closing = database.quote
    names = ", ".join(f"{opening}{name}{closing}" for name in columns)
    places = ", ".join([database.param] * len(columns))
    return f"INSERT INTO {opening}{model._meta.table_name}{closing} ({names}) VALUES ({places})"


def update_record(instance: RecordModel, **changes: Any) -> list[str]:
    """Apply changes, log old -> new for each field that really changed; return those fields."""
    before = field_values(instance)
    changed = []
    for name, value in changes.items():
        setattr(instance, name, value)
    after = field_values(instance)
    who = current_user()
    for name in changes:
        if name in SKIPPED_FIELDS:
            continue
        old, new = before.get(name), after.get(name)
        if audit_text(name, old) != audit_text(name, new):
            write_audit(instance, "update", name, old, new, who=who)
            changed.append(name)
    if changed or any(name in SKIPPED_FIELDS for name in changes):
        instance.updated_at = now()
        instance.save()
    return changed


def record_history(record_uuid: str | list[str], limit: int | None = None) -> list[AuditEntry]:
    """A record's history, newest first (several uuids for a record and its parts)."""
    uuids = [record_uuid] if isinstance(record_uuid, str) else list(record_uuid)
    query = (
        AuditLog.select()
        .where(AuditLog.record_uuid.in_(uuids))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return [to_entry(row) for row in query]


def to_entry(row: AuditLog) -> AuditEntry:
    return AuditEntry(
        at=row.at,
        who=row.who,
        table_name=row.table_name,
        record_uuid=row.record_uuid,
        record_label=row.record_label,
        action=row.action,
        field=row.field,
        old_value=row.old_value,
        new_value=row.new_value,
    )
