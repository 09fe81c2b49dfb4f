"""The key footer shows the keys of what has the focus, built again only when they change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, Static
from textual.widgets._footer import FooterKey

from desta_tui.db.database import current_database
from desta_tui.ui.app import DestaApp
from desta_tui.ui.widgets.key_footer import KeyFooter
from tests.waiting import settle, wait_until


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
        # the footer fills in once the screen's bindings are ready, after a refresh
        await wait_until(pilot, lambda: "Save" in descriptions(app), "the footer's keys")
        assert app.focused.id == "first"
        assert "Cross out" not in descriptions(app)
        shown = keys_on_show(app)
        await pilot.press("tab")  # the second field: the same keys
        await settle(pilot)
        assert app.focused.id == "second"
        assert keys_on_show(app) == shown, "the footer was built again for the same keys"


async def test_the_footer_follows_the_keys_of_what_has_the_focus():
    app = FooterApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await wait_until(pilot, lambda: "Save" in descriptions(app), "the footer's keys")
        await pilot.press("tab", "tab")  # the line, which has a key of its own
        await wait_until(pilot, lambda: "Cross out" in descriptions(app), "the line's key")
        assert app.focused.id == "line" and "Save" in descriptions(app)
        await pilot.press("shift+tab")
        await wait_until(pilot, lambda: "Cross out" not in descriptions(app), "the key gone")
        assert app.focused.id == "second"


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
        yield KeyFooter()


def footer_keys(app: App) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey) if key.description]


async def test_the_footer_follows_focus_from_widget_to_widget():
    app = Host()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        for focus, keys in (
            ("#save", ["Save", "Quit", "palette"]),
            ("#print", ["Print", "Open", "Quit", "palette"]),
            (None, ["Quit", "palette"]),
        ):
            app.set_focus(app.screen.query_one(focus) if focus else None)
            await wait_until(pilot, lambda keys=keys: footer_keys(app) == keys, f"{keys}")


async def test_a_section_builds_its_footer_keys_once(demo_db, monkeypatch):
    made = []
    init = FooterKey.__init__

    def counted(self, *args, **kwargs):
        made.append(args[2])  # the description
        init(self, *args, **kwargs)

    monkeypatch.setattr(FooterKey, "__init__", counted)
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: footer_keys(app), "the dashboard's footer keys")
        await settle(pilot)
        assert app.current_mode == "dashboard"
        shown = footer_keys(app)
        assert shown  # the dashboard's keys are in its footer
    # Textual's Footer built them three times as the dashboard was first shown
    assert sorted(made) == sorted(shown)


class OneFooter(App):
    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("ctrl+r", "reload", "Reload")]

    def __init__(self, footer) -> None:
        super().__init__()
        self.footer = footer

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield self.footer


async def test_each_key_is_styled_once_and_looks_as_in_textuals_footer():
    from textual.widgets import Footer

    for compact in (False, True):
        shown = {}
        for footer_class in (Footer, KeyFooter):
            app = OneFooter(footer_class(compact=compact))
            restyled: list[str] = []
            update_styles = app.update_styles

            def spy(node, animate=True, update_styles=update_styles, restyled=restyled):
                restyled.append(type(node).__name__)
                update_styles(node, animate)

            app.update_styles = spy
            async with app.run_test(size=(60, 4)) as pilot:
                await wait_until(
                    pilot, lambda app=app: app.screen.query(".-command-palette"), "the footer"
                )
                await settle(pilot)
                palette = app.screen.query_one(".-command-palette")
                keys = [key for key in keys_on_show(app) if key is not palette]
                assert [key.description for key in keys] == ["Save", "Reload"]
                assert all(key.has_class("-compact") == compact for key in keys), footer_class
                shown[footer_class] = app.export_screenshot(simplify=True)
            if footer_class is KeyFooter:
                # the keys bound to the footer's `compact` were not restyled one by one: only
                # the palette's key (not bound) took its own compact style as it mounted
                assert restyled.count("FooterKey") == 1, compact
        assert shown[KeyFooter] == shown[Footer], f"compact={compact}"
