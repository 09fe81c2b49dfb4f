"""`desta`: open the app on the chosen database."""

from __future__ import annotations

import argparse
import sys

from desta_tui.commands.common import db_setting, db_target


def run_app(args: argparse.Namespace) -> int:
    from desta_tui.db.preflight import preflight

    target = db_target(args)
    # the cheap checks (a folder, a pipe, not a database, a newer schema, a malformed URL or
    # setting) fail here, before any window. A missing or empty file is let through: the app
    # is the place that may make a new database (db.preflight.needs_creation says when).
    preflight(target, setting=db_setting(args))
    if not agreed_to_create(target, db_setting(args)):
        return 1
    from desta_tui.ui.app import DestaApp

    app = DestaApp(target=target)
    app.run()
    if app.open_error:
        print(f"desta: {app.open_error}", file=sys.stderr)
        return 1
    return 0


def agreed_to_create(target: str, setting: str | None) -> bool:
    """A --db or DESTA_DB file that is not there yet (a typo, as often as not) is made only
    when the person says so; the answer defaults to no. The data folder's own file is made
    without asking: that is a first start, not a typo."""
    from desta_tui.db.preflight import describe_target, needs_creation, refuse_creation

    if setting is None or not needs_creation(target):
        return True
    path = describe_target(target).path
    if not sys.stdin.isatty():
        print(f"desta: {refuse_creation(path, setting)}", file=sys.stderr)
        return False
    try:
        answer = input(
            f"There is no Desta database at {path} (given by {setting}). "
            "Start a new, empty one there? [y/N] "
        )
    except EOFError:
        answer = ""
    if answer.strip().lower() in ("y", "yes"):
        return True
    print("Nothing was created: check the path, or try `desta demo`.", file=sys.stderr)
    return False
