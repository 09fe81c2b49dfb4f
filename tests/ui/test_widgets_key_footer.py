"""The key footer shows the keys of what has the focus, built again only when they change."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from desta_tui.ui.widgets.key_footer import KeyFooter


class Crossable(Static, can_focus=True):
    BINDINGS = [Binding("x", "cross", "Cross out")]

    def action_cross(self) -> None:
        self.update("crossed")


class FooterApp(App):
    BINDINGS = [Binding("ctrl+s", "save", "Save")]

    def compose(self):
        yield Input(id="first")
        yield Input(id="second")
        yield Crossable("a line", id="line")
        yield KeyFooter()


def keys_on_show(app) -> list:
    return list(app.screen.query(FooterKey))


def descriptions(app) -> list[str]:
    return [key.description for key in keys_on_show(app)]


async def test_moving_between_fields_with_the_same_keys_keeps_the_footer_as_it_is():
    app = FooterApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        assert app.focused.id == "first"
        assert "Save" in descriptions(app) and "Cross out" not in descriptions(app)
        shown = keys_on_show(app)
        await pilot.press("tab")  # the second field: the same keys
        await pilot.pause()
        assert app.focused.id == "second"
        assert keys_on_show(app) == shown, "the footer was built again for the same keys"


async def test_the_footer_follows_the_keys_of_what_has_the_focus():
    app = FooterApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab")  # the line, which has a key of its own
        await pilot.pause()
        assert app.focused.id == "line"
        assert "Cross out" in descriptions(app) and "Save" in descriptions(app)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused.id == "second"
        assert "Cross out" not in descriptions(app)
