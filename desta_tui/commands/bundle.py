"""`desta bundle export|import|show`: the files sites exchange to work apart and merge."""

from __future__ import annotations

import argparse
import sys

from desta_tui.commands.common import open_from_args


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "bundle",
        parents=[parent],
        help="exchange changes with the hub's other sites (export, import, show)",
        description=(
            "Write the changes the other sites are not known to have into one checked file, "
            "import such a file (all or nothing, after a backup), or describe one."
        ),
    )
    actions = parser.add_subparsers(dest="bundle_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        parents=[parent],
        help="write the changes the other sites lack (--all: everything, for a new laptop)",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="file or folder to write")
    export.add_argument(
        "--all",
        action="store_true",
        help="a full bundle: every record and change (a new laptop starts from one)",
    )
    export.set_defaults(run=run_export)
    imported = actions.add_parser(
        "import", parents=[parent], help="apply a bundle from another site (all or nothing)"
    )
    imported.add_argument("file", metavar="FILE", help="the bundle file")
    imported.add_argument(
        "--dry-run", action="store_true", help="say what it would do; change nothing"
    )
    imported.set_defaults(run=run_import)
    show = actions.add_parser("show", parents=[parent], help="describe a bundle, checked")
    show.add_argument("file", metavar="FILE", help="the bundle file")
    show.set_defaults(run=run_show)


def run_export(args: argparse.Namespace) -> int:
    from desta_tui.services.sync import export_bundle

    open_from_args(args)
    result = export_bundle(args.output, full=args.all)
    kind = "Full bundle" if result.is_full else "Bundle"
    extra = f" and {result.records} records" if result.is_full else ""
    print(
        f"{kind} from {result.site_name} written to {result.path}: {result.changes} "
        f"change{'s' if result.changes != 1 else ''}{extra}.",
        file=sys.stderr,
    )
    print(result.path)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from desta_tui.services.sync import import_bundle, is_full_bundle

    # a new laptop starts from a full bundle: the database it names may not exist yet
    open_from_args(args, create=is_full_bundle(args.file))
    report = import_bundle(args.file, dry_run=args.dry_run)
    for line in report.lines():
        print(line)
    return 0


def run_show(args: argparse.Namespace) -> int:
    from desta_tui.services.sync import describe_bundle

    for line in describe_bundle(args.file).lines():
        print(line)
    return 0
