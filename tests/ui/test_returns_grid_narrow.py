"""The returns grid at 80x24 (#15): the partner names stay while the metrics scroll sideways,
and the Check column comes into view on the last metric."""

from __future__ import annotations

from desta_tui.db.database import current_database
from desta_tui.ui.app import DestaApp
from desta_tui.ui.widgets.returns_grid import ReturnsGrid


def grid_lines(grid: ReturnsGrid) -> list[str]:
    """The grid as drawn now, one string per line."""
    return ["".join(s.text for s in grid.render_line(y)) for y in range(grid.size.height)]


async def test_partner_names_and_check_column_at_80_columns(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("4", "g")
        await pilot.pause()
        grid = app.screen.query_one(ReturnsGrid)
        assert grid.has_focus
        lines = grid_lines(grid)
        assert "Partner" in lines[0] and "Check" not in lines[0]  # too wide for 80 columns
        for _ in range(len(grid.month.metrics)):
            await pilot.press("right")
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        lines = grid_lines(grid)
        assert grid.scroll_x > 0
        assert "Partner" in lines[0] and "Check" in lines[0]
        westway = next(line for line in lines if "Westway Wellbeing" in line)
        assert "✓ returned" in westway
        church = next(line for line in lines if "Church Street" in line)
        assert "– no return yet" in church
