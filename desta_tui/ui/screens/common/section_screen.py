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

    def __init__(self, current_mode: str, unsaved: set[str] | frozenset[str] = frozenset()) -> None:
        super().__init__(self._text(current_mode, unsaved), markup=True)
        self.current_mode = current_mode
        self.unsaved = set(unsaved)

    def mark_unsaved(self, modes: set[str]) -> None:
        """Put • after the name of every section holding unsaved work (a form, typed cells)."""
        if set(modes) != self.unsaved:
            self.unsaved = set(modes)
            self.update(self._text(self.current_mode, self.unsaved))

    @staticmethod
    def _text(current_mode: str, unsaved: set[str] | frozenset[str] = frozenset()) -> str:
        parts = []
        for section in SECTIONS:
            label = f"{section.key} {section.title}"
            # the mark takes the place of the space after the name: the bar keeps its width
            after = "•" if section.mode in unsaved else " "
            if section.mode == current_mode:
                # brackets and bold, so the current section reads without colour too
                parts.append(f"[b reverse] [{label}]{after}[/]")
            else:
                parts.append(f" {label}{after}")
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

    def refresh_data(self) -> None:
        """Reload what the section shows; called when the section is shown again."""

    def on_screen_resume(self) -> None:
        self.refresh_data()
        from desta_tui.ui.unsaved import unsaved_modes

        self.query_one(SectionBar).mark_unsaved(unsaved_modes(self.app))
