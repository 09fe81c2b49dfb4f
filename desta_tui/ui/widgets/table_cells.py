"""A record table's columns and rows, and how its cells sort and fit: plain Python, no widget."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from rich.cells import cell_len, set_cell_size

from desta_tui.domain.dates import full_year

__all__ = ["Column", "Row", "column_widths", "fit_cell", "natural_key", "sorted_rows"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: `width` None shares the width the fixed columns leave over.

    `priority` says which columns give way when the table is too narrow for all of them:
    0 (the default) never hides; otherwise the highest number hides first, so the key
    columns (name, status, RAG) stay at 80 columns while the least important go.
    """

    key: str
    label: str
    width: int | None = None
    align: Literal["left", "right"] = "left"
    min_width: int = 4
    priority: int = 0


@dataclass(frozen=True, slots=True)
class Row:
    """One record as the table shows it: display strings only, in column order.

    `style` is a hint: "archived" (dim), "warning" or "error". The caller puts any words that
    must be readable without colour, like "(archived)", into the cells themselves.
    """

    key: str
    cells: tuple[str, ...]
    style: str | None = None


# --- sorting ------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?P<sign>[-\u2212])?\s*(?P<open>\()?\s*(?P<sign2>[-\u2212])?\s*£?\s*"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)?(?P<frac>\.\d+)?\s*%?\s*(?P<close>\))?"
)
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DIGITS = re.compile(r"(\d+)")
_BLANKS = frozenset({"", "-", "\u2013", "\u2014"})

_KIND_NUMBER, _KIND_DATE, _KIND_TEXT, _KIND_BLANK = range(4)
_BLANK_KEY: tuple[Any, ...] = (_KIND_BLANK,)


@lru_cache(maxsize=65536)
def natural_key(text: str) -> tuple[Any, ...]:
    """A sort key for a shown cell: numbers and money by value, dates by date, text casefolded.

    Numbers ("1234", "£1,234.50", "-£5", "(£12)", "83%") come first, then dates
    ("01/10/2012", "1/10/12", "2012-10-01"), then text (digits inside text compare as numbers,
    so "Item 9" comes before "Item 10"), then blanks ("", "-", "—").
    """
    raw = text.strip()
    if raw in _BLANKS:
        return _BLANK_KEY
    match = _NUMBER.fullmatch(raw)
    if match and (match["int"] or match["frac"]) and bool(match["open"]) == bool(match["close"]):
        number = Decimal((match["int"] or "0").replace(",", "") + (match["frac"] or ""))
        if match["sign"] or match["sign2"] or match["open"]:
            number = -number
        return (_KIND_NUMBER, number)
    if match := _UK_DATE.fullmatch(raw):
        day, month, year = int(match[1]), int(match[2]), match[3]
        full = int(year) if len(year) == 4 else full_year(int(year))
        try:
            return (_KIND_DATE, date(full, month, day))
        except ValueError:
            pass
    elif match := _ISO_DATE.fullmatch(raw):
        try:
            return (_KIND_DATE, date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            pass
    # re.split with a group puts the digit runs at the odd positions: (text, 12, text, ...)
    parts = _DIGITS.split(raw.casefold())
    return (_KIND_TEXT, tuple(int(part) if i % 2 else part for i, part in enumerate(parts)))


def sorted_rows(rows: list[Row], index: int, reverse: bool) -> list[Row]:
    """Rows sorted by column `index` (stable); blank cells stay last in either direction."""
    filled: list[tuple[tuple[Any, ...], Row]] = []
    blank: list[Row] = []
    for row in rows:
        key = natural_key(row.cells[index]) if index < len(row.cells) else _BLANK_KEY
        if key is _BLANK_KEY:
            blank.append(row)
        else:
            filled.append((key, row))
    filled.sort(key=_first, reverse=reverse)
    return [row for _key, row in filled] + blank


def _first(pair: tuple[tuple[Any, ...], Row]) -> tuple[Any, ...]:
    return pair[0]


# --- cell layout --------------------------------------------------------------------------

_CONTROL = {code: " " for code in range(32)} | {127: " "}


def fit_cell(text: str, width: int, align: str = "left") -> str:
    """`text` padded or cut to exactly `width` terminal cells, ending in "…" when cut."""
    if width <= 0:
        return ""
    if not text.isprintable():
        text = text.translate(_CONTROL)
    length = len(text) if text.isascii() else cell_len(text)
    if length > width:
        head = text[: width - 1] if text.isascii() else set_cell_size(text, width - 1)
        text = head.rstrip() + "…"
        length = cell_len(text)
    padding = " " * (width - length)
    return padding + text if align == "right" else text + padding


def _hidden_columns(columns: Sequence[Column], width: int) -> set[int]:
    """Indexes of the columns to hide so the rest fit `width`: highest `priority` first (the
    rightmost of equals), never a column of priority 0."""
    hidden: set[int] = set()

    def needed() -> int:
        shown = [column for index, column in enumerate(columns) if index not in hidden]
        return 1 + len(shown) - 1 + sum(column.width or column.min_width for column in shown)

    while needed() > width:
        candidates = [
            (column.priority, index)
            for index, column in enumerate(columns)
            if column.priority > 0 and index not in hidden
        ]
        if not candidates:
            break
        hidden.add(max(candidates)[1])
    return hidden


def column_widths(columns: Sequence[Column], width: int) -> list[int]:
    """Widths for `columns` in `width` cells: a 1-cell margin, 1-cell gaps, flexible columns
    sharing what the fixed ones leave (never under their `min_width`). A column that gives
    way to the narrow width (see `Column.priority`) gets 0 and is not drawn."""
    if not columns:
        return []
    hidden = _hidden_columns(columns, width)
    shown = [column for index, column in enumerate(columns) if index not in hidden]
    fixed = sum(column.width for column in shown if column.width is not None)
    flexible = [
        index
        for index, column in enumerate(columns)
        if column.width is None and index not in hidden
    ]
    widths = [0 if index in hidden else column.width or 0 for index, column in enumerate(columns)]
    spare = max(width - 1 - (len(shown) - 1) - fixed, 0)
    # an equal share each; a column whose minimum is over the share takes its minimum and the
    # others share the rest (so a wide minimum never pushes the row past `width`)
    sharing = list(flexible)
    while sharing:
        share = spare // len(sharing)
        above = [index for index in sharing if columns[index].min_width > share]
        if not above:
            break
        for index in above:
            widths[index] = columns[index].min_width
            spare = max(spare - columns[index].min_width, 0)
            sharing.remove(index)
    if sharing:
        share, extra = divmod(spare, len(sharing))
        for position, index in enumerate(sharing):
            widths[index] = max(columns[index].min_width, share + (1 if position < extra else 0))
    return widths
