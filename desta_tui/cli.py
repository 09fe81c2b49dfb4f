"""The `desta` command: argparse subcommands, each in desta_tui/commands/, imported when used."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desta_tui import __version__

# name -> module in desta_tui.commands; each module has add_parser(subparsers, parent) and run(args)
COMMANDS = {
    "demo": "demo",
    "check": "check",
    "export": "export",
    "backup": "backup",
    "restore": "restore",
    "import": "import_",
    "contact": "contact",
    "pack": "pack",
    "report": "report",
    "site": "site",
    "bundle": "bundle",
    "conflicts": "conflicts",
}

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    db_help = (
        "database file or postgresql:// URL (default: DESTA_DB, else the file in the data folder)"
    )
    parser = argparse.ArgumentParser(
        prog="desta",
        description="Desta hub desk: membership, contracts, returns, tickets and meeting packs.",
    )
    parser.add_argument("--version", action="version", version=f"desta {__version__}")
    parser.add_argument("--db", metavar="PATH|URL", help=db_help)
    # --db after the subcommand too; SUPPRESS keeps a missing one from hiding the main --db
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--db", metavar="PATH|URL", default=argparse.SUPPRESS, help=db_help)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMANDS.values():
        module = importlib.import_module(f"desta_tui.commands.{module_name}")
        module.add_parser(subparsers, parent)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 user error, 2 usage)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list in (["--version"], ["-V"]):
        # answered before anything else is imported, so it stays instant
        print(f"desta {__version__}")
        return EXIT_OK
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        if args.command is None:
            from desta_tui.commands.app import run_app

            return run_app(args)
        return args.run(args)
    except KeyboardInterrupt:
        print("desta: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the last guard: one clear line, never a traceback
        return report_error(error)


def report_error(error: Exception) -> int:
    from desta_tui.domain.errors import DestaError

    if isinstance(error, DestaError):
        print(f"desta: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    if type(error).__name__ == "OperationalError" and any(
        word in str(error).lower() for word in ("locked", "busy")
    ):
        # another program kept the file busy past the busy timeout: a sentence, not a traceback
        from desta_tui.db.database import current_database, explain_sqlite_error

        info = current_database()
        print(f"desta: {explain_sqlite_error(info.label if info else 'file', error)}",
              file=sys.stderr)  # fmt: skip
        return EXIT_USER_ERROR
    log = write_crash_log(error)
    where = f" (details in {log})" if log else ""
    print(f"desta: unexpected error: {error}{where}", file=sys.stderr)
    return EXIT_USER_ERROR


def write_crash_log(error: Exception) -> str | None:
    """Keep the traceback for the developers in the data folder, out of the user's way."""
    import traceback

    try:
        from desta_tui.paths import data_dir

        path = data_dir() / "desta-error.log"
        with path.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)))
        return str(path)
    except Exception:  # nowhere to write: the message line still reaches the user
        return None


if __name__ == "__main__":
    sys.exit(main())
