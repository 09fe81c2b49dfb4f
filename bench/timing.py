"""What the benchmarks time with: the median of repeated calls, and a full repaint of the app."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

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
