"""Safe copies of a live SQLite database: the backup API, an integrity check, then a rename."""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from desta_tui.domain.errors import DatabaseError

BACKUPS_FOLDER = "backups"
"""The folder beside the database that holds its backups (daily, on demand, before a restore)."""
STAMP_FORMAT = "%Y-%m-%dT%H%M%S"
# files named like backups that are not copies of a sound database
NOT_BACKUP_LABELS = {"recovered", "damaged"}
# checking a backup reads all of it: a damaged database's message checks only the newest few
GOOD_BACKUP_CANDIDATES = 5


def timestamped_name(path: Path, label: str) -> Path:
    """`desta.sqlite3` -> `desta.2026-11-25T190102.pre-upgrade.sqlite3`, beside the original."""
    stamp = datetime.now().strftime(STAMP_FORMAT)
    return path.with_name(f"{path.stem}.{stamp}.{label}{path.suffix or '.sqlite3'}")


def backup_files(database_path: Path, *, every_copy: bool = False) -> list[Path]:
    """Every backup Desta made of this database, newest first: the `backups` folder beside it
    (daily, on demand, before a restore) and the pre-upgrade copies right beside it. With
    `every_copy`, also the damaged files kept aside and the recovered ones (not fit to restore,
    but they hold the data all the same)."""
    database_path = Path(database_path)
    suffix = database_path.suffix or ".sqlite3"
    pattern = re.compile(
        rf"{re.escape(database_path.stem)}\.(\d{{4}}-\d{{2}}-\d{{2}}T\d{{6}})\.([\w-]+)"
        rf"{re.escape(suffix)}"
    )
    found = []
    for folder in (database_path.parent / BACKUPS_FOLDER, database_path.parent):
        if not folder.is_dir():
            continue
        for candidate in folder.iterdir():
            match = pattern.fullmatch(candidate.name)
            is_sound = match is not None and match[2] not in NOT_BACKUP_LABELS
            if match and (is_sound or every_copy) and candidate.is_file():
                found.append((match[1], candidate.name, candidate))
    return [path for _stamp, _name, path in sorted(found, reverse=True)]


def quick_check_problems(path: Path) -> list[str]:
    """What `PRAGMA quick_check` reports for a file, read-only; empty when its pages are sound."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        return [str(error)]
    try:
        return [row[0] for row in conn.execute("PRAGMA quick_check") if row[0] != "ok"]
    except sqlite3.Error as error:
        return [str(error)]
    finally:
        conn.close()


def newest_good_backup(database_path: Path) -> Path | None:
    """The newest backup of this database whose pages pass a quick check, if there is one."""
    for candidate in backup_files(database_path)[:GOOD_BACKUP_CANDIDATES]:
        if candidate.stat().st_size > 0 and not quick_check_problems(candidate):
            return candidate
    return None


def integrity_problems(path: Path) -> list[str]:
    """What `PRAGMA integrity_check` and `foreign_key_check` report, in words; empty when sound."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points to a missing {parent} record")
        return problems
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        conn.close()


def copy_sqlite(source: Path | sqlite3.Connection, destination: Path) -> Path:
    """Copy a database that may be in use to destination, checked, without ever a half file."""
    destination = Path(destination)
    # one partial file per process: two programs opening an old database at once both copy it,
    # and one must never remove the other's half-written copy
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.partial")
    if temporary.exists():
        temporary.unlink()
    owns_source = not isinstance(source, sqlite3.Connection)
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True) if owns_source else source
    try:
        fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        target = sqlite3.connect(temporary)
        try:
            conn.backup(target)
            # a backup file stands alone: no WAL beside it
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        problems = integrity_problems(temporary)
        if problems:
            raise DatabaseError(f"The copy failed its integrity check: {problems[0]}")
        os.replace(temporary, destination)
    except sqlite3.Error as error:
        raise DatabaseError(f"Could not copy the database to {destination}: {error}") from None
    except OSError as error:
        raise DatabaseError(f"Could not write {destination}: {error.strerror}") from None
    finally:
        if owns_source:
            conn.close()
        if temporary.exists():
            temporary.unlink()
    return destination
