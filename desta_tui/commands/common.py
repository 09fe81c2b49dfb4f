"""What the subcommands share: opening the chosen database with one clear error."""

from __future__ import annotations

import argparse

from desta_tui.db.database import DatabaseInfo, open_database
from desta_tui.paths import resolve_db_target


def db_target(args: argparse.Namespace) -> str:
    return resolve_db_target(getattr(args, "db", None))


def open_from_args(args: argparse.Namespace) -> DatabaseInfo:
    """Open (and upgrade if needed) the database the user chose."""
    return open_database(db_target(args))
