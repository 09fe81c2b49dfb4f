"""MeetingScreen: one meeting, with tabs for its agenda, attendance (and the quorum), actions
and minutes. Once the minutes are approved the record is locked: a change asks for the reason
it is a correction."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.services import meetings
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.widgets.confirm_modal import ConfirmModal, ReasonModal
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["MeetingScreen", "ask_correction"]

TABS = ("tab-agenda", "tab-attendance", "tab-actions", "tab-minutes")
NEXT_STATUS = {"planned": "papers_sent", "papers_sent": "held"}


async def ask_correction(app: App, is_locked: bool, title: str) -> str | None | bool:
    """None when the meeting is open for changes; the reason typed when its minutes are
    approved (a change is then a correction); False when the person thought better of it."""
    if not is_locked:
        return None
    reason = await app.push_screen_wait(
        ReasonModal(
            f"The minutes of {title} are approved: this change is a correction.",
            label="Reason for the correction",
            ok_label="Correct",
        )
    )
    return False if reason is None else reason


def _item_row(item: meetings.AgendaItemView) -> Row:
    about = item.link.label if item.link else ""
    if item.carried_from:
        about = f"{about} (from {item.carried_from})".strip()
    declared = "; ".join(
        d.who + (" (withdrew)" if d.is_withdrawn else "") for d in item.declarations
    )
    if item.suggested_declarations and not declared:
        declared = f"{len(item.suggested_declarations)} to consider (d)"
    decided = "; ".join(f"{d.title}: {d.result_text}" for d in item.decisions)
    style = "archived" if item.is_deferred else None
    title = item.title + ("  (deferred)" if item.is_deferred else "")
    return Row(item.uuid, (str(item.number), title, about, declared, decided), style)


class MeetingScreen(SectionScreen):
    """A meeting opened from the list: `left`/`right` change tab; `n` adds to the tab shown,
    `enter` edits; on the agenda `[`/`]` move, `d` declares, `v` proposes and votes."""

    mode = "meetings"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to list", id="meeting.back"),
        Binding("left", "previous_tab", "Previous tab", id="meeting.previous_tab", show=False),
        Binding("right", "next_tab", "Next tab", id="meeting.next_tab", show=False),
        Binding("n", "new", "Add", id="meeting.new"),
        Binding("e", "edit", "Edit", id="meeting.edit"),
        Binding("left_square_bracket,alt+up", "move(-1)", "Item up", id="meeting.move_up"),
        Binding(
            "right_square_bracket,alt+down", "move(1)", "Item down", id="meeting.move_down"
        ),  # fmt: skip
        Binding("d", "declare", "Declare interest", id="meeting.declare"),
        Binding("v", "vote", "Decision and vote", id="meeting.vote"),
        Binding("space", "toggle_done", "Done", id="meeting.done", show=False),
        Binding("x", "remove", "Remove", id="meeting.remove", show=False),
        Binding("t", "next_status", "Next status", id="meeting.status"),
        Binding("A", "approve_minutes", "Approve minutes", id="meeting.approve", show=False),
        Binding("ctrl+b", "build_pack", "Build its pack", id="meeting.build_pack"),
    ]

    DEFAULT_CSS = """
    MeetingScreen {
        & #meeting-heading { height: auto; text-style: bold; padding: 0 1; }
        & #meeting-tabs { height: 1fr; }
        & TabPane { padding: 0; height: 1fr; }
        & .meeting-summary { height: auto; padding: 0 1; }
        & #meeting-minutes { padding: 0 1; height: auto; }
        & RecordTable { height: 1fr; }
        & #meeting-message { height: auto; }
    }
    """

    AGENDA_COLUMNS = (
        Column("number", "No", 3, "right"),
        Column("title", "Item", None, min_width=24),
        Column("about", "About", 24),
        Column("declared", "Declarations", 22),
        Column("decided", "Decisions", None, min_width=20),
    )
    ATTENDANCE_COLUMNS = (
        Column("name", "Name", None, min_width=18),
        Column("organisation", "Organisation", None, min_width=18),
        Column("kind", "Attendance", 11),
        Column("role", "Role", 13),
        Column("vote", "Vote", 4),
    )
    ACTION_COLUMNS = (
        Column("description", "Action", None, min_width=24),
        Column("owner", "Owner", 16),
        Column("due", "Due", 10),
        Column("raised", "Raised at", 22),
        Column("status", "Status", 16),
    )

    def __init__(self, meeting_uuid: str) -> None:
        super().__init__()
        self.meeting_uuid = meeting_uuid
        self.detail: meetings.MeetingDetail | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="meeting-heading", markup=False)
        with TabbedContent(id="meeting-tabs"):
            with TabPane("Agenda", id="tab-agenda"):
                yield RecordTable(self.AGENDA_COLUMNS, id="agenda-table",
                                  empty_message="No items: n adds one")  # fmt: skip
            with TabPane("Attendance", id="tab-attendance"):
                yield Static("", id="quorum-line", classes="meeting-summary", markup=False)
                yield RecordTable(self.ATTENDANCE_COLUMNS, id="attendance-table",
                                  empty_message="Nobody recorded: n adds someone")  # fmt: skip
            with TabPane("Actions", id="tab-actions"):
                yield Static("", id="actions-summary", classes="meeting-summary", markup=False)
                yield RecordTable(self.ACTION_COLUMNS, id="actions-table",
                                  empty_message="No actions: n adds one")  # fmt: skip
            with TabPane("Minutes", id="tab-minutes"), VerticalScroll(id="minutes-scroll"):
                yield Static("", id="meeting-minutes", markup=False)
        yield Static("", id="meeting-message", markup=False)

    def on_mount(self) -> None:
        self.refresh_data()
        self.call_after_refresh(self._focus_tab)

    # --- data -------------------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def say(self, text: str) -> None:
        self.query_one("#meeting-message", Static).update(text)

    def refresh_data(self) -> None:
        try:
            detail = meetings.get_meeting(self.meeting_uuid)
        except DestaError as error:
            self.query_one("#meeting-heading", Static).update(error.message)
            self.detail = None
            return
        self.detail = detail
        time = f" at {detail.start_time}" if detail.start_time else ""
        place = f", {detail.place}" if detail.place else ""
        period = detail.report_period
        month = f"; reports on {period.label}" if period else ""
        self.query_one("#meeting-heading", Static).update(
            f"{detail.title}{time}{place}: {detail.status_label}{month}"
            + ("  (locked: minutes approved)" if detail.is_locked else "")
        )
        self.query_one("#agenda-table", RecordTable).set_rows(
            [_item_row(item) for item in detail.agenda]
        )
        self.query_one("#quorum-line", Static).update(
            f"{detail.quorum.text}. Quorum: {detail.quorum_rule_text}."
        )
        self.query_one("#attendance-table", RecordTable).set_rows(
            [
                Row(
                    line.uuid,
                    (
                        line.name,
                        line.organisation_name,
                        line.kind_label,
                        line.role_label,
                        "yes" if line.is_voting_member else "",
                    ),
                    "archived" if line.kind in ("apologies", "absent") else None,
                )
                for line in detail.attendance
            ]  # fmt: skip
        )
        actions = detail.actions_carried + detail.actions_raised
        self.query_one("#actions-table", RecordTable).set_rows(
            [
                Row(
                    a.uuid,
                    (
                        a.description,
                        a.owner,
                        format_uk_date(a.due_on),
                        a.meeting_title,
                        a.status_label,
                    ),
                    "archived" if a.is_done else ("error" if a.is_overdue else None),
                )
                for a in actions
            ]  # fmt: skip
        )
        self.query_one("#actions-summary", Static).update(
            f"{len(detail.actions_raised)} raised here, {len(detail.actions_carried)} carried "
            "forward from earlier meetings. space: done / not done"
        )
        self.query_one("#meeting-minutes", Static).update(self._minutes_text(detail))
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("tab-agenda").label = f"Agenda ({len(detail.agenda)})"
        tabs.get_tab("tab-attendance").label = f"Attendance ({len(detail.present)} present)"
        tabs.get_tab("tab-actions").label = f"Actions ({len(actions)})"

    @staticmethod
    def _minutes_text(detail: meetings.MeetingDetail) -> str:
        if detail.minutes_approved_on:
            by = detail.minutes_approval_meeting
            at = f" at {by.title}" if by else ""
            state = f"Approved {format_uk_date(detail.minutes_approved_on)}{at}: locked, a change "
            state += "is a correction."
        elif detail.minutes:
            following = detail.next
            state = ("Draft: A approves them at " + following.title if following
                     else "Draft: approved at the next meeting of the body")  # fmt: skip
        else:
            state = "No minutes yet: e writes them once the meeting is held."
        items = "\n".join(
            f"{item.number}. {item.title}\n   {item.minutes}" for item in detail.agenda
            if item.minutes
        )  # fmt: skip
        return "\n\n".join(part for part in (state, detail.minutes, items) if part)

    # --- tabs -------------------------------------------------------------------------------

    def _focus_tab(self) -> None:
        tab = self.active_tab
        target = {"tab-agenda": "#agenda-table", "tab-attendance": "#attendance-table",
                  "tab-actions": "#actions-table"}.get(tab, "#minutes-scroll")  # fmt: skip
        self.query_one(target).focus()

    def _switch_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + step) % len(TABS)]
        self.call_after_refresh(self._focus_tab)

    def action_next_tab(self) -> None:
        self._switch_tab(1)

    def action_previous_tab(self) -> None:
        self._switch_tab(-1)

    def action_back(self) -> None:
        self.dismiss()

    def _current(self, table_id: str) -> str | None:
        return self.query_one(table_id, RecordTable).current_key

    def _current_item(self) -> meetings.AgendaItemView | None:
        key = self._current("#agenda-table")
        return next((i for i in self.detail.agenda if i.uuid == key), None) if self.detail else None

    # --- changes ----------------------------------------------------------------------------

    async def _reason(self) -> str | None | bool:
        detail = self.detail
        if detail is None:
            return False
        return await ask_correction(self.app, detail.is_locked, detail.title)

    async def _form(self, make_form) -> Any:
        """Ask for the correction reason if need be, show the form, refresh on save."""
        reason = await self._reason()
        if reason is False:
            return None
        saved = await self.app.push_screen_wait(make_form(reason))
        if saved is not None:
            self.refresh_data()
        return saved

    @work(exclusive=True, group="meeting-change")
    async def action_new(self) -> None:
        from desta_tui.ui.screens.meetings import meeting_forms as forms

        detail, tab = self.detail, self.active_tab
        if detail is None:
            return
        if tab == "tab-agenda":
            item = await self._form(lambda r: forms.AgendaItemForm(detail, correction_reason=r))
            if item is not None:
                self.query_one("#agenda-table", RecordTable).move_to_key(item.uuid)
                self.say(f"Item added: {item.title}.")
        elif tab == "tab-attendance":
            if await self._form(lambda r: forms.AttendanceForm(detail, correction_reason=r)):
                self.say(self.detail.quorum.text if self.detail else "")
        elif tab == "tab-actions":
            if await self._form(lambda r: forms.ActionForm(detail, correction_reason=r)):
                self.say("Action added.")
        else:
            await self._edit_minutes()

    @work(exclusive=True, group="meeting-change")
    async def action_edit(self) -> None:
        await self._edit_current()

    @on(RecordTable.Selected)
    def _selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self.run_worker(self._edit_current(), exclusive=True, group="meeting-change")

    async def _edit_current(self) -> None:
        from desta_tui.ui.screens.meetings import meeting_forms as forms

        detail, tab = self.detail, self.active_tab
        if detail is None:
            return
        if tab == "tab-agenda":
            item = self._current_item()
            if item is None:
                self.say("No item to edit: n adds one.")
                return
            if await self._form(lambda r: forms.AgendaItemForm(detail, item, correction_reason=r)):
                self.say(f"Item {item.number} saved.")
        elif tab == "tab-attendance":
            key = self._current("#attendance-table")
            line = next((a for a in detail.attendance if a.uuid == key), None)
            if line is not None and await self._form(
                lambda r: forms.AttendanceForm(detail, line, correction_reason=r)
            ):
                self.say(self.detail.quorum.text if self.detail else "")
        elif tab == "tab-actions":
            key = self._current("#actions-table")
            every = detail.actions_raised + detail.actions_carried
            action = next((a for a in every if a.uuid == key), None)
            if action is not None and await self._form(
                lambda r: forms.ActionForm(detail, action, correction_reason=r)
            ):
                self.say("Action saved.")
        else:
            await self._edit_minutes()

    async def _edit_minutes(self) -> None:
        from desta_tui.ui.screens.meetings.meeting_forms import MinutesForm

        detail = self.detail
        if detail is not None and await self._form(
            lambda r: MinutesForm(detail, correction_reason=r)
        ):
            self.say("Minutes saved.")

    @work(exclusive=True, group="meeting-change")
    async def action_move(self, offset: int) -> None:
        item = self._current_item()
        if item is None or self.active_tab != "tab-agenda":
            return
        reason = await self._reason()
        if reason is False:
            return
        try:
            meetings.move_agenda_item(item.uuid, offset, correction_reason=reason)
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        self.refresh_data()
        self.query_one("#agenda-table", RecordTable).move_to_key(item.uuid)

    @work(exclusive=True, group="meeting-change")
    async def action_declare(self) -> None:
        from desta_tui.ui.screens.meetings.vote_forms import DeclarationForm

        item, detail = self._current_item(), self.detail
        if item is None or detail is None or self.active_tab != "tab-agenda":
            self.say("Choose an agenda item first.")
            return
        if await self._form(lambda r: DeclarationForm(detail, item, correction_reason=r)):
            self.say(f"Interest declared on item {item.number}.")

    @work(exclusive=True, group="meeting-change")
    async def action_vote(self) -> None:
        """Record the vote on the item's motion waiting for one, else propose a motion first."""
        from desta_tui.ui.screens.meetings.vote_forms import DecisionForm, VotesForm

        item, detail = self._current_item(), self.detail
        if item is None or detail is None or self.active_tab != "tab-agenda":
            self.say("Choose an agenda item first.")
            return
        decision = next((d for d in item.decisions if d.is_pending), None)
        if decision is None:
            decision = await self._form(lambda r: DecisionForm(detail, item, correction_reason=r))
            if decision is None:
                return
            if detail.status not in ("held", "minutes_approved"):
                self.say(f"Motion put: {decision.title}. The vote is recorded once the meeting "
                         "is held (t).")  # fmt: skip
                return
        detail = self.detail
        voted = await self._form(lambda r: VotesForm(detail, decision, correction_reason=r))
        if voted is not None:
            self.say(f"{voted.title}: {voted.result_text}. {voted.quorate_text}")

    def action_toggle_done(self) -> None:
        detail = self.detail
        if detail is None or self.active_tab != "tab-actions":
            return
        key = self._current("#actions-table")
        action = next((a for a in detail.actions_raised + detail.actions_carried
                       if a.uuid == key), None)  # fmt: skip
        if action is None:
            return
        try:
            meetings.set_meeting_action_done(action.uuid, not action.is_done)
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        self.refresh_data()
        self.query_one("#actions-table", RecordTable).move_to_key(action.uuid)

    @work(exclusive=True, group="meeting-change")
    async def action_remove(self) -> None:
        """Take the highlighted person off the attendance list, or the item off the agenda."""
        detail, tab = self.detail, self.active_tab
        if detail is None or tab not in ("tab-agenda", "tab-attendance"):
            return
        table = "#agenda-table" if tab == "tab-agenda" else "#attendance-table"
        key = self._current(table)
        if key is None:
            return
        what = "this item from the agenda" if tab == "tab-agenda" else "this person"
        if not await self.app.push_screen_wait(ConfirmModal(f"Remove {what}?", "Remove", "Keep")):
            return
        reason = await self._reason()
        if reason is False:
            return
        remove = meetings.remove_agenda_item if tab == "tab-agenda" else meetings.remove_attendance
        try:
            remove(key, correction_reason=reason)
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        self.refresh_data()

    def action_next_status(self) -> None:
        detail = self.detail
        if detail is None:
            return
        status = NEXT_STATUS.get(detail.status)
        if status is None:
            self.say("The meeting is held: its minutes are approved at the next meeting (A).")
            return
        try:
            meetings.change_meeting_status(detail.uuid, status)
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        self.refresh_data()
        self.say(f"{detail.title}: {self.detail.status_label if self.detail else status}.")

    def action_approve_minutes(self) -> None:
        detail = self.detail
        if detail is None:
            return
        try:
            approved = meetings.approve_minutes(detail.uuid)
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        self.refresh_data()
        self.say(f"Minutes of {approved.title} approved: the record is locked.")

    def action_build_pack(self) -> None:
        """This meeting's pack: its consortium, the month it reports on, its body's pack."""
        from desta_tui.ui.print_record import build_meeting_pack

        detail = self.detail
        if detail is None:
            return
        build_meeting_pack(self.app, board=detail.body == "board",
                           consortium_uuid=detail.consortium_uuid,
                           period=detail.period or None)  # fmt: skip
