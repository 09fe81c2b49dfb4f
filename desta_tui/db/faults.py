"""Database faults in words: a driver's error becomes a DatabaseError subclass with a sentence.

The one translation the database classes (database.py) and the opening checks (preflight.py)
share, so the app and the command line need one handler for every fault. Imports no driver:
errors are recognised by their class names and SQLite's or PostgreSQL's error codes.
"""

from __future__ import annotations

import functools
from pathlib import Path

from desta_tui.domain.errors import (
    DatabaseBusyError,
    DatabaseDamagedError,
    DatabaseError,
    DatabaseFullError,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    DestaError,
)

# SQLite's primary result codes (Python 3.11 gives `sqlite_errorname`, e.g. SQLITE_IOERR_WRITE)
SQLITE_KINDS = {
    "SQLITE_BUSY": "busy",
    "SQLITE_LOCKED": "busy",
    "SQLITE_CORRUPT": "damaged",
    "SQLITE_NOTADB": "damaged",
    "SQLITE_READONLY": "read_only",
    "SQLITE_PERM": "read_only",
    "SQLITE_FULL": "full",
    "SQLITE_IOERR": "unavailable",
    "SQLITE_CANTOPEN": "cannot_open",
}

# PostgreSQL SQLSTATE codes, exact first, then by class (the first two characters)
POSTGRES_CODES = {
    "55P03": "busy",  # lock_not_available: our lock_timeout ran out
    "40P01": "busy",  # deadlock_detected
    "40001": "busy",  # serialization_failure
    "57014": "busy",  # query_canceled (statement_timeout)
    "53100": "full",  # disk_full
    "25006": "read_only",  # read_only_sql_transaction
    "42501": "denied",  # insufficient_privilege
    "XX001": "damaged",  # data_corrupted
    "XX002": "damaged",  # index_corrupted
    "58030": "unavailable",  # io_error
}
POSTGRES_CLASSES = {"08": "unavailable", "53": "unavailable", "57": "unavailable"}

# for drivers or versions that give no code: the words their messages use
MESSAGE_KINDS = (
    (("locked", "busy", "lock timeout", "deadlock"), "busy"),
    (("malformed", "not a database", "corrupt", "encrypted"), "damaged"),
    (("readonly", "read-only", "read only"), "read_only"),
    (("disk is full", "database or disk is full", "no space left"), "full"),
    (("disk i/o", "server closed the connection", "connection already closed",
      "terminating connection"), "unavailable"),
    (("unable to open",), "cannot_open"),
)  # fmt: skip

# the program's own mistakes (a constraint, bad SQL, a bad parameter) are not faults
PROGRAM_ERROR_NAMES = {"IntegrityError", "ProgrammingError", "DataError", "NotSupportedError"}


def driver_error(error: BaseException) -> BaseException | None:
    """The driver's own exception behind error (peewee keeps it as .orig), or None when error
    comes from neither sqlite3 nor psycopg (peewee's own complaints are the program's bugs)."""
    if isinstance(error, DestaError):
        return None
    inner = getattr(error, "orig", None)  # peewee keeps the driver's exception here
    if not isinstance(inner, BaseException):
        inner = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error
    module = type(inner).__module__ or ""
    if module.startswith(("sqlite3", "psycopg")):
        return inner
    return None


def is_fault(error: BaseException) -> bool:
    """True for a driver error that says the database is busy, damaged, full, read-only or out
    of reach; False for the program's own errors (a constraint, bad SQL), left as they are."""
    inner = driver_error(error)
    if inner is None:
        return False
    names = {cls.__name__ for cls in type(inner).__mro__}
    if names & PROGRAM_ERROR_NAMES:
        return False
    if type(inner).__module__.startswith("sqlite3") and "InterfaceError" in names:
        return False  # sqlite3's InterfaceError is a parameter it cannot bind: a bug
    return fault_kind(inner) != "other"


def _postgres_code(error: BaseException) -> str:
    return getattr(error, "pgcode", None) or ""


def fault_kind(error: BaseException) -> str:
    """busy, damaged, read_only, denied, full, unavailable, cannot_open or other."""
    inner = driver_error(error) or error
    sqlite_name = getattr(inner, "sqlite_errorname", None) or ""
    for prefix, kind in SQLITE_KINDS.items():
        if sqlite_name == prefix or sqlite_name.startswith(prefix + "_"):
            return kind
    code = _postgres_code(inner)
    if code:
        if code in POSTGRES_CODES:
            return POSTGRES_CODES[code]
        if code[:2] in POSTGRES_CLASSES:
            return POSTGRES_CLASSES[code[:2]]
    text = str(inner).lower()
    for words, kind in MESSAGE_KINDS:
        if any(word in text for word in words):
            return kind
    if type(inner).__name__ == "OperationalError" and type(inner).__module__.startswith("psycopg"):
        return "unavailable"  # psycopg's connection failures carry no code
    return "other"


def first_line(error: BaseException) -> str:
    text = str(driver_error(error) or error).strip()
    return text.splitlines()[0].rstrip(".") if text else type(error).__name__


def busy_seconds() -> str:
    from desta_tui.db.preflight import busy_timeout_ms

    return f"{busy_timeout_ms() / 1000:g}"


def translate_fault(
    error: BaseException, label: str, *, path: Path | None = None, server: bool = False
) -> DatabaseError:
    """The DatabaseError subclass, with its sentence, for a driver error on the database
    `label` (a SQLite file at `path`, or a server when `server`)."""
    kind = fault_kind(error)
    detail = first_line(error)
    if kind == "busy":
        if server:
            return DatabaseBusyError(
                f"The database server is busy: another desk has been saving for "
                f"{busy_seconds()} seconds. Nothing was saved; try again."
            )
        return DatabaseBusyError(
            f"The database {label} is busy: another program has been writing to it for "
            f"{busy_seconds()} seconds. Nothing was saved; close the other program or try "
            "again in a moment."
        )
    if kind == "damaged":
        if server:
            return DatabaseDamagedError(
                f"The database server reports damaged data ({detail}): ask its administrator "
                "to check it and restore it from the server's backups."
            )
        return damaged_error(path if path is not None else Path(label), detail)
    if kind == "read_only":
        return DatabaseReadOnlyError(
            f"The database {label} is read-only: Desta cannot save changes there; nothing was "
            "saved (move it to a folder you can write to, or ask for permission to write it)."
        )
    if kind == "denied":
        return DatabaseReadOnlyError(
            f"The database server refused Desta ({detail}): nothing was saved; ask its "
            "administrator to give your user the rights to the database's tables."
        )
    if kind == "full":
        where = "the database server's disk" if server else f"the disk holding {label}"
        return DatabaseFullError(
            f"There is no space left on {where}: nothing was saved; free some space and try again."
        )
    if kind == "unavailable":
        if server:
            return DatabaseUnavailableError(
                f"The connection to the database server was lost ({detail}): nothing was "
                "saved; check the network and try again."
            )
        return DatabaseUnavailableError(
            f"The database {label} could not be read or written ({detail}): nothing was "
            "saved; check that its disk or network drive is still connected, then try again."
        )
    if kind == "cannot_open":
        return DatabaseError(
            f"The database {label} cannot be opened here (check the folder and its permissions)."
        )
    return DatabaseError(f"The database {label} cannot be used: {detail}.")


def damaged_error(path: Path, detail: str) -> DatabaseDamagedError:
    """The sentence for a damaged file: the newest backup that passes its check, and how to
    put it back, or how to save what can still be read."""
    backup = _newest_good_backup(Path(path))
    if backup is not None:
        return DatabaseDamagedError(
            f"The database {path} is damaged ({detail}): restore the newest good backup with "
            f"`desta restore {backup}{_db_option(path)}`, or save what can still be read "
            f"with `desta check --recover{_db_option(path)}`.",
            newest_backup=str(backup),
        )
    return DatabaseDamagedError(
        f"The database {path} is damaged ({detail}) and no good backup of it was found: save "
        f"what can still be read with `desta check --recover{_db_option(path)}`."
    )


def _newest_good_backup(path: Path) -> Path | None:
    from desta_tui.db.backup import BACKUPS_FOLDER

    # a new backup changes its folder's time, and so the answer
    folder_times = []
    for folder in (path.parent / BACKUPS_FOLDER, path.parent):
        try:
            folder_times.append(folder.stat().st_mtime_ns)
        except OSError:
            folder_times.append(0)
    try:
        return _cached_newest_good_backup(path, tuple(folder_times))
    except OSError:
        return None


@functools.lru_cache(maxsize=8)
def _cached_newest_good_backup(path: Path, _folder_times: tuple[int, ...]) -> Path | None:
    # each translated fault would otherwise read every backup again: once is enough
    from desta_tui.db.backup import newest_good_backup

    return newest_good_backup(path)


def _db_option(path: Path) -> str:
    """` --db PATH` when the commands would otherwise open another database."""
    from desta_tui.paths import default_db_target

    try:
        default = Path(default_db_target()).expanduser().resolve()
    except (OSError, DestaError):
        default = None
    return "" if default == Path(path) else f" --db {path}"
