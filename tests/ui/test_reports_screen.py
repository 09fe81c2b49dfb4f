"""The Reports section through the keyboard: build a pack in a worker, see the path or the error."""

from __future__ import annotations

import os
from pathlib import Path

from pypdf import PdfReader
from textual.widgets import Input, ProgressBar

from desta_tui.db.database import current_database
from desta_tui.ui.app import DestaApp


def _status(app) -> str:
    return str(app.screen.query_one("#reports-status").render())


async def test_ctrl_b_builds_the_pack_and_shows_where(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("7")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReportsScreen"
        assert app.screen.query_one("#reports-period", Input).value == "2012-10"
        await pilot.press("ctrl+b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = Path(os.environ["DESTA_DOCUMENTS_DIR"]) / "desta-smg-pack-desta-2012-10.pdf"
        assert f"Written to {expected}" in _status(app)
        bar = app.screen.query_one("#reports-progress", ProgressBar)
        assert bar.progress == bar.total
        assert "£670,000" in "\n".join(p.extract_text() for p in PdfReader(expected).pages)


async def test_board_pack_to_a_typed_file(demo_db, tmp_path):
    app = DestaApp(database=current_database())
    target = tmp_path / "board.pdf"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("7")
        await pilot.pause()
        # consortium, month, pack kind, file: tab through the form
        await pilot.press("tab", "tab", "tab")
        await pilot.press("down", "down", "enter")  # open the pack list, choose the board pack
        await pilot.pause()
        await pilot.press("tab", *str(target), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"Written to {target}" in _status(app)
        assert "Board pack" in PdfReader(target).pages[0].extract_text()


async def test_a_bad_month_is_shown_not_raised(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("7")
        await pilot.pause()
        await pilot.press("tab", "tab")
        assert app.focused is app.screen.query_one("#reports-period", Input)
        await pilot.press("ctrl+a", "ctrl+k", *"2012-13", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "'2012-13' is not a month" in _status(app)
        assert app.screen.query_one("#reports-status").has_class("-error")
        assert app.is_running


async def test_print_record_writes_the_pdf_from_a_worker(demo_db):
    from desta_tui.services.reporting.member_record import find_organisation
    from desta_tui.ui.print_record import print_record

    uuid = find_organisation("Rain Trust").uuid
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        worker = print_record(app, "member", uuid)
        await worker.wait()
        await pilot.pause()
        path = Path(os.environ["DESTA_DOCUMENTS_DIR"]) / "desta-member-rain-trust.pdf"
        assert worker.result == path
        assert "Rain Trust" in PdfReader(path).pages[0].extract_text()
        assert print_record(app, "member", None) is None


async def test_shift_p_prints_the_open_organisation(demo_db):
    from desta_tui.services.reporting.member_record import find_organisation
    from desta_tui.ui.messages import OpenRecord
    from desta_tui.ui.screens.members.organisation_screen import OrganisationScreen

    uuid = find_organisation("Rain Trust").uuid
    app = DestaApp(database=current_database())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        app.post_message(OpenRecord("organisation", uuid))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, OrganisationScreen)
        await pilot.press("P")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        path = Path(os.environ["DESTA_DOCUMENTS_DIR"]) / "desta-member-rain-trust.pdf"
        assert path.exists()
