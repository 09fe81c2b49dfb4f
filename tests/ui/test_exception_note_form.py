"""An exception note typed on a red figure in the performance view, by keyboard."""

from __future__ import annotations

from textual.widgets import Static

from desta_tui.db.database import current_database
from desta_tui.services import performance as perf
from desta_tui.ui.app import DestaApp
from desta_tui.ui.screens.performance.exception_note_form import ExceptionNoteForm
from tests.waiting import wait_until

SIZE = (120, 36)


def message(app) -> str:
    return str(app.screen.query_one("#perf-message", Static).render())


async def polish_completions(pilot, app):
    """The performance view on the Polish partner's completions: red, and no ticket on it."""
    await pilot.press("4")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "PerformanceScreen", "section")
    await pilot.press("v", "g", "slash", *"Polish", "enter")
    screen = app.screen
    await wait_until(pilot, lambda: screen.highlighted_figure() is not None, "the figures")
    for _ in range(12):
        figure = screen.highlighted_figure()
        if figure is not None and figure.metric_code == "completions":
            return figure
        await pilot.press("down")
        await pilot.pause()
    raise AssertionError("no completions figure")


async def test_x_on_a_red_figure_types_a_note_the_pack_reads(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        figure = await polish_completions(pilot, app)
        assert figure.rag.rag.word == "Red"
        assert "x: an exception note" in message(app)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExceptionNoteForm), "the form")
        await pilot.press("ctrl+s")  # nothing typed: told what is missing, nothing saved
        await pilot.pause()
        assert isinstance(app.screen, ExceptionNoteForm)
        await pilot.press(*"Tutor off sick for six weeks", "tab")
        await pilot.press(*"Cover tutor from the pool", "tab")
        await pilot.press(*"Anna Kowalska", "tab", *"31/12/2012")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExceptionNoteForm), "saved")
        assert "Exception note saved" in message(app)
        performance = app.screen.performance
        notes = perf.exception_notes([figure.contract_uuid], performance.up_to)
        note = notes[(figure.partner_uuid, "completions")]
        assert (note.cause, note.action, note.owner) == (
            "Tutor off sick for six weeks", "Cover tutor from the pool", "Anna Kowalska",
        )  # fmt: skip
        assert note.recovery_on.isoformat() == "2012-12-31"

        await pilot.press("x")  # again: the form starts from the note
        await wait_until(pilot, lambda: isinstance(app.screen, ExceptionNoteForm), "the form")
        assert app.screen.values()["owner"] == "Anna Kowalska"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExceptionNoteForm), "closed")


async def test_x_on_a_total_row_says_what_it_is_for(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "PerformanceScreen", "section")
        await pilot.press("v", "g")
        screen = app.screen
        await wait_until(pilot, lambda: screen.highlighted_figure() is not None, "the figures")
        while not screen.highlighted_figure().is_total:
            await pilot.press("down")
            await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, ExceptionNoteForm)
        assert "for a partner's red or amber figure" in message(app)
