"""What the benchmarks time with: medians of repeated calls, a full repaint, a hub held open."""

from __future__ import annotations

import contextlib
import math
import os
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.generate import HUB_TODAY

LARGE_TODAY = HUB_TODAY.isoformat()
"""'Today' (DESTA_TODAY) while a benchmark reads the large hub."""


def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median time of `runs` calls, after one warm call (caches, imports, settings)."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def repaint_ms(app) -> float:
    """Lay the screen out again and draw every line of it as the terminal would get it."""
    started = time.perf_counter()
    screen = app.screen
    screen._refresh_layout(screen.outer_size)
    update = screen._compositor.render_update(full=True)
    if update is not None:
        list(app.console.render(update))
    return (time.perf_counter() - started) * 1000


@contextlib.contextmanager
def hub_open(path: Path, today: str | None = LARGE_TODAY) -> Iterator[None]:
    """The database at `path` open (and "today" the large hubs' day) for the block's length."""
    from desta_tui.db.database import close_database, open_database
    from desta_tui.services.settings import forget_cached_settings

    before = os.environ.get("DESTA_TODAY")
    if today:
        os.environ["DESTA_TODAY"] = today
    try:
        open_database(str(path))
        forget_cached_settings()
        try:
            yield
        finally:
            close_database()
            forget_cached_settings()
    finally:
        if before is None:
            os.environ.pop("DESTA_TODAY", None)
        else:
            os.environ["DESTA_TODAY"] = before


def budget_between(scale: float, at_1x: float, at_10x: float) -> float:
    """A budget that is `at_1x` on the 1x hub and `at_10x` on the 10x hub, growing with the
    logarithm of the scale in between (3x: about halfway), and held at the ends beyond."""
    share = min(1.0, max(0.0, math.log10(scale))) if scale > 0 else 0.0
    return round(at_1x + (at_10x - at_1x) * share, 1)
