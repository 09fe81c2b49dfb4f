"""Health of the open database: integrity, foreign keys, schema version and record counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from desta_tui.db.database import current_database, db
from desta_tui.db.models import ALL_MODELS, RecordModel
from desta_tui.db.upgrade import applied_version, latest_version


@dataclass(frozen=True)
class CheckReport:
    """What `desta check` prints."""

    database: str
    kind: str
    schema_version: int
    latest_version: int
    integrity: list[str] = field(default_factory=list)
    foreign_key_problems: list[str] = field(default_factory=list)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (live, archived)

    @property
    def is_healthy(self) -> bool:
        return not self.integrity and not self.foreign_key_problems


def check_database() -> CheckReport:
    info = current_database()
    kind = info.kind if info else "sqlite"
    integrity: list[str] = []
    foreign: list[str] = []
    if kind == "sqlite":
        integrity = [row[0] for row in db.execute_sql("PRAGMA integrity_check") if row[0] != "ok"]
        for table, rowid, parent, _ in db.execute_sql("PRAGMA foreign_key_check"):
            foreign.append(f"{table} row {rowid} points to a missing {parent} record")
    counts = {}
    for model in ALL_MODELS:
        total = model.select().count()
        archived = (
            model.select().where(model.archived_at.is_null(False)).count()
            if issubclass(model, RecordModel)
            else 0
        )
        counts[model._meta.table_name] = (total - archived, archived)
    return CheckReport(
        database=info.label if info else "",
        kind=kind,
        schema_version=applied_version(db.obj),
        latest_version=latest_version(),
        integrity=integrity,
        foreign_key_problems=foreign,
        counts=counts,
    )
