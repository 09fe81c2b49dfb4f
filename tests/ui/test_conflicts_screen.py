"""The Conflicts screen by keyboard: a conflict made by two laptops, opened from the palette,
settled by taking the other site's value."""

from __future__ import annotations

import random

from desta_tui.db.database import current_database
from desta_tui.db.models import Organisation
from desta_tui.services.sync import conflict_count
from desta_tui.ui.app import DestaApp
from desta_tui.ui.screens.common.conflicts_screen import ConflictsScreen
from desta_tui.ui.widgets.record_table import RecordTable
from tests.services.sync_sites import current_value, make_edits, make_sites, use, value_for
from tests.waiting import wait_for_palette_match, wait_until


def phone_conflict_at_laptop_a(demo_template, tmp_path) -> tuple[str, str, str]:
    """Two laptops change Rain Trust's phone; B's bundle reaches A, which is left open."""
    sites = make_sites("sqlite", demo_template, tmp_path)
    use(sites.a)
    rain = Organisation.get(Organisation.name == "Rain Trust").uuid
    target = ("organisation", rain, "phone")
    make_edits("a", random.Random(1), [target], 1)
    use(sites.b)
    make_edits("b", random.Random(1), [target], 1, start=5)
    sites.give(sites.b, sites.a)
    use(sites.a)
    return target


async def open_conflicts(pilot, app) -> None:
    """The Conflicts screen from the palette, as a person finds it."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"Conflicts from other sites")
    await wait_for_palette_match(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ConflictsScreen), "the screen")


async def test_taking_the_incoming_value_settles_the_conflict(demo_template, tmp_path):
    target = phone_conflict_at_laptop_a(demo_template, tmp_path)
    assert conflict_count() == 1
    incoming = value_for("phone", "b", 5)

    app = DestaApp(database=current_database())
    async with app.run_test(size=(140, 40)) as pilot:
        summary = lambda: str(app.screen.query_one("#dashboard-summary").render())  # noqa: E731
        await wait_until(pilot, lambda: "Conflicts from other sites: 1" in summary(), "count")
        lines = app.screen.query_one("#dashboard-lines", RecordTable).rows
        assert any(row.cells[0].endswith("Conflicts") for row in lines)
        await open_conflicts(pilot, app)
        table = app.screen.query_one("#conflicts-table", RecordTable)
        await wait_until(pilot, lambda: len(table.rows) == 1, "the conflict listed")
        assert incoming in table.rows[0].cells[3] and "Laptop B" in table.rows[0].cells[3]
        await pilot.press("enter")
        detail = app.screen.query_one("#conflicts-detail")
        await wait_until(pilot, lambda: "Other site" in str(detail.render()), "both sides")
        await pilot.press("i")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConflictsScreen), "question")
        await pilot.press("enter")  # the safe choice has focus: Keep open
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictsScreen), "kept open")
        assert conflict_count() == 1
        await pilot.press("i")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConflictsScreen), "question")
        await pilot.press("left", "enter")  # the named button: Set <field> to <value>
        await wait_until(pilot, lambda: conflict_count() == 0, "the conflict settled")
        assert current_value(*target) == incoming
        await wait_until(pilot, lambda: len(table.rows) == 0, "the list emptied")
        await pilot.press("r")
        await wait_until(pilot, lambda: len(table.rows) == 1, "the resolved one shown")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConflictsScreen), "back")


async def test_typing_a_value_settles_it_and_an_empty_one_is_told_what_to_type(
    demo_template, tmp_path
):
    from textual.widgets import Static

    from desta_tui.ui.widgets.confirm_modal import ReasonModal

    target = phone_conflict_at_laptop_a(demo_template, tmp_path)

    app = DestaApp(database=current_database())
    async with app.run_test(size=(140, 40)) as pilot:
        await open_conflicts(pilot, app)
        rows = lambda: app.screen.query_one("#conflicts-table", RecordTable).rows  # noqa: E731
        await wait_until(pilot, lambda: len(rows()) == 1, "the conflict listed")
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ReasonModal), "the value dialog")
        await pilot.press("enter")  # nothing typed
        error = lambda: str(app.screen.query_one("#reason-error", Static).render())  # noqa: E731
        await wait_until(pilot, lambda: "both sites will hold" in error(), "told what to type")
        assert "reason" not in error().lower()
        await pilot.press(*"020 8748 0000", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ReasonModal), "the question")
        await pilot.press("left", "enter")  # Set Phone to '020 8748 0000'
        await wait_until(pilot, lambda: conflict_count() == 0, "the conflict settled")
        assert current_value(*target) == "020 8748 0000"
