"""Safe copies of a live SQLite database: the backup API, an integrity check, then a rename."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from desta_tui.domain.errors import DatabaseError


def timestamped_name(path: Path, label: str) -> Path:
    """`desta.sqlite3` -> `desta.2026-11-25T190102.pre-upgrade.sqlite3`, beside the original."""
    stamp = datetime.now().strftime("%Y-%m-%dT%H%M%S")
    return path.with_name(f"{path.stem}.{stamp}.{label}{path.suffix or '.sqlite3'}")


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
    temporary = destination.with_name(f".{destination.name}.partial")
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
