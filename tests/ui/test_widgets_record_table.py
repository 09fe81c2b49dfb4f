"""RecordTable and FilterBar, driven from the keyboard in a small host app."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.strip import Strip

from desta_tui.ui.widgets.filter_bar import FilterBar
from desta_tui.ui.widgets.record_table import (
    Column,
    RecordTable,
    Row,
    column_widths,
    fit_cell,
    natural_key,
)

COLUMNS = [
    Column("name", "Name"),
    Column("fee", "Fee", width=12, align="right"),
    Column("joined", "Joined", width=10),
]

ROWS = [
    Row("u-rain", ("Rain Trust", "£10,000.50", "01/10/2012")),
    Row("u-brent", ("Brent Mencap", "£99", "15/03/2011")),
    Row("u-ealing", ("Ealing CVS", "£1,234", "02/01/2013")),
    Row("u-harrow", ("Harrow Carers (archived)", "-£5", "1/1/10"), style="archived"),
    Row("u-westway", ("Westway Trust", "", "")),
]


class ListHost(App[None]):
    """A section-like screen: a filter bar over a table, `/` opens the filter."""

    BINDINGS = [Binding("slash", "filter", "Filter", id="test.filter")]

    def __init__(self, rows: list[Row] | None = None) -> None:
        super().__init__()
        self.all_rows = list(ROWS if rows is None else rows)
        self.events: list[tuple] = []

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter")
        yield RecordTable(COLUMNS, id="table")

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        table.set_rows(self.all_rows)
        table.focus()

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        self.events.append(("filter", event.text))
        text = event.text.casefold()
        table = self.query_one(RecordTable)
        table.empty_message = f"No members match {event.text!r}"
        table.set_rows([row for row in self.all_rows if text in row.cells[0].casefold()])

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self.events.append(("highlighted", event.key))

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        self.events.append(("selected", event.key))

    def on_record_table_sort_changed(self, event: RecordTable.SortChanged) -> None:
        self.events.append(("sort", event.column, event.reverse))


def names(table: RecordTable) -> list[str]:
    return [row.cells[0] for row in table.rows]


def line_text(table: RecordTable, y: int) -> str:
    return table.render_line(y).text


def line_style(table: RecordTable, y: int) -> Style:
    style = next(iter(table.render_line(y))).style
    assert style is not None
    return style


# --- pure helpers ----------------------------------------------------------------------


def test_natural_key_reads_money_numbers_dates_and_text() -> None:
    assert natural_key("£1,234.50") == (0, Decimal("1234.50"))
    assert natural_key("-£5") == (0, Decimal("-5"))
    assert natural_key("(£12)") == (0, Decimal("-12"))
    assert natural_key("83%") == (0, Decimal("83"))
    assert natural_key("01/10/2012") == (1, date(2012, 10, 1))
    assert natural_key("1/10/12") == (1, date(2012, 10, 1))
    assert natural_key("2012-10-01") == (1, date(2012, 10, 1))
    assert natural_key("31/02/2012")[0] == 2  # not a real date: sorted as text
    assert natural_key("Item 9") < natural_key("item 10")
    assert natural_key("—") == natural_key("") == (3,)


def test_fit_cell_pads_aligns_and_truncates_with_ellipsis() -> None:
    assert fit_cell("abc", 5) == "abc  "
    assert fit_cell("abc", 5, "right") == "  abc"
    assert fit_cell("abcdef", 4) == "abc…"
    assert fit_cell("ab cdef", 4) == "ab… "
    assert fit_cell("ab\ncd", 5) == "ab cd"
    assert fit_cell("日本語", 4) == "日… "  # wide characters count double


def test_column_widths_share_what_fixed_columns_leave() -> None:
    widths = column_widths(COLUMNS, 60)
    assert widths[1:] == [12, 10]
    assert 1 + sum(widths) + 2 == 60
    assert column_widths(COLUMNS, 10)[0] == Column("x", "x").min_width


def test_columns_give_way_by_priority_when_too_narrow() -> None:
    """#15: at 80 columns the least important columns hide first; priority 0 never hides."""
    columns = (
        Column("name", "Name", None, min_width=20),
        Column("notes", "Notes", 30, priority=2),
        Column("status", "Status", 10),
        Column("count", "Count", 8, priority=1),
    )
    assert all(column_widths(columns, 120))  # room for all
    widths = column_widths(columns, 60)
    assert widths[1] == 0 and widths[3] == 8 and widths[2] == 10  # notes went first
    assert 1 + sum(w for w in widths if w) + 2 == 60
    widths = column_widths(columns, 30)
    assert widths[1] == widths[3] == 0 and widths[0] >= 20 and widths[2] == 10


def test_a_wide_minimum_does_not_push_the_row_past_the_width() -> None:
    columns = (Column("name", "Name", None, min_width=30), Column("b", "B", None, min_width=5))
    widths = column_widths(columns, 50)
    assert widths == [30, 18] and 1 + sum(widths) + 1 == 50


# --- the table ---------------------------------------------------------------------------


async def test_cursor_moves_and_posts_highlighted() -> None:
    app = ListHost()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(RecordTable)
        assert table.current_key == "u-rain"
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        assert table.current_key == "u-ealing"
        await pilot.press("up")
        assert table.current_key == "u-brent"
        await pilot.press("end")
        assert table.current_key == "u-westway"
        await pilot.press("down")  # stays on the last row
        assert table.cursor_row == 4
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.pause()
        highlighted = [key for kind, key, *_ in app.events if kind == "highlighted"]
        assert highlighted == ["u-rain", "u-brent", "u-ealing", "u-brent", "u-westway", "u-rain"]


async def test_page_down_moves_a_screenful_and_scrolls() -> None:
    rows = [Row(f"k{i}", (f"Org {i:03d}", f"£{i}", "")) for i in range(100)]
    app = ListHost(rows)
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RecordTable)
        await pilot.press("pagedown")
        page = table.scrollable_content_region.height - 1
        assert table.cursor_row == page
        await pilot.press("pagedown", "pagedown")
        assert table.scroll_y > 0
        # the cursor row is on screen, below the fixed header
        assert 1 <= table.cursor_row - int(table.scroll_y) + 1 < table.size.height
        await pilot.press("pageup")
        assert table.cursor_row == 2 * page
        await pilot.press("end")
        assert table.current_key == "k99"
        assert line_text(table, 0).lstrip().startswith("Name")  # header stays on top


async def test_enter_selects_the_right_key_after_sorting() -> None:
    app = ListHost()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(RecordTable)
        await pilot.press("s")  # sort by the first column
        assert table.sort_column == "name"
        assert names(table)[0] == "Brent Mencap"
        await pilot.press("home", "down", "enter")
        await pilot.pause()
        assert ("selected", "u-ealing") in app.events
        assert ("sort", "name", False) in app.events


async def test_sort_money_column_numerically_and_reverse() -> None:
    app = ListHost()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(RecordTable)
        await pilot.press("s", "s")
        assert table.sort_column == "fee"
        fees = [row.cells[1] for row in table.rows]
        assert fees == ["-£5", "£99", "£1,234", "£10,000.50", ""]  # blanks last
        assert "Fee ▲" in line_text(table, 0)
        await pilot.press("S")
        assert table.sort_reverse is True
        fees = [row.cells[1] for row in table.rows]
        assert fees == ["£10,000.50", "£1,234", "£99", "-£5", ""]  # blanks still last
        assert "Fee ▼" in line_text(table, 0)
        await pilot.press("s")  # next column, ascending: dates by date
        assert [row.cells[2] for row in table.rows][:4] == [
            "1/1/10",
            "15/03/2011",
            "01/10/2012",
            "02/01/2013",
        ]
        table.set_sort(None)
        assert [row.key for row in table.rows] == [row.key for row in ROWS]


async def test_sorting_keeps_the_cursor_on_the_same_record() -> None:
    app = ListHost()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(RecordTable)
        await pilot.press("down", "down")  # Ealing CVS
        await pilot.press("s")
        assert table.current_key == "u-ealing"
        assert table.cursor_row == names(table).index("Ealing CVS")


async def test_set_rows_keeps_cursor_key_and_header_click_sorts() -> None:
    app = ListHost()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(RecordTable)
        await pilot.press("down", "down")
        table.set_rows([ROWS[2], ROWS[0]])
        assert table.current_key == "u-ealing"
        assert table.cursor_row == 0
        # a click on the "Fee" header sorts by fee; a second click reverses
        fee_x = line_text(table, 0).index("Fee")
        await pilot.click(RecordTable, offset=(fee_x, 0))
        assert (table.sort_column, table.sort_reverse) == ("fee", False)
        await pilot.click(RecordTable, offset=(fee_x, 0))
        assert (table.sort_column, table.sort_reverse) == ("fee", True)


async def test_cursor_is_reverse_video_and_archived_rows_dim() -> None:
    app = ListHost()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(RecordTable)
        await pilot.press("down", "down", "down")  # the archived row
        await pilot.pause()
        assert line_style(table, 4).reverse
        await pilot.press("up")
        await pilot.pause()
        assert "(archived)" in line_text(table, 4)
        assert line_style(table, 4).dim
        assert not line_style(table, 4).reverse
        assert line_style(table, 3).reverse
        assert not line_style(table, 1).dim


async def test_long_text_is_truncated_with_ellipsis() -> None:
    rows = [Row("long", ("A very long organisation name that cannot fit " * 3, "£1", ""))]
    app = ListHost(rows)
    async with app.run_test(size=(50, 8)):
        table = app.query_one(RecordTable)
        assert "…" in line_text(table, 1)
        assert len(line_text(table, 1)) == table.scrollable_content_region.width


async def test_empty_table_shows_its_message_and_enter_does_nothing() -> None:
    app = ListHost([])
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(RecordTable)
        table.empty_message = "No members yet: press n to add one"
        await pilot.pause()
        assert line_text(table, 1).strip() == "No members yet: press n to add one"
        assert table.current_key is None
        await pilot.press("enter", "down", "s")
        await pilot.pause()
        assert not [event for event in app.events if event[0] == "selected"]


# --- filter bar --------------------------------------------------------------------------


async def test_filter_bar_opens_filters_and_escape_clears_it() -> None:
    app = ListHost()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(RecordTable)
        bar = app.query_one(FilterBar)
        assert not bar.display or not bar.is_open
        await pilot.press("slash")
        assert bar.is_open and bar.has_focus
        await pilot.press("t", "r")
        await pilot.pause()
        assert names(table) == ["Rain Trust", "Westway Trust"]
        await pilot.press("x", "y", "z")
        await pilot.pause()
        assert table.row_count == 0
        assert line_text(table, 1).strip() == "No members match 'trxyz'"
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.is_open
        assert bar.value == ""
        assert table.has_focus
        assert table.row_count == len(ROWS)
        filters = [event[1] for event in app.events if event[0] == "filter"]
        assert filters == ["t", "tr", "trx", "trxy", "trxyz", ""]


async def test_filter_bar_enter_and_down_keep_the_filter() -> None:
    app = ListHost()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(RecordTable)
        bar = app.query_one(FilterBar)
        await pilot.press("slash", "c", "v", "s", "enter")
        await pilot.pause()
        assert table.has_focus and bar.is_open
        assert names(table) == ["Ealing CVS"]
        await pilot.press("enter")
        await pilot.pause()
        assert ("selected", "u-ealing") in app.events
        await pilot.press("slash", "backspace", "backspace", "backspace", "e", "down")
        await pilot.pause()
        assert table.has_focus and bar.value == "e"
        assert "Ealing CVS" in names(table)


async def test_escape_on_an_empty_filter_still_reports_it_cleared() -> None:
    app = ListHost()
    async with app.run_test(size=(70, 12)) as pilot:
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert ("filter", "") in app.events
        assert app.query_one(RecordTable).has_focus


# --- rendering cost self-check (not a timing test) ---------------------------------------


class CountingTable(RecordTable):
    """Counts the lines and row strips drawn."""

    lines_drawn = 0
    rows_built = 0

    def render_line(self, y: int) -> Strip:
        CountingTable.lines_drawn += 1
        return super().render_line(y)

    def _row_strip(self, row: Row, is_cursor: bool, width: int) -> Strip:
        CountingTable.rows_built += 1
        return super()._row_strip(row, is_cursor, width)


class BigHost(App[None]):
    def compose(self) -> ComposeResult:
        yield CountingTable(COLUMNS, id="table")


async def test_only_visible_rows_are_rendered_for_10000_rows() -> None:
    rows = [Row(f"k{i}", (f"Organisation {i}", f"£{i * 37 % 9973:,}", "")) for i in range(10_000)]
    app = BigHost()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(CountingTable)
        table.focus()
        await pilot.pause()
        height = table.size.height
        CountingTable.lines_drawn = CountingTable.rows_built = 0
        table.set_rows(rows)
        await pilot.pause()
        table.set_sort("fee")
        await pilot.pause()
        table.set_rows(rows[::2])
        await pilot.pause()
        await pilot.press("pagedown", "down", "end")
        await pilot.pause()
        assert table.row_count == 5_000
        assert table.current_key == table.rows[-1].key
        # a handful of repaints of one screenful each, whatever the number of rows
        assert 0 < CountingTable.rows_built <= 10 * height
        assert CountingTable.lines_drawn <= 12 * height


class PreloadedHost(App[None]):
    """Rows, cursor and sort set before the table is mounted."""

    def compose(self) -> ComposeResult:
        table = RecordTable(COLUMNS, id="table")
        table.set_rows([Row(f"k{i}", (f"Org {i}", f"£{i}", "")) for i in range(50)])
        table.cursor_row = 30
        table.set_sort("fee", reverse=True)
        yield table


async def test_rows_set_before_mount_show_the_cursor_after_resizing() -> None:
    app = PreloadedHost()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(RecordTable)
        await pilot.pause()
        assert table.current_key == "k30"
        visible = [line_text(table, y) for y in range(table.size.height)]
        assert "Fee ▼" in visible[0]
        assert any("Org 30" in line for line in visible[1:])
        await pilot.resize_terminal(30, 6)
        await pilot.pause()
        assert table.current_key == "k30"
        assert 1 <= table.cursor_row - int(table.scroll_y) + 1 < table.size.height
        assert line_style(table, table.cursor_row - int(table.scroll_y) + 1).reverse


async def test_filtering_to_nothing_highlights_none() -> None:
    app = ListHost()
    async with app.run_test(size=(70, 12)) as pilot:
        table = app.query_one(RecordTable)
        table.set_rows([])
        await pilot.pause()
        assert app.events[-1] == ("highlighted", None)
        try:
            table.set_sort("no-such-column")
        except KeyError as error:
            assert "no-such-column" in str(error)
        else:
            raise AssertionError("an unknown column must be refused")


async def test_hidden_columns_are_not_drawn_and_the_name_stays() -> None:
    """#15: a narrow table draws its key columns and leaves out the ones that gave way."""
    from textual.app import App

    columns = (
        Column("name", "Name", None, min_width=20),
        Column("notes", "Notes", 30, priority=1),
        Column("status", "Status", 10),
    )

    class Narrow(App):
        def compose(self):
            yield RecordTable(columns)

    app = Narrow()
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(RecordTable)
        table.set_rows([Row("1", ("Rain Trust", "a long note", "Active"))])
        await pilot.pause()
        lines = ["".join(s.text for s in table.render_line(y)) for y in range(2)]
        assert "Name" in lines[0] and "Status" in lines[0] and "Notes" not in lines[0]
        assert "Rain Trust" in lines[1] and "Active" in lines[1] and "long note" not in lines[1]
