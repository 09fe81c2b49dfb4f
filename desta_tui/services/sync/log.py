"""The change log: every write through the services' choke points, logged in its transaction.

`services/audit.py` (create_record, create_records, update_record, write_audit, write_audits),
`services/records.py` (archive, restore) and `services/personal_data.py` (erase) tell this
module which records they touch; nothing is written then. Just before the transaction commits
(db/database.py's listener), the records touched are read once more and every field that
really changed becomes a change in `sync_change`, stamped with this site's clock and sequence
number, in the same transaction: a rolled-back savepoint or transaction leaves no trace here,
and a field a service set on the side (a `save()` after `update_record`) is caught too.
A bulk create (an import's thousands of rows) is logged from the rows it wrote, in bulk.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from peewee import ForeignKeyField

from desta_tui.db.database import TransactionListener, add_transaction_listener, db
from desta_tui.db.models import RecordModel, SyncChange, SyncConflict, SyncFieldVersion, SyncSite
from desta_tui.domain import clock
from desta_tui.domain.sync import seen_of
from desta_tui.services.sync import tables as synced
from desta_tui.services.sync.identity import held_of, this_site

#: the columns of sync_change a change is written with, in order
CHANGE_COLUMNS = ("origin_site", "seq", "hlc", "seen", "table_name", "record_uuid", "field", "kind",
                  "action", "value", "old_value", "old_text", "new_text", "record_label", "who",
                  "at", "received_at", "bundle_uuid")  # fmt: skip
HEAD_COLUMNS = ("table_name", "record_uuid", "field", "origin_site", "seq", "hlc", "seen")

# what a service told the log, in the order it happened (a savepoint rolled back drops its own)
_SEEN, _CREATED, _BULK, _HINT, _FORCE, _ERASE = range(6)
#: a value left out of a change (SQL NULL), unlike a value that is None (JSON null)
_NONE = object()


class _Journal(threading.local):
    """The records this thread's open transaction touched (each thread has its connection)."""

    def __init__(self) -> None:
        self.events: list[tuple] = []
        self.marks: dict[str, int] = {}
        self.touched: set[tuple[str, str]] = set()
        self.paused = 0
        #: the words for records created in bulk, from their history rows
        self.labels: dict[tuple[str, str], str] = {}
        #: the database whose transaction the events belong to
        self.database: object | None = None

    def bind(self, database: object) -> None:
        """Events belong to one database's transaction: another database starts afresh."""
        if self.database is not database:
            self.reset()
            self.database = database

    def add(self, event: tuple) -> None:
        self.events.append(event)

    def reset(self) -> None:
        self.events, self.marks, self.touched, self.labels = [], {}, set(), {}
        self.database = None

    def cut_back(self, length: int) -> None:
        """Forget what a rolled-back savepoint did."""
        del self.events[length:]
        self.touched = set()
        for event in self.events:
            if event[0] == _BULK:
                table_name = event[1]._meta.table_name
                self.touched.update((table_name, record.uuid) for record in event[2])
            elif event[0] in (_SEEN, _CREATED):
                self.touched.add(event[1])


_journal = _Journal()
_enabled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _logging() -> bool:
    """Whether writes are being logged: a Desta database, upgraded to hold the log, and the
    log not paused (a merge writes what the log already holds)."""
    if _journal.paused:
        return False
    database = db.obj
    if database is None:
        return False
    found = _enabled.get(database)
    if found is None:
        from desta_tui.db.database import listens_to_transactions

        found = listens_to_transactions(database) and "sync_change" in database.get_tables()
        if found:  # a database not yet upgraded is asked again once it is
            _enabled[database] = found
    if not found or not db.transaction_depth():
        return False
    _journal.bind(database)
    return True


@contextmanager
def paused() -> Iterator[None]:
    """Writes inside are not logged (a merge applying changes the log already holds)."""
    _journal.paused += 1
    try:
        yield
    finally:
        _journal.paused -= 1


def _key(record: RecordModel) -> tuple[str, str]:
    return (record._meta.table_name, record.uuid)


def _values_of(record: RecordModel) -> dict[str, Any] | None:
    """The record's travelling values as loaded (a relation as its id), if all were loaded."""
    table = synced.synced_table(record._meta.table_name)
    if table is None:
        return None
    data = record.__data__
    if any(field.name not in data for field in table.fields):
        return None
    return {"id": data.get("id"), "uuid": record.uuid,
            **{field.name: data[field.name] for field in table.fields}}  # fmt: skip


def before_change(record: RecordModel) -> None:
    """A service is about to change a record it has read: keep its values as they are."""
    if not _logging():
        return
    key = _key(record)
    if key in _journal.touched:
        return
    before = _values_of(record)
    if before is None:  # loaded without every field: read it as the database has it
        table = synced.synced_table(key[0])
        if table is None:
            return
        before = synced.read_rows(table, [record.uuid]).get(record.uuid)
    _journal.touched.add(key)
    _journal.add((_SEEN, key, type(record), before))


def created(record: RecordModel) -> None:
    """A service created a record (create_record)."""
    if not _logging():
        return
    key = _key(record)
    _journal.touched.add(key)
    _journal.add((_CREATED, key, type(record)))


def created_in_bulk(
    model: type[RecordModel], records: Sequence[RecordModel], labels: Sequence[str] = ()
) -> None:
    """A service created many records at once (create_records): logged from their values;
    `labels`, the words for each, as its history names it."""
    if not _logging() or not records:
        return
    table_name = model._meta.table_name
    keys = [(table_name, record.uuid) for record in records]
    _journal.touched.update(keys)
    _journal.labels.update(zip(keys, labels, strict=False))
    _journal.add((_BULK, model, list(records)))


def noted(record: RecordModel, action: str, field: str, old_text: str | None,
          new_text: str | None, who: str, label: str) -> None:  # fmt: skip
    """A history row was written for a record (write_audit): its words travel with the change,
    and a field that is not a column (boroughs, a note) travels as such."""
    if not _logging():
        return
    key = _key(record)
    if key not in _journal.touched:
        # first heard of after the service changed it: the database still has it as it was,
        # unless it was saved already (then the history row says what changed)
        table = synced.synced_table(key[0])
        if table is None:
            return
        _journal.touched.add(key)
        _journal.add((_SEEN, key, type(record), synced.read_rows(table, [record.uuid]).get(key[1])))
    _journal.add((_HINT, key, action, field, old_text, new_text, who, label))


def noted_many(entries: Sequence[Sequence[str | None]], who: str) -> None:
    """Many history rows written at once (write_audits): table, uuid, label, action, field,
    old and new text each."""
    if not _logging() or not entries:
        return
    unseen: dict[str, set[str]] = {}
    for table_name, uuid, *_rest in entries:
        if (table_name, uuid) not in _journal.touched:
            unseen.setdefault(table_name, set()).add(uuid)
    for table_name, uuids in unseen.items():
        table = synced.synced_table(table_name)
        if table is None:
            continue
        model = table.model
        rows = synced.read_rows(table, uuids)
        for uuid in sorted(uuids):
            _journal.touched.add((table_name, uuid))
            _journal.add((_SEEN, (table_name, uuid), model, rows.get(uuid)))
    fields = {}
    for table_name, uuid, label, action, field, old_text, new_text in entries:
        key = (table_name, uuid)
        if key not in _journal.touched:
            continue
        if action == "create":
            if table_name not in fields:
                table = synced.synced_table(table_name)
                fields[table_name] = table.field_names if table else frozenset()
            if field in fields[table_name] or not field:
                # a new record's own fields travel in its create: only its words are wanted
                _journal.labels[key] = label
                continue
        _journal.add((_HINT, key, action, field, old_text, new_text, who, label))


def forced(record: RecordModel, field: str, action: str) -> None:
    """Log a change of `field` even if its value is what it was (settling a conflict by
    keeping the value held: the change says a person chose it)."""
    if not _logging():
        return
    before_change(record)
    _journal.add((_FORCE, _key(record), field, action))


def erased(record: RecordModel) -> None:
    """A person is being erased: the erasure travels as a tombstone, and what the log held
    about them is blanked now, in the same transaction."""
    if not _logging():
        return
    from desta_tui.services.sync.erasure import scrub_logged

    before_change(record)
    _journal.add((_ERASE, _key(record)))
    scrub_logged(record._meta.table_name, record.uuid)


# --- at commit ------------------------------------------------------------------------------


class _Record:
    """What the transaction did to one record, put together from the journal."""

    __slots__ = ("table", "uuid", "state", "before", "instance", "hints", "forced", "erased", "row")

    def __init__(self, table: synced.SyncedTable, uuid: str) -> None:
        self.table, self.uuid = table, uuid
        self.state = ""  # "existing", "created" or "bulk"
        self.before: dict[str, Any] | None = None
        self.instance: RecordModel | None = None
        self.hints: list[tuple] = []
        self.forced: dict[str, str] = {}
        self.erased = False
        self.row: dict[str, Any] | None = None

    def needs_row(self) -> bool:
        if self.state != "bulk":
            return True
        return bool(self.forced) or any(
            hint[1] in self.table.field_names and hint[0] != "create" for hint in self.hints
        )


def _gather(events: list[tuple]) -> dict[tuple[str, str], _Record]:
    records: dict[tuple[str, str], _Record] = {}

    def record_for(key: tuple[str, str]) -> _Record | None:
        found = records.get(key)
        if found is None:
            table = synced.synced_table(key[0])
            if table is None:
                return None
            found = records[key] = _Record(table, key[1])
        return found

    for event in events:
        kind = event[0]
        if kind == _BULK:
            for instance in event[2]:
                record = record_for((event[1]._meta.table_name, instance.uuid))
                if record is not None:
                    record.state, record.instance = "bulk", instance
            continue
        record = record_for(event[1])
        if record is None:
            continue
        if kind == _SEEN:
            if not record.state:
                record.state, record.before = "existing", event[3]
        elif kind == _CREATED:
            record.state = "created"
        elif kind == _HINT:
            record.hints.append(event[2:])
        elif kind == _FORCE:
            record.forced[event[2]] = event[3]
        elif kind == _ERASE:
            record.erased = True
    return records


def write_now() -> None:
    """Log what this transaction has done so far, before it commits (a check that reads the
    field versions needs them up to date)."""
    _Listener().before_commit(db.obj)


class _Listener(TransactionListener):
    def before_commit(self, database) -> None:
        if _journal.events:
            events, labels, owner = _journal.events, _journal.labels, _journal.database
            _journal.reset()
            if owner is database:
                with paused():
                    _write(events, labels)

    def rolled_back(self, database) -> None:
        _journal.reset()

    def savepoint_entered(self, database, savepoint_id: str) -> None:
        _journal.bind(database)
        _journal.marks[savepoint_id] = len(_journal.events)

    def savepoint_ended(self, database, savepoint_id: str, *, kept: bool) -> None:
        mark = _journal.marks.pop(savepoint_id, None)
        if not kept and mark is not None and mark < len(_journal.events):
            _journal.cut_back(mark)


add_transaction_listener(_Listener())


def _write(events: list[tuple], labels: dict[tuple[str, str], str]) -> None:
    records = _gather(events)
    if not records:
        return
    resolver = synced.UuidResolver()
    _read_rows(records, resolver)
    links = _read_links(records)
    changes: list[list[Any]] = []
    texts = _Texts()
    for record in records.values():
        changes += _changes_of(record, resolver, links, texts, labels)
    if not changes:
        return
    fresh = {(r.table.name, r.uuid) for r in records.values() if r.state in ("bulk", "created")}
    _stamp_and_store(changes, fresh)


def _read_rows(records: dict[tuple[str, str], _Record], resolver: synced.UuidResolver) -> None:
    by_table: dict[str, list[_Record]] = {}
    for record in records.values():
        if record.needs_row():
            by_table.setdefault(record.table.name, []).append(record)
    for wanted in by_table.values():
        table = wanted[0].table
        rows = synced.read_rows(table, [record.uuid for record in wanted])
        for record in wanted:
            record.row = rows.get(record.uuid)
        resolver.want(table, [*rows.values(), *(r.before for r in wanted if r.before)])
    bulk: dict[str, list[dict[str, Any]]] = {}
    for record in records.values():
        if record.state == "bulk":
            bulk.setdefault(record.table.name, []).append(record.instance.__data__)
    for table_name, datas in bulk.items():
        resolver.want(synced.synced_table(table_name), datas)


def _read_links(records: dict[tuple[str, str], _Record]) -> dict[tuple[str, str, str], list[str]]:
    """The linked records (boroughs...) of every record whose links a history row named."""
    wanted: dict[tuple[str, str], set[str]] = {}
    for record in records.values():
        if record.erased:
            continue
        if record.state in ("created", "bulk"):
            # a new record travels with its links (a ticket's metrics, an organisation's boroughs)
            for link in record.table.links:
                wanted.setdefault((record.table.name, link.name), set()).add(record.uuid)
        for hint in record.hints:
            if record.table.link(hint[1]) is not None:
                wanted.setdefault((record.table.name, hint[1]), set()).add(record.uuid)
    known_ids = {
        (record.table.name, record.uuid): record.instance.id
        for record in records.values()
        if record.state == "bulk" and record.instance.id is not None
    }
    found: dict[tuple[str, str, str], list[str]] = {}
    for (table_name, name), uuids in wanted.items():
        table = synced.synced_table(table_name)
        link = table.link(name)
        ids = {uuid: known_ids[(table_name, uuid)] for uuid in uuids
               if (table_name, uuid) in known_ids}  # fmt: skip
        ids.update(synced.ids_by_uuid(table.model, uuids - ids.keys()))
        values = synced.link_values(link, ids.values())
        for uuid, record_id in ids.items():
            found[(table_name, uuid, name)] = values.get(record_id, [])
    return found


class _Texts:
    """How a value reads in the history, for a change no history row described."""

    def __init__(self) -> None:
        from desta_tui.services.audit import audit_text

        self.audit_text = audit_text

    def of(self, table: synced.SyncedTable, name: str, value: Any) -> str | None:
        field = table.model._meta.fields.get(name)
        if isinstance(field, ForeignKeyField) and value is not None:
            related = field.rel_model.get_or_none(field.rel_model.id == value)
            return related.display_name() if related is not None else None
        return self.audit_text(name, value)


def _bulk_image(record: _Record, resolver: synced.UuidResolver) -> dict[str, Any]:
    """A record created in bulk, as its create carries it: from the values it was written with
    (thousands of them: text is taken as it is, relations from the records given)."""
    data, related = record.instance.__data__, record.instance.__rel__
    image = {}
    for name, field, rel_model in _plan(record.table):
        value = data.get(name)
        if value is not None:
            if rel_model is not None:
                linked = related.get(name)
                value = linked.uuid if linked is not None else resolver.uuid(rel_model, value)
            elif type(value) is not str:
                value = synced.encode(field, value)
        image[name] = value
    return image


_plans: dict[str, list[tuple[str, Any, Any]]] = {}


def _plan(table: synced.SyncedTable) -> list[tuple[str, Any, Any]]:
    """(name, field, related model or None) of each travelling field of a table."""
    found = _plans.get(table.name)
    if found is None:
        found = _plans[table.name] = [
            (field.name, field, field.rel_model if isinstance(field, ForeignKeyField) else None)
            for field in table.fields
        ]
    return found


def _changes_of(
    record: _Record,
    resolver: synced.UuidResolver,
    links: dict[tuple[str, str, str], list[str]],
    texts: _Texts,
    labels: dict[tuple[str, str], str],
) -> list[list[Any]]:
    """The changes one record's transaction makes, without their stamps (added later)."""
    table, uuid = record.table, record.uuid
    if record.state == "bulk" and not (record.hints or record.forced or record.erased):
        # the common case of an import: one create, its links in it
        image = _bulk_image(record, resolver)
        for link in table.links:
            image[link.name] = links.get((table.name, uuid, link.name), [])
        label = labels.get((table.name, uuid), "")
        return [[table.name, uuid, "", "create", "create", synced.dumps(image), None, None, None,
                 label, ""]]  # fmt: skip
    hints: dict[str, tuple] = {}
    label = labels.get((table.name, uuid), "")
    for hint in record.hints:
        hints[hint[1]] = hint
        label = hint[5] or label
    who = next((hint[4] for hint in reversed(record.hints) if hint[4]), "")

    def change(kind: str, field: str, action: str, value: Any, old: Any = _NONE,
               old_text: str | None = None, new_text: str | None = None,
               by: str = "") -> list[Any]:  # fmt: skip
        return [table.name, uuid, field, kind, action,
                None if value is _NONE else synced.dumps(value),
                None if old is _NONE else synced.dumps(old), old_text, new_text, label,
                by or who]  # fmt: skip

    if record.state != "bulk" and record.row is None:
        return []  # created and rolled back, or gone: nothing happened that stayed
    if record.erased:
        row = record.row
        tombstone = {name: synced.encode(table.model._meta.fields[name], row.get(name))
                     for name in ("erased_at", synced.ARCHIVED_FIELD) if name in row}  # fmt: skip
        return [change("erase", "erased_at", "erase", tombstone, _NONE, None, None)]
    found: list[list[Any]] = []
    created = record.state in ("bulk", "created")
    if created:
        image = (_bulk_image(record, resolver) if record.state == "bulk"
                 else resolver.image(table, record.row))  # fmt: skip
        before_image = image if record.state == "bulk" else None
        for link in table.links:
            image = {**image, link.name: links.get((table.name, uuid, link.name), [])}
        found.append(change("create", "", "create", image, _NONE))
    else:
        before_image = resolver.image(table, record.before) if record.before else None
    if before_image is not None and record.row is not None:
        after_image = resolver.image(table, record.row)
        for field in table.changeable:
            name = field.name
            forced_action = record.forced.get(name)
            archive_hint = name == synced.ARCHIVED_FIELD and name in hints
            if before_image[name] == after_image[name] and not forced_action and not archive_hint:
                continue
            hint = hints.get(name)
            if hint is not None and hint[0] != "create":
                action, old_text, new_text = hint[0], hint[2], hint[3]
            else:
                action = forced_action or _action_for(name, after_image[name])
                old_text = texts.of(table, name, (record.before or {}).get(name))
                new_text = texts.of(table, name, record.row.get(name))
            found.append(change("update", name, forced_action or action, after_image[name],
                                before_image[name], old_text, new_text))  # fmt: skip
    for name, hint in hints.items():
        if table.link(name) is not None:
            if created and hint[0] == "create":
                continue  # the links are in the create itself
            value = links.get((table.name, uuid, name), [])
            found.append(change("links", name, hint[0], value, _NONE, hint[2], hint[3], hint[4]))
        elif name not in table.field_names and name:
            found.append(change("note", name, hint[0], _NONE, _NONE, hint[2], hint[3], hint[4]))
    return found


def _action_for(name: str, value: Any) -> str:
    if name == synced.ARCHIVED_FIELD:
        return "restore" if value is None else "archive"
    return "update"


def _stamp_and_store(changes: list[list[Any]], fresh: set[tuple[str, str]]) -> None:
    """Number and stamp the transaction's changes, store them, and make each the head of its
    field (this site saw whatever the field held)."""
    from desta_tui.services.audit import insert_rows
    from desta_tui.services.context import current_user, now

    site = this_site()
    stamp = clock.encode(clock.tick(_clock_of(site), int(time.time() * 1000)))
    seen = synced.dumps(seen_of(held_of(site), leaving_out=site.site_uuid))
    at, fallback_who = now(), None
    seq = int(site.last_seq)
    rows = []
    heads = []
    for (
        table_name,
        uuid,
        field,
        kind,
        action,
        value,
        old,
        old_text,
        new_text,
        label,
        who,
    ) in changes:
        seq += 1
        if not who:
            fallback_who = fallback_who or current_user()
            who = fallback_who
        rows.append((site.site_uuid, seq, stamp, seen, table_name, uuid, field, kind, action,
                     value, old, old_text, new_text, label, who, at, None, ""))  # fmt: skip
        if kind in ("update", "links"):
            heads.append((table_name, uuid, field, site.site_uuid, seq, stamp, seen))
    insert_rows(SyncChange, CHANGE_COLUMNS, rows)
    if heads:
        replace_heads(heads, fresh=fresh)
    SyncSite.update(hlc=stamp, last_seq=seq).where(SyncSite.id == site.id).execute()
    if heads and SyncConflict.select().where(SyncConflict.resolved_at.is_null()).exists():
        from desta_tui.services.sync.conflicts import refresh_conflicts

        refresh_conflicts({(table_name, uuid) for table_name, uuid, *_ in heads})


def _clock_of(site: SyncSite) -> clock.Hlc:
    return clock.decode(site.hlc) if site.hlc else clock.ZERO


def replace_heads(
    heads: Sequence[Sequence[Any]], *, fresh: set[tuple[str, str]] = frozenset()
) -> None:
    """Make each change the one head of its field: (table, uuid, field, site, seq, stamp,
    seen) each. Records in `fresh` were created in this transaction: they have no heads yet."""
    from desta_tui.services.audit import insert_rows

    fields: dict[tuple[str, str], set[str]] = {}
    for table_name, uuid, field, *_rest in heads:
        if (table_name, uuid) not in fresh:
            fields.setdefault((table_name, uuid), set()).add(field)
    delete_heads(fields)
    insert_rows(SyncFieldVersion, HEAD_COLUMNS, heads)


def delete_heads(fields: dict[tuple[str, str], set[str]]) -> None:
    """Forget the heads of these fields of these records ((table, uuid) -> field names)."""
    for (table_name, uuid), names in fields.items():
        SyncFieldVersion.delete().where(
            (SyncFieldVersion.table_name == table_name)
            & (SyncFieldVersion.record_uuid == uuid)
            & SyncFieldVersion.field.in_(sorted(names))
        ).execute()
