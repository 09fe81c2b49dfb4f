"""Writing a demo database to a file or a server: built beside the target, then moved into place;
a database that is not a demo one is refused unless forced."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from desta_tui.db.database import (
    DatabaseInfo,
    check_sqlite_path,
    close_database,
    db,
    describe_target,
    inspect_sqlite,
    open_database,
)
from desta_tui.db.models import (
    ALL_MODELS,
    Organisation,
)
from desta_tui.domain.errors import DatabaseError


def write_demo_database(target: str, *, force: bool = False) -> DatabaseInfo:
    """Write a fresh demo database at target and leave it open.

    A file is built beside the target and moved into place only when complete; a database that
    is not a demo one is refused unless force is given.
    """
    info = describe_target(target)
    if info.kind == "postgresql":
        return _write_demo_postgres(target, force=force)
    assert info.path is not None
    check_sqlite_path(info.path)
    if info.path.exists() and info.path.stat().st_size > 0 and not force:
        _refuse_unless_demo(info.path)
    building = info.path.with_name(f".{info.path.name}.building")
    for leftover in _sqlite_files(building):
        leftover.unlink()
    open_database(str(building))
    try:
        build_demo_database()
    finally:
        close_database()
    for old in _sqlite_files(info.path):
        old.unlink()
    os.replace(building, info.path)
    return open_database(str(info.path))


def _sqlite_files(path: Path) -> list[Path]:
    candidates = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    return [candidate for candidate in candidates if candidate.exists()]


def _refuse_unless_demo(path: Path) -> None:
    tables, _version = inspect_sqlite(path)
    is_demo = False
    if "setting" in tables:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM setting WHERE key = 'is_demo'").fetchone()
            is_demo = bool(row and json.loads(row[0]))
        finally:
            conn.close()
    if not is_demo:
        raise DatabaseError(
            f"{path} holds a database that is not a demo one; "
            "use --force to overwrite it, or choose another --db."
        )


def _write_demo_postgres(target: str, *, force: bool) -> DatabaseInfo:
    from desta_tui.services.settings import get_setting

    info = open_database(target)

    if Organisation.select().exists() and not get_setting("is_demo") and not force:
        close_database()
        raise DatabaseError(
            "That server database holds a database that is not a demo one; "
            "use --force to overwrite it."
        )
    with db.atomic():
        tables = [model for model in reversed(ALL_MODELS)]
        db.drop_tables(tables, safe=True, cascade=True)
    close_database()
    info = open_database(target)
    build_demo_database()
    from desta_tui.services.settings import forget_cached_settings

    forget_cached_settings()
    return info


def build_demo_database() -> None:
    """Fill the open, empty database with the demo data, in one transaction."""
    with db.atomic():
        from desta_tui.services.demo.builder import DemoBuilder

        DemoBuilder().build()
