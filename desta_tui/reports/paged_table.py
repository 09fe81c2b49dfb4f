"""PagedTable: a long data table that cuts itself into page-sized Tables, header on each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable, Table

from desta_tui.reports.styles import (
    BOLD_FONT,
    CELL_LEADING,
    CELL_PAD_BOTTOM,
    CELL_PAD_TOP,
    CELL_PAD_X,
    grid_table_style,
)

__all__ = ["BoldText", "PagedTable"]

_FUZZ = 1e-6
_TALL = 1e9  # height offered to a cell's flowable when measuring it: never the limit


class BoldText(str):
    """Text a table cell prints in bold (a flag such as NO TICKET, or a total)."""

    __slots__ = ()


Cell = str | Flowable


class PagedTable(Flowable):
    """A data table that splits itself into one reportlab Table per page.

    Rows are plain text (drawn as is: reportlab does not parse or wrap a string cell) or
    flowables (paragraphs that wrap, RAG cells). Each row's height is measured once; when the
    frame asks for a split, the rows that fit go into a Table with those heights given, and the
    rest stays a PagedTable sharing the same rows. reportlab then never measures or splits a
    huge Table again, which costs about 4 times as much per page as page-sized pieces.
    The header row starts every piece; the zebra stripes carry on across pages.
    """

    def __init__(
        self,
        header: Sequence[Cell],
        rows: Sequence[Sequence[Cell]],
        col_widths: Sequence[float],
        *,
        numeric_cols: Sequence[int] = (),
        repeat_header: bool = True,
        space_after: float = 8,
        _start: int = 0,
        _heights: list[float] | None = None,
    ) -> None:
        super().__init__()
        self.header = list(header)
        self.rows = rows
        self.col_widths = list(col_widths)
        self.numeric_cols = tuple(numeric_cols)
        self.repeat_header = repeat_header
        self.start = _start
        self.spaceAfter = space_after
        self.hAlign = "LEFT"
        self._heights = _heights
        self._header_height: float | None = None
        self.width = sum(self.col_widths)

    def __repr__(self) -> str:
        return f"PagedTable({len(self.rows) - self.start} rows from row {self.start})"

    @property
    def _shows_header(self) -> bool:
        return self.start == 0 or self.repeat_header

    def _row_height(self, row: Sequence[Cell]) -> float:
        """What reportlab's Table would make of the row: its tallest cell plus padding."""
        tallest = 0.0
        for value, width in zip(row, self.col_widths, strict=True):
            if isinstance(value, Flowable):
                _, height = value.wrap(width - 2 * CELL_PAD_X, _TALL)
            else:
                height = CELL_LEADING * (value.count("\n") + 1)
            tallest = max(tallest, height)
        return tallest + CELL_PAD_TOP + CELL_PAD_BOTTOM

    def _measure(self) -> None:
        if self._heights is None:
            self._heights = [self._row_height(row) for row in self.rows]
        if self._header_height is None:
            self._header_height = self._row_height(self.header) if self._shows_header else 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._measure()
        self.height = self._header_height + sum(self._heights[self.start :])
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self._measure()
        room = avail_height - self._header_height + _FUZZ
        end, used = self.start, 0.0
        while end < len(self.rows) and used + self._heights[end] <= room:
            used += self._heights[end]
            end += 1
        if end == self.start:
            return []  # not even one row fits: the frame moves on to the next page
        if end == len(self.rows):
            return [self._table(self.start, end, self.spaceAfter)]
        rest = PagedTable(
            self.header,
            self.rows,
            self.col_widths,
            numeric_cols=self.numeric_cols,
            repeat_header=self.repeat_header,
            space_after=self.spaceAfter,
            _start=end,
            _heights=self._heights,
        )
        return [self._table(self.start, end, 0), rest]

    def draw(self) -> None:
        table = self._table(self.start, len(self.rows), 0)
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)

    def _table(self, start: int, end: int, space_after: float) -> Table:
        """A reportlab Table of rows `start` to `end` (and the header), heights already known."""
        data: list[list[Any]] = [list(row) for row in self.rows[start:end]]
        heights = self._heights[start:end]
        header_rows = 0
        if self._shows_header:
            data.insert(0, list(self.header))
            heights = [self._header_height, *heights]
            header_rows = 1
        style = grid_table_style(header_rows, numeric_cols=self.numeric_cols, zebra_phase=start)
        table = Table(
            data,
            colWidths=self.col_widths,
            rowHeights=heights,
            style=style,
            hAlign="LEFT",
            spaceAfter=space_after,
        )
        bold = [
            ("FONTNAME", (col, row), (col, row), BOLD_FONT)
            for row, cells in enumerate(data[header_rows:], start=header_rows)
            for col, value in enumerate(cells)
            if isinstance(value, BoldText)
        ]
        if bold:
            table.setStyle(bold)
        return table
