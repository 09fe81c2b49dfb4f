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
    from desta_tui.ui.app import DestaApp

    app = DestaApp(target=target)
    app.run()
    if app.open_error:
        print(f"desta: {app.open_error}", file=sys.stderr)
        return 1
    return 0
