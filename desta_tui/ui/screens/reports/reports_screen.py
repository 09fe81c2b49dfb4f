"""ReportsScreen: section 7, the SMG or board pack for a consortium and month, built in a worker."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Label, ProgressBar, Select, Static

from desta_tui.domain.errors import DestaError
from desta_tui.services.lookups import consortium_choices
from desta_tui.services.reporting.consortium import default_pack_period, find_consortium
from desta_tui.ui.screens.common.section_screen import SectionScreen

PACK_KINDS = [("Service Management Group pack", "smg"), ("Board pack", "board")]
STEPS = ("Gathering the figures", "Writing the PDF")


class ReportsScreen(SectionScreen):
    """Choose consortium, month and pack; `ctrl+b` builds it in a worker and shows the file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+b", "build_pack", "Build pack", id="reports.build", priority=True),
        Binding("escape", "leave_field", "Leave field", id="reports.leave_field", show=False),
    ]

    DEFAULT_CSS = """
    ReportsScreen {
        & #reports-form { height: auto; padding: 0 1; }
        & Label { margin-top: 1; }
        & Select, & Input { width: 60; }
        & #reports-progress { margin-top: 1; }
        & #reports-status { margin-top: 1; height: auto; }
        & #reports-status.-error { color: $error; text-style: bold; }
    }
    """

    # nothing takes the keys on arrival, so 1..8 still switch sections; tab moves in
    AUTO_FOCUS = ""

    mode = "reports"

    def compose_body(self) -> ComposeResult:
        yield Static(
            "[b]Reports[/b]: the meeting pack, as a PDF ready to print", id="reports-title"
        )
        yield Label("Consortium")
        choices = consortium_choices()
        yield Select(
            choices,
            id="reports-consortium",
            allow_blank=not choices,
            value=self.default_consortium(choices) or Select.NULL,
        )
        yield Label("Month (like 2012-10 or Oct 2012)")
        yield Input(id="reports-period")
        yield Label("Pack")
        yield Select(PACK_KINDS, id="reports-kind", value="smg", allow_blank=False)
        yield Label("Save as (blank: your documents folder)")
        yield Input(id="reports-output", placeholder="desta-smg-pack-YYYY-MM.pdf")
        yield ProgressBar(total=len(STEPS) + 1, id="reports-progress", show_eta=False)
        yield Static("Press ctrl+b to build the pack.", id="reports-status", markup=False)

    def default_consortium(self, choices: list[tuple[str, str]]) -> str | None:
        """The app's chosen consortium, else the one whose SMG needs a pack."""
        chosen = getattr(self.app, "consortium_uuid", None)
        if chosen in {uuid for _, uuid in choices}:
            return chosen
        if not choices:
            return None
        try:
            return find_consortium(None).uuid
        except DestaError:
            return None

    def on_mount(self) -> None:
        self.query_one("#reports-period", Input).value = default_pack_period().key

    def action_leave_field(self) -> None:
        self.set_focus(None)

    @on(Input.Submitted, "#reports-period")
    @on(Input.Submitted, "#reports-output")
    def submitted(self) -> None:
        self.action_build_pack()

    def action_build_pack(self) -> None:
        consortium = self.query_one("#reports-consortium", Select).value
        if consortium in (Select.BLANK, Select.NULL):
            self.show_status("Choose a consortium first.", error=True)
            return
        names = {uuid: name for name, uuid in consortium_choices()}
        period = self.query_one("#reports-period", Input).value
        board = self.query_one("#reports-kind", Select).value == "board"
        output = self.query_one("#reports-output", Input).value.strip() or None
        self.query_one("#reports-progress", ProgressBar).update(progress=0)
        self.show_status("Building the pack...")
        self.build_pack(names.get(str(consortium)), period, output, board)

    @work(thread=True, exclusive=True, group="reports-pack", exit_on_error=False)
    def build_pack(
        self, consortium: str | None, period: str, output: str | None, board: bool
    ) -> Path | None:
        """Gather and write the pack off the UI thread; the screen hears of each step."""
        from desta_tui.reports.printing import print_pack
        from desta_tui.services.session import release_thread_connection

        def step(text: str) -> None:
            self.app.call_from_thread(self.advance, text)

        try:
            path = print_pack(consortium, period, output, board=board, progress=step)
        except DestaError as error:
            self.app.call_from_thread(self.show_status, str(error), error=True)
            return None
        except Exception as error:  # shown on the screen, never raised into the app
            self.app.call_from_thread(
                self.show_status, f"Could not build the pack: {error}", error=True
            )
            return None
        finally:
            release_thread_connection()
        self.app.call_from_thread(self.finished, path)
        return path

    def advance(self, text: str) -> None:
        self.query_one("#reports-progress", ProgressBar).advance(1)
        self.show_status(f"{text}...")

    def finished(self, path: Path) -> None:
        bar = self.query_one("#reports-progress", ProgressBar)
        bar.update(progress=bar.total)
        self.show_status(f"Written to {path}")
        self.app.notify(f"Pack written to {path}", title="PDF written", timeout=10)

    def show_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#reports-status", Static)
        status.update(text)  # markup is off: a path or a message may hold brackets
        status.set_class(error, "-error")
        if error:
            self.query_one("#reports-progress", ProgressBar).update(progress=0)
