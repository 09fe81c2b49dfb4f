"""Data tables: page-sized pieces with the header on each, plain text cells kept literal."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table

from desta_tui.reports.document import build_pdf
from desta_tui.reports.flowables import BoldText, PagedTable, data_table, heading, para
from desta_tui.reports.styles import CELL_PAD_X, WHITE, ZEBRA_FILL, get_style, markup
from tests.reports.conftest import read_pdf, squash

HEADERS = ["Ref", "Organisation", "Note", "Value"]
LONG_NOTE = (
    "Enrolments fell below target after the tutor left; two taster sessions are planned "
    "at the Westway centre and weekly figures go to the Rain Trust until they recover."
)
FRAME_HEIGHT = 700.0


def _rows(count: int) -> list[list]:
    return [
        [f"R-{n:03d}", f"Acton Carers Trust {n}", "a<b R&D <b>x</b>", f"£{n * 1_000:,}"]
        for n in range(1, count + 1)
    ]


def _table(story) -> PagedTable:
    return next(f for f in story if isinstance(f, PagedTable))


def _pieces(table: PagedTable, height: float = FRAME_HEIGHT) -> list[Table]:
    """Split the table as full frames would, page after page."""
    pieces: list[Table] = []
    rest = table
    while True:
        _, h = rest.wrap(500, height)
        if h <= height:
            pieces.append(rest._table(rest.start, len(rest.rows), 0))
            return pieces
        first, *more = rest.split(500, height)
        pieces.append(first)
        assert len(more) == 1
        rest = more[0]


def _body_refs(piece: Table) -> list[str]:
    return [row[0] for row in piece._cellvalues[1:]]


def test_a_long_table_is_cut_into_pieces_that_each_fit_a_page_and_start_with_the_header():
    table = _table(data_table(HEADERS, _rows(200), numeric_cols=(3,)))
    pieces = _pieces(table)
    assert len(pieces) >= 3
    refs: list[str] = []
    for piece in pieces:
        _, height = piece.wrap(500, FRAME_HEIGHT)
        assert height <= FRAME_HEIGHT
        assert piece._cellvalues[0][0] == "Ref"  # the header row leads every piece
        refs += _body_refs(piece)
    assert refs == [f"R-{n:03d}" for n in range(1, 201)]  # each row once, in order
    # full pieces: the next row would not have fitted
    first = pieces[0]
    assert sum(first._argH) + table._heights[len(first._argH) - 1] > FRAME_HEIGHT


def test_zebra_stripes_carry_on_across_pieces():
    table = _table(data_table(HEADERS, _rows(200)))
    for piece in _pieces(table):
        first_ref = int(_body_refs(piece)[0][2:])
        shades = next(c[3] for c in piece._bkgrndcmds if c[0] == "ROWBACKGROUNDS")
        # rows 1, 3, 5... are white and 2, 4, 6... grey, wherever a piece starts
        assert shades[0] == (WHITE if first_ref % 2 == 1 else ZEBRA_FILL)


def test_without_repeat_header_only_the_first_piece_has_it():
    table = _table(data_table(HEADERS, _rows(200), repeat_header=False))
    pieces = _pieces(table)
    assert pieces[0]._cellvalues[0][0] == "Ref"
    for piece in pieces[1:]:
        assert piece._cellvalues[0][0].startswith("R-")


def test_short_text_cells_are_plain_strings_printed_as_typed():
    table = _table(
        data_table(HEADERS, [["R-1", "R&D Trust", "a<b", BoldText("<b>x</b>")]], numeric_cols=(3,))
    )
    ref, name, note, value = table.rows[0]
    assert (ref, name, note) == ("R-1", "R&D Trust", "a<b")
    assert isinstance(value, BoldText) and value == "<b>x</b>"
    assert all(isinstance(h, str) for h in table.header)


@pytest.mark.parametrize("width", [80.0, 150.0, 260.0])
def test_long_text_wraps_between_words_like_a_paragraph(width: float):
    story = data_table(["Note"], [[LONG_NOTE]], col_widths=[width])
    text = _table(story).rows[0][0]
    assert isinstance(text, str) and "\n" in text
    assert squash(text) == LONG_NOTE
    # reportlab lets a left-aligned line run a little past its width (space shrinkage);
    # plain lines never cross the padding, otherwise the breaks are a paragraph's
    exact = ParagraphStyle("cell-exact", parent=get_style("cell"), spaceShrinkage=0)
    reference = Paragraph(markup(LONG_NOTE), exact)
    reference.wrap(width - 2 * CELL_PAD_X, 1000)
    lines = [" ".join(words) for _, words in reference.blPara.lines]
    assert text.split("\n") == lines


def test_spaces_tabs_and_newlines_print_as_a_paragraph_would():
    rows = [
        ["Two  spaces\tand a tab"],
        ["Line one\r\nline two\n"],
    ]
    table = _table(data_table(["Note"], rows, col_widths=[70]))
    assert [row[0] for row in table.rows] == [
        "Two spaces\nand a tab",
        "Line one\nline two",
    ]


@pytest.mark.parametrize(
    "value",
    [
        "Supercalifragilisticexpialidocious-Partnership-Trust",  # wider than its column
        "የኢትዮጵያ ማህበረሰብ",  # Ethiopic: its own font
        "বাংলাদেশ সমিতি",  # Bengali: its own font, shaped
    ],
)
def test_text_a_plain_string_cannot_print_stays_a_paragraph(value: str):
    table = _table(data_table(["Name", "Value"], [[value, "1"]], col_widths=[90, 60]))
    assert isinstance(table.rows[0][0], Paragraph)
    assert table.rows[0][1] == "1"


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = _rows(150)
    rows[41][2] = LONG_NOTE
    story = [heading("Members", 1), para("Before the table.")]
    story += data_table(HEADERS, rows, numeric_cols=(3,))
    story.append(para("After the table."))
    path = tmp_path_factory.mktemp("paged") / "paged.pdf"
    return build_pdf(
        path, story, title="Paged", printed_on=date(2012, 11, 5), printed_by="Hana Tesfaye"
    )


def test_the_pdf_repeats_the_header_on_every_page_and_keeps_every_row_once(long_pdf: Path):
    pdf = read_pdf(long_pdf)
    table_pages = [text for text in pdf.pages if re.search(r"R-\d{3}", text)]
    assert len(table_pages) >= 3
    for text in table_pages:
        assert all(header in text for header in HEADERS)
    refs = re.findall(r"R-\d{3}", pdf.text)
    assert refs == [f"R-{n:03d}" for n in range(1, 151)]
    assert pdf.text.index("Before the table.") < pdf.text.index("R-001")
    assert pdf.text.index("R-150") < pdf.text.index("After the table.")


def test_the_pdf_prints_markup_characters_literally_and_the_long_note_whole(long_pdf: Path):
    text = read_pdf(long_pdf).text
    assert text.count("a<b R&D <b>x</b>") == 149
    assert "&amp;" not in text and "&lt;" not in text
    assert LONG_NOTE in squash(text)
