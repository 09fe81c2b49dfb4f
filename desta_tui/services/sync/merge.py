"""Applying a bundle's changes: in the order they were made, inside one transaction.

Each change is kept in the log (to pass on to other sites) and decided field by field
(domain/sync.py): it replaces what the field held, is already known, or was made apart from a
change here, and then the field holds one of the two, the same at every site, and a conflict
waits for a person. An erasure wins over every edit of the person its author had not seen. A
record created at two sites for the same thing (the same organisation at two venues) becomes
one record; a ticket reference given at two sites is renumbered at the later one.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from peewee import ForeignKeyField

from desta_tui.db.models import (
    AuditLog,
    Contact,
    Organisation,
    RecordModel,
    SupportTicket,
    SyncAlias,
    SyncChange,
    SyncConflict,
    SyncFieldVersion,
    SyncSite,
    utc_now,
)
from desta_tui.domain import clock
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import BundleError
from desta_tui.domain.sync import (
    Outcome,
    Version,
    canonical_twin,
    conflict_key,
    decide_field,
    erasure_wins,
    gaps,
    heads_after,
    holder,
)
from desta_tui.domain.tickets import format_reference, parse_reference
from desta_tui.domain.validation import normalise_name
from desta_tui.services.sync.bundle_file import Bundle
from desta_tui.services.sync.conflicts import notes_newest_wins, open_rule_conflict, value_text
from desta_tui.services.sync.identity import (
    default_ticket_prefix,
    held_of,
    name_of_site,
    site_names,
    this_site,
)
from desta_tui.services.sync.log import CHANGE_COLUMNS
from desta_tui.services.sync.tables import (
    ARCHIVED_FIELD,
    CREATED_FIELD,
    SyncedTable,
    UuidResolver,
    decode,
    dumps,
    loads,
    read_rows,
    synced_table,
)
from desta_tui.services.sync.versions import (
    field_heads,
    parse_seen,
    store_heads,
    version_of,
    version_of_change,
)
from desta_tui.services.sync.writing import IdLookup, insert_records, set_links, update_columns

HISTORY_COLUMNS = ("at", "who", "table_name", "record_uuid", "record_label", "action", "field",
                   "old_value", "new_value", "merged_note")  # fmt: skip


@dataclass
class MergeCounts:
    """What a merge did (or, in a dry run, would do)."""

    received: int = 0
    new: int = 0
    creates: int = 0
    updates: int = 0
    archives: int = 0
    restores: int = 0
    erasures: int = 0
    notes: int = 0
    #: already held, or replaced by a later change held here
    known: int = 0
    #: edits of a person erased before or apart from them
    erased_over: int = 0
    twins: int = 0
    renumbered: int = 0
    conflicts: list[int] = field(default_factory=list)


class _Change:
    """A bundle's change, kept in memory until the merge stores them all at once."""

    __slots__ = ("data", "version")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.version = version_of_change(data)

    def value_for(self, name: str) -> Any:
        value = loads(self.data.get("value"))
        if self.data["kind"] == "create":
            return (value or {}).get(name)
        return value


class Merger:
    """One bundle's changes applied to the open database (inside the caller's transaction)."""

    def __init__(self, bundle: Bundle, importer: str) -> None:
        self.bundle = bundle
        self.site = this_site()
        self.me = self.site.site_uuid
        self.held = held_of(self.site)
        self.ids = IdLookup()
        self.resolver = UuidResolver()
        self.counts = MergeCounts(received=len(bundle.changes))
        self.touched: set[tuple[str, str]] = set()
        self.erased: set[tuple[str, str]] = set()
        self.history: list[tuple] = []
        self.pending: dict[tuple[str, int], _Change] = {}
        self.creates: dict[tuple[str, str], _Change] = {}
        self.names = {**site_names(), **{
            uuid: info.get("name", "") for uuid, info in bundle.manifest.get("sites", {}).items()
        }}  # fmt: skip
        self.importer = importer
        self.on = format_uk_date(utc_now().date())
        self.newest_notes = notes_newest_wins()
        self.received_at = utc_now()
        self.related_labels: dict[tuple[type, str], str] = {}
        #: names given at two sites: (table, uuid, field, name wanted, name kept, version)
        self.clashes: list[tuple] = []
        self.erasures: dict[tuple[str, str], list[Version]] = {}

    # --- which changes are new ------------------------------------------------------------

    def new_changes(self) -> list[_Change]:
        """The bundle's changes not yet held here, in the order they were made; BundleError if
        the bundle skips changes this database lacks."""
        firsts: dict[str, int] = {}
        found: dict[str, list[int]] = {}
        new = []
        for data in self.bundle.changes:
            origin, seq = data["origin"], int(data["seq"])
            if origin == self.me:
                if seq > int(self.site.last_seq):
                    raise BundleError(
                        "This bundle holds changes made here that this database no longer has "
                        "(was it put back from an older backup?): restore the newest backup "
                        "instead. Nothing was changed."
                    )
                continue
            if seq <= self.held.get(origin, 0):
                continue
            firsts[origin] = min(firsts.get(origin, seq), seq)
            found.setdefault(origin, []).append(seq)
            new.append(_Change(data))
        for gap in gaps(self.held, firsts):
            raise BundleError(self._gap_text(gap.origin, gap.held, gap.first))
        for origin, seqs in found.items():
            seqs.sort()
            if seqs[-1] - seqs[0] + 1 != len(set(seqs)):
                raise BundleError(self._gap_text(origin, seqs[0] - 1, seqs[-1]))
        return sorted(new, key=lambda change: change.version.order_key)

    def _gap_text(self, origin: str, held: int, first: int) -> str:
        return (
            f"This bundle skips changes from {name_of_site(origin, self.names)} (this database "
            f"has them up to number {held}, the bundle starts at {first}): import the earlier "
            "bundle first, or ask for a full bundle (desta bundle export --all). "
            "Nothing was changed."
        )

    # --- applying ---------------------------------------------------------------------------

    def run(self) -> MergeCounts:
        from desta_tui.services.audit import insert_rows

        changes = self.new_changes()
        self.counts.new = len(changes)
        for change in changes:
            self.pending[change.version.ident] = change
            self.apply(change)
        rows = [self._stored(change) for change in changes]
        insert_rows(SyncChange, CHANGE_COLUMNS, rows)
        insert_rows(AuditLog, HISTORY_COLUMNS, self.history)
        self._after()
        return self.counts

    def _stored(self, change: _Change) -> tuple:
        return self.stored_row(change.data, self.received_at, self.bundle.uuid)

    @staticmethod
    def stored_rows(bundle: Bundle) -> list[tuple]:
        """Every change of a bundle as the log keeps it (a new site taking the hub's log)."""
        received = utc_now()
        return [Merger.stored_row(data, received, bundle.uuid) for data in bundle.changes]

    @staticmethod
    def stored_row(data: dict[str, Any], received_at: datetime, bundle_uuid: str) -> tuple:
        return (data["origin"], int(data["seq"]), data["hlc"], dumps(data.get("seen") or []),
                data["table"], data["uuid"], data.get("field") or "", data["kind"],
                data.get("action") or "", data.get("value"), data.get("old"),
                data.get("old_text"), data.get("new_text"), data.get("label") or "",
                data.get("who") or "", datetime.fromisoformat(data["at"]), received_at,
                bundle_uuid)  # fmt: skip

    def apply(self, change: _Change) -> None:
        data = change.data
        table = synced_table(data["table"])
        if table is None:  # a kind of record this Desta does not keep: passed on as it came
            self.counts.known += 1
            return
        uuid = self.ids.canonical(data["uuid"])
        kind = data["kind"]
        if kind == "create":
            self._create(table, uuid, change)
        elif kind in ("update", "links"):
            self._field(table, uuid, change)
        elif kind == "erase":
            self._erase(table, uuid, change)
        else:
            if self.ids.id_of(table.model, uuid, needed=False) is not None:
                self._history(table, uuid, change, data.get("old_text"), data.get("new_text"))
            self.counts.notes += 1

    def _history(self, table: SyncedTable, uuid: str, change: _Change, old: Any, new: Any,
                 *, field: str | None = None, action: str | None = None) -> None:  # fmt: skip
        data = change.data
        site = name_of_site(data["origin"], self.names)
        self.history.append((
            datetime.fromisoformat(data["at"]), data.get("who") or "", table.name, uuid,
            data.get("label") or "", action or data.get("action") or data["kind"],
            data.get("field") or "" if field is None else field, old, new,
            f"merged from {site} by {self.importer} on {self.on}",
        ))  # fmt: skip

    # creates

    def _create(self, table: SyncedTable, uuid: str, change: _Change) -> None:
        model = table.model
        if self.ids.id_of(model, uuid, needed=False) is not None:
            self.counts.known += 1
            return
        image = loads(change.data["value"]) or {}
        twin = self._same_key(table, uuid, image)
        if twin is not None:
            key, local = twin
            if model is SupportTicket and key == ("reference",):
                image = self._renumber(table, local, uuid, image, change)
            elif self._set_by_create(table, local, key):
                self._merge_twins(table, local, uuid, image, change)
                return
            else:
                image = self._rename_clash(table, local, key, uuid, image, change)
        insert_records(table, [(uuid, image)], self.ids)
        self.creates[(table.name, uuid)] = change
        self.counts.creates += 1
        self.touched.add((table.name, uuid))
        for field_ in table.fields:
            value = image.get(field_.name)
            if value not in (None, "", False, 0) and field_.name != CREATED_FIELD:
                self._history(table, uuid, change, None, self._text(field_, value),
                              field=field_.name, action="create")  # fmt: skip

    def _text(self, model_field, value: Any) -> str:
        if isinstance(model_field, ForeignKeyField):
            key = (model_field.rel_model, value)
            if key not in self.related_labels:
                related = model_field.rel_model.get_or_none(
                    model_field.rel_model.uuid == self.ids.canonical(value)
                )
                self.related_labels[key] = related.display_name() if related else str(value)
            return self.related_labels[key]
        return value_text(model_field.model._meta.table_name, model_field.name, value)

    def _key_values(self, table: SyncedTable, key: tuple[str, ...], image: dict[str, Any]):
        model = table.model
        condition = None
        for name in key:
            model_field = model._meta.fields[name]
            if name == "name_key":
                value = normalise_name(image.get("name") or "")
            elif isinstance(model_field, ForeignKeyField):
                value = self.ids.id_of(model_field.rel_model, image.get(name))
            else:
                value = decode(model_field, image.get(name))
            clause = model_field.is_null() if value is None else (model_field == value)
            condition = clause if condition is None else (condition & clause)
        return condition

    def _same_key(self, table: SyncedTable, uuid: str, image: dict[str, Any]):
        """A record here with the same unique key as a new one: (key, record), or None."""
        model = table.model
        for key in table.unique_keys:
            if any(name not in image and name != "name_key" for name in key):
                continue
            condition = self._key_values(table, key, image)
            found = model.select().where(condition & (model.uuid != uuid)).first()
            if found is not None:
                return key, found
        return None

    def _set_by_create(self, table: SyncedTable, record: RecordModel, key: tuple[str, ...]) -> bool:
        """Whether a record's key is as it was created (never edited): the same thing made
        twice. An edited key (a rename) meeting a new record is a clash of names instead."""
        names = ["name" if name == "name_key" else name for name in key]
        return (
            not SyncFieldVersion.select()
            .where(
                (SyncFieldVersion.table_name == table.name)
                & (SyncFieldVersion.record_uuid == record.uuid)
                & SyncFieldVersion.field.in_(names)
            )
            .exists()
        )

    def _create_version(self, table: SyncedTable, uuid: str) -> tuple[Version | None, dict | None]:
        pending = self.creates.get((table.name, uuid))
        if pending is not None:
            return pending.version, loads(pending.data["value"])
        created = (
            SyncChange.select()
            .where((SyncChange.table_name == table.name) & (SyncChange.record_uuid == uuid)
                   & (SyncChange.kind == "create"))
            .order_by(SyncChange.hlc, SyncChange.origin_site)
            .first()
        )  # fmt: skip
        if created is None:
            return None, None
        return version_of(created), loads(created.value)

    def _merge_twins(self, table: SyncedTable, local: RecordModel, uuid: str,
                     image: dict[str, Any], change: _Change) -> None:  # fmt: skip
        """The same thing created here and at another site: one record, under the identity of
        the one created first; fields they disagree on become conflicts."""
        incoming = change.version
        local_version, local_image = self._create_version(table, local.uuid)
        kept = canonical_twin(local_version, incoming)
        if kept is incoming:
            self._rename(table, local.uuid, uuid)
            canonical, other = uuid, local.uuid
        else:
            canonical, other = local.uuid, uuid
        self._alias(table, other, canonical)
        local_image = local_image or {}
        record_id = self.ids.id_of(table.model, canonical)
        current = self.resolver.image(table, read_rows(table, [canonical])[canonical])
        changed: dict[str, Any] = {}
        links: dict[str, list[str]] = {}
        names = [f.name for f in table.changeable] + [link.name for link in table.links]
        for name in names:
            if name not in image or local_image.get(name, current.get(name)) == image[name]:
                continue
            heads = field_heads(table.name, canonical, name)
            if not heads and local_version is not None:
                heads = [local_version]
            after = heads_after(heads, incoming) or tuple(heads)
            store_heads(table.name, canonical, name, after)
            top = holder(after)
            if top.ident == incoming.ident:
                if table.link(name) is not None:
                    links[name] = image[name]
                else:
                    changed[name] = image[name]
        if kept is incoming and CREATED_FIELD in image:
            changed[CREATED_FIELD] = image[CREATED_FIELD]
        if changed:
            update_columns(table, record_id, changed, self.ids)
        for name, uuids in links.items():
            set_links(table.link(name), record_id, uuids or [], self.ids)
        self.creates[(table.name, uuid)] = change
        self.counts.twins += 1
        self.touched.add((table.name, canonical))
        self._history(table, canonical, change, None,
                      f"the same {table.model.record_label} created at "
                      f"{name_of_site(change.data['origin'], self.names)}: merged into one",
                      field="", action="merge")  # fmt: skip
        if table.model is Organisation:
            record = table.model.get_by_id(record_id)
            sides = [self._create_side(local_version, local_image, table, other),
                     self._create_side(incoming, image, table, uuid)]  # fmt: skip
            sides.sort(key=lambda side: (side["hlc"] or "", side["origin"]))
            key = conflict_key("twin", table.name, canonical, "", [v for v in (local_version,
                               incoming) if v is not None])  # fmt: skip
            opened = open_rule_conflict(
                "twin", record, "",
                f"{record.display_name()} was created at two sites; they are now one record. "
                "Check its details and settle it with the details of either.",
                sides, key,
            )  # fmt: skip
            if opened:
                self.counts.conflicts.append(opened)

    def _create_side(self, version: Version | None, image: dict | None, table: SyncedTable,
                     uuid: str) -> dict[str, Any]:  # fmt: skip
        created = (
            SyncChange.select()
            .where((SyncChange.record_uuid == uuid) & (SyncChange.kind == "create"))
            .first()
        )
        pending = self.creates.get((table.name, uuid))
        who = pending.data.get("who") if pending else (created.who if created else "")
        at = pending.data.get("at") if pending else (
            created.at.isoformat(sep=" ") if created else None)  # fmt: skip
        return {"origin": version.origin if version else "", "seq": version.seq if version else 0,
                "hlc": version.hlc if version else "", "who": who, "at": at, "field": "",
                "value": image or {}, "text": (image or {}).get("name") or ""}  # fmt: skip

    def _value_of(self, head: Version, name: str, table: SyncedTable, uuid: str) -> Any:
        pending = self.pending.get(head.ident)
        if pending is not None:
            return pending.value_for(name)
        found = SyncChange.get_or_none(
            (SyncChange.origin_site == head.origin) & (SyncChange.seq == head.seq)
        )
        if found is None:
            return None
        value = loads(found.value)
        return (value or {}).get(name) if found.kind == "create" else value

    def _rename(self, table: SyncedTable, old: str, new: str) -> None:
        """Keep a record held here under another identity (its twin's, created first)."""
        model = table.model
        model.update(uuid=new).where(model.uuid == old).execute()
        AuditLog.update(record_uuid=new).where(
            (AuditLog.table_name == table.name) & (AuditLog.record_uuid == old)
        ).execute()
        for bookkeeping in (SyncFieldVersion, SyncConflict):
            bookkeeping.update(record_uuid=new).where(
                (bookkeeping.table_name == table.name) & (bookkeeping.record_uuid == old)
            ).execute()
        SyncAlias.update(record_uuid=new).where(SyncAlias.record_uuid == old).execute()
        self.ids.forget(model, old)
        if (table.name, old) in self.creates:
            self.creates[(table.name, new)] = self.creates[(table.name, old)]
        self.touched.discard((table.name, old))

    def _alias(self, table: SyncedTable, alias: str, canonical: str) -> None:
        SyncAlias.insert(table_name=table.name, alias_uuid=alias, record_uuid=canonical).execute()
        self.ids.add_alias(alias, canonical)

    def _renumber(self, table: SyncedTable, local: RecordModel, uuid: str,
                  image: dict[str, Any], change: _Change) -> dict[str, Any]:  # fmt: skip
        """A ticket reference given here and at another site: the ticket opened later takes
        its site's own series, and its history keeps the reference it had."""
        local_version, _image = self._create_version(table, local.uuid)
        incoming = change.version
        later_is_incoming = local_version is None or incoming.order_key > local_version.order_key
        loser = incoming if later_is_incoming else local_version
        found = parse_reference(image.get("reference"))
        number = found.number if found else 1
        new_reference = format_reference(number, self._prefix(loser.origin))
        old_reference = image.get("reference")
        if later_is_incoming:
            image = {**image, "reference": new_reference}
            target = uuid
        else:
            SupportTicket.update(reference=new_reference).where(
                SupportTicket.id == local.id
            ).execute()
            target = local.uuid
        self.counts.renumbered += 1
        self.history.append((
            utc_now(), self.importer, table.name, target, f"ticket {old_reference}", "renumber",
            "reference", old_reference, new_reference,
            f"given at two sites: renumbered by {self.importer} on {self.on}",
        ))  # fmt: skip
        return image

    def _prefix(self, origin: str) -> str:
        from desta_tui.db.models import SyncPeer

        if origin == self.me and self.site.ticket_prefix:
            return self.site.ticket_prefix
        peer = SyncPeer.get_or_none(SyncPeer.site_uuid == origin)
        manifest_sites = self.bundle.manifest.get("sites", {})
        prefix = (peer.ticket_prefix if peer else "") or manifest_sites.get(origin, {}).get(
            "ticket_prefix", "")  # fmt: skip
        return prefix or default_ticket_prefix(origin)

    def _rename_clash(
        self,
        table: SyncedTable,
        local: RecordModel,
        key: tuple[str, ...],
        uuid: str,
        image: dict[str, Any],
        change: _Change,
    ) -> dict[str, Any]:
        """A name given to a new record here and by a rename there (or the other way round):
        the later of the two keeps the name with its site's mark, for a person to settle."""
        name = "name" if key == ("name_key",) else key[0]
        local_heads = field_heads(table.name, local.uuid, name)
        local_version = holder(local_heads) if local_heads else None
        incoming = change.version
        later_is_incoming = local_version is None or incoming.order_key > local_version.order_key
        loser = incoming if later_is_incoming else local_version
        value = image.get(name) if later_is_incoming else getattr(local, name)
        marked = f"{value} [{name_of_site(loser.origin, self.names)}]"
        if later_is_incoming:
            image = {**image, name: marked}
        else:
            update_columns(table, local.id, {name: marked}, self.ids)
        self.clashes.append((table, uuid if later_is_incoming else local.uuid, name, value,
                             marked, loser))  # fmt: skip
        return image

    # fields

    def _erasure_of(self, table: SyncedTable, uuid: str) -> list[Version]:
        """The erasures of a record (held here, or earlier in this bundle)."""
        if "erased_at" not in table.field_names:
            return []
        key = (table.name, uuid)
        if key not in self.erasures:
            query = SyncChange.select().where(
                (SyncChange.table_name == table.name) & (SyncChange.record_uuid == uuid)
                & (SyncChange.kind == "erase")
            )  # fmt: skip
            self.erasures[key] = [version_of(row) for row in query]
        return self.erasures[key]

    def _field(self, table: SyncedTable, uuid: str, change: _Change) -> None:
        data = change.data
        name = data.get("field") or ""
        link = table.link(name)
        if link is None and (name not in table.field_names or name == CREATED_FIELD):
            self.counts.known += 1
            return
        record_id = self.ids.id_of(table.model, uuid)
        erasures = self._erasure_of(table, uuid)
        if any(erasure_wins(erasure, change.version) for erasure in erasures):
            self.counts.erased_over += 1
            self.erased.add((table.name, uuid))
            return
        heads = field_heads(table.name, uuid, name)
        values = {head.ident: self._value_of(head, name, table, uuid) for head in heads}
        values[change.version.ident] = change.value_for(name)
        before = holder(heads) if heads else None
        decision = decide_field(
            heads, change.version, values, field_name=name, notes_newest_wins=self.newest_notes
        )
        if decision.outcome is Outcome.STALE:
            self.counts.known += 1
            return
        store_heads(table.name, uuid, name, decision.heads)
        top = decision.holder
        if before is None or top.ident != before.ident:
            value = values[top.ident]
            if link is not None:
                set_links(link, record_id, value or [], self.ids)
            else:
                value = self._unclash(table, uuid, record_id, name, value, top)
                update_columns(table, record_id, {name: value}, self.ids)
            if top.ident == change.version.ident and name == ARCHIVED_FIELD:
                if value is None:
                    self.counts.restores += 1
                else:
                    self.counts.archives += 1
            else:
                self.counts.updates += 1
        else:
            self.counts.updates += 1
        self.touched.add((table.name, uuid))
        self._history(table, uuid, change, data.get("old_text"), data.get("new_text"))

    def _unclash(self, table: SyncedTable, uuid: str, record_id: int, name: str, value: Any,
                 version: Version) -> Any:  # fmt: skip
        """A rename to a name another record here holds: the later of the two names carries
        its site's mark, for a person to settle."""
        for key in table.unique_keys:
            key_names = ["name" if item == "name_key" else item for item in key]
            if key_names != [name] or value is None:
                continue
            image = {name: value}
            condition = self._key_values(table, key, image)
            other = table.model.select().where(condition & (table.model.id != record_id)).first()
            if other is None:
                continue
            other_heads = field_heads(table.name, other.uuid, name)
            other_version = holder(other_heads) if other_heads else None
            if other_version is None:
                other_version, _image = self._create_version(table, other.uuid)
            if other_version is not None and version.order_key < other_version.order_key:
                marked = f"{value} [{name_of_site(other_version.origin, self.names)}]"
                update_columns(table, other.id, {name: marked}, self.ids)
                self.clashes.append((table, other.uuid, name, value, marked, other_version))
                return value
            marked = f"{value} [{name_of_site(version.origin, self.names)}]"
            self.clashes.append((table, uuid, name, value, marked, version))
            return marked
        return value

    # erasure

    def _erase(self, table: SyncedTable, uuid: str, change: _Change) -> None:
        from desta_tui.services.personal_data import blank_personal_data

        record = table.model.get_or_none(table.model.uuid == uuid)
        if record is None:
            raise BundleError(
                f"The bundle erases a {table.model.record_label} this database does not have "
                f"({uuid[:8]}). Nothing was changed."
            )
        tombstone = loads(change.data["value"]) or {}
        erased_at = datetime.fromisoformat(tombstone["erased_at"])
        archived = tombstone.get(ARCHIVED_FIELD)
        archived_at = datetime.fromisoformat(archived) if archived else erased_at
        others = [v for v in self._erasure_of(table, uuid) if v.ident != change.version.ident]
        self.erasures[(table.name, uuid)] = [*others, change.version]
        if record.erased_at is None or all(
            change.version.order_key > other.order_key for other in others
        ):
            if isinstance(record, Contact):
                blank_personal_data(record, erased_at, archived_at)
            self.counts.erasures += 1
        self.erased.add((table.name, uuid))
        self.touched.add((table.name, uuid))
        self._history(table, uuid, change, None, format_uk_date(erased_at.date()))

    # afterwards

    def _after(self) -> None:
        from desta_tui.services.search_index import refresh_search_texts
        from desta_tui.services.sync import recheck
        from desta_tui.services.sync.conflicts import refresh_conflicts
        from desta_tui.services.sync.erasure import scrub_logged

        for table_name, uuid in sorted(self.erased):
            scrub_logged(table_name, uuid)
        self.counts.conflicts += refresh_conflicts(self.touched)
        self.counts.conflicts += self._open_clashes()
        self.counts.conflicts += recheck.recheck(self.touched)
        organisations = {uuid for table_name, uuid in self.touched if table_name == "organisation"}
        contacts = [uuid for table_name, uuid in self.touched if table_name == "contact"]
        if contacts:
            organisations |= {
                uuid for (uuid,) in Organisation.select(Organisation.uuid)
                .join(Contact).where(Contact.uuid.in_(contacts)).tuples()
            }  # fmt: skip
        if organisations:
            refresh_search_texts(
                list(Organisation.select().where(Organisation.uuid.in_(sorted(organisations))))
            )
        newest = max((change.version.hlc for change in self.pending.values()), default="")
        site_clock = clock.decode(self.site.hlc) if self.site.hlc else clock.ZERO
        if newest:
            site_clock = clock.receive(site_clock, clock.decode(newest), int(time.time() * 1000))
        held = dict(self.held)
        held.pop(self.me, None)
        for change in self.pending.values():
            origin, seq = change.version.ident
            held[origin] = max(held.get(origin, 0), seq)
        SyncSite.update(hlc=clock.encode(site_clock), held=json.dumps(held, sort_keys=True)).where(
            SyncSite.id == self.site.id
        ).execute()

    def _open_clashes(self) -> list[int]:
        opened = []
        for table, uuid, name, wanted, marked, version in self.clashes:
            record = table.model.get_or_none(table.model.uuid == uuid)
            if record is None:
                continue
            side = {"origin": version.origin, "seq": version.seq, "hlc": version.hlc, "who": "",
                    "at": None, "field": name, "value": wanted}  # fmt: skip
            found = open_rule_conflict(
                "unique", record, name,
                f"{wanted!r} was given to two {table.model.record_label}s at two sites: this one "
                f"is called {marked!r} until a person renames one of them.",
                [side, {**side, "value": marked}],
                conflict_key("unique", table.name, uuid, name, [version]),
            )  # fmt: skip
            if found:
                opened.append(found)
        return opened


def merge_bundle(bundle: Bundle, importer: str) -> MergeCounts:
    """Apply a bundle's changes here (inside the caller's transaction)."""
    from desta_tui.services.sync.log import paused

    merger = Merger(bundle, importer)
    with paused():
        return merger.run()


__all__ = ["MergeCounts", "Merger", "merge_bundle", "parse_seen"]
