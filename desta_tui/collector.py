"""Python's cycle collector: run less often, and held off through one large piece of work."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hold the cycle collector off until the block ends, then let it run as before.

    For work that makes tens of thousands of small objects and keeps them to its end (an
    import's rows, a pack's story): each full collection would walk them, and everything else
    the program holds, over and over with next to nothing to free (a tenth of a 20,000-row
    import's time, a sixth of a large pack's; peak memory the same)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: a young-generation collection after this many new container objects (CPython's default: 700)
YOUNG_COLLECTION_THRESHOLD = 10_000


def collect_less_often() -> None:
    """Let the cycle collector wait for 10,000 new objects, not 700, before it looks.

    A screen change or a keystroke makes thousands of short-lived objects (styles, strips,
    rows, messages) that reference counting frees at once; at 700 the collector ran thousands
    of times a minute to find next to nothing, and every tenth of a tenth walked all the app
    holds: about a sixth of the CPU of driving the app from the keyboard, a twentieth at
    10,000. The older generations keep CPython's thresholds, so garbage cycles are still
    found, a little later."""
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)
