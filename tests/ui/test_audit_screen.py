"""The hub-wide history screen through the keyboard: open from Settings, filter, page."""

from __future__ import annotations

from desta_tui.db.database import current_database, db
from desta_tui.db.models import Organisation
from desta_tui.services.audit import update_record
from desta_tui.services.settings import set_setting
from desta_tui.ui.app import DestaApp
from desta_tui.ui.screens.common.audit_screen import AuditScreen
from desta_tui.ui.widgets.history_view import HistoryView


def make_history(count: int) -> None:
    with db.atomic():
        orgs = list(Organisation.select().order_by(Organisation.id).limit(count))
        for index, org in enumerate(orgs):
            update_record(org, phone=f"020 7946 {index:04d}")
    set_setting("hub_name", "History Hub")  # a change by the same person, of another type


def shown(app) -> list:
    return app.screen.query_one(HistoryView).entries


def status(app) -> str:
    return str(app.screen.query_one("#audit-status").render())


async def test_audit_screen_filters_and_pages(demo_db, monkeypatch):
    make_history(30)
    monkeypatch.setenv("DESTA_USER", "someone.else")
    with db.atomic():
        update_record(Organisation.get_by_id(40), notes="by someone else")
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("8", "h")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        assert "32 change(s)" in status(app)
        assert shown(app)[0].who == "someone.else"  # newest first
        # by person
        await pilot.press("slash", *"someone", "enter")
        await pilot.pause()
        assert {entry.who for entry in shown(app)} == {"someone.else"}
        # by record type, as words
        await pilot.press("slash", "ctrl+u", "tab", *"setting", "enter")
        await pilot.pause()
        assert [entry.table_name for entry in shown(app)] == ["setting"]
        # a bad date says so and keeps the list
        await pilot.press("slash", "tab", "ctrl+u", "tab", *"31/02/2012", "enter")
        await pilot.pause()
        assert "February 2012 has 29 days" in status(app)
        await pilot.press("ctrl+u", *"01/01/2000", "tab", *"31/12/2001", "enter")
        await pilot.pause()
        assert shown(app) == [] and "0 change(s)" in status(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not None and not isinstance(app.screen, AuditScreen)


async def test_audit_screen_pages_with_brackets(demo_db, monkeypatch):
    make_history(57)  # 58 changes
    monkeypatch.setattr(AuditScreen, "page_size", 20)
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("8", "h")
        await pilot.pause()
        assert "58 change(s) · page 1 of 3" in status(app)
        first = shown(app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert "page 3 of 3" in status(app) and len(shown(app)) == 18
        await pilot.press("right_square_bracket")  # past the end: stays
        await pilot.pause()
        assert "page 3 of 3" in status(app)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert "page 1 of 3" in status(app) and shown(app) == first


async def test_palette_opens_history_and_import(demo_db):
    from desta_tui.ui.screens.settings.import_screen import ImportScreen

    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p", *"hub history")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"import records")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
