"""TicketsScreen: the support tickets list, soonest due first, with its filters (section 5)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.widgets import Static

from desta_tui.domain.choices import TICKET_STAGES, TICKET_STATUSES
from desta_tui.domain.errors import DestaError
from desta_tui.services import tickets
from desta_tui.ui.messages import OpenRecord
from desta_tui.ui.screens.common.archiving import archive_after_asking, undo_last_archive
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.widgets.filter_bar import FilterBar
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["TicketsScreen", "ticket_rows"]

#: narrower than this, the list drops the subject and status columns
WIDE_AT = 100

WIDE_COLUMNS = (
    Column("reference", "Ref", 7),  # T-10000 once a hub has given ten thousand
    Column("provider", "Provider", None, min_width=12),
    Column("subject", "Subject", None, min_width=12),
    Column("stage", "Stage", 16),
    Column("status", "Status", 19),
    Column("due", "Due", 10),
    Column("when", "When", 16),
)
NARROW_COLUMNS = (
    Column("reference", "Ref", 7),  # T-10000 once a hub has given ten thousand
    Column("provider", "Provider", None, min_width=12),
    Column("stage", "Stage", 16),
    Column("due", "Due", 10),
    Column("when", "When", 16),
)


def ticket_rows(rows: list[tickets.TicketRow], columns: tuple[Column, ...]) -> list[Row]:
    """Table rows: overdue in bold red, due within three days in amber, finished ones dim."""
    shown = []
    for row in rows:
        when = row.due_text or (TICKET_STATUSES.label(row.status) if row.is_finished else "")
        cells = {
            "reference": row.reference,
            "provider": row.provider_name,
            "subject": row.subject,
            "stage": row.stage_label,
            "status": row.status_label,
            "due": row.due_on.strftime("%d/%m/%Y") if row.due_on else "",
            "when": when,
        }
        if row.is_finished:
            style = "archived"
        elif row.is_overdue:
            style = "error"
        elif row.due_on is not None and row.days_overdue >= -3:
            style = "warning"
        else:
            style = None
        shown.append(Row(row.uuid, tuple(cells[c.key] for c in columns), style))
    return shown


class TicketsScreen(SectionScreen):
    """Every live support ticket: `/` filters as you type, `f` by status, stage, provider and
    contract, `o` overdue only; sorted by due date (`s` sorts by another column)."""

    mode = "tickets"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter_text", "Filter", id="tickets.filter"),
        Binding("f", "filters", "Filters", id="tickets.filters"),
        Binding("o", "toggle_overdue", "Overdue", id="tickets.overdue"),
        Binding("c", "toggle_finished", "Closed", id="tickets.closed"),
        Binding("d", "sort_due", "Sort by due", id="tickets.sort_due", show=False),
        Binding("n", "new_ticket", "New", id="tickets.new"),
        Binding("e", "edit_ticket", "Edit", id="tickets.edit"),
        Binding("a", "archive_ticket", "Archive", id="tickets.archive"),
        Binding("u", "undo_archive", "Undo", id="tickets.undo"),
    ]

    DEFAULT_CSS = """
    TicketsScreen {
        & #tickets-filters { height: 1; color: $text-muted; }
        & #tickets-message { height: auto; }
        & .tickets-table { height: 1fr; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.wanted = tickets.TicketFilter()
        self.rows: list[tickets.TicketRow] = []
        self.wide = RecordTable(WIDE_COLUMNS, id="tickets-table", classes="tickets-table",
                                empty_message="No open tickets")  # fmt: skip
        self.narrow = RecordTable(NARROW_COLUMNS, id="tickets-table-narrow",
                                  classes="tickets-table")  # fmt: skip

    def compose_body(self) -> ComposeResult:
        yield Static(id="tickets-filters", markup=False)
        yield FilterBar(
            id="tickets-filter-bar",
            placeholder="Filter: reference, subject, provider, contract, owner",
        )
        yield self.wide
        yield self.narrow
        yield Static(id="tickets-message", markup=False)

    @property
    def table(self) -> RecordTable:
        """The table in use at this width."""
        return self.narrow if self.narrow.display else self.wide

    def on_mount(self) -> None:
        for table in (self.wide, self.narrow):
            table.set_sort("due")
        self._fit_width(self.size.width)
        self.refresh_data()
        self.table.focus()

    def on_resize(self, event: Resize) -> None:
        self._fit_width(event.size.width)

    def _fit_width(self, width: int) -> None:
        is_narrow = 0 < width < WIDE_AT
        if self.narrow.display == is_narrow and self.wide.display != is_narrow:
            return
        had_focus = self.focused in (self.wide, self.narrow)
        key = self.table.current_key
        self.narrow.display, self.wide.display = is_narrow, not is_narrow
        if key is not None:
            self.table.move_to_key(key)
        if had_focus:
            self.table.focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.focused is None:
            self.table.focus()

    def refresh_data(self) -> None:
        self.wanted = tickets.TicketFilter(
            **{
                **self.wanted.__dict__,
                "consortium_uuid": getattr(self.app, "consortium_uuid", None),
            }
        )
        try:
            self.rows = tickets.list_tickets(self.wanted)
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        for table, columns in ((self.wide, WIDE_COLUMNS), (self.narrow, NARROW_COLUMNS)):
            table.empty_message = self._empty_message()
            table.set_rows(ticket_rows(self.rows, columns))
        self.query_one("#tickets-filters", Static).update(self._filter_words())

    def _empty_message(self) -> str:
        if self.wanted.text:
            return f"No tickets match '{self.wanted.text}'"
        if self.wanted.is_narrowed:
            return "No tickets match these filters (f to change them)"
        return "No open tickets (n opens one; c shows closed ones)"

    def _filter_words(self) -> str:
        wanted = self.wanted
        count = len(self.rows)
        parts = [f"{count} ticket{'s' if count != 1 else ''}"]
        if wanted.status == "all":
            parts.append("any status")
        elif wanted.status:
            parts.append(TICKET_STATUSES.label(wanted.status).lower())
        elif not wanted.text:
            parts.append("open and waiting")
        if wanted.stage:
            parts.append(TICKET_STAGES.label(wanted.stage).lower())
        if wanted.provider_uuid:
            parts.append(next((r.provider_name for r in self.rows), "one provider"))
        if wanted.contract_uuid:
            parts.append(next((r.contract_title for r in self.rows), "one contract"))
        if wanted.overdue_only:
            parts.append("overdue only")
        return " · ".join(parts) + "   (f filters, o overdue, c closed, s sort)"

    def say(self, text: str) -> None:
        self.query_one("#tickets-message", Static).update(text)

    # --- for the router (the dashboard opens a rung of the ladder) ---------------------------

    def show_stage(self, stage: str) -> None:
        """The live tickets at one rung of the ladder."""
        self._set_filter(stage=stage, status="", overdue_only=False)
        self.table.focus()

    def _set_filter(self, **changes) -> None:
        self.wanted = tickets.TicketFilter(**{**self.wanted.__dict__, **changes})
        self.refresh_data()

    # --- filter ----------------------------------------------------------------------------

    def action_filter_text(self) -> None:
        self.query_one(FilterBar).open(return_focus=self.table)

    @on(FilterBar.Changed, "#tickets-filter-bar")
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        self._set_filter(text=event.text)

    def action_filters(self) -> None:
        from desta_tui.ui.screens.tickets.ticket_entry_forms import TicketFilterForm

        def chosen(wanted: tickets.TicketFilter | None) -> None:
            if wanted is not None:
                self.wanted = wanted
                self.refresh_data()
            self.table.focus()

        self.app.push_screen(TicketFilterForm(self.wanted), chosen)

    def action_toggle_overdue(self) -> None:
        self._set_filter(overdue_only=not self.wanted.overdue_only)

    def action_toggle_finished(self) -> None:
        self._set_filter(status="" if self.wanted.status == "all" else "all")

    def action_sort_due(self) -> None:
        for table in (self.wide, self.narrow):
            table.set_sort("due")

    # --- records ---------------------------------------------------------------------------

    @on(RecordTable.Selected, ".tickets-table")
    def _selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self.post_message(OpenRecord("ticket", event.key))

    def action_new_ticket(self) -> None:
        from desta_tui.ui.screens.tickets.ticket_form import TicketForm

        def saved(ticket: tickets.TicketDetail | None) -> None:
            if ticket is not None:
                self.say(f"{ticket.reference} opened, due {ticket.due_on:%d/%m/%Y}.")
                self.refresh_data()
                self.table.move_to_key(ticket.uuid)

        self.app.push_screen(TicketForm(), saved)

    @work(exclusive=True, group="tickets-edit")
    async def action_edit_ticket(self) -> None:
        from desta_tui.ui.screens.tickets.ticket_form import TicketForm

        key = self.table.current_key
        if key is None:
            self.say("No ticket to edit.")
            return
        try:
            ticket = tickets.get_ticket(key)
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        saved = await self.app.push_screen_wait(TicketForm(ticket))
        if saved is not None:
            self.say(f"{saved.reference} saved.")
            self.refresh_data()

    @work(exclusive=True, group="tickets-archive")
    async def action_archive_ticket(self) -> None:
        row = next((r for r in self.rows if r.uuid == self.table.current_key), None)
        if row is None:
            self.say("No ticket to archive.")
            return
        question = f"Archive {row.reference} ({row.provider_name}: {row.subject})?"
        await archive_after_asking(
            self, question, row.reference, lambda: tickets.archive_ticket(row.uuid)
        )

    def action_undo_archive(self) -> None:
        restored = undo_last_archive(
            self, tickets.undo_ticket_archive, "Nothing to undo: you have not archived a ticket."
        )
        if restored is not None:
            self.table.move_to_key(restored.uuid)
