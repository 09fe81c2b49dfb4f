"""The app's database session: open it, name it, judge its place, and let a thread's link go.

The UI reaches the database layer only through here. Nothing heavy loads at import: the app
names the target on its first frame, before the driver and peewee are imported.
"""

from __future__ import annotations

from desta_tui.db.preflight import DatabaseInfo, target_label

__all__ = [
    "DatabaseInfo",
    "database_label",
    "open_database",
    "release_thread_connection",
    "risky_location_warning",
]


def database_label(target: str) -> str:
    """The target as the start screen may show it: a path, or a URL without its password."""
    return target_label(target)


def open_database(target: str) -> DatabaseInfo:
    """Open (creating or upgrading as needed) the database at a path or URL for the app.

    A target that cannot be opened raises DatabaseError with one sentence saying why.
    """
    from desta_tui.db.database import open_database as open_target

    return open_target(target)


def risky_location_warning(database: DatabaseInfo | None) -> str | None:
    """The warning for a SQLite file in a network share or cloud-sync folder, if it is in one."""
    if database is None or database.kind != "sqlite" or database.path is None:
        return None
    from desta_tui.db.location import risky_location

    return risky_location(database.path)


def release_thread_connection() -> None:
    """Close this thread's database connection: peewee opens one per thread, and a worker
    thread that has finished must not leave its connection open."""
    from desta_tui.db.database import db

    if db.obj is not None and not db.is_closed():
        db.close()
