"""Conflicts kept for a person: listing them, the dashboard count, and settling one.

A conflict is worked out from the field versions, so two sites that hold the same changes hold
the same conflicts (the same key, the same sides). Settling one is a change like any other: it
travels, and at every site its field then has one version again and the conflict closes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import BooleanField, DateField, ForeignKeyField, IntegerField, fn

from desta_tui.db.database import db
from desta_tui.db.models import RecordModel, SyncConflict, SyncFieldVersion, utc_now
from desta_tui.domain.dates import format_uk_date, parse_uk_date
from desta_tui.domain.errors import SyncConflictError, ValidationError
from desta_tui.domain.money import format_money, parse_money
from desta_tui.domain.sync import (
    archive_clashes,
    conflict_key,
    holder,
    is_conflicted,
)
from desta_tui.services.sync import log as change_log
from desta_tui.services.sync.identity import name_of_site, site_names, this_site

# re-exported: it lives apart, so the dashboard's start loads it without the rest
from desta_tui.services.sync.open_conflicts import conflict_count  # noqa: F401
from desta_tui.services.sync.tables import ARCHIVED_FIELD, CHUNK, decode, dumps, synced_table
from desta_tui.services.sync.versions import changes_by_ident, heads_of, value_in

#: a setting: concurrent edits of notes fields are settled by the newest (off by default)
NOTES_SETTING = "sync_notes_newest_wins"
#: kinds worked out from the field versions (the rest come from the re-checked rules)
VERSION_KINDS = ("field", "archive")
KIND_LABELS = {
    "field": "Changed at two sites",
    "archive": "Archived at one site, changed at another",
    "twin": "Created at two sites",
    "allocation": "Allocations over the contract value",
    "role": "Two partners in a one-partner role",
    "returns": "A return that breaks the returns rules",
    "locked": "A return changed after its month was locked",
    "gate": "A partner without the papers the compliance gate needs",
    "ticket_reference": "A ticket reference given at two sites",
    "unique": "A name given at two sites",
}


@dataclass(frozen=True)
class ConflictSide:
    """One side of a conflict: the change, who made it where and when, and its value."""

    site_uuid: str
    site_name: str
    who: str
    at: datetime | None
    field: str
    value: Any
    text: str
    #: made at (or, for a change from elsewhere, first held at) this site
    is_local: bool
    #: the value the record holds while the conflict is open
    is_held: bool


@dataclass(frozen=True)
class ConflictView:
    """A conflict as the Conflicts screen and `desta conflicts` show it."""

    id: int
    key: str
    kind: str
    kind_label: str
    table_name: str
    record_uuid: str
    record_label: str
    record_kind: str
    field: str
    field_label: str
    detail: str
    local: ConflictSide
    incoming: ConflictSide
    opened_at: datetime
    resolved_at: datetime | None
    resolved_by: str
    resolution: str

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


def notes_newest_wins() -> bool:
    from desta_tui.services.settings import get_setting

    return bool(get_setting(NOTES_SETTING, False))


# --- worked out from the versions -----------------------------------------------------------


def _side(version, change, field: str, value: Any) -> dict[str, Any]:
    return {
        "origin": version.origin,
        "seq": version.seq,
        "hlc": version.hlc,
        "who": change.who if change is not None else "",
        "at": change.at.isoformat(sep=" ") if change is not None and change.at else None,
        "field": field,
        "value": value,
    }


def _wanted(table_name: str, uuid: str, record: RecordModel) -> dict[str, tuple[str, str, list]]:
    """The conflicts a record's versions hold now: key -> (kind, field, sides)."""
    heads = heads_of(table_name, uuid)
    idents = {version.ident for versions in heads.values() for version in versions}
    changes = changes_by_ident(idents)
    newest_notes = notes_newest_wins()
    wanted: dict[str, tuple[str, str, list]] = {}
    for field, versions in heads.items():
        if field == "erased_at":
            continue
        values = {v.ident: value_in(changes.get(v.ident), field) for v in versions}
        if is_conflicted(versions, values, field_name=field, notes_newest_wins=newest_notes):
            ordered = sorted(versions, key=lambda version: version.order_key)
            sides = [_side(v, changes.get(v.ident), field, values[v.ident]) for v in ordered]
            wanted[conflict_key("field", table_name, uuid, field, versions)] = (
                "field",
                field,
                sides,
            )
    archived = heads.get(ARCHIVED_FIELD)
    if archived and getattr(record, ARCHIVED_FIELD, None) is not None:
        archive = holder(archived)
        edits = [
            version
            for field, versions in heads.items()
            if field not in (ARCHIVED_FIELD, "erased_at")
            for version in versions
        ]
        clashes = archive_clashes(archive, edits)
        if clashes:
            edit = clashes[-1]
            edit_field = next(f for f, versions in heads.items() if edit in versions)
            sides = [
                _side(archive, changes.get(archive.ident), ARCHIVED_FIELD,
                      value_in(changes.get(archive.ident), ARCHIVED_FIELD)),
                _side(edit, changes.get(edit.ident), edit_field,
                      value_in(changes.get(edit.ident), edit_field)),
            ]  # fmt: skip
            key = conflict_key("archive", table_name, uuid, ARCHIVED_FIELD, [archive, *clashes])
            wanted[key] = ("archive", ARCHIVED_FIELD, sides)
    return wanted


def _worth_a_look(records: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Those of the records that may hold a conflict, or had one: a field with two heads or an
    archive among their versions, or a conflict waiting (most of a merge's records have none,
    and are passed over with a few queries for them all)."""
    uuids = sorted({uuid for _table_name, uuid in records})
    found: set[tuple[str, str]] = set()
    for start in range(0, len(uuids), CHUNK):
        chunk = uuids[start : start + CHUNK]
        heads = (
            SyncFieldVersion.select(SyncFieldVersion.table_name, SyncFieldVersion.record_uuid,
                                    SyncFieldVersion.field, fn.COUNT(SyncFieldVersion.id))
            .where(SyncFieldVersion.record_uuid.in_(chunk))
            .group_by(SyncFieldVersion.table_name, SyncFieldVersion.record_uuid,
                      SyncFieldVersion.field)
            .tuples()
        )  # fmt: skip
        for table_name, uuid, field, count in heads:
            if count > 1 or field == ARCHIVED_FIELD:
                found.add((table_name, uuid))
        waiting = SyncConflict.select(SyncConflict.table_name, SyncConflict.record_uuid).where(
            SyncConflict.record_uuid.in_(chunk) & SyncConflict.resolved_at.is_null()
        )
        found.update(waiting.tuples())
    return found & records


def refresh_conflicts(records) -> list[int]:
    """Open the conflicts the versions of these records hold and close those they no longer
    hold; return the ids opened. `records`: (table name, uuid) pairs."""
    opened: list[int] = []
    stamp = utc_now()
    for table_name, uuid in sorted(_worth_a_look(set(records))):
        table = synced_table(table_name)
        if table is None:
            continue
        model = table.model
        record = model.get_or_none(model.uuid == uuid)
        existing = {
            conflict.key: conflict
            for conflict in SyncConflict.select().where(
                (SyncConflict.table_name == table_name)
                & (SyncConflict.record_uuid == uuid)
                & SyncConflict.kind.in_(VERSION_KINDS)
            )
        }
        erased = record is not None and getattr(record, "erased_at", None) is not None
        wanted = {} if record is None or erased else _wanted(table_name, uuid, record)
        for key, conflict in existing.items():
            if key not in wanted and conflict.resolved_at is None:
                SyncConflict.update(
                    resolved_at=stamp, resolved_by="", resolution="settled by a later change"
                ).where(SyncConflict.id == conflict.id).execute()
        if not any(kind == "field" for kind, _field, _sides in wanted.values()):
            # a record created at two sites waits while its fields disagree, no longer
            SyncConflict.update(
                resolved_at=stamp, resolved_by="", resolution="its details agree now"
            ).where(
                (SyncConflict.table_name == table_name) & (SyncConflict.record_uuid == uuid)
                & (SyncConflict.kind == "twin") & SyncConflict.resolved_at.is_null()
            ).execute()  # fmt: skip
        for key, (kind, field, sides) in wanted.items():
            conflict = existing.get(key)
            if conflict is None:
                opened.append(
                    SyncConflict.insert(
                        key=key, kind=kind, table_name=table_name, record_uuid=uuid,
                        record_label=record.display_name(), field=field, sides=dumps(sides),
                        detail="", opened_at=stamp, resolved_by="", resolution="",
                    ).execute()
                )  # fmt: skip
    return opened


def open_rule_conflict(kind: str, record: RecordModel, field: str, detail: str,
                       sides: list[dict[str, Any]], key: str) -> int | None:  # fmt: skip
    """Open (or keep open) a conflict for a rule a merge broke; return its id if new."""
    found = SyncConflict.get_or_none(SyncConflict.key == key)
    if found is not None:
        if found.resolved_at is not None:
            SyncConflict.update(
                resolved_at=None, resolved_by="", resolution="", detail=detail, sides=dumps(sides)
            ).where(SyncConflict.id == found.id).execute()
            return found.id
        return None
    return SyncConflict.insert(
        key=key, kind=kind, table_name=record._meta.table_name, record_uuid=record.uuid,
        record_label=record.display_name(), field=field, sides=dumps(sides), detail=detail,
        opened_at=utc_now(), resolved_by="", resolution="",
    ).execute()  # fmt: skip


def close_conflict(conflict_id: int, resolution: str, who: str = "") -> None:
    SyncConflict.update(resolved_at=utc_now(), resolved_by=who, resolution=resolution).where(
        SyncConflict.id == conflict_id
    ).execute()


# --- reading --------------------------------------------------------------------------------


def _field_label(field: str) -> str:
    label = field.removesuffix("_pence").removesuffix("_on").removesuffix("_at").replace("_", " ")
    return {"archived": "archived", "": "record"}.get(label, label)


def value_text(table_name: str, field: str, value: Any) -> str:
    """How a travelling value reads to a person: pounds, UK dates, names of linked records."""
    if value is None or value == "":
        return "(blank)"
    table = synced_table(table_name)
    model_field = table.model._meta.fields.get(field) if table else None
    link = table.link(field) if table else None
    if link is not None:
        names = [r.display_name() for r in link.other.select().where(link.other.uuid.in_(value))]
        return ", ".join(sorted(names)) or "(none)"
    if isinstance(model_field, ForeignKeyField):
        related = model_field.rel_model.get_or_none(model_field.rel_model.uuid == value)
        return related.display_name() if related is not None else f"(record {str(value)[:8]})"
    if field.endswith("_pence") and isinstance(value, int):
        return format_money(value, always_pence=True)
    if isinstance(model_field, BooleanField) or isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(model_field, DateField) and isinstance(value, str):
        return format_uk_date(date.fromisoformat(value))
    if field.endswith("_at") and isinstance(value, str):
        return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
    return str(value)


def _arrival(sides: list[dict[str, Any]]) -> dict[tuple[str, int], int]:
    idents = [(side["origin"], int(side["seq"])) for side in sides if side.get("origin")]
    return {ident: change.id for ident, change in changes_by_ident(idents).items()}


def _local_and_incoming(conflict: SyncConflict, sides: list[dict[str, Any]]) -> tuple[int, int]:
    """Which side is this site's (made here, or held here first) and which came in."""
    if conflict.kind not in VERSION_KINDS and conflict.kind != "twin":
        # a broken rule: the change that broke it, and the value before it
        made_here = sides[0].get("origin") == this_site().site_uuid
        return (0, 1) if made_here else (1, 0)
    me = this_site().site_uuid
    own = [index for index, side in enumerate(sides) if side.get("origin") == me]
    if own:
        local = own[-1]
    else:
        arrival = _arrival(sides)
        local = min(
            range(len(sides)),
            key=lambda i: arrival.get((sides[i]["origin"], int(sides[i]["seq"])), 0),
        )
    others = [index for index in range(len(sides)) if index != local]
    return local, max(others, key=lambda i: (sides[i].get("hlc") or "", sides[i].get("origin")))


def _view(conflict: SyncConflict, names: dict[str, str]) -> ConflictView:
    sides = json.loads(conflict.sides or "[]")
    table = synced_table(conflict.table_name)
    local, incoming = _local_and_incoming(conflict, sides) if len(sides) > 1 else (0, 0)
    held = max(range(len(sides)), key=lambda i: (sides[i].get("hlc") or "", sides[i].get("origin")))
    if conflict.kind not in VERSION_KINDS and conflict.kind != "twin":
        held = 0

    def side_view(index: int) -> ConflictSide:
        side = sides[index] if sides else {}
        field = side.get("field") or conflict.field
        at = side.get("at")
        origin = side.get("origin") or ""
        return ConflictSide(
            site_uuid=origin,
            site_name=name_of_site(origin, names) if origin else "",
            who=side.get("who") or "",
            at=datetime.fromisoformat(at) if at else None,
            field=field,
            value=side.get("value"),
            text=side.get("text") or value_text(conflict.table_name, field, side.get("value")),
            is_local=index == local,
            is_held=index == held,
        )

    return ConflictView(
        id=conflict.id,
        key=conflict.key,
        kind=conflict.kind,
        kind_label=KIND_LABELS.get(conflict.kind, conflict.kind),
        table_name=conflict.table_name,
        record_uuid=conflict.record_uuid,
        record_label=conflict.record_label,
        record_kind=table.model.record_label if table else conflict.table_name,
        field=conflict.field,
        field_label=_field_label(conflict.field),
        detail=conflict.detail,
        local=side_view(local),
        incoming=side_view(incoming),
        opened_at=conflict.opened_at,
        resolved_at=conflict.resolved_at,
        resolved_by=conflict.resolved_by,
        resolution=conflict.resolution,
    )


def list_conflicts(*, include_resolved: bool = False) -> list[ConflictView]:
    """The conflicts waiting for a person (and those settled, if asked), oldest first."""
    query = SyncConflict.select().order_by(SyncConflict.opened_at, SyncConflict.id)
    if not include_resolved:
        query = query.where(SyncConflict.resolved_at.is_null())
    names = site_names()
    return [_view(conflict, names) for conflict in query]


def get_conflict(conflict_id: int) -> ConflictView:
    conflict = SyncConflict.get_or_none(SyncConflict.id == conflict_id)
    if conflict is None:
        raise SyncConflictError(f"There is no conflict number {conflict_id}.")
    return _view(conflict, site_names())


# --- settling -------------------------------------------------------------------------------


def parse_typed_value(table_name: str, field: str, text: str) -> Any:
    """A value typed for `--value`, checked as the field's form would, as it travels."""
    table = synced_table(table_name)
    model_field = table.model._meta.fields.get(field) if table else None
    if table is None or (model_field is None and table.link(field) is None):
        raise SyncConflictError(
            f"{field} cannot be typed in: take this site's value or the incoming one."
        )
    if table.link(field) is not None or isinstance(model_field, ForeignKeyField):
        raise SyncConflictError(
            f"{_field_label(field)} names other records: take this site's value or the incoming "
            "one."
        )
    text = (text or "").strip()
    if field.endswith("_pence"):
        return parse_money(text, field)
    if isinstance(model_field, DateField):
        return parse_uk_date(text, field).isoformat() if text else None
    if isinstance(model_field, BooleanField):
        if text.lower() not in ("yes", "no", "true", "false", "y", "n"):
            raise ValidationError(field, "type yes or no")
        return text.lower() in ("yes", "true", "y")
    if isinstance(model_field, IntegerField):
        try:
            return int(text.replace(",", ""))
        except ValueError:
            raise ValidationError(field, f"{text!r} is not a whole number") from None
    return text


def set_field(record: RecordModel, field: str, value: Any, *, action: str = "resolve") -> None:
    """Give a record's field a travelling value as a logged change a person made (even if it
    holds that value already: the change says it was chosen)."""
    from desta_tui.services.audit import write_audit
    from desta_tui.services.sync.tables import ids_by_uuid
    from desta_tui.services.sync.writing import IdLookup, set_links

    table = synced_table(record._meta.table_name)
    link = table.link(field)
    change_log.before_change(record)
    if link is not None:
        old = ", ".join(sorted(r.display_name() for r in link.other.select().join(
            link.model, on=(link.other_field == link.other.id)).where(
            link.owner_field == record.id)))  # fmt: skip
        set_links(link, record.id, value or [], IdLookup())
        new = value_text(record._meta.table_name, field, value or [])
        write_audit(record, action, field, old or None, new)
        change_log.forced(record, field, action)
        return
    model_field = record._meta.fields[field]
    if isinstance(model_field, ForeignKeyField):
        target = ids_by_uuid(model_field.rel_model, [value]).get(value) if value else None
        python_value = model_field.rel_model.get_by_id(target) if target else None
    else:
        python_value = decode(model_field, value)
    old = getattr(record, field)
    setattr(record, field, python_value)
    record.updated_at = utc_now()
    record.save()
    write_audit(record, action, field, old, python_value)
    change_log.forced(record, field, action)


def resolve_conflict(
    conflict_id: int, take: str | None = None, value: str | None = None
) -> ConflictView:
    """Settle a conflict: take this site's side (`take="local"`), the other site's
    (`"incoming"`), or a value typed in (`value`). The choice is a change that travels."""
    from desta_tui.services.context import current_user
    from desta_tui.services.sync import recheck

    if (take is None) == (value is None):
        raise SyncConflictError("Choose one: --take local, --take incoming, or --value TEXT.")
    if take is not None and take not in ("local", "incoming"):
        raise SyncConflictError("--take is local or incoming.")
    with db.atomic():
        conflict = SyncConflict.get_or_none(SyncConflict.id == conflict_id)
        if conflict is None:
            raise SyncConflictError(f"There is no conflict number {conflict_id}.")
        if conflict.resolved_at is not None:
            raise SyncConflictError(f"Conflict {conflict_id} was settled already.")
        view = _view(conflict, site_names())
        table = synced_table(conflict.table_name)
        record = table.model.get_or_none(table.model.uuid == conflict.record_uuid)
        if record is None:
            raise SyncConflictError("The record of that conflict no longer exists.")
        side = view.local if take == "local" else view.incoming
        if conflict.kind == "twin":
            _take_twin(record, json.loads(conflict.sides)[_index_of(view, side)], take, value)
            words = f"took the details from {side.site_name}"
        elif value is not None:
            set_field(record, conflict.field, parse_typed_value(conflict.table_name,
                                                                conflict.field, value))  # fmt: skip
            words = f"typed in: {value.strip()}"
        elif conflict.kind == "archive":
            keep_archived = side.field == ARCHIVED_FIELD
            set_field(record, ARCHIVED_FIELD, side.value if keep_archived else None)
            words = ("kept it archived" if keep_archived else "brought it back") + (
                f" ({side.site_name}, {side.who})"
            )
        else:
            set_field(record, conflict.field, side.value)
            words = f"took {side.text} ({side.site_name}, {side.who})"
        if conflict.kind not in VERSION_KINDS and conflict.kind != "twin":
            change_log.write_now()
            still = recheck.still_broken(conflict)
            if still:
                raise SyncConflictError(f"That still breaks the rule: {still}")
        close_conflict(conflict.id, words, current_user())
    return get_conflict(conflict_id)


def _index_of(view: ConflictView, side: ConflictSide) -> int:
    sides = json.loads(SyncConflict.get_by_id(view.id).sides)
    for index, found in enumerate(sides):
        if found.get("origin") == side.site_uuid and found.get("who") == side.who:
            return index
    return 0


def _take_twin(
    record: RecordModel, side: dict[str, Any], take: str | None, value: str | None
) -> None:
    """Settle a record created at two sites: every field as the chosen site created it (its
    field conflicts close with it)."""
    if value is not None:
        raise SyncConflictError(
            "A record created at two sites is settled by taking one site's record whole, not "
            "by typing a value."
        )
    table = synced_table(record._meta.table_name)
    image = side.get("value") or {}
    for field in table.changeable:
        if field.name in image and field.name != ARCHIVED_FIELD:
            open_field = SyncConflict.select().where(
                (SyncConflict.record_uuid == record.uuid)
                & (SyncConflict.field == field.name)
                & SyncConflict.resolved_at.is_null()
            )
            current = getattr(record, field.column_name if isinstance(field, ForeignKeyField)
                              else field.name)  # fmt: skip
            if open_field.exists() or _differs(field, current, image[field.name]):
                set_field(record, field.name, image[field.name])
                for conflict in open_field:
                    close_conflict(conflict.id, f"settled with the record ({take})")


def _differs(field, current: Any, value: Any) -> bool:
    from desta_tui.services.sync.tables import encode, uuids_by_id

    if isinstance(field, ForeignKeyField):
        current = uuids_by_id(field.rel_model, [current]).get(current) if current else None
    return encode(field, current) != value
