"""How many conflicts wait for a person: the dashboard's figure, apart from conflicts.py so the
dashboard's start loads no more of the sync services."""

from __future__ import annotations

from desta_tui.db.models import SyncConflict


def conflict_count() -> int:
    """How many conflicts wait for a person (the dashboard's figure)."""
    return SyncConflict.select().where(SyncConflict.resolved_at.is_null()).count()
