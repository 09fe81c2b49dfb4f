"""Pack budgets: the demo SMG pack under 1 s; 200 providers, 10 contracts, 3 years under 10 s,
with peak memory for 1 and 3 years of history side by side (it should not grow with history).

Usage: python -m bench.pack [--runs 5] [--keep DIR]
The baseline is a one-page PDF built by the same framework in the same run, so the ratio says
what the pack costs beyond reportlab's own start. For 3 years it also shows how much of the
pack is the services gathering the figures (the rest is laying out and writing the PDF).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import tracemalloc
from pathlib import Path

from bench.generate import FIRST_MONTH, build_large_hub
from bench.results import BenchResult, print_results
from bench.timing import LARGE_TODAY, median_ms


def _peak_mib(action) -> float:
    action()
    tracemalloc.start()
    try:
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024)


def _one_page(folder: Path):
    from datetime import date

    from desta_tui.reports.document import build_pdf
    from desta_tui.reports.flowables import para

    def build() -> None:
        build_pdf(folder / "one-page.pdf", [para("One page.")], title="Baseline",
                  printed_on=date(2012, 11, 5), printed_by="bench")  # fmt: skip

    return build


def _pack(folder: Path, period: str, name: str):
    from desta_tui.reports.printing import print_pack

    def build() -> None:
        print_pack(None, period, folder / name, replace=True)

    return build


def _gather(period: str):
    from desta_tui.services.reporting.consortium import pack_period
    from desta_tui.services.reporting.smg_pack import smg_pack

    def gather() -> None:
        smg_pack(None, pack_period(period))

    return gather


def run(runs: int = 5, folder: Path | None = None) -> list[BenchResult]:
    """The figures; the databases and PDFs go in `folder`, or a temporary one removed after."""
    if folder is None:
        with tempfile.TemporaryDirectory() as temporary:
            return run(runs, Path(temporary))
    from desta_tui.db.database import close_database, open_database
    from desta_tui.services.demo import write_demo_database
    from desta_tui.services.settings import forget_cached_settings

    results: list[BenchResult] = []
    baseline = median_ms(_one_page(folder), runs)

    write_demo_database(str(folder / "demo.sqlite3"), force=True)
    demo = median_ms(_pack(folder, "2012-10", "demo-pack.pdf"), runs)
    results.append(BenchResult("SMG pack, demo data", demo, baseline, figure_budget=1000,
                               baseline_name="one-page PDF"))  # fmt: skip
    close_database()

    os.environ["DESTA_TODAY"] = LARGE_TODAY
    peaks: dict[int, float] = {}
    pages: dict[int, int] = {}
    for years in (1, 3):
        path = folder / f"large-{years}y.sqlite3"
        build_large_hub(path, years=years, providers=200, contracts=10)
        open_database(str(path))
        forget_cached_settings()
        last = FIRST_MONTH.shift(12 * years - 1).key  # the last month with returns
        build = _pack(folder, last, f"large-{years}y.pdf")
        took = median_ms(build, max(1, runs // 2))
        peaks[years] = _peak_mib(build)
        from pypdf import PdfReader

        pages[years] = len(PdfReader(folder / f"large-{years}y.pdf").pages)
        results.append(
            BenchResult(f"SMG pack, 200 providers, {years} year(s) ({pages[years]} pages)", took,
                        baseline, figure_budget=10_000 if years == 3 else 0,
                        baseline_name="one-page PDF")
        )  # fmt: skip
        if years == 3:
            gathering = median_ms(_gather(last), max(1, runs // 2))
            results.append(
                BenchResult("  of which gathering the figures (services)", gathering, took,
                            baseline_name="whole pack")
            )  # fmt: skip
        close_database()
    del os.environ["DESTA_TODAY"]
    results.append(
        BenchResult("peak memory, 3 years vs 1 year of history", peaks[3], peaks[1], unit="MiB",
                    ratio_budget=1.25, baseline_name="1 year")
    )  # fmt: skip
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep the databases and PDFs in this folder")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    print_results(run(args.runs, args.keep))


if __name__ == "__main__":
    main()
