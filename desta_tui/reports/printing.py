"""Print a pack or a record to a PDF file: gather through services, build, explain failures."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from desta_tui.collector import collector_paused
from desta_tui.domain.errors import DestaError

Progress = Callable[[str], None]
"""Told each step ("Gathering figures", "Writing the PDF") so a screen can show progress."""

RECORD_KINDS = ("member", "contract", "ticket")
"""What `print_record` prints: an organisation, a contract or a support ticket."""
MAX_COPIES = 999
"""How many numbered copies of one name a folder may hold (`pack-999.pdf`)."""


def _quiet(_step: str) -> None:
    pass


def slug(text: str) -> str:
    """A file-name piece: `Expert Patient Service` -> `expert-patient-service`."""
    return re.sub(r"[^\w]+", "-", text.casefold()).strip("-")[:48] or "record"


def numbered(path: Path, number: int) -> Path:
    """`pack.pdf` as the `number`th of its name: `pack.pdf`, `pack-2.pdf`, `pack-3.pdf`..."""
    return path if number <= 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")


def free_path(path: Path) -> Path:
    """`path`, or the first of `pack-2.pdf`, `pack-3.pdf`... not yet there: a new PDF never
    takes the place of an earlier one unless asked to."""
    for number in range(1, MAX_COPIES + 1):
        candidate = numbered(path, number)
        if not candidate.exists():
            return candidate
    raise DestaError(
        f"Cannot write {path}: {MAX_COPIES} copies of it are there already; move some away."
    )


def output_path(
    output: str | os.PathLike[str] | None, default_name: str, *, replace: bool = False
) -> Path:
    """Where to write: `output` as given (a folder gets the default name), else the documents
    folder. A file already there keeps its place: the new one gets the next free number
    (`pack-2.pdf`), unless `replace`. A place that cannot take the file is a DestaError in one
    sentence."""
    if output is None or str(output) == "":
        from desta_tui.paths import documents_dir

        try:
            folder = documents_dir()
        except OSError as error:
            raise DestaError(f"Cannot use the documents folder: {error.strerror}.") from None
        path = folder / default_name
        return path if replace else free_path(path)
    path = Path(output).expanduser()
    if path.is_dir():
        path = path / default_name
    folder = path.parent
    if not folder.exists():
        raise DestaError(f"Cannot write {path}: the folder {folder} does not exist.")
    if not folder.is_dir():
        raise DestaError(f"Cannot write {path}: {folder} is not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise DestaError(f"Cannot write {path}: permission denied.")
    return path if replace else free_path(path)


def _write(build: Callable[[Path, bool], Path], path: Path, replace: bool = False) -> Path:
    """Build the PDF at `path`; a failure the user can understand becomes a DestaError.

    Without `replace`, a file that appears at `path` while the PDF is built is not written
    over: the PDF takes the next free number. A failed build leaves no file behind (see
    document.build_pdf), so the messages say so.
    """
    from reportlab.platypus.doctemplate import LayoutError

    try:
        for _attempt in range(MAX_COPIES):
            try:
                return build(path, replace)
            except FileExistsError:
                path = free_path(path)
        raise DestaError(f"Cannot write {path}: other files keep taking its name.")
    except PermissionError:
        raise DestaError(f"Cannot write {path}: permission denied.") from None
    except OSError as error:
        raise DestaError(f"Cannot write {path}: {error.strerror or error}.") from None
    except LayoutError as error:
        # reportlab's own message names flowables by memory address over several lines
        raise DestaError(
            f"Cannot write {path}: something in it is too large for a page{_page_of(error)}; "
            "nothing was written."
        ) from error


def _page_of(error: Exception) -> str:
    """Where the layout failed, as " (at page 7)", when reportlab's message says so."""
    found = re.search(r"\bon page (\d+)", str(error))
    return f" (at page {found[1]})" if found else ""


def pack_file_name(kind: str, consortium_short: str, period_key: str, printed_on) -> str:
    """`desta-smg-pack-desta-2012-10-printed-2012-11-05.pdf`: what, whose, which month, and
    the day it was printed (a rebuild the same day gets a number: `...-2.pdf`)."""
    who = f"-{slug(consortium_short)}" if consortium_short else ""
    return f"desta-{kind}{who}-{period_key}-printed-{printed_on.isoformat()}.pdf"


def print_pack(
    consortium: str | None,
    period: str,
    output: str | os.PathLike[str] | None = None,
    *,
    board: bool = False,
    replace: bool = False,
    progress: Progress = _quiet,
) -> Path:
    """Build the SMG pack (or with `board`, the board pack) for a consortium and month.

    The default file goes in the documents folder, named for the pack, the consortium, the
    month and the day (`pack_file_name`); a file already there is never written over: the new
    one is numbered, unless `replace`."""
    from desta_tui.services.reporting.board_pack import board_pack
    from desta_tui.services.reporting.consortium import pack_period
    from desta_tui.services.reporting.smg_pack import smg_pack

    if board:
        from desta_tui.reports import board_pack as report
    else:
        from desta_tui.reports import smg_pack as report

    month = pack_period(period)
    kind = "board-pack" if board else "smg-pack"
    with collector_paused():
        progress("Gathering the figures")
        data = board_pack(consortium, month) if board else smg_pack(consortium, month)
        chosen = data.cover.consortium_short or data.cover.consortium if consortium else ""
        name = pack_file_name(kind, chosen, month.key, data.stamp.printed_on)
        path = output_path(output, name, replace=replace)
        progress("Writing the PDF")
        written = _write(lambda target, clobber, pack=data: report.build(target, pack,
                         replace=clobber), path, replace)  # fmt: skip
        # let the figures go while the collector is still held off: freed as they are, not
        # walked first by the collection that the pack's many new objects set off
        del data
    return written


def build_meeting_pack(
    consortium: str | None,
    period: str | None = None,
    *,
    board: bool = False,
    output: str | os.PathLike[str] | None = None,
    progress: Progress = _quiet,
) -> Path:
    """For the one key that prints the pack from anywhere: the SMG (or board) pack of the
    consortium on screen (its uuid, or a name; None: the one with most contracts in delivery)
    for a month (default: last month), in the documents folder, never over an earlier file.
    Run it in a worker thread; a DestaError's message is the sentence to show."""
    from desta_tui.services.members import consortia
    from desta_tui.services.reporting.consortium import default_pack_period

    name = consortium
    if consortium:
        by_uuid = {c.uuid: c.name for c in consortia()}
        name = by_uuid.get(consortium, consortium)
    month = period or default_pack_period().key
    return print_pack(name, month, output, board=board, progress=progress)


def print_member(name: str, output: str | os.PathLike[str] | None = None) -> Path:
    """The record of the organisation called `name` (see reporting.member_record's
    find_organisation)."""
    from desta_tui.services.reporting.member_record import find_organisation

    return print_record("member", find_organisation(name).uuid, output)


def print_contract(name: str, output: str | os.PathLike[str] | None = None) -> Path:
    from desta_tui.services.reporting.contract_record import find_contract

    return print_record("contract", find_contract(name).uuid, output)


def print_tickets(only_open: bool = False, output: str | os.PathLike[str] | None = None) -> Path:
    from desta_tui.reports import tickets_report
    from desta_tui.services.reporting.tickets_report import tickets_report as gather

    data = gather(only_open)
    path = output_path(output, "desta-open-tickets.pdf" if only_open else "desta-tickets.pdf")
    return _write(lambda target, clobber: tickets_report.build(target, data, replace=clobber), path)


def print_record(
    kind: str,
    uuid: str,
    output: str | os.PathLike[str] | None = None,
    *,
    progress: Progress = _quiet,
) -> Path:
    """Print one record whole, with its history: `kind` is member, contract or ticket."""
    progress("Gathering the record")
    if kind == "member":
        from desta_tui.reports import member_report as report
        from desta_tui.services.reporting.member_record import member_record

        data = member_record(uuid)
        name = f"desta-member-{slug(data.organisation.name)}.pdf"
    elif kind == "contract":
        from desta_tui.reports import contract_report as report
        from desta_tui.services.reporting.contract_record import contract_record

        data = contract_record(uuid)
        name = f"desta-contract-{slug(data.contract.title)}.pdf"
    elif kind == "ticket":
        from desta_tui.reports import tickets_report as report
        from desta_tui.services.reporting.tickets_report import ticket_record

        data = ticket_record(uuid)
        name = f"desta-ticket-{slug(data.tickets[0].row.reference)}.pdf"
    else:
        raise DestaError(f"Cannot print a {kind!r}: choose one of {', '.join(RECORD_KINDS)}.")
    path = output_path(output, name)
    progress("Writing the PDF")
    return _write(lambda target, clobber: report.build(target, data, replace=clobber), path)


# --- showing and printing a PDF ---------------------------------------------------------------


class Sentence(str):
    """What happened, in one sentence for a person; `ok` says whether it worked."""

    ok: bool

    def __new__(cls, text: str, ok: bool) -> Sentence:
        made = super().__new__(cls, text)
        made.ok = ok
        return made


PRINT_TIMEOUT_SECONDS = 30


def _start(command: list[str]) -> None:
    """Start a program that outlives us (a PDF viewer), its output nowhere."""
    import subprocess

    subprocess.Popen(  # noqa: S603 (the program is one we looked up by name)
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def open_in_viewer(path: str | os.PathLike[str]) -> Sentence:
    """Open the PDF in the computer's PDF viewer; say what happened, never raise."""
    import shutil
    import sys

    path = Path(path)
    if not path.is_file():
        return Sentence(f"Cannot open {path}: there is no such file.", False)
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606
        else:
            opener = "open" if sys.platform == "darwin" else "xdg-open"
            program = shutil.which(opener)
            if program is None:
                return Sentence(
                    f"No program to show PDFs was found ({opener} is not installed): open "
                    f"{path} yourself.",
                    False,
                )
            _start([program, str(path)])
    except OSError as error:
        return Sentence(f"Could not open {path}: {error.strerror or error}.", False)
    return Sentence(f"Opened {path.name} in the PDF viewer.", True)


def send_to_printer(path: str | os.PathLike[str]) -> Sentence:
    """Send the PDF to the default printer (lp or lpr; on Windows the file's print verb); say
    what happened, never raise."""
    import shutil
    import subprocess
    import sys

    path = Path(path)
    if not path.is_file():
        return Sentence(f"Cannot print {path}: there is no such file.", False)
    if sys.platform == "win32":
        try:
            os.startfile(path, "print")  # type: ignore[attr-defined]  # noqa: S606
        except OSError as error:
            return Sentence(
                f"Could not print {path.name}: {error.strerror or error} (is a printer set "
                "up, and a program that prints PDFs?).",
                False,
            )
        return Sentence(f"Sent {path.name} to the printer.", True)
    program = shutil.which("lp") or shutil.which("lpr")
    if program is None:
        return Sentence(
            f"No printing command was found (lp or lpr: install CUPS to print): the PDF is "
            f"at {path}.",
            False,
        )
    try:
        done = subprocess.run(  # noqa: S603 (a program we looked up by name)
            [program, str(path)],
            capture_output=True,
            text=True,
            timeout=PRINT_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Sentence(
            f"The printer did not answer within {PRINT_TIMEOUT_SECONDS} seconds: the PDF is "
            f"at {path}.",
            False,
        )
    except OSError as error:
        return Sentence(f"Could not print {path.name}: {error.strerror or error}.", False)
    if done.returncode != 0:
        said = (done.stderr or done.stdout or "").strip().splitlines()
        reason = said[0] if said else f"{Path(program).name} stopped with code {done.returncode}"
        return Sentence(f"The printer refused {path.name}: {reason}", False)
    return Sentence(f"Sent {path.name} to the printer.", True)
