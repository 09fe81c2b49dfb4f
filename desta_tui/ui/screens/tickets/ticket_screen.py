"""TicketScreen: one support ticket: fields, ladder, status, plan actions, log and history."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static, TabbedContent, TabPane

from desta_tui.domain.choices import TICKET_STAGES
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError, ValidationError
from desta_tui.domain.tickets import LADDER
from desta_tui.services import tickets
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.widgets.confirm_modal import ConfirmModal, ReasonModal
from desta_tui.ui.widgets.history_view import HistoryView, local_time_text
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["ActionsTable", "TicketScreen", "ladder_text"]


def ladder_text(stage: str) -> Text:
    """`Support ▸ [Improvement plan] ▸ Remedial action`, the current rung bracketed and bold."""
    text = Text()
    for index, rung in enumerate(LADDER):
        if index:
            text.append(" ▸ ", style="dim")
        label = TICKET_STAGES.label(rung)
        if rung == stage:
            text.append(f"[{label}]", style="bold reverse")
        else:
            text.append(f" {label} ")
    return text


class ActionsTable(RecordTable):
    """The improvement plan: `space` ticks an action done, `enter` edits it, `x` removes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_done", "Done / not done", id="ticket.action_done"),
        Binding("enter", "select", "Edit action", id="ticket.action_edit"),
        Binding("x", "remove_action", "Remove action", id="ticket.action_remove"),
    ]

    def action_toggle_done(self) -> None:
        self.screen.toggle_action_done(self.current_key)

    def action_remove_action(self) -> None:
        self.screen.remove_action(self.current_key)


class TicketScreen(SectionScreen):
    """A ticket in full; `escape` goes back to the list."""

    mode = "tickets"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="ticket.back"),
        Binding("e", "edit", "Edit", id="ticket.edit"),
        Binding("greater_than_sign", "stage_up", "Ladder up", id="ticket.stage_up"),
        Binding("less_than_sign", "stage_down", "Ladder down", id="ticket.stage_down"),
        Binding(
            "R,shift+r", "remedial_override", "Straight to remedial", id="ticket.remedial_override"
        ),
        Binding("t", "status", "Status", id="ticket.status"),
        Binding("c", "close_ticket", "Close", id="ticket.close"),
        Binding("n", "add_note", "Note", id="ticket.note"),
        Binding("l", "log_time", "Log time", id="ticket.log_time"),
        Binding("i", "new_action", "Action", id="ticket.action_new"),
        Binding("v", "show_tab('tab-activity')", "Activity", id="ticket.tab_activity", show=False),
        Binding(
            "p", "show_tab('tab-actions')", "Plan actions", id="ticket.tab_actions", show=False
        ),
        Binding("h", "show_tab('tab-history')", "History", id="ticket.tab_history", show=False),
    ]

    DEFAULT_CSS = """
    TicketScreen {
        & #ticket-title { text-style: bold; height: auto; }
        & #ticket-fields { height: auto; }
        & #ticket-about { height: auto; max-height: 2; color: $text-muted; }
        & #ticket-ladder { height: auto; margin: 1 0 0 0; }
        & #ticket-recovery { height: auto; }
        & #ticket-recovery.-green { color: $text-success; text-style: bold; }
        & #ticket-message { height: auto; }
        & TabbedContent { height: 1fr; }
        & TabPane { padding: 0; }
        & #ticket-event-detail { height: auto; max-height: 4; padding: 0 1;
                                 border-top: solid $primary-muted; }
    }
    """

    EVENT_COLUMNS = (
        Column("at", "When", 16),
        Column("who", "Who", 12),
        Column("kind", "What", 12),
        Column("time", "Time", 10, align="right"),
        Column("text", "Entry", None, min_width=20),
    )
    ACTION_COLUMNS = (
        Column("done", "Done", 4),
        Column("description", "Action", None, min_width=20),
        Column("owner", "Owner", 18),
        Column("due", "Due", 10),
        Column("when", "When", 15),
    )

    def __init__(self, ticket_uuid: str) -> None:
        super().__init__()
        self.ticket_uuid = ticket_uuid
        self.ticket: tickets.TicketDetail | None = None
        self.recovery: tickets.TicketRecovery | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="ticket-title", markup=False)
        yield Static(id="ticket-fields")
        yield Static(id="ticket-about", markup=False)
        yield Static(id="ticket-ladder")
        yield Static(id="ticket-recovery", markup=False)
        yield Static(id="ticket-message", markup=False)
        with TabbedContent(initial="tab-activity"):
            with TabPane("Activity (v)", id="tab-activity"):
                yield RecordTable(self.EVENT_COLUMNS, id="ticket-events",
                                  empty_message="Nothing logged yet")  # fmt: skip
                yield Static(id="ticket-event-detail", markup=False)
            with TabPane("Plan actions (p)", id="tab-actions"):
                yield ActionsTable(self.ACTION_COLUMNS, id="ticket-actions",
                                   empty_message="No actions yet: i adds one")  # fmt: skip
            with TabPane("History (h)", id="tab-history"):
                yield HistoryView(id="ticket-history")

    def on_mount(self) -> None:
        self.refresh_data()
        self.query_one("#ticket-events", RecordTable).focus()

    # --- showing ---------------------------------------------------------------------------

    def refresh_data(self) -> None:
        try:
            self.ticket = ticket = tickets.get_ticket(self.ticket_uuid)
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        self.query_one("#ticket-title", Static).update(f"{ticket.reference}  {ticket.subject}")
        self.query_one("#ticket-fields", Static).update(self._fields_table(ticket))
        about = self.query_one("#ticket-about", Static)
        # two lines at most, so the log keeps its room; `e` shows the whole description
        about.update(" ".join(ticket.description.split()))
        about.display = bool(ticket.description)
        ladder = Text("Ladder: ", style="bold")
        ladder.append_text(ladder_text(ticket.stage))
        ladder.append("    Status: ", style="bold")
        ladder.append(ticket.status_label)
        self.query_one("#ticket-ladder", Static).update(ladder)
        self._show_recovery(ticket)
        events = self.query_one("#ticket-events", RecordTable)
        events.set_rows([
            Row(event.uuid, (local_time_text(event.occurred_at), event.who, event.kind_label,
                             event.time_text, event.text))
            for event in ticket.events
        ])  # fmt: skip
        self._show_event_detail(events.current_key)
        self.query_one("#ticket-actions", ActionsTable).set_rows([
            Row(action.uuid, ("✓" if action.is_done else "", action.description, action.owner,
                              format_uk_date(action.due_on), action.due_text),
                "archived" if action.is_done else ("error" if action.is_overdue else None))
            for action in ticket.actions
        ])  # fmt: skip
        self.query_one(HistoryView).set_entries(tickets.ticket_history(ticket.uuid))
        self.refresh_bindings()

    def _fields_table(self, ticket: tickets.TicketDetail) -> Table:
        grid = Table.grid(padding=(0, 2), expand=True)
        for _ in range(2):
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column(ratio=1)
        due = format_uk_date(ticket.due_on) or "none"
        if ticket.due_text:
            due += f" ({ticket.due_text})"
        closed = f"{format_uk_date(ticket.closed_on)}" if ticket.closed_on else "not closed"
        pairs = [
            ("Provider", ticket.provider_name), ("Contract", ticket.contract_title or "none"),
            ("Support", ticket.support_provider_name or "none"), ("Owner", ticket.owner or "none"),
            ("Category", ticket.category_label), ("Priority", ticket.priority_label),
            ("Opened", format_uk_date(ticket.opened_on)), ("Due", due),
            ("Metrics", ", ".join(m.name for m in ticket.metrics) or "none"),
            ("Time spent", ticket.time_text),
        ]  # fmt: skip
        if ticket.status == "closed":
            pairs += [("Closed", closed), ("Outcome", ticket.outcome)]
        for index in range(0, len(pairs), 2):
            left = pairs[index]
            right = pairs[index + 1] if index + 1 < len(pairs) else ("", "")
            grid.add_row(left[0], Text(left[1]), right[0], Text(right[1]))
        return grid

    def _show_recovery(self, ticket: tickets.TicketDetail) -> None:
        line = self.query_one("#ticket-recovery", Static)
        try:
            self.recovery = recovery = tickets.ticket_recovery(ticket.uuid)
        except DestaError as error:
            self.recovery = None
            line.update(f"Figures: {error.message}")
            return
        green = recovery.is_back_at_green and ticket.status != "closed"
        text = recovery.message
        if green:
            text = "✓ " + text.replace("the ticket can be", "press c to").replace(
                "closed with an outcome", "close it with an outcome"
            )
        elif recovery.metrics:
            text = "Figures: " + text
        line.update(text)
        line.set_class(green, "-green")

    def say(self, text: str) -> None:
        self.query_one("#ticket-message", Static).update(text)

    @on(RecordTable.Highlighted, "#ticket-events")
    def _event_highlighted(self, event: RecordTable.Highlighted) -> None:
        event.stop()
        self._show_event_detail(event.key)

    def _show_event_detail(self, key: str | None) -> None:
        detail = self.query_one("#ticket-event-detail", Static)
        found = (
            next((e for e in self.ticket.events if e.uuid == key), None) if self.ticket else None
        )
        detail.update(found.text if found else "")
        detail.display = found is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        ticket = self.ticket
        if ticket is None:
            return True
        finished = ticket.is_finished
        if action == "stage_up":
            return None if finished or ticket.stage_up is None else True
        if action == "stage_down":
            return None if finished or ticket.stage_down is None else True
        if action == "remedial_override":
            return ticket.stage == "support" and not ticket.has_had_plan and not finished
        if action == "close_ticket":
            return ticket.status != "closed"
        return True

    # --- actions ---------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        target = {"tab-activity": "#ticket-events", "tab-actions": "#ticket-actions",
                  "tab-history": "#history-table"}[tab]  # fmt: skip
        self.query_one(target).focus()

    def _done(self, message: str) -> None:
        self.refresh_data()
        self.say(message)

    @work(exclusive=True, group="ticket")
    async def action_edit(self) -> None:
        from desta_tui.ui.screens.tickets.ticket_form import TicketForm

        if self.ticket is None:
            return
        if await self.app.push_screen_wait(TicketForm(self.ticket)) is not None:
            self._done(f"{self.ticket.reference} saved.")

    async def _move(self, question: str, move) -> None:
        reason = await self.app.push_screen_wait(ReasonModal(question, ok_label="Move"))
        if not reason:
            return
        try:
            ticket = move(reason)
        except (ValidationError, DestaError) as error:
            self.say(f"✗ {error.message}")
            return
        self._done(f"{ticket.reference} is now at {ticket.stage_label.lower()}.")

    @work(exclusive=True, group="ticket")
    async def action_stage_up(self) -> None:
        ticket = self.ticket
        if ticket is None or ticket.stage_up is None:
            return
        above = TICKET_STAGES.label(ticket.stage_up).lower()
        await self._move(
            f"Move {ticket.reference} up to {above}? Say why: it stays in the log.",
            lambda reason: tickets.move_ticket_up(ticket.uuid, reason),
        )

    @work(exclusive=True, group="ticket")
    async def action_stage_down(self) -> None:
        ticket = self.ticket
        if ticket is None or ticket.stage_down is None:
            return
        below = TICKET_STAGES.label(ticket.stage_down).lower()
        await self._move(
            f"Move {ticket.reference} back down to {below}? Say why.",
            lambda reason: tickets.move_ticket_down(ticket.uuid, reason),
        )

    @work(exclusive=True, group="ticket")
    async def action_remedial_override(self) -> None:
        ticket = self.ticket
        if ticket is None:
            return
        await self._move(
            f"Skip the improvement plan and put {ticket.reference} straight into remedial "
            "action? Remedial action is the last resort: say why it cannot wait for a plan.",
            lambda reason: tickets.move_ticket_up(ticket.uuid, reason, override=True),
        )

    @work(exclusive=True, group="ticket")
    async def action_status(self, status: str = "") -> None:
        from desta_tui.ui.screens.tickets.ticket_entry_forms import TicketStatusForm

        if self.ticket is None:
            return
        saved = await self.app.push_screen_wait(TicketStatusForm(self.ticket, status))
        if saved is not None:
            self._done(f"{saved.reference} is now {saved.status_label.lower()}.")

    def action_close_ticket(self) -> None:
        self.action_status("closed")

    @work(exclusive=True, group="ticket")
    async def action_add_note(self) -> None:
        await self._log(is_time=False)

    @work(exclusive=True, group="ticket")
    async def action_log_time(self) -> None:
        await self._log(is_time=True)

    async def _log(self, *, is_time: bool) -> None:
        from desta_tui.ui.screens.tickets.ticket_entry_forms import TicketLogForm

        if self.ticket is None:
            return
        event = await self.app.push_screen_wait(TicketLogForm(self.ticket, is_time=is_time))
        if event is not None:
            self.action_show_tab("tab-activity")
            self._done("Time logged." if is_time else "Note added.")

    @work(exclusive=True, group="ticket")
    async def action_new_action(self) -> None:
        from desta_tui.ui.screens.tickets.ticket_action_form import TicketActionForm

        if self.ticket is None:
            return
        action = await self.app.push_screen_wait(TicketActionForm(self.ticket.uuid))
        if action is not None:
            self._done(f"Action added: {action.description}")
            self.action_show_tab("tab-actions")
            self.query_one("#ticket-actions", ActionsTable).move_to_key(action.uuid)

    @on(RecordTable.Selected, "#ticket-actions")
    def _action_selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self._edit_action(event.key)

    @on(RecordTable.Selected, "#ticket-events")
    def _event_selected(self, event: RecordTable.Selected) -> None:
        event.stop()  # the line below the log already shows the entry in full

    @work(exclusive=True, group="ticket")
    async def _edit_action(self, key: str) -> None:
        from desta_tui.ui.screens.tickets.ticket_action_form import TicketActionForm

        action = next((a for a in self.ticket.actions if a.uuid == key), None)
        if action is None:
            return
        saved = await self.app.push_screen_wait(TicketActionForm(self.ticket.uuid, action))
        if saved is not None:
            self._done(f"Action saved: {saved.description}")

    def toggle_action_done(self, key: str | None) -> None:
        action = next((a for a in self.ticket.actions if a.uuid == key), None) if key else None
        if action is None:
            return
        try:
            saved = tickets.set_action_done(action.uuid, not action.is_done)
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        self._done(f"{'Done' if saved.is_done else 'Not done'}: {saved.description}")
        self.query_one("#ticket-actions", ActionsTable).move_to_key(saved.uuid)

    @work(exclusive=True, group="ticket")
    async def remove_action(self, key: str | None) -> None:
        action = next((a for a in self.ticket.actions if a.uuid == key), None) if key else None
        if action is None:
            return
        question = f"Remove the action '{action.description}' from the plan?"
        if not await self.app.push_screen_wait(ConfirmModal(question, "Remove", "Keep")):
            return
        try:
            tickets.archive_ticket_action(action.uuid)
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        self._done(f"Action removed: {action.description}")
