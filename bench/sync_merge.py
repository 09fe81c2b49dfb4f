"""Offline sites: a laptop merging a month of a large hub's edits from one bundle file.

Usage: python -m bench.sync_merge [--edits 600] [--runs 3] [--keep DIR]

Builds bench.generate's large hub (10,000 organisations, 200 providers on 10 contracts, 3 years
of targets, returns but for the last month), writes its full bundle and starts a laptop from it.
Then the hub does a month's work through the services: the month's returns for every partner
imported from a file (1,000 figures), `edits` organisations' details changed one save at a time,
and a few records archived. The hub's bundle of that month is imported into a fresh copy of the
laptop `runs` times: checked, backed up, applied all or nothing, the rules re-checked. Also
timed: writing the month's bundle at the hub, and the full bundle a new laptop starts from.

The baseline is the month's returns file imported at the laptop directly (what keying the
month in there would cost): the ratio says how much a merge costs over doing the work itself.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.results import BenchResult, print_results


def _fresh(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)


def _month_of_edits(folder: Path, edits: int) -> Path:
    """The hub's month: the month's returns imported, organisations edited, a few archived.
    Returns the returns file (the baseline imports it too)."""
    from bench.generate import FIRST_MONTH
    from bench.import_rows import write_returns_file
    from desta_tui.db.database import db
    from desta_tui.db.models import Organisation
    from desta_tui.services.audit import update_record
    from desta_tui.services.importing import import_file
    from desta_tui.services.records import archive_record

    returns = folder / "month.csv"
    providers = db.execute_sql(
        "SELECT COUNT(*) FROM contract_partner WHERE role IN ('lead', 'delivery')"
    ).fetchone()[0]
    write_returns_file(returns, providers * 5, FIRST_MONTH.shift(35))
    report = import_file("returns", returns)
    assert report.ok, report.errors[:3]
    rng = random.Random(2016)
    ids = [row[0] for row in db.execute_sql("SELECT id FROM organisation ORDER BY id")]
    for number, org_id in enumerate(rng.sample(ids, edits)):
        with db.atomic():
            org = Organisation.get_by_id(org_id)
            update_record(org, phone=f"020 7946 {number:04d}", notes=f"Visited in March {number}")
    for org_id in rng.sample(ids, 20):
        archive_record("organisation", Organisation.get_by_id(org_id).uuid)
    return returns


def run(edits: int = 600, runs: int = 3, keep: Path | None = None, verbose: bool = True
        ) -> list[BenchResult]:  # fmt: skip
    from bench.generate import build_large_hub
    from desta_tui.db.database import close_database, open_database
    from desta_tui.services.importing import import_file
    from desta_tui.services.sync import export_bundle, import_bundle

    with tempfile.TemporaryDirectory(prefix="desta-bench-") as scratch:
        folder = keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        hub = folder / "sync-hub.sqlite3"
        counts = build_large_hub(hub, providers=200, contracts=10, years=3, returned_months=35,
                                 tickets=500)  # fmt: skip
        open_database(str(hub))
        started = time.perf_counter()
        full = export_bundle(folder / "full.desta-bundle", full=True)
        full_ms = (time.perf_counter() - started) * 1000
        close_database()
        laptop = folder / "sync-laptop.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{laptop}{suffix}").unlink(missing_ok=True)
        open_database(str(laptop))
        started = time.perf_counter()
        import_bundle(full.path)
        join_ms = (time.perf_counter() - started) * 1000
        close_database()

        open_database(str(hub))
        returns = _month_of_edits(folder, edits)
        started = time.perf_counter()
        month = export_bundle(folder / "month.desta-bundle")
        export_ms = (time.perf_counter() - started) * 1000
        close_database()
        if verbose:
            print(f"hub: {counts}; full bundle {full.path.stat().st_size:,} bytes "
                  f"({full.records:,} records); the month's bundle {month.changes:,} changes, "
                  f"{month.path.stat().st_size:,} bytes")  # fmt: skip

        copy = folder / "sync-run.sqlite3"

        def merged() -> tuple[float, object]:
            _fresh(laptop, copy)
            open_database(str(copy))
            try:
                started = time.perf_counter()
                report = import_bundle(month.path)
                return (time.perf_counter() - started) * 1000, report
            finally:
                close_database()

        def keyed_in() -> float:
            _fresh(laptop, copy)
            open_database(str(copy))
            try:
                started = time.perf_counter()
                report = import_file("returns", returns)
                assert report.ok
                return (time.perf_counter() - started) * 1000
            finally:
                close_database()

        merged()  # warm: modules imported, the files in the page cache
        measured = [merged() for _ in range(runs)]
        baseline = statistics.median(keyed_in() for _ in range(runs))
        report = measured[0][1]
        if verbose:
            print("\n".join(report.lines()))
        name = f"merge a month of the hub's edits ({report.new:,} changes)"
        return [
            BenchResult(name, statistics.median(m[0] for m in measured), baseline,
                        baseline_name="the month's returns imported directly"),
            BenchResult("write the month's bundle at the hub", export_ms, baseline,
                        baseline_name="the month's returns imported directly"),
            BenchResult(f"full bundle of the hub ({full.records:,} records), written", full_ms,
                        join_ms, baseline_name="a new laptop starting from it"),
        ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=600)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the hub and laptop in this folder")
    args = parser.parse_args()
    print_results(run(args.edits, args.runs, args.keep))


if __name__ == "__main__":
    main()
