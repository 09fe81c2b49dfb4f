"""Large-history budgets: dashboard, returns grid open and save, performance view, each < 100 ms.

With 3 years of monthly returns for 200 providers on 10 contracts.

Usage: python -m bench.large_history [--runs 7] [--keep PATH] [--no-app]

Builds bench.generate's large hub once (10,000 organisations, 200 providers, 10 contracts,
3 years, 5,000 tickets), sets "today" to LARGE_TODAY, and times in-process, as the median of
`runs` calls after a warm one, the service calls the screens make:

- dashboard: `dashboard_summary()` for all consortia (what the dashboard screen asks for);
- returns grid, open: `load_returns_grid(contract, month)` for the first contract in delivery
  and the month the screen opens on (`default_month`, the last month of the third year);
- returns grid, save: `save_returns(...)` of that grid with one figure changed (one partner's
  enrolments, up one and back again in turn, so every save writes), as the screen's ctrl+s does;
- performance view: `contract_performance(contract)` (the figures to the latest month returned);
- dashboard screen (unless --no-app): the real app headless on the dashboard, timed from a
  reload (ctrl+r's handler, which asks the service and fills the table) to a full repaint.

Each baseline is bare SQL on the same database in the same run, the least the figure could cost:
- dashboard and dashboard screen: `SELECT COUNT(*), SUM(value) FROM monthly_return WHERE
  archived_at IS NULL` (every return of the history read once);
- grid open: the bare select of the contract's returns for the month (partner, metric, value);
- grid save: one bare `UPDATE monthly_return SET value = ...` of a return, committed;
- performance view: the contract's returns summed per partner and metric in one grouped select.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.results import BenchResult, print_results
from bench.timing import LARGE_TODAY, median_ms, repaint_ms

BUDGET_MS = 100.0


def bare_sql(sql: str, params: tuple = ()) -> Callable[[], list]:
    from desta_tui.db.database import db

    return lambda: db.execute_sql(sql, params).fetchall()


def bare_update(return_id: int) -> Callable[[], None]:
    """One return's value written and committed, toggling so every run changes it."""
    from desta_tui.db.database import db

    def write() -> None:
        with db.atomic():
            db.execute_sql(
                "UPDATE monthly_return SET value = value + 1 - 2 * (value % 2) "
                f"WHERE id = {db.param}",
                (return_id,),
            )

    return write


def grid_save(contract_uuid: str, month) -> Callable[[], object]:
    """save_returns with one changed figure: the first partner's enrolments, up one then back."""
    from desta_tui.services.performance import load_returns_grid, save_returns

    row = load_returns_grid(contract_uuid, month).rows[0]
    original = row.values["enrolments"]
    runs = [0]

    def save() -> object:
        runs[0] += 1
        figure = original + runs[0] % 2  # enrolments going up never breaks a check
        return save_returns(contract_uuid, month, {row.partner_uuid: {"enrolments": str(figure)}})

    return save


async def dashboard_screen_ms(runs: int) -> tuple[float, int]:
    """Median reload of the real dashboard screen (service, table fill, full repaint)."""
    from desta_tui.db.database import current_database
    from desta_tui.ui.app import DestaApp
    from desta_tui.ui.widgets.record_table import RecordTable

    app = DestaApp(database=current_database())
    times = []
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the day's first opening backs the file up
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#dashboard-lines", RecordTable)
        for _ in range(runs + 1):
            started = time.perf_counter()
            screen.refresh_data()
            handled = (time.perf_counter() - started) * 1000
            times.append(handled + repaint_ms(app))
            await pilot.pause()
        shown = table.row_count
    return statistics.median(times[1:]), shown


def measure(runs: int, with_app: bool = True, verbose: bool = True) -> list[BenchResult]:
    """Time the open large hub's screens' service calls against their bare SQL."""
    from desta_tui.db.database import db
    from desta_tui.services.dashboard import dashboard_summary
    from desta_tui.services.performance import (
        contract_performance,
        default_month,
        latest_returned_period,
        load_returns_grid,
        performance_contracts,
    )

    contract_uuid = performance_contracts()[0].uuid
    month = default_month(contract_uuid)
    contract_id = db.execute_sql(
        f"SELECT id FROM contract WHERE uuid = {db.param}", (contract_uuid,)
    ).fetchone()[0]
    p = db.param
    first_return = db.execute_sql(
        f"SELECT MIN(id) FROM monthly_return WHERE contract_id = {p} AND period = {p}",
        (contract_id, month.key),
    ).fetchone()[0]
    whole_history = bare_sql(
        "SELECT COUNT(*), SUM(value) FROM monthly_return WHERE archived_at IS NULL"
    )
    month_select = bare_sql(
        "SELECT partner_id, metric_id, value FROM monthly_return "
        f"WHERE contract_id = {p} AND period = {p} AND archived_at IS NULL",
        (contract_id, month.key),
    )
    latest = latest_returned_period(contract_uuid)
    contract_sums = bare_sql(
        "SELECT partner_id, metric_id, SUM(value) FROM monthly_return "
        f"WHERE contract_id = {p} AND period <= {p} AND archived_at IS NULL "
        "GROUP BY partner_id, metric_id",
        (contract_id, latest.key),
    )

    summary = dashboard_summary()
    if verbose:
        print(f"contract {contract_uuid[:8]}, grid month {month.key}, dashboard lines "
              f"{len(summary.lines)}")  # fmt: skip
    results = [
        BenchResult("dashboard_summary(), all consortia", median_ms(dashboard_summary, runs),
                    median_ms(whole_history, runs), figure_budget=BUDGET_MS,
                    baseline_name="COUNT/SUM of every return"),
        BenchResult(f"returns grid open ({month.key}, 20 partners)",
                    median_ms(lambda: load_returns_grid(contract_uuid, month), runs),
                    median_ms(month_select, runs), figure_budget=BUDGET_MS,
                    baseline_name="bare select of the month"),
        BenchResult("returns grid save (one figure changed)",
                    median_ms(grid_save(contract_uuid, month), runs),
                    median_ms(bare_update(first_return), runs), figure_budget=BUDGET_MS,
                    baseline_name="one bare UPDATE, committed"),
        BenchResult("performance view (contract_performance)",
                    median_ms(lambda: contract_performance(contract_uuid), runs),
                    median_ms(contract_sums, runs), figure_budget=BUDGET_MS,
                    baseline_name="bare grouped sum of the contract"),
    ]  # fmt: skip
    if with_app:
        screen_ms, shown = asyncio.run(dashboard_screen_ms(runs))
        if verbose:
            print(f"dashboard screen shows {shown} lines")
        results.append(
            BenchResult("dashboard screen reload (handler + repaint)", screen_ms,
                        median_ms(whole_history, runs), figure_budget=BUDGET_MS,
                        baseline_name="COUNT/SUM of every return")
        )  # fmt: skip
    return results


def run(
    runs: int = 7, keep: Path | None = None, with_app: bool = True, verbose: bool = True
) -> list[BenchResult]:
    """Build the large hub (at `keep`, or in a temporary folder) and time its screens."""
    from bench.generate import build_large_hub
    from desta_tui.db.database import close_database, open_database
    from desta_tui.services.settings import forget_cached_settings

    before = os.environ.get("DESTA_TODAY")
    os.environ["DESTA_TODAY"] = LARGE_TODAY
    try:
        with tempfile.TemporaryDirectory(prefix="desta-bench-") as folder:
            path = keep or Path(folder) / "large-history.sqlite3"
            started = time.perf_counter()
            counts = build_large_hub(path, providers=200, contracts=10, years=3, tickets=5_000)
            if verbose:
                print(f"built {counts} in {time.perf_counter() - started:.1f} s")
            open_database(str(path))
            forget_cached_settings()
            try:
                return measure(runs, with_app, verbose)
            finally:
                close_database()
    finally:
        if before is None:
            os.environ.pop("DESTA_TODAY", None)
        else:
            os.environ["DESTA_TODAY"] = before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    parser.add_argument("--no-app", action="store_true", help="skip the dashboard screen")
    args = parser.parse_args()
    print_results(run(args.runs, args.keep, with_app=not args.no_app))


if __name__ == "__main__":
    main()
