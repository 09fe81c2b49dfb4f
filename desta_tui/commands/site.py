"""`desta site`: this database's hub and site; `desta site name NAME`, `desta site prefix CODE`."""

from __future__ import annotations

import argparse

from desta_tui.commands.common import open_from_args


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "site",
        parents=[parent],
        help="this database's hub and site (for working at several venues)",
        description=(
            "Show which hub this database belongs to and which of its sites it is, with the "
            "other sites it has had bundles from; or name this site, or set the letters its "
            "own ticket references carry."
        ),
    )
    parser.set_defaults(run=run_show)
    actions = parser.add_subparsers(dest="site_action", metavar="ACTION")
    name = actions.add_parser("name", parents=[parent], help="name this site")
    name.add_argument("name", metavar="NAME", help='e.g. "Church hall laptop"')
    name.set_defaults(run=run_name)
    prefix = actions.add_parser(
        "prefix", parents=[parent], help="the letters this site's ticket references carry"
    )
    prefix.add_argument("prefix", metavar="CODE", help="e.g. LDN (tickets T-LDN-0001...)")
    prefix.set_defaults(run=run_prefix)


def print_site(info) -> None:
    from desta_tui.services.sync.identity import site_label

    print(f"Hub:  {info.hub_name or '(unnamed)'} ({info.hub_uuid[:8]})")
    print(f"Site: {info.label} ({info.site_uuid[:8]})")
    if info.ticket_prefix:
        print(f"Tickets made here: T-{info.ticket_prefix}-0001 onwards")
    if info.joined_at is not None:
        print(f"Started from a full bundle on {info.joined_at:%d/%m/%Y}")
    print(f"Changes made here: {info.changes_made_here}")
    if info.peers:
        print("Other sites:")
        for peer in info.peers:
            when = f"last bundle {peer.last_bundle_at:%d/%m/%Y %H:%M}" if peer.last_bundle_at else (
                "no bundle from it yet")  # fmt: skip
            print(f"  {site_label(peer.site_uuid, peer.site_name)}: {when}")
    else:
        print("Other sites: none yet (a new laptop starts from `desta bundle export --all`)")
    if info.open_conflicts:
        print(f"Conflicts waiting: {info.open_conflicts} (desta conflicts)")


def run_show(args: argparse.Namespace) -> int:
    from desta_tui.services.sync import site_info

    open_from_args(args)
    print_site(site_info())
    return 0


def run_name(args: argparse.Namespace) -> int:
    from desta_tui.services.sync import set_site_name

    open_from_args(args)
    print_site(set_site_name(args.name))
    return 0


def run_prefix(args: argparse.Namespace) -> int:
    from desta_tui.services.sync import set_ticket_prefix

    open_from_args(args)
    print_site(set_ticket_prefix(args.prefix))
    return 0
