"""Run every benchmark: `python -m bench [--only NAME ...] [--write docs/benchmarks.md]`.

Each module in BENCHMARKS exposes `run() -> list[BenchResult]`; this prints their figures as
they come and a summary at the end. `--write` puts the summary, with the date and the machine,
between the figure markers of the benchmarks page. The exit status is 1 when a figure is over
its budget, so a change that breaks one shows up where it is run.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.results import BenchResult, print_results

BENCHMARKS = (
    "startup", "members_filter", "large_history", "import_rows", "pack", "desks", "sync_merge",
)  # fmt: skip
"""In the order the budgets appear in DESIGN.md; the cheap ones first."""

START_MARK = "<!-- figures:start -->"
END_MARK = "<!-- figures:end -->"


def machine_line() -> str:
    """The machine the figures come from: they only compare within one machine."""
    from importlib.metadata import version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"Textual {version('textual')}, reportlab {version('reportlab')}"
    )


def verdict(result: BenchResult) -> str:
    return {True: "met", False: "**over**", None: "(figure only)"}[result.within_budget]


def budget_text(result: BenchResult) -> str:
    parts = []
    if result.figure_budget:
        parts.append(f"≤ {result.figure_budget:g} {result.unit}")
    if result.ratio_budget:
        parts.append(f"ratio ≤ {result.ratio_budget:g}")
    return ", ".join(parts) or "none"


def markdown(results: list[BenchResult], took_s: float) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        START_MARK,
        f"Measured {stamp} on {machine_line()}; the whole run took {took_s:.0f} s.",
        "",
        "| Benchmark | Figure | Baseline (same run) | Ratio | Budget | |",
        "|---|--:|---|--:|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.figure:.1f} {r.unit} | {r.baseline:.1f} {r.unit} ({r.baseline_name})"
            f" | {r.ratio:.2f} | {budget_text(r)} | {verdict(r)} |"
        )
    lines.append(END_MARK)
    return "\n".join(lines)


def write_figures(page: Path, block: str) -> None:
    """Replace the figures between the markers; the prose around them is kept as written."""
    text = page.read_text(encoding="utf-8") if page.exists() else f"{START_MARK}\n{END_MARK}\n"
    if START_MARK not in text or END_MARK not in text:
        raise SystemExit(f"{page} has no {START_MARK} ... {END_MARK} markers to write between")
    before, rest = text.split(START_MARK, 1)
    after = rest.split(END_MARK, 1)[1]
    page.write_text(before + block + after, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, help="run just these")
    parser.add_argument("--write", type=Path, metavar="PAGE", help="write the figures into PAGE")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    results: list[BenchResult] = []
    for name in args.only or BENCHMARKS:
        print(f"== bench.{name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        found = module.run()
        print_results(found)
        results += found
        print(flush=True)
    took = time.perf_counter() - started

    print("== summary")
    print_results(results)
    if args.write:
        write_figures(args.write, markdown(results, took))
        print(f"figures written to {args.write}")
    return 1 if any(r.within_budget is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
