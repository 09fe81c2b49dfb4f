"""PerformanceScreen: section 4, a contract's monthly returns grid and its performance to date."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Label, Select, Static, TabbedContent, TabPane

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.periods import Period
from desta_tui.domain.rag import Rag
from desta_tui.services.performance import (
    ContractPerformance,
    FigureRow,
    TargetsResult,
    contract_months,
    contract_performance,
    default_month,
    load_returns_grid,
    lock_period,
    performance_contracts,
    save_returns,
)
from desta_tui.ui.messages import StartTicket
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.screens.performance.month_drafts import MonthDrafts
from desta_tui.ui.widgets.confirm_modal import ConfirmModal, ReasonModal, action_label
from desta_tui.ui.widgets.filter_bar import FilterBar
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row
from desta_tui.ui.widgets.returns_grid import ReturnsGrid, short_metric_label

__all__ = ["PerformanceScreen", "sparkline"]

_BARS = "▁▂▃▄▅▆▇█"

VIEW_COLUMNS = [
    Column("partner", "Partner", None, min_width=12),
    Column("metric", "Metric", None, min_width=10),
    Column("target", "Target", 7, align="right"),
    Column("actual", "Actual", 7, align="right"),
    Column("percent", "%", 5, align="right"),
    Column("status", "Status", 9),
    Column("months", "Months returned", 15, priority=2),
    Column("trend", "12 months", 12, priority=1),
]


def sparkline(values: tuple[int | None, ...]) -> str:
    """Eight-level bars scaled to the largest value; `·` marks a month with no return."""
    present = [v for v in values if v is not None]
    top = max(present, default=0)
    out = []
    for value in values:
        if value is None:
            out.append("·")
        elif top <= 0:
            out.append(_BARS[0])
        else:
            out.append(_BARS[min(len(_BARS) - 1, value * (len(_BARS) - 1) // top)])
    return "".join(out)


def figure_key(row: FigureRow) -> str:
    return f"{row.partner_uuid or 'total'}|{row.metric_code}"


class PerformanceScreen(MonthDrafts, SectionScreen):
    """Pick a contract and a month; key that month's returns (grid) or read the figures to date.

    Focus starts on the contract picker, so 1..8 still switch sections. Inside the grid digits
    edit cells; `escape` leaves the grid for the pickers (asking first if cells are unsaved).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "show_returns", "Returns", id="performance.returns"),
        Binding("v", "show_view", "Performance", id="performance.view"),
        Binding("g", "focus_list", "Grid/table", id="performance.focus_list"),
        Binding("left_square_bracket", "shift_month(-1)", "Month back",
                id="performance.month_back"),
        Binding("right_square_bracket", "shift_month(1)", "Month on",
                id="performance.month_on"),
        Binding("l", "lock_month", "Lock month", id="performance.lock"),
        Binding("t", "set_targets", "Targets", id="performance.targets"),
        Binding("slash", "open_filter", "Filter", id="performance.filter", show=False),
        Binding("T,shift+t", "support_ticket", "Support ticket", id="performance.ticket"),
        Binding("x", "exception_note", "Exception note", id="performance.exception_note"),
    ]  # fmt: skip

    AUTO_FOCUS = "#perf-contract"

    DEFAULT_CSS = """
    PerformanceScreen {
        & #perf-pickers { height: 3; }
        & .perf-label { padding: 1 1 0 0; }
        & #perf-contract { width: 1fr; max-width: 48; }
        & #perf-month { width: 18; }
        & #returns-title, & #perf-summary { height: auto; padding: 0 0 1 0; }
        & #returns-message { height: auto; min-height: 1; text-style: bold; }
        & #returns-missing, & #perf-message { height: auto; }
        & #perf-tabs { height: 1fr; }
        & TabPane { padding: 0; height: 1fr; }
        & ContentSwitcher { height: 1fr; }
    }
    """

    mode = "performance"

    def __init__(self) -> None:
        super().__init__()
        self.contract_uuid: str | None = None
        self.period: Period | None = None
        self.performance: ContractPerformance | None = None
        self.figures: dict[str, FigureRow] = {}
        self._months: list[Period] = []
        self._settling = False  # a picker changed by the code, not the person
        self.drafts_offered = set()

    # --- layout -----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="perf-pickers"):
            yield Label("Contract", classes="perf-label")
            yield Select([], id="perf-contract", prompt="Choose a contract", allow_blank=True)
            yield Label("Month", classes="perf-label")
            yield Select([], id="perf-month", prompt="Month", allow_blank=True)
        with TabbedContent(initial="tab-returns", id="perf-tabs"):
            with TabPane("Returns for the month (r)", id="tab-returns"):
                yield Static("", id="returns-title")
                yield ReturnsGrid(id="returns-grid")
                yield Static("", id="returns-message")
                yield Static("", id="returns-missing")
            with TabPane("Performance to date (v)", id="tab-performance"):
                yield Static("", id="perf-summary")
                yield FilterBar(id="perf-filter")
                yield RecordTable(VIEW_COLUMNS, id="perf-table", empty_message="No figures yet")
                yield Static("", id="perf-message")

    def on_mount(self) -> None:
        self.load_contracts()

    def refresh_data(self) -> None:
        # back from another section: figures may have changed; typed cells stay as they are
        if self.contract_uuid is not None and not self.grid.is_dirty:
            self.load_month()

    @property
    def grid(self) -> ReturnsGrid:
        return self.query_one("#returns-grid", ReturnsGrid)

    @property
    def table(self) -> RecordTable:
        return self.query_one("#perf-table", RecordTable)

    # --- for the router (the dashboard opens figures and months here) -----------------------

    def highlighted_figure(self) -> FigureRow | None:
        """The figure under the cursor in the performance view (a ticket can start from it)."""
        key = self.table.current_key
        return self.figures.get(key) if key else None

    def action_support_ticket(self) -> None:
        """Open a support ticket filled in from the highlighted red figure (#7)."""
        self.post_message(StartTicket(self.highlighted_figure()))

    def action_exception_note(self) -> None:
        """Type why the highlighted red or amber figure is behind and what is being done: the
        meeting pack prints it when no support ticket covers the figure."""
        figure = self.highlighted_figure()
        line = self.query_one("#perf-message", Static)
        if figure is None or figure.is_total or figure.rag.rag not in (Rag.RED, Rag.AMBER):
            line.update("An exception note is for a partner's red or amber figure: pick one.")
            return
        period = self.performance.up_to if self.performance else self.period
        if period is None:
            return
        from desta_tui.services.performance import exception_notes
        from desta_tui.ui.screens.performance.exception_note_form import ExceptionNoteForm

        note = exception_notes([figure.contract_uuid], period).get(
            (figure.partner_uuid or "", figure.metric_code)
        )

        def done(saved) -> None:
            if saved is not None:
                line.update(
                    f"✓ Exception note saved for {saved.organisation_name}, {saved.metric_name} "
                    f"({saved.period.label}): the pack prints it."
                )

        self.app.push_screen(ExceptionNoteForm(figure, period, note), done)

    def show_figure(self, contract_uuid: str, partner_uuid: str | None, metric_code: str) -> None:
        """Open the performance view on one figure."""
        self.select_contract(contract_uuid)
        self.action_show_view()
        self.table.move_to_key(f"{partner_uuid or 'total'}|{metric_code}")
        self.table.focus()

    def show_month(self, contract_uuid: str, period: Period) -> None:
        """Open the returns grid of one contract and month."""
        self.select_contract(contract_uuid, period)
        self.action_show_returns()
        self.grid.focus()

    # --- loading ----------------------------------------------------------------------------

    def load_contracts(self) -> None:
        consortium = getattr(self.app, "consortium_uuid", None)
        choices = performance_contracts(consortium)
        picker = self.query_one("#perf-contract", Select)
        self._settling = True
        picker.set_options([(c.title, c.uuid) for c in choices])
        self._settling = False
        if choices and self.contract_uuid not in {c.uuid for c in choices}:
            self.select_contract(choices[0].uuid)
        elif not choices:
            self.query_one("#returns-title", Static).update(
                "No contract is awarded or in delivery yet: returns start once one is."
            )

    def select_contract(self, contract_uuid: str, period: Period | None = None) -> None:
        self.contract_uuid = contract_uuid
        self._months = contract_months(contract_uuid)
        self.period = period or default_month(contract_uuid)
        if self.period not in self._months:
            self._months = sorted({*self._months, self.period}, reverse=True)
        self._settling = True
        contract_picker = self.query_one("#perf-contract", Select)
        if contract_picker.value != contract_uuid:
            contract_picker.value = contract_uuid
        month_picker = self.query_one("#perf-month", Select)
        month_picker.set_options([(p.label, p.key) for p in self._months])
        month_picker.value = self.period.key
        self.call_after_refresh(self._settled)
        self.load_month()

    def _settled(self) -> None:
        self._settling = False

    def load_month(self) -> None:
        if self.contract_uuid is None or self.period is None:
            return
        try:
            month = load_returns_grid(self.contract_uuid, self.period)
            performance = contract_performance(self.contract_uuid, self.period)
        except DestaError as error:
            self.set_message(f"✗ {error.message}")
            return
        self.grid.load(month)
        self.performance = performance
        self._show_month_title()
        self._show_performance()
        self.offer_month_draft()

    def _show_month_title(self) -> None:
        month = self.grid.month
        if month is None:
            return
        returned = sum(1 for row in month.rows if row.has_return)
        title = f"{month.contract_title}: {month.period.long_label} returns, "
        title += f"{returned} of {len(month.rows)} partners in."
        if month.lock is not None:
            title += (
                f"  LOCKED on {format_uk_date(month.lock.locked_at.date())} by "
                f"{month.lock.locked_by}: saving a change asks for a correction note."
            )
        else:
            title += "  Open: l locks it once every return is in."
        self.query_one("#returns-title", Static).update(title)
        missing = self.query_one("#returns-missing", Static)
        if month.missing:
            missing.update(f"No return yet from: {', '.join(month.missing)}")
        else:
            missing.update("Every delivery partner's return is in.")

    def _show_performance(self) -> None:
        performance = self.performance
        if performance is None:
            return
        rows = performance.totals + performance.rows
        self.figures = {figure_key(row): row for row in rows}
        summary = (
            f"{performance.contract_title} to {performance.up_to.long_label}: "
            "cumulative actual against cumulative target. A month a partner has not returned "
            "counts neither its figures nor its target, so a late return makes no one look "
            "better or worse; it is listed under Returns."
        )
        if performance.missing:
            summary += f" Missing for {performance.up_to.label}: {', '.join(performance.missing)}."
        self.query_one("#perf-summary", Static).update(summary)
        self._fill_table()

    def _fill_table(self) -> None:
        text = self.query_one("#perf-filter", FilterBar).value.strip().casefold()
        shown = []
        for key, row in self.figures.items():
            cells = self._cells(row)
            if text and not any(text in cell.casefold() for cell in cells[:2] + (cells[5],)):
                continue
            style = {Rag.RED: "error", Rag.AMBER: "warning"}.get(row.rag.rag)
            shown.append(Row(key, cells, style))
        self.table.empty_message = f"No figures match {text!r}" if text else "No figures yet"
        self.table.set_rows(shown)

    def _cells(self, row: FigureRow) -> tuple[str, ...]:
        up_to = self.performance.up_to if self.performance else None
        months = f"{row.months_of_data}"
        if row.rag.is_provisional and row.months_of_data:
            months += ": provisional"  # a status on one month says so, in words
        elif row.last_returned is not None and up_to is not None and row.last_returned < up_to:
            months += f" to {row.last_returned.label}"
        name = f"▸ {row.organisation_name}" if row.is_total else row.organisation_name
        return (
            name,
            short_metric_label(row.metric_code, row.metric_name),
            row.target_text,
            row.actual_text,
            row.percent,
            row.rag.rag.label,
            months,
            sparkline(row.monthly_actuals),
        )

    # --- pickers ----------------------------------------------------------------------------

    @on(Select.Changed, "#perf-contract")
    def _contract_picked(self, event: Select.Changed) -> None:
        if self._settling or event.value in (Select.NULL, self.contract_uuid):
            return
        uuid = str(event.value)
        self.unless_unsaved(lambda: self.select_contract(uuid), self._restore_pickers)

    @on(Select.Changed, "#perf-month")
    def _month_picked(self, event: Select.Changed) -> None:
        if self._settling or event.value is Select.NULL:
            return
        period = Period.from_key(str(event.value))
        if period == self.period:
            return
        self.unless_unsaved(lambda: self._go_to_month(period), self._restore_pickers)

    def _go_to_month(self, period: Period) -> None:
        self.period = period
        self.load_month()

    def _restore_pickers(self) -> None:
        self._settling = True
        if self.contract_uuid:
            self.query_one("#perf-contract", Select).value = self.contract_uuid
        if self.period:
            self.query_one("#perf-month", Select).value = self.period.key
        self.call_after_refresh(self._settled)

    def action_shift_month(self, step: int) -> None:
        if self.period is None or not self._months:
            return
        target = self.period.shift(step)
        if target not in self._months:
            self.set_message(f"No returns are due for {target.label} on this contract.")
            return
        self.unless_unsaved(lambda: self.select_contract(self.contract_uuid or "", target))

    # --- tabs and focus ---------------------------------------------------------------------

    def action_show_returns(self) -> None:
        self.query_one("#perf-tabs", TabbedContent).active = "tab-returns"

    def action_show_view(self) -> None:
        self.query_one("#perf-tabs", TabbedContent).active = "tab-performance"

    def action_focus_list(self) -> None:
        tabs = self.query_one("#perf-tabs", TabbedContent)
        (self.grid if tabs.active == "tab-returns" else self.table).focus()

    def action_open_filter(self) -> None:
        self.action_show_view()
        self.query_one("#perf-filter", FilterBar).open(return_focus=self.table)

    @on(FilterBar.Changed, "#perf-filter")
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        event.stop()
        self._fill_table()

    # --- the grid ---------------------------------------------------------------------------

    def set_message(self, text: str) -> None:
        """The line under the grid; it stays until the person types or moves in the grid."""
        if self.grid.month is not None:
            self.grid.set_notice(text)  # the grid posts it back through StatusChanged
        else:
            self.query_one("#returns-message", Static).update(text)

    @on(ReturnsGrid.StatusChanged)
    def _grid_status(self, event: ReturnsGrid.StatusChanged) -> None:
        self.query_one("#returns-message", Static).update(event.text)
        self.grid_changed()

    @on(ReturnsGrid.LeaveRequested)
    def _grid_leave(self, event: ReturnsGrid.LeaveRequested) -> None:
        self.unless_unsaved(lambda: self.query_one("#perf-contract", Select).focus())

    @on(ReturnsGrid.SaveRequested)
    def _grid_save(self, event: ReturnsGrid.SaveRequested) -> None:
        self.save_month()

    def save_month(self, correction_note: str = "") -> bool:
        """Save the typed cells; True once saved (or nothing needed saving), else False with
        the reason on the message line and every typed cell kept."""
        grid = self.grid
        if self.contract_uuid is None or self.period is None or grid.month is None:
            return False
        if grid.problems:
            self.set_message(
                f"✗ Not saved: {len(grid.problems)} cell(s) marked ✗ need fixing first. "
                "Nothing typed is lost."
            )
            return False
        typed = grid.typed
        if not typed:
            self.set_message(f"Nothing to save: {self.period.label} is as it was.")
            return True
        if grid.month.is_locked and not correction_note:
            self.app.push_screen(
                ReasonModal(
                    f"{self.period.long_label} is locked. Why are these figures being corrected?",
                    label="Correction note",
                    ok_label="Save the correction",
                ),
                self._correction_given,
            )
            return False
        try:
            result = save_returns(self.contract_uuid, self.period, typed, correction_note)
        except FormError as error:
            grid.show_problems({f: m for f, m in error.errors.items() if f})
            self.set_message(f"✗ Not saved: {error.validation_errors[0].message}.")
            return False
        except ValidationError as error:
            self.set_message(f"✗ Not saved: {error.message}.")
            return False
        except DestaError as error:
            self.set_message(f"✗ Not saved: {error.message}")
            return False
        except Exception as error:  # no traceback reaches a user; the typing stays
            self.log.error("saving returns failed", error)
            self.set_message(f"✗ Not saved: {error}. Nothing typed is lost.")
            return False
        self.load_month()
        what = "Correction saved" if result.was_correction else "Saved"
        self.set_message(
            f"✓ {what}: {result.total} figure{'s' if result.total != 1 else ''} of "
            f"{self.period.label} ({result.created} new, {result.changed} changed, "
            f"{result.cleared} cleared)."
        )
        return True

    def _correction_given(self, note: str | None) -> None:
        if note:
            self.save_month(note)
        else:
            self.set_message(
                "Not saved: a locked month needs a correction note. Nothing typed is lost."
            )

    def action_lock_month(self) -> None:
        if self.contract_uuid is None or self.period is None:
            return
        if self.grid.is_dirty:
            self.set_message("Save (ctrl+s) or discard the typed cells before locking the month.")
            return
        period, contract = self.period, self.contract_uuid

        def decided(yes: bool | None) -> None:
            if not yes:
                return
            try:
                lock_period(contract, period)
            except DestaError as error:
                self.set_message(f"✗ {error.message}.")
                return
            self.load_month()
            self.set_message(f"✓ {period.label} locked: changes now need a correction note.")

        if self.grid.month is not None and self.grid.month.is_locked:
            self.set_message(f"{period.label} is already locked.")
            return
        self.app.push_screen(
            ConfirmModal(
                f"Lock {period.long_label}? After this, changing a figure needs a correction "
                "note, kept in the history.",
                action_label("Lock", period.label),
                "Not now",
            ),
            decided,
        )

    # --- targets and drill-down -------------------------------------------------------------

    def action_set_targets(self) -> None:
        if self.contract_uuid is None:
            return
        from desta_tui.ui.screens.performance.targets_form import TargetsForm

        title = self.performance.contract_title if self.performance else ""
        first = self.period.next().label if self.period else ""

        def done(result: TargetsResult | None) -> None:
            if result is None:
                return
            self.load_month()
            text = (
                f"✓ Targets set: {result.months} months for {result.partners} "
                f"partner{'s' if result.partners != 1 else ''} ({result.written} changed)."
            )
            self.query_one("#perf-message", Static).update(text)
            self.set_message(text)

        self.app.push_screen(TargetsForm(self.contract_uuid, title, first), done)

    @on(RecordTable.Selected, "#perf-table")
    def _figure_selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        figure = self.figures.get(event.key)
        if figure is None:
            return
        from desta_tui.ui.screens.performance.figure_returns_modal import FigureReturnsModal

        self.app.push_screen(FigureReturnsModal(figure))

    @on(RecordTable.Highlighted, "#perf-table")
    def _figure_highlighted(self, event: RecordTable.Highlighted) -> None:
        figure = self.figures.get(event.key or "")
        line = self.query_one("#perf-message", Static)
        if figure is None:
            line.update("")
            return
        from desta_tui.services.performance import describe_figure

        note = f" ({figure.rag.note})" if figure.rag.note else ""
        hint = "enter: the returns behind it"
        if not figure.is_total and figure.rag.rag in (Rag.RED, Rag.AMBER):
            hint += "; x: an exception note; T: a support ticket"
        line.update(f"{describe_figure(figure)}{note}. {hint}.")
