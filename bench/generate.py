"""Large hubs for the benchmarks, at a scale: 1x is 10,000 organisations, 10x the next release's.

Usage: python -m bench.generate [--scale 1] [PATH] [--fresh]

| scale | organisations | providers | contracts | consortia | years | tickets |
|------:|--------------:|----------:|----------:|----------:|------:|--------:|
|    1x |        10,000 |       200 |        10 |         1 |     3 |   5,000 |
|    3x |        30,000 |       600 |        30 |         3 |     5 |  15,000 |
|   10x |       100,000 |     2,000 |       100 |        10 |    10 |  50,000 |

Every consortium has 10 contracts of 20 partners, so the meeting pack of one consortium has the
same pages at every scale and only its history grows. Every hub's "today" is HUB_TODAY, a
fortnight after its last month of returns. Built hubs are kept in a cache folder (CACHE_DIR),
keyed by scale, GENERATOR_VERSION and the schema version, and reused by later runs: open a copy
(`working_copy`, `shared_copy`) when a benchmark writes to one.
"""

from __future__ import annotations

import argparse
import atexit
import math
import os
import random
import shutil
import sqlite3
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from desta_tui.domain.periods import Period
from desta_tui.domain.returns import CUMULATIVE_RULES, SUBSET_RULES
from desta_tui.domain.text import fold
from desta_tui.domain.tickets import format_reference
from desta_tui.domain.validation import normalise_name

GENERATOR_VERSION = 2
"""Bump when what build_large_hub writes changes: the cached hubs are then built again."""

CACHE_DIR = Path(os.environ.get("DESTA_BENCH_CACHE") or Path(tempfile.gettempdir()) / "desta-bench")
"""Where built hubs are kept between runs (DESTA_BENCH_CACHE to choose another folder)."""

STAMP = datetime(2026, 1, 1, 9, 0, 0)
LAST_MONTH = Period(2016, 3)
"""The last month with returns in every hub, however many years it holds."""
HUB_TODAY = date(2016, 4, 15)
"""'Today' in the large hubs: a fortnight after their last month of returns ends, with papers
running out and tickets falling due around it as in a real month."""
FIRST_MONTH = LAST_MONTH.shift(-35)
"""The first month of the 1x hub's three years (April 2013)."""
CONTRACTS_PER_CONSORTIUM = 10

WORDS = [
    "Community",
    "Health",
    "Wellbeing",
    "Carers",
    "Youth",
    "Elders",
    "Refugee",
    "Family",
    "Advice",
    "Recovery",
    "Arts",
    "Sports",
    "Women's",
    "Men's",
    "Deaf",
    "Mental",
    "Sickle",
    "Dementia",
    "Parkinson's",
    "Tamil",
    "Somali",
    "Polish",
    "Turkish",
    "Irish",
    "Bengali",
]
KINDS = ["Trust", "Forum", "Network", "Group", "Project", "Association", "Circle", "Centre"]
PLACES = ["Acton", "Brent", "Ealing", "Fulham", "Harrow", "Hayes", "Hounslow", "Kilburn",
          "Paddington", "Pimlico", "Southall", "Uxbridge", "Wembley", "White City"]  # fmt: skip
BOROUGHS = ["Brent", "Ealing", "Hammersmith & Fulham", "Harrow", "Hillingdon", "Hounslow",
            "Kensington & Chelsea", "Westminster"]  # fmt: skip
METRICS = ["enrolments", "completions", "bme_recruited", "bme_retained", "deprived_wards"]


@dataclass(frozen=True)
class HubSize:
    """How much a hub holds."""

    organisations: int
    providers: int
    contracts: int
    years: int
    tickets: int

    @classmethod
    def at(cls, scale: float) -> HubSize:
        """The hub `scale` times the 1x hub; years grow from 3 at 1x to 10 at 10x."""
        years = {1: 3, 3: 5, 10: 10}.get(scale) or max(1, round(3 + 7 * (scale - 1) / 9))
        return cls(
            organisations=max(50, round(10_000 * scale)),
            providers=max(4, round(200 * scale)),
            contracts=max(2, round(10 * scale)),
            years=years,
            tickets=max(20, round(5_000 * scale)),
        )

    @property
    def consortia(self) -> int:
        return math.ceil(self.contracts / CONTRACTS_PER_CONSORTIUM)

    @property
    def months(self) -> int:
        return 12 * self.years

    @property
    def first_month(self) -> Period:
        return LAST_MONTH.shift(1 - self.months)

    def describe(self) -> str:
        return (
            f"{self.organisations:,} organisations, {self.providers:,} providers, "
            f"{self.contracts} contracts, {self.years} years, {self.tickets:,} tickets"
        )


def scale_label(scale: float) -> str:
    """1.0 -> "1x", 0.01 -> "0.01x"."""
    return f"{scale:g}x"


def _uuid(table: int, n: int) -> str:
    """A fixed, well-formed version-4 uuid per table and row: the hub is the same every build."""
    return f"{table:08x}-0000-4000-8000-{n:012x}"


def _base(table: int, n: int) -> tuple[str, datetime, datetime]:
    return (_uuid(table, n), STAMP, STAMP)


RULES = [
    (METRICS.index(r.part), METRICS.index(r.whole)) for r in (*SUBSET_RULES, *CUMULATIVE_RULES)
]


def _consistent(values: list[int]) -> list[int]:
    """The random figures (one return of len(METRICS) figures after another) lowered where a
    part would exceed its whole, so every return passes the checks the returns grid makes."""
    fixed = list(values)
    for start in range(0, len(fixed), len(METRICS)):
        for _ in RULES:  # a part can be another rule's whole: settle the chain
            for part, whole in RULES:
                fixed[start + part] = min(fixed[start + part], fixed[start + whole])
    return fixed


def _figures(rng: random.Random) -> list[int]:
    """One month's figures of one partner, consistent as _consistent makes them."""
    return _consistent([rng.randint(4, 12) for _ in METRICS])


def _indexes_of(conn: sqlite3.Connection, tables: list[str]) -> list[tuple[str, str]]:
    marks = ", ".join("?" * len(tables))
    return conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        tables,
    ).fetchall()


def _totals_fill() -> str | None:
    """The statement that sums the returns' totals from the returns (migration 0009's), if
    this version's schema keeps them."""
    from desta_tui.db.upgrade import migration_modules

    for _version, _name, module in migration_modules():
        if hasattr(module, "RETURN_TOTALS_FILL"):
            return module.RETURN_TOTALS_FILL
    return None


def build_large_hub(
    path: Path,
    size: HubSize | None = None,
    *,
    returned_months: int | None = None,
    seed: int = 2012,
    **counts: int,
) -> dict[str, int]:
    """Write a fresh database at path; return the counts written.

    `size` defaults to the 1x hub; keyword counts (organisations=, providers=, contracts=,
    years=, tickets=) change single figures of it. Every month has targets; only the first
    `returned_months` (all when None) have returns, so the rest can be imported as a hub would.
    The schema comes from open_database; the rows are written with plain executemany on one
    sqlite3 connection, with the tables' indexes built once after the rows are in."""
    from desta_tui.db.database import close_database, open_database

    size = HubSize(**{**asdict(size or HubSize.at(1)), **counts})
    rng = random.Random(seed)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_database(str(path))  # the schema, the migrations and the default settings
    close_database()

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")  # a half-built hub is thrown away, never repaired
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")  # 400 MB: the indexes sort in memory
    tables = ["organisation", "organisation_borough", "membership", "compliance_item",
              "contract_partner", "target", "monthly_return", "support_ticket"]  # fmt: skip
    indexes = _indexes_of(conn, tables)
    # the triggers keeping the returns' totals would look up a target for every return (with
    # the indexes gone, through the whole table): the totals are summed once at the end instead
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    conn.execute("BEGIN")
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    for name, _sql in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    months = [size.first_month.shift(i) for i in range(size.months)]
    returned = {period.key for period in months[:returned_months]}
    consortia = size.consortia
    conn.executemany(
        "INSERT INTO consortium (id, uuid, created_at, updated_at, name, short_name, focus, "
        "charity_number, notes) VALUES (?, ?, ?, ?, ?, ?, '', '', '')",
        [
            (c + 1, *_base(1, c), f"Large Consortium {c + 1}", f"Large {c + 1}")
            for c in range(consortia)
        ],
    )
    conn.executemany(
        "INSERT INTO borough (uuid, created_at, updated_at, name) VALUES (?, ?, ?, ?)",
        [(*_base(2, n), name) for n, name in enumerate(BOROUGHS)],
    )
    names, seen = [], set()
    while len(names) < size.organisations:
        name = f"{rng.choice(PLACES)} {rng.choice(WORDS)} {rng.choice(KINDS)} {len(names) + 1}"
        if normalise_name(name) not in seen:
            seen.add(normalise_name(name))
            names.append(name)
    conn.executemany(
        "INSERT INTO organisation (id, uuid, created_at, updated_at, name, name_key, kind, "
        "is_member, is_commissioner, charity_number, company_number, address, postcode, "
        "borough_id, email, phone, website, notes, search_text) VALUES "
        "(?, ?, ?, ?, ?, ?, 'charity', 1, 0, '', '', '', '', ?, '', '', '', '', ?)",
        (
            (i + 1, *_base(3, i), name, normalise_name(name), 1 + i % 8,
             fold(f"{name} | {BOROUGHS[i % 8]}"))
            for i, name in enumerate(names)
        ),
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO organisation_borough (organisation_id, borough_id) VALUES (?, ?)",
        ((i + 1, 1 + i % 8) for i in range(size.organisations)),
    )

    # partners: 20 to a contract (the last contract takes any left over), organisations 2 on
    per_contract = max(1, size.providers // size.contracts)
    partner_contract = [min(size.contracts, 1 + p // per_contract) for p in range(size.providers)]

    def consortium_of(contract_id: int) -> int:
        return 1 + (contract_id - 1) // CONTRACTS_PER_CONSORTIUM

    def member_of(org_index: int) -> int:
        provider = org_index - 1
        if 0 <= provider < size.providers:
            return consortium_of(partner_contract[provider])
        return 1 + org_index % consortia

    conn.executemany(
        "INSERT INTO membership (uuid, created_at, updated_at, organisation_id, consortium_id,"
        " status, has_board_seat, is_smg_member, has_vote, notes) "
        "VALUES (?, ?, ?, ?, ?, 'active', 0, 0, 1, '')",
        ((*_base(4, i), i + 1, member_of(i)) for i in range(size.organisations)),
    )
    conn.executemany(
        "INSERT INTO compliance_item (uuid, created_at, updated_at, organisation_id, kind, "
        "reference, expires_on, notes) VALUES (?, ?, ?, ?, 'insurance', '', ?, '')",
        # 3 in 100 expired, 6 in 100 running out within 60 days, the rest later
        ((*_base(5, i), i + 1, (HUB_TODAY + timedelta(days=i % 1000 - 30)).isoformat())
         for i in range(size.organisations)),
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO metric (uuid, created_at, updated_at, code, name, unit, aggregation, "
        "sort_order, description) VALUES (?, ?, ?, ?, ?, 'count', 'sum', ?, '')",
        [
            (*_base(6, n), code, code.replace("_", " ").capitalize(), n)
            for n, code in enumerate(METRICS)
        ],
    )
    conn.executemany(
        "INSERT INTO contract (id, uuid, created_at, updated_at, consortium_id, commissioner_id, "
        "title, reference, stage, total_value_pence, annual_value_pence, starts_on, ends_on, "
        "period_kind, contact_interval_days, notes) VALUES "
        "(?, ?, ?, ?, ?, 1, ?, '', 'in_delivery', ?, ?, ?, ?, 'month', 14, '')",
        [
            (c + 1, *_base(7, c), consortium_of(c + 1), f"Contract {c + 1}", 100_000_000,
             100_000_000 // size.years, months[0].first_day.isoformat(),
             months[-1].last_day.isoformat())
            for c in range(size.contracts)
        ],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO contract_partner (id, uuid, created_at, updated_at, contract_id, "
        "organisation_id, role, allocated_value_pence, compliance_override_reason, notes) "
        "VALUES (?, ?, ?, ?, ?, ?, 'delivery', 400000, '', '')",
        [(p + 1, *_base(8, p), partner_contract[p], p + 2) for p in range(size.providers)],
    )

    def figures() -> Iterator[tuple[int, int, int, str]]:
        for p in range(size.providers):
            for period in months:
                for metric_id in range(1, len(METRICS) + 1):
                    yield partner_contract[p], p + 1, metric_id, period.key

    conn.executemany(
        "INSERT INTO target (uuid, created_at, updated_at, contract_id, partner_id, metric_id,"
        " period, value) VALUES (?, ?, ?, ?, ?, ?, ?, 10)",
        ((*_base(9, n), *row) for n, row in enumerate(figures())),
    )

    def returns() -> Iterator[tuple]:
        values: list[int] = []
        n = 0
        for row in figures():
            if not values:
                values = _figures(rng)[::-1]
            value = values.pop()
            if row[-1] in returned:
                yield (*_base(10, n), *row, value, STAMP)
                n += 1

    conn.executemany(
        "INSERT INTO monthly_return (uuid, created_at, updated_at, contract_id, partner_id, "
        "metric_id, period, value, entered_by, entered_at, correction_note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, '')",
        returns(),
    )

    def tickets() -> Iterator[tuple]:
        for t in range(size.tickets):
            provider = t % size.providers
            # one in twenty still open, opened in the last four months (about half of them
            # overdue); the rest closed, opened over the three years before
            is_open = t % 20 == 0
            opened = HUB_TODAY - timedelta(t % 120 if is_open else 60 + t * 7 % 1000)
            yield (
                *_base(11, t), format_reference(t + 1), partner_contract[provider], provider + 2,
                f"Support request {t + 1}", (opened + timedelta(days=60)).isoformat(),
                "open" if is_open else "closed", opened.isoformat(),
            )  # fmt: skip

    conn.executemany(
        "INSERT INTO support_ticket (uuid, created_at, updated_at, reference, contract_id, "
        "provider_id, subject, category, priority, owner, due_on, stage, status, opened_on, "
        "outcome, description) VALUES (?, ?, ?, ?, ?, ?, ?, 'other', 'normal', '', ?, "
        "'support', ?, ?, '', '')",
        tickets(),
    )
    for _name, sql in indexes + triggers:
        conn.execute(sql)
    fill = _totals_fill()
    if fill:
        conn.execute(fill)
    # the day's first opening would copy the whole file into a backups folder beside it, in a
    # worker, while the benchmarks time the screens: a cost of once a day, left out here
    conn.execute(
        "INSERT INTO setting (key, value, updated_at) VALUES ('backups_to_keep', '0', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (STAMP,),
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return {
        "organisations": size.organisations,
        "providers": size.providers,
        "contracts": size.contracts,
        "consortia": consortia,
        "months": len(months),
        "returns": size.providers * len(METRICS) * len(returned),
        "tickets": size.tickets,
    }


def cached_hub_path(scale: float) -> Path:
    """Where the hub of `scale` is kept: named by scale, generator and schema (the migrations'
    text, so a migration changed or merged under a number already taken makes a new hub)."""
    import importlib.util

    from desta_tui.db.upgrade import migration_names

    schema = zlib.crc32(b"")
    for _version, _name, module in migration_names():
        origin = importlib.util.find_spec(module).origin
        schema = zlib.crc32(Path(origin).read_bytes(), schema)
    latest = migration_names()[-1][0]
    return (
        CACHE_DIR / f"hub-{scale_label(scale)}-g{GENERATOR_VERSION}-s{latest}-{schema:08x}.sqlite3"
    )


def cached_hub(scale: float, *, fresh: bool = False, verbose: bool = True) -> Path:
    """The hub of `scale` from the cache, built there first if it is not (or `fresh`)."""
    path = cached_hub_path(scale)
    if path.exists() and not fresh:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    started = time.perf_counter()
    try:
        counts = build_large_hub(partial, HubSize.at(scale))
        os.replace(partial, path)  # a hub interrupted while building is never reused
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
    if verbose:
        took = time.perf_counter() - started
        print(f"built the {scale_label(scale)} hub in {took:.1f} s: {counts} ({path})", flush=True)
    return path


def working_copy(scale: float, folder: Path, name: str | None = None) -> Path:
    """A copy of the cached hub of `scale` in `folder`, for a benchmark to open and write to."""
    source = cached_hub(scale)
    target = folder / (name or f"hub-{scale_label(scale)}.sqlite3")
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


_shared: dict[float, Path] = {}


def shared_copy(scale: float) -> Path:
    """One working copy of the hub of `scale` for this process's benchmarks, which read it and
    write only a figure or two; removed when the process ends."""
    if scale not in _shared:
        folder = Path(tempfile.mkdtemp(prefix="desta-bench-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _shared[scale] = working_copy(scale, folder)
    return _shared[scale]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?", help="build here (default: the cache)")
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--fresh", action="store_true", help="build again even if cached")
    args = parser.parse_args()
    scale = int(args.scale) if args.scale == int(args.scale) else args.scale
    if args.path is None:
        print(cached_hub(scale, fresh=args.fresh))
        return
    started = time.perf_counter()
    counts = build_large_hub(args.path, HubSize.at(scale))
    print(f"built {args.path} in {time.perf_counter() - started:.1f} s: {counts}")


if __name__ == "__main__":
    main()
