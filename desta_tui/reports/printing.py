"""Print a pack or a record to a PDF file: gather through services, build, explain failures."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from desta_tui.domain.errors import DestaError

Progress = Callable[[str], None]
"""Told each step ("Gathering figures", "Writing the PDF") so a screen can show progress."""

RECORD_KINDS = ("member", "contract", "ticket")
"""What `print_record` prints: an organisation, a contract or a support ticket."""


def _quiet(_step: str) -> None:
    pass


def slug(text: str) -> str:
    """A file-name piece: `Expert Patient Service` -> `expert-patient-service`."""
    return re.sub(r"[^\w]+", "-", text.casefold()).strip("-")[:48] or "record"


def output_path(output: str | os.PathLike[str] | None, default_name: str) -> Path:
    """Where to write: `output` as given (a folder gets the default name), else the documents
    folder. A place that cannot take the file is a DestaError in one sentence."""
    if output is None or str(output) == "":
        from desta_tui.paths import documents_dir

        try:
            folder = documents_dir()
        except OSError as error:
            raise DestaError(f"Cannot use the documents folder: {error.strerror}.") from None
        return folder / default_name
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
    return path


def _write(build: Callable[[Path], Path], path: Path) -> Path:
    """Build the PDF at `path`; a failure the user can understand becomes a DestaError.

    A failed build leaves no file behind (see document.build_pdf), so the messages say so.
    """
    from reportlab.platypus.doctemplate import LayoutError

    try:
        return build(path)
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


def print_pack(
    consortium: str | None,
    period: str,
    output: str | os.PathLike[str] | None = None,
    *,
    board: bool = False,
    progress: Progress = _quiet,
) -> Path:
    """Build the SMG pack (or with `board`, the board pack) for a consortium and month."""
    from desta_tui.services.reporting.board_pack import board_pack
    from desta_tui.services.reporting.consortium import pack_period
    from desta_tui.services.reporting.smg_pack import smg_pack

    month = pack_period(period)
    kind = "board-pack" if board else "smg-pack"
    name = f"desta-{kind}-{month.key}.pdf"
    progress("Gathering the figures")
    data = board_pack(consortium, month) if board else smg_pack(consortium, month)
    if consortium:
        chosen = slug(data.cover.consortium_short or data.cover.consortium)
        name = f"desta-{kind}-{chosen}-{month.key}.pdf"
    path = output_path(output, name)
    progress("Writing the PDF")
    if board:
        from desta_tui.reports import board_pack as report
    else:
        from desta_tui.reports import smg_pack as report
    return _write(lambda target: report.build(target, data), path)


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
    return _write(lambda target: tickets_report.build(target, data), path)


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
    return _write(lambda target: report.build(target, data), path)
