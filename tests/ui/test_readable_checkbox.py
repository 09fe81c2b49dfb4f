"""Checkboxes read ☑ or ☐, not a colour (#15)."""

from __future__ import annotations

from desta_tui.db.database import current_database
from desta_tui.ui.app import DestaApp


async def test_import_update_box_reads_ticked_or_not(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("7", "i")
        await pilot.pause()
        box = app.screen.query_one("#import-update")
        assert "☐" in box.render().plain and "☑" not in box.render().plain
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        assert box.value is True
        assert "☑" in box.render().plain and "☐" not in box.render().plain
        # the screen as drawn says it too
        lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
        assert any("☑ Update records already there" in line for line in lines)
