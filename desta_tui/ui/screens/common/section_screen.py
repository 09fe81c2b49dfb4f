"""SectionScreen: the frame every section shares, with the section bar on top and the Footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from desta_tui.ui.sections import SECTIONS


class SectionBar(Static):
    """One line naming every section and its key, the current one marked."""

    DEFAULT_CSS = """
    SectionBar {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, current_mode: str) -> None:
        super().__init__(self._text(current_mode), markup=True)

    @staticmethod
    def _text(current_mode: str) -> str:
        parts = []
        for section in SECTIONS:
            label = f"{section.key} {section.title}"
            if section.mode == current_mode:
                # brackets and bold, so the current section reads without colour too
                parts.append(f"[b reverse] [{label}] [/]")
            else:
                parts.append(f" {label} ")
        return "".join(parts) + "   [dim]? help  ctrl+p find  ctrl+q quit[/]"


class SectionScreen(Screen):
    """A section: subclasses give `mode` and compose their body in `compose_body`."""

    mode = "dashboard"

    def compose(self) -> ComposeResult:
        yield SectionBar(self.mode)
        with Vertical(id="section-body"):
            yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    #: set when another screen covers this one: its data is read again on coming back
    _left = False

    def refresh_data(self) -> None:
        """Reload what the section shows; called when the section is shown again."""

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        # Textual resumes a screen as it first shows it (twice, for a mode's first screen),
        # just after the section read its data on mounting: a dashboard or list of a large hub
        # would be read three times before its first frame
        if self._left:
            self._left = False
            self.refresh_data()
