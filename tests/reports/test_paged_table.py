"""Data tables: page-sized pieces with the header on each, plain text cells kept literal."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table

from desta_tui.reports.document import build_pdf
from desta_tui.reports.flowables import (
    BoldText,
    PagedTable,
    data_table,
    heading,
    key_value_table,
    para,
)
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
            pieces.append(rest._table(rest.start, len(rest.rows), 0, head=rest._carried))
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


# --- rows taller than a page, and totals ------------------------------------------------------

HUGE_NOTE = " ".join(f"note{n:04d}" for n in range(1, 2223))  # 20,000 characters
NOTE_HEADERS = ["Date", "Kind", "Notes", "By"]


def _note_words(text: str) -> list[str]:
    return re.findall(r"note\d{4}", text)


class _Frame:
    """Stands in for the reportlab frame a table is split in: its height, and whether the
    table would start at its top."""

    def __init__(self, height: float, at_top: bool) -> None:
        self._aH = height
        self._atTop = int(at_top)


def _tall_table(**options) -> PagedTable:
    rows = [[f"0{n}/10/2012", "Call", f"Short note {n}", "Hana"] for n in range(1, 4)]
    rows.append(["04/10/2012", "Meeting", HUGE_NOTE, BoldText("Hana")])
    rows.append(["05/10/2012", "Email", "After the long one", "Hana"])
    return _table(data_table(NOTE_HEADERS, rows, **options))


def test_a_row_taller_than_a_page_continues_on_the_next_pages_under_the_header():
    table = _tall_table()
    table.wrap(500, FRAME_HEIGHT)
    assert table._heights[3] > 3 * FRAME_HEIGHT  # the note alone needs several pages
    pieces = _pieces(table)
    assert len(pieces) >= 4
    note_lines: list[str] = []
    for number, piece in enumerate(pieces):
        _, height = piece.wrap(500, FRAME_HEIGHT)
        assert height <= FRAME_HEIGHT + 1e-6
        assert piece._cellvalues[0] == NOTE_HEADERS
        for row in piece._cellvalues[1:]:
            if _note_words(row[2]):
                note_lines += row[2].split("\n")
                if number:  # the continuation: the row's finished cells stay empty
                    assert row[0] == "(continued)" and row[1] == row[3] == ""
                else:
                    assert row[0] == "04/10/2012" and row[3] == "Hana"
    whole = table.rows[3][2]
    assert note_lines == whole.split("\n")  # every line once, in order
    assert _note_words(" ".join(note_lines)) == _note_words(HUGE_NOTE)
    dates = [row[0] for piece in pieces for row in piece._cellvalues[1:]]
    assert [d for d in dates if d != "(continued)"] == [f"0{n}/10/2012" for n in range(1, 6)]
    # stripes: the continuation keeps its row's shade (row 4 is grey) on every page
    for piece in pieces[1:-1]:
        shades = next(c[3] for c in piece._bkgrndcmds if c[0] == "ROWBACKGROUNDS")
        assert shades[0] == ZEBRA_FILL


def test_a_tall_row_starts_at_the_foot_of_a_page_when_some_lines_fit():
    table = _tall_table()
    table._frame = _Frame(FRAME_HEIGHT, at_top=False)
    first, rest = table.split(500, 150)
    assert [row[0] for row in first._cellvalues[1:]][-1] == "04/10/2012"
    assert sum(first._argH) <= 150
    assert rest._carried is not None and rest.start == 4


def test_a_row_that_fits_a_page_moves_to_the_next_page_whole():
    rows = [["01/10/2012", "Call", "Short", "Hana"], ["02/10/2012", "Call", LONG_NOTE * 4, "Hana"]]
    table = _table(data_table(NOTE_HEADERS, rows))
    table.wrap(500, FRAME_HEIGHT)
    table._frame = _Frame(FRAME_HEIGHT, at_top=False)
    assert table._heights[1] > 60  # two lines would fit below the first row, not all of them
    first, rest = table.split(500, table._header_height + table._heights[0] + 30)
    assert [row[0] for row in first._cellvalues[1:]] == ["01/10/2012"]
    assert rest.start == 1 and rest._carried is None


def test_a_tall_row_of_paragraphs_is_cut_too(tmp_path: Path):
    amharic = " ".join(f"የኢትዮጵያ{n}" for n in range(1, 1501))  # another script: a paragraph
    rows = [[amharic, "Hana"], ["short", "Jo"]]
    table = _table(data_table(["Note", "By"], rows))
    assert isinstance(table.rows[0][0], Paragraph)
    pieces = _pieces(table)
    assert len(pieces) >= 2
    for piece in pieces:
        assert piece.wrap(500, FRAME_HEIGHT)[1] <= FRAME_HEIGHT + 1e-6
        assert isinstance(piece._cellvalues[1][0], Paragraph)  # a part of the note on each
    path = build_pdf(tmp_path / "amharic.pdf", data_table(["Note", "By"], rows), title="Tall",
                     printed_on=date(2012, 11, 5), printed_by="Hana Tesfaye")  # fmt: skip
    text = read_pdf(path).text
    assert re.findall(r"የኢትዮጵያ(\d+)", text) == [str(n) for n in range(1, 1501)]
    assert text.index("የኢትዮጵያ1500") < text.index("short")


def _filled_table(body_rows: int, total_rows: int) -> tuple[PagedTable, float]:
    """A table of one-line rows and its totals, and a frame height that holds the header and
    exactly `body_rows` rows: without care, the totals would start the next page alone."""
    rows = [[f"Partner {n}", f"{n:,}"] for n in range(1, body_rows + 1)]
    rows += [[BoldText(f"All partners {n}"), BoldText("999")] for n in range(total_rows)]
    table = _table(data_table(["Partner", "Sessions"], rows, total_rows=total_rows))
    table.wrap(500, FRAME_HEIGHT)
    height = table._header_height + sum(table._heights[:body_rows]) + 1
    return table, height


def test_without_total_rows_a_total_can_start_a_page_alone():
    rows = [[f"Partner {n}", f"{n:,}"] for n in range(1, 31)] + [[BoldText("All"), "999"]]
    table = _table(data_table(["Partner", "Sessions"], rows))
    table.wrap(500, FRAME_HEIGHT)
    height = table._header_height + sum(table._heights[:30]) + 1
    assert [row[0] for row in _pieces(table, height)[-1]._cellvalues[1:]] == ["All"]


@pytest.mark.parametrize("total_rows", [1, 2])
def test_the_totals_keep_the_row_before_them_company(total_rows: int):
    table, height = _filled_table(30, total_rows)
    pieces = _pieces(table, height)
    assert len(pieces) == 2
    last = [row[0] for row in pieces[-1]._cellvalues[1:]]
    assert last == ["Partner 30", *(f"All partners {n}" for n in range(total_rows))]
    names = [row[0] for piece in pieces for row in piece._cellvalues[1:]]
    assert names == [row[0] for row in table.rows]  # every row once, in order


def test_a_short_table_with_totals_moves_to_the_next_page_together():
    table = _table(data_table(["Partner", "Sessions"], [["Rain Trust", "3"], ["All", "3"]],
                              total_rows=1))  # fmt: skip
    table.wrap(500, FRAME_HEIGHT)
    table._frame = _Frame(FRAME_HEIGHT, at_top=False)
    assert table.split(500, table._header_height + table._heights[0] + 1) == []


def test_the_pdf_prints_a_20000_character_note_whole_across_pages(tmp_path: Path):
    rows = [["03/10/2012", "Call", "Before it", "Hana"],
            ["04/10/2012", "Meeting", HUGE_NOTE, "Hana"],
            ["05/10/2012", "Email", "After the long one", "Hana"]]  # fmt: skip
    story = [heading("Commissioner contacts", 1), *data_table(NOTE_HEADERS, rows)]
    story.append(para("After the table."))
    path = build_pdf(tmp_path / "tall.pdf", story, title="Tall", printed_on=date(2012, 11, 5),
                     printed_by="Hana Tesfaye")  # fmt: skip
    pdf = read_pdf(path)
    assert _note_words(pdf.text) == _note_words(HUGE_NOTE)
    note_pages = [text for text in pdf.pages if _note_words(text)]
    assert len(note_pages) >= 4
    for text in note_pages:
        assert all(header in text for header in NOTE_HEADERS)
    assert all("(continued)" in text for text in note_pages[1:])
    assert pdf.index("Before it") < pdf.index("note0001")
    assert pdf.index("note2222") < pdf.index("After the long one") < pdf.index("After the table.")


def test_a_key_value_table_prints_a_20000_character_note_whole(tmp_path: Path):
    pairs = [("Name", "Rain Trust"), ("Notes", HUGE_NOTE), ("Website", "raintrust.org.uk")]
    story = [heading("Rain Trust", 1), key_value_table(pairs), para("After the table.")]
    path = build_pdf(tmp_path / "kv.pdf", story, title="Tall", printed_on=date(2012, 11, 5),
                     printed_by="Hana Tesfaye")  # fmt: skip
    pdf = read_pdf(path)
    assert len(pdf.pages) >= 3
    assert _note_words(pdf.text) == _note_words(HUGE_NOTE)
    assert pdf.index("note2222") < pdf.index("raintrust.org.uk") < pdf.index("After the table.")


def _look(table: Table) -> list[list[dict]]:
    return [[dict(vars(style), name=None) for style in row] for row in table._cellStyles]


@pytest.mark.parametrize("repeat_header", [True, False])
def test_each_piece_styles_its_cells_as_reportlab_would_from_the_commands(repeat_header):
    from desta_tui.reports.styles import BOLD_FONT, grid_table_style

    rows = [*_rows(5), ["", BoldText("Total"), "", BoldText("£15,000")]]
    table = PagedTable(HEADERS, rows, [60, 120, 200, 80], numeric_cols=(3,),
                       repeat_header=repeat_header)  # fmt: skip
    table.wrap(460, FRAME_HEIGHT)
    for start in (0, 2):  # the first piece (with its header) and a later one
        piece = table._table(start, len(rows), 0)
        header_rows = 1 if table._shows_header else 0
        data = ([HEADERS] if header_rows else []) + rows[start:]
        style = grid_table_style(header_rows, numeric_cols=(3,), zebra_phase=start)
        bold = [("FONTNAME", (col, row), (col, row), BOLD_FONT)
                for row, cells in enumerate(data) for col, value in enumerate(cells)
                if isinstance(value, BoldText)]  # fmt: skip
        own = Table(data, colWidths=[60, 120, 200, 80], style=[*style.getCommands(), *bold])
        assert _look(piece) == _look(own)
        assert piece._bkgrndcmds == own._bkgrndcmds and piece._linecmds == own._linecmds
    if not repeat_header:  # a later piece of a table whose header is not repeated
        rest = table._rest(2, None)
        rest.wrap(460, FRAME_HEIGHT)
        piece = rest._table(2, len(rows), 0)
        style = grid_table_style(0, numeric_cols=(3,), zebra_phase=2)
        own = Table(rows[2:], colWidths=[60, 120, 200, 80],
                    style=[*style.getCommands(), ("FONTNAME", (1, 3), (1, 3), BOLD_FONT),
                           ("FONTNAME", (3, 3), (3, 3), BOLD_FONT)])  # fmt: skip
        assert _look(piece) == _look(own)
        piece = table._table(0, len(rows), 0)
    # a bold cell has a style of its own: the other rows keep the plain font
    fonts = {piece._cellStyles[row][1].fontname for row in range(1, len(rows) - 2)}
    assert fonts == {get_style("cell").fontName}


def test_a_command_for_some_body_rows_leaves_the_cells_to_reportlab():
    from reportlab.platypus import TableStyle

    from desta_tui.reports.paged_table import cell_styles

    style = TableStyle([("FONTNAME", (0, 0), (-1, -1), "Helvetica"),
                        ("TEXTCOLOR", (0, 2), (-1, 2), WHITE)])  # fmt: skip
    data = [["a", "b"], ["c", "d"], ["e", "f"]]
    assert cell_styles(style, data, 1, 2) == (None, style.getCommands())
    last_only = TableStyle([("FONTNAME", (0, -1), (-1, -1), "Helvetica")])
    assert cell_styles(last_only, data, 1, 2)[0] is None
    styles, rest = cell_styles(
        TableStyle([("FONTNAME", (0, 1), (-1, -1), "Helvetica")]), data, 1, 2
    )
    assert rest == [] and styles[2][0].fontname == "Helvetica"


def test_a_key_value_table_styles_its_cells_as_reportlab_would_from_the_commands():
    from desta_tui.reports.flowables import key_value_table
    from desta_tui.reports.styles import key_value_table_style

    table = key_value_table([("Cause", "not said"), ("Owner", "Someone"), ("From", "A note")])
    own = Table(table._cellvalues, colWidths=table._argW, style=key_value_table_style())
    assert _look(table) == _look(own)
    assert table._bkgrndcmds == own._bkgrndcmds and table._linecmds == own._linecmds
    # one style a column, shared by the rows
    assert table._cellStyles[0][1] is table._cellStyles[2][1]
