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
    SupportTicket,
    SyncChange,
    SyncSite,
    utc_now,
)
from desta_tui.domain import clock
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import BundleError
from desta_tui.domain.sync import (
    Outcome,
    Version,
    decide_field,
    erasure_wins,
    gaps,
    holder,
)
from desta_tui.services.sync.bundle_file import Bundle
from desta_tui.services.sync.conflicts import notes_newest_wins, value_text
from desta_tui.services.sync.identity import (
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
    dumps,
    loads,
    synced_table,
)
from desta_tui.services.sync.twins import SameThingTwice
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


class IncomingChange:
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


class Merger(SameThingTwice):
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
        self.pending: dict[tuple[str, int], IncomingChange] = {}
        self.creates: dict[tuple[str, str], IncomingChange] = {}
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
        #: what names the people this bundle erased (their names, emails, phones)
        self.needles: dict[str, str] = {}

    # --- which changes are new ------------------------------------------------------------

    def new_changes(self) -> list[IncomingChange]:
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
            new.append(IncomingChange(data))
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

    def _stored(self, change: IncomingChange) -> tuple:
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

    def apply(self, change: IncomingChange) -> None:
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

    def _history(self, table: SyncedTable, uuid: str, change: IncomingChange, old: Any, new: Any,
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

    def _create(self, table: SyncedTable, uuid: str, change: IncomingChange) -> None:
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

    def _field(self, table: SyncedTable, uuid: str, change: IncomingChange) -> None:
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
        store_heads(table.name, uuid, name, decision.heads, had_heads=bool(heads))
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

    # erasure

    def _erase(self, table: SyncedTable, uuid: str, change: IncomingChange) -> None:
        from desta_tui.services.personal_data import blank_personal_data
        from desta_tui.services.sync.erasure import scrub_person

        record = table.model.get_or_none(table.model.uuid == uuid)
        if record is None:
            raise BundleError(
                f"The bundle erases a {table.model.record_label} this database does not have "
                f"({uuid}). Nothing was changed."
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
                self.needles.update(scrub_person(record))
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
        from desta_tui.services.sync.erasure import scrub_logged, scrub_mentions

        for table_name, uuid in sorted(self.erased):
            scrub_logged(table_name, uuid)
        scrub_mentions(self.needles)  # the bundle's own changes naming a person it erased
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


def merge_bundle(bundle: Bundle, importer: str) -> MergeCounts:
    """Apply a bundle's changes here (inside the caller's transaction)."""
    from desta_tui.services.sync.log import paused

    merger = Merger(bundle, importer)
    with paused():
        return merger.run()


__all__ = ["MergeCounts", "Merger", "merge_bundle", "parse_seen"]
