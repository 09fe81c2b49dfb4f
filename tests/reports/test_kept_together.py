"""A block kept together is measured without copying the frame, and breaks pages as before."""

from __future__ import annotations

from datetime import date

import pytest
from reportlab.platypus import CondPageBreak, Frame, KeepTogether
from reportlab.platypus import flowables as reportlab_flowables

from desta_tui.reports.document import KeptTogether, build_pdf
from desta_tui.reports.flowables import heading, key_value_table, para
from tests.reports.conftest import read_pdf

WORDS = "A cause long enough to wrap over more than one line of the page, " * 4


def _story(keep) -> list:
    """Blocks of growing size, so some fit after the last and some go to a new page; a
    heading kept with its next paragraph; a block with a conditional page break in it."""
    story = []
    for number in range(1, 19):
        pairs = [(f"Field {number}.{row}", WORDS[: 20 + 9 * row]) for row in range(number)]
        story.append(keep([heading(f"Block {number}", level=2), key_value_table(pairs)]))
        story.append(para(f"After block {number}. {WORDS}"))
    story.append(heading("Kept with its paragraph", level=2))
    story.append(para(WORDS * 3))
    story.append(keep([para("Asks for room"), CondPageBreak(400), para("Then more")]))
    return story


def _frame_copies(monkeypatch) -> list[int]:
    copies = [0]
    deepcopy = reportlab_flowables.deepcopy

    def counted(value, *args):
        copies[0] += isinstance(value, Frame)
        return deepcopy(value, *args)

    monkeypatch.setattr(reportlab_flowables, "deepcopy", counted)
    return copies


def _pages(tmp_path, keep, name: str) -> list[str]:
    path = build_pdf(tmp_path / name, _story(keep), title="Kept", printed_on=date(2024, 5, 1),
                     printed_by="test")  # fmt: skip
    return read_pdf(path).pages


@pytest.mark.parametrize("keep", [KeepTogether, KeptTogether])
def test_blocks_kept_together_break_pages_as_reportlab_does(tmp_path, keep):
    reportlab = _pages(tmp_path, KeepTogether, "reportlab.pdf")
    assert len(reportlab) > 3
    assert _pages(tmp_path, keep, "ours.pdf") == reportlab


def test_a_block_of_paragraphs_and_tables_is_measured_without_a_frame_copy(tmp_path, monkeypatch):
    copies = _frame_copies(monkeypatch)
    _pages(tmp_path, KeptTogether, "ours.pdf")
    # only the block with a conditional page break in it is measured on a copy, as reportlab
    # does (that break adds to the frame it is measured in)
    assert 1 <= copies[0] <= 3
    copies[0] = 0
    _pages(tmp_path, KeepTogether, "reportlab.pdf")
    assert copies[0] > 18
