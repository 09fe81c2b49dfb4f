"""PagedTable: a long data table that cuts itself into page-sized Tables, header on each."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.tables import LINECOMMANDS, CellStyle

from desta_tui.reports.styles import (
    BOLD_FONT,
    CELL_FONT_SIZE,
    CELL_LEADING,
    CELL_PAD_BOTTOM,
    CELL_PAD_TOP,
    CELL_PAD_X,
    grid_table_style,
    text_width,
)

__all__ = ["CONTINUED", "BoldText", "PagedTable", "cell_styles"]

_FUZZ = 1e-6
_TALL = 1e9  # height offered to a cell's flowable when measuring it: never the limit
_LEAST_START = 2 * CELL_LEADING + CELL_PAD_TOP + CELL_PAD_BOTTOM
"""Room for two lines: less, and a row too tall for a page starts on the next one instead."""
CONTINUED = ("(continued)", "(cont.)")
"""What the first cell of a row's continuation says when it has nothing left of its own, the
first of these that fits the column."""


class BoldText(str):
    """Text a table cell prints in bold (a flag such as NO TICKET, or a total)."""

    __slots__ = ()


Cell = str | Flowable


@dataclass(frozen=True)
class _RowPart:
    """What is left of a row too tall for a page, printed at the top of the next piece."""

    cells: list[Cell]
    height: float
    row: int


class PagedTable(Flowable):
    """A data table that splits itself into one reportlab Table per page.

    Rows are plain text (drawn as is: reportlab does not parse or wrap a string cell) or
    flowables (paragraphs that wrap, RAG cells). Each row's height is measured once; when the
    frame asks for a split, the rows that fit go into a Table with those heights given, and the
    rest stays a PagedTable sharing the same rows. reportlab then never measures or splits a
    huge Table again, which costs about 4 times as much per page as page-sized pieces.
    The header row starts every piece; the zebra stripes carry on across pages.

    A row taller than a page is cut between its lines: what fits goes on this page and the rest
    continues on the next, under the header, with the row's finished cells left empty there
    (the first one says "(continued)"). The last `total_rows` rows (totals) never start a page
    without the row before them.
    """

    def __init__(
        self,
        header: Sequence[Cell],
        rows: Sequence[Sequence[Cell]],
        col_widths: Sequence[float],
        *,
        numeric_cols: Sequence[int] = (),
        repeat_header: bool = True,
        total_rows: int = 0,
        space_after: float = 8,
        _start: int = 0,
        _heights: list[float] | None = None,
        _carried: _RowPart | None = None,
    ) -> None:
        super().__init__()
        self.header = list(header)
        self.rows = rows
        self.col_widths = list(col_widths)
        self.numeric_cols = tuple(numeric_cols)
        self.repeat_header = repeat_header
        self.total_rows = max(0, min(total_rows, len(rows) - 1))
        self.start = _start
        self.spaceAfter = space_after
        self.hAlign = "LEFT"
        self._heights = _heights
        self._carried = _carried
        self._header_height: float | None = None
        self.width = sum(self.col_widths)

    def __repr__(self) -> str:
        carried = " and the rest of the row before" if self._carried else ""
        return f"PagedTable({len(self.rows) - self.start} rows from row {self.start}{carried})"

    @property
    def _shows_header(self) -> bool:
        return (self.start == 0 and self._carried is None) or self.repeat_header

    def _row_height(self, row: Sequence[Cell]) -> float:
        """What reportlab's Table would make of the row: its tallest cell plus padding."""
        tallest = 0.0
        breaks = -1  # the most line breaks in a text cell; -1: no text cell
        for value, width in zip(row, self.col_widths, strict=True):
            if isinstance(value, Flowable):
                _, height = value.wrap(width - 2 * CELL_PAD_X, _TALL)
                if height > tallest:
                    tallest = height
            elif breaks < 1 and "\n" not in value:
                breaks = 0  # most text cells are one line: no need to count
            else:
                breaks = max(breaks, value.count("\n"))
        if breaks >= 0:
            tallest = max(tallest, CELL_LEADING * (breaks + 1))
        return tallest + CELL_PAD_TOP + CELL_PAD_BOTTOM

    def _measure(self) -> None:
        if self._heights is None:
            self._heights = [self._row_height(row) for row in self.rows]
        if self._header_height is None:
            self._header_height = self._row_height(self.header) if self._shows_header else 0.0

    def start_height(self, most: float) -> float:
        """Room the table wants for its start on a page: its header and first row (at most
        `most`, as a row taller than that is cut between its lines anyway)."""
        self._measure()
        carried = self._carried.height if self._carried else 0.0
        first = carried or (self._heights[self.start] if self.start < len(self.rows) else 0.0)
        return min(self._header_height + first, most)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._measure()
        carried = self._carried.height if self._carried else 0.0
        self.height = self._header_height + carried + sum(self._heights[self.start :])
        return self.width, self.height

    def _frame_facts(self, avail_height: float) -> tuple[float, bool]:
        """The height of a whole frame, and whether this piece is at the top of one.

        reportlab tells a flowable its frame while splitting it; asked without one (a test
        cutting pieces by hand), each split is taken as a fresh page of `avail_height`.
        """
        frame = getattr(self, "_frame", None)
        if frame is None:
            return avail_height, True
        return frame._aH, bool(frame._atTop)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self._measure()
        page_height, at_top = self._frame_facts(avail_height)
        room = avail_height - self._header_height + _FUZZ
        page_room = page_height - self._header_height + _FUZZ
        head = self._carried
        if head is not None and head.height > room:
            # still more of the tall row than one page holds: this page takes what fits
            if room < _LEAST_START:
                return []
            top, rest = self._cut_row(head.cells, head.row, room)
            if top is None:
                return []
            return [self._table(self.start, self.start, 0, head=top), self._rest(self.start, rest)]

        used = head.height if head else 0.0
        end, count = self.start, len(self.rows)
        while end < count and used + self._heights[end] <= room:
            used += self._heights[end]
            end += 1
        if end == count:
            return [self._table(self.start, end, self.spaceAfter, head=head)]
        end = self._keep_totals_with_a_row(end, at_top)

        tail = rest = None
        if self._heights[end] > page_room and room - used >= _LEAST_START:
            tail, rest = self._cut_row(self.rows[end], end, room - used)
        if tail is None and end == self.start and head is None:
            return []  # not even one row fits: the frame moves on to the next page
        after = end + 1 if tail is not None else end
        return [self._table(self.start, end, 0, head=head, tail=tail), self._rest(after, rest)]

    def _keep_totals_with_a_row(self, end: int, at_top: bool) -> int:
        """Where to end this piece so that the total rows do not begin the next one alone."""
        if not self.total_rows:
            return end
        first_total = len(self.rows) - self.total_rows
        if end < first_total or end == len(self.rows):
            return end
        if first_total - 1 > self.start:
            return first_total - 1
        if not at_top:
            return self.start  # the last row and its totals go to the next page together
        return end  # a page cannot hold them together: print what fits

    def _cut_row(
        self, cells: Sequence[Cell], row: int, room: float
    ) -> tuple[_RowPart | None, _RowPart | None]:
        """Cut a row so that its first part is at most `room` tall: (first part, the rest).

        Text cells are cut between lines, paragraphs where they split themselves; any other
        flowable goes whole into the part it fits. (None, None) when nothing fits in `room`.
        """
        space = room - CELL_PAD_TOP - CELL_PAD_BOTTOM
        lines = max(0, int((space + _FUZZ) // CELL_LEADING))
        top: list[Cell] = []
        rest: list[Cell] = []
        for value, width in zip(cells, self.col_widths, strict=True):
            inner = width - 2 * CELL_PAD_X
            if isinstance(value, Flowable):
                first, second = _cut_flowable(value, inner, space)
            else:
                first, second = _cut_text(value, lines)
            top.append(first)
            rest.append(second)
        if all(_is_empty(value) for value in top):
            return None, None
        if _is_empty(rest[0]):
            rest[0] = _continued(self.col_widths[0])
        return (
            _RowPart(top, self._row_height(top), row),
            _RowPart(rest, self._row_height(rest), row),
        )

    def _rest(self, start: int, carried: _RowPart | None) -> PagedTable:
        return PagedTable(
            self.header,
            self.rows,
            self.col_widths,
            numeric_cols=self.numeric_cols,
            repeat_header=self.repeat_header,
            total_rows=self.total_rows,
            space_after=self.spaceAfter,
            _start=start,
            _heights=self._heights,
            _carried=carried,
        )

    def draw(self) -> None:
        table = self._table(self.start, len(self.rows), 0, head=self._carried)
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)

    def _table(
        self,
        start: int,
        end: int,
        space_after: float,
        *,
        head: _RowPart | None = None,
        tail: _RowPart | None = None,
    ) -> Table:
        """A reportlab Table of rows `start` to `end` (and the header), heights already known;
        `head` is the rest of the row before `start`, `tail` the first part of row `end`."""
        data: list[list[Any]] = [list(row) for row in self.rows[start:end]]
        heights = self._heights[start:end]
        first_row = start
        if head is not None:
            data.insert(0, head.cells)
            heights = [head.height, *heights]
            first_row = head.row
        if tail is not None:
            data.append(tail.cells)
            heights = [*heights, tail.height]
        header_rows = 0
        if self._shows_header:
            data.insert(0, list(self.header))
            heights = [self._header_height, *heights]
            header_rows = 1
        style = grid_table_style(header_rows, numeric_cols=self.numeric_cols, zebra_phase=first_row)
        shared, rest = cell_styles(style, data, header_rows, len(self.col_widths))
        # the cells are text or flowables already (never None, never bytes): reportlab's pass
        # over every cell to make them so would give each back as it is
        return Table(
            data,
            normalizedData=1,
            colWidths=self.col_widths,
            rowHeights=heights,
            style=rest,
            hAlign="LEFT",
            spaceAfter=space_after,
            cellStyles=shared,
        )


_NOT_PER_CELL = {"BACKGROUND", "ROWBACKGROUNDS", "COLBACKGROUNDS", "SPAN", "NOSPLIT",
                 "ROUNDEDCORNERS", *LINECOMMANDS}  # fmt: skip
"""Table style commands that reportlab keeps for the whole table rather than writing into the
style of each cell they cover."""


def cell_styles(
    style: TableStyle, data: list[list[Any]], header_rows: int, columns: int
) -> tuple[list[list[CellStyle]] | None, list[tuple]]:
    """The style of every cell of a table (a piece of this one, or any table whose
    commands treat its body rows alike), and the commands left for reportlab to apply.

    reportlab writes each font, colour, alignment and padding command into a style object per
    cell it covers: a dozen commands over every cell of every page-sized piece, a tenth of the
    layout. Here the header row's and a body row's styles are worked out once per table shape
    (`_row_styles`) and every body row shares the body row's, as the commands treat all body
    rows alike; a `BoldText` cell gets a style of its own in bold. (None, all the commands)
    when a command picks out some body rows: reportlab does it all.
    """
    found = _row_styles(style, header_rows, columns)
    if found is None:
        return None, style.getCommands()
    heads, body, rest = found
    rows = [*heads, *([body] * (len(data) - header_rows))]
    for row, cells in enumerate(data[header_rows:], start=header_rows):
        bold = [col for col, value in enumerate(cells) if isinstance(value, BoldText)]
        if bold:
            rows[row] = list(rows[row])
            for col in bold:
                rows[row][col] = _copy(rows[row][col])
                rows[row][col].fontname = BOLD_FONT
    return rows, rest


@functools.lru_cache(maxsize=256)
def _row_styles(
    style: TableStyle, header_rows: int, columns: int
) -> tuple[list[list[CellStyle]], list[CellStyle], list[tuple]] | None:
    """The header rows' cell styles, a body row's and the commands reportlab applies itself,
    for a table of `columns` under `style` (styles are shared: see styles.grid_table_style);
    None when a command picks out some body rows. Made once per shape, on a table of those rows
    alone, and shared by every piece: reportlab reads a cell's style, it never changes it."""
    cell_commands = [c for c in style.getCommands() if c[0] not in _NOT_PER_CELL]
    for command in cell_commands:
        (_, first), (_, last) = command[1], command[2]
        if isinstance(first, str) or isinstance(last, str) or first < 0:
            return None
        covers_body = last == -1 or last >= header_rows
        if covers_body and (first > header_rows or last != -1):
            return None
    model = Table([[""] * columns for _ in range(header_rows + 1)], style=cell_commands)
    *heads, body = model._cellStyles
    return heads, body, [c for c in style.getCommands() if c[0] in _NOT_PER_CELL]


def _copy(style: CellStyle) -> CellStyle:
    made = CellStyle(style.name)
    made.__dict__.update(style.__dict__)
    return made


def _is_empty(value: Cell) -> bool:
    return not isinstance(value, Flowable) and value == ""


def _cut_text(value: str, lines: int) -> tuple[str, str]:
    """The first `lines` lines of a text cell and the rest, bold staying bold."""
    parts = value.split("\n")
    if len(parts) <= lines:
        return value, ""
    first, second = "\n".join(parts[:lines]), "\n".join(parts[lines:])
    if isinstance(value, BoldText):
        return BoldText(first), BoldText(second)
    return first, second


def _cut_flowable(value: Flowable, width: float, space: float) -> tuple[Cell, Cell]:
    """A flowable cell cut to `space` points: a paragraph splits between its lines; anything
    else goes whole into the first part if it fits there, else into the second."""
    _, height = value.wrap(width, _TALL)
    if height <= space + _FUZZ:
        return value, ""
    parts = value.split(width, space) if space > 0 else []
    if len(parts) == 2:
        return parts[0], parts[1]
    return "", value


def _continued(width: float) -> str:
    """The "(continued)" mark for a column `width` points wide, or "" when none fits."""
    for mark in CONTINUED:
        if text_width(mark, CELL_FONT_SIZE) + 2 * CELL_PAD_X <= width:
            return mark
    return ""
