"""A large hub for the benchmarks: 10,000 organisations, 200 providers, returns and tickets.

Usage: python -m bench.generate PATH [--years 3] [--organisations 10000] [--tickets 5000]
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from desta_tui.db.database import close_database, db, open_database
from desta_tui.domain.periods import Period
from desta_tui.domain.returns import CUMULATIVE_RULES, SUBSET_RULES
from desta_tui.domain.tickets import format_reference
from desta_tui.domain.validation import normalise_name

STAMP = datetime(2026, 1, 1, 9, 0, 0)
FIRST_MONTH = Period(2013, 4)
HUB_TODAY = date(2016, 4, 15)
"""'Today' in the large hub: a fortnight after its third year of returns (April 2013 on) ends,
with papers running out and tickets falling due around it as in a real month."""
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
METRICS = ["enrolments", "completions", "bme_recruited", "bme_retained", "deprived_wards"]


def _row_base() -> tuple[str, datetime, datetime]:
    return (str(uuid.uuid4()), STAMP, STAMP)


def _consistent(values: list[int]) -> list[int]:
    """The random figures (one return of len(METRICS) figures after another) lowered where a
    part would exceed its whole, so every return passes the checks the returns grid makes."""
    rules = [
        (METRICS.index(r.part), METRICS.index(r.whole)) for r in (*SUBSET_RULES, *CUMULATIVE_RULES)
    ]
    fixed = list(values)
    for start in range(0, len(fixed), len(METRICS)):
        for _ in rules:  # a part can be another rule's whole: settle the chain
            for part, whole in rules:
                fixed[start + part] = min(fixed[start + part], fixed[start + whole])
    return fixed


def build_large_hub(
    path: Path,
    *,
    organisations: int = 10_000,
    providers: int = 200,
    contracts: int = 10,
    years: int = 3,
    tickets: int = 5_000,
    returned_months: int | None = None,
    seed: int = 2012,
) -> dict[str, int]:
    """Write a fresh database at path; return the counts written.

    Every month of the `years` has targets; only the first `returned_months` (all when None)
    have returns, so the rest can be imported as a hub would."""
    rng = random.Random(seed)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_database(str(path))
    conn = db.connection()
    months = [FIRST_MONTH.shift(i) for i in range(12 * years)]
    with db.atomic():
        conn.execute(
            "INSERT INTO consortium (uuid, created_at, updated_at, name, short_name, focus, "
            "charity_number, notes) VALUES (?, ?, ?, 'Large Consortium', 'Large', '', '', '')",
            _row_base(),
        )
        boroughs = ["Brent", "Ealing", "Hammersmith & Fulham", "Harrow", "Hillingdon", "Hounslow",
                    "Kensington & Chelsea", "Westminster"]  # fmt: skip
        conn.executemany(
            "INSERT INTO borough (uuid, created_at, updated_at, name) VALUES (?, ?, ?, ?)",
            [(*_row_base(), name) for name in boroughs],
        )
        names, seen = [], set()
        while len(names) < organisations:
            name = f"{rng.choice(PLACES)} {rng.choice(WORDS)} {rng.choice(KINDS)} {len(names) + 1}"
            if normalise_name(name) not in seen:
                seen.add(normalise_name(name))
                names.append(name)
        conn.executemany(
            "INSERT INTO organisation (uuid, created_at, updated_at, name, name_key, kind, "
            "is_member, is_commissioner, charity_number, company_number, address, postcode, "
            "borough_id, email, phone, website, notes, search_text) VALUES "
            "(?, ?, ?, ?, ?, 'charity', 1, 0, '', '', '', '', ?, '', '', '', '', ?)",
            [
                (
                    *_row_base(),
                    name,
                    normalise_name(name),
                    1 + i % 8,
                    f"{name.casefold()} | {boroughs[i % 8].casefold()}",
                )
                for i, name in enumerate(names)
            ],  # fmt: skip
        )
        conn.executemany(
            "INSERT INTO organisation_borough (organisation_id, borough_id) VALUES (?, ?)",
            [(i + 1, 1 + i % 8) for i in range(organisations)],
        )
        conn.executemany(
            "INSERT INTO membership (uuid, created_at, updated_at, organisation_id, consortium_id,"
            " status, has_board_seat, is_smg_member, has_vote, notes) "
            "VALUES (?, ?, ?, ?, 1, 'active', 0, 0, 1, '')",
            [(*_row_base(), i + 1) for i in range(organisations)],
        )
        conn.executemany(
            "INSERT INTO compliance_item (uuid, created_at, updated_at, organisation_id, kind, "
            "reference, expires_on, notes) VALUES (?, ?, ?, ?, 'insurance', '', ?, '')",
            [
                # 3 in 100 expired, 6 in 100 running out within 60 days, the rest later
                (*_row_base(), i + 1, (HUB_TODAY + timedelta(days=i % 1000 - 30)).isoformat())
                for i in range(organisations)
            ],  # fmt: skip
        )
        conn.executemany(
            "INSERT INTO metric (uuid, created_at, updated_at, code, name, unit, aggregation, "
            "sort_order, description) VALUES (?, ?, ?, ?, ?, 'count', 'sum', ?, '')",
            [
                (*_row_base(), code, code.replace("_", " ").capitalize(), n)
                for n, code in enumerate(METRICS)
            ],  # fmt: skip
        )
        start = months[0].first_day.isoformat()
        conn.executemany(
            "INSERT INTO contract (uuid, created_at, updated_at, consortium_id, commissioner_id, "
            "title, reference, stage, total_value_pence, annual_value_pence, starts_on, ends_on, "
            "period_kind, contact_interval_days, notes) VALUES "
            "(?, ?, ?, 1, 1, ?, '', 'in_delivery', ?, ?, ?, ?, 'month', 14, '')",
            [
                (
                    *_row_base(),
                    f"Contract {c + 1}",
                    100_000_000,
                    100_000_000 // years,
                    start,
                    months[-1].last_day.isoformat(),
                )
                for c in range(contracts)
            ],  # fmt: skip
        )
        per_contract = providers // contracts
        partners = []
        for p in range(providers):
            contract_id = 1 + p // per_contract if p // per_contract < contracts else contracts
            partners.append((contract_id, p + 2))
        conn.executemany(
            "INSERT INTO contract_partner (uuid, created_at, updated_at, contract_id, "
            "organisation_id, role, allocated_value_pence, compliance_override_reason, notes) "
            "VALUES (?, ?, ?, ?, ?, 'delivery', 400000, '', '')",
            [(*_row_base(), contract_id, org_id) for contract_id, org_id in partners],
        )
        figures = []
        for partner_id, (contract_id, _org) in enumerate(partners, start=1):
            for period in months:
                for metric_id in range(1, len(METRICS) + 1):
                    figures.append((contract_id, partner_id, metric_id, period.key))
        conn.executemany(
            "INSERT INTO target (uuid, created_at, updated_at, contract_id, partner_id, metric_id,"
            " period, value) VALUES (?, ?, ?, ?, ?, ?, ?, 10)",
            [(*_row_base(), *row) for row in figures],
        )
        values = _consistent([rng.randint(4, 12) for _ in figures])
        returned = {period.key for period in months[:returned_months]}
        conn.executemany(
            "INSERT INTO monthly_return (uuid, created_at, updated_at, contract_id, partner_id, "
            "metric_id, period, value, entered_by, entered_at, correction_note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, '')",
            [
                (*_row_base(), *row, value, STAMP)
                for row, value in zip(figures, values, strict=True)
                if row[-1] in returned
            ],
        )
        conn.executemany(
            "INSERT INTO support_ticket (uuid, created_at, updated_at, reference, contract_id, "
            "provider_id, subject, category, priority, owner, due_on, stage, status, opened_on, "
            "outcome, description) VALUES (?, ?, ?, ?, ?, ?, ?, 'other', 'normal', '', ?, "
            "'support', ?, ?, '', '')",
            [
                (
                    *_row_base(),
                    format_reference(t + 1),
                    1 + t % contracts,
                    2 + t % providers,
                    f"Support request {t + 1}",
                    (opened + timedelta(days=60)).isoformat(),
                    "open" if is_open else "closed",
                    opened.isoformat(),
                )
                for t in range(tickets)
                # one in twenty still open, opened in the last four months (about half of
                # them overdue); the rest closed, opened over the three years before
                for is_open in [t % 20 == 0]
                for opened in [HUB_TODAY - timedelta(t % 120 if is_open else 60 + t * 7 % 1000)]
            ],  # fmt: skip
        )
    counts = {
        "organisations": organisations,
        "providers": providers,
        "contracts": contracts,
        "months": len(months),
        "returns": sum(1 for row in figures if row[-1] in returned),
        "tickets": tickets,
    }
    close_database()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--tickets", type=int, default=5_000)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = build_large_hub(
        args.path, organisations=args.organisations, years=args.years, tickets=args.tickets
    )
    print(f"built {args.path} in {time.perf_counter() - started:.1f} s: {counts}")


if __name__ == "__main__":
    main()
