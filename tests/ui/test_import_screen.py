"""The import screen through the keyboard: preview first, nothing written until ctrl+s; backups."""

from __future__ import annotations

from pathlib import Path

from desta_tui.db.database import current_database
from desta_tui.db.models import Organisation
from desta_tui.services.settings import set_setting
from desta_tui.ui.app import DestaApp
from desta_tui.ui.screens.settings.import_screen import ImportScreen
from desta_tui.ui.widgets.record_table import RecordTable
from tests.waiting import wait_until


def summary(app) -> str:
    return str(app.screen.query_one("#import-summary").render())


def preview_rows(app):
    return app.screen.query_one("#import-preview", RecordTable).rows


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def members_file(tmp_path: Path, bad: bool = False) -> Path:
    lines = ["Organisation,Consortium,Joined", "Nouvel Élan,Desta,01/04/2011",
             "Second Start,Desta,02/04/2011"]  # fmt: skip
    if bad:
        lines.append("Third Wrong,Desta,31/04/2011")
    path = tmp_path / "members.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


async def test_preview_then_import(demo_db, tmp_path):
    path = members_file(tmp_path)
    before = Organisation.select().count()
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("8", "i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        # ctrl+s before any preview writes nothing
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Preview first" in summary(app)
        await pilot.press(*str(path), "enter")
        await settle(app, pilot)
        assert "Would import 2 members" in summary(app) and "ctrl+s" in summary(app)
        assert [row.cells[1] for row in preview_rows(app)] == ["new", "new"]
        assert Organisation.select().count() == before
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Imported 2 members" in summary(app)
        assert Organisation.select().count() == before + 2
        # a second ctrl+s does not import the file twice
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert Organisation.select().count() == before + 2
        assert "Preview first" in summary(app)


async def test_a_bad_row_blocks_the_import(demo_db, tmp_path):
    path = members_file(tmp_path, bad=True)
    before = Organisation.select().count()
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("8", "i")
        await pilot.pause()
        await pilot.press(*str(path), "enter")
        await settle(app, pilot)
        assert "Nothing was imported" in summary(app)
        problem = preview_rows(app)[0]
        assert problem.cells[:3] == ("4", "✗ problem", "Joined")
        assert "April 2011 has 30 days" in problem.cells[3]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "found problems" in summary(app)
        assert Organisation.select().count() == before
        # a missing file is a sentence, not a crash
        await pilot.press("ctrl+u", *str(tmp_path / "nope.csv"), "enter")
        await settle(app, pilot)
        assert "does not exist" in summary(app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)


async def test_back_up_now_from_settings(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("8", "b")
        await settle(app, pilot)
        message = str(app.screen.query_one("#settings-message").render())
        assert "Backed up to" in message
        backups = list((Path(demo_db).parent / "backups").glob("*.backup.sqlite3"))
        assert len(backups) == 1


async def test_daily_backup_at_start_for_a_real_database(demo_db):
    set_setting("is_demo", False)
    folder = Path(demo_db).parent / "backups"
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        # the backup starts in a worker once the dashboard is drawn
        await wait_until(pilot, lambda: any(folder.glob("*.daily.sqlite3")), "today's backup")
        await settle(app, pilot)
        assert len(list(folder.glob("*.daily.sqlite3"))) == 1
    # the second start on the same day adds nothing
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
    assert len(list(folder.glob("*.daily.sqlite3"))) == 1


async def test_risky_place_is_notified_once(demo_db, monkeypatch):
    import desta_tui.db.location as location

    monkeypatch.setattr(location, "risky_location", lambda path, **_: "It is in a Dropbox folder.")
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("2", "8")
        await pilot.pause()
        texts = [n.message for n in app._notifications]
        assert texts.count("It is in a Dropbox folder.") == 1
