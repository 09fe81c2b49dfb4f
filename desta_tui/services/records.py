"""Archive and restore for every record type, and undo of the last archive."""

from __future__ import annotations

from dataclasses import dataclass

from desta_tui.db.database import db
from desta_tui.db.models import ALL_MODELS, AuditLog, RecordModel
from desta_tui.domain.errors import DestaError
from desta_tui.services.audit import write_audit
from desta_tui.services.context import current_user, now
from desta_tui.services.sync import log as change_log

RECORD_MODELS: dict[str, type[RecordModel]] = {
    model._meta.table_name: model for model in ALL_MODELS if issubclass(model, RecordModel)
}


@dataclass(frozen=True)
class RecordRef:
    """A record named without its model: its table, UUID and the words for it."""

    table_name: str
    uuid: str
    label: str
    kind: str


def model_for(table_name: str) -> type[RecordModel]:
    try:
        return RECORD_MODELS[table_name]
    except KeyError:
        raise DestaError(f"There is no kind of record called {table_name!r}.") from None


def get_record(table_name: str, uuid: str) -> RecordModel:
    model = model_for(table_name)
    record = model.get_or_none(model.uuid == uuid)
    if record is None:
        raise DestaError(f"That {model.record_label} no longer exists.")
    return record


def ref_of(record: RecordModel) -> RecordRef:
    return RecordRef(
        table_name=record._meta.table_name,
        uuid=record.uuid,
        label=record.display_name(),
        kind=record.record_label,
    )


def archive_record(table_name: str, uuid: str) -> RecordRef:
    """Archive a record (it leaves the lists, keeps its history, and can be restored)."""
    with db.atomic():
        record = get_record(table_name, uuid)
        if record.archived_at is None:
            change_log.before_change(record)  # archiving travels to the other sites
            record.archived_at = now()
            record.updated_at = record.archived_at
            record.save()
            write_audit(record, "archive", "archived_at", None, record.archived_at)
        return ref_of(record)


def restore_record(table_name: str, uuid: str) -> RecordRef:
    """Bring an archived record back into the lists."""
    with db.atomic():
        record = get_record(table_name, uuid)
        if record.archived_at is not None:
            change_log.before_change(record)
            old = record.archived_at
            record.archived_at = None
            record.updated_at = now()
            record.save()
            write_audit(record, "restore", "archived_at", old, None)
        return ref_of(record)


def last_archived(table_names: list[str] | None = None, who: str | None = None) -> RecordRef | None:
    """The most recent archive by this person that is still archived (what `u` undoes)."""
    query = AuditLog.select().where(
        (AuditLog.action == "archive") & (AuditLog.who == (who or current_user()))
    )
    if table_names:
        query = query.where(AuditLog.table_name.in_(table_names))
    for row in query.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(50):
        model = RECORD_MODELS.get(row.table_name)
        if model is None:
            continue
        record = model.get_or_none(model.uuid == row.record_uuid)
        if record is not None and record.archived_at is not None:
            return ref_of(record)
    return None


def undo_last_archive(table_names: list[str] | None = None) -> RecordRef | None:
    """Restore the last record this person archived; None when there is nothing to undo."""
    ref = last_archived(table_names)
    if ref is None:
        return None
    return restore_record(ref.table_name, ref.uuid)
