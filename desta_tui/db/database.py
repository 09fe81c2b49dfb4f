"""The one database proxy, and opening a SQLite file or a PostgreSQL URL safely."""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

# before peewee's first import: it leaves psycopg2 out until a postgresql:// database opens
from desta_tui.db import postgres_driver

# isort: split
from peewee import (
    Database,
    DatabaseProxy,
    PostgresqlDatabase,
    SqliteDatabase,
    _atomic,
    _savepoint,
    _transaction,
)

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
    preflight_and_version,
    sqlite_path_of,
)
from desta_tui.domain.errors import DatabaseError, DatabaseUnavailableError


class DestaDatabaseProxy(DatabaseProxy):
    """The proxy, whose transactions are the open database's own (so its listeners hear them)."""

    def transaction(self, *args, **kwargs):
        return self.obj.transaction(*args, **kwargs)

    def savepoint(self):
        return self.obj.savepoint()

    def atomic(self, *args, **kwargs):
        # the open database's own block: a fault raised inside it by a raw cursor (the bulk
        # inserts) leaves it as a DatabaseError sentence, as it does from `atomic_for`
        return self.obj.atomic(*args, **kwargs)


db = DestaDatabaseProxy()

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

    def atomic_for(self, *scopes: str) -> _atomic:
        """A transaction that reads and writes only what `scopes` name (e.g. "returns of
        contract <uuid>"): on PostgreSQL it waits only for plain transactions and for those
        naming one of the same scopes; on SQLite, whose writers take turns anyway, atomic()."""
        return self.atomic()


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


class TransactionListener:
    """Work done around every transaction, registered by the layer above (the change log is
    written at the end of each transaction, in it): each method is told the database."""

    def before_commit(self, database: Database) -> None:
        """The outermost transaction is about to commit: writes here commit with it; an
        error rolls it all back."""

    def rolled_back(self, database: Database) -> None:
        """The outermost transaction was rolled back."""

    def savepoint_entered(self, database: Database, savepoint_id: str) -> None:
        """A nested transaction (savepoint) began."""

    def savepoint_ended(self, database: Database, savepoint_id: str, *, kept: bool) -> None:
        """A nested transaction was released (kept) or rolled back."""


TRANSACTION_LISTENERS: list[TransactionListener] = []
"""Registered once, at import, by whoever needs them; Desta's databases tell each of them."""


def add_transaction_listener(listener: TransactionListener) -> None:
    if listener not in TRANSACTION_LISTENERS:
        TRANSACTION_LISTENERS.append(listener)


def _tell(call: Callable[[TransactionListener], None]) -> None:
    for listener in TRANSACTION_LISTENERS:
        call(listener)


class _ListenedTransaction(_transaction):
    """An outermost transaction that runs the listeners' work before it commits."""

    def __exit__(self, exc_type, exc_val, exc_tb):
        if self.db.transaction_depth() == 1:
            if exc_type is None:
                try:
                    _tell(lambda listener: listener.before_commit(self.db))
                except BaseException as error:
                    _tell(lambda listener: listener.rolled_back(self.db))
                    super().__exit__(type(error), error, error.__traceback__)
                    raise
            else:
                _tell(lambda listener: listener.rolled_back(self.db))
        return super().__exit__(exc_type, exc_val, exc_tb)


class _ListenedSavepoint(_savepoint):
    """A nested transaction whose listeners hear when it begins and how it ends."""

    def __enter__(self):
        result = super().__enter__()
        _tell(lambda listener: listener.savepoint_entered(self.db, self.sid))
        return result

    def __exit__(self, exc_type, exc_val, exc_tb):
        kept = False
        try:
            result = super().__exit__(exc_type, exc_val, exc_tb)
            kept = exc_type is None  # a release that failed rolled back and raised
            return result
        finally:
            _tell(lambda listener: listener.savepoint_ended(self.db, self.sid, kept=kept))


class _Listened:
    """Transactions and savepoints that tell the listeners (mixed into both databases)."""

    def transaction(self, *args, **kwargs):
        return _ListenedTransaction(self, *args, **kwargs)

    def savepoint(self, sid=None):
        return _ListenedSavepoint(self, sid)


def listens_to_transactions(database: Database) -> bool:
    """Whether the listeners hear this database's transactions (Desta's own databases)."""
    return isinstance(database, _Listened)


class DestaSqliteDatabase(_Listened, FaultSentences, SqliteDatabase):
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
"""The PostgreSQL advisory lock every transaction takes, as SQLite's IMMEDIATE does: alone
(exclusive), or shared beside its scopes' locks (`atomic_for`)."""
SCOPE_LOCK_CLASS = 0x44455353  # "DESS": the first of the two keys of a scope's lock
"""The first key of a scope's advisory lock; the second is `scope_lock_key(scope)`."""


def scope_lock_key(scope: str) -> int:
    """The second key of a scope's advisory lock: its name hashed to a signed 32-bit number.
    Two names that hash alike only make their desks take turns, never let them overlap."""
    return int.from_bytes(zlib.crc32(scope.encode("utf-8")).to_bytes(4, "big"), "big", signed=True)


class DestaPostgresqlDatabase(_Listened, FaultSentences, PostgresqlDatabase):
    """PostgreSQL whose transactions run one at a time, as they do on a SQLite file.

    A save reads, checks and then writes (the next ticket reference, what is left to allocate,
    a name already taken): at PostgreSQL's READ COMMITTED two desks could both read before
    either writes. A transaction-level advisory lock taken at BEGIN makes the second desk wait
    for the first to commit, as the busy timeout does on SQLite; it is released at COMMIT or
    ROLLBACK.

    The saves desks make all day (a month of returns, a ticket, a note) say what they read and
    write with `atomic_for(scope, ...)`: they take that lock shared, so they wait only for a
    plain transaction (which still has it alone) and for another save naming one of the same
    scopes, each scope being a second advisory lock. Desks on different contracts then save
    side by side; two on the same contract still take turns."""

    is_server = True

    def begin(self, isolation_level=None) -> None:
        # what ScopedAtomic asked of this BEGIN; a plain transaction (none) has the lock alone
        scopes = getattr(self._state, "next_scopes", ())
        self._state.next_scopes = ()
        super().begin(isolation_level)
        self._state.held_scopes = scopes
        try:
            # waiting past lock_timeout is a DatabaseBusyError, from FaultSentences
            if not scopes:
                self.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            else:
                self.execute_sql("SELECT pg_advisory_xact_lock_shared(%s)", (WRITE_LOCK_KEY,))
                self._lock_scopes(scopes)
        except Exception:
            # the transaction never started for the caller: leave the connection usable
            with contextlib.suppress(Exception):
                self.rollback()
            raise

    def _lock_scopes(self, scopes: tuple[str, ...]) -> None:
        # always in the same order: two desks never each hold a scope the other waits for
        for key in sorted({scope_lock_key(scope) for scope in scopes}):
            self.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (SCOPE_LOCK_CLASS, key))

    def held_scopes(self) -> tuple[str, ...] | None:
        """The scopes of the open transaction: () when it has the lock alone, None outside one."""
        if not self.in_transaction():
            return None
        return getattr(self._state, "held_scopes", ())

    def execute_sql(self, sql, params=None, *args, **kwargs):
        # a plain db.atomic() needs every other desk stopped, which a scoped transaction
        # (holding the lock shared) cannot ask for without two desks waiting on each other
        if (
            sql.startswith("SAVEPOINT")
            and self.held_scopes()
            and not getattr(self._state, "scoped_savepoint", False)
        ):
            raise RuntimeError(
                "db.atomic() inside db.atomic_for(...): name its scopes with atomic_for"
            )
        return super().execute_sql(sql, params, *args, **kwargs)

    def atomic_for(self, *scopes: str) -> _atomic:
        return ScopedAtomic(self, *scopes)


class ScopedAtomic(AtomicWithSentences):
    """`atomic()` whose BEGIN takes the write lock shared and the scopes' locks (PostgreSQL)."""

    def __init__(self, database: DestaPostgresqlDatabase, *scopes: str) -> None:
        if not scopes:
            raise ValueError("atomic_for needs at least one scope")
        super().__init__(database)
        self.scopes = tuple(scopes)

    def _build_ctx(self):
        return type(self)(self.db, *self.scopes)

    def __enter__(self):
        held = self.db.held_scopes()
        if held is None:
            self.db._state.next_scopes = self.scopes
            try:
                return super().__enter__()
            finally:
                self.db._state.next_scopes = ()
        if held and not set(self.scopes) <= set(held):
            # taking more locks midway could make two desks wait on each other for ever
            raise RuntimeError(
                f"atomic_for{self.scopes!r} inside atomic_for{held!r}: name them all at the start"
            )
        # inside a plain transaction, or within the same scopes: a savepoint
        self._helper = ScopedSavepoint(self.db)
        return self._helper.__enter__()


class ScopedSavepoint(_ListenedSavepoint):
    """The savepoint of an `atomic_for` block inside a transaction that holds what it needs."""

    def _begin(self) -> None:
        self.db._state.scoped_savepoint = True
        try:
            super()._begin()
        finally:
            self.db._state.scoped_savepoint = False


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

    postgres_driver.give_peewee_psycopg2()

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
    info, version = preflight_and_version(target, create=create, setting=setting)
    if info.kind == "sqlite" and migrate:
        assert info.path is not None
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
