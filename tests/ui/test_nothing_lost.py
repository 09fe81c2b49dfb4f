"""Issue 15, typed as a person would: quit and leave ask first, words typed outside a text field
change nothing, the grid refuses letters, focus has no invisible stops, and a save refused
because the database is locked is one sentence with nothing changed."""

from __future__ import annotations

import re
import sqlite3

import pytest
from textual.widgets import Input, TextArea

from desta_tui.db import preflight
from desta_tui.db.database import current_database, open_database
from desta_tui.services import contracts, members
from desta_tui.services import performance as perf
from desta_tui.services.history import history_page
from desta_tui.ui.app import DestaApp
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.screens.common.section_screen import SectionBar
from desta_tui.ui.screens.contracts.contract_screen import ContractScreen
from desta_tui.ui.screens.members.organisation_screen import OrganisationScreen
from desta_tui.ui.widgets.confirm_modal import ConfirmModal, UnsavedModal
from desta_tui.ui.widgets.returns_grid import ReturnsGrid

SIZE = (120, 36)
WESTWAY = "Westway Wellbeing Project"
EPS = "Expert Patient Service"


async def until(pilot, condition, what: str = "the condition") -> None:
    """Wait for `condition()` to hold, a frame at a time (no fixed sleeps)."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"waited in vain for {what}")


def section_bar(app) -> str:
    """The section bar under whatever dialog is open."""
    screen = next(s for s in reversed(app.screen_stack) if s.query(SectionBar))
    return str(screen.query_one(SectionBar).render())


def marked(app) -> set[str]:
    """The sections the bar marks with • (unsaved work in them)."""
    return set(re.findall(r"(\w+)\]?•", section_bar(app)))


async def open_grid(pilot) -> ReturnsGrid:
    await pilot.press("4")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "PerformanceScreen")
    await pilot.press("g")
    await pilot.pause()
    grid = pilot.app.screen.query_one(ReturnsGrid)
    assert pilot.app.focused is grid
    return grid


async def open_organisation(pilot, name: str) -> OrganisationScreen:
    await pilot.press("2", "slash", *name.lower(), "enter", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, OrganisationScreen))
    return pilot.app.screen


async def back_to(pilot, screen) -> None:
    """escape until `screen` shows again, discarding any form that asks."""
    for _ in range(10):
        if pilot.app.screen is screen:
            return
        if isinstance(pilot.app.screen, UnsavedModal):
            await pilot.press("left", "enter")  # Discard
        else:
            await pilot.press("escape")
        await pilot.pause()
    assert pilot.app.screen is screen


# --- quitting -----------------------------------------------------------------------------------


async def test_ctrl_q_with_an_unsaved_cell_asks_cancel_keeps_it_discard_quits(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot)
        church = grid.month.rows[0].partner_uuid
        await pilot.press("1", "2")  # mid-cell, not even committed with enter
        await pilot.pause()
        assert marked(app) == {"Performance"}
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedModal), "the question")
        assert "1 cell of Oct 2012 returns (Performance)" in app.screen.question
        assert app.screen.focused_label == "Cancel"
        await pilot.press("enter")  # Cancel: stay
        await pilot.pause()
        assert app.return_code is None  # still running
        assert app.focused is grid and grid.typed == {church: {"enrolments": "12"}}
        await pilot.press("3")  # the cell goes on being typed where it was
        assert grid.typed == {church: {"enrolments": "123"}}

        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedModal), "the question")
        await pilot.press("left", "enter")  # Discard
        await until(pilot, lambda: app.return_code is not None, "the app to quit")
    assert perf.missing_returns(perf.performance_contracts()[0].uuid, grid.month.period)[0] == (
        "Church Street Neighbourhood Trust"
    )


async def test_ctrl_q_on_a_half_typed_new_organisation_asks_and_save_saves(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("n", *"Laczy Trust")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert marked(app) == {"Members"}
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedModal), "the question")
        assert "New organisation (Members)" in app.screen.question
        await pilot.press("escape")  # escape: back, change nothing
        await pilot.pause()
        assert app.screen is form and app.return_code is None
        assert form.query_one("#name-input", Input).value == "Laczy Trust"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedModal), "the question")
        await pilot.press("left", "left", "enter")  # Save
        await until(pilot, lambda: app.return_code is not None, "the app to quit")
    assert "Laczy Trust" in [row.name for row in members.list_organisations("laczy trust").rows]


async def test_ctrl_q_with_nothing_unsaved_quits_at_once(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "ctrl+q")
        await until(pilot, lambda: app.return_code is not None, "the app to quit")


async def test_leaving_a_section_keeps_its_unsaved_work_and_the_bar_marks_it(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot)
        await pilot.press("1", "2", "enter", "tab")  # tab: out of the grid, cells kept
        await pilot.pause()
        typed = grid.typed
        await pilot.press("2")  # a section key: to Members
        await until(pilot, lambda: app.current_mode == "members", "Members")
        assert marked(app) == {"Performance"}
        await pilot.press("n", *"Laczy Trust")
        await pilot.pause()
        form = app.screen
        assert marked(app) == {"Members", "Performance"}
        # from a form, the palette moves on: the form stays where it is
        await pilot.press("ctrl+p", *"Go to Dashboard")
        await until(
            pilot,
            lambda: (
                app.screen.query("OptionList") and app.screen.query_one("OptionList").option_count
            ),
            "the palette's hits",
        )
        await pilot.press("enter")
        await until(pilot, lambda: app.current_mode == "dashboard", "the dashboard")
        assert marked(app) == {"Members", "Performance"}
        await pilot.press("4")
        await until(pilot, lambda: app.current_mode == "performance", "Performance")
        assert grid.typed == typed
        await pilot.press("2")
        await until(pilot, lambda: app.screen is form, "the form again")
        assert form.query_one("#name-input", Input).value == "Laczy Trust"


# --- escape then enter, out of habit ------------------------------------------------------------


async def test_escape_then_enter_on_a_dirty_grid_keeps_every_cell(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot)
        await pilot.press("9", "right", "7", "right", "2", "enter")
        await pilot.pause()
        typed = grid.typed
        assert sum(len(cells) for cells in typed.values()) == 3
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert app.focused is grid and grid.typed == typed
        # and on a ticket note
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("left", "enter")  # Discard: these cells were only for the test
        await pilot.pause()
        await pilot.press("5", "enter")
        await pilot.pause()
        await pilot.press("n", *"Phoned the tutor")
        await pilot.pause()
        note = app.screen
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert app.screen is note
        assert note.query_one("#text-input", TextArea).text == "Phoned the tutor"


# --- letters typed outside a text field -----------------------------------------------------------


def organisation_counts(uuid: str) -> tuple:
    detail = members.get_organisation(uuid)
    return (
        len(members.list_contacts(uuid)),
        len(members.list_memberships(uuid)),
        len(members.list_compliance(uuid)),
        len(members.organisation_history(uuid)),
        detail.name,
        detail.is_archived,
        history_page().total,
    )


def contract_counts(uuid: str) -> tuple:
    detail = contracts.get_contract(uuid)
    return (
        len(contracts.list_partners(uuid)),
        len(contracts.stage_history(uuid)),
        len(contracts.list_commissioner_contacts(uuid)),
        len(contracts.contract_history(uuid)),
        detail.title,
        detail.stage,
        history_page().total,
    )


# one test a tab: the tabs run side by side on the test workers
@pytest.mark.parametrize("tab_key", ["d", "c", "m", "p", "k", "y"])
async def test_typing_words_on_each_tab_of_an_organisation_changes_nothing(demo_db, tab_key):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_organisation(pilot, WESTWAY)
        before = organisation_counts(screen.uuid)
        for word in ("laczy", "test", "yes", "archive"):
            await back_to(pilot, screen)
            await pilot.press(tab_key)
            await pilot.pause()
            await pilot.press(*word)  # thinking the filter had focus
            await pilot.pause()
            assert organisation_counts(screen.uuid) == before, (tab_key, word)
        await back_to(pilot, screen)
        assert organisation_counts(screen.uuid) == before


@pytest.mark.parametrize("tab", range(5))  # the contract's five tabs, reached with right
async def test_typing_words_on_each_tab_of_a_contract_changes_nothing(demo_db, tab):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "slash", *EPS.lower(), "enter", "enter")
        await until(pilot, lambda: isinstance(app.screen, ContractScreen), "the contract")
        screen = app.screen
        before = contract_counts(screen.contract_uuid)
        for _ in range(tab):
            await pilot.press("right")  # the next tab
            await pilot.pause()
        for word in ("laczy", "test", "gay", "cancel"):
            await back_to(pilot, screen)
            await pilot.press(*word)
            await pilot.pause()
            assert contract_counts(screen.contract_uuid) == before, (tab, word)
        await back_to(pilot, screen)
        assert contract_counts(screen.contract_uuid) == before


async def test_laczy_on_the_compliance_tab_archives_no_paper(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_organisation(pilot, WESTWAY)
        papers = len(members.list_compliance(screen.uuid))
        await pilot.press("p", *"laczy")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)  # `a` asked; `c`, `z`, `y` answered nothing
        assert app.screen.focused_label == "Keep"
        await pilot.press("enter")
        await pilot.pause()
        assert len(members.list_compliance(screen.uuid)) == papers


async def test_a_letter_mid_cell_is_refused_not_a_key(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot)
        church = grid.month.rows[0].partner_uuid
        await pilot.press("1", "t", "2")  # `t` would open Set targets
        await pilot.pause()
        assert type(app.screen).__name__ == "PerformanceScreen"
        assert app.focused is grid and grid.typed == {church: {"enrolments": "12"}}
        await pilot.press("l")
        await pilot.pause()
        message = str(app.screen.query_one("#returns-message").render())
        assert "'l' was not typed" in message and "whole numbers" in message
        assert not perf.load_returns_grid(grid.month.contract_uuid, grid.month.period).is_locked


# --- focus --------------------------------------------------------------------------------------


async def test_after_a_failed_close_tab_visits_only_the_fields(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        await pilot.press("ctrl+s")  # no outcome: refused
        await pilot.pause()
        outcome = form.query_one("#outcome-input", TextArea)
        assert app.focused is outcome
        stops = []
        for _ in range(4):
            await pilot.press("tab")
            stops.append(app.focused.id)
        assert stops == ["status-input", "reason-input", "outcome-input", "status-input"]
        await pilot.press("shift+tab", *"Back at green")
        assert outcome.text == "Back at green"  # nothing typed vanishes


async def test_after_a_validation_error_the_cursor_is_at_the_end_with_nothing_selected(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "n", *"RAIN  trust", "tab")  # taken, ignoring case and spaces
        await pilot.pause()
        form = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        name = form.query_one("#name-input", Input)
        assert app.focused is name and form.query_one("#field-name").error
        assert name.selection.is_empty and name.cursor_position == len("RAIN  trust")
        await pilot.press(*" CIC")  # the first key adds to the entry, it does not replace it
        assert name.value == "RAIN  trust CIC"


# --- the database is locked by another program -------------------------------------------------


def lock_database(path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the write lock, as another program's save holds it
    return holder


async def test_archive_and_save_while_the_database_is_locked_say_one_sentence(demo_db, monkeypatch):
    monkeypatch.setattr(preflight, "BUSY_TIMEOUT_MS", 100)
    open_database(str(demo_db))  # again, with the short wait
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_organisation(pilot, WESTWAY)
        before = organisation_counts(screen.uuid)
        await pilot.press("p")
        await pilot.pause()
        holder = lock_database(demo_db)
        try:
            await pilot.press("a", "left", "enter")  # archive the paper, while locked
            await until(pilot, lambda: app._notifications, "a notification")
            sentences = [n.message for n in app._notifications]
            await pilot.press("8", "tab", *"Officer Locked", "ctrl+s")  # Settings, locked too
            await pilot.pause()
            settings_message = str(app.screen.query_one("#settings-message").render())
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert app.return_code is None and app._exception is None  # no traceback
        assert any("busy" in s and "Nothing was saved" in s for s in sentences)
        assert all("Traceback" not in s and "\n" not in s.strip() for s in sentences)
        assert "Not saved" in settings_message and "busy" in settings_message
        assert organisation_counts(screen.uuid)[:-1] == before[:-1]
        assert app.screen.query_one("#settings-user-name", Input).value == "Officer Locked"


async def test_escape_mid_cell_keeps_the_typing_and_a_second_escape_asks(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot)
        church = grid.month.rows[0].partner_uuid
        await pilot.press("1", "7", "escape")  # mid-cell
        await pilot.pause()
        assert app.focused is grid and grid.typed == {church: {"enrolments": "17"}}
        message = app.screen.query_one("#returns-message").render()
        assert "kept in the cell, not saved yet" in str(message)
        await pilot.press("escape")  # now it leaves, asking first: Cancel has the focus
        await pilot.pause()
        assert type(app.screen).__name__ != "PerformanceScreen"
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is grid and grid.typed == {church: {"enrolments": "17"}}


async def test_ctrl_z_puts_one_cell_back_and_keeps_the_others(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(pilot)
        church = grid.month.rows[0].partner_uuid
        saved = grid.month.rows[0].values.get("enrolments")
        await pilot.press("1", "7", "right", "4")  # one cell committed, one being typed
        await pilot.pause()
        assert grid.typed == {church: {"enrolments": "17", grid._codes[1]: "4"}}
        await pilot.press("ctrl+z")  # the cell being typed goes back
        await pilot.pause()
        assert grid.typed == {church: {"enrolments": "17"}}
        message = str(app.screen.query_one("#returns-message").render())
        assert "Back to the saved value" in message
        await pilot.press("left", "ctrl+z")  # the committed edit goes back too
        await until(pilot, lambda: not grid.is_dirty, "the grid to hold nothing unsaved")
        assert grid.typed == {}
        assert f"Back to the saved value: {saved if saved is not None else 'blank'}." in str(
            app.screen.query_one("#returns-message").render()
        )
        assert "Performance" not in marked(app)
        await pilot.press("ctrl+z")  # nothing left to undo: it says so, and changes nothing
        await pilot.pause()
        assert "no unsaved change to undo" in str(app.screen.query_one("#returns-message").render())
        await pilot.press("escape")  # nothing unsaved: it leaves without asking
        await pilot.pause()
        assert type(app.screen).__name__ == "PerformanceScreen" and app.focused is not grid
