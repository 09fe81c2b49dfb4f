"""DestaApp: the seven sections as modes, the command palette, help and quit."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive

from desta_tui.db.database import DatabaseInfo
from desta_tui.ui.commands import SectionsProvider
from desta_tui.ui.sections import SECTIONS


class DestaApp(App):
    """Desta hub desk."""

    TITLE = "Desta hub desk"
    # absolute, so subclasses defined elsewhere (benchmarks, tests) find it too
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {SectionsProvider}
    MODES: ClassVar = {section.mode: section.make_screen for section in SECTIONS}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("question_mark", "help", "Help", id="app.help"),
        *[
            Binding(
                section.key,
                f"switch_mode('{section.mode}')",
                section.title,
                id=f"app.section.{section.mode}",
                show=False,
            )
            for section in SECTIONS
        ],
    ]

    consortium_uuid: reactive[str | None] = reactive(None)
    """The consortium the sections show; None for all."""

    def __init__(self, database: DatabaseInfo | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.database = database

    def on_mount(self) -> None:
        self.switch_mode("dashboard")

    def action_help(self) -> None:
        from desta_tui.ui.screens.help_screen import HelpScreen

        self.push_screen(HelpScreen())
