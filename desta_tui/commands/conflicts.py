"""`desta conflicts`: what merges left for a person; `desta conflicts resolve N` settles one."""

from __future__ import annotations

import argparse

from desta_tui.commands.common import open_from_args


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "conflicts",
        parents=[parent],
        help="list the conflicts merges left for a person, or settle one",
        description=(
            "List the conflicts bundles from other sites left: the same field changed at two "
            "sites, a record archived at one and changed at another, a rule broken by changes "
            "made apart. Settle one with `desta conflicts resolve N --take local|incoming` or "
            "`--value TEXT`; the choice travels to the other sites with the next bundle."
        ),
    )
    parser.add_argument("--all", action="store_true", help="the settled ones too")
    parser.set_defaults(run=run_list)
    actions = parser.add_subparsers(dest="conflicts_action", metavar="ACTION")
    resolve = actions.add_parser("resolve", parents=[parent], help="settle conflict N")
    resolve.add_argument("number", type=int, metavar="N", help="the conflict's number")
    choice = resolve.add_mutually_exclusive_group(required=True)
    choice.add_argument(
        "--take", choices=("local", "incoming"), help="keep this site's value, or the other's"
    )
    choice.add_argument("--value", metavar="TEXT", help="type the value to keep")
    resolve.set_defaults(run=run_resolve)


def describe(conflict) -> list[str]:
    head = f"#{conflict.id} {conflict.kind_label}: {conflict.record_kind} {conflict.record_label}"
    lines = [head]
    if conflict.kind in ("field", "archive", "twin"):
        for words, side in (("here", conflict.local), ("there", conflict.incoming)):
            when = f" on {side.at:%d/%m/%Y %H:%M}" if side.at else ""
            field = f"{side.field.replace('_', ' ')}: " if side.field else ""
            held = "  (held now)" if side.is_held and conflict.is_open else ""
            lines.append(
                f"  {'local' if words == 'here' else 'incoming'}: {field}{side.text} "
                f"({side.site_name}, {side.who or 'unknown'}{when}){held}"
            )
    else:
        lines.append(f"  {conflict.detail}")
        held = conflict.local if conflict.local.is_held else conflict.incoming
        lines.append(f"  {conflict.field_label} now: {held.text}")
    if not conflict.is_open:
        lines.append(
            f"  settled {conflict.resolved_at:%d/%m/%Y %H:%M}"
            + (f" by {conflict.resolved_by}" if conflict.resolved_by else "")
            + f": {conflict.resolution}"
        )
    return lines


def run_list(args: argparse.Namespace) -> int:
    from desta_tui.services.sync import list_conflicts

    open_from_args(args)
    conflicts = list_conflicts(include_resolved=args.all)
    if not conflicts:
        print("No conflicts wait for a person.")
        return 0
    for conflict in conflicts:
        for line in describe(conflict):
            print(line)
    open_count = sum(1 for conflict in conflicts if conflict.is_open)
    print(
        f"{open_count} conflict{'s' if open_count != 1 else ''} waiting. Settle one with "
        "`desta conflicts resolve N --take local|incoming` or `--value TEXT`."
    )
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    from desta_tui.services.sync import resolve_conflict

    open_from_args(args)
    conflict = resolve_conflict(args.number, take=args.take, value=args.value)
    for line in describe(conflict):
        print(line)
    print("The choice goes to the other sites with the next bundle.")
    return 0
