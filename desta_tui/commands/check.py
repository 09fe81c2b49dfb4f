"""`desta check`: integrity, foreign keys, schema version and record counts, in words."""

from __future__ import annotations

import argparse

from desta_tui.commands.common import open_from_args


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "check",
        parents=[parent],
        help="check the database's integrity and count its records",
        description="Check the database: integrity, foreign keys, schema version, record counts.",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
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
        print("Foreign keys:    " + ("ok" if not report.foreign_key_problems else "PROBLEMS FOUND"))
        for problem in report.foreign_key_problems:
            print(f"  - {problem}")
    else:
        print("Integrity:       checked by the PostgreSQL server itself")
    print("Records (live / archived):")
    for table, (live, archived) in report.counts.items():
        print(f"  {table:<26} {live:>8} / {archived}")
    return 0 if report.is_healthy else 1
