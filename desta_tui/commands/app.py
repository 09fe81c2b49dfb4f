"""`desta`: open the app on the chosen database."""

from __future__ import annotations

import argparse

from desta_tui.commands.common import db_target


def run_app(args: argparse.Namespace) -> int:
    from desta_tui.db.preflight import preflight

    target = db_target(args)
    # the cheap checks (a folder, not a database, a newer schema) fail here, before any window
    preflight(target)
    from desta_tui.ui.app import DestaApp

    app = DestaApp(target=target)
    app.run()
    if app.open_error:
        print(f"desta: {app.open_error}")
        return 1
    return 0
