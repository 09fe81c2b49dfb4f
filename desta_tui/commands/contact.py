"""`desta contact export NAME` / `desta contact erase NAME`: one person's data, on request."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desta_tui.commands.common import open_from_args

if TYPE_CHECKING:
    from desta_tui.services.backup import HeldBackup


def add_parser(subparsers, parent) -> None:
    parser = subparsers.add_parser(
        "contact",
        parents=[parent],
        help="a contact's personal data: export it (subject access) or erase it",
        description="Export everything held about one contact, or erase their personal data.",
    )
    actions = parser.add_subparsers(dest="contact_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        parents=[parent],
        help="write everything held about a contact to a file (subject access request)",
    )
    export.add_argument("name", metavar="NAME", help="the contact's name (or record id)")
    export.add_argument("--organisation", metavar="ORG", help="which organisation, if several")
    export.add_argument("-o", "--output", metavar="FILE", help="file to write (JSON)")
    export.set_defaults(run=run_export)
    erase = actions.add_parser(
        "erase",
        parents=[parent],
        help="anonymise a contact, keeping the organisation's records",
    )
    erase.add_argument("name", metavar="NAME", help="the contact's name (or record id)")
    erase.add_argument("--organisation", metavar="ORG", help="which organisation, if several")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(run=run_erase)


def _file_name(name: str) -> str:
    safe = "".join(char if char.isalnum() else "-" for char in name).strip("-").lower()
    return f"subject-access-{safe or 'contact'}.json"


def run_export(args: argparse.Namespace) -> int:
    from desta_tui.services.personal_data import export_contact, resolve_contact

    open_from_args(args)
    match = resolve_contact(args.name, args.organisation)
    path = Path(args.output) if args.output else Path.cwd() / _file_name(match.full_name)
    result = export_contact(match.uuid, path)
    print(
        f"Everything held about {result.full_name} ({match.organisation}) written to "
        f"{result.path}: {result.history_entries} history entries, {result.mentions} mentions "
        "elsewhere.",
        file=sys.stderr,
    )
    return 0


def run_erase(args: argparse.Namespace) -> int:
    from desta_tui.domain.errors import DestaError
    from desta_tui.services.personal_data import erase_contact, resolve_contact

    info = open_from_args(args)
    match = resolve_contact(args.name, args.organisation)
    if not args.yes:
        if not sys.stdin.isatty():
            raise DestaError("Erasing cannot be undone: add --yes to confirm.")
        answer = input(f"Erase {match.full_name} ({match.organisation})? This cannot be undone. "
                       "Type yes: ")  # fmt: skip
        if answer.strip().lower() != "yes":
            print("Nothing was erased.", file=sys.stderr)
            return 1
    result = erase_contact(match.uuid)
    print(
        f"Erased {match.full_name} at {result.organisation}: their details are gone and "
        f"{result.audit_rows_scrubbed} history entries were scrubbed of them; the organisation's "
        "records are kept.",
        file=sys.stderr,
    )
    for mention in result.mentions:
        print(
            f"  Still named in a {mention.kind} ({mention.record}, {mention.field}): review it "
            "by hand.",
            file=sys.stderr,
        )
    if result.drafts_deleted:
        print(f"  {result.drafts_deleted} unsaved draft{'s' if result.drafts_deleted != 1 else ''}"
              " at this desk named them and were deleted.", file=sys.stderr)  # fmt: skip
    for name in result.exported_files:
        print(f"  A subject access file was written as {name}: delete it once it has been sent.",
              file=sys.stderr)  # fmt: skip
    if not result.is_file_wiped:
        print("  Another program had the database open, so its file was not compacted: older "
              "copies of their details may stay in its free space until SQLite reuses it.",
              file=sys.stderr)  # fmt: skip
    _say_which_backups_hold_them(info.kind, result.backups)
    return 0


def _say_which_backups_hold_them(kind: str, backups: Sequence[HeldBackup]) -> None:
    """Erasing changes the database, not the copies made of it before: name them, and when
    (if ever) the daily backup deletes each."""
    if kind != "sqlite":
        print("  Backups of the server database (pg_dump) made before now still hold them, "
              "until they are deleted.", file=sys.stderr)  # fmt: skip
        return
    if not backups:
        print("  No backup of this database holds them.", file=sys.stderr)
        return
    if len(backups) == 1:
        print("  1 backup made before now still holds them:", file=sys.stderr)
    else:
        print(f"  {len(backups)} backups made before now still hold them:", file=sys.stderr)
    for backup in backups:
        print(f"    {backup.describe()}", file=sys.stderr)
