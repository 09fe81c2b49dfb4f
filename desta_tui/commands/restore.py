"""`desta restore FILE`: put a checked backup in place, keeping the replaced database first."""

from __future__ import annotations

import argparse
import sys

from desta_tui.commands.common import db_setting, db_target, open_from_args, require_sqlite_target


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "restore",
        parents=[parent],
        help="restore the database from a backup file",
        description=(
            "Restore the database from a backup. The file is checked first (integrity, schema "
            "version, that it is a Desta database); the database it replaces is kept in the "
            "`backups` folder. Where there is no database yet, the backup becomes a new one."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the backup to restore")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desta_tui.db.preflight import describe_target, needs_creation
    from desta_tui.services.backup import (
        check_backup_file,
        is_damaged,
        restore_database,
        restore_into_new_file,
        restore_over_damaged,
    )

    require_sqlite_target(args)
    # check the file before touching the database, so a bad file changes nothing at all
    check_backup_file(args.file)
    target = db_target(args)
    path = describe_target(target, db_setting(args)).path
    assert path is not None
    if needs_creation(target):
        # restoring is one way to make a database: the backup becomes the new file
        result = restore_into_new_file(args.file, path)
    elif path.is_file() and is_damaged(path):
        # what the damaged-database sentence tells people to run: never open the damaged file
        result = restore_over_damaged(args.file, path)
    else:
        open_from_args(args)
        result = restore_database(args.file)
    for line in result.describe():
        print(line, file=sys.stderr)
    return 0
