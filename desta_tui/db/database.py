"""The one database proxy, and opening a SQLite file or a PostgreSQL URL safely."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from peewee import Database, DatabaseProxy, PostgresqlDatabase, SqliteDatabase, _atomic

from desta_tui.db.faults import is_fault, translate_fault
from desta_tui.db.preflight import (  # noqa: F401  (re-exported: one place to import from)
    BUSY_TIMEOUT_MS,
    SQLITE_HEADER,
    SQLITE_PRAGMAS,
    DatabaseInfo,
    busy_timeout_ms,
    check_sqlite_path,
    describe_target,
    explain_sqlite_error,
    inspect_sqlite,
    is_url,
    needs_creation,
    preflight,
    sqlite_path_of,
)
from desta_tui.domain.errors import DatabaseError, DatabaseUnavailableError

db = DatabaseProxy()

_current: DatabaseInfo | None = None


def current_database() -> DatabaseInfo | None:
    """The database opened by open_database, if any."""
    return _current


class FaultSentences:
    """The one place a driver's fault becomes a DatabaseError subclass with a sentence.

    Mixed into both database classes: every statement (execute_sql, and so every query),
    every row fetched, BEGIN, COMMIT and ROLLBACK, and whatever leaves a `db.atomic()` block
    (which covers the raw cursors of the bulk inserts). "database is locked", disk I/O,
    "malformed", read-only and disk full therefore reach the UI and the command line as
    DatabaseError, never as peewee's or the driver's OperationalError; the program's own
    errors (IntegrityError, bad SQL) pass through unchanged."""

    fault_label = "the database"
    fault_path: Path | None = None
    is_server = False

    def fault(self, error: BaseException) -> DatabaseError | None:
        """The DatabaseError for a driver fault; None for anything else."""
        if not is_fault(error):
            return None
        return translate_fault(error, self.fault_label, path=self.fault_path,
                               server=self.is_server)  # fmt: skip

    def _execute_cursor(self, sql, params, **cursor_options):
        try:
            cursor = super()._execute_cursor(sql, params, **cursor_options)
        except Exception as error:
            if (fault := self.fault(error)) is None:
                raise
            raise fault from error
        return FaultCursor(cursor, self)

    def begin(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().begin(*args, **kwargs)
        except Exception as error:
            if (fault := self.fault(error)) is None:
                raise
            raise fault from error

    def commit(self) -> None:
        try:
            super().commit()
        except Exception as error:
            if (fault := self.fault(error)) is None:
                raise
            raise fault from error

    def rollback(self) -> None:
        try:
            super().rollback()
        except Exception as error:
            if "no transaction is active" in str(error):
                # SQLite already rolled back by itself after a full disk or an I/O error: the
                # fault that did it is what the caller must see, not this
                return
            if (fault := self.fault(error)) is None:
                raise
            raise fault from error

    def atomic(self, *args: Any, **kwargs: Any) -> _atomic:
        return AtomicWithSentences(self, *args, **kwargs)


class AtomicWithSentences(_atomic):
    """peewee's atomic block, whose driver faults leave it as DatabaseError (after rollback)."""

    def __exit__(self, exc_type, exc_value, traceback):
        result = super().__exit__(exc_type, exc_value, traceback)
        if exc_value is not None and (fault := self.db.fault(exc_value)) is not None:
            raise fault from exc_value
        return result


class FaultCursor:
    """A driver cursor whose fetches turn faults into sentences: SQLite reads a damaged page
    while the rows are fetched, after execute_sql has returned. (try/except, not a context
    manager: it runs once per row.)"""

    __slots__ = ("_cursor", "_database")

    def __init__(self, cursor: Any, database: FaultSentences) -> None:
        self._cursor = cursor
        self._database = database

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __iter__(self):
        try:
            yield from self._cursor
        except Exception as error:
            if (fault := self._database.fault(error)) is None:
                raise
            raise fault from error

    def fetchone(self) -> Any:
        try:
            return self._cursor.fetchone()
        except Exception as error:
            if (fault := self._database.fault(error)) is None:
                raise
            raise fault from error

    def fetchmany(self, *args: Any) -> Any:
        try:
            return self._cursor.fetchmany(*args)
        except Exception as error:
            if (fault := self._database.fault(error)) is None:
                raise
            raise fault from error

    def fetchall(self) -> Any:
        try:
            return self._cursor.fetchall()
        except Exception as error:
            if (fault := self._database.fault(error)) is None:
                raise
            raise fault from error


class DestaSqliteDatabase(FaultSentences, SqliteDatabase):
    """SQLite with every transaction started IMMEDIATE, so a read-then-write never dies locked."""

    def __init__(self, database: str, **kwargs) -> None:
        timeout_ms = busy_timeout_ms()
        kwargs.setdefault("pragmas", {**SQLITE_PRAGMAS, "busy_timeout": timeout_ms})
        kwargs.setdefault("timeout", timeout_ms / 1000)
        kwargs.setdefault("lock_type", "IMMEDIATE")
        super().__init__(database, **kwargs)
        self.fault_label = database
        self.fault_path = Path(database)


WRITE_LOCK_KEY = 0x44455357  # "DESW": any fixed number, the same in every Desta
"""The PostgreSQL advisory lock every transaction takes, as SQLite's IMMEDIATE does."""


class DestaPostgresqlDatabase(FaultSentences, PostgresqlDatabase):
    """PostgreSQL whose transactions run one at a time, as they do on a SQLite file.

    A save reads, checks and then writes (the next ticket reference, what is left to allocate,
    a name already taken): at PostgreSQL's READ COMMITTED two desks could both read before
    either writes. A transaction-level advisory lock taken at BEGIN makes the second desk wait
    for the first to commit, as the busy timeout does on SQLite; it is released at COMMIT or
    ROLLBACK, and a hub's few desks never notice the wait."""

    is_server = True

    def begin(self, isolation_level=None) -> None:
        super().begin(isolation_level)
        try:
            # waiting past lock_timeout is a DatabaseBusyError, from FaultSentences
            self.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        except Exception:
            # the transaction never started for the caller: leave the connection usable
            with contextlib.suppress(Exception):
                self.rollback()
            raise


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
        # a password holding @ : / or % comes percent-encoded in a URL: decode it as libpq does
        params = parse(url, unquote_password=True, unquote_user=True)
    except Exception as error:  # a malformed URL: say so, whatever urlparse raised
        # not the URL itself: it may hold a password
        raise DatabaseError(f"That postgresql:// URL cannot be used: {error}.") from None
    # waiting on another desk's lock gives up when SQLite's busy timeout would
    options = f"{params.get('options', '')} -c lock_timeout={busy_timeout_ms()}".strip()
    return DestaPostgresqlDatabase(**{**params, "options": options})


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


def connect_target(info: DatabaseInfo) -> Database:
    """A connected peewee database for the target, with errors turned into sentences."""
    if info.kind == "postgresql":
        database = make_postgres(info.target)
        database.fault_label = info.label
        try:
            database.connect()
        except Exception as error:  # psycopg2's OperationalError and friends
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else error
            raise DatabaseUnavailableError(
                f"Cannot reach the database server: {first_line}"
            ) from None
        return database
    assert info.path is not None
    database = make_sqlite(info.path)
    try:
        database.connect()
    except Exception as error:
        database.close()
        raise translate_fault(error, str(info.path), path=info.path) from None
    return database


def open_database(
    target: str,
    *,
    migrate: bool = True,
    backup_dir: Path | None = None,
    create: bool = True,
    setting: str | None = None,
) -> DatabaseInfo:
    """Open (creating or upgrading as needed) the database at a path or URL and bind the proxy.

    A database from a newer version, a file that is not a database, a folder, a read-only place
    or a locked file raise DatabaseError with one clear sentence, and the file is left untouched.
    With create=False a missing or empty file is refused rather than made a new database;
    `setting` names where the target came from (--db, DESTA_DB) for the sentences.
    """
    from desta_tui.db import upgrade

    close_database()
    info = preflight(target, create=create, setting=setting)
    if info.kind == "sqlite" and migrate:
        assert info.path is not None
        _tables, version = inspect_sqlite(info.path)
        if 0 < version < upgrade.latest_version():
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
        raise translate_fault(error, info.label, path=info.path,
                              server=info.kind == "postgresql") from None  # fmt: skip
    return info
