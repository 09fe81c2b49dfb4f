"""MeetingsScreen: section 6, the SMG's, the board's and the AGM's meetings, newest first."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.domain.text import fold
from desta_tui.services import meetings
from desta_tui.ui import print_record
from desta_tui.ui.messages import OpenRecord
from desta_tui.ui.screens.common.archiving import archive_after_asking, undo_last_archive
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.widgets.filter_bar import FilterBar
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["MeetingsScreen", "meeting_rows"]

COLUMNS = (
    Column("date", "Date", 10),
    Column("time", "Time", 5),
    Column("body", "Meeting", None, min_width=16),
    Column("place", "Place", None, min_width=12),
    Column("period", "Reports on", 10),
    Column("status", "Status", 16),
    Column("minutes", "Minutes", 20),
)


def _minutes_text(row: meetings.MeetingRow) -> str:
    if row.minutes_approved_on:
        return f"Approved {format_uk_date(row.minutes_approved_on)}"
    if row.minutes_drafted_on:
        return f"Draft {format_uk_date(row.minutes_drafted_on)}"
    return ""


def meeting_rows(rows: list[meetings.MeetingRow], next_uuid: str | None = None) -> list[Row]:
    """Archived meetings dim; the next meeting to come in amber."""
    shown = []
    for row in rows:
        period = row.report_period
        cells = (
            format_uk_date(row.meeting_on),
            row.start_time,
            f"{row.consortium_short} {row.body_short}",
            row.place,
            period.label if period else "",
            row.status_label,
            _minutes_text(row),
        )
        style = "archived" if row.is_archived else ("warning" if row.uuid == next_uuid else None)
        shown.append(Row(row.uuid, cells, style))
    return shown


class MeetingsScreen(SectionScreen):
    """Every meeting of the consortium shown: `/` filters, `n` new, `enter` opens, `e` edits,
    `a` archives, `u` undoes; `r` the risk register; `o` opens the last pack, `P` prints it."""

    mode = "meetings"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter_text", "Filter", id="meetings.filter"),
        Binding("n", "new_meeting", "New", id="meetings.new"),
        Binding("e", "edit_meeting", "Edit", id="meetings.edit"),
        Binding("a", "archive_meeting", "Archive", id="meetings.archive"),
        Binding("u", "undo_archive", "Undo", id="meetings.undo"),
        Binding("h", "toggle_archived", "Archived", id="meetings.archived", show=False),
        Binding("r", "risks", "Risks", id="meetings.risks"),
        Binding("o", "open_pack", "Open pack", id="meetings.open_pack"),
        Binding("P", "print_pack", "Print pack", id="meetings.print_pack"),
    ]

    DEFAULT_CSS = """
    MeetingsScreen {
        & #meetings-summary { height: auto; padding: 0 1; }
        & #meetings-message { height: auto; }
        & #meetings-table { height: 1fr; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[meetings.MeetingRow] = []
        self.text = ""
        self.show_archived = False
        self.table = RecordTable(COLUMNS, id="meetings-table",
                                 empty_message="No meetings yet: n adds one")  # fmt: skip

    def compose_body(self) -> ComposeResult:
        yield Static("", id="meetings-summary", markup=False)
        yield FilterBar(id="meetings-filter", placeholder="Filter: meeting, place, month, status")
        yield self.table
        yield Static("", id="meetings-message", markup=False)

    def on_mount(self) -> None:
        self.refresh_data()
        self.table.focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.focused is None:
            self.table.focus()

    def refresh_data(self) -> None:
        consortium_uuid = getattr(self.app, "consortium_uuid", None)
        try:
            self.rows = meetings.list_meetings(consortium_uuid, include_archived=self.show_archived)
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        wanted = fold(self.text)
        shown = [row for row in self.rows if wanted in fold(self._words(row))]
        self.table.empty_message = (
            f"No meetings match {self.text!r}" if self.text else "No meetings yet: n adds one"
        )
        coming = meetings.next_meeting(consortium_uuid)
        self.table.set_rows(meeting_rows(shown, coming.uuid if coming else None))
        next_words = (
            f"Next: {coming.title} ({coming.status_label.lower()})"
            if coming else "No meeting planned"
        )  # fmt: skip
        count = len(shown)
        self.query_one("#meetings-summary", Static).update(
            f"{count} meeting{'s' if count != 1 else ''}. {next_words}.   "
            "ctrl+b builds the pack, o opens it, P prints it, r risks"
        )

    @staticmethod
    def _words(row: meetings.MeetingRow) -> str:
        period = row.report_period
        return " ".join((row.title, row.body_label, row.place, row.status_label,
                         period.label if period else "", row.period))  # fmt: skip

    def say(self, text: str) -> None:
        self.query_one("#meetings-message", Static).update(text)

    def _current(self) -> meetings.MeetingRow | None:
        return next((r for r in self.rows if r.uuid == self.table.current_key), None)

    # --- filter ----------------------------------------------------------------------------

    def action_filter_text(self) -> None:
        self.query_one(FilterBar).open(return_focus=self.table)

    @on(FilterBar.Changed, "#meetings-filter")
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        self.text = event.text
        self.refresh_data()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.refresh_data()

    # --- records ---------------------------------------------------------------------------

    @on(RecordTable.Selected, "#meetings-table")
    def _selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self.post_message(OpenRecord("meeting", event.key))

    def action_new_meeting(self) -> None:
        from desta_tui.ui.screens.meetings.meeting_forms import MeetingForm

        def saved(detail: meetings.MeetingDetail | None) -> None:
            if detail is not None:
                items = len(detail.agenda)
                self.say(f"{detail.title} planned, with {items} agenda items.")
                self.refresh_data()
                self.table.move_to_key(detail.uuid)
            self.table.focus()

        consortium_uuid = getattr(self.app, "consortium_uuid", None)
        self.app.push_screen(MeetingForm(consortium_uuid=consortium_uuid), saved)

    @work(exclusive=True, group="meetings-edit")
    async def action_edit_meeting(self) -> None:
        from desta_tui.ui.screens.meetings.meeting_forms import MeetingForm
        from desta_tui.ui.screens.meetings.meeting_screen import ask_correction

        row = self._current()
        if row is None:
            self.say("No meeting to edit.")
            return
        reason = await ask_correction(self.app, row.is_locked, row.title)
        if reason is False:
            return
        detail = meetings.get_meeting(row.uuid)
        saved = await self.app.push_screen_wait(MeetingForm(detail, correction_reason=reason))
        if saved is not None:
            self.say(f"{saved.title} saved.")
            self.refresh_data()

    @work(exclusive=True, group="meetings-archive")
    async def action_archive_meeting(self) -> None:
        row = self._current()
        if row is None:
            self.say("No meeting to archive.")
            return
        question = f"Archive {row.title} ({row.status_label.lower()})?"
        await archive_after_asking(
            self, question, row.title, lambda: meetings.archive_meeting(row.uuid)
        )

    def action_undo_archive(self) -> None:
        restored = undo_last_archive(
            self,
            meetings.undo_meeting_archive,
            "Nothing to undo: you have not archived a meeting.",
        )
        if restored is not None:
            self.table.move_to_key(restored.uuid)

    def action_risks(self) -> None:
        from desta_tui.ui.screens.meetings.risks_screen import RisksScreen

        self.app.push_screen(RisksScreen())

    def action_open_pack(self) -> None:
        print_record.open_last_pack(self.app)

    def action_print_pack(self) -> None:
        print_record.print_last_pack(self.app)
