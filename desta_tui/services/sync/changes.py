"""The changes a transaction made, worked out as it commits from what the services told the
log (log.py), numbered and stamped with this site's clock, and stored with the field versions
they leave, in the same transaction."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from itertools import repeat
from typing import Any

from peewee import Field, ForeignKeyField

from desta_tui.db.database import SCOPE_LOCK_CLASS, db, scope_lock_key
from desta_tui.db.models import RecordModel, SyncChange, SyncConflict, SyncFieldVersion, SyncSite
from desta_tui.domain import clock
from desta_tui.domain.sync import seen_of
from desta_tui.services.sync import tables as synced
from desta_tui.services.sync.identity import held_of, this_site
from desta_tui.services.sync.log import (
    BULK,
    CHANGE_COLUMNS,
    CREATED,
    ERASE,
    FORCE,
    HEAD_COLUMNS,
    HINT,
    LEFT_OUT,
    LINKS,
    SEEN,
)


class _Record:
    """What the transaction did to one record, put together from the journal."""

    __slots__ = ("table", "uuid", "state", "before", "instance", "hints", "forced", "erased", "row",
                 "links")  # fmt: skip

    def __init__(self, table: synced.SyncedTable, uuid: str) -> None:
        self.table, self.uuid = table, uuid
        self.state = ""  # "existing", "created" or "bulk"
        self.before: dict[str, Any] | None = None
        self.instance: RecordModel | None = None
        self.hints: list[tuple] = []
        self.forced: dict[str, str] = {}
        self.erased = False
        self.row: dict[str, Any] | None = None
        #: the links of a record created in bulk as the service that wrote them told them
        self.links: dict[str, list[str]] | None = None

    def needs_row(self) -> bool:
        if self.state != "bulk":
            return True
        if not (self.forced or self.hints):
            return False  # an import's thousands: no generator made for each
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
        if kind == BULK:
            # an import's thousands of records: their table looked up once
            table_name = event[1]._meta.table_name
            table = synced.synced_table(table_name)
            if table is None:
                continue
            for instance in event[2]:
                key = (table_name, instance.uuid)
                record = records.get(key)
                if record is None:
                    record = records[key] = _Record(table, key[1])
                record.state, record.instance = "bulk", instance
            continue
        if kind == LINKS:
            _, table_name, name, told = event
            for uuid, linked in told.items():
                record = records.get((table_name, uuid))
                if record is not None and record.state == "bulk":
                    if record.links is None:
                        record.links = {}
                    record.links[name] = linked
            continue
        record = record_for(event[1])
        if record is None:
            continue
        if kind == SEEN:
            if not record.state:
                record.state, record.before = "existing", event[3]
        elif kind == CREATED:
            record.state = "created"
        elif kind == HINT:
            record.hints.append(event[2:])
        elif kind == FORCE:
            record.forced[event[2]] = event[3]
        elif kind == ERASE:
            record.erased = True
    return records


def write_changes(events: list[tuple], labels: dict[tuple[str, str], str]) -> None:
    """Store the changes the events of one transaction add up to."""
    records = _gather(events)
    if not records:
        return
    resolver = synced.UuidResolver()
    _read_rows(records, resolver)
    links = _read_links(records)
    changes: list[list[Any]] = []
    texts = _Texts()
    creates = _bulk_creates(records, resolver, links, texts)
    for key, record in records.items():
        value = creates.get(key)
        if value is None:
            changes += _changes_of(record, resolver, links, texts, labels)
        else:
            changes.append([key[0], key[1], "", "create", "create", value, None, None, None,
                            labels.get(key, ""), ""])  # fmt: skip
    if not changes:
        return
    fresh = {key for key, record in records.items() if record.state in ("bulk", "created")}
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
    """The linked records (boroughs...) of every new record and of every record whose links a
    history row named: as the service that created a record in bulk told them, else read."""
    wanted: dict[tuple[str, str], set[str]] = {}
    found: dict[tuple[str, str, str], list[str]] = {}
    for record in records.values():
        if record.erased:
            continue
        hinted = (
            {hint[1] for hint in record.hints if record.table.link(hint[1]) is not None}
            if record.hints
            else ()
        )
        if record.state in ("created", "bulk"):
            # a new record travels with its links (a ticket's metrics, an organisation's boroughs)
            told = record.links or {}
            for link in record.table.links:
                if link.name in told and link.name not in hinted:
                    # written with the record and not changed since: nothing to read back
                    found[(record.table.name, record.uuid, link.name)] = told[link.name]
                else:
                    wanted.setdefault((record.table.name, link.name), set()).add(record.uuid)
        for name in hinted:
            wanted.setdefault((record.table.name, name), set()).add(record.uuid)
    if not wanted:
        return found
    known_ids = {
        (record.table.name, record.uuid): record.instance.id
        for record in records.values()
        if record.state == "bulk" and record.instance.id is not None
    }
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
        self._encoded: dict[tuple[int, type, Any], Any] = {}

    def encoded(self, field: Field, value: Any) -> Any:
        """`synced.encode(field, value)`, once per value: the records an import creates share
        their times and most of their numbers."""
        key = (id(field), type(value), value)  # the field itself: peewee's == builds a query
        found = self._encoded.get(key, self)
        if found is self:
            found = self._encoded[key] = synced.encode(field, value)
        return found

    def of(self, table: synced.SyncedTable, name: str, value: Any) -> str | None:
        field = table.model._meta.fields.get(name)
        if isinstance(field, ForeignKeyField) and value is not None:
            related = field.rel_model.get_or_none(field.rel_model.id == value)
            return related.display_name() if related is not None else None
        return self.audit_text(name, value)


def _bulk_image(record: _Record, resolver: synced.UuidResolver, texts: _Texts) -> dict[str, Any]:
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
                value = texts.encoded(field, value)
        image[name] = value
    return image


def _bulk_creates(
    records: dict[tuple[str, str], _Record],
    resolver: synced.UuidResolver,
    links: dict[tuple[str, str, str], list[str]],
    texts: _Texts,
) -> dict[tuple[str, str], str]:
    """The create of each record made in bulk that nothing else touched (an import's thousands),
    as the JSON text `_changes_of` gives it: the image of `_bulk_image` with its links, written a
    field at a time for them all, each distinct value encoded once."""
    by_table: dict[str, list[_Record]] = {}
    for record in records.values():
        if record.state == "bulk" and not (record.hints or record.forced or record.erased):
            by_table.setdefault(record.table.name, []).append(record)
    found: dict[tuple[str, str], str] = {}
    for wanted in by_table.values():
        table = wanted[0].table
        plan = _plan(table)
        names = [name for name, _field, _rel in plan] + [link.name for link in table.links]
        if len(set(names)) < len(names):  # a link named as a field: the image keeps one of them
            continue
        instances = [record.instance for record in wanted]
        datas = [instance.__data__ for instance in instances]
        columns = [_json_column(instances, datas, name, field, rel_model, resolver, texts)
                   for name, field, rel_model in plan]  # fmt: skip
        for link in table.links:
            said: dict[tuple[str, ...], str] = {}
            column = []
            for record in wanted:
                uuids = tuple(links.get((table.name, record.uuid, link.name), ()))
                text = said.get(uuids)
                if text is None:
                    text = said[uuids] = _JSON.encode(list(uuids))
                column.append(text)
            columns.append(column)
        # the JSON of a dict is its keys' and values' JSON in order: the keys are written once,
        # and so is a value every record has (a blank field, a flag no row sets)
        alike = [column.count(column[0]) == len(column) for column in columns]
        template = "{" + ",".join(
            _JSON.encode(name).replace("%", "%%") + ":"
            + (column[0].replace("%", "%%") if one else "%s")
            for name, column, one in zip(names, columns, alike, strict=True)
        ) + "}"  # fmt: skip
        own = [column for column, one in zip(columns, alike, strict=True) if not one]
        rows = zip(*own, strict=True) if own else [()] * len(wanted)
        for record, row in zip(wanted, rows, strict=True):
            found[(table.name, record.uuid)] = template % row
    return found


def _json_column(
    instances: list[RecordModel],
    datas: list[dict[str, Any]],
    name: str,
    field: Field,
    rel_model: Any,
    resolver: synced.UuidResolver,
    texts: _Texts,
) -> list[str]:
    """One field of records made in bulk (`datas`, their values) as `_bulk_image` has it, in
    JSON."""
    values = list(map(dict.get, datas, repeat(name)))
    if rel_model is not None:
        said: dict[Any, str] = {}
        column = []
        for instance, value in zip(instances, values, strict=True):
            if value is None:
                column.append("null")
                continue
            linked = instance.__rel__.get(name)
            # told apart by identity: peewee's own hashing and comparing of records is slow
            key = (id(linked), None) if linked is not None else (None, value)
            text = said.get(key)
            if text is None:
                uuid = linked.uuid if linked is not None else resolver.uuid(rel_model, value)
                text = said[key] = _JSON.encode(uuid)
            column.append(text)
        return column
    types = set(map(type, values))
    if types == {str}:  # text is taken as it is, and without a None at C speed
        return list(map(_json_text, values))
    if types <= {str, type(None)}:
        return ["null" if value is None else _json_text(value) for value in values]

    def in_json(value: Any, encode: Any = texts.encoded) -> str:
        if value is None:
            return "null"
        return _JSON.encode(value if type(value) is str else encode(field, value))

    keys = list(zip(map(type, values), values, strict=True))  # 1 and True are told apart
    try:
        texts_of = {key: in_json(key[1]) for key in set(keys)}
    except TypeError:  # a value that cannot be a key
        return [in_json(value, synced.encode) for value in values]
    return list(map(texts_of.__getitem__, keys))


#: json.dumps(value, ensure_ascii=False, separators=(",", ":")), its encoder made once
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
#: what _JSON.encode calls for text (ensure_ascii=False), called directly for thousands
_json_text = json.encoder.encode_basestring
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
        image = _bulk_image(record, resolver, texts)
        for link in table.links:
            image[link.name] = links.get((table.name, uuid, link.name), [])
        label = labels.get((table.name, uuid), "")
        # the fields in the table's order already: no need to sort them (thousands a second)
        value = _JSON.encode(image)
        return [[table.name, uuid, "", "create", "create", value, None, None, None,
                 label, ""]]  # fmt: skip
    hints: dict[str, tuple] = {}
    label = labels.get((table.name, uuid), "")
    for hint in record.hints:
        hints[hint[1]] = hint
        label = hint[5] or label
    who = next((hint[4] for hint in reversed(record.hints) if hint[4]), "")

    def change(kind: str, field: str, action: str, value: Any, old: Any = LEFT_OUT,
               old_text: str | None = None, new_text: str | None = None,
               by: str = "") -> list[Any]:  # fmt: skip
        return [table.name, uuid, field, kind, action,
                None if value is LEFT_OUT else synced.dumps(value),
                None if old is LEFT_OUT else synced.dumps(old), old_text, new_text, label,
                by or who]  # fmt: skip

    if record.state != "bulk" and record.row is None:
        return []  # created and rolled back, or gone: nothing happened that stayed
    if record.erased:
        row = record.row
        tombstone = {name: synced.encode(table.model._meta.fields[name], row.get(name))
                     for name in ("erased_at", synced.ARCHIVED_FIELD) if name in row}  # fmt: skip
        return [change("erase", "erased_at", "erase", tombstone, LEFT_OUT, None, None)]
    found: list[list[Any]] = []
    created = record.state in ("bulk", "created")
    if created:
        image = (_bulk_image(record, resolver, texts) if record.state == "bulk"
                 else resolver.image(table, record.row))  # fmt: skip
        before_image = image if record.state == "bulk" else None
        for link in table.links:
            image = {**image, link.name: links.get((table.name, uuid, link.name), [])}
        found.append(change("create", "", "create", image, LEFT_OUT))
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
            found.append(change("links", name, hint[0], value, LEFT_OUT, hint[2], hint[3], hint[4]))
        elif name not in table.field_names and name:
            found.append(
                change("note", name, hint[0], LEFT_OUT, LEFT_OUT, hint[2], hint[3], hint[4])
            )
    return found


def _action_for(name: str, value: Any) -> str:
    if name == synced.ARCHIVED_FIELD:
        return "restore" if value is None else "archive"
    return "update"


def _stamp_and_store(changes: list[list[Any]], fresh: set[tuple[str, str]]) -> None:
    """Number and stamp the transaction's changes, store them, and make each the head of its
    field (this site saw whatever the field held)."""
    from desta_tui.services.audit import insert_rows, split_alike
    from desta_tui.services.context import current_user, now

    _take_turns()
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
        rows.append((seq, table_name, uuid, field, kind, action, value, old, old_text, new_text,
                     label, who))  # fmt: skip
        if kind in ("update", "links"):
            heads.append((table_name, uuid, field, site.site_uuid, seq, stamp, seen))
    # the columns every change of the transaction shares, given once
    shared = {"origin_site": site.site_uuid, "hlc": stamp, "seen": seen, "at": at,
              "received_at": None, "bundle_uuid": ""}  # fmt: skip
    names = [name for name in CHANGE_COLUMNS if name not in shared]
    if len(rows) > 1:
        # and those its changes happen to share (an import's thousands of creates: the table,
        # the kind and action, who, the blank old values), given once too
        alike, names, rows = split_alike(names, list(zip(*rows, strict=True)))
        shared.update(alike)
    insert_rows(SyncChange, names, rows, shared)
    if heads:
        replace_heads(heads, fresh=fresh)
    SyncSite.update(hlc=stamp, last_seq=seq).where(SyncSite.id == site.id).execute()
    if heads and SyncConflict.select().where(SyncConflict.resolved_at.is_null()).exists():
        from desta_tui.services.sync.conflicts import refresh_conflicts

        refresh_conflicts({(table_name, uuid) for table_name, uuid, *_ in heads})


#: the scope whose lock desks saving side by side take to number their changes one at a time
CHANGE_LOG_SCOPE = "sync:change log"


def _take_turns() -> None:
    """On the server, desks saving side by side (`atomic_for`) number their changes one after
    the other: the lock is taken last, as the transaction commits, and held only to its end."""
    database = db.obj
    held_scopes = getattr(database, "held_scopes", None)
    if held_scopes is not None and held_scopes():
        database.execute_sql(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            (SCOPE_LOCK_CLASS, scope_lock_key(CHANGE_LOG_SCOPE)),
        )


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
