"""Members filter budget: each keystroke, database and repaint, within a frame (16.7 ms) at the
median and two (33.3 ms) at worst, at 100,000 organisations (the 10x hub).

Usage: python -m bench.members_filter [--scales 1,3,10] [--text "community health"]

On a copy of bench.generate's hub of each scale (1x: 10,000 organisations; 10x: 100,000), opens
the real app headless on the Members section, types the text into the filter one key at a time
and times each keystroke from the key press to a full repaint of the screen. The baseline is the
bare SQL query for the same rows (`LIKE` on the folded search text, `LIMIT` of one page) on the
same database.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Sequence

from bench.results import BenchResult, print_results
from bench.timing import repaint_ms

FRAME_MS = 1000 / 60
"""One frame at 60 Hz: the median keystroke's budget; the worst keystroke's is two."""


def bare_sql_ms(text_so_far: list[str], limit: int) -> list[float]:
    """The bare query for each prefix typed: what the database alone costs per keystroke."""
    from desta_tui.db.database import db
    from desta_tui.services.search_index import fold

    timings = []
    for prefix in text_so_far:
        words = fold(prefix).split()
        where = " AND ".join(["search_text LIKE ?"] * len(words)) or "1"
        sql = (
            f"SELECT id, uuid, name FROM organisation WHERE archived_at IS NULL AND {where} "
            f"ORDER BY name_key LIMIT {limit}"
        )
        started = time.perf_counter()
        rows = db.execute_sql(sql, [f"%{word}%" for word in words]).fetchall()
        timings.append((time.perf_counter() - started) * 1000)
        assert rows is not None
    return timings


async def widget_ms(text: str) -> tuple[list[float], list[int], float]:
    """Per keystroke through the real app: the key goes to the filter field, the field posts
    its change, the screen asks the database and fills the table (timed from the key press to
    the end of that handler), then the screen is laid out and drawn in full (timed too).
    The Pilot's own idle waits between keys are not counted: a person's terminal has none."""
    from desta_tui.db.database import current_database
    from desta_tui.ui.app import DestaApp
    from desta_tui.ui.widgets.record_table import RecordTable

    app = DestaApp(database=current_database())
    timings: list[float] = []
    shown: list[int] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()  # the day's first opening backs the file up
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#members-table", RecordTable)
        handled: list[float] = []
        real_refresh = screen.refresh_data

        def timed_refresh() -> None:
            real_refresh()
            handled.append(time.perf_counter())

        screen.refresh_data = timed_refresh
        await pilot.press("slash")
        await pilot.pause()
        repaint_alone = statistics.median(repaint_ms(app) for _ in range(5))
        for key in text:
            handled.clear()
            started = time.perf_counter()
            await pilot.press("space" if key == " " else key)
            await pilot.pause()
            assert handled, "the filter did not run"
            timings.append((handled[0] - started) * 1000 + repaint_ms(app))
            shown.append(table.row_count)
    return timings, shown, repaint_alone


def measure(text: str, scale: float, verbose: bool = True) -> list[BenchResult]:
    """Type the text into the open hub's filter; the median and worst keystroke."""
    from bench.generate import scale_label
    from desta_tui.db.database import db
    from desta_tui.services.members import DEFAULT_LIMIT

    organisations = db.execute_sql("SELECT COUNT(*) FROM organisation").fetchone()[0]
    prefixes = [text[: i + 1] for i in range(len(text))]
    sql = bare_sql_ms(prefixes, DEFAULT_LIMIT)
    keys, shown, repaint_ms = asyncio.run(widget_ms(text))
    if verbose:
        print(f"{organisations:,} organisations")
        print("keystroke  typed so far          rows shown  widget ms  bare SQL ms")
        for prefix, count, key_ms, sql_ms in zip(prefixes, shown, keys, sql, strict=True):
            print(f"{len(prefix):>9}  {prefix!r:<20} {count:>10}  {key_ms:9.1f}  {sql_ms:11.2f}")
        print(f"a full repaint of the unchanged screen alone: {repaint_ms:.1f} ms")
    label = scale_label(scale)
    return [
        BenchResult("members filter per keystroke (median)",
                    statistics.median(keys), statistics.median(sql), figure_budget=FRAME_MS,
                    baseline_name="bare SQL, median", scale=label),
        BenchResult("members filter per keystroke (worst)", max(keys),
                    max(sql), figure_budget=2 * FRAME_MS, baseline_name="bare SQL, worst",
                    scale=label),
    ]  # fmt: skip


def run(
    scales: Sequence[float] = (1,), text: str = "community health", verbose: bool = True
) -> list[BenchResult]:
    """Type the text one key at a time on the hub of each scale."""
    from bench.generate import scale_label, shared_copy
    from bench.timing import hub_open

    results = []
    for scale in scales:
        path = shared_copy(scale)
        if verbose:
            print(f"-- {scale_label(scale)} hub", flush=True)
        with hub_open(path):
            results += measure(text, scale, verbose)
    return results


def main() -> None:
    from bench.__main__ import DEFAULT_SCALES, parse_scales

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=parse_scales, default=DEFAULT_SCALES)
    parser.add_argument("--text", default="community health")
    args = parser.parse_args()
    print_results(run(args.scales, args.text))


if __name__ == "__main__":
    main()
