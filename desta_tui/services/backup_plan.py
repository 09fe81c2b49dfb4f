"""Whether today's automatic backup is due, and of which file: what the app asks on the main
thread as the database opens (backup.py gives it too, and takes the backup in a worker).

Apart from backup.py, whose copying, checking and restoring (and their five classes) a start
that takes no backup, as a demo's, never needs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desta_tui.db.database import current_database
from desta_tui.services.settings import get_setting


@dataclass(frozen=True)
class AutomaticBackupPlan:
    """What the start-up backup needs, read on the main thread so a worker needs no database."""

    database_path: Path
    keep: int


def automatic_backup_plan() -> AutomaticBackupPlan | None:
    """The plan for today's automatic backup, or None: a server database, a demo, or turned off."""
    info = current_database()
    if info is None or info.kind != "sqlite" or info.path is None:
        return None
    if get_setting("is_demo"):
        return None  # a demo is rebuilt at will; its backups would only crowd the folder
    keep = daily_backups_to_keep()
    if keep <= 0:
        return None
    return AutomaticBackupPlan(database_path=info.path, keep=keep)


def daily_backups_to_keep() -> int:
    """How many daily backups the settings keep (7 if the setting is not a number)."""
    try:
        return int(get_setting("backups_to_keep"))
    except (TypeError, ValueError):
        return 7
