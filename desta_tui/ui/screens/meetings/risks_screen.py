"""RisksScreen: the board's risk register for a consortium, highest score first (Meetings `r`)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.domain.rag import Rag
from desta_tui.services import meetings
from desta_tui.services.reporting.consortium import find_consortium
from desta_tui.ui.screens.common.archiving import archive_after_asking, undo_last_archive
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["RisksScreen"]

COLUMNS = (
    Column("title", "Risk", None, min_width=24),
    Column("score", "Score", 18),
    Column("owner", "Owner", 16),
    Column("review", "Review", 10),
    Column("status", "Status", 10),
    Column("mitigation", "Mitigation", None, min_width=16),
)
RAG_STYLE = {Rag.RED: "error", Rag.AMBER: "warning"}


class RisksScreen(SectionScreen):
    """The register: `n` new, `enter`/`e` edit, `c` shows closed risks, `a` archives, `u`
    undoes, `escape` back to the meetings."""

    mode = "meetings"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="risks.back"),
        Binding("n", "new_risk", "New", id="risks.new"),
        Binding("e", "edit_risk", "Edit", id="risks.edit"),
        Binding("c", "toggle_closed", "Closed", id="risks.closed"),
        Binding("a", "archive_risk", "Archive", id="risks.archive"),
        Binding("u", "undo_archive", "Undo", id="risks.undo"),
    ]

    DEFAULT_CSS = """
    RisksScreen {
        & #risks-heading { height: auto; text-style: bold; padding: 0 1; }
        & #risks-table { height: 1fr; }
        & #risks-message { height: auto; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[meetings.RiskLine] = []
        self.include_closed = False
        self.consortium_uuid: str | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="risks-heading", markup=False)
        yield RecordTable(COLUMNS, id="risks-table", empty_message="No risks: n adds one")
        yield Static("", id="risks-message", markup=False)

    def on_mount(self) -> None:
        self.refresh_data()
        self.query_one(RecordTable).focus()

    def say(self, text: str) -> None:
        self.query_one("#risks-message", Static).update(text)

    def refresh_data(self) -> None:
        try:
            chosen = getattr(self.app, "consortium_uuid", None)
            consortium = find_consortium(None) if chosen is None else None
            self.consortium_uuid = chosen or consortium.uuid
            self.rows = meetings.list_risks(self.consortium_uuid,
                                            include_closed=self.include_closed)  # fmt: skip
        except DestaError as error:
            self.say(f"✗ {error.message}")
            return
        self.query_one(RecordTable).set_rows(
            [
                Row(
                    r.uuid,
                    (
                        r.title,
                        r.score_text,
                        r.owner,
                        format_uk_date(r.review_on),
                        r.status_label,
                        r.mitigation,
                    ),
                    RAG_STYLE.get(r.rag),
                )
                for r in self.rows
            ]  # fmt: skip
        )
        due = sum(1 for r in self.rows if r.is_review_due)
        self.query_one("#risks-heading", Static).update(
            f"Risk register: {len(self.rows)} risks, {due} due for review"
            + (" (closed shown)" if self.include_closed else "")
        )

    def _current(self) -> meetings.RiskLine | None:
        key = self.query_one(RecordTable).current_key
        return next((r for r in self.rows if r.uuid == key), None)

    def action_back(self) -> None:
        self.dismiss()

    def action_toggle_closed(self) -> None:
        self.include_closed = not self.include_closed
        self.refresh_data()

    @work(exclusive=True, group="risks-change")
    async def action_new_risk(self) -> None:
        from desta_tui.ui.screens.meetings.meeting_forms import RiskForm

        saved = await self.app.push_screen_wait(RiskForm(self.consortium_uuid))
        if saved is not None:
            self.refresh_data()
            self.query_one(RecordTable).move_to_key(saved.uuid)
            self.say(f"Risk added: {saved.title}, {saved.score_text}.")

    @on(RecordTable.Selected, "#risks-table")
    def _selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self.action_edit_risk()

    @work(exclusive=True, group="risks-change")
    async def action_edit_risk(self) -> None:
        from desta_tui.ui.screens.meetings.meeting_forms import RiskForm

        risk = self._current()
        if risk is None:
            return
        if await self.app.push_screen_wait(RiskForm(self.consortium_uuid, risk)) is not None:
            self.refresh_data()
            self.say("Risk saved.")

    @work(exclusive=True, group="risks-change")
    async def action_archive_risk(self) -> None:
        risk = self._current()
        if risk is None:
            return
        question = f"Archive the risk {risk.title!r} (entered in error)?"
        await archive_after_asking(
            self, question, risk.title, lambda: meetings.archive_risk(risk.uuid)
        )

    def action_undo_archive(self) -> None:
        undo_last_archive(
            self, meetings.undo_risk_archive, "Nothing to undo: you have not archived a risk."
        )
