"""`desta backup [-o FILE]`: a checked copy of the database, safe while the app is open."""

from __future__ import annotations

import argparse
import sys

from desta_tui.commands.common import open_from_args, require_sqlite_target


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "backup",
        parents=[parent],
        help="copy the database to a backup file (safe while the app is open)",
        description=(
            "Copy the database, while it may be in use, to a checked backup file. Without -o "
            "the copy goes into the `backups` folder beside the database, named with the time."
        ),
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="file or folder to write")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desta_tui.services.backup import backup_database

    require_sqlite_target(args)
    open_from_args(args)
    result = backup_database(args.output)
    size = result.size_bytes / 1024
    print(f"Backed up to {result.path} ({size:,.0f} KB, integrity checked).", file=sys.stderr)
    print(result.path)
    return 0
