"""Writing a bundle for the other sites and importing one: the steps around the file and the
merge (which hub, which schema, what the other sites hold, a backup, all or nothing)."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desta_tui.db.database import current_database, db
from desta_tui.db.models import (
    SyncBundle,
    SyncChange,
    SyncPeer,
    SyncSite,
    random_uuid,
    utc_now,
)
from desta_tui.db.upgrade import latest_version
from desta_tui.domain import clock
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import BundleError
from desta_tui.domain.sync import export_floors, merge_known
from desta_tui.services.sync.bundle_file import (
    FIRST_SYNC_SCHEMA,
    SUFFIX,
    Bundle,
    read_bundle,
    write_bundle,
)
from desta_tui.services.sync.identity import (
    FULL_BUNDLE_PREFIX,
    default_ticket_prefix,
    held_of,
    site_label,
    this_site,
)
from desta_tui.services.sync.tables import loads, synced_tables


@dataclass(frozen=True)
class ExportResult:
    """A bundle written: where, how many changes, whether it is a full one."""

    path: Path
    bundle_uuid: str
    changes: int
    is_full: bool
    records: int
    site_name: str


@dataclass(frozen=True)
class BundleSummary:
    """What a bundle says about itself, read without applying it."""

    path: Path
    bundle_uuid: str
    hub_uuid: str
    hub_name: str
    site_uuid: str
    site_name: str
    made_at: datetime
    made_by: str
    schema: int
    is_full: bool
    changes: int
    records: int
    imported_at: datetime | None

    def lines(self) -> list[str]:
        kind = "A full bundle" if self.is_full else "A bundle"
        lines = [
            f"{kind} from {site_label(self.site_uuid, self.site_name)} of the hub "
            f"{self.hub_name or self.hub_uuid[:8]}, written by {self.made_by} on "
            f"{self.made_at:%d/%m/%Y at %H:%M} (schema {self.schema}).",
            f"It holds {self.changes} change{'s' if self.changes != 1 else ''}"
            + (f" and {self.records} records" if self.is_full else "")
            + ".",
        ]
        if self.imported_at is not None:
            lines.append(f"It was imported here on {self.imported_at:%d/%m/%Y at %H:%M}.")
        lines.append("Its checksum is correct.")
        return lines


@dataclass(frozen=True)
class ImportReport:
    """What importing a bundle did (or, with a dry run, would do)."""

    bundle_uuid: str
    from_site: str
    made_by: str
    made_at: datetime
    is_full: bool
    dry_run: bool
    already_imported: datetime | None = None
    joined_hub: str = ""
    records_loaded: int = 0
    received: int = 0
    new: int = 0
    creates: int = 0
    updates: int = 0
    archives: int = 0
    restores: int = 0
    erasures: int = 0
    notes: int = 0
    known: int = 0
    erased_over: int = 0
    twins: int = 0
    renumbered: int = 0
    conflicts: tuple[Any, ...] = ()
    backup: Path | None = None

    def lines(self) -> list[str]:
        if self.already_imported is not None:
            return [
                f"This bundle from {self.from_site} was imported here on "
                f"{self.already_imported:%d/%m/%Y at %H:%M}: nothing to do."
            ]
        verb = "would" if self.dry_run else "did"
        lines = []
        if self.joined_hub:
            lines.append(
                f"This database {'would join' if self.dry_run else 'joined'} the hub "
                f"{self.joined_hub}: {self.records_loaded} records from {self.from_site}."
            )
        if not self.new and not self.joined_hub:
            lines.append(f"Nothing new from {self.from_site}: every change in it is here already.")
        elif self.new:
            lines.append(
                f"{self.new} new change{'s' if self.new != 1 else ''} from {self.from_site} "
                f"({self.received} in the bundle). It {verb}:"
            )
            for count, words in (
                (self.creates, "create {} record{}"),
                (self.updates, "update {} field{}"),
                (self.archives, "archive {} record{}"),
                (self.restores, "restore {} record{}"),
                (self.erasures, "erase {} person{}"),
                (self.twins, "merge {} record{} created at both sites"),
                (self.renumbered, "renumber {} ticket{} given the same reference"),
                (self.notes, "add {} history note{}"),
                (self.known, "pass over {} change{} already replaced here"),
                (self.erased_over, "pass over {} edit{} of an erased person"),
            ):
                if count:
                    lines.append("  " + words.format(count, "" if count == 1 else "s"))
        if self.conflicts:
            count = len(self.conflicts)
            wait = "would wait" if self.dry_run else ("waits" if count == 1 else "wait")
            lines.append(
                f"{count} conflict{'s' if count != 1 else ''} {wait} for a person "
                "(desta conflicts):"
            )
            for conflict in self.conflicts:
                lines.append(f"  {_conflict_line(conflict)}")
        if self.backup is not None:
            lines.append(f"The database was backed up first to {self.backup}.")
        if self.dry_run:
            lines.append("Nothing was changed (dry run).")
        return lines


def _conflict_line(conflict) -> str:
    where = f"{conflict.record_kind} {conflict.record_label}"
    if conflict.kind in ("field", "archive"):
        return (
            f"#{conflict.id} {where}, {conflict.field_label}: {conflict.local.text} here, "
            f"{conflict.incoming.text} from {conflict.incoming.site_name}"
        )
    return f"#{conflict.id} {where}: {conflict.detail or conflict.kind_label}"


# --- export ---------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "site"


def default_bundle_path(site_name: str, full: bool) -> Path:
    from desta_tui.paths import documents_dir

    stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
    kind = "full-" if full else ""
    return documents_dir() / f"desta-{kind}{_slug(site_name)}-{stamp}{SUFFIX}"


def _change_data(change: SyncChange) -> dict[str, Any]:
    return {
        "origin": change.origin_site,
        "seq": int(change.seq),
        "hlc": change.hlc,
        "seen": json.loads(change.seen or "[]"),
        "table": change.table_name,
        "uuid": change.record_uuid,
        "field": change.field,
        "kind": change.kind,
        "action": change.action,
        "value": change.value,
        "old": change.old_value,
        "old_text": change.old_text,
        "new_text": change.new_text,
        "label": change.record_label,
        "who": change.who,
        "at": change.at.isoformat(sep=" "),
    }


def _known_sites(site: SyncSite) -> dict[str, dict[str, str]]:
    sites = {
        peer.site_uuid: {"name": peer.site_name, "ticket_prefix": peer.ticket_prefix}
        for peer in SyncPeer.select()
        if not peer.site_uuid.startswith(FULL_BUNDLE_PREFIX)
    }
    sites[site.site_uuid] = {"name": site.site_name, "ticket_prefix": site.ticket_prefix}
    return sites


def export_bundle(path: Path | str | None = None, *, full: bool = False) -> ExportResult:
    """Write the changes the other sites are not known to hold (from the last bundle each
    sent here) into one bundle file; `full` writes every record and every change, for a new
    laptop to start from or a site that missed bundles."""
    from desta_tui.services.context import current_user
    from desta_tui.services.sync.snapshot import snapshot_counts, take_snapshot

    with db.atomic():
        site = this_site()
        if not site.hub_name:
            from desta_tui.services.settings import get_setting

            hub_name = str(get_setting("hub_name", "") or "")
            if hub_name:
                SyncSite.update(hub_name=hub_name).where(SyncSite.id == site.id).execute()
                site = this_site()
        held = held_of(site)
        snapshot = None
        query = SyncChange.select().order_by(SyncChange.origin_site, SyncChange.seq)
        if full:
            snapshot = take_snapshot()
        else:
            peers = [json.loads(peer.known or "{}") for peer in SyncPeer.select().where(
                SyncPeer.is_peer)]  # fmt: skip
            if not peers:
                raise BundleError(
                    "No other site is known yet, so there is nothing to send a part of: a new "
                    "laptop starts from a full bundle (desta bundle export --all)."
                )
            floors = export_floors(peers, held)
            clauses = [
                (SyncChange.origin_site == origin) & (SyncChange.seq > floor)
                for origin, floor in floors.items()
            ]
            if not clauses:
                query = query.where(SyncChange.id < 0)
            else:
                condition = clauses[0]
                for clause in clauses[1:]:
                    condition = condition | clause
                query = query.where(condition)
        changes = [_change_data(change) for change in query]
        bundle_uuid = random_uuid()
        made_at = utc_now()
        who = current_user()
        manifest = {
            "bundle_uuid": bundle_uuid,
            "hub_uuid": site.hub_uuid,
            "hub_name": site.hub_name,
            "site_uuid": site.site_uuid,
            "site_name": site.site_name,
            "ticket_prefix": site.ticket_prefix,
            "joined_from": site.joined_from,
            "schema": latest_version(),
            "schema_range": [FIRST_SYNC_SCHEMA, latest_version()],
            "made_at": made_at.isoformat(sep=" "),
            "made_by": who,
            "is_full": full,
            "held": held,
            "sites": _known_sites(site),
            "changes": len(changes),
            "records": sum(snapshot_counts(snapshot).values()) if snapshot else 0,
        }
        target = Path(path).expanduser() if path else default_bundle_path(site.site_name, full)
        if target.is_dir():
            target = target / default_bundle_path(site.site_name, full).name
        digest = write_bundle(target, manifest, changes, snapshot)
        if full:
            # a site that starts from this bundle holds what it held, until it sends one back
            SyncPeer.create(site_uuid=f"{FULL_BUNDLE_PREFIX}{bundle_uuid}",
                            site_name=f"full bundle of {format_uk_date(made_at.date())}",
                            known=json.dumps(held), is_peer=True, ticket_prefix="")  # fmt: skip
        SyncBundle.create(
            bundle_uuid=bundle_uuid, direction="out", site_uuid=site.site_uuid,
            site_name=site.site_name, made_at=made_at, made_by=who, handled_at=made_at,
            handled_by=who, sha256=digest, is_full=full, changes=len(changes),
        )  # fmt: skip
    return ExportResult(target, bundle_uuid, len(changes), full, manifest["records"],
                        site_label(site.site_uuid, site.site_name))  # fmt: skip


# --- reading one ----------------------------------------------------------------------------


def describe_bundle(path: Path | str) -> BundleSummary:
    """What a bundle holds, checked, without applying it (the open database, if any, says
    whether it was imported already)."""
    bundle = read_bundle(path)
    manifest = bundle.manifest
    imported = None
    if db.obj is not None:
        row = SyncBundle.get_or_none(
            (SyncBundle.bundle_uuid == bundle.uuid) & (SyncBundle.direction == "in")
        )
        imported = row.handled_at if row else None
    return BundleSummary(
        path=bundle.path,
        bundle_uuid=bundle.uuid,
        hub_uuid=manifest.get("hub_uuid", ""),
        hub_name=manifest.get("hub_name", ""),
        site_uuid=manifest.get("site_uuid", ""),
        site_name=manifest.get("site_name", ""),
        made_at=datetime.fromisoformat(manifest["made_at"]),
        made_by=manifest.get("made_by", ""),
        schema=int(manifest.get("schema", 0)),
        is_full=bundle.is_full,
        changes=len(bundle.changes),
        records=int(manifest.get("records", 0)),
        imported_at=imported,
    )


# --- import ---------------------------------------------------------------------------------


def is_full_bundle(path: Path | str) -> bool:
    """Whether a bundle (checked) is a full one, that a new database may start from."""
    return read_bundle(path, changes=False).is_full


def _backup(database: Path, bundle: Bundle) -> Path:
    """A checked copy of the database before a bundle is applied (named by time and bundle)."""
    from desta_tui.db.backup import timestamped_name
    from desta_tui.services.backup import backup_database, backups_folder

    name = timestamped_name(database, f"before-bundle-{bundle.uuid[:8]}").name
    target = backups_folder(database) / name
    if target.exists():  # a second try within the same second: that copy is as good
        return target
    return backup_database(target).path


class _DryRun(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__("dry run")
        self.report = report


def _check_schema(bundle: Bundle) -> None:
    schema = int(bundle.manifest.get("schema", 0))
    latest = latest_version()
    if schema > latest:
        raise BundleError(
            f"{bundle.path.name} was written by a newer Desta (schema {schema}; this one knows "
            f"up to {latest}): upgrade Desta here first. Nothing was changed."
        )
    if schema < FIRST_SYNC_SCHEMA:
        raise BundleError(f"{bundle.path.name} is not a Desta bundle. Nothing was changed.")


def _is_empty() -> bool:
    """No records and no changes: a new database a full bundle may fill."""
    if SyncChange.select().exists():
        return False
    return not any(table.model.select().exists() for table in synced_tables().values())


def import_bundle(path: Path | str, *, dry_run: bool = False, backup: bool = True) -> ImportReport:
    """Check a bundle, back the database up (SQLite), and apply the bundle all or nothing.

    A bundle of another hub, a newer schema, a damaged or altered file is refused with a
    sentence and nothing changes; the same bundle twice is a no-op that says so. A full bundle
    imported into a new, empty database makes it a site of that hub.
    """
    from desta_tui.services.context import current_user

    bundle = read_bundle(path)
    _check_schema(bundle)
    manifest = bundle.manifest
    site = this_site()
    from_site = site_label(manifest.get("site_uuid", ""), manifest.get("site_name", ""))
    base = {
        "bundle_uuid": bundle.uuid,
        "from_site": from_site,
        "made_by": manifest.get("made_by", ""),
        "made_at": datetime.fromisoformat(manifest["made_at"]),
        "is_full": bundle.is_full,
        "dry_run": dry_run,
    }
    done = SyncBundle.get_or_none(
        (SyncBundle.bundle_uuid == bundle.uuid) & (SyncBundle.direction == "in")
    )
    if done is not None:
        return ImportReport(**base, already_imported=done.handled_at)
    if manifest.get("site_uuid") == site.site_uuid:
        raise BundleError(f"{bundle.path.name} was written here: import it at another site.")
    joining = manifest.get("hub_uuid") != site.hub_uuid
    if joining and (not bundle.is_full or not _is_empty()):
        hub = manifest.get("hub_name") or manifest.get("hub_uuid", "")[:8]
        mine = site.hub_name or site.hub_uuid[:8]
        advice = "" if bundle.is_full else (
            " A new laptop starts from a full bundle (desta bundle export --all) imported "
            "into a new database.")  # fmt: skip
        raise BundleError(
            f"{bundle.path.name} is for another hub ({hub}); this database belongs to "
            f"{mine}. Nothing was changed.{advice}"
        )
    backup_path = None
    info = current_database()
    if backup and not dry_run and info is not None and info.kind == "sqlite" and not joining:
        backup_path = _backup(info.path, bundle)
    who = current_user()
    try:
        with db.atomic():
            report = _apply(bundle, site, who, base, joining=joining)
            report = ImportReport(**{**report.__dict__, "backup": backup_path})
            if dry_run:
                raise _DryRun(report)
    except _DryRun as done_dry:
        return done_dry.report
    return report


def _apply(bundle: Bundle, site: SyncSite, who: str, base: dict[str, Any], *,
           joining: bool) -> ImportReport:  # fmt: skip
    from desta_tui.services.sync.conflicts import get_conflict
    from desta_tui.services.sync.log import paused
    from desta_tui.services.sync.merge import MergeCounts, merge_bundle
    from desta_tui.services.sync.snapshot import load_snapshot

    manifest = bundle.manifest
    records = 0
    joined = ""
    if joining:
        with paused():
            records = load_snapshot(bundle.snapshot or {"tables": {}})
            _join(site, manifest, bundle)
        joined = manifest.get("hub_name") or manifest.get("hub_uuid", "")[:8]
        counts = MergeCounts(received=len(bundle.changes))
    else:
        counts = merge_bundle(bundle, who)
    _remember_sender(manifest)
    now = utc_now()
    SyncBundle.create(
        bundle_uuid=bundle.uuid, direction="in", site_uuid=manifest.get("site_uuid", ""),
        site_name=manifest.get("site_name", ""), made_at=datetime.fromisoformat(
            manifest["made_at"]), made_by=manifest.get("made_by", ""), handled_at=now,
        handled_by=who, sha256=manifest.get("sha256", ""), is_full=bundle.is_full,
        changes=len(bundle.changes), applied=counts.new, conflicts=len(counts.conflicts),
    )  # fmt: skip
    values = {name: getattr(counts, name) for name in MergeCounts.__dataclass_fields__}
    values["conflicts"] = tuple(get_conflict(found) for found in sorted(set(counts.conflicts)))
    return ImportReport(**base, joined_hub=joined, records_loaded=records, **values)


def _join(site: SyncSite, manifest: dict[str, Any], bundle: Bundle) -> None:
    """This new database becomes a site of the bundle's hub: it holds what the bundle's site
    held (the snapshot), and keeps the hub's change log to pass on."""
    from desta_tui.services.audit import insert_rows
    from desta_tui.services.sync.log import CHANGE_COLUMNS
    from desta_tui.services.sync.merge import Merger

    held = {origin: int(seq) for origin, seq in manifest.get("held", {}).items()}
    held.pop(site.site_uuid, None)
    newest = max((change["hlc"] for change in bundle.changes), default="")
    stamp = clock.encode(clock.receive(clock.ZERO, clock.decode(newest), int(time.time() * 1000))
                         ) if newest else ""  # fmt: skip
    SyncSite.update(
        hub_uuid=manifest["hub_uuid"],
        hub_name=manifest.get("hub_name", ""),
        joined_from=bundle.uuid,
        joined_at=utc_now(),
        ticket_prefix=site.ticket_prefix or default_ticket_prefix(site.site_uuid),
        held=json.dumps(held, sort_keys=True),
        hlc=stamp,
    ).where(SyncSite.id == site.id).execute()
    rows = Merger.stored_rows(bundle)
    insert_rows(SyncChange, CHANGE_COLUMNS, rows)


def _remember_sender(manifest: dict[str, Any]) -> None:
    """The sending site, what it holds (what bundles written here must still carry for it),
    and the names of the sites it knows."""
    from desta_tui.services.sync.identity import remember_site

    me = this_site().site_uuid
    for uuid, info in manifest.get("sites", {}).items():
        if uuid != me:
            remember_site(uuid, info.get("name", ""), info.get("ticket_prefix", ""))
    sender = manifest.get("site_uuid", "")
    peer = SyncPeer.get_or_none(SyncPeer.site_uuid == sender)
    known = merge_known(loads(peer.known) if peer else {}, manifest.get("held", {}))
    SyncPeer.update(
        known=json.dumps(known, sort_keys=True), is_peer=True, last_bundle_at=utc_now()
    ).where(SyncPeer.site_uuid == sender).execute()
    # a full bundle written here keeps standing for the sites that started from it and have
    # not written back yet: any number of laptops may start from one
