"""AuditScreen: the hub-wide history of changes, filtered by person, record type and dates."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from desta_tui.domain.dates import parse_optional_uk_date
from desta_tui.domain.errors import ValidationError
from desta_tui.services.context import today
from desta_tui.services.history import (
    PAGE_SIZE,
    HistoryFilter,
    HistoryPage,
    history_page,
    record_types,
)
from desta_tui.ui.widgets.history_view import HistoryView
from desta_tui.ui.widgets.key_footer import KeyFooter
from desta_tui.ui.widgets.record_table import RecordTable


class AuditScreen(Screen):
    """Every change anyone made, newest first, a page at a time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="audit.back"),
        Binding("slash", "focus_filters", "Filter", id="audit.filter"),
        Binding("right_square_bracket", "next_page", "Next page", id="audit.next_page"),
        Binding("left_square_bracket", "previous_page", "Previous page", id="audit.previous_page"),
    ]

    DEFAULT_CSS = """
    AuditScreen {
        & #audit-filters { height: auto; }
        & #audit-filters Input { width: 1fr; }
        & #audit-filters Label { padding: 1 1 0 1; }
        & #audit-status { padding: 0 1; height: auto; }
        & #audit-status.-error { color: $text-error; text-style: bold; }
    }
    """

    page_size = PAGE_SIZE

    def __init__(self) -> None:
        super().__init__()
        self.page = 0
        self.current: HistoryPage | None = None

    def compose(self) -> ComposeResult:
        yield Static("[b]Hub history[/b]: every change, newest first", id="audit-title")
        with Horizontal(id="audit-filters"):
            yield Label("Person")
            yield Input(placeholder="anyone", id="audit-person")
            yield Label("Record type")
            yield Input(placeholder="any, e.g. contact", id="audit-type")
            yield Label("From")
            yield Input(placeholder="dd/mm/yyyy", id="audit-since")
            yield Label("To")
            yield Input(placeholder="dd/mm/yyyy", id="audit-until")
        yield Static(id="audit-status", markup=False)
        yield HistoryView(id="audit-history", empty_message="No changes match the filter")
        yield KeyFooter()

    def on_mount(self) -> None:
        kinds = ", ".join(kind.label for kind in record_types()[:8])
        if kinds:
            self.query_one("#audit-type", Input).placeholder = f"any: {kinds}…"
        self.load()
        self.query_one("#history-table", RecordTable).focus()

    def history_filter(self) -> HistoryFilter:
        """The filter the fields describe; raises ValidationError for a date that is not one."""
        since = parse_optional_uk_date(self._value("audit-since"), "From", today())
        until = parse_optional_uk_date(self._value("audit-until"), "To", today())
        if since and until and until < since:
            raise ValidationError("To", "the end date is before the start date")
        return HistoryFilter(
            person=self._value("audit-person"),
            record_type=self._value("audit-type"),
            since=since,
            until=until,
        )

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def load(self) -> None:
        status = self.query_one("#audit-status", Static)
        try:
            history_filter = self.history_filter()
        except ValidationError as error:
            status.update(f"✗ {error.field}: {error.message}")
            status.add_class("-error")
            return
        status.remove_class("-error")
        self.current = history_page(history_filter, self.page, self.page_size)
        self.page = self.current.page
        self.query_one(HistoryView).set_entries(self.current.entries)
        page = self.current
        status.update(
            f"{page.total} change(s) · page {page.page + 1} of {page.page_count}"
            + ("   [ previous page" if page.has_previous else "")
            + ("   ] next page" if page.has_next else "")
        )

    @on(Input.Submitted)
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.page = 0
        self.load()
        if not self.query_one("#audit-status", Static).has_class("-error"):
            self.query_one("#history-table", RecordTable).focus()

    def action_focus_filters(self) -> None:
        self.query_one("#audit-person", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#history-table", RecordTable).focus()
            return
        self.dismiss()

    def action_next_page(self) -> None:
        if self.current is not None and self.current.has_next:
            self.page += 1
            self.load()

    def action_previous_page(self) -> None:
        if self.page > 0:
            self.page -= 1
            self.load()
