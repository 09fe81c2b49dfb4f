"""SteadyFooter shows the keys of what has focus, as Textual's Footer does, and builds them
again only when they change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button
from textual.widgets._footer import FooterKey

from desta_tui.db.database import current_database
from desta_tui.ui.app import DestaApp
from desta_tui.ui.widgets.steady_footer import SteadyFooter


class SaveButton(Button):
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="test.save")]


class PrintButton(Button):
    BINDINGS = [
        Binding("f6", "print", "Print", id="test.print"),
        Binding("ctrl+o", "open", "Open", id="test.open"),
    ]


class Host(App):
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="test.quit")]

    def compose(self) -> ComposeResult:
        yield SaveButton("Save", id="save")
        yield PrintButton("Print", id="print")
        yield SteadyFooter()


def footer_keys(app: App) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey) if key.description]


async def test_the_footer_follows_focus_from_widget_to_widget():
    app = Host()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        app.screen.query_one("#save").focus()
        await pilot.pause()
        assert footer_keys(app) == ["Save", "Quit", "palette"]
        app.screen.query_one("#print").focus()
        await pilot.pause()
        assert footer_keys(app) == ["Print", "Open", "Quit", "palette"]
        app.set_focus(None)
        await pilot.pause()
        assert footer_keys(app) == ["Quit", "palette"]


async def test_a_section_builds_its_footer_keys_once(demo_db, monkeypatch):
    made = []
    init = FooterKey.__init__

    def counted(self, *args, **kwargs):
        made.append(args[2])  # the description
        init(self, *args, **kwargs)

    monkeypatch.setattr(FooterKey, "__init__", counted)
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "dashboard"
        shown = footer_keys(app)
        assert shown  # the dashboard's keys are in its footer
    # Textual's Footer built them three times as the dashboard was first shown
    assert sorted(made) == sorted(shown)
