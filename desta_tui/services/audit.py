"""The audit log: who changed which field of which record, from what to what, and when."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, repeat
from typing import Any

from peewee import (
    EXCEPTIONS,
    AutoField,
    CharField,
    DateTimeField,
    ExceptionWrapper,
    Field,
    ForeignKeyField,
    IntegerField,
    Model,
    PostgresqlDatabase,
    SqliteDatabase,
    TextField,
)

from desta_tui.db.database import db
from desta_tui.db.models import AuditLog, RecordModel, new_uuids
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.money import format_money
from desta_tui.services.context import current_user, now
from desta_tui.services.sync import log as change_log

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

#: a field a new record's history leaves out (unset or empty), unlike one whose words are None
_LEFT_OUT = object()

#: rows per statement for the writes and reads done a batch at a time
BULK_CHUNK = 500
#: rows per statement when PostgreSQL is sent many rows as one multi-row VALUES list
POSTGRES_PAGE = 1000
#: rows per statement when SQLite is (fewer if its limit on a statement's values is lower)
SQLITE_PAGE = 500


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
    #: a change made at another site: "merged from SITE by WHO on DATE"
    merged_note: str | None = None


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


@contextmanager
def _transaction() -> Iterator[None]:
    """The caller's transaction, or one of its own when called outside any: the change log is
    written as a transaction commits."""
    if db.transaction_depth():
        yield
    else:
        with db.atomic():
            yield


def write_audit(
    instance: RecordModel,
    action: str,
    field: str = "",
    old: Any = None,
    new: Any = None,
    *,
    who: str | None = None,
) -> None:
    with _transaction():
        who = who or current_user()
        label = instance.display_name()
        old_text, new_text = audit_text(field, old), audit_text(field, new)
        AuditLog.create(
            at=now(),
            who=who,
            table_name=instance._meta.table_name,
            record_uuid=instance.uuid,
            record_label=label,
            action=action,
            field=field,
            old_value=old_text,
            new_value=new_text,
        )
        change_log.noted(instance, action, field, old_text, new_text, who, label)


def create_record(model: type[RecordModel], **values: Any) -> RecordModel:
    """Insert a record and log each field it was created with. Call inside a transaction.

    Its `created_at` and `updated_at` are `now()` (the services' one clock) unless given.
    """
    with _transaction():
        stamp = now()
        stamps = {name: stamp for name in ("created_at", "updated_at")
                  if name in model._meta.fields}  # fmt: skip
        instance = model.create(**{**stamps, **values})
        change_log.created(instance)
        table, label = instance._meta.table_name, instance.display_name()
        # one statement for the record's history, not one per field: a desk's save is mostly these
        write_audits(
            [
                (table, instance.uuid, label, "create", name, None, audit_text(name, value))
                for name, value in _created_fields(instance)
            ]
        )
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


class _ColumnValues:
    """A field's `db_value` for thousands of rows: a value of the type the field stores is
    passed as it is (what db_value gives back for it), and on SQLite a date and time is turned
    into its text once per distinct value (the driver would do it value by value)."""

    __slots__ = ("name", "db_value", "plain", "texts")

    def __init__(self, field: Field) -> None:
        self.name = field.name
        self.db_value = field.db_value
        self.plain = _plain_type(field)
        self.texts: dict[Any, Any] | None = (
            {} if isinstance(field, DateTimeField) and _is_sqlite(field.model._meta.database)
            else None
        )  # fmt: skip

    def all(self, values: list[Any]) -> list[Any]:
        """`values` as the column stores them (the same list when they are already), each
        distinct value turned once (a column's rows share a few times and flags)."""
        if self.plain is not None and set(map(type, values)) <= {type(None), self.plain}:
            return values
        keys = list(zip(map(type, values), values, strict=True))  # 1 and True differ
        try:
            stored = {key: self(key[1]) for key in set(keys)}
        except TypeError:  # a value that cannot be a key
            return [self(value) for value in values]
        return list(map(stored.__getitem__, keys))

    def __call__(self, value: Any) -> Any:
        if value is None or type(value) is self.plain:
            return value
        value = self.db_value(value)
        if self.texts is not None and type(value) is datetime:
            found = self.texts.get(value)
            if found is None:
                found = self.texts[value] = sqlite3.adapt(value)
            return found
        return value


def _plain_type(field: Field) -> type | None:
    """The type whose values `field.db_value` gives back unchanged, if peewee's own: text for
    a text field, a whole number for a whole-number field (or a relation to one's id)."""
    target = field.rel_field if isinstance(field, ForeignKeyField) else field
    if type(field).db_value is not Field.db_value and not isinstance(field, ForeignKeyField):
        return None
    if type(target).db_value is not Field.db_value:
        return None
    adapt = type(target).adapt
    if adapt is CharField.adapt or adapt is TextField.adapt:
        return str
    if adapt is IntegerField.adapt:
        return int
    return None


def create_records(
    model: type[RecordModel], rows: Sequence[Mapping[str, Any]]
) -> list[RecordModel]:
    """Insert many new records of one model, logged as `create_record` logs each, with one
    executemany for the records and one for their history (an import's thousands of rows).

    Call inside a transaction. On SQLite the records come back with their ids when the table's
    ids followed on from its largest, as they do; otherwise, and on PostgreSQL, without them
    (each has its uuid: `read_ids` fills them in for records others refer to).
    Defaults are taken once for them all, so a model whose default must differ from record to
    record (other than its uuid) cannot use it.
    """
    if not rows:
        return []
    fields = [field for field in model._meta.sorted_fields if not isinstance(field, AutoField)]
    # the column each relation stores (the related record's id)
    keys = {
        field.name: field.rel_field.name for field in fields if isinstance(field, ForeignKeyField)
    }
    # the records are created at one moment: the defaults (times of creation...) are taken
    # once, and only each record's uuid is its own (below)
    defaults = model._meta.get_default_dict()
    stamp = now()  # the services' clock, not the models' fallback default
    defaults.update({name: stamp for name in ("created_at", "updated_at") if name in defaults})
    instances = []
    new_instance = object.__new__
    for values in rows:
        # the instance peewee would build (model(__no_default__=True), its values then set),
        # put together directly: thousands of them add up
        data, related = {**defaults, **values}, {}
        for name, key in keys.items():
            value = values.get(name)
            if isinstance(value, Model):
                related[name], data[name] = value, getattr(value, key)
        instance = new_instance(model)
        instance.__data__, instance._dirty, instance.__rel__ = data, set(), related
        instances.append(instance)
    # new uuids, drawn in one go (time-ordered: the indexes on them grow at their right-hand
    # end instead of every insert landing on a different page)
    fresh = [made for made, values in zip(instances, rows, strict=True) if "uuid" not in values]
    for instance, uuid in zip(fresh, new_uuids(len(fresh)), strict=True):
        instance.__data__["uuid"] = uuid
    # a column at a time: the rows share most of their values
    datas = [instance.__data__ for instance in instances]
    # each field's values, read once for the insert and the history words
    values_of = {field.name: list(map(dict.get, datas, repeat(field.name))) for field in fields}
    columns = [column.all(values_of[column.name]) for column in map(_ColumnValues, fields)]
    # a column every record gives the same value (its time of creation, a blank field) is
    # sent once a statement, not once a record
    shared, own_names, records = split_alike([f.column_name for f in fields], columns)
    labels = [instance.display_name() for instance in instances]
    audited = [field for field in model._meta.sorted_fields if field.name not in SKIPPED_FIELDS]
    words = [_history_words(field, instances, values_of[field.name]) for field in audited]
    # a field no record sets (a column the file leaves out) is not looked at record by record
    said = [(field.name, column) for field, column in zip(audited, words, strict=True)
            if column.count(_LEFT_OUT) != len(column)]  # fmt: skip
    names = [name for name, _column in said]
    columns_said = [column for _name, column in said]
    rows_words = zip(*columns_said, strict=True) if said else [()] * len(instances)
    table_name = model._meta.table_name
    records_words = zip(values_of["uuid"], labels, rows_words, strict=True)
    if any(_LEFT_OUT not in column for column in columns_said):
        # a field every record sets (a name): none has no words, so all are put together at once
        history = [(uuid, label, name, text)
                   for uuid, label, row_words in records_words
                   for name, text in zip(names, row_words, strict=True)
                   if text is not _LEFT_OUT]  # fmt: skip
    else:
        history = []
        for uuid, label, row_words in records_words:
            created = [(uuid, label, name, text)
                       for name, text in zip(names, row_words, strict=True)
                       if text is not _LEFT_OUT]  # fmt: skip
            history += created or [(uuid, label, "", None)]
    with _transaction():
        largest = _largest_id(model)
        insert_rows(model, own_names, records, shared)
        if largest is not None:
            _number_in_order(model, instances, largest)
        # the creates travel as the records' values: the history rows need not be heard too
        change_log.created_in_bulk(model, instances, labels)
        # the history rows as write_audits writes them, what they share sent once a statement
        shared_words = {"table_name": table_name, "action": "create", "old_value": None}
        _insert_history(["record_uuid", "record_label", "field", "new_value"], history,
                        shared_words)  # fmt: skip
    return instances


def all_alike(column: Sequence[Any]) -> bool:
    """Whether every value in `column` is the first one, of the same type (1 and True are
    stored alike but 1 and 1.0 are not)."""
    first = column[0]
    return column.count(first) == len(column) and len(set(map(type, column))) == 1


def split_alike(
    names: Sequence[str], columns: Sequence[Sequence[Any]]
) -> tuple[dict[str, Any], list[str], list[tuple]]:
    """Many rows' values, a column (of `names`) at a time, as `insert_rows` takes them: the
    columns every row gives the same value ({name: value}, sent once a statement), then the
    other columns' names and the rows of their values. With one row, nothing is shared."""
    alike = [len(column) > 1 and all_alike(column) for column in columns]
    shared = {name: column[0] for name, column, one in zip(names, columns, alike,
              strict=True) if one}  # fmt: skip
    own_names = [name for name, one in zip(names, alike, strict=True) if not one]
    own = [column for column, one in zip(columns, alike, strict=True) if not one]
    return shared, own_names, list(zip(*own, strict=True))


def _history_words(field: Field, instances: Sequence[RecordModel], values: list[Any]) -> list[Any]:
    """What field_values reads of `field` (`values`, as each record holds it), as the history
    words of each new record: _LEFT_OUT where _created_fields leaves the field out (a related
    record always counts, an empty value never does). Each distinct value is put in words once
    (related records told apart by identity: peewee's own hashing and comparing of records is
    slow)."""
    name = field.name
    if isinstance(field, ForeignKeyField):
        values = [
            None if value is None else instance.__rel__.get(name) or getattr(instance, name)
            for instance, value in zip(instances, values, strict=True)
        ]
        said: dict[int, Any] = {}
        for value in values:
            # thousands of rows name the same few records: each is put in words once
            if id(value) not in said:
                said[id(value)] = _LEFT_OUT if value is None else audit_text(name, value)
        return [said[id(value)] for value in values]
    if set(map(type, values)) <= {str, type(None)}:
        return [value or _LEFT_OUT for value in values]  # audit_text gives text back as it is
    keys = list(zip(map(type, values), values, strict=True))  # 1 and True read differently
    said = {}
    for key in set(keys):
        value = key[1]
        said[key] = (
            _LEFT_OUT if value is None or value in ("", False, 0) else audit_text(name, value)
        )
    return list(map(said.__getitem__, keys))


def write_audits(entries: Sequence[Sequence[str | None]], *, heard: bool = True) -> None:
    """Log many changes at once, as `write_audit` logs one: each entry is the table, record
    uuid, record label, action, field, old and new value, the values already audit text.
    (`heard=False`: the change log knows of these changes already.)"""
    if not entries:
        return
    columns = ["table_name", "record_uuid", "record_label", "action", "field", "old_value",
               "new_value"]  # fmt: skip
    with _transaction():
        who = _insert_history(columns, entries, {})
        if heard:
            change_log.noted_many(entries, who)


def _insert_history(
    columns: list[str], entries: Sequence[Sequence[Any]], shared: Mapping[str, Any]
) -> str:
    """Insert history rows of `columns`, each with the other columns of `shared`, written now
    by the current user (who is given back)."""
    who, at = current_user(), AuditLog.at.db_value(now())
    if _is_sqlite(AuditLog._meta.database):
        # the sqlite3 driver turns datetimes into text in Python, value by value: turn the one
        # time all these history rows share into the same text once
        at = sqlite3.adapt(at)
    insert_rows(AuditLog, columns, entries, shared={"at": at, "who": who, **shared})
    return who


def _largest_id(model: type[RecordModel]) -> int | None:
    """SQLite: the largest id `model`'s table holds (0 when empty), before records are added
    whose ids `_number_in_order` can then tell; None on another database."""
    database = model._meta.database
    if not _is_sqlite(database) or not isinstance(model._meta.primary_key, AutoField):
        return None
    opening, closing = database.quote
    table = f"{opening}{model._meta.table_name}{closing}"
    return database.execute_sql(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0


def _number_in_order(
    model: type[RecordModel], instances: Sequence[RecordModel], largest: int
) -> None:
    """Give records just written in this order on SQLite their ids without reading them back.

    SQLite gives a row written without an id one more than the largest the table holds (its
    documented rowid rule; only past the largest possible id does it pick at random), so rows
    written one after another take the ids after `largest` in turn. When the table's largest id
    is not then `largest` plus the records (a trigger wrote more rows to the table, or the ids
    ran out), nothing is filled in and `read_ids` finds them by uuid."""
    if _largest_id(model) != largest + len(instances):
        return
    for record_id, instance in enumerate(instances, start=largest + 1):
        instance.id = record_id


def read_ids(model: type[RecordModel], instances: Sequence[RecordModel]) -> None:
    """Fill in the ids the database gave records `create_records` wrote, found by their uuids a
    few hundred at a time."""
    by_uuid = {instance.uuid: instance for instance in instances}
    uuids = list(by_uuid)
    database = model._meta.database
    opening, closing = database.quote
    table = f"{opening}{model._meta.table_name}{closing}"
    for start in range(0, len(uuids), BULK_CHUNK):
        chunk = uuids[start : start + BULK_CHUNK]
        # plain SQL: peewee builds a node for each of the hundreds of values in the IN list
        places = ", ".join([database.param] * len(chunk))
        cursor = database.execute_sql(
            f"SELECT id, uuid FROM {table} WHERE uuid IN ({places})", chunk
        )
        for record_id, uuid in cursor.fetchall():
            by_uuid[uuid].id = record_id


def _is_sqlite(database: Any) -> bool:
    return isinstance(getattr(database, "obj", database), SqliteDatabase)


def _is_postgres(database: Any) -> bool:
    return isinstance(getattr(database, "obj", database), PostgresqlDatabase)


def insert_rows(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    shared: Mapping[str, Any] | None = None,
) -> None:
    """Insert plain rows (values as the columns store them) into `model`'s table, in as few
    statements as the driver allows; `shared`, columns whose one value every row takes (sent
    once a statement, not row by row)."""
    shared = dict(shared or {})
    if not isinstance(rows, list | tuple):  # sent a page at a time: any iterable is taken
        rows = list(rows)
    database = model._meta.database
    opening, closing = database.quote
    names = ", ".join(f"{opening}{name}{closing}" for name in [*shared, *columns])
    into = f"INSERT INTO {opening}{model._meta.table_name}{closing} ({names}) VALUES "
    if rows and _is_sqlite(database):
        _insert_in_pages(database, into, list(shared.values()), len(columns), rows)
        return
    if shared:
        fixed = tuple(shared.values())
        rows = [(*fixed, *row) for row in rows]
    places = ", ".join([database.param] * (len(shared) + len(columns)))
    _execute_in_bulk(database, f"{into}({places})", f"{into}%s", rows)


def _insert_in_pages(
    database: Any, into: str, fixed: list[Any], width: int, rows: Sequence[Sequence[Any]]
) -> None:
    """SQLite: hundreds of rows per INSERT, as one multi-row VALUES list, the values `fixed`
    (shared by every row) bound once as ?1, ?2... A statement per row (executemany) costs
    several times its row: the driver binds and steps each statement, and a table with row
    triggers (monthly_return's return_total) has SQLite copy every page the statement touches
    into a statement journal, statement after statement."""
    try:
        limit = database.connection().getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):  # a driver without getlimit: SQLite's old default
        limit = 999
    page = max(1, min(SQLITE_PAGE, (limit - len(fixed)) // max(width, 1)))
    statements: dict[int, str] = {}
    cursor = database.cursor()
    with ExceptionWrapper(EXCEPTIONS):  # the driver's errors as peewee's, as queries raise them
        for start in range(0, len(rows), page):
            chunk = rows[start : start + page]
            sql = statements.get(len(chunk))
            if sql is None:
                sql = statements[len(chunk)] = into + _values_places(len(fixed), width, len(chunk))
            cursor.execute(sql, [*fixed, *chain.from_iterable(chunk)])


def _values_places(fixed: int, width: int, count: int) -> str:
    """The VALUES list of `count` rows: the `fixed` shared values first in each (?1...), then
    the row's own `width` values."""
    if not fixed:
        return ", ".join(["(" + ", ".join("?" * width) + ")"] * count)
    shared = [f"?{n}" for n in range(1, fixed + 1)]
    rows = []
    for row in range(count):
        first = fixed + row * width + 1
        own = [f"?{n}" for n in range(first, first + width)]
        rows.append("(" + ", ".join(shared + own) + ")")
    return ", ".join(rows)


def update_column(model: type[Model], column: str, rows: Sequence[tuple[Any, Any]]) -> None:
    """Set one column of many rows of `model`'s table: each row is (id, new value)."""
    database = model._meta.database
    opening, closing = database.quote
    table = f"{opening}{model._meta.table_name}{closing}"
    column, key = f"{opening}{column}{closing}", f"{opening}id{closing}"
    one_by_one = f"UPDATE {table} SET {column} = {database.param} WHERE {key} = {database.param}"
    paged = (
        f"UPDATE {table} SET {column} = changed.value FROM (VALUES %s) AS changed (value, id) "
        f"WHERE {table}.{key} = changed.id"
    )
    _execute_in_bulk(database, one_by_one, paged, [(value, key) for key, value in rows])


def _execute_in_bulk(
    database: Any,
    sql: str,
    postgres_sql: str,
    rows: Sequence[Sequence[Any]],
) -> None:
    """Run `sql` once per row with the driver's executemany; on PostgreSQL, whose driver's
    executemany sends a statement per row, `postgres_sql` instead, its one `%s` filled by
    psycopg2's execute_values with pages of rows."""
    if not rows:
        return
    cursor = database.cursor()
    with ExceptionWrapper(EXCEPTIONS):  # the driver's errors as peewee's, as queries raise them
        if _is_postgres(database):
            from psycopg2.extras import execute_values

            execute_values(cursor, postgres_sql, rows, page_size=POSTGRES_PAGE)
        else:
            cursor.executemany(sql, rows)


def update_record(instance: RecordModel, **changes: Any) -> list[str]:
    """Apply changes, log old -> new for each field that really changed; return those fields."""
    with _transaction():
        change_log.before_change(instance)
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
        merged_note=row.merged_note,
    )
