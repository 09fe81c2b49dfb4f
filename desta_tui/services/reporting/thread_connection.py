"""Printing from a worker thread: let go of the database connection the thread opened."""

from __future__ import annotations

from desta_tui.db.database import db


def release_thread_connection() -> None:
    """Close this thread's database connection (a worker thread that printed a pack): peewee
    opens one per thread, and a thread that ends should not leave its connection behind."""
    if db.obj is not None and not db.is_closed():
        db.close()
