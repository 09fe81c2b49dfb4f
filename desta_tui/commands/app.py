"""`desta`: open the app on the chosen database."""

from __future__ import annotations

import argparse

from desta_tui.commands.common import open_from_args


def run_app(args: argparse.Namespace) -> int:
    info = open_from_args(args)
    from desta_tui.ui.app import DestaApp

    DestaApp(database=info).run()
    return 0
