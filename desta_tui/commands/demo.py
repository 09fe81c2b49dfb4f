"""`desta demo`: write a fresh demo database (the case study's figures) and open it."""

from __future__ import annotations

import argparse

from desta_tui.paths import demo_db_path


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "demo",
        parents=[parent],
        help="open the app on a fresh demo database",
        description="Write a fresh demo database (its own file, never your real one) and open it.",
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
