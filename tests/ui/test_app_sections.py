"""The app shell through the keyboard: every section by number, help, palette, and typing digits."""

from __future__ import annotations

import asyncio

from textual.widgets import Input

from desta_tui.db.database import current_database
from desta_tui.ui.app import DestaApp
from desta_tui.ui.sections import SECTIONS
from tests.waiting import wait_for_palette_match, wait_for_screen, wait_until


async def test_number_keys_switch_every_section(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.current_mode == "dashboard"
        for section in reversed(SECTIONS):
            await pilot.press(section.key)
            await pilot.pause()
            assert app.current_mode == section.mode
            assert type(app.screen).__name__.lower().startswith(section.mode[:4])


async def test_dashboard_shows_real_counts(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#dashboard-summary").render())
        assert "Members (active):" in text
        # contracts by stage are lines of the dashboard list, each opening the Contracts section
        lines = app.screen.query_one("#dashboard-lines").rows
        stages = [" ".join(row.cells) for row in lines if row.key.startswith("stage|")]
        assert any("In delivery" in line and "£670,000" in line for line in stages)


async def test_typing_a_digit_in_a_text_field_types_it(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        field = app.screen.query_one("#settings-user-name", Input)
        await pilot.press("tab")
        assert app.focused is field
        await pilot.press("1", "2", "3")
        assert field.value == "123"
        assert app.current_mode == "settings"


async def test_settings_shows_database_and_saves_user_name(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        shown = str(app.screen.query_one("#settings-database").render())
        assert str(demo_db.name) in shown
        await pilot.press("tab", *"Shani Lee")
        await pilot.press("ctrl+s")
        await pilot.pause()
        from desta_tui.services.context import current_user

        assert current_user() == "Shani Lee"


async def test_question_mark_opens_help_listing_keys(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_palette_jumps_to_a_section(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Go to Contracts")
        await wait_for_palette_match(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "contracts"


async def test_ctrl_q_quits(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.is_running and app.return_code is None
        await pilot.press("ctrl+q")
        # the app stops its own message loop; leaving this block would stop it anyway, so the
        # test looks while still inside it (a bounded wait on the condition, not a timing)
        for _turn in range(500):
            if not app.is_running:
                break
            await asyncio.sleep(0.01)
        assert not app.is_running, "ctrl+q left the app running"
        assert app.return_code == 0


async def test_app_opens_its_database_after_the_first_frame(demo_template, tmp_path):
    import shutil

    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    app = DestaApp(target=str(path))
    async with app.run_test(size=(120, 36)) as pilot:
        # the database opens after the first frame: wait for what it leads to
        await wait_for_screen(pilot, "DashboardScreen")
        assert app.database is not None and app.database.path == path.resolve()


async def test_the_collector_runs_again_once_the_dashboard_is_drawn(demo_template, tmp_path):
    import gc
    import shutil

    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    app = DestaApp(target=str(path))
    async with app.run_test(size=(120, 36)) as pilot:
        # the database opens after the first frame: wait for what it leads to
        await wait_for_screen(pilot, "DashboardScreen")
        assert gc.isenabled(), "the collector was left paused after the start"
        assert gc.get_freeze_count() > 0, "the start-up objects were not set aside"


async def test_once_started_the_collector_looks_less_often(demo_template, tmp_path, monkeypatch):
    import gc
    import shutil

    import desta_tui.ui.app as app_module
    from desta_tui.collector import YOUNG_COLLECTION_THRESHOLD

    thresholds = gc.get_threshold()
    monkeypatch.setattr(app_module, "_start_up_frozen", False)  # as in a fresh process
    gc.set_threshold(700, thresholds[1], thresholds[2])  # CPython's default
    try:
        path = tmp_path / "demo.sqlite3"
        shutil.copyfile(demo_template, path)
        app = DestaApp(target=str(path))
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for_screen(pilot, "DashboardScreen")
            await wait_until(pilot, gc.isenabled, "the collector to run again")
            assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, *thresholds[1:])
    finally:
        gc.set_threshold(*thresholds)


async def test_the_app_closes_the_file_it_opened_when_it_quits(demo_template, tmp_path):
    import shutil

    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    app = DestaApp(target=str(path))
    async with app.run_test(size=(120, 36)) as pilot:
        # the database opens after the first frame: wait for what it leads to
        await wait_for_screen(pilot, "DashboardScreen")
        assert path.with_name(path.name + "-wal").exists()  # open, in WAL mode
    # the last connection closed cleanly: SQLite folded the WAL into the file and removed it
    assert not path.with_name(path.name + "-wal").exists()


def test_making_the_app_loads_no_database_layer():
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from desta_tui.ui.app import DestaApp\n"
        "DestaApp(target='x.sqlite3')\n"
        "print([m for m in ('peewee', 'desta_tui.db.models', 'desta_tui.services.drafts')"
        " if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", "the first frame would wait for " + result.stdout


def start_message(app) -> str:
    return str(app.screen.query_one("#start-message").render())


async def test_a_database_that_cannot_open_is_explained_in_the_window(tmp_path):
    app = DestaApp(target=str(tmp_path / "missing-folder" / "x.sqlite3"))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: "cannot be opened" in start_message(app), "the reason")
        text = start_message(app)
        assert "cannot be opened" in text and "does not exist" in text
        await pilot.press("2")  # sections stay shut without a database
        assert type(app.screen).__name__ == "StartScreen"
        import gc

        assert gc.isenabled(), "the collector was left paused after a failed start"
    assert "does not exist" in app.open_error


def test_every_palette_provider_is_registered():
    import inspect

    from textual.command import Provider

    from desta_tui.ui import commands
    from desta_tui.ui.app import PALETTE_PROVIDERS

    defined = {
        name
        for name, value in vars(commands).items()
        if inspect.isclass(value)
        and issubclass(value, Provider)
        and value is not Provider
        and value not in commands.BASE_PROVIDERS
        and value.__module__ == commands.__name__
    }
    assert defined == set(PALETTE_PROVIDERS)


def test_the_section_keys_are_one_to_eight_with_meetings_sixth():
    assert [(section.key, section.title) for section in SECTIONS] == [
        ("1", "Dashboard"),
        ("2", "Members"),
        ("3", "Contracts"),
        ("4", "Performance"),
        ("5", "Tickets"),
        ("6", "Meetings"),
        ("7", "Reports"),
        ("8", "Settings"),
    ]


async def test_a_section_first_shown_is_styled_without_parsing_every_stylesheet_again(
    demo_db, monkeypatch
):
    """Textual re-parses all CSS when a mode's first screen seems to have missed a change to
    it; a section made as it is shown has missed none (the parse cost the start ~25 ms)."""
    from textual.css.stylesheet import Stylesheet

    parses = []
    reparse = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: parses.append(1) or reparse(self))
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.current_mode == "dashboard"
        dashboard_bar = app.screen.query_one("SectionBar").styles
        await pilot.press("2")
        await pilot.pause()
        assert app.current_mode == "members"
        members_bar = app.screen.query_one("SectionBar").styles
        # styled all the same, from the app's stylesheet
        assert (members_bar.background, members_bar.color, members_bar.height) == (
            dashboard_bar.background,
            dashboard_bar.color,
            dashboard_bar.height,
        )
    assert parses == []
