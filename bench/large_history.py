"""Large-history budgets: the dashboard (50 ms at 1x, 100 ms at 10x); the returns grid's open and
save, the performance view and the ticket list (50 ms each at 10x).

Usage: python -m bench.large_history [--scales 1,3,10] [--runs 7] [--no-app]

On a copy of bench.generate's hub of each scale (1x: 10,000 organisations, 200 providers,
10 contracts, 3 years, 5,000 tickets; 10x: 100,000, 2,000, 100, 10 years, 50,000), with
"today" at LARGE_TODAY, times in-process, as the median of `runs` calls after a warm one, the
service calls the screens make:

- dashboard: `dashboard_summary()` for all consortia (what the dashboard screen asks for);
- returns grid, open: `load_returns_grid(contract, month)` for the first contract in delivery
  and the month the screen opens on (`default_month`, the last month of the third year);
- returns grid, save: `save_returns(...)` of that grid with one figure changed (one partner's
  enrolments, up one and back again in turn, so every save writes), as the screen's ctrl+s does;
- performance view: `contract_performance(contract)` (the figures to the latest month returned);
- ticket list: `list_tickets()` as the Tickets section opens (the open and waiting tickets);
- dashboard screen (unless --no-app): the real app headless on the dashboard, timed from a
  reload (ctrl+r's handler, which asks the service and fills the table) to a full repaint.

Each baseline is bare SQL on the same database in the same run, the least the figure could cost:
- dashboard and dashboard screen: `SELECT COUNT(*), SUM(value) FROM monthly_return WHERE
  archived_at IS NULL` (every return of the history read once);
- grid open: the bare select of the contract's returns for the month (partner, metric, value);
- grid save: one bare `UPDATE monthly_return SET value = ...` of a return, committed;
- performance view: the contract's returns summed per partner and metric in one grouped select;
- ticket list: the bare select of the unfinished tickets' rows, joined to their providers.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable, Sequence

from bench.results import BenchResult, print_results
from bench.timing import budget_between, hub_open, median_ms, repaint_ms

BUDGET_MS = 50.0
"""The returns grid, the performance view and the ticket list, at every scale."""


def dashboard_budget(scale: float) -> float:
    return budget_between(scale, 50.0, 100.0)


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


def measure(
    runs: int, with_app: bool = True, verbose: bool = True, scale: float = 1
) -> list[BenchResult]:
    """Time the open large hub's screens' service calls against their bare SQL."""
    from bench.generate import scale_label
    from desta_tui.db.database import db
    from desta_tui.services.dashboard import dashboard_summary
    from desta_tui.services.performance import (
        contract_performance,
        default_month,
        latest_returned_period,
        load_returns_grid,
        performance_contracts,
    )
    from desta_tui.services.tickets import list_tickets

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
    open_tickets = bare_sql(
        "SELECT support_ticket.reference, support_ticket.subject, support_ticket.due_on, "
        "organisation.name FROM support_ticket JOIN organisation "
        "ON organisation.id = support_ticket.provider_id WHERE support_ticket.archived_at IS NULL "
        "AND support_ticket.status NOT IN ('resolved', 'closed')"
    )

    summary = dashboard_summary()
    partners = len(load_returns_grid(contract_uuid, month).rows)
    if verbose:
        print(
            f"contract {contract_uuid[:8]} ({partners} partners), grid month {month.key}, "
            f"dashboard lines {len(summary.lines)}, open tickets {len(list_tickets())}"
        )
    label = scale_label(scale)
    dashboard = dashboard_budget(scale)
    results = [
        BenchResult("dashboard_summary(), all consortia", median_ms(dashboard_summary, runs),
                    median_ms(whole_history, runs), figure_budget=dashboard,
                    baseline_name="COUNT/SUM of every return", scale=label),
        BenchResult("returns grid open (one month)",
                    median_ms(lambda: load_returns_grid(contract_uuid, month), runs),
                    median_ms(month_select, runs), figure_budget=BUDGET_MS,
                    baseline_name="bare select of the month", scale=label),
        BenchResult("returns grid save (one figure changed)",
                    median_ms(grid_save(contract_uuid, month), runs),
                    median_ms(bare_update(first_return), runs), figure_budget=BUDGET_MS,
                    baseline_name="one bare UPDATE, committed", scale=label),
        BenchResult("performance view (contract_performance)",
                    median_ms(lambda: contract_performance(contract_uuid), runs),
                    median_ms(contract_sums, runs), figure_budget=BUDGET_MS,
                    baseline_name="bare grouped sum of the contract", scale=label),
        BenchResult("ticket list (list_tickets, open ones)", median_ms(list_tickets, runs),
                    median_ms(open_tickets, runs), figure_budget=BUDGET_MS,
                    baseline_name="bare select of the open tickets", scale=label),
    ]  # fmt: skip
    if with_app:
        screen_ms, shown = asyncio.run(dashboard_screen_ms(runs))
        if verbose:
            print(f"dashboard screen shows {shown} lines")
        results.append(
            BenchResult("dashboard screen reload (handler + repaint)", screen_ms,
                        median_ms(whole_history, runs), figure_budget=dashboard,
                        baseline_name="COUNT/SUM of every return", scale=label)
        )  # fmt: skip
    return results


def run(
    scales: Sequence[float] = (1,), runs: int = 7, with_app: bool = True, verbose: bool = True
) -> list[BenchResult]:
    """Time the screens on a copy of the hub of each scale (built first if not cached)."""
    from bench.generate import scale_label, shared_copy

    results = []
    for scale in scales:
        path = shared_copy(scale)
        if verbose:
            print(f"-- {scale_label(scale)} hub", flush=True)
        with hub_open(path):
            results += measure(runs, with_app, verbose, scale)
    return results


def main() -> None:
    from bench.__main__ import DEFAULT_SCALES, parse_scales

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=parse_scales, default=DEFAULT_SCALES)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-app", action="store_true", help="skip the dashboard screen")
    args = parser.parse_args()
    print_results(run(args.scales, args.runs, with_app=not args.no_app))


if __name__ == "__main__":
    main()
