"""Import budget: 20,000 rows of monthly returns, or of new organisations, import in under 1.5 s.

Usage: python -m bench.import_rows [--scales 1,3,10] [--rows 20000] [--runs 3] [--keep DIR]

Takes bench.generate's hub of each scale and removes its last months of returns (as many months
as `rows` returns fill), then writes those months' returns as a hub would get them: a CSV as
Excel saves it (UTF-8 with BOM, CRLF), one row per partner, metric and month, with the columns
Desta's own export of returns has. Each run imports it with `import_file("returns", ...)`, the
service `desta import returns FILE` and the app's import screen call, into a fresh copy of that
hub; a dry run (the preview) is timed the same way. Then a file of `rows` new organisations, as
a hub would have them (name, kind, member, postcode, boroughs, email, phone, notes), is imported
the same way with `import_file("organisations", ...)`: records, boroughs, history and search
text. Medians of `runs`.

The baseline is a plain `executemany` insert of the same number of rows, of the same columns,
into a scratch table on the same connection, in one transaction: what the rows cost to write
with nothing else done.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.results import BenchResult, print_results

BUDGET_MS = 1500.0
HEADERS = ["Contract", "Partner", "Metric", "Period", "Value", "Entered by", "Entered at"]


def write_returns_file(path: Path, rows: int, first_month) -> int:
    """Returns for every partner and metric from `first_month` on, until `rows` are written."""
    from bench.generate import METRICS, _consistent
    from desta_tui.db.database import db

    partners = db.execute_sql(
        "SELECT contract.title, organisation.name FROM contract_partner "
        "JOIN contract ON contract.id = contract_partner.contract_id "
        "JOIN organisation ON organisation.id = contract_partner.organisation_id "
        "WHERE contract_partner.role IN ('lead', 'delivery') ORDER BY contract_partner.id"
    ).fetchall()
    rng = random.Random(20)
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(HEADERS)
        month = first_month
        while written < rows:
            for contract, partner in partners:
                figures = _consistent([rng.randint(4, 12) for _ in METRICS])
                for code, figure in zip(METRICS, figures, strict=True):
                    if written == rows:
                        break
                    out.writerow([contract, partner, code, month.label, figure, "bench",
                                  f"{month.next().first_day:%d/%m/%Y} 09:30"])  # fmt: skip
                    written += 1
            month = month.next()
    return written


ORGANISATION_HEADERS = ["Name", "Kind", "Member", "Postcode", "Boroughs", "Email", "Phone",
                        "Notes"]  # fmt: skip


def write_organisations_file(path: Path, rows: int) -> int:
    """`rows` new organisations, a few boroughs each, as Excel saves a hub's list of them."""
    from desta_tui.db.database import db
    from desta_tui.domain.choices import ORGANISATION_KINDS

    boroughs = [name for (name,) in db.execute_sql("SELECT name FROM borough ORDER BY name")]
    kinds = [choice.label for choice in ORGANISATION_KINDS]
    rng = random.Random(10)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(ORGANISATION_HEADERS)
        for n in range(rows):
            areas = "; ".join(sorted(rng.sample(boroughs, rng.randint(0, 3))))
            out.writerow([f"Imported Community Group {n}", rng.choice(kinds),
                          rng.choice(("yes", "no")),
                          f"W{rng.randint(1, 14)} {rng.randint(1, 9)}DN", areas,
                          f"hello{n}@group{n}.org.uk", f"020 7946 {n % 10000:04d}",
                          f"from the {2010 + n % 5} directory"])  # fmt: skip
    return rows


def executemany_ms(rows: int) -> float:
    """A plain executemany of `rows` rows like a return's into a scratch table, committed."""
    from desta_tui.db.database import db

    p = db.param
    db.execute_sql(
        "CREATE TEMPORARY TABLE bench_scratch (uuid VARCHAR(36), created_at TIMESTAMP, "
        "updated_at TIMESTAMP, contract_id INTEGER, partner_id INTEGER, metric_id INTEGER, "
        "period VARCHAR(7), value BIGINT, entered_by VARCHAR(255), entered_at TIMESTAMP, "
        "correction_note TEXT)"
    )
    try:
        import uuid
        from datetime import datetime

        stamp = datetime(2026, 1, 1, 9, 0)
        values = [
            (str(uuid.uuid4()), stamp, stamp, 1, 1 + n % 200, 1 + n % 5, "2014-08", n % 12,
             "bench", stamp, "")
            for n in range(rows)
        ]  # fmt: skip
        started = time.perf_counter()
        with db.atomic():
            db.cursor().executemany(
                f"INSERT INTO bench_scratch VALUES ({', '.join([p] * 11)})", values
            )
        return (time.perf_counter() - started) * 1000
    finally:
        db.execute_sql("DROP TABLE bench_scratch")


def import_file(kind: str, path: Path, dry_run: bool):
    """The service `desta import` and the import screen call."""
    from desta_tui.services.importing import import_file as service

    return service(kind, path, dry_run=dry_run)


def import_hub(scale: float, folder: Path, rows: int) -> tuple[Path, object]:
    """A copy of the hub of `scale` without its last months of returns (as many as `rows`
    returns fill), and the first of those months."""
    from bench.generate import LAST_MONTH, METRICS, HubSize, working_copy
    from desta_tui.db.database import close_database, db, open_database

    size = HubSize.at(scale)
    months = math.ceil(rows / (size.providers * len(METRICS)))
    first = LAST_MONTH.shift(1 - months)
    hub = working_copy(scale, folder, "import-hub.sqlite3")
    open_database(str(hub))
    try:
        with db.atomic():
            db.execute_sql(f"DELETE FROM monthly_return WHERE period >= {db.param}", (first.key,))
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        close_database()
    return hub, first


def run(
    scales: Sequence[float] = (1,),
    rows: int = 20_000,
    runs: int = 3,
    keep: Path | None = None,
    verbose: bool = True,
) -> list[BenchResult]:
    """Import the files into a fresh copy of the hub of each scale `runs` times (and preview)."""
    from bench.generate import scale_label

    results = []
    for scale in scales:
        with tempfile.TemporaryDirectory(prefix="desta-bench-") as scratch:
            folder = keep or Path(scratch)
            folder.mkdir(parents=True, exist_ok=True)
            if verbose:
                print(f"-- {scale_label(scale)} hub", flush=True)
            results += _measure(scale, folder, rows, runs, verbose)
    return results


def _measure(scale: float, folder: Path, rows: int, runs: int, verbose: bool) -> list[BenchResult]:
    from bench.generate import scale_label
    from desta_tui.db.database import close_database, open_database

    hub, first_month = import_hub(scale, folder, rows)
    open_database(str(hub))
    source = folder / "returns.csv"
    written = write_returns_file(source, rows, first_month)
    organisations = folder / "organisations.csv"
    write_organisations_file(organisations, rows)
    close_database()
    if verbose:
        print(f"file: {written} rows from {first_month.label}, {source.stat().st_size:,} bytes")

    def timed(kind: str, path: Path, dry_run: bool) -> tuple[float, float, object]:
        copy = folder / "import-run.sqlite3"
        for suffix in ("-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(hub, copy)
        open_database(str(copy))
        try:
            baseline = executemany_ms(written)
            started = time.perf_counter()
            report = import_file(kind, path, dry_run=dry_run)
            took = (time.perf_counter() - started) * 1000
        finally:
            close_database()
        assert report.ok and report.created == written, (report.summary(), report.errors[:3])
        return took, baseline, report

    results = []
    measures = [("returns", source, False), ("returns", source, True),
                ("organisations", organisations, False)]  # fmt: skip
    for kind, path, dry_run in measures:
        timed(kind, path, dry_run)  # warm: modules imported, the file in the page cache
        measured = [timed(kind, path, dry_run) for _ in range(runs)]
        if verbose:
            print(measured[0][2].summary())
        name = f"import {written:,} {kind}" + (" (preview, dry run)" if dry_run else "")
        results.append(
            BenchResult(name, statistics.median(m[0] for m in measured),
                        statistics.median(m[1] for m in measured), figure_budget=BUDGET_MS,
                        baseline_name="plain executemany", scale=scale_label(scale))
        )  # fmt: skip
    return results


def main() -> None:
    from bench.__main__ import DEFAULT_SCALES, parse_scales

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=parse_scales, default=DEFAULT_SCALES)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the hub and the file in this folder")
    args = parser.parse_args()
    print_results(run(args.scales, args.rows, args.runs, args.keep))


if __name__ == "__main__":
    main()
