"""Section 1 by keyboard: the lines that need attention, each opening the place it is about."""

from __future__ import annotations

from desta_tui.db.database import current_database
from desta_tui.domain.periods import Period
from desta_tui.ui.app import DestaApp
from desta_tui.ui.widgets.record_table import RecordTable
from desta_tui.ui.widgets.returns_grid import ReturnsGrid
from tests.waiting import settle, wait_for_screen, wait_until

SIZE = (120, 36)


def shown(app) -> list[tuple[str, ...]]:
    return [row.cells for row in app.screen.query_one("#dashboard-lines", RecordTable).rows]


async def go_to(pilot, words: str) -> None:
    table = pilot.app.screen.query_one("#dashboard-lines", RecordTable)
    index = next(i for i, row in enumerate(table.rows) if words in " ".join(row.cells))
    await pilot.press("home", *["down"] * index)
    assert words in " ".join(table.current_row.cells)


async def test_dashboard_lists_what_needs_attention(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = [" | ".join(cells) for cells in shown(app)]
        assert "Contracts | In delivery: 1 contract | £670,000" in lines
        red = [line for line in lines if line.startswith("✗ Red")]
        assert red and "Westway Wellbeing Project: Enrolments" in " ".join(red)
        assert any(line.startswith("! Amber") for line in lines)
        assert any("Church Street Neighbourhood Trust: no Oct 2012 return" in x for x in lines)
        assert any(x.startswith("Open tickets | Improvement plan: 1 open") for x in lines)
        assert any(x.startswith("Compliance") and "expired" in x for x in lines)
        assert any(x.startswith("Commissioner") and "contact overdue" in x for x in lines)
        summary = str(app.screen.query_one("#dashboard-summary").render())
        assert "Returns missing for Oct 2012: 1" in summary


async def test_a_red_figure_opens_the_performance_view_on_it(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await go_to(pilot, "Westway Wellbeing Project: Enrolments")
        figure = app.screen.highlighted_figure()
        assert figure is not None and figure.rag.rag.word == "Red"
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "performance"
        current = app.screen.highlighted_figure()
        assert current.organisation_name == "Westway Wellbeing Project"
        assert current.metric_code == "enrolments"


async def test_a_missing_return_opens_the_grid_for_that_month(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await go_to(pilot, "no Oct 2012 return")
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "performance"
        grid = app.screen.query_one(ReturnsGrid)
        assert grid.month.period == Period(2012, 10) and app.focused is grid


async def test_overdue_contact_opens_the_contract(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await go_to(pilot, "contact overdue")
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "contracts"
        assert type(app.screen).__name__ == "ContractScreen"


async def test_a_compliance_line_opens_the_organisation_on_its_papers(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#dashboard-lines", RecordTable)
        line = next(row for row in table.rows if row.cells[0] == "Compliance")
        name = line.cells[1].partition(":")[0]
        await go_to(pilot, line.cells[1])
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.current_mode == "members"
        assert type(app.screen).__name__ == "OrganisationScreen"
        assert app.screen.detail.name == name and app.screen.active_tab == "compliance"


async def test_a_stage_line_lists_the_contracts_at_that_stage(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await go_to(pilot, "In delivery: 1 contract")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.current_mode == "contracts" and app.screen.stage_filter == "in_delivery"
        assert [row.cells[0] for row in app.screen.list_table.rows] == ["Expert Patient Service"]


async def test_a_long_list_shows_its_worst_lines_and_how_many_more(demo_db, monkeypatch):
    from desta_tui.services import dashboard

    monkeypatch.setattr(dashboard, "DASHBOARD_LIST_LIMIT", 3)
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = [" | ".join(cells) for cells in shown(app)]
        figures = [line for line in lines if line.startswith(("✗ Red", "! Amber"))]
        assert len(figures) == 3
        more = lines[lines.index(figures[-1]) + 1]
        assert more == "Red, amber | … and 13 more red or amber figures: enter shows them all | "
        summary = str(app.screen.query_one("#dashboard-summary").render())
        assert "Figures at ✗ red: 6    at ! amber: 10" in summary  # every figure counted
        await go_to(pilot, "13 more red or amber figures")
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "performance"


async def test_the_first_figures_are_read_while_the_dashboard_is_built(demo_template, tmp_path):
    import shutil

    from desta_tui.services.dashboard import dashboard_summary
    from desta_tui.ui.screens.dashboard import dashboard_screen

    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    read_in: list[str] = []
    read = dashboard_screen.FiguresAhead.read

    def spy(ahead) -> None:
        import threading

        read_in.append(threading.current_thread().name)
        read(ahead)

    app = DestaApp(target=str(path))
    dashboard_screen.FiguresAhead.read = spy
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for_screen(pilot, "DashboardScreen")
            assert read_in and read_in[0] != "MainThread", "the figures were not read ahead"
            assert app.figures_ahead is None, "the screen did not take the figures read ahead"
            summary = str(app.screen.query_one("#dashboard-summary").render())
            fresh = dashboard_summary(None)
            assert f"Members (active): {fresh.member_count:,}" in summary
            assert "Next meeting:" in summary
            assert app.screen.summary.red_count == fresh.red_count
    finally:
        dashboard_screen.FiguresAhead.read = read


def test_figures_read_ahead_for_another_consortium_or_that_failed_are_not_used(monkeypatch):
    from desta_tui.ui.screens.dashboard import dashboard_screen

    def fail(_consortium_uuid):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(dashboard_screen, "dashboard_summary", fail)
    ahead = dashboard_screen.FiguresAhead(None)
    ahead.read()
    assert ahead.take(None) is None  # failed: the screen reads them itself

    monkeypatch.setattr(dashboard_screen, "dashboard_summary", lambda uuid: "summary")
    monkeypatch.setattr(dashboard_screen, "next_meeting_words", lambda uuid: "words")
    ahead = dashboard_screen.FiguresAhead("one-consortium")
    ahead.read()
    assert ahead.take("another-consortium") is None
    assert ahead.take("one-consortium") == ("summary", "words")


async def test_the_first_figures_are_drawn_once_not_again_when_the_layout_settles(
    demo_db, monkeypatch
):
    # the figures are shown before the first layout gives the screen its widths; the resize
    # that follows finds them drawn at those widths, and drawing them again would cost a
    # frame of the start (the table's rows and the summary's lines, all for nothing)
    from textual.widgets import Static

    drawn: list[str] = []
    set_rows, update = RecordTable.set_rows, Static.update

    def rows_set(table, rows):
        drawn.append(f"rows of {table.id}")
        set_rows(table, rows)

    def updated(widget, *args, **kwargs):
        if widget.id == "dashboard-summary":
            drawn.append("summary")
        update(widget, *args, **kwargs)

    monkeypatch.setattr(RecordTable, "set_rows", rows_set)
    monkeypatch.setattr(Static, "update", updated)
    for size in (SIZE, (80, 24)):
        drawn.clear()
        app = DestaApp(database=current_database())
        async with app.run_test(size=size) as pilot:
            await wait_until(pilot, lambda: len(drawn) >= 2, "the first figures drawn")
            await settle(pilot)  # the layout settles: nothing is drawn again
            assert app.screen.summary is not None
            assert drawn == ["summary", "rows of dashboard-lines"], (size, drawn)
            # a new size is drawn again, to fit
            await pilot.resize_terminal(size[0] - 30, size[1])
            await wait_until(pilot, lambda: len(drawn) >= 4, "the figures drawn again")
            await settle(pilot)
            assert drawn[2:] == ["summary", "rows of dashboard-lines"], (size, drawn)
