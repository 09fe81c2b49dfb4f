"""The change log: every write through the services' choke points, logged in its transaction.

`services/audit.py` (create_record, create_records, update_record, write_audit, write_audits),
`services/records.py` (archive, restore) and `services/personal_data.py` (erase) tell this
module which records they touch; nothing is written then. Just before the transaction commits
(db/database.py's listener), the records touched are read once more and every field that
really changed becomes a change in `sync_change` (changes.py), stamped with this site's clock
and sequence number, in the same transaction: a rolled-back savepoint or transaction leaves no
trace, and a field a service set on the side (a `save()` after `update_record`) is caught too.
A bulk create (an import's thousands of rows) is logged from the rows it wrote, in bulk.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from desta_tui.db.database import TransactionListener, add_transaction_listener, db
from desta_tui.db.models import RecordModel
from desta_tui.services.sync import tables as synced

#: the columns of sync_change a change is written with, in order
CHANGE_COLUMNS = ("origin_site", "seq", "hlc", "seen", "table_name", "record_uuid", "field", "kind",
                  "action", "value", "old_value", "old_text", "new_text", "record_label", "who",
                  "at", "received_at", "bundle_uuid")  # fmt: skip
HEAD_COLUMNS = ("table_name", "record_uuid", "field", "origin_site", "seq", "hlc", "seen")

# what a service told the log, in the order it happened (a savepoint rolled back drops its own)
SEEN, CREATED, BULK, HINT, FORCE, ERASE, LINKS = range(7)
#: a value left out of a change (SQL NULL), unlike a value that is None (JSON null)
LEFT_OUT = object()


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
            if event[0] == BULK:
                table_name = event[1]._meta.table_name
                self.touched.update((table_name, record.uuid) for record in event[2])
            elif event[0] in (SEEN, CREATED):
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
    _journal.add((SEEN, key, type(record), before))


def created(record: RecordModel) -> None:
    """A service created a record (create_record)."""
    if not _logging():
        return
    key = _key(record)
    _journal.touched.add(key)
    _journal.add((CREATED, key, type(record)))


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
    _journal.add((BULK, model, list(records)))


def links_created(
    link_model: type[Any], links: Sequence[tuple[RecordModel, Iterable[str]]]
) -> None:
    """A service wrote the links (rows of `link_model`, a link table: an organisation's
    boroughs) of records it has just created in bulk: each record with the uuids of the records
    it links to, none too. Their create carries these without reading them back; a record whose
    links a later history row names has them read as the transaction commits."""
    if not _logging() or not links:
        return
    table = synced.synced_table(links[0][0]._meta.table_name)
    link = next((link for link in table.links if link.model is link_model), None) if table else None
    if link is None:
        return
    told = {record.uuid: sorted(uuids) for record, uuids in links}
    _journal.add((LINKS, table.name, link.name, told))


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
        _journal.add((SEEN, key, type(record), synced.read_rows(table, [record.uuid]).get(key[1])))
    _journal.add((HINT, key, action, field, old_text, new_text, who, label))


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
            _journal.add((SEEN, (table_name, uuid), model, rows.get(uuid)))
    fields = {}
    for table_name, uuid, label, action, field, old_text, new_text in entries:
        key = (table_name, uuid)
        if key not in _journal.touched:
            continue
        if action == "create":
            if table_name not in fields:
                table = synced.synced_table(table_name)
                links = {link.name for link in table.links} if table else set()
                fields[table_name] = (table.field_names | links) if table else frozenset()
            if field in fields[table_name] or not field:
                # a new record's own fields and links travel in its create: only its words
                _journal.labels[key] = label
                continue
        _journal.add((HINT, key, action, field, old_text, new_text, who, label))


def forced(record: RecordModel, field: str, action: str) -> None:
    """Log a change of `field` even if its value is what it was (settling a conflict by
    keeping the value held: the change says a person chose it)."""
    if not _logging():
        return
    before_change(record)
    _journal.add((FORCE, _key(record), field, action))


def erased(record: RecordModel) -> None:
    """A person is being erased: the erasure travels as a tombstone, and what the log held
    about them is blanked now, in the same transaction."""
    if not _logging():
        return
    from desta_tui.services.sync.erasure import scrub_person

    before_change(record)
    _journal.add((ERASE, _key(record)))
    scrub_person(record)


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
                from desta_tui.services.sync.changes import write_changes

                with paused():
                    write_changes(events, labels)

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
