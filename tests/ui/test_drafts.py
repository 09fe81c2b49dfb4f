"""Drafts: what is typed is kept as a draft about a second after the last key, survives a
`kill -9` and a closed terminal, is offered back when the same form or month opens, and goes
once saved or discarded."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from desta_tui.db.database import close_database, current_database, open_database
from desta_tui.services import drafts
from desta_tui.ui.app import DestaApp
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.widgets.confirm_modal import RestoreDraftModal
from desta_tui.ui.widgets.returns_grid import ReturnsGrid

SIZE = (120, 36)
NEW_ORGANISATION = ("organisation", "new")
WORKTREE = Path(__file__).resolve().parents[2]


async def until(pilot, condition, what: str = "the condition", tries: int = 400) -> None:
    """Wait for `condition()` a frame at a time (the draft is written a second after typing)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"waited in vain for {what}")


def draft_of(key) -> dict | None:
    found = drafts.get_draft(*key)
    return found.values if found else None


# --- in the app ----------------------------------------------------------------------------------


async def test_a_form_is_kept_as_typed_offered_back_and_gone_once_saved(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "n", *"Laczy Trust")
        await until(pilot, lambda: draft_of(NEW_ORGANISATION) == {"name": "Laczy Trust"},
                    "the draft")  # fmt: skip
        await pilot.press(*" CIC")
        await until(pilot, lambda: draft_of(NEW_ORGANISATION) == {"name": "Laczy Trust CIC"},
                    "the draft to follow the typing")  # fmt: skip
    # the app went without a save or a discard (as a crash would): the draft stays
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        told = lambda: any("kept from last time" in n.message for n in app._notifications)  # noqa: E731
        await until(pilot, told, "word of the draft")
        await pilot.press("2", "n")
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftModal), "the offer")
        assert "Restore what you typed on" in app.screen.question
        assert app.screen.focused_label == "Restore"
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        name = form.query_one("#name-input", Input)
        assert name.value == "Laczy Trust CIC" and app.focused is name
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, FormScreen), "the save")
        await until(pilot, lambda: draft_of(NEW_ORGANISATION) is None, "the draft to go")


async def test_drafts_left_are_told_once_the_dashboard_shows_its_figures(demo_file, monkeypatch):
    """The notice (and the file's checks) wait for the dashboard's first frame with data, and
    still come: nothing typed last time goes unmentioned."""
    from desta_tui.ui import data_safety
    from desta_tui.ui import drafts as ui_drafts

    open_database(str(demo_file))
    drafts.save_draft(*NEW_ORGANISATION, {"name": "Laczy Trust"})
    close_database()
    app = DestaApp(target=str(demo_file))
    shown_when_run: dict[str, bool] = {}

    def after_the_figures(name, work):
        def spy(*args) -> None:
            shown_when_run[name] = getattr(app.screen, "summary", None) is not None
            work(*args)

        return spy

    monkeypatch.setattr(ui_drafts, "tell_drafts_left",
                        after_the_figures("drafts", ui_drafts.tell_drafts_left))  # fmt: skip
    monkeypatch.setattr(data_safety, "on_database_open",
                        after_the_figures("safety", data_safety.on_database_open))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        told = lambda: any("kept from last time" in n.message for n in app._notifications)  # noqa: E731
        await until(pilot, told, "word of the draft")
        assert shown_when_run == {"drafts": True, "safety": True}


async def test_a_draft_the_record_already_holds_is_not_offered(demo_db):
    from desta_tui.services import members

    rain = members.list_organisations("rain trust").rows[0]
    drafts.save_draft("organisation", rain.uuid, {"name": "Rain Trust"})
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"rain trust", "enter", "e")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        await until(pilot, lambda: draft_of(("organisation", rain.uuid)) is None, "it to go")
        assert isinstance(app.screen, FormScreen)


async def test_discarding_the_offer_or_the_form_deletes_the_draft(demo_db):
    drafts.save_draft(*NEW_ORGANISATION, {"name": "Laczy Trust"})
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "n")
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftModal), "the offer")
        await pilot.press("escape")  # neither: the draft stays for next time
        await pilot.pause()
        assert draft_of(NEW_ORGANISATION) == {"name": "Laczy Trust"}
        form = app.screen
        assert form.query_one("#name-input", Input).value == ""
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftModal), "the offer")
        await pilot.press("right", "enter")  # Discard
        await until(pilot, lambda: draft_of(NEW_ORGANISATION) is None, "the draft to go")
        # typed, then left with Discard: no draft either
        await pilot.press(*"Someone")
        await until(pilot, lambda: draft_of(NEW_ORGANISATION) is not None, "the draft")
        await pilot.press("escape", "left", "enter")
        await until(pilot, lambda: draft_of(NEW_ORGANISATION) is None, "the draft to go")


async def test_a_month_of_the_grid_is_kept_and_offered_back(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: type(app.screen).__name__ == "PerformanceScreen", "section 4")
        await pilot.press("g", "9", "right", "7")
        grid = app.screen.query_one(ReturnsGrid)
        church = grid.month.rows[0].partner_uuid
        key = (drafts.RETURNS_KIND, f"{grid.month.contract_uuid}:{grid.month.period.key}")
        await until(pilot, lambda: draft_of(key) == {church: {"enrolments": "9",
                    "completions": "7"}}, "the month's draft")  # fmt: skip
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftModal), "the offer")
        assert "2 cells of October 2012" in app.screen.question
        await pilot.press("enter")
        await pilot.pause()
        grid = app.screen.query_one(ReturnsGrid)
        assert grid.typed == {church: {"enrolments": "9", "completions": "7"}}
        assert app.focused is grid
        await pilot.press("ctrl+s")
        await until(pilot, lambda: draft_of(key) is None, "the draft to go once saved")
        assert not grid.is_dirty


# --- a real process, a real terminal ---------------------------------------------------------


class TerminalApp:
    """`python -m desta_tui --db FILE` on a pseudo-terminal, typed at as a person would."""

    def __init__(self, database: Path) -> None:
        import fcntl
        import termios

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        env = {**os.environ, "PYTHONPATH": str(WORKTREE), "TERM": "xterm-256color",
               "COLUMNS": str(SIZE[0]), "LINES": str(SIZE[1])}  # fmt: skip
        self.process = subprocess.Popen(
            [sys.executable, "-m", "desta_tui", "--db", str(database)],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
            close_fds=True,
        )  # fmt: skip
        os.close(slave)
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def screen_text(self) -> str:
        return re.sub(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]", "", self.output.decode("utf-8", "replace"))

    def wait_for_text(self, text: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen_text():
                return
            assert self.process.poll() is None, self.screen_text()[-2000:]
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared on the terminal")

    def type(self, keys: str) -> None:
        for key in keys:
            os.write(self.master, key.encode())
            time.sleep(0.02)  # a person's pace, one key per read

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        os.close(self.master)


def wait_for_draft(database: Path, wanted: str, timeout: float = 60) -> dict:
    """Read the draft row straight from the file, as another program would."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
        try:
            rows = connection.execute(
                "SELECT values_json FROM draft WHERE kind = 'organisation' AND record_key = 'new'"
            ).fetchall()
        except sqlite3.OperationalError:
            rows = []
        finally:
            connection.close()
        for (values_json,) in rows:
            values = json.loads(values_json)
            if values.get("name") == wanted:
                return values
        time.sleep(0.05)
    raise AssertionError(f"no draft holding {wanted!r} was written")


@pytest.fixture
def demo_file(demo_db) -> Path:
    """The demo database, closed here so only the app in the terminal has it open."""
    close_database()
    return Path(demo_db)


async def open_new_organisation_and_restore(path: Path, name: str) -> None:
    open_database(str(path))
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "n")
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftModal), "the offer")
        assert "Restore what you typed on" in app.screen.question
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#name-input", Input).value == name


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
async def test_a_draft_survives_kill_9(demo_file):
    terminal = TerminalApp(demo_file)
    try:
        terminal.wait_for_text("Expert Patient")  # the dashboard, with the database open
        terminal.type("2")
        terminal.wait_for_text("All consortia")
        terminal.type("n")
        terminal.wait_for_text("New organisation")
        terminal.type("Laczy Trust")
        wait_for_draft(demo_file, "Laczy Trust")
        terminal.process.send_signal(signal.SIGKILL)
        assert terminal.process.wait(timeout=30) == -signal.SIGKILL
    finally:
        terminal.close()
    await open_new_organisation_and_restore(demo_file, "Laczy Trust")


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs SIGHUP")
async def test_closing_the_terminal_keeps_what_was_typed_a_moment_ago(demo_file):
    terminal = TerminalApp(demo_file)
    try:
        terminal.wait_for_text("Expert Patient")
        terminal.type("2")
        terminal.wait_for_text("All consortia")
        terminal.type("n")
        terminal.wait_for_text("New organisation")
        terminal.type("Hangup Trus")
        terminal.wait_for_text("Hangup Trus")
        terminal.type("t")
        # on screen: no second has gone by for the draft, and the terminal goes away now
        terminal.wait_for_text("Hangup Trust")
        terminal.process.send_signal(signal.SIGHUP)  # what closing the terminal window sends
        assert terminal.process.wait(timeout=60) == 0  # it left in good order, not killed
    finally:
        terminal.close()
    assert wait_for_draft(demo_file, "Hangup Trust", timeout=1) == {"name": "Hangup Trust"}
    await open_new_organisation_and_restore(demo_file, "Hangup Trust")
