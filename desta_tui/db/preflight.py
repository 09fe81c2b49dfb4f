"""Checks that need no database driver: is this target a usable Desta database at all?

Kept apart from database.py so the command line and the app's first frame need not import peewee.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from desta_tui.domain.errors import DatabaseError

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = int(os.environ.get("DESTA_BUSY_TIMEOUT_MS", "10000"))

# WAL never corrupts on a crash; FULL also keeps the last commits through a power cut.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "cache_size": -64000,
    "busy_timeout": BUSY_TIMEOUT_MS,
    "synchronous": "full",
}


@dataclass(frozen=True)
class DatabaseInfo:
    """What is open: the target as given, its kind and, for SQLite, the file."""

    target: str
    kind: str  # "sqlite" or "postgresql"
    path: Path | None

    @property
    def label(self) -> str:
        if self.path is not None:
            return str(self.path)
        parsed = urlparse(self.target)
        # never show a password on screen
        host = parsed.hostname or "localhost"
        port = f":{parsed.port}" if parsed.port else ""
        user = f"{parsed.username}@" if parsed.username else ""
        return f"{parsed.scheme}://{user}{host}{port}{parsed.path}"


def is_url(target: str) -> bool:
    return "://" in target


def sqlite_path_of(target: str) -> Path:
    """The file behind a path or a sqlite:/// URL."""
    if target.startswith("sqlite:///"):
        return Path(target[len("sqlite:///") :])
    return Path(target).expanduser()


def check_sqlite_path(path: Path, *, must_exist: bool = False) -> None:
    """Refuse, with one clear sentence, a path that cannot hold a Desta database."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file.")
    if path.exists():
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except PermissionError:
            raise DatabaseError(f"{path} cannot be read: permission denied.") from None
        except OSError as error:
            raise DatabaseError(f"{path} cannot be read: {error.strerror}.") from None
        if header and header != SQLITE_HEADER:
            raise DatabaseError(f"{path} is not a database file (it is not SQLite).")
        return
    if must_exist:
        raise DatabaseError(f"{path} does not exist.")
    if not path.parent.exists():
        raise DatabaseError(f"The folder {path.parent} does not exist.")
    if not path.parent.is_dir():
        raise DatabaseError(f"{path.parent} is not a folder.")


def inspect_sqlite(path: Path) -> tuple[set[str], int]:
    """Read, without changing a byte, which tables a file has and its schema version."""
    if not path.exists() or path.stat().st_size == 0:
        return set(), 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise DatabaseError(f"{path} cannot be opened: {error}.") from None
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        version = 0
        if "schema_migration" in tables:
            version = conn.execute("SELECT MAX(version) FROM schema_migration").fetchone()[0] or 0
        return tables, version
    except sqlite3.DatabaseError as error:
        raise DatabaseError(explain_sqlite_error(path, error)) from None
    finally:
        conn.close()


def explain_sqlite_error(path: Path | str, error: Exception) -> str:
    """Turn an sqlite3 error into a sentence a hub officer can act on."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return (
            f"The database {path} is busy: another program is writing to it. "
            "Close the other program or try again in a moment."
        )
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return f"{path} is not a usable database file ({error})."
    if "readonly" in text or "read-only" in text:
        return f"The database {path} is read-only: Desta cannot save changes there."
    if "unable to open" in text:
        return f"The database {path} cannot be opened here (check the folder and its permissions)."
    return f"The database {path} cannot be used: {error}."


def describe_target(target: str) -> DatabaseInfo:
    if is_url(target) and not target.startswith("sqlite:"):
        scheme = urlparse(target).scheme
        if scheme not in ("postgresql", "postgres"):
            raise DatabaseError(
                f"Unknown database URL scheme {scheme!r}: use a file path or postgresql://..."
            )
        return DatabaseInfo(target=target, kind="postgresql", path=None)
    return DatabaseInfo(target=target, kind="sqlite", path=sqlite_path_of(target).resolve())


def target_label(target: str) -> str:
    """The target as it may be shown on screen: a URL without its password."""
    try:
        return describe_target(target).label
    except (DatabaseError, ValueError):
        return "the database" if is_url(target) else target


def preflight(target: str) -> DatabaseInfo:
    """Refuse a target that cannot be opened, without a driver: fast enough for start-up."""
    from desta_tui.db.upgrade import check_compatible

    info = describe_target(target)
    if info.kind == "sqlite":
        assert info.path is not None
        check_sqlite_path(info.path)
        tables, version = inspect_sqlite(info.path)
        check_compatible(str(info.path), tables, version)
    return info
