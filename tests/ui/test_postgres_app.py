"""The app on a PostgreSQL server, by keyboard: the same screens and saves as on a SQLite file."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from textual.widgets import Static

from desta_tui.db.upgrade import latest_version
from desta_tui.ui.app import DestaApp
from desta_tui.ui.sections import SECTIONS
from desta_tui.ui.widgets.record_table import RecordTable
from desta_tui.ui.widgets.returns_grid import ReturnsGrid
from tests.postgres import demo_database_url, password_database_url, postgres_wanted, query
from tests.waiting import wait_until

pytestmark = pytest.mark.skipif(not postgres_wanted(), reason="DESTA_TEST_POSTGRES=0")

SIZE = (120, 36)


@pytest.fixture
def demo_url() -> str:
    """A private copy of the demo on the test server (skipped, with the reason, without one)."""
    return demo_database_url()


async def wait_for_dashboard(pilot) -> None:
    """The app opens the URL in a worker after its first frame, as `desta --db URL` does."""

    def opened() -> bool:
        assert pilot.app.open_error is None, pilot.app.open_error
        return pilot.app.current_mode == "dashboard"

    await wait_until(pilot, opened, "the dashboard", timeout=30)
    await pilot.pause()


def dashboard_lines(app) -> list[str]:
    table = app.screen.query_one("#dashboard-lines", RecordTable)
    return [" | ".join(row.cells) for row in table.rows]


async def test_the_app_opens_a_postgres_url_on_its_dashboard(demo_url):
    app = DestaApp(target=demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(pilot)
        assert app.database.kind == "postgresql"
        lines = dashboard_lines(app)
        assert "Contracts | In delivery: 1 contract | £670,000" in lines
        assert any("Church Street Neighbourhood Trust: no Oct 2012 return" in x for x in lines)
        summary = str(app.screen.query_one("#dashboard-summary").render())
        assert "Returns missing for Oct 2012: 1" in summary


async def test_every_section_and_the_tickets_filter_open_on_postgres(demo_url):
    app = DestaApp(target=demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(pilot)
        for section in reversed(SECTIONS):
            await pilot.press(section.key)
            await pilot.pause()
            assert app.current_mode == section.mode
            assert type(app.screen).__name__.lower().startswith(section.mode[:4])
        await pilot.press("5")
        await pilot.pause()
        tickets_screen = app.screen
        await pilot.press("f")  # its choices list the providers and contracts with tickets
        await pilot.pause()
        assert type(app.screen).__name__ == "TicketFilterForm"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is tickets_screen


async def test_filter_open_edit_and_save_an_organisation_on_postgres(demo_url):
    app = DestaApp(target=demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(pilot)
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#members-table", RecordTable)
        everyone = query(demo_url, "SELECT COUNT(*) FROM organisation WHERE archived_at IS NULL")
        assert table.row_count == everyone[0][0]
        await pilot.press("slash", *"harrow deaf")
        await pilot.pause()
        assert [row.cells[0] for row in table.rows] == ["Harrow Deaf Access"]
        await pilot.press("enter", "enter")  # leave the filter, open the organisation
        await pilot.pause()
        assert type(app.screen).__name__ == "OrganisationScreen"
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "OrganisationForm"
        await pilot.press("end", *" Centre", "ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        assert query(demo_url, "SELECT name FROM organisation WHERE name LIKE 'Harrow Deaf%%'") == [
            ("Harrow Deaf Access Centre",)
        ]
        audit = query(
            demo_url,
            "SELECT who, old_value, new_value FROM audit_log WHERE table_name = 'organisation' "
            "AND field = 'name' AND new_value = 'Harrow Deaf Access Centre'",
        )
        assert audit == [("test.officer", "Harrow Deaf Access", "Harrow Deaf Access Centre")]


async def test_a_save_kept_waiting_by_another_desk_says_busy_and_keeps_the_typing(
    demo_url, monkeypatch
):
    import psycopg2

    from desta_tui.db import database, preflight

    # the server gives up waiting sooner (the app reads the setting through preflight)
    monkeypatch.setattr(preflight, "BUSY_TIMEOUT_MS", 300)
    app = DestaApp(target=demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(pilot)
        await pilot.press("2", "slash", *"harrow deaf", "enter", "enter", "e")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "OrganisationForm"
        other_desk = psycopg2.connect(demo_url)  # another desk, in the middle of its own save
        try:
            with other_desk.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (database.WRITE_LOCK_KEY,))
            await pilot.press("end", *" Centre", "ctrl+s")
            await pilot.pause()
            assert app.screen is form
            message = str(form.query_one("#form-message", Static).render())
            assert "The database server is busy" in message and "Nothing was saved" in message
            assert form.values()["name"] == "Harrow Deaf Access Centre"
        finally:
            other_desk.rollback()
            other_desk.close()
        await pilot.press("ctrl+s")  # the other desk is done: the same typing saves
        await pilot.pause()
        assert app.screen is not form
    names = query(demo_url, "SELECT name FROM organisation WHERE name LIKE 'Harrow Deaf%%'")
    assert names == [("Harrow Deaf Access Centre",)]


async def test_returns_grid_saves_a_month_on_postgres(demo_url):
    church_october = (
        "SELECT m.code, r.value, r.entered_by FROM monthly_return r "
        "JOIN metric m ON m.id = r.metric_id "
        "JOIN contract_partner p ON p.id = r.partner_id "
        "JOIN organisation o ON o.id = p.organisation_id "
        "WHERE o.name = 'Church Street Neighbourhood Trust' AND r.period = '2012-10' "
        "ORDER BY m.code"
    )
    assert query(demo_url, church_october) == []
    app = DestaApp(target=demo_url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(pilot)
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        grid = app.screen.query_one(ReturnsGrid)
        assert app.focused is grid and str(grid.month.period) == "2012-10"
        assert grid.month.rows[0].organisation_name == "Church Street Neighbourhood Trust"
        await pilot.press("9", "right", "7", "right", "2", "right", "2", "right", "3", "ctrl+s")
        await pilot.pause()
        message = str(app.screen.query_one("#returns-message", Static).render())
        assert "✓ Saved: 5 figures of Oct 2012 (5 new" in message
    assert query(demo_url, church_october) == [
        ("bme_recruited", 2, "test.officer"),
        ("bme_retained", 2, "test.officer"),
        ("completions", 7, "test.officer"),
        ("deprived_wards", 3, "test.officer"),
        ("enrolments", 9, "test.officer"),
    ]


async def test_the_app_migrates_an_empty_database_signing_in_with_a_password(monkeypatch):
    password = "s3cret@hub:1/%"
    url = password_database_url(password)
    user, rest = url.split("@", 1)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/pgpass")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    app = DestaApp(target=f"{user}:{quote(password, safe='')}@{rest}")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dashboard(pilot)
        assert app.database.label == url
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.query_one("#members-table", RecordTable).row_count == 0
    [(version,)] = query(url.replace("@", f":{quote(password, safe='')}@", 1),
                         "SELECT MAX(version) FROM schema_migration")  # fmt: skip
    assert version == latest_version()


async def test_the_start_screen_never_shows_a_password():
    app = DestaApp(target="postgresql://hub:Secret99@127.0.0.1:1/desta")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.open_error, "the error opening the database")
        assert "Cannot reach the database server" in app.open_error
        assert app.screen.target_label == "postgresql://hub@127.0.0.1:1/desta"
        shown = str(app.screen.query_one("#start-message", Static).render())
        assert "Secret99" not in shown and "Secret99" not in app.open_error
