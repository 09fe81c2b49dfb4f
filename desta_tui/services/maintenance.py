"""Health of the open database: integrity, foreign keys, schema version and record counts;
the quick check before a bulk write, and saving what a damaged file still holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desta_tui.db.database import current_database, db
from desta_tui.db.faults import damaged_error, first_line
from desta_tui.db.models import ALL_MODELS, RecordModel
from desta_tui.db.recovery import RecoveryResult, recover_sqlite
from desta_tui.db.upgrade import applied_version, latest_version
from desta_tui.domain.errors import DatabaseDamagedError, DatabaseError


@dataclass(frozen=True)
class CheckReport:
    """What `desta check` prints."""

    database: str
    kind: str
    schema_version: int
    latest_version: int
    integrity: list[str] = field(default_factory=list)
    foreign_key_problems: list[str] = field(default_factory=list)
    foreign_keys_checked: bool = True  # False when the damage stopped the check itself
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (live, archived)
    unreadable: list[str] = field(default_factory=list)  # tables that could not be counted
    advice: str | None = None  # for a damaged file: the backup to restore, or how to recover

    @property
    def is_healthy(self) -> bool:
        return (
            not self.integrity
            and not self.foreign_key_problems
            and self.foreign_keys_checked
            and not self.unreadable
        )


def check_database() -> CheckReport:
    info = current_database()
    kind = info.kind if info else "sqlite"
    integrity: list[str] = []
    foreign: list[str] = []
    foreign_keys_checked = True
    if kind == "sqlite":
        try:
            integrity = [
                row[0] for row in db.execute_sql("PRAGMA integrity_check") if row[0] != "ok"
            ]
        except DatabaseDamagedError as error:  # too damaged even to list what is wrong
            integrity = [first_line(error.__cause__ or error)]
        try:
            for table, rowid, parent, _ in db.execute_sql("PRAGMA foreign_key_check"):
                foreign.append(f"{table} row {rowid} points to a missing {parent} record")
        except DatabaseDamagedError:
            foreign_keys_checked = False
    counts = {}
    unreadable = []
    for model in ALL_MODELS:
        try:
            total = model.select().count()
            archived = (
                model.select().where(model.archived_at.is_null(False)).count()
                if issubclass(model, RecordModel)
                else 0
            )
        except DatabaseDamagedError:
            unreadable.append(model._meta.table_name)
            continue
        counts[model._meta.table_name] = (total - archived, archived)
    advice = None
    if (integrity or unreadable) and info is not None and info.path is not None:
        advice = damaged_error(info.path, _detail(integrity)).message
    return CheckReport(
        database=info.label if info else "",
        kind=kind,
        schema_version=applied_version(db.obj),
        latest_version=latest_version(),
        integrity=integrity,
        foreign_key_problems=foreign,
        foreign_keys_checked=foreign_keys_checked,
        counts=counts,
        unreadable=unreadable,
        advice=advice,
    )


def _detail(problems: list[str]) -> str:
    """What is wrong, in brackets after "is damaged": the problem itself, or how many."""
    if not problems:
        return "some tables cannot be read"
    if len(problems) == 1:
        return problems[0]
    return f"{len(problems)} integrity problems, the first: {problems[0]}"


def require_sound_database(refusal: str = "Nothing was written") -> None:
    """Refuse to write into a SQLite file with a damaged page (PRAGMA quick_check): writing
    there can spread the damage. `refusal` opens the sentence, e.g. "Nothing was imported"."""
    info = current_database()
    if info is None or info.kind != "sqlite" or info.path is None:
        return  # a server checks its own pages
    try:
        problems = [row[0] for row in db.execute_sql("PRAGMA quick_check") if row[0] != "ok"]
    except DatabaseDamagedError as error:
        problems = [first_line(error.__cause__ or error)]
    if problems:
        damage = damaged_error(info.path, _detail(problems))
        sentence = damage.message[0].lower() + damage.message[1:]
        raise DatabaseDamagedError(f"{refusal}: {sentence}", damage.newest_backup)


def recover_file(path: Path, output: Path | str | None = None) -> RecoveryResult:
    """Save what can still be read from the SQLite file at path into a new file (output, or a
    `.recovered` file beside it). The file at path is only read; it need not be open."""
    path = Path(path)
    if not path.is_file():
        raise DatabaseError(f"{path} is not a database file.")
    return recover_sqlite(path, Path(output) if output else None)
