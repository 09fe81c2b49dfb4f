"""Saving what can still be read from a damaged SQLite file into a new file; the damaged file
itself is only ever read (recovery works on a private copy of it)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from desta_tui.db.backup import integrity_problems, timestamped_name
from desta_tui.domain.errors import DatabaseError

RECOVERED_LABEL = "recovered"
SQLITE_COMMAND = "sqlite3"
CLI_METHOD = "the sqlite3 command's .recover"
PYTHON_METHOD = "Python's sqlite3 module, table by table"
BATCH_ROWS = 500


@dataclass(frozen=True)
class RecoveryResult:
    """What `desta check --recover` saved, how, and what the new file still lacks."""

    source: Path
    path: Path
    method: str
    rows: dict[str, int]  # table -> rows saved
    unreadable: tuple[str, ...] = ()  # tables read only in part, or not at all
    problems: list[str] = field(default_factory=list)  # the new file's own check
    note: str = ""  # why the sqlite3 command was not used, when it was there

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def default_recovery_path(database_path: Path) -> Path:
    """`desta.2026-11-25T190102.recovered.sqlite3` beside the database (not among backups)."""
    return timestamped_name(Path(database_path), RECOVERED_LABEL)


def recover_sqlite(
    source: Path, destination: Path | None = None, *, sqlite_command: str | None = None
) -> RecoveryResult:
    """Save what SQLite can still read from source into a new file at destination.

    The sqlite3 command's `.recover` reads even pages whose tree is broken; without it (or if
    it fails here) Python's sqlite3 copies the schema, then each table's rows until the first
    unreadable page. The new file is written beside destination and moved into place whole,
    owner-only; source is copied first and never opened for writing.
    """
    source = Path(source).resolve()
    target = Path(destination or default_recovery_path(source)).expanduser()
    if target.is_dir():
        target = target / default_recovery_path(source).name
    target = target.resolve()
    if target == source:
        raise DatabaseError("The recovered copy cannot be written over the damaged file itself.")
    if target.exists():
        raise DatabaseError(f"{target} already exists: choose another file name with -o.")
    if not target.parent.is_dir():
        raise DatabaseError(f"The folder {target.parent} does not exist.")
    command = sqlite_command if sqlite_command is not None else shutil.which(SQLITE_COMMAND)
    partial = target.with_name(f".{target.name}.partial")
    workdir = Path(tempfile.mkdtemp(prefix=".desta-recover-", dir=target.parent))
    try:
        copy = _private_copy(source, workdir)
        note = ""
        outcome = None
        if command:
            outcome, note = _recover_with_command(command, copy, partial, workdir)
        if outcome is None:
            _remove(partial)
            outcome = _recover_with_python(copy, partial)
        method, unreadable = outcome
        rows = _row_counts(partial)
        if not rows:
            raise DatabaseError(
                f"Nothing could be read from {source}: it is too damaged to recover; restore "
                "a backup instead."
            )
        conn = sqlite3.connect(partial)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")  # the new file stands alone
        finally:
            conn.close()
        problems = integrity_problems(partial)
        os.replace(partial, target)
    except OSError as error:
        raise DatabaseError(f"Could not write {target}: {error.strerror}.") from None
    finally:
        _remove(partial)
        shutil.rmtree(workdir, ignore_errors=True)
    return RecoveryResult(source, target, method, rows, tuple(unreadable), problems, note)


def _private_copy(source: Path, workdir: Path) -> Path:
    """Copy the file (and its write-ahead log, which holds the latest commits) byte for byte."""
    copy = workdir / "damaged.sqlite3"
    try:
        shutil.copyfile(source, copy)
        wal = Path(f"{source}-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(f"{copy}-wal"))
    except OSError as error:
        raise DatabaseError(f"{source} cannot be read: {error.strerror}.") from None
    return copy


def _create_private(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _recover_with_command(
    command: str, copy: Path, partial: Path, workdir: Path
) -> tuple[tuple[str, list[str]] | None, str]:
    """Run `.recover` into an SQL script, then load it; (None, why) when that did not work."""
    script = workdir / "recovered.sql"
    try:
        with script.open("wb") as out:
            dumped = subprocess.run(
                [command, str(copy), ".recover"], stdout=out, stderr=subprocess.PIPE
            )
        if dumped.returncode != 0:
            return None, _command_note(dumped.stderr)
        _create_private(partial)
        with script.open("rb") as commands:
            subprocess.run(
                [command, str(partial)], stdin=commands, capture_output=True, check=False
            )
    except OSError as error:
        return None, f"the sqlite3 command could not be run ({error.strerror})"
    if not _row_counts(partial):
        return None, "the sqlite3 command's .recover saved nothing"
    return (CLI_METHOD, []), ""


def _command_note(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip().splitlines()
    detail = text[0] if text else "it failed"
    return f"the sqlite3 command's .recover did not work here ({detail})"


def _recover_with_python(copy: Path, partial: Path) -> tuple[str, list[str]]:
    """Schema first, then each table's rows until an unreadable page; indexes last."""
    source = sqlite3.connect(copy)
    _create_private(partial)
    target = sqlite3.connect(partial, isolation_level=None)
    unreadable: list[str] = []
    try:
        try:
            schema = source.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            ).fetchall()
        except sqlite3.DatabaseError:
            return PYTHON_METHOD, ["sqlite_master"]
        tables = [(name, sql) for kind, name, sql in schema if kind == "table"]
        target.execute("BEGIN")
        for name, sql in tables:
            if not name.startswith("sqlite_"):
                target.execute(sql)
        for name, _sql in tables:
            if name.startswith("sqlite_") and name != "sqlite_sequence":
                continue  # SQLite's own statistics: rebuilt by ANALYZE, not data
            if not _copy_rows(source, target, name):
                unreadable.append(name)
        for kind, name, sql in schema:
            if kind != "table" and not name.startswith("sqlite_"):
                try:
                    target.execute(sql)
                except sqlite3.DatabaseError:
                    unreadable.append(f"{kind} {name}")  # e.g. a unique index the rows break
        target.execute("COMMIT")
    finally:
        source.close()
        target.close()
    return PYTHON_METHOD, unreadable


def _copy_rows(source: sqlite3.Connection, target: sqlite3.Connection, table: str) -> bool:
    """Copy a table's rows until the first unreadable one; True when all were read."""
    quoted = '"' + table.replace('"', '""') + '"'
    try:
        cursor = source.execute(f"SELECT * FROM {quoted}")
        places = ", ".join("?" * len(cursor.description))
        insert = f"INSERT OR IGNORE INTO {quoted} VALUES ({places})"
        while True:
            batch = cursor.fetchmany(BATCH_ROWS)
            if not batch:
                return True
            # a batch the new file refuses is left out; the rest go on
            with contextlib.suppress(sqlite3.DatabaseError):
                target.executemany(insert, batch)
    except sqlite3.DatabaseError:
        return False


def _row_counts(path: Path) -> dict[str, int]:
    """Rows per table in the new file; empty when it holds no table at all."""
    if not path.exists() or path.stat().st_size == 0:
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )]  # fmt: skip
        counts = {}
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'
            counts[name] = conn.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0]
        return counts
    except sqlite3.DatabaseError:
        return {}
    finally:
        conn.close()


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        if leftover.exists():
            leftover.unlink()
