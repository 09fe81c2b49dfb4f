"""Checks that need no database driver: is this target a usable Desta database at all?

Kept apart from database.py so the command line and the app's first frame need not import peewee.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from desta_tui.db.faults import translate_fault
from desta_tui.domain.errors import DatabaseError

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_ENV = "DESTA_BUSY_TIMEOUT_MS"
DEFAULT_BUSY_TIMEOUT_MS = 10_000
POSTGRES_SCHEMES = ("postgresql", "postgres")


def parse_busy_timeout(text: str | None) -> int | None:
    """The milliseconds DESTA_BUSY_TIMEOUT_MS asks for; None when it is not a whole number."""
    if text is None or not text.strip():
        return DEFAULT_BUSY_TIMEOUT_MS
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if value >= 0 else None


# A bad value falls back to the default here, so importing never fails; check_settings() then
# refuses it with a sentence before any database is opened.
_parsed_timeout = parse_busy_timeout(os.environ.get(BUSY_TIMEOUT_ENV))
BUSY_TIMEOUT_MS = DEFAULT_BUSY_TIMEOUT_MS if _parsed_timeout is None else _parsed_timeout


def busy_timeout_ms() -> int:
    """How long a save waits for another program's write to finish before giving up."""
    return BUSY_TIMEOUT_MS


def check_settings() -> None:
    """Refuse, naming the setting, an environment setting the database depends on that is wrong."""
    text = os.environ.get(BUSY_TIMEOUT_ENV)
    if parse_busy_timeout(text) is None:
        raise DatabaseError(
            f"{BUSY_TIMEOUT_ENV} is set to {text!r}, which is not a number of milliseconds: "
            "set it to a whole number such as 10000, or unset it."
        )


# WAL never corrupts on a crash; FULL also keeps the last commits through a power cut.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "cache_size": -64000,
    "busy_timeout": BUSY_TIMEOUT_MS,  # database.py puts busy_timeout_ms() in at each opening
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


NOT_FILES = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def check_sqlite_path(path: Path, *, must_exist: bool = False) -> None:
    """Refuse, with one clear sentence, a path that cannot hold a Desta database."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file.")
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        # never opened: reading a pipe or a device waits for ever, or reads a disk
        what = next((name for test, name in NOT_FILES if test(mode)), "not a regular file")
        raise DatabaseError(f"{path} is {what}, not a database file: give the path of a file.")
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
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=busy_timeout_ms() / 1000)
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
        raise translate_fault(error, str(path), path=path) from None
    finally:
        conn.close()


def explain_sqlite_error(path: Path | str, error: Exception) -> str:
    """Turn an sqlite3 error into a sentence a hub officer can act on."""
    return translate_fault(error, str(path), path=Path(path)).message


def describe_target(target: str, setting: str | None = None) -> DatabaseInfo:
    """What a --db value or DESTA_DB names; a malformed URL is refused with a sentence that
    names `setting` (where the value came from) and never shows the URL, which may hold a
    password."""
    lowered = target.lower()
    if lowered.startswith(tuple(f"{scheme}:" for scheme in POSTGRES_SCHEMES)) and not is_url(
        target
    ):
        raise url_error("it must begin postgresql:// (with two slashes)", setting)
    if lowered.startswith("sqlite:") and not lowered.startswith("sqlite:///"):
        place = f" in {setting}" if setting else ""
        raise DatabaseError(
            f"That sqlite: URL{place} cannot be used: write a file as sqlite:///PATH, or give "
            "the path itself."
        )
    if is_url(target) and not lowered.startswith("sqlite:"):
        scheme = target.split("://", 1)[0]
        if scheme.lower() not in POSTGRES_SCHEMES:
            place = f" in {setting}" if setting else ""
            raise DatabaseError(
                f"Unknown database URL scheme {scheme!r}{place}: use a file path or "
                "postgresql://..."
            )
        check_postgres_url(target, setting)
        return DatabaseInfo(target=target, kind="postgresql", path=None)
    return DatabaseInfo(target=target, kind="sqlite", path=sqlite_path_of(target).resolve())


def url_error(reason: str, setting: str | None) -> DatabaseError:
    """One sentence for a postgresql:// URL that cannot work: what is wrong, and where to fix
    it; never the URL itself, which may hold a password."""
    example = "postgresql://user@server:5432/desta"
    fix = f"correct {setting} to read like {example}" if setting else f"write it like {example}"
    return DatabaseError(f"That postgresql:// URL cannot be used: {reason}; {fix}.")


def check_postgres_url(target: str, setting: str | None = None) -> None:
    """Refuse a postgresql:// URL that no server could be reached by, saying what is wrong."""
    bad_port = "its port must be a number from 1 to 65535"
    try:
        parsed = urlparse(target)
        port = parsed.port
    except ValueError as error:
        reason = str(error).lower()
        if "port" in reason:
            raise url_error(bad_port, setting) from None
        if "ipv6" in reason:
            raise url_error("its server address has a [ without a matching ]", setting) from None
        raise url_error(str(error), setting) from None
    if port == 0:
        raise url_error(bad_port, setting)
    if not parsed.path.strip("/"):
        raise url_error("it names no database after the server", setting)


def target_label(target: str) -> str:
    """The target as it may be shown on screen: a URL without its password."""
    try:
        return describe_target(target).label
    except (DatabaseError, ValueError):
        return "the database" if is_url(target) else target


def needs_creation(target: str) -> bool:
    """True when opening target would make a new database: a SQLite file that does not exist
    yet, or one of 0 bytes. The app asks before it does that (a typo in --db or DESTA_DB
    would otherwise give an empty database); the commands that only read refuse instead."""
    info = describe_target(target)
    if info.kind != "sqlite" or info.path is None:
        return False  # a server database is made by its administrator, and filled on opening
    try:
        return not info.path.exists() or (info.path.is_file() and info.path.stat().st_size == 0)
    except OSError:
        return False


def refuse_creation(path: Path, setting: str | None) -> DatabaseError:
    """The sentence for a command that would have made a new database it does not need."""
    if setting is None:  # the default file: nothing mistyped, just not made yet
        return DatabaseError(
            f"There is no database at {path} yet: open the app with `desta` to start one, or "
            "try `desta demo`."
        )
    given = f" (given by {setting})"
    start = f"`desta --db {path}`" if setting == "--db" else "`desta`"
    if path.exists():
        return DatabaseError(
            f"{path}{given} is an empty file, not a Desta database: check the path, or open "
            f"it with {start} to start a new database there."
        )
    return DatabaseError(
        f"There is no database at {path}{given}: check the path for a typo, or open it with "
        f"{start} to start a new database there."
    )


def preflight(target: str, *, create: bool = True, setting: str | None = None) -> DatabaseInfo:
    """Refuse a target that cannot be opened, without a driver: fast enough for start-up.

    With create=False a file that does not exist, or is empty, is refused too: only the
    commands that make a database (and the app, after asking) may create one."""
    return preflight_and_version(target, create=create, setting=setting)[0]


def preflight_and_version(
    target: str, *, create: bool = True, setting: str | None = None
) -> tuple[DatabaseInfo, int]:
    """`preflight`, and the schema version it read in the SQLite file (0: a new file, or a
    server, whose version is read once connected): opening goes on to upgrade from it,
    without opening the file a second time to read it again."""
    from desta_tui.db.upgrade import check_compatible

    check_settings()
    info = describe_target(target, setting)
    version = 0
    if info.kind == "sqlite":
        assert info.path is not None
        check_sqlite_path(info.path)
        if not create and needs_creation(target):
            raise refuse_creation(info.path, setting)
        tables, version = inspect_sqlite(info.path)
        check_compatible(str(info.path), tables, version)
    return info, version
