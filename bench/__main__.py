"""Run every benchmark: `python -m bench [--only NAME ...] [--scales 1,3,10] [--write PAGE]`.

Each module in BENCHMARKS exposes `run(scales) -> list[BenchResult]`, measuring on the large hub
of each scale (bench/generate.py; built once and cached); this prints their figures as they
come and a summary at the end, then the cost curve: each figure at every scale measured, and
how it grows. `--write` puts both, with the date and the machine, between the figure markers of
the benchmarks page. The exit status is 1 when a figure is over its budget, so a change that
breaks one shows up where it is run.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import math
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

DEFAULT_SCALES = (1.0, 3.0, 10.0)
"""The hubs measured: 1x, 3x for the shape of the curve, and 10x, the next release's."""

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


def parse_scales(text: str) -> tuple[float, ...]:
    """The hubs to measure on, smallest first: "1,3,10" gives (1.0, 3.0, 10.0)."""
    try:
        scales = sorted({float(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"scales are numbers such as 1,3,10, not {text!r}"
        ) from None
    if not scales or any(scale <= 0 for scale in scales):
        raise argparse.ArgumentTypeError(f"scales are numbers above 0 such as 1,3,10: {text!r}")
    return tuple(scales)


def _scale_of(label: str) -> float:
    return float(label.rstrip("x"))


def growth(figures: dict[str, float]) -> str:
    """How a figure grows with the hub: the slope of log(figure) against log(scale), in words.

    0 is flat, 1 linear (ten times the hub, ten times the figure); the factor from the
    smallest scale to the largest is given with the word."""
    points = sorted((_scale_of(label), value) for label, value in figures.items() if value > 0)
    if len(points) < 2:
        return ""
    xs = [math.log(scale) for scale, _ in points]
    ys = [math.log(value) for _, value in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    if slope < 0.2:
        word = "flat"
    elif slope < 0.8:
        word = "sub-linear"
    elif slope <= 1.25:
        word = "linear"
    else:
        word = "**worse than linear**"
    factor = points[-1][1] / points[0][1]
    return f"{word} (×{factor:.1f} for ×{points[-1][0] / points[0][0]:g} the hub)"


def cost_curve(results: list[BenchResult]) -> tuple[list[str], list[tuple[str, dict, str]]]:
    """The scales measured, and per figure measured at more than one: its value at each."""
    scales = sorted({r.scale for r in results if r.scale}, key=_scale_of)
    by_name: dict[str, dict[str, BenchResult]] = {}
    for r in results:
        if r.scale:
            by_name.setdefault(r.name, {})[r.scale] = r
    rows = []
    for name, found in by_name.items():
        if len(found) > 1:
            rows.append((name, found, growth({s: r.figure for s, r in found.items()})))
    return scales, rows


def load_text(load: tuple[float, ...] | None) -> str:
    """The machine's load when the run started: figures from a busy machine read high."""
    if not load:
        return ""
    return f" (load average {load[0]:.1f} at the start)"


def markdown(
    results: list[BenchResult], took_s: float, load: tuple[float, ...] | None = None
) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        START_MARK,
        f"Measured {stamp} on {machine_line()}{load_text(load)}; the whole run took "
        f"{took_s:.0f} s.",
        "",
        "| Benchmark | Figure | Baseline (same run) | Ratio | Budget | |",
        "|---|--:|---|--:|---|---|",
    ]
    for r in results:
        name = f"{r.name}, {r.scale} hub" if r.scale else r.name
        lines.append(
            f"| {name} | {r.figure:.1f} {r.unit} | {r.baseline:.1f} {r.unit} ({r.baseline_name})"
            f" | {r.ratio:.2f} | {budget_text(r)} | {verdict(r)} |"
        )
    scales, rows = cost_curve(results)
    if rows:
        lines += [
            "",
            "The cost curve: each figure on every hub measured, and how it grows with the hub.",
            "",
            "| Benchmark | " + " | ".join(scales) + " | Growth |",
            "|---|" + "--:|" * len(scales) + "---|",
        ]
        for name, found, grows in rows:
            cells = [
                f"{found[s].figure:.1f} {found[s].unit}" if s in found else "–" for s in scales
            ]
            lines.append(f"| {name} | " + " | ".join(cells) + f" | {grows} |")
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
    parser.add_argument(
        "--scales",
        type=parse_scales,
        default=DEFAULT_SCALES,
        metavar="1,3,10",
        help="the hubs to measure on, as multiples of the 1x hub (default 1,3,10)",
    )
    parser.add_argument("--write", type=Path, metavar="PAGE", help="write the figures into PAGE")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    results: list[BenchResult] = []
    for name in args.only or BENCHMARKS:
        print(f"== bench.{name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        # the benchmarks of the large hubs take the scales; the others have their own sizes
        takes_scales = "scales" in inspect.signature(module.run).parameters
        found = module.run(scales=args.scales) if takes_scales else module.run()
        print_results(found)
        results += found
        print(flush=True)
    took = time.perf_counter() - started

    print("== summary")
    print_results(results)
    scales, curve = cost_curve(results)
    if curve:
        print("\n== cost curve")
        print(f"{'':<46} " + " ".join(f"{s:>10}" for s in scales))
        for name, found, grows in curve:
            cells = " ".join(
                f"{found[s].figure:10.1f}" if s in found else f"{'–':>10}" for s in scales
            )
            print(f"{name:<46} {cells}  {grows.replace('**', '')}")
    if args.write:
        write_figures(args.write, markdown(results, took, load))
        print(f"figures written to {args.write}")
    return 1 if any(r.within_budget is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
