"""`desta import KIND FILE [--dry-run] [--update]`: records from CSV or XLSX, all or nothing."""

from __future__ import annotations

import argparse
import sys

from desta_tui.commands.common import open_from_args

KINDS = ["organisations", "members", "contacts", "compliance", "targets", "returns"]
MAX_LISTED = 200


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "import",
        parents=[parent],
        help="import records from a CSV or Excel file",
        description=(
            "Import records from CSV (UTF-8, UTF-8 with BOM or Windows-1252; comma or semicolon) "
            "or an Excel workbook (.xlsx). If any row is bad nothing is written, and every bad "
            "row is listed with its line, column and reason. Records already there (same name) "
            "are reported, and changed only with --update."
        ),
    )
    parser.add_argument("kind", choices=KINDS, help="what the file holds")
    parser.add_argument("file", metavar="FILE", help="a .csv or .xlsx file")
    parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    parser.add_argument("--update", action="store_true", help="change records already there")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desta_tui.services.importing import ACTION_WORDS, import_file
    from desta_tui.services.maintenance import require_sound_database

    open_from_args(args)
    # a damaged page takes the rows written after it down too: check before any write
    require_sound_database("Nothing was imported")
    report = import_file(args.kind, args.file, update=args.update, dry_run=args.dry_run)
    out = sys.stderr
    if report.source:
        print(f"Read {report.path.name} as {report.source}.", file=out)
    for header in report.ignored_columns:
        print(f"Column {header!r} is not one Desta imports for {args.kind}; it was left out.",
              file=out)  # fmt: skip
    if report.errors:
        for error in report.errors[:MAX_LISTED]:
            print(f"  {error}", file=out)
        if len(report.errors) > MAX_LISTED:
            print(f"  ... and {len(report.errors) - MAX_LISTED} more problems.", file=out)
        print(report.summary(), file=out)
        return 1
    for outcome in report.outcomes:
        if outcome.action == "unchanged":
            continue
        print(f"  line {outcome.line}: {ACTION_WORDS[outcome.action]}: {outcome.label}", file=out)
        for change in outcome.changes:
            print(f"      {change}", file=out)
    print(report.summary(), file=out)
    return 0
