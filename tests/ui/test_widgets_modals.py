"""ConfirmModal, ReasonModal and HelpScreen, driven from the keyboard."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from desta_tui.ui.screens.common.help_screen import HelpScreen, help_groups
from desta_tui.ui.widgets.confirm_modal import ConfirmModal, ReasonModal
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row


class ModalHost(App[None]):
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("n", "new", "New member", id="members.new"),
        Binding("a", "archive", "Archive", id="members.archive"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield RecordTable([Column("name", "Name")], id="members")

    def on_mount(self) -> None:
        table = self.query_one(RecordTable)
        table.set_rows([Row("k1", ("Rain Trust",))])
        table.focus()

    def ask(self, screen: Any) -> None:
        self.push_screen(screen, self.results.append)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_new(self) -> None:
        pass

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # archiving is shown but not available, to check the help marks it
        return None if action == "archive" else True


async def test_confirm_modal_y_and_enter_confirm() -> None:
    app = ModalHost()
    async with app.run_test(size=(80, 24)) as pilot:
        app.ask(ConfirmModal("Archive Rain Trust?", "Archive", "Keep"))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "Archive Rain Trust?" in str(
            app.screen.query_one(".modal--question", Static).render()
        )
        await pilot.press("y")
        await pilot.pause()
        app.ask(ConfirmModal("Archive Ealing CVS?"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [True, True]
        assert not isinstance(app.screen, ConfirmModal)


async def test_confirm_modal_n_and_escape_cancel() -> None:
    app = ModalHost()
    async with app.run_test(size=(80, 24)) as pilot:
        app.ask(ConfirmModal("Archive Rain Trust?"))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.ask(ConfirmModal("Archive Rain Trust?"))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [False, False]


async def test_confirm_modal_enter_on_the_no_button_cancels() -> None:
    app = ModalHost()
    async with app.run_test(size=(80, 24)) as pilot:
        app.ask(ConfirmModal("Archive Rain Trust?"))
        await pilot.pause()
        await pilot.press("tab", "enter")  # focus moves to the No button
        await pilot.pause()
        assert app.results == [False]


async def test_reason_modal_needs_a_reason() -> None:
    app = ModalHost()
    async with app.run_test(size=(80, 24)) as pilot:
        app.ask(ReasonModal("Move the Expert Patient contract back to Tender?"))
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ReasonModal)
        assert isinstance(app.focused, Input)
        await pilot.press("space", "enter")  # blank is not a reason
        await pilot.pause()
        assert app.screen is modal
        error = modal.query_one("#reason-error", Static)
        assert error.display
        assert "Enter a reason" in str(error.render())
        assert app.results == []
        await pilot.press(*"Commissioner reopened the tender", "enter")
        await pilot.pause()
        assert app.results == ["Commissioner reopened the tender"]
        assert app.screen is not modal


async def test_reason_modal_escape_gives_none() -> None:
    app = ModalHost()
    async with app.run_test(size=(80, 24)) as pilot:
        app.ask(ReasonModal("Why reallocate?"))
        await pilot.pause()
        await pilot.press("n", "o", "escape")  # n types, it does not cancel
        await pilot.pause()
        assert app.results == [None]


async def test_help_screen_lists_active_bindings_grouped_and_closes() -> None:
    app = ModalHost()
    async with app.run_test(size=(100, 40)) as pilot:
        groups = help_groups(app.screen)
        titles = [group.title for group in groups]
        assert titles[0] == "Record table"  # the focused widget first
        assert titles[-1] == "Anywhere"
        table_entries = {entry.description: entry.keys for entry in groups[0].entries}
        assert table_entries["Sort"] == "s"
        assert table_entries["Open"] == app.get_key_display(Binding("enter", "x"))
        app_entries = {entry.description: entry for entry in groups[-1].entries}
        assert app_entries["New member"].keys == "n"
        assert app_entries["Archive"].enabled is False

        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert [group.title for group in help_screen.groups] == titles
        text = help_screen.as_text()
        assert "New member" in text and "not available now" in text
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        for key in ("escape", "question_mark"):
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)


async def test_help_screen_shows_keys_as_remapped_by_the_keymap() -> None:
    app = ModalHost()
    async with app.run_test(size=(100, 40)) as pilot:
        app.set_keymap({"members.new": "ctrl+n", "record_table.sort": "f4"})
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        entries = {
            entry.description: entry.keys for group in app.screen.groups for entry in group.entries
        }
        assert entries["New member"] == "^n"
        assert entries["Sort"] == "f4"
