"""`desta pack --period 2012-10 [--consortium NAME] [-o FILE] [--board]`: the meeting pack PDF."""

from __future__ import annotations

import argparse

from desta_tui.commands.common import open_from_args


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "pack",
        parents=[parent],
        help="meeting pack PDF for a consortium and month",
        description="Write the Service Management Group meeting pack (or, with --board, the "
        "board pack) for a consortium and month as a PDF.",
    )
    parser.add_argument(
        "--period", required=True, metavar="MONTH", help="the month, like 2012-10 or Oct 2012"
    )
    parser.add_argument(
        "--consortium",
        metavar="NAME",
        help="full or short name (default: the consortium with most contracts in delivery)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="file or folder to write (default: desta-smg-pack-YYYY-MM.pdf in your documents)",
    )
    parser.add_argument("--board", action="store_true", help="the board pack instead")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desta_tui.reports.printing import print_pack

    open_from_args(args)
    path = print_pack(args.consortium, args.period, args.output, board=args.board)
    print(path)
    return 0
