"""Print a record (member, contract, ticket) to PDF from any screen, in a worker, then say where.

A detail screen binds `p` ("Print") and calls `print_record(self.app, "member", uuid)`; the PDF
lands in the documents folder and a notification names the file, or says what went wrong.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.worker import Worker

from desta_tui.domain.errors import DestaError

PRINT_GROUP = "print-record"
RECORD_KINDS = ("member", "contract", "ticket")


def describe_error(error: BaseException | None) -> str:
    """One line for a person: a DestaError's own sentence, else "Could not print: ..."."""
    if isinstance(error, DestaError):
        return str(error)
    return f"Could not print: {error}"


def build_record_pdf(kind: str, uuid: str, output: str | None = None) -> Path:
    """Build the record's PDF (in a worker thread), then let the thread's connection go."""
    from desta_tui.reports.printing import print_record as build
    from desta_tui.services.session import release_thread_connection

    try:
        return build(kind, uuid, output)
    finally:
        release_thread_connection()


def print_record(
    app: App, kind: str, uuid: str | None, output: str | None = None
) -> Worker[Path | None] | None:
    """Print the record in a thread worker; the app shows the path (or the error) when done.

    Returns the worker (tests wait on it), or None when there is nothing to print.
    """
    if not uuid:
        app.notify("Choose a record to print first.", severity="warning")
        return None
    if kind not in RECORD_KINDS:
        app.notify(f"Cannot print a {kind}.", severity="error")
        return None

    def work() -> Path | None:
        try:
            path = build_record_pdf(kind, uuid, output)
        except Exception as error:  # shown to the user, never raised into the app
            app.call_from_thread(app.notify, describe_error(error), severity="error", timeout=10)
            return None
        app.call_from_thread(app.notify, f"Printed to {path}", title="PDF written", timeout=10)
        return path

    app.notify(f"Printing the {kind}...", timeout=2)
    return app.run_worker(work, name=f"print {kind}", group=PRINT_GROUP, thread=True)
