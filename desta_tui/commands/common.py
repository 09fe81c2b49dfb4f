"""What the subcommands share: opening the chosen database with one clear error."""

from __future__ import annotations

import argparse
import sys

from desta_tui.db.database import DatabaseInfo, describe_target, open_database
from desta_tui.domain.errors import DestaError
from desta_tui.paths import db_target_setting, resolve_db_target


def db_target(args: argparse.Namespace) -> str:
    return resolve_db_target(getattr(args, "db", None))


def db_setting(args: argparse.Namespace) -> str | None:
    """Where the database was named ("--db", "DESTA_DB"), so a sentence can say which to fix."""
    return db_target_setting(getattr(args, "db", None))


def require_sqlite_target(args: argparse.Namespace) -> None:
    """Refuse a server database before opening it: backups of those are the server's own job."""
    from desta_tui.services.backup import POSTGRES_REFUSAL

    if describe_target(db_target(args), db_setting(args)).kind != "sqlite":
        raise DestaError(POSTGRES_REFUSAL)


def open_from_args(args: argparse.Namespace, *, create: bool = False) -> DatabaseInfo:
    """Open (and upgrade if needed) the database the user chose; warn if it sits somewhere risky.

    A file that does not exist, or is empty, is refused unless create: a typo in --db or
    DESTA_DB must not give a new empty database that a command then reports on as if sound.
    """
    info = open_database(db_target(args), create=create, setting=db_setting(args))
    warn_if_risky(info)
    return info


def warn_if_risky(info: DatabaseInfo) -> None:
    """One line on stderr when the file is in a network share or a cloud-sync folder."""
    if info.kind == "sqlite" and info.path is not None:
        from desta_tui.db.location import risky_location

        warning = risky_location(info.path)
        if warning:
            print(f"desta: warning: {warning}", file=sys.stderr)
