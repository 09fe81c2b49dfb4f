"""RecordTable: a virtual, sortable list of records that draws only the rows on screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from desta_tui.ui.widgets.table_cells import (
    Column,
    Row,
    column_widths,
    fit_cell,
    natural_key,
    sorted_rows,
)

__all__ = ["Column", "RecordTable", "Row", "column_widths", "fit_cell", "natural_key"]


# --- the widget ---------------------------------------------------------------------------


class RecordTable(ScrollView, can_focus=True, inherit_bindings=False):
    """A list of records that renders only the visible rows, so 10,000 rows cost no more to
    show than 30. Give it `Column`s, then `set_rows()` as often as the filter changes.

    The header stays at the top; the sorted column shows ▲ (ascending) or ▼ (descending).
    The cursor row is drawn in reverse video and archived rows dim, so it reads without colour.
    Its bindings replace ScrollView's (there is no sideways scrolling to offer): when the
    table is too narrow, columns with a `priority` give way, the least important first.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="record_table.cursor_up"),
        Binding("down", "cursor_down", "Down", show=False, id="record_table.cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="record_table.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="record_table.page_down"),
        Binding("home", "first", "First row", show=False, id="record_table.first"),
        Binding("end", "last", "Last row", show=False, id="record_table.last"),
        Binding("enter", "select", "Open", id="record_table.select"),
        Binding("s", "cycle_sort", "Sort", id="record_table.sort"),
        Binding(
            "S,shift+s", "reverse_sort", "Reverse sort", show=False, id="record_table.sort_reverse"
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--cursor",
        "record-table--archived",
        "record-table--warning",
        "record-table--error",
        "record-table--empty",
    }

    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        color: $foreground;
        & > .record-table--header { text-style: bold; background: $panel; }
        & > .record-table--cursor { text-style: reverse; }
        &:focus > .record-table--cursor { text-style: bold reverse; }
        & > .record-table--archived { text-style: dim; }
        & > .record-table--warning { color: $text-warning; }
        & > .record-table--error { color: $text-error; text-style: bold; }
        & > .record-table--empty { text-style: italic; color: $text-muted; }
    }
    """

    cursor_row: reactive[int] = reactive(0, repaint=False)
    """Index of the highlighted row in the shown (sorted) order."""
    empty_message: reactive[str] = reactive("No records")
    """The one line shown when there are no rows, e.g. "No members match 'xyz'"."""
    sort_column: reactive[str | None] = reactive(None, repaint=False, init=False)
    """Key of the column the rows are sorted by, or None for the order `set_rows` gave."""
    sort_reverse: reactive[bool] = reactive(False, repaint=False, init=False)
    """Sort descending instead of ascending."""

    class Highlighted(Message):
        """The cursor moved onto another record (`key` None when the table is empty)."""

        def __init__(self, record_table: RecordTable, key: str | None) -> None:
            super().__init__()
            self.record_table = record_table
            self.key = key

        @property
        def control(self) -> RecordTable:
            return self.record_table

    class Selected(Message):
        """The user chose a record (enter, or a click on the highlighted row)."""

        def __init__(self, record_table: RecordTable, key: str) -> None:
            super().__init__()
            self.record_table = record_table
            self.key = key

        @property
        def control(self) -> RecordTable:
            return self.record_table

    class SortChanged(Message):
        """The sort column or direction changed."""

        def __init__(self, record_table: RecordTable, column: str | None, reverse: bool) -> None:
            super().__init__()
            self.record_table = record_table
            self.column = column
            self.reverse = reverse

        @property
        def control(self) -> RecordTable:
            return self.record_table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        empty_message: str = "No records",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own keyword)
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        if not columns:
            raise ValueError("RecordTable needs at least one column")
        self.columns: tuple[Column, ...] = tuple(columns)
        self._column_index = {column.key: index for index, column in enumerate(self.columns)}
        self._source_rows: list[Row] = []
        self._rows: list[Row] = []
        self._highlighted_key: str | None = None
        self._widths_cache: tuple[int, list[int]] | None = None
        self._row_strips: dict[tuple[int, bool, int], Strip] = {}
        self._styles: dict[tuple[str | None, bool], Style] = {}
        self._base_style = Style()
        self.set_reactive(RecordTable.empty_message, empty_message)

    # --- public API -------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[Row]:
        """The rows in the order shown (sorted), read-only."""
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def current_row(self) -> Row | None:
        """The highlighted row, or None when the table is empty."""
        if 0 <= self.cursor_row < len(self._rows):
            return self._rows[self.cursor_row]
        return None

    @property
    def current_key(self) -> str | None:
        """Key of the highlighted row, or None when the table is empty."""
        row = self.current_row
        return row.key if row is not None else None

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show `rows` (sorted by the table's sort, if any), keeping the cursor on the same key
        when it is still present, else on the same position."""
        key = self.current_key
        self._source_rows = list(rows)
        self._rows = self._apply_sort(self._source_rows)
        self._set_cursor(self._index_of(key, fallback=self.cursor_row))

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Show `columns` from now on (a column that only some records need); give `set_rows`
        cells to match next. A sort by a column that has gone is dropped."""
        if not columns:
            raise ValueError("RecordTable needs at least one column")
        if tuple(columns) == self.columns:
            return
        self.columns = tuple(columns)
        self._column_index = {column.key: index for index, column in enumerate(self.columns)}
        if self.sort_column is not None and self.sort_column not in self._column_index:
            self.set_reactive(RecordTable.sort_column, None)
        self._clear_render_caches()
        self.refresh()

    def move_to_key(self, key: str) -> bool:
        """Put the cursor on the row with `key`; False when no such row is shown."""
        index = self._index_of(key, fallback=-1)
        if index < 0:
            return False
        self.cursor_row = index
        return True

    def set_sort(self, column: str | None, reverse: bool = False) -> None:
        """Sort by the column with key `column` (None: the order `set_rows` gave)."""
        column = self.validate_sort_column(column)
        if column == self.sort_column and reverse == self.sort_reverse:
            return
        self.set_reactive(RecordTable.sort_column, column)
        self.set_reactive(RecordTable.sort_reverse, reverse)
        self._resort()

    # --- reactive watchers ------------------------------------------------------------

    def validate_sort_column(self, value: str | None) -> str | None:
        if value is not None and value not in self._column_index:
            raise KeyError(f"no column {value!r} in this table")
        return value

    def validate_cursor_row(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        self._post_highlighted()

    def watch_sort_column(self) -> None:
        self._resort()

    def watch_sort_reverse(self) -> None:
        self._resort()

    def watch_empty_message(self) -> None:
        self.refresh()

    # --- actions ------------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        page = self._page_height()
        self.scroll_to(y=self.scroll_y - page, animate=False, force=True, immediate=True)
        self.cursor_row -= page

    def action_page_down(self) -> None:
        page = self._page_height()
        self.scroll_to(y=self.scroll_y + page, animate=False, force=True, immediate=True)
        self.cursor_row += page

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._rows) - 1

    def action_select(self) -> None:
        key = self.current_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def action_cycle_sort(self) -> None:
        """Sort by the next column (ascending); after the last column, start again."""
        keys = [column.key for column in self.columns]
        current = self.sort_column
        following = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self.set_sort(following, False)

    def action_reverse_sort(self) -> None:
        """Flip the sort direction (sorting by the first column if unsorted)."""
        self.set_sort(self.sort_column or self.columns[0].key, not self.sort_reverse)

    # --- events -------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        self.focus()
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None:
                reverse = not self.sort_reverse if column.key == self.sort_column else False
                self.set_sort(column.key, reverse)
            return
        index = int(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._rows):
            if index == self.cursor_row:
                self.action_select()
            else:
                self.cursor_row = index

    def on_resize(self, event: events.Resize) -> None:
        self._clear_render_caches()
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._clear_render_caches()

    def on_focus(self, event: events.Focus) -> None:
        self._clear_render_caches()  # the cursor looks different with focus

    def on_blur(self, event: events.Blur) -> None:
        self._clear_render_caches()

    # --- rendering ----------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Looking up the widget's style costs ~0.1 ms: once per paint, not once per line.
        base = self.rich_style
        if base != self._base_style:
            self._base_style = base
            self._clear_render_caches()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header_strip(width)
        if not self._rows:
            if y == 1:
                text = fit_cell(" " + self.empty_message, width)
                return Strip([Segment(text, self._style("empty"))], width)
            return Strip.blank(width, self._base_style)
        index = int(self.scroll_y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, self._base_style)
        is_cursor = index == self.cursor_row
        cache_key = (index, is_cursor, width)
        strip = self._row_strips.get(cache_key)
        if strip is None:
            if len(self._row_strips) > 4 * max(self.size.height, 10):
                self._row_strips.clear()
            strip = self._row_strip(self._rows[index], is_cursor, width)
            self._row_strips[cache_key] = strip
        return strip

    def _row_strip(self, row: Row, is_cursor: bool, width: int) -> Strip:
        widths = self._widths(width)
        cells = row.cells
        parts = [
            fit_cell(cells[index] if index < len(cells) else "", widths[index], column.align)
            for index, column in enumerate(self.columns)
            if widths[index]
        ]
        style = self._style(row.style, is_cursor)
        return Strip([Segment(fit_cell(" " + " ".join(parts), width), style)], width)

    def _header_strip(self, width: int) -> Strip:
        widths = self._widths(width)
        parts = []
        for index, column in enumerate(self.columns):
            label = column.label
            cell_width = widths[index]
            if not cell_width:
                continue  # given way to a narrow screen
            if column.key == self.sort_column:
                arrow = " ▼" if self.sort_reverse else " ▲"
                label = fit_cell(label, max(cell_width - 2, 0)).rstrip() + arrow
            parts.append(fit_cell(label, cell_width, column.align))
        line = fit_cell(" " + " ".join(parts), width)
        return Strip([Segment(line, self._style("header"))], width)

    def _style(self, hint: str | None, is_cursor: bool = False) -> Style:
        """The base style plus the component class for `hint` (and the cursor), cached."""
        style = self._styles.get((hint, is_cursor))
        if style is None:
            style = self._base_style
            for name in (hint, "cursor" if is_cursor else None):
                if name and f"record-table--{name}" in self.COMPONENT_CLASSES:
                    style += self.get_component_rich_style(f"record-table--{name}", partial=True)
            self._styles[(hint, is_cursor)] = style
        return style

    # --- internals ----------------------------------------------------------------------

    def _widths(self, width: int) -> list[int]:
        if self._widths_cache is None or self._widths_cache[0] != width:
            self._widths_cache = (width, column_widths(self.columns, width))
        return self._widths_cache[1]

    def _column_at(self, x: int) -> Column | None:
        position = 1
        for column, width in zip(
            self.columns, self._widths(self.scrollable_content_region.width), strict=True
        ):
            if not width:
                continue
            if position <= x < position + width + 1:
                return column
            position += width + 1
        return None

    def _apply_sort(self, rows: list[Row]) -> list[Row]:
        if self.sort_column is None:
            return rows
        return sorted_rows(rows, self._column_index[self.sort_column], self.sort_reverse)

    def _resort(self) -> None:
        key = self.current_key
        self._rows = self._apply_sort(self._source_rows)
        self._set_cursor(self._index_of(key, fallback=self.cursor_row))
        self.post_message(self.SortChanged(self, self.sort_column, self.sort_reverse))

    def _index_of(self, key: str | None, fallback: int) -> int:
        if key is not None:
            for index, row in enumerate(self._rows):
                if row.key == key:
                    return index
        return fallback

    def _set_cursor(self, index: int) -> None:
        """After the rows changed: place the cursor without a second watcher round."""
        self._clear_render_caches()
        self.virtual_size = Size(0, len(self._rows) + 1)
        self.set_reactive(RecordTable.cursor_row, self.validate_cursor_row(index))
        self.refresh()
        self._scroll_cursor_into_view()
        self._post_highlighted()

    def _post_highlighted(self) -> None:
        key = self.current_key
        if key != self._highlighted_key:
            self._highlighted_key = key
            self.post_message(self.Highlighted(self, key))

    def _scroll_cursor_into_view(self) -> None:
        if not self._rows or not self.size.height:
            return
        region = Region(0, self.cursor_row + 1, max(self.size.width, 1), 1)
        self.scroll_to_region(
            region, spacing=Spacing(top=1), animate=False, force=True, immediate=True
        )

    def _page_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _refresh_row(self, index: int) -> None:
        for is_cursor in (False, True):
            self._row_strips.pop((index, is_cursor, self.scrollable_content_region.width), None)
        self.refresh_line(index + 1)

    def _clear_render_caches(self) -> None:
        self._row_strips.clear()
        self._styles.clear()
        self._widths_cache = None
