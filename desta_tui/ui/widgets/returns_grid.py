"""ReturnsGrid: a month's returns, partners by metrics, edited like a spreadsheet."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from desta_tui.domain.metrics import format_count
from desta_tui.services.performance import ReturnsMonth, cell_field, check_grid

__all__ = ["ReturnsGrid", "short_metric_label"]

# Keys that start or continue typing a figure. Signs and points are taken too, so that "-3" or
# "2.5" reach the check and get a clear message instead of vanishing.
_TYPING = frozenset("0123456789-.,")
_SHORT_LABELS = {
    "enrolments": "Enrolled",
    "completions": "Completed",
    "bme_recruited": "BME recruited",
    "bme_retained": "BME retained",
    "deprived_wards": "Deprived wards",
}
PARTNER_COLUMN = "partner"
CHECK_COLUMN = "check"
# the whole reason is on the message line; the column holds its start, so it fits beside the
# frozen partner names at 80 columns
CHECK_WIDTH = 20


def short_metric_label(code: str, name: str) -> str:
    """A heading that fits a grid column: the known metrics by a short name, others by theirs."""
    return _SHORT_LABELS.get(code, name)


class ReturnsGrid(DataTable, inherit_bindings=False):
    """Rows are partners, columns metrics. Typing a number edits the cell under the cursor;
    `enter` commits and moves down; arrows commit and move; `escape` keeps the cell being typed
    as an unsaved edit (or, with nothing being typed, asks the screen to leave the grid, which
    asks first when cells are unsaved); `ctrl+z` puts the cell under the cursor back to its
    saved value (the other unsaved cells stay); `ctrl+s` asks it to save.

    Digits typed here never reach the app, so they edit cells instead of switching sections.
    Cells typed but not saved end in `*`; cells that break a check show `✗` and the reason goes
    on the screen's message line, so nothing relies on colour alone.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "commit_down", "Commit, down", id="returns.commit"),
        Binding("up", "cursor_up", "Up", show=False, id="returns.up"),
        Binding("down", "cursor_down", "Down", show=False, id="returns.down"),
        Binding("left", "cursor_left", "Left", show=False, id="returns.left"),
        Binding("right", "cursor_right", "Right", show=False, id="returns.right"),
        Binding("pageup", "page_up", "Page up", show=False, id="returns.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="returns.page_down"),
        Binding("backspace", "backspace", "Delete digit", show=False, id="returns.backspace"),
        Binding("delete", "clear_cell", "Clear cell", show=False, id="returns.clear"),
        Binding("ctrl+z", "undo_cell", "Undo cell", show=False, id="returns.undo_cell"),
        Binding("ctrl+s", "save", "Save month", id="returns.save"),
        Binding("escape", "escape", "Back to pickers", id="returns.escape"),
    ]

    DEFAULT_CSS = """
    ReturnsGrid {
        height: 1fr;
        max-height: 100%;
    }
    """

    class StatusChanged(Message):
        """What the message line should say: the cell's problem, or how things stand."""

        def __init__(self, grid: ReturnsGrid, text: str) -> None:
            super().__init__()
            self.grid = grid
            self.text = text

    class SaveRequested(Message):
        """`ctrl+s`: the screen saves `grid.typed` through the service."""

        def __init__(self, grid: ReturnsGrid) -> None:
            super().__init__()
            self.grid = grid

    class LeaveRequested(Message):
        """`escape` with nothing being typed: the screen asks first if cells are unsaved."""

        def __init__(self, grid: ReturnsGrid) -> None:
            super().__init__()
            self.grid = grid

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's own keyword)
        # the partner column is frozen: its names stay while the metrics scroll sideways
        super().__init__(id=id, cursor_type="cell", zebra_stripes=True, fixed_columns=1)
        self.month: ReturnsMonth | None = None
        self._codes: list[str] = []
        self._edits: dict[tuple[str, str], str] = {}
        self._editing: tuple[str, str] | None = None
        self._buffer = ""
        self._problems: dict[str, str] = {}
        self._server_problems: dict[str, str] = {}
        self._notice = ""

    # --- public -----------------------------------------------------------------------------

    def load(self, month: ReturnsMonth, keep_edits: bool = False) -> None:
        """Show `month`; unsaved edits are dropped unless `keep_edits`."""
        self.month = month
        if not keep_edits:
            self._edits.clear()
            self._editing, self._buffer = None, ""
        self._server_problems.clear()
        self._codes = [metric.code for metric in month.metrics]
        cursor = self.cursor_coordinate
        self.clear(columns=True)
        self.add_column("Partner", key=PARTNER_COLUMN, width=26)
        for metric in month.metrics:
            label = short_metric_label(metric.code, metric.name)
            self.add_column(label, key=metric.code, width=max(len(label), 7))
        self.add_column("Check", key=CHECK_COLUMN, width=CHECK_WIDTH)
        for row in month.rows:
            cells = [Text(row.organisation_name, overflow="ellipsis", no_wrap=True)]
            cells += [Text("") for _ in self._codes]
            self.add_row(*cells, Text(""), key=row.partner_uuid)
        self._redraw()
        if month.rows:
            row = min(cursor.row, len(month.rows) - 1)
            column = min(max(cursor.column, 1), len(self._codes))
            self.cursor_coordinate = Coordinate(row, column)

    @property
    def typed(self) -> dict[str, dict[str, str]]:
        """{partner uuid: {metric code: text}} for every cell changed, including the one being
        typed right now."""
        out: dict[str, dict[str, str]] = {}
        for (partner, code), text in self._all_edits().items():
            out.setdefault(partner, {})[code] = text
        return out

    @property
    def is_dirty(self) -> bool:
        return bool(self._all_edits())

    @property
    def problems(self) -> dict[str, str]:
        """Cell field -> message for every cell that breaks a check now."""
        return {**self._problems, **self._server_problems}

    def show_problems(self, problems: dict[str, str]) -> None:
        """Mark cells the service refused (say, a later month a correction would break)."""
        self._server_problems = dict(problems)
        self._redraw()

    def set_notice(self, text: str) -> None:
        """Say `text` on the message line (a save's result) until the person types or moves."""
        self._notice = text
        self._post_status()

    def discard(self) -> None:
        """Forget every unsaved cell."""
        if self.month is not None:
            self.load(self.month)

    def restore(self, typed: dict[str, dict[str, str]]) -> int:
        """Put back cells typed earlier (a draft): {partner uuid: {metric code: text}}, as
        `typed` gives them; cells of partners or metrics no longer in the month are left out.
        Returns how many were put back."""
        if self.month is None:
            return 0
        partners = {row.partner_uuid for row in self.month.rows}
        self._editing, self._buffer = None, ""
        restored = 0
        for partner, cells in typed.items():
            if partner not in partners or not isinstance(cells, dict):
                continue
            for code, text in cells.items():
                if code in self._codes:
                    cell = (partner, code)
                    if str(text).strip() == self._saved_text(cell):
                        continue
                    self._edits[cell] = str(text).strip()
                    restored += 1
        self._redraw()
        return restored

    def cell_at_cursor(self) -> tuple[str, str] | None:
        """(partner uuid, metric code) under the cursor, or None on the name/check columns."""
        if self.month is None or not self.month.rows:
            return None
        row, column = self.cursor_coordinate
        if not 1 <= column <= len(self._codes) or row >= len(self.month.rows):
            return None
        return self.month.rows[row].partner_uuid, self._codes[column - 1]

    # --- typing -----------------------------------------------------------------------------

    async def on_key(self, event: events.Key) -> None:
        if event.character and event.character in _TYPING and event.is_printable:
            # consumed here: a digit edits the cell and never switches section
            event.stop()
            event.prevent_default()
            self._type(event.character)
        elif event.character and event.character.isalpha() and event.is_printable:
            # cells are numbers: a letter typed mid-figure is refused, never a key (`t` would
            # open Set targets, `l` lock the month)
            event.stop()
            event.prevent_default()
            self.set_notice(
                f"✗ {event.character!r} was not typed: cells take whole numbers. "
                "escape leaves the grid for the pickers, where r, v, l and t work."
            )

    def _type(self, character: str) -> None:
        self._notice = ""
        cell = self.cell_at_cursor()
        if cell is None:
            if self.month is None or not self.month.rows or not self._codes:
                return
            self.cursor_coordinate = Coordinate(self.cursor_coordinate.row, 1)
            cell = self.cell_at_cursor()
            assert cell is not None
        if self._editing != cell:
            self._commit()
            self._editing, self._buffer = cell, ""
        self._buffer += character
        self._redraw()

    def _commit(self) -> None:
        """Keep what is being typed as the cell's edit (no save yet)."""
        if self._editing is None:
            return
        cell, text = self._editing, self._buffer
        self._editing, self._buffer = None, ""
        saved = self._saved_text(cell)
        if text.strip() == saved:
            self._edits.pop(cell, None)
        else:
            self._edits[cell] = text.strip()
        self._server_problems.pop(cell_field(*cell), None)
        self._redraw()

    def _all_edits(self) -> dict[tuple[str, str], str]:
        edits = dict(self._edits)
        if self._editing is not None and self._buffer.strip() != self._saved_text(self._editing):
            edits[self._editing] = self._buffer.strip()
        return edits

    def _saved_text(self, cell: tuple[str, str]) -> str:
        assert self.month is not None
        partner, code = cell
        for row in self.month.rows:
            if row.partner_uuid == partner:
                value = row.values.get(code)
                return "" if value is None else str(value)
        return ""

    # --- actions ----------------------------------------------------------------------------

    def action_commit_down(self) -> None:
        self._notice = ""
        self._commit()
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._notice = ""
        self._commit()
        super().action_cursor_up()

    def action_cursor_down(self) -> None:
        self._notice = ""
        self._commit()
        super().action_cursor_down()

    def action_cursor_left(self) -> None:
        self._notice = ""
        self._commit()
        if self.cursor_coordinate.column > 1:
            super().action_cursor_left()

    def action_cursor_right(self) -> None:
        self._notice = ""
        self._commit()
        if self.cursor_coordinate.column < len(self._codes):
            super().action_cursor_right()

    def action_page_up(self) -> None:
        self._notice = ""
        self._commit()
        super().action_page_up()

    def action_page_down(self) -> None:
        self._notice = ""
        self._commit()
        super().action_page_down()

    def action_backspace(self) -> None:
        self._notice = ""
        cell = self.cell_at_cursor()
        if cell is None:
            return
        if self._editing != cell:
            self._commit()
            # like a spreadsheet: backspace on a cell starts typing it afresh
            self._editing, self._buffer = cell, self._edits.get(cell, self._saved_text(cell))
        self._buffer = self._buffer[:-1]
        self._redraw()

    def action_clear_cell(self) -> None:
        self._notice = ""
        cell = self.cell_at_cursor()
        if cell is None:
            return
        self._commit()
        if self._saved_text(cell):
            self._edits[cell] = ""
        else:
            self._edits.pop(cell, None)
        self._redraw()

    def action_undo_cell(self) -> None:
        """The cell under the cursor back to its saved value: its typing or unsaved edit goes,
        every other unsaved cell stays. The message line says what it holds again."""
        self._notice = ""
        cell = self.cell_at_cursor()
        if cell is None:
            return
        if self._editing == cell:
            self._editing, self._buffer = None, ""
        elif cell not in self._edits:
            self.set_notice("This cell has no unsaved change to undo.")
            return
        self._edits.pop(cell, None)
        self._server_problems.pop(cell_field(*cell), None)
        saved = self._saved_text(cell)
        self._redraw()
        self.set_notice(f"Back to the saved value: {saved or 'blank'}.")

    def action_save(self) -> None:
        self._commit()
        self.post_message(self.SaveRequested(self))

    def action_escape(self) -> None:
        if self._editing is not None:
            # nothing typed is lost to a key: the cell keeps its typing as an unsaved edit
            # (marked *), and a second escape leaves, asking first
            typed = self._buffer.strip()
            self._commit()
            if typed:
                self.set_notice(
                    f"{typed!r} kept in the cell, not saved yet: ctrl+s saves; escape again "
                    "leaves the grid and asks whether to save or discard."
                )
            return
        self.post_message(self.LeaveRequested(self))

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if self._codes and new.column == len(self._codes):
            # on the last metric, bring the Check column into view too (the cursor never
            # goes onto it, so the table's own scrolling would leave it off screen)
            self.call_after_refresh(self._show_check_column)
        if self._editing is not None and self.cell_at_cursor() != self._editing:
            self._commit()
        self._post_status()

    def _show_check_column(self) -> None:
        self.scroll_to(x=self.max_scroll_x, animate=False, immediate=True)

    # --- drawing ----------------------------------------------------------------------------

    def _recheck(self) -> None:
        if self.month is None:
            self._problems = {}
            return
        self._problems = check_grid(self.month, self.typed)

    def _redraw(self) -> None:
        if self.month is None:
            return
        self._recheck()
        problems = self.problems
        edits = self._all_edits()
        for row in self.month.rows:
            row_problems = []
            for code in self._codes:
                cell = (row.partner_uuid, code)
                field = cell_field(*cell)
                if self._editing == cell:
                    mark, style = (
                        ("✗ ", "bold red underline")
                        if field in problems
                        else ("", "bold underline")
                    )
                    text = Text(f"{mark}{self._buffer}▏", style=style, justify="right")
                elif field in problems:
                    shown = edits.get(cell, self._saved_text(cell)) or "blank"
                    text = Text(f"✗ {shown}", style="bold red", justify="right")
                elif cell in edits:
                    shown = edits[cell] or "clear"
                    text = Text(f"{shown} *", style="bold", justify="right")
                else:
                    value = row.values.get(code)
                    text = Text(format_count(value) if value is not None else "", justify="right")
                if field in problems:
                    row_problems.append(problems[field])
                self.update_cell(row.partner_uuid, code, text)
            self.update_cell(row.partner_uuid, CHECK_COLUMN, self._check_text(row, row_problems))
        self._post_status()

    def _check_text(self, row, row_problems: list[str]) -> Text:
        if row_problems:
            extra = f" (+{len(row_problems) - 1})" if len(row_problems) > 1 else ""
            text = Text(f"✗ {row_problems[0]}{extra}", style="bold red", no_wrap=True)
            text.truncate(CHECK_WIDTH, overflow="ellipsis")
            return text
        unsaved = sum(1 for (partner, _code) in self._all_edits() if partner == row.partner_uuid)
        if unsaved:
            return Text(f"* {unsaved} unsaved", style="bold")
        if not row.has_return:
            return Text("– no return yet", style="italic")
        return Text("✓ returned")

    def _post_status(self) -> None:
        if self.month is None:
            return
        problems = self.problems
        cell = self.cell_at_cursor()
        if self._notice:
            text = self._notice
        elif cell is not None and cell_field(*cell) in problems:
            name = next(r.organisation_name for r in self.month.rows if r.partner_uuid == cell[0])
            metric = next(m.name for m in self.month.metrics if m.code == cell[1])
            text = f"✗ {name}, {metric}: {problems[cell_field(*cell)]}"
        elif problems:
            count = len(problems)
            text = (
                f"✗ {count} cell{'s' if count > 1 else ''} to fix before saving "
                "(marked ✗; move onto one to read why)"
            )
        elif self.is_dirty:
            count = len(self._all_edits())
            text = (
                f"* {count} unsaved cell{'s' if count > 1 else ''}: ctrl+s saves "
                f"{self.month.period.label}, escape then asks before discarding"
            )
        else:
            text = "Type a number to edit a cell; enter commits and moves down; ctrl+s saves."
        self.post_message(self.StatusChanged(self, text))
