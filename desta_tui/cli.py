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
}

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_CLOSED_PIPE = 128 + 13  # what a shell reports for a program stopped by SIGPIPE
# every file Desta makes (database, backups, exports, PDFs) holds personal data: owner-only
PRIVATE_UMASK = 0o077

EPILOG = (
    "Run `desta` with no command to open the app on your database (the file in the data "
    "folder, or the one --db or DESTA_DB names). `desta demo` writes its own demo file."
)


def build_parser() -> argparse.ArgumentParser:
    db_help = (
        "database file or postgresql:// URL (default: DESTA_DB, else the file in the data folder)"
    )
    parser = argparse.ArgumentParser(
        prog="desta",
        description=(
            "Desta hub desk: membership, contracts, returns, tickets and meeting packs. "
            "Plain `desta` opens the app."
        ),
        epilog=EPILOG,
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
    import os

    earlier_umask = os.umask(PRIVATE_UMASK)
    try:
        parser = build_parser()
        args = parser.parse_args(args_list)
        if args.command is None:
            from desta_tui.commands.app import run_app

            code = run_app(args)
        else:
            code = args.run(args)
        # written out here, inside the guard, so a reader that went away is met below
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return closed_pipe()
    except KeyboardInterrupt:
        print("desta: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the last guard: one clear line, never a traceback
        return report_error(error)
    finally:
        os.umask(earlier_umask)  # for a caller that runs main() in its own process (tests)


def closed_pipe() -> int:
    """The reader of our output went away (`desta export members | head`): stop quietly, as a
    program killed by SIGPIPE does, with nothing more for the closed pipe at exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # no file descriptor behind stdout: there is nothing left to flush anyway
    return EXIT_CLOSED_PIPE


def report_error(error: Exception) -> int:
    from desta_tui.domain.errors import DestaError

    if isinstance(error, DestaError):
        print(f"desta: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    fault = database_fault(error)
    if fault is not None:
        print(f"desta: {fault}", file=sys.stderr)
        return EXIT_USER_ERROR
    log = write_crash_log(error)
    where = f" (details in {log})" if log else ""
    print(f"desta: unexpected error: {error}{where}", file=sys.stderr)
    return EXIT_USER_ERROR


def database_fault(error: Exception):
    """A driver fault that reached here without passing database.py's translation (a raw
    sqlite3 connection, say), in the same words; None for anything else."""
    from desta_tui.db.faults import is_fault, translate_fault

    if not is_fault(error):
        return None
    from desta_tui.db.database import current_database

    info = current_database()
    label = info.label if info else "in use"
    return translate_fault(
        error,
        label,
        path=info.path if info else None,
        server=bool(info and info.kind == "postgresql"),
    )


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
