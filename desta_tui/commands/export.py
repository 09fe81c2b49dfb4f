"""`desta export TABLE [-o FILE] [--xlsx]`: a table as CSV or a workbook that Excel opens right."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desta_tui.commands.common import open_from_args

TABLES = ["organisations", "members", "contacts", "contracts", "partners", "targets", "returns",
          "tickets"]  # fmt: skip


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "export",
        parents=[parent],
        help="export a table as CSV",
        description="Export a table as CSV (UTF-8 with BOM, UK dates, money in pounds).",
    )
    parser.add_argument("table", choices=TABLES, help="which table")
    parser.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    parser.add_argument("--xlsx", action="store_true", help="write an Excel workbook (needs -o)")
    parser.set_defaults(run=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    from desta_tui.services.export import csv_text, export_table, write_csv

    if args.xlsx and not args.output:
        args.parser.error("--xlsx needs -o FILE: a workbook cannot be written to the screen")
    open_from_args(args)
    table = export_table(args.table)
    if args.xlsx:
        from desta_tui.services.export import write_xlsx

        path = write_xlsx(table, Path(args.output))
        print(f"{len(table.rows)} {args.table} written to {path}", file=sys.stderr)
    elif args.output:
        path = write_csv(table, Path(args.output))
        print(f"{len(table.rows)} {args.table} written to {path}", file=sys.stderr)
    else:
        sys.stdout.write(csv_text(table))
    return 0
