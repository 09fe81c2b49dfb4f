"""`desta demo`: write a fresh demo database (the case study's figures) and open it."""

from __future__ import annotations

import argparse

from desta_tui.paths import demo_db_path

DEMO_DB_HELP = (
    "where to write the demo: a file or postgresql:// URL (default: demo.sqlite3 in the data "
    "folder; DESTA_DB is not used, so a demo never lands on the database you work in)"
)


def add_parser(subparsers, parent) -> None:
    # its own --db: the shared one's help promises DESTA_DB, which a demo deliberately ignores
    demo_parent = argparse.ArgumentParser(add_help=False)
    demo_parent.add_argument("--db", metavar="PATH|URL", default=argparse.SUPPRESS,
                             help=DEMO_DB_HELP)  # fmt: skip
    parser = subparsers.add_parser(
        "demo",
        parents=[demo_parent],
        help="open the app on a fresh demo database",
        description=(
            "Write a fresh demo database (its own file, never your real one) and open it. "
            "Only --db chooses another place; DESTA_DB is not used."
        ),
    )
    parser.add_argument("--no-open", action="store_true", help="write the database and stop")
    parser.add_argument(
        "--force", action="store_true", help="overwrite a database that is not a demo one"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from desta_tui.services.demo import write_demo_database

    target = getattr(args, "db", None) or str(demo_db_path())
    info = write_demo_database(target, force=args.force)
    print(f"Demo database written to {info.label}")
    if args.no_open:
        return 0
    from desta_tui.ui.app import DestaApp

    DestaApp(database=info).run()
    return 0
