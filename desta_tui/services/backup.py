"""Backups of the open database (on demand, and daily at start-up) and restoring one, checked."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from desta_tui.db.backup import (
    BACKUPS_FOLDER,
    backup_files,
    copy_sqlite,
    integrity_problems,
    quick_check_problems,
    timestamped_name,
)
from desta_tui.db.database import (
    DatabaseInfo,
    busy_timeout_ms,
    check_sqlite_path,
    close_database,
    current_database,
    db,
    inspect_sqlite,
    open_database,
)
from desta_tui.db.upgrade import check_compatible
from desta_tui.domain.errors import DatabaseError, DestaError
from desta_tui.services.backup_plan import (  # noqa: F401  (the plan, from here too)
    AutomaticBackupPlan,
    automatic_backup_plan,
    daily_backups_to_keep,
)
from desta_tui.services.settings import forget_cached_settings, get_setting

DAILY_LABEL = "daily"
DAMAGED_LABEL = "damaged"
# Tables without which a file cannot be a Desta database, whatever its schema version.
DESTA_TABLES = {"schema_migration", "organisation", "consortium", "audit_log", "setting"}

POSTGRES_REFUSAL = (
    "This is a PostgreSQL server database: back it up and restore it on the server with "
    "pg_dump and pg_restore (desta backup and desta restore work on SQLite files)."
)


@dataclass(frozen=True)
class BackupResult:
    """A backup that was written: where, how big, and older automatic backups removed."""

    path: Path
    size_bytes: int
    removed: tuple[Path, ...] = ()


@dataclass(frozen=True)
class BackupFileInfo:
    """A file checked and found fit to restore."""

    path: Path
    schema_version: int
    organisations: int
    audit_rows: int


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did, in the order it did it."""

    restored_from: Path
    database: Path
    replaced_backup: Path | None
    schema_version_restored: int
    schema_version_now: int
    organisations: int

    def describe(self) -> list[str]:
        lines = [f"Restored {self.database} from {self.restored_from}."]
        if self.replaced_backup is not None:
            lines.append(f"The database it replaced was kept as {self.replaced_backup}.")
        if self.schema_version_now != self.schema_version_restored:
            lines.append(
                f"The restored copy was upgraded from schema {self.schema_version_restored} "
                f"to {self.schema_version_now}."
            )
        lines.append(f"It holds {self.organisations} organisations; its integrity check passed.")
        return lines


def _sqlite_info() -> DatabaseInfo:
    info = current_database()
    if info is None:
        raise DestaError("No database is open.")
    if info.kind != "sqlite" or info.path is None:
        raise DestaError(POSTGRES_REFUSAL)
    return info


def backups_folder(database_path: Path) -> Path:
    """The `backups` folder beside the database, created owner-only when first needed."""
    folder = Path(database_path).parent / BACKUPS_FOLDER
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        raise DestaError(f"Cannot create the backups folder {folder}: {error.strerror}.") from None
    return folder


def _default_destination(database_path: Path, label: str) -> Path:
    return backups_folder(database_path) / timestamped_name(database_path, label).name


def backup_database(
    destination: Path | str | None = None, *, label: str = "backup"
) -> BackupResult:
    """Copy the open SQLite database, while it may be in use, to destination (checked, atomic).

    No destination: a file named with the time in the `backups` folder beside the database.
    A folder: the same name inside it. An existing file is never overwritten.
    """
    info = _sqlite_info()
    assert info.path is not None
    if destination is None:
        target = _default_destination(info.path, label)
    else:
        target = Path(destination).expanduser()
        if target.is_dir():
            target = target / timestamped_name(info.path, label).name
    target = target.resolve()
    if target == info.path:
        raise DestaError("A backup cannot be written over the database itself.")
    if target.exists():
        raise DestaError(f"{target} already exists: choose another file name.")
    if not target.parent.is_dir():
        raise DestaError(f"The folder {target.parent} does not exist.")
    copy_sqlite(info.path, target)
    return BackupResult(path=target, size_bytes=target.stat().st_size)


def daily_backups(database_path: Path) -> list[Path]:
    """The automatic backups of this database, oldest first (their names sort by time)."""
    folder = Path(database_path).parent / BACKUPS_FOLDER
    if not folder.is_dir():
        return []
    pattern = f"{database_path.stem}.*.{DAILY_LABEL}{database_path.suffix or '.sqlite3'}"
    return sorted(folder.glob(pattern))


def run_automatic_backup(
    plan: AutomaticBackupPlan, today: date | None = None
) -> BackupResult | None:
    """Once a day: copy the database into `backups`, then keep only the newest `plan.keep`.

    Touches the file only (never the peewee connection), so it may run in a worker thread.
    Returns None when today's backup already exists.
    """
    day = (today or date.today()).isoformat()
    path = plan.database_path
    if any(f".{day}T" in existing.name for existing in daily_backups(path)):
        return None
    target = _default_destination(path, DAILY_LABEL)
    if target.exists():
        return None
    copy_sqlite(path, target)
    removed = []
    existing = daily_backups(path)
    for old in existing[: max(0, len(existing) - plan.keep)]:
        try:
            old.unlink()
            removed.append(old)
        except OSError:
            pass  # a backup we cannot delete is only a cost in disk space
    return BackupResult(path=target, size_bytes=target.stat().st_size, removed=tuple(removed))


def _restore_result(
    checked: BackupFileInfo, database: Path, replaced_backup: Path | None
) -> RestoreResult:
    """What a restore brought back into `database` (open, upgraded as it opened)."""
    from desta_tui.services.sync.identity import continue_as_new_site

    # the other sites may hold changes made here after the backup: no change number twice
    continue_as_new_site()
    _tables, version_now = inspect_sqlite(database)
    return RestoreResult(
        restored_from=checked.path,
        database=database,
        replaced_backup=replaced_backup,
        schema_version_restored=checked.schema_version,
        schema_version_now=version_now,
        organisations=checked.organisations,
    )


@dataclass(frozen=True)
class HeldBackup:
    """A copy of the database made earlier: it still holds whatever the database held then."""

    path: Path
    #: made by the daily backup at start-up, which deletes the oldest beyond `backups_to_keep`
    is_daily: bool
    #: the first day the daily backup can delete it (if Desta is opened every day from today);
    #: None when nothing deletes it: a backup made by hand, before an upgrade or a restore
    ages_out_on: date | None

    def describe(self) -> str:
        if self.ages_out_on is not None:
            return (
                f"{self.path}: a daily backup, deleted by the daily backup on "
                f"{self.ages_out_on.strftime('%d/%m/%Y')} at the earliest"
            )
        if self.is_daily:
            return f"{self.path}: a daily backup, kept (automatic backups are off): delete it"
        return f"{self.path}: kept until someone deletes it"


def backups_holding_the_past(today: date | None = None) -> list[HeldBackup]:
    """Every copy Desta made of the open SQLite database, newest first, with when (if ever) the
    daily backup deletes it: what is erased now lives on in these until they are gone.

    The daily backup runs once a day when Desta starts and keeps the newest `backups_to_keep`,
    so the k-th newest daily backup goes when `backups_to_keep - k + 1` more have been made:
    counted from today, or from tomorrow when today's is already made. A server database has
    no such files (its backups are the server's own): the list is empty."""
    info = current_database()
    if info is None or info.kind != "sqlite" or info.path is None:
        return []
    today = today or date.today()
    keep = 0 if get_setting("is_demo") else daily_backups_to_keep()
    dailies = list(reversed(daily_backups(info.path)))  # newest first
    made_today = any(f".{today.isoformat()}T" in path.name for path in dailies)
    next_daily = today + timedelta(days=1 if made_today else 0)
    held = []
    for path in backup_files(info.path, every_copy=True):
        if path not in dailies:
            held.append(HeldBackup(path, False, None))
            continue
        if keep <= 0:
            held.append(HeldBackup(path, True, None))
            continue
        still_to_make = max(1, keep - dailies.index(path))
        held.append(HeldBackup(path, True, next_daily + timedelta(days=still_to_make - 1)))
    return held


def check_backup_file(path: Path | str) -> BackupFileInfo:
    """Refuse, in one sentence, a file that is not a sound Desta database this version can use."""
    path = Path(path).expanduser().resolve()
    check_sqlite_path(path, must_exist=True)
    if path.stat().st_size == 0:
        raise DatabaseError(f"{path} is empty: it is not a Desta backup.")
    problems = integrity_problems(path)
    if problems:
        raise DatabaseError(f"{path} is damaged and cannot be restored: {problems[0]}.")
    tables, version = inspect_sqlite(path)
    check_compatible(str(path), tables, version)
    missing = DESTA_TABLES - tables
    if version == 0 or missing:
        raise DatabaseError(
            f"{path} is not a Desta database (it has no {sorted(missing)[0]} table)."
        )
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        organisations = conn.execute("SELECT COUNT(*) FROM organisation").fetchone()[0]
        audit_rows = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path} cannot be read as a Desta database: {error}.") from None
    finally:
        conn.close()
    return BackupFileInfo(path, version, organisations, audit_rows)


def restore_into_new_file(source: Path | str, database_path: Path | str) -> RestoreResult:
    """Make a new database at database_path (that does not exist yet, or is an empty file) from
    a checked backup, and leave it open; an older backup is upgraded as it opens."""
    checked = check_backup_file(source)
    target = Path(database_path).expanduser().resolve()
    if checked.path == target:
        raise DestaError("That file is the database itself: choose a backup to restore.")
    check_sqlite_path(target)
    if target.exists() and target.stat().st_size > 0:
        raise DestaError(f"{target} already holds a database: restore into it without creating.")
    copy_sqlite(checked.path, target)
    reopened = open_database(str(target))
    assert reopened.path is not None
    return _restore_result(checked, reopened.path, None)


def is_damaged(database_path: Path | str) -> bool:
    """True when the SQLite file has a damaged page (PRAGMA quick_check, read-only)."""
    return bool(quick_check_problems(Path(database_path)))


def restore_over_damaged(source: Path | str, database_path: Path | str) -> RestoreResult:
    """Put a checked backup in place of a damaged file, and leave it open.

    The damaged file cannot be copied through SQLite (its copy would fail its check) nor
    written into page by page, so it is kept byte for byte, with its write-ahead log, as
    `NAME.TIME.damaged.sqlite3` in `backups`, and the backup replaces it whole.
    """
    checked = check_backup_file(source)
    path = Path(database_path).expanduser().resolve()
    if checked.path == path:
        raise DestaError("That file is the database itself: choose a backup to restore.")
    info = current_database()
    if info is not None and info.path == path:
        close_database()
    kept = backups_folder(path) / timestamped_name(path, DAMAGED_LABEL).name
    staged = path.with_name(f".{path.name}.restoring")
    try:
        for suffix in ("", "-wal"):
            original = Path(f"{path}{suffix}")
            if original.exists() and (suffix == "" or original.stat().st_size > 0):
                fd = os.open(f"{kept}{suffix}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.close(fd)
                shutil.copyfile(original, f"{kept}{suffix}")
        copy_sqlite(checked.path, staged)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(staged, path)
    except OSError as error:
        staged.unlink(missing_ok=True)
        raise DatabaseError(
            f"The restore did not complete: {error.strerror or error}; the damaged file is "
            "as it was."
        ) from None
    forget_cached_settings()
    reopened = open_database(str(path))
    assert reopened.path is not None
    return _restore_result(checked, reopened.path, kept)


def restore_database(source: Path | str) -> RestoreResult:
    """Replace the open database's contents with a checked backup, keeping the old one first.

    The copy goes through SQLite's backup API into the live file, so another program that has
    it open sees either the old database or the restored one, never a mixture; an older backup
    is then upgraded (with its own pre-upgrade copy) as any older database is on opening.
    """
    info = _sqlite_info()
    assert info.path is not None
    checked = check_backup_file(source)
    if checked.path == info.path:
        raise DestaError("That file is the database itself: choose a backup to restore.")
    kept = backup_database(label="pre-restore").path
    live = db.connection()
    src = sqlite3.connect(
        f"file:{checked.path}?mode=ro", uri=True, timeout=busy_timeout_ms() / 1000
    )
    try:
        src_page = src.execute("PRAGMA page_size").fetchone()[0]
        live_page = live.execute("PRAGMA page_size").fetchone()[0]
        if src_page != live_page:
            raise DatabaseError(
                f"{checked.path} uses {src_page}-byte pages and the database {live_page}-byte "
                "pages, so it cannot be restored in place; nothing was changed."
            )
        src.backup(live)
    except sqlite3.Error as error:
        raise DatabaseError(
            f"The restore did not complete and nothing was changed: {error}. "
            f"The database as it was is also kept in {kept}."
        ) from None
    finally:
        src.close()
    close_database()
    forget_cached_settings()
    reopened = open_database(str(info.path))
    assert reopened.path is not None
    problems = integrity_problems(reopened.path)
    if problems:
        raise DatabaseError(
            f"The restored database failed its integrity check ({problems[0]}); "
            f"the one it replaced is kept in {kept}."
        )
    return _restore_result(checked, reopened.path, kept)
