"""`desta check [--recover [-o FILE]]`: integrity, foreign keys, schema version and record
counts, in words; or save what a damaged file still holds into a new one."""

from __future__ import annotations

import argparse
import sys

from desta_tui.commands.common import db_setting, db_target, open_from_args


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "check",
        parents=[parent],
        help="check the database's integrity and count its records",
        description=(
            "Check the database: integrity, foreign keys, schema version, record counts. With "
            "--recover, save what can still be read from a damaged database file into a new "
            "file (the damaged file is only read)."
        ),
    )
    parser.add_argument(
        "--recover",
        action="store_true",
        help="save what can still be read into a new file (SQLite files only)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="with --recover: the file to write (default: NAME.TIME.recovered.sqlite3 beside it)",
    )
    parser.set_defaults(run=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    if args.output and not args.recover:
        args.parser.error("-o FILE goes with --recover: a check writes no file")
    if args.recover:
        return run_recover(args)
    from desta_tui.services.maintenance import check_database

    open_from_args(args)
    report = check_database()
    print(f"Database:        {report.database} ({report.kind})")
    print(
        f"Schema version:  {report.schema_version} (this Desta knows up to {report.latest_version})"
    )
    if report.kind == "sqlite":
        print("Integrity:       " + ("ok" if not report.integrity else "PROBLEMS FOUND"))
        for problem in report.integrity:
            print(f"  - {problem}")
        if not report.foreign_keys_checked:
            print("Foreign keys:    not checked (the file itself is damaged)")
        else:
            print(
                "Foreign keys:    "
                + ("ok" if not report.foreign_key_problems else "PROBLEMS FOUND")
            )
        for problem in report.foreign_key_problems:
            print(f"  - {problem}")
    else:
        print("Integrity:       checked by the PostgreSQL server itself")
    print("Records (live / archived):")
    for table, (live, archived) in report.counts.items():
        print(f"  {table:<26} {live:>8} / {archived}")
    for table in report.unreadable:
        print(f"  {table:<26} cannot be read")
    if report.advice:
        print(f"desta: {report.advice}", file=sys.stderr)
    return 0 if report.is_healthy else 1


def run_recover(args: argparse.Namespace) -> int:
    from desta_tui.db.preflight import check_sqlite_path, describe_target
    from desta_tui.domain.errors import DatabaseError
    from desta_tui.services.maintenance import recover_file

    info = describe_target(db_target(args), db_setting(args))
    if info.kind != "sqlite" or info.path is None:
        raise DatabaseError(
            "--recover works on SQLite files: a PostgreSQL database is repaired and restored "
            "on its server."
        )
    # never opened as a database: the damaged file is only read, byte for byte
    check_sqlite_path(info.path, must_exist=True)
    if info.path.stat().st_size == 0:
        raise DatabaseError(f"{info.path} is empty: there is nothing to recover.")
    result = recover_file(info.path, args.output)
    err = sys.stderr
    tables = len(result.rows)
    how = f"read with {result.method}" + (f", because {result.note}" if result.note else "")
    print(f"Saved {result.total_rows:,} rows in {tables} tables from {result.source} into "
          f"{result.path} ({how}).", file=err)  # fmt: skip
    if result.unreadable:
        print(f"Could not be read, in whole or in part: {', '.join(result.unreadable)}.",
              file=err)  # fmt: skip
    option = f" --db {result.path}"
    if result.problems:
        count = len(result.problems)
        print(
            f"The new file still has {count} problem{'s' if count != 1 else ''} (the first: "
            f"{result.problems[0]}), so `desta restore` will not take it: copy out what you "
            f"need with `desta export TABLE{option}`.",
            file=err,
        )
    else:
        into = f" --db {info.path}" if db_setting(args) == "--db" else ""
        print(f"Look it over with `desta check{option}`, then put it in place with "
              f"`desta restore {result.path}{into}`.", file=err)  # fmt: skip
    print(result.path)
    return 0
