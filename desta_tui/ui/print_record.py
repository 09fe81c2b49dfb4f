"""Print a record (member, contract, ticket) or the meeting pack to PDF from any screen, in a
worker, then say where; open the last pack in the PDF viewer or send it to the printer.

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


# --- the meeting pack from anywhere (ctrl+b, the palette, the Meetings section) ----------------

PACK_GROUP = "meeting-pack"


def build_meeting_pack_pdf(
    consortium_uuid: str | None,
    period: str | None = None,
    *,
    board: bool = False,
    progress=None,
) -> Path:
    """The one place the app builds a meeting pack: the SMG (or board) pack of the consortium
    on screen (None: the one with most contracts in delivery) for `period` (default: last
    month), in the documents folder. Runs in a worker thread; a DestaError's message is the
    sentence to show."""
    from desta_tui.reports.printing import print_pack
    from desta_tui.services.members import consortia
    from desta_tui.services.reporting.consortium import default_pack_period
    from desta_tui.services.session import release_thread_connection

    try:
        name = next((c.name for c in consortia() if c.uuid == consortium_uuid), None)
        return print_pack(
            name,
            period or default_pack_period().key,
            board=board,
            progress=progress or (lambda _: None),
        )
    finally:
        release_thread_connection()


def build_meeting_pack(
    app: App,
    *,
    board: bool = False,
    consortium_uuid: str | None = None,
    period: str | None = None,
) -> Worker[Path | None]:
    """Build the pack (for the app's consortium unless one is given) in a thread worker, with a
    notification for each step and one naming the file; the path is kept as
    `app.last_pack_path` for `o` and print."""
    what = "board pack" if board else "SMG pack"
    consortium_uuid = consortium_uuid or getattr(app, "consortium_uuid", None)

    def step(text: str) -> None:
        app.call_from_thread(app.notify, f"{text}...", title=f"Building the {what}", timeout=3)

    def work() -> Path | None:
        try:
            path = build_meeting_pack_pdf(consortium_uuid, period, board=board, progress=step)
        except Exception as error:  # shown to the user, never raised into the app
            app.call_from_thread(app.notify, describe_error(error), severity="error", timeout=10)
            return None
        app.call_from_thread(setattr, app, "last_pack_path", path)
        app.call_from_thread(
            app.notify, f"{path.name} written to {path.parent}", title="Pack written", timeout=10
        )
        return path

    app.notify(f"Building the {what}...", timeout=2)
    return app.run_worker(work, name=f"build {what}", group=PACK_GROUP, thread=True)


def _run_pdf_program(app: App, path: Path | None, names: tuple[str, ...], done: str) -> bool:
    """Hand the PDF to the first program found of `names` (a viewer, a printer command)."""
    import shutil
    import subprocess

    if path is None or not path.is_file():
        app.notify("No pack built yet: ctrl+b builds one.", severity="warning")
        return False
    program = next((found for name in names if (found := shutil.which(name))), None)
    if program is None:
        app.notify(f"No program found ({' or '.join(names)}): the PDF is at {path}.",
                   severity="warning", timeout=10)  # fmt: skip
        return False
    try:
        subprocess.Popen(  # noqa: S603 (a program looked up by name, the path as one argument)
            [program, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        app.notify(f"Could not run {program}: {error.strerror or error}.", severity="error")
        return False
    app.notify(f"{done} {path.name}.", timeout=5)
    return True


def open_last_pack(app: App) -> bool:
    """Open the last pack built in the system's PDF viewer."""
    return _run_pdf_program(app, getattr(app, "last_pack_path", None), ("xdg-open", "open"),
                            "Opened")  # fmt: skip


def print_last_pack(app: App) -> bool:
    """Send the last pack built to the default printer."""
    return _run_pdf_program(app, getattr(app, "last_pack_path", None), ("lp", "lpr"),
                            "Sent to the printer:")  # fmt: skip
