"""What the subcommands share: opening the chosen database with one clear error."""

from __future__ import annotations

import argparse
import sys

from desta_tui.db.database import DatabaseInfo, describe_target, open_database
from desta_tui.domain.errors import DestaError
from desta_tui.paths import resolve_db_target


def db_target(args: argparse.Namespace) -> str:
    return resolve_db_target(getattr(args, "db", None))


def require_sqlite_target(args: argparse.Namespace) -> None:
    """Refuse a server database before opening it: backups of those are the server's own job."""
    from desta_tui.services.backup import POSTGRES_REFUSAL

    if describe_target(db_target(args)).kind != "sqlite":
        raise DestaError(POSTGRES_REFUSAL)


def open_from_args(args: argparse.Namespace) -> DatabaseInfo:
    """Open (and upgrade if needed) the database the user chose; warn if it sits somewhere risky."""
    info = open_database(db_target(args))
    warn_if_risky(info)
    return info


def warn_if_risky(info: DatabaseInfo) -> None:
    """One line on stderr when the file is in a network share or a cloud-sync folder."""
    if info.kind == "sqlite" and info.path is not None:
        from desta_tui.db.location import risky_location

        warning = risky_location(info.path)
        if warning:
            print(f"desta: warning: {warning}", file=sys.stderr)
