"""`desta pack --period 2012-10 [--consortium NAME] [-o FILE] [--board] [--replace] [--open]
[--print]`: the meeting pack PDF."""

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
        help="file or folder to write (default: desta-smg-pack-YYYY-MM-printed-DATE.pdf in "
        "your documents); a file already there is kept and the new one numbered (-2, -3...)",
    )
    parser.add_argument("--board", action="store_true", help="the board pack instead")
    parser.add_argument(
        "--replace", action="store_true", help="write over the file if it is there already"
    )
    parser.add_argument("--open", action="store_true", help="open the PDF in your PDF viewer")
    parser.add_argument(
        "--print", action="store_true", help="send the PDF to your default printer (lp or lpr)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from desta_tui.reports.printing import open_in_viewer, print_pack, send_to_printer

    open_from_args(args)
    path = print_pack(
        args.consortium, args.period, args.output, board=args.board, replace=args.replace
    )
    print(path)
    asked = Path(args.output).expanduser() if args.output else None
    if asked is not None and not asked.is_dir() and asked != path:
        print(f"desta: {asked} is there already: kept it, and wrote {path.name}", file=sys.stderr)
    code = 0
    for wanted, act in ((args.open, open_in_viewer), (args.print, send_to_printer)):
        if wanted:
            said = act(path)
            print(said if said.ok else f"desta: {said}", file=sys.stdout if said.ok else sys.stderr)
            code = code or (0 if said.ok else 1)
    return code
