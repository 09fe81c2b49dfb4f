"""ConflictsScreen: what two sites changed apart, each side with who and when, to settle."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.services import sync
from desta_tui.ui.widgets.confirm_modal import ConfirmModal, ReasonModal
from desta_tui.ui.widgets.key_footer import KeyFooter
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["ConflictsScreen"]


def when_text(at: datetime | None) -> str:
    return f"{format_uk_date(at.date())} {at:%H:%M}" if at is not None else "—"


def side_text(side: sync.ConflictSide) -> str:
    return f"{side.text} ({side.site_name}, {side.who or 'unknown'}, {when_text(side.at)})"


class ConflictsScreen(Screen):
    """Open conflicts from other sites; `l`, `i` or `v` settles the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="conflicts.back"),
        Binding("l", "take_local", "Take this site's", id="conflicts.take_local"),
        Binding("i", "take_incoming", "Take incoming", id="conflicts.take_incoming"),
        Binding("v", "type_value", "Type a value", id="conflicts.type_value"),
        Binding("r", "toggle_resolved", "Show resolved", id="conflicts.toggle_resolved"),
    ]

    DEFAULT_CSS = """
    ConflictsScreen {
        & #conflicts-heading { height: 1; text-style: bold; }
        & #conflicts-detail { height: auto; max-height: 12; padding: 0 1; }
        & #conflicts-status { height: 1; color: $text-muted; }
    }
    """

    AUTO_FOCUS = "#conflicts-table"

    COLUMNS = (
        Column("record", "Record", None, min_width=16),
        Column("field", "Field", 14),
        Column("local", "This site", None, min_width=16),
        Column("incoming", "Other site", None, min_width=16),
        Column("opened", "Opened", 10, priority=1),
    )

    def __init__(self) -> None:
        super().__init__()
        self.include_resolved = False
        self._views: dict[str, sync.ConflictView] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="conflicts-heading", markup=False)
        yield RecordTable(self.COLUMNS, id="conflicts-table")
        yield Static("", id="conflicts-detail", markup=False)
        yield Static(
            "enter shows both sides · l this site's · i incoming · v type a value · "
            "r resolved too · escape back",
            id="conflicts-status",
            markup=False,
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        try:
            views = sync.list_conflicts(include_resolved=self.include_resolved)
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        self._views = {str(view.id): view for view in views}
        table = self.query_one("#conflicts-table", RecordTable)
        table.empty_message = "No conflicts from other sites"
        table.set_rows(
            [
                Row(
                    str(view.id),
                    (
                        view.record_label + ("" if view.is_open else " (resolved)"),
                        view.field_label,
                        side_text(view.local),
                        side_text(view.incoming),
                        format_uk_date(view.opened_at.date()),
                    ),
                    "warning" if view.is_open else "archived",
                )
                for view in views
            ]
        )
        open_count = sum(1 for view in views if view.is_open)
        shown = "open and resolved" if self.include_resolved else "open"
        self.query_one("#conflicts-heading", Static).update(
            f"Conflicts from other sites · {open_count} open · showing {shown}"
        )
        self.query_one("#conflicts-detail", Static).update("")

    def _current(self) -> sync.ConflictView | None:
        row = self.query_one("#conflicts-table", RecordTable).current_row
        view = self._views.get(row.key) if row is not None else None
        if view is None:
            self.notify("No conflict is highlighted.", severity="warning")
        elif not view.is_open:
            self.notify("That conflict was settled already.", severity="warning")
            return None
        return view

    @on(RecordTable.Selected, "#conflicts-table")
    def _selected(self, event: RecordTable.Selected) -> None:
        view = self._views.get(event.key)
        if view is None:
            return
        self.query_one("#conflicts-detail", Static).update(
            f"{view.record_label}: {view.field_label} ({view.kind_label})\n"
            f"This site ({view.local.site_name}, {view.local.who}, {when_text(view.local.at)}):\n"
            f"  {view.local.text}\n"
            f"Other site ({view.incoming.site_name}, {view.incoming.who}, "
            f"{when_text(view.incoming.at)}):\n"
            f"  {view.incoming.text}\n"
            f"Opened {when_text(view.opened_at)}"
            + (f" · settled: {view.resolution}" if not view.is_open else "")
        )

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_toggle_resolved(self) -> None:
        self.include_resolved = not self.include_resolved
        self.refresh_data()

    def action_take_local(self) -> None:
        view = self._current()
        if view is not None:
            self._settle(view, "local", None, view.local.text)

    def action_take_incoming(self) -> None:
        view = self._current()
        if view is not None:
            self._settle(view, "incoming", None, view.incoming.text)

    @work(exclusive=True, group="conflicts-settle")
    async def action_type_value(self) -> None:
        view = self._current()
        if view is None:
            return
        typed = await self.app.push_screen_wait(
            ReasonModal(
                f"{view.record_label}: a new {view.field_label}",
                label=view.field_label,
                ok_label="Save",
                placeholder="The value both sites will hold",
                empty_message=f"Type the {view.field_label.lower()} both sites will hold, or "
                "press escape to leave the conflict open.",
            )
        )
        if typed is not None:
            await self._confirm_and_settle(view, None, typed, typed)

    @work(exclusive=True, group="conflicts-settle")
    async def _settle(
        self, view: sync.ConflictView, take: str | None, value: str | None, shown: str
    ) -> None:
        await self._confirm_and_settle(view, take, value, shown)

    async def _confirm_and_settle(
        self, view: sync.ConflictView, take: str | None, value: str | None, shown: str
    ) -> None:
        question = f"{view.record_label}: set {view.field_label} to {shown!r} at every site?"
        button = f"Set {view.field_label} to {shown!r}" if len(shown) <= 30 else "Settle it so"
        if not await self.app.push_screen_wait(ConfirmModal(question, button, "Keep open")):
            return
        try:
            sync.resolve_conflict(view.id, take=take, value=value)
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        self.notify(f"Settled: {view.record_label}, {view.field_label}")
        self.refresh_data()
