"""StartScreen: the first frame, shown while the database opens in the background."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from desta_tui.ui.screens.common.section_screen import SectionScreen


class StartScreen(SectionScreen):
    """Says which database is opening; shows the reason if it cannot be opened."""

    mode = "starting"

    def __init__(self, target_label: str = "") -> None:
        super().__init__()
        self.target_label = target_label

    def compose_body(self) -> ComposeResult:
        yield Static(f"Opening {self.target_label} …", id="start-message")

    def show_failure(self, message: str) -> None:
        self.query_one("#start-message", Static).update(
            f"[b]The database cannot be opened.[/b]\n\n{message}\n\nPress ctrl+q to quit."
        )
