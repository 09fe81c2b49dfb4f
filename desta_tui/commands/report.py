"""`desta report {member,contract,tickets}`: one record (or the tickets) printed whole, as PDF."""

from __future__ import annotations

import argparse

from desta_tui.commands.common import open_from_args


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "report",
        parents=[parent],
        help="a member, a contract or the tickets as a PDF, with history",
        description="Print one record whole, with its history (old -> new, who, when), as a PDF.",
    )
    kinds = parser.add_subparsers(dest="report", metavar="KIND", required=True)
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "-o", "--output", metavar="FILE", help="file or folder to write (default: your documents)"
    )
    member = kinds.add_parser(
        "member", parents=[parent, output], help="a member organisation's record"
    )
    member.add_argument("name", help="the organisation's name (or a unique part of it)")
    contract = kinds.add_parser("contract", parents=[parent, output], help="a contract's record")
    contract.add_argument("name", help="the contract's title or reference (or a unique part)")
    tickets = kinds.add_parser("tickets", parents=[parent, output], help="the support tickets")
    tickets.add_argument("--open", action="store_true", help="only the unfinished ones")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desta_tui.reports import printing

    open_from_args(args)
    if args.report == "member":
        path = printing.print_member(args.name, args.output)
    elif args.report == "contract":
        path = printing.print_contract(args.name, args.output)
    else:
        path = printing.print_tickets(args.open, args.output)
    print(path)
    return 0
