"""`desta restore FILE`: put a checked backup in place, keeping the replaced database first."""

from __future__ import annotations

import argparse
import sys

from desta_tui.commands.common import open_from_args, require_sqlite_target


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "restore",
        parents=[parent],
        help="restore the database from a backup file",
        description=(
            "Restore the database from a backup. The file is checked first (integrity, schema "
            "version, that it is a Desta database); the database it replaces is kept in the "
            "`backups` folder."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the backup to restore")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desta_tui.services.backup import check_backup_file, restore_database

    require_sqlite_target(args)
    # check the file before touching the database, so a bad file changes nothing at all
    check_backup_file(args.file)
    open_from_args(args)
    result = restore_database(args.file)
    for line in result.describe():
        print(line, file=sys.stderr)
    return 0
