"""A block kept together is measured without copying the frame, and breaks pages as before."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Frame, KeepTogether
from reportlab.platypus import flowables as reportlab_flowables

from desta_tui.reports.document import _FRAME_FREE, KeptTogether, build_pdf
from desta_tui.reports.flowables import data_table, heading, key_value_table, para, rag_cell
from desta_tui.reports.meeting_papers import part_heading
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


class _FrameSpy:
    """A page's frame that notes each use made of it."""

    def __init__(self) -> None:
        object.__setattr__(self, "used", [])

    def __getattribute__(self, name: str):
        if name != "used":
            object.__getattribute__(self, "used").append(name)
        return object.__getattribute__(self, name)

    def __getattr__(self, name: str):
        return lambda *args, **kwargs: None  # what a frame can do, done as nothing

    def __bool__(self) -> bool:
        self.used.append("__bool__")
        return True


def _measured_with(flowable, frame: _FrameSpy, height: float = 0xFFFFFFF) -> None:
    """Measure `flowable` as reportlab measures a kept block's content, in a document whose
    page has `frame`."""
    canvas = Canvas(io.BytesIO())
    canvas._doctemplate = SimpleNamespace(frame=frame)
    flowable.wrapOn(canvas, 400, height)


def _kept_content() -> list:
    """What the pack's kept blocks hold: headings (with bookmarks), paragraphs, label/value
    tables and data tables whose cells are text, paragraphs and RAG badges."""
    table = data_table(["Partner", "Status", "Note"],
                       [["A partner", rag_cell("Red", "x", "40%"), para(WORDS)]] * 3)  # fmt: skip
    return [part_heading("1.2", "A part", "part-1-2"), heading("Block", level=2), para(WORDS),
            key_value_table([("Field", WORDS), ("Other", "short")]), *table]  # fmt: skip


@pytest.mark.parametrize("flowable", _kept_content(), ids=lambda f: type(f).__name__)
def test_what_a_block_is_measured_without_a_frame_for_neither_reads_nor_adds_to_the_frame(flowable):
    # KeptTogether measures these with no frame (reportlab measures them on a copy): that is
    # safe only while reportlab's paragraphs and tables never look at the frame when measured
    assert isinstance(flowable, _FRAME_FREE)
    frame = _FrameSpy()
    _measured_with(flowable, frame)
    assert frame.used == []


def test_the_frame_spy_sees_a_flowable_that_adds_to_the_frame():
    frame = _FrameSpy()
    _measured_with(CondPageBreak(400), frame, height=100)
    assert "add_generated_content" in frame.used
