"""The one database proxy, and opening a SQLite file or a PostgreSQL URL safely."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from peewee import Database, DatabaseProxy, PostgresqlDatabase, SqliteDatabase

from desta_tui.domain.errors import DatabaseError

db = DatabaseProxy()

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


_current: DatabaseInfo | None = None


def current_database() -> DatabaseInfo | None:
    """The database opened by open_database, if any."""
    return _current


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


class DestaSqliteDatabase(SqliteDatabase):
    """SQLite with every transaction started IMMEDIATE, so a read-then-write never dies locked."""

    def __init__(self, database: str, **kwargs) -> None:
        kwargs.setdefault("pragmas", SQLITE_PRAGMAS)
        kwargs.setdefault("timeout", BUSY_TIMEOUT_MS / 1000)
        kwargs.setdefault("lock_type", "IMMEDIATE")
        super().__init__(database, **kwargs)


def make_sqlite(path: Path) -> Database:
    if not path.exists():
        try:
            # owner-only from the first byte: it holds personal data
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        except PermissionError:
            raise DatabaseError(
                f"Cannot create {path}: the folder is read-only or not yours."
            ) from None
        except OSError as error:
            raise DatabaseError(f"Cannot create {path}: {error.strerror}.") from None
    elif not os.access(path, os.W_OK):
        raise DatabaseError(f"The database {path} is read-only: Desta cannot save changes there.")
    return DestaSqliteDatabase(str(path))


def make_postgres(url: str) -> Database:
    from playhouse.db_url import parse

    try:
        params = parse(url)
    except Exception as error:  # a malformed URL: say so, whatever urlparse raised
        raise DatabaseError(f"{url!r} is not a database URL: {error}.") from None
    return PostgresqlDatabase(**params)


def bind(database: Database, info: DatabaseInfo) -> None:
    """Point the proxy at an open database."""
    global _current
    db.initialize(database)
    _current = info


def close_database() -> None:
    """Close the current database, if one is open."""
    global _current
    if db.obj is not None and not db.is_closed():
        db.close()
    _current = None


def describe_target(target: str) -> DatabaseInfo:
    if is_url(target) and not target.startswith("sqlite:"):
        scheme = urlparse(target).scheme
        if scheme not in ("postgresql", "postgres"):
            raise DatabaseError(
                f"Unknown database URL scheme {scheme!r}: use a file path or postgresql://..."
            )
        return DatabaseInfo(target=target, kind="postgresql", path=None)
    return DatabaseInfo(target=target, kind="sqlite", path=sqlite_path_of(target).resolve())


def connect_target(info: DatabaseInfo) -> Database:
    """A connected peewee database for the target, with errors turned into sentences."""
    if info.kind == "postgresql":
        database = make_postgres(info.target)
        try:
            database.connect()
        except Exception as error:  # psycopg2's OperationalError and friends
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else error
            raise DatabaseError(f"Cannot reach the database server: {first_line}") from None
        return database
    assert info.path is not None
    database = make_sqlite(info.path)
    try:
        database.connect()
    except Exception as error:
        database.close()
        raise DatabaseError(explain_sqlite_error(info.path, error)) from None
    return database


def open_database(
    target: str, *, migrate: bool = True, backup_dir: Path | None = None
) -> DatabaseInfo:
    """Open (creating or upgrading as needed) the database at a path or URL and bind the proxy.

    A database from a newer version, a file that is not a database, a folder, a read-only place
    or a locked file raise DatabaseError with one clear sentence, and the file is left untouched.
    """
    from desta_tui.db import upgrade

    close_database()
    info = describe_target(target)
    if info.kind == "sqlite":
        assert info.path is not None
        check_sqlite_path(info.path)
        tables, version = inspect_sqlite(info.path)
        upgrade.check_compatible(str(info.path), tables, version)
        if migrate and 0 < version < upgrade.latest_version():
            upgrade.backup_before_upgrade(info.path, version, backup_dir=backup_dir)
    database = connect_target(info)
    bind(database, info)
    try:
        if info.kind == "postgresql":
            tables = set(database.get_tables())
            version = upgrade.applied_version(database) if "schema_migration" in tables else 0
            upgrade.check_compatible(info.label, tables, version)
        if migrate:
            upgrade.migrate(database)
    except DatabaseError:
        close_database()
        raise
    except Exception as error:
        close_database()
        raise DatabaseError(explain_sqlite_error(info.label, error)) from None
    return info
