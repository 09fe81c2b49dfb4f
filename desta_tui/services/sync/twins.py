"""The same thing made at two sites: a record created twice (one record, its differences
conflicts), a ticket reference given twice (the later renumbered), a name given twice (the
later marked, for a person to settle). A part of the merge (merge.py's Merger)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peewee import ForeignKeyField

from desta_tui.db.models import (
    AuditLog,
    Organisation,
    RecordModel,
    SupportTicket,
    SyncAlias,
    SyncChange,
    SyncConflict,
    SyncFieldVersion,
    utc_now,
)
from desta_tui.domain.sync import Version, canonical_twin, conflict_key, heads_after, holder
from desta_tui.domain.tickets import format_reference, parse_reference
from desta_tui.domain.validation import normalise_name
from desta_tui.services.sync.conflicts import open_rule_conflict
from desta_tui.services.sync.identity import default_ticket_prefix, name_of_site
from desta_tui.services.sync.tables import (
    CREATED_FIELD,
    SyncedTable,
    decode,
    loads,
    read_rows,
)
from desta_tui.services.sync.versions import field_heads, store_heads, version_of
from desta_tui.services.sync.writing import set_links, update_columns

if TYPE_CHECKING:
    from desta_tui.services.sync.merge import IncomingChange


class SameThingTwice:
    """What the merge does when a change meets something made apart at another site under
    the same unique key. Mixed into the Merger, whose state it shares."""

    def _key_values(self, table: SyncedTable, key: tuple[str, ...], image: dict[str, Any]):
        """The columns of a unique key and the values a record's image gives them (relations
        as the ids held here)."""
        model = table.model
        found = []
        for name in key:
            model_field = model._meta.fields[name]
            if name == "name_key":
                value = normalise_name(image.get("name") or "")
            elif isinstance(model_field, ForeignKeyField):
                value = self.ids.id_of(model_field.rel_model, image.get(name))
            else:
                value = model_field.db_value(decode(model_field, image.get(name)))
            found.append((model_field.column_name, value))
        return found

    def _holder_of_key(self, table: SyncedTable, key: tuple[str, ...], image: dict[str, Any],
                       other_than: int | str) -> int | None:  # fmt: skip
        """The id of the record here (other than `other_than`, an id or uuid) holding the key
        values `image` gives: plain SQL, asked for every record a bundle creates."""
        model = table.model
        database = model._meta.database
        opening, closing = database.quote
        clauses, params = [], []
        for column, value in self._key_values(table, key, image):
            if value is None:
                clauses.append(f"{opening}{column}{closing} IS NULL")
            else:
                clauses.append(f"{opening}{column}{closing} = {database.param}")
                params.append(value)
        other = "id" if isinstance(other_than, int) else "uuid"
        clauses.append(f"{other} <> {database.param}")
        params.append(other_than)
        table_sql = f"{opening}{model._meta.table_name}{closing}"
        sql = f"SELECT id FROM {table_sql} WHERE {' AND '.join(clauses)} LIMIT 1"
        row = database.execute_sql(sql, params).fetchone()
        return row[0] if row else None

    def _same_key(self, table: SyncedTable, uuid: str, image: dict[str, Any]):
        """A record here with the same unique key as a new one: (key, record), or None."""
        model = table.model
        for key in table.unique_keys:
            if any(name not in image and name != "name_key" for name in key):
                continue
            found = self._holder_of_key(table, key, image, uuid)
            if found is not None:
                return key, model.get_by_id(found)
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
                     image: dict[str, Any], change: IncomingChange) -> None:  # fmt: skip
        """The same thing created here and at another site: one record, under the identity of
        the one created first; fields they disagree on become conflicts."""
        incoming = change.version
        local_uuid = local.uuid  # the local record's own, before a rename to the other's
        local_version, local_image = self._create_version(table, local_uuid)
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
            # each side with its own creation (who and when): the local record's is its own
            # uuid's, whichever of the two is kept
            sides = [self._create_side(local_version, local_image, table, local_uuid),
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
                  image: dict[str, Any], change: IncomingChange) -> dict[str, Any]:  # fmt: skip
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
        change: IncomingChange,
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

    def _unclash(self, table: SyncedTable, uuid: str, record_id: int, name: str, value: Any,
                 version: Version) -> Any:  # fmt: skip
        """A rename to a name another record here holds: the later of the two names carries
        its site's mark, for a person to settle."""
        for key in table.unique_keys:
            key_names = ["name" if item == "name_key" else item for item in key]
            if key_names != [name] or value is None:
                continue
            found = self._holder_of_key(table, key, {name: value}, record_id)
            if found is None:
                continue
            other = table.model.get_by_id(found)
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
