"""A fresh database for a test: a copy of one migrated once per session, as a new file would be."""

from __future__ import annotations

import shutil
from pathlib import Path

from desta_tui.db.database import open_database


def open_copy_of_empty(template: Path, path: Path) -> Path:
    """Copy the migrated empty SQLite database to `path` and open it as a site of its own."""
    shutil.copyfile(template, path)
    open_database(str(path))
    give_new_site_identity()
    return path


def give_new_site_identity() -> None:
    """Give the open database, a copy of a template, a hub and a site of its own, as migration
    0006 gives each new database (two copies are two sites, as two new files are)."""
    from desta_tui.db.models.base import random_uuid
    from desta_tui.db.models.sync import SyncSite

    SyncSite.update(hub_uuid=random_uuid(), site_uuid=random_uuid()).execute()
