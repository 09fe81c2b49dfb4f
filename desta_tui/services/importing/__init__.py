"""Import records from CSV (as Excel saves it) or XLSX: all or nothing, every bad row reported.

`import_file` reads the file (sheet: CSV or XLSX, within its limits; columns: the header
matched), plans every row without writing (rows: cells parsed; lookups: the hub's records by
name; plan, figures: what each row does, returns checked by the grid's rules; outcomes), and
writes the plan in the same transaction (apply); `ImportReport` (report) says what happened.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from desta_tui.collector import collector_paused
from desta_tui.db.database import db
from desta_tui.domain.errors import DestaError, ImportFailed, ImportFileError, ImportRowError
from desta_tui.services.importing.apply import Rollback, apply_plan
from desta_tui.services.importing.columns import COLUMNS, KINDS, Column, header_key
from desta_tui.services.importing.outcomes import Planned
from desta_tui.services.importing.plan import plan_rows
from desta_tui.services.importing.report import ACTION_WORDS, ImportReport, RowOutcome
from desta_tui.services.importing.sheet import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    SheetData,
    SheetRow,
    read_sheet,
)

__all__ = [
    "ACTION_WORDS",
    "COLUMNS",
    "KINDS",
    "MAX_CELL_CHARS",
    "MAX_ROWS",
    "Column",
    "ImportFileError",
    "ImportReport",
    "ImportRowError",
    "RowOutcome",
    "SheetData",
    "SheetRow",
    "header_key",
    "import_file",
    "plan_rows",
    "preview_import",
    "read_sheet",
]


KILL_BEFORE_COMMIT_ENV = "DESTA_TEST_KILL_IMPORT_AFTER_ROWS"
"""Test hook (tests/db/test_crash_safety.py): set to N, an import that has written N rows or
more kills its own process with SIGKILL before it commits, as a power cut or a killed window
would, to show the database keeps nothing of it."""


def import_file(
    kind: str, path: Path | str, *, update: bool = False, dry_run: bool = False
) -> ImportReport:
    """Import `path` as `kind`: every row or none; a report of what was (or would be) done.

    A bad file raises ImportFileError; bad rows come back in `report.errors`, with nothing
    written. Planning and writing share one transaction, so no other program's change can
    slip in between the check and the write.
    """
    if kind not in COLUMNS:
        raise DestaError(f"Desta cannot import {kind!r}; choose one of {', '.join(KINDS)}.")
    path = Path(path).expanduser()
    with collector_paused():
        return _import_sheet(kind, path, update, dry_run)


def _import_sheet(kind: str, path: Path, update: bool, dry_run: bool) -> ImportReport:
    try:
        sheet = read_sheet(path, kind)
    except ImportFailed as failed:
        return ImportReport(kind, path, "", (), tuple(failed.problems), (), update, dry_run, False)

    def report(planned: list[Planned], errors: list[ImportRowError], written: bool) -> ImportReport:
        return ImportReport(
            kind,
            path,
            sheet.source,
            tuple(p.outcome for p in planned),
            tuple(errors),
            tuple(sheet.ignored),
            update,
            dry_run,
            written,
        )

    if dry_run:
        planned, errors = plan_rows(kind, sheet, update)
        return report(planned, errors, False)
    try:
        with db.atomic():
            planned, errors = plan_rows(kind, sheet, update)
            if errors:
                return report(planned, errors, False)
            apply_plan(planned)
            _crash_point(len(planned))
    except Rollback as rollback:
        return report([], [rollback.error], False)
    return report(planned, [], True)


def _crash_point(rows_written: int) -> None:
    wanted = os.environ.get(KILL_BEFORE_COMMIT_ENV, "")
    if wanted.isdigit() and rows_written >= int(wanted) and hasattr(signal, "SIGKILL"):
        print(f"desta: {rows_written} rows written, killed before the commit", file=sys.stderr,
              flush=True)  # fmt: skip
        os.kill(os.getpid(), signal.SIGKILL)


def preview_import(kind: str, path: Path | str, *, update: bool = False) -> ImportReport:
    """What importing would do, writing nothing (the app's preview, the CLI's --dry-run)."""
    return import_file(kind, path, update=update, dry_run=True)
