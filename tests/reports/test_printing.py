"""Printing a pack from anywhere: file names that carry the day and never write over an earlier
file, opening the PDF and sending it to the printer in one sentence whatever is installed."""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from desta_tui.reports.document import build_pdf
from desta_tui.reports.flowables import para
from desta_tui.reports.printing import (
    build_meeting_pack,
    open_in_viewer,
    pack_file_name,
    send_to_printer,
)


def _program(folder: Path, name: str, script: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return path


@pytest.fixture
def only_these_programs(tmp_path, monkeypatch) -> Path:
    """A PATH holding only the programs a test puts in the folder returned."""
    folder = tmp_path / "bin"
    folder.mkdir()
    if sys.platform in ("win32", "darwin"):
        pytest.skip("these look for xdg-open, lp and lpr, as on Linux")
    monkeypatch.setenv("PATH", str(folder))
    return folder


@pytest.fixture
def pdf(tmp_path) -> Path:
    return build_pdf(tmp_path / "pack.pdf", [para("One page.")], title="Pack",
                     printed_on=date(2012, 11, 5), printed_by="test")  # fmt: skip


def test_the_file_name_carries_the_month_and_the_day():
    name = pack_file_name("smg-pack", "Desta", "2012-10", date(2012, 11, 5))
    assert name == "desta-smg-pack-desta-2012-10-printed-2012-11-05.pdf"
    assert pack_file_name("board-pack", "", "2012-10", date(2012, 11, 5)) == (
        "desta-board-pack-2012-10-printed-2012-11-05.pdf"
    )


def test_the_pack_from_anywhere_never_writes_over_the_last_one(demo_db):
    from desta_tui.services.reporting.consortium import find_consortium

    desta = find_consortium("Desta")
    first = build_meeting_pack(desta.uuid)  # by uuid, last month by default
    second = build_meeting_pack(desta.uuid, "2012-10")
    board = build_meeting_pack("Desta", "2012-10", board=True)
    folder = Path(os.environ["DESTA_DOCUMENTS_DIR"])
    assert first == folder / "desta-smg-pack-desta-2012-10-printed-2012-11-05.pdf"
    assert second == folder / "desta-smg-pack-desta-2012-10-printed-2012-11-05-2.pdf"
    assert board == folder / "desta-board-pack-desta-2012-10-printed-2012-11-05.pdf"
    assert first.exists() and second.exists()


def test_a_file_that_appears_while_the_pdf_is_built_is_not_written_over(tmp_path):
    target = tmp_path / "pack.pdf"
    target.write_bytes(b"written meanwhile")
    with pytest.raises(FileExistsError):
        build_pdf(target, [para("One page.")], title="Pack", printed_on=date(2012, 11, 5),
                  printed_by="test", replace=False)  # fmt: skip
    assert target.read_bytes() == b"written meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]  # no temporary file left


def test_no_viewer_is_a_sentence(pdf, only_these_programs):
    said = open_in_viewer(pdf)
    assert not said.ok
    assert (
        said
        == f"No program to show PDFs was found (xdg-open is not installed): open {pdf} yourself."
    )
    assert not open_in_viewer(pdf.with_name("gone.pdf")).ok


def test_the_viewer_is_started_with_the_pdf(pdf, only_these_programs, tmp_path):
    shown = tmp_path / "shown.txt"
    _program(only_these_programs, "xdg-open", f'echo "$1" > "{shown}"\n')
    said = open_in_viewer(pdf)
    assert said.ok and said == "Opened pack.pdf in the PDF viewer."
    deadline = time.monotonic() + 10
    while not shown.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the viewer runs on its own: wait for it to have started
    assert shown.read_text().strip() == str(pdf)


def test_no_printing_command_is_a_sentence(pdf, only_these_programs):
    said = send_to_printer(pdf)
    assert not said.ok
    assert said == (
        f"No printing command was found (lp or lpr: install CUPS to print): the PDF is at {pdf}."
    )


def test_the_printer_gets_the_pdf_or_says_why_not(pdf, only_these_programs, tmp_path):
    printed = tmp_path / "printed.txt"
    _program(only_these_programs, "lpr", f'echo "$@" > "{printed}"\n')
    said = send_to_printer(pdf)
    assert said.ok and said == "Sent pack.pdf to the printer."
    assert printed.read_text().strip() == str(pdf)
    # lp is preferred, and what it says when it refuses is passed on
    _program(only_these_programs, "lp",
             'echo "lp: The printer or class does not exist." >&2\nexit 1\n')  # fmt: skip
    said = send_to_printer(pdf)
    assert not said.ok
    assert said == "The printer refused pack.pdf: lp: The printer or class does not exist."


def test_the_cycle_collector_rests_while_a_pack_is_made_and_comes_back_after(demo_db, tmp_path):
    import gc

    from desta_tui.domain.errors import DestaError
    from desta_tui.reports.printing import print_pack

    seen: list[bool] = []
    path = print_pack("Desta", "2012-10", tmp_path, progress=lambda _: seen.append(gc.isenabled()))
    assert path.exists()
    assert seen == [False, False]  # gathering the figures, writing the PDF
    assert gc.isenabled()
    with pytest.raises(DestaError):
        print_pack("Desta", "2012-10", tmp_path / "no such folder" / "pack.pdf")
    assert gc.isenabled()  # back after a failure too
