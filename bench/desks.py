"""Desks at once on PostgreSQL: 2, 5, 10 and 20 desks saving returns and tickets together.

Usage: python -m bench.desks [--desks 2 5 10 20] [--saves 20] [--pause-ms 1000]

Starts a throwaway PostgreSQL server on a loopback port (tests/pg_server.py), writes the demo
hub there and copies its contract in delivery nine times (ten contracts, eight delivery partners
each). For each number of desks, a fresh copy of that hub is saved to by that many processes
(spawned, started together), each a fixed number of times, cycling through:

- `save_returns`: a whole return (five figures) for one partner and month; desks pair up on a
  contract (desks 0 and 1 on the first, 2 and 3 on the second ...), each with its own partners
  and months, so each figure has one writer and its last saved value must be the one in the
  database;
- `create_ticket`: a ticket about one of the desk's partners (references must come out unique);
- `add_ticket_note`: a note on the desk's latest ticket, or, for odd desks, on the demo's shared
  ticket T-0001 (every note must be there once).

Between saves a desk pauses about a second (0.5 to 1.5 s, the same on every run): a person
saving every second, far busier than anyone keying returns. With no pause (`--pause-ms 0`)
the desks only measure the machine: N desks saving back to back wait N / (saves per second)
on average however the saves are locked, so on two cores no lock can bring 10 desks under
200 ms; the pause makes p95 the wait a desk adds to another's save.

Each save is timed whole (what the person at the desk waits for) and, apart, the time it spent
waiting on the server's advisory locks. Afterwards the database is read past Desta: a return
saved but not there, or an audit row, ticket or note missing or there twice, is counted as lost
or duplicated. The baseline is one desk alone doing the same saves on the same hub.

Every loop has a fixed count, every wait a deadline; the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import time
from dataclasses import dataclass, field

from bench.results import BenchResult, print_results

DESKS = (2, 5, 10, 20)
SAVES = 20
"""Saves per desk: five turns of the cycle (ten returns, five tickets, five notes)."""
PAUSE_MS = 1000
"""A desk's pause between saves, on average."""
BUDGET_DESKS = 10
BUDGET_P95_MS = 200.0
CONTRACTS = 10
FIRST_MONTH = "2012-10"
"""The demo's months from October 2012 are not locked: saving them needs no correction note."""
MONTHS = 12
SPAWN_DEADLINE_S = 180.0
"""Every desk open and waiting at the start within this, or the run is abandoned."""
SAVES_DEADLINE_S = 300.0
"""Every desk done within this after the start; a desk past it stops saving."""
SHARED_TICKET = "T-0001"
KINDS = ("returns", "ticket", "note", "returns")
FIGURES = (
    # enrolments, completions, BME recruited, BME retained, deprived wards: each month passes
    # the part-of-whole and to-date checks, whatever order the months are saved in
    {"enrolments": 10, "completions": 4, "bme_recruited": 6, "bme_retained": 5,
     "deprived_wards": 3},
    {"enrolments": 11, "completions": 5, "bme_recruited": 7, "bme_retained": 6,
     "deprived_wards": 4},
)  # fmt: skip


@dataclass(frozen=True)
class DeskPlan:
    """What one desk saves: its contract, its partners and months, and where its notes go."""

    number: int
    contract_uuid: str
    partner_uuids: tuple[str, ...]
    provider_uuid: str
    months: tuple[str, ...]
    shared_ticket_uuid: str
    saves: int
    pause_ms: int


@dataclass
class Save:
    kind: str
    ok: bool
    wall_ms: float
    wait_ms: float
    error: str = ""


@dataclass
class DeskReport:
    """What a desk did: every save timed, and what it believes it wrote."""

    number: int
    saves: list[Save] = field(default_factory=list)
    #: (partner uuid, period) -> the figures of its last successful save
    returns: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    #: audit rows its return saves should have written: figures created and changed
    figures_written: int = 0
    tickets: list[str] = field(default_factory=list)  # subjects
    notes: list[str] = field(default_factory=list)  # texts
    started: float = 0.0
    finished: float = 0.0
    fault: str = ""


@dataclass(frozen=True)
class Round:
    """One number of desks: its timings and the writes checked after it."""

    desks: int
    saves: int
    failed: int
    seconds: float
    p50_ms: float
    p95_ms: float
    wait_p50_ms: float
    wait_p95_ms: float
    lost: int
    duplicated: int
    problems: tuple[str, ...]
    #: (kind, saves, p95 save, p95 lock wait) of each kind of save
    by_kind: tuple[tuple[str, int, float, float], ...] = ()

    @property
    def saves_per_second(self) -> float:
        return self.saves / self.seconds if self.seconds else 0.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (0 < share <= 1) of the values; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# ---- the desk: one process ----


def _lock_wait_counter(database) -> list[float]:
    """Time every advisory lock statement the database runs; the total in milliseconds."""
    waited = [0.0]
    original = database.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        if "pg_advisory" not in sql:
            return original(sql, params, *args, **kwargs)
        started = time.perf_counter()
        try:
            return original(sql, params, *args, **kwargs)
        finally:
            waited[0] += (time.perf_counter() - started) * 1000

    database.execute_sql = execute_sql
    return waited


def desk(url: str, plan: DeskPlan, barrier, results, deadline_s: float) -> None:
    """One desk: open the hub, wait for the others, save `plan.saves` times, report."""
    report = DeskReport(plan.number)
    try:
        _desk(url, plan, barrier, report, deadline_s)
    except Exception as error:  # reported, not raised: the parent counts what went wrong
        report.fault = f"{type(error).__name__}: {error}"
    results.put(report)


def _desk(url: str, plan: DeskPlan, barrier, report: DeskReport, deadline_s: float) -> None:
    os.environ["DESTA_USER"] = f"desk {plan.number}"
    from desta_tui.db.database import close_database, db, open_database
    from desta_tui.domain.errors import DestaError
    from desta_tui.domain.periods import Period
    from desta_tui.services.performance.returns import save_returns
    from desta_tui.services.tickets.editing import create_ticket
    from desta_tui.services.tickets.lifecycle import add_ticket_note

    open_database(url)
    waited = _lock_wait_counter(db.obj)
    # a person between saves: pause_ms on average, drawn the same way on every run
    pauses = random.Random(plan.number)
    barrier.wait(timeout=SPAWN_DEADLINE_S)
    report.started = time.monotonic()
    deadline = report.started + deadline_s
    my_ticket = plan.shared_ticket_uuid
    cells = [(p, m) for m in plan.months for p in plan.partner_uuids]
    returns_saved = 0
    for n in range(plan.saves):
        if time.monotonic() > deadline:
            report.fault = f"deadline passed after {n} saves"
            break
        # each desk at its own place in the cycle: at any moment some desks key returns,
        # some open tickets, some write notes
        kind = KINDS[(n + plan.number) % len(KINDS)]
        waited[0] = 0.0
        started = time.perf_counter()
        try:
            if kind == "returns":
                partner, month = cells[returns_saved % len(cells)]
                returns_saved += 1
                # saved before: change every figure
                figures = (
                    FIGURES[1] if report.returns.get((partner, month)) == FIGURES[0] else FIGURES[0]
                )
                typed = {partner: {code: str(value) for code, value in figures.items()}}
                result = save_returns(plan.contract_uuid, Period.from_key(month), typed)
                report.returns[(partner, month)] = dict(figures)
                report.figures_written += result.created + result.changed
            elif kind == "ticket":
                subject = f"Desk {plan.number} ticket {n}"
                ticket = create_ticket({"provider": plan.provider_uuid, "subject": subject,
                                        "contract": plan.contract_uuid, "category": "other",
                                        "priority": "normal"})  # fmt: skip
                report.tickets.append(subject)
                if plan.number % 2 == 0:
                    my_ticket = ticket.uuid
            else:
                text = f"Desk {plan.number} note {n}"
                add_ticket_note(my_ticket, text)
                report.notes.append(text)
            ok, error = True, ""
        except DestaError as problem:  # busy past the timeout, or a check: nothing saved
            ok, error = False, f"{type(problem).__name__}: {problem}"
        wall = (time.perf_counter() - started) * 1000
        report.saves.append(Save(kind, ok, wall, waited[0], error))
        if plan.pause_ms and n + 1 < plan.saves:
            time.sleep(pauses.uniform(0.5, 1.5) * plan.pause_ms / 1000)
    report.finished = time.monotonic()
    close_database()


# ---- the hub, the rounds and the checks ----


def build_hub(url: str) -> None:
    """The demo hub, with its contract in delivery copied until there are CONTRACTS of them."""
    from desta_tui.db.database import close_database, db
    from desta_tui.db.models import Contract, ContractPartner, new_uuid
    from desta_tui.services.demo import write_demo_database

    write_demo_database(url)
    try:
        original = Contract.get(Contract.stage == "in_delivery")
        partners = list(ContractPartner.select().where(ContractPartner.contract == original))
        with db.atomic():
            for n in range(2, CONTRACTS + 1):
                data = {k: v for k, v in original.__data__.items() if k != "id"}
                data.update(uuid=new_uuid(), title=f"{original.title} {n}")
                copy_id = Contract.insert(**data).execute()
                ContractPartner.insert_many(
                    [
                        {
                            **{k: v for k, v in p.__data__.items() if k != "id"},
                            "uuid": new_uuid(),
                            "contract": copy_id,
                        }
                        for p in partners
                    ]  # fmt: skip
                ).execute()
    finally:
        close_database()


def desk_plans(url: str, desks: int, saves: int, pause_ms: int) -> list[DeskPlan]:
    """Desks pair up on a contract; each of a pair has half its partners, all the months."""
    from desta_tui.db.database import close_database, open_database
    from desta_tui.db.models import Contract, ContractPartner, Organisation, SupportTicket
    from desta_tui.domain.periods import Period

    open_database(url)
    try:
        contracts = list(
            Contract.select().where(Contract.stage == "in_delivery").order_by(Contract.id)
        )
        shared = SupportTicket.get(SupportTicket.reference == SHARED_TICKET).uuid
        first = Period.from_key(FIRST_MONTH)
        months = tuple(first.shift(i).key for i in range(MONTHS))
        plans = []
        for number in range(desks):
            contract = contracts[(number // 2) % len(contracts)]
            partners = list(
                ContractPartner.select(ContractPartner, Organisation)
                .join(Organisation)
                .where((ContractPartner.contract == contract)
                       & (ContractPartner.role == "delivery"))
                .order_by(ContractPartner.id)
            )  # fmt: skip
            half = len(partners) // 2
            mine = partners[:half] if number % 2 == 0 else partners[half:]
            plans.append(
                DeskPlan(number=number, contract_uuid=contract.uuid,
                         partner_uuids=tuple(p.uuid for p in mine),
                         provider_uuid=mine[0].organisation.uuid, months=months,
                         shared_ticket_uuid=shared, saves=saves, pause_ms=pause_ms)
            )  # fmt: skip
        return plans
    finally:
        close_database()


def run_desks(url: str, plans: list[DeskPlan]) -> list[DeskReport]:
    """Spawn one process per plan, start them together, collect their reports."""
    import multiprocessing
    import queue

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(plans))
    results = context.Queue()
    processes = [
        context.Process(target=desk, args=(url, plan, barrier, results, SAVES_DEADLINE_S),
                        name=f"desk-{plan.number}", daemon=True)
        for plan in plans
    ]  # fmt: skip
    for process in processes:
        process.start()
    reports: list[DeskReport] = []
    deadline = time.monotonic() + SPAWN_DEADLINE_S + SAVES_DEADLINE_S + 30
    try:
        while len(reports) < len(plans):
            try:
                reports.append(results.get(timeout=max(0.1, deadline - time.monotonic())))
            except queue.Empty:
                break
    finally:
        for process in processes:
            process.join(timeout=max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
    missing = {plan.number for plan in plans} - {report.number for report in reports}
    for number in sorted(missing):
        reports.append(DeskReport(number, fault="no report before the deadline"))
    return sorted(reports, key=lambda report: report.number)


def check_writes(url: str, reports: list[DeskReport]) -> tuple[int, int, list[str]]:
    """(lost, duplicated, the first few problems): what the desks saved against what is there."""
    import psycopg2

    lost = duplicated = 0
    problems: list[str] = []

    def problem(text: str) -> None:
        if len(problems) < 5:
            problems.append(text)

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            for report in reports:
                cursor.execute(
                    "SELECT cp.uuid, r.period, m.code, r.value, r.uuid FROM monthly_return r "
                    "JOIN contract_partner cp ON cp.id = r.partner_id "
                    "JOIN metric m ON m.id = r.metric_id "
                    "WHERE r.archived_at IS NULL AND cp.uuid = ANY(%s) AND r.period = ANY(%s)",
                    (sorted({p for p, _m in report.returns}),
                     sorted({m for _p, m in report.returns})),
                )  # fmt: skip
                saved: dict[tuple[str, str, str], list[int]] = {}
                record_uuids = []
                for partner, period, code, value, record_uuid in cursor.fetchall():
                    saved.setdefault((partner, period, code), []).append(int(value))
                    record_uuids.append(record_uuid)
                for (partner, period), figures in report.returns.items():
                    for code, value in figures.items():
                        there = saved.get((partner, period, code), [])
                        if len(there) > 1:
                            duplicated += len(there) - 1
                            problem(f"desk {report.number}: {period} {code} saved {len(there)}x")
                        if value not in there:
                            lost += 1
                            problem(f"desk {report.number}: {period} {code} {value} not saved")
                cursor.execute(
                    "SELECT count(*) FROM audit_log WHERE table_name = 'monthly_return' "
                    "AND field = 'value' AND action IN ('create', 'update') AND who = %s "
                    "AND record_uuid = ANY(%s)",
                    (f"desk {report.number}", record_uuids),
                )
                (audited,) = cursor.fetchone()
                if audited < report.figures_written:
                    lost += report.figures_written - audited
                    problem(f"desk {report.number}: {audited} of {report.figures_written} "
                            "figure changes audited")  # fmt: skip
                elif audited > report.figures_written:
                    duplicated += audited - report.figures_written
                    problem(f"desk {report.number}: {audited} audit rows for "
                            f"{report.figures_written} figure changes")  # fmt: skip
                cursor.execute(
                    "SELECT subject, count(*) FROM support_ticket WHERE subject = ANY(%s) "
                    "GROUP BY subject",
                    (report.tickets,),
                )
                found = dict(cursor.fetchall())
                cursor.execute(
                    "SELECT e.text, count(*) FROM ticket_event e WHERE e.text = ANY(%s) "
                    "GROUP BY e.text",
                    (report.notes,),
                )
                found.update(cursor.fetchall())
                for written in [*report.tickets, *report.notes]:
                    count = found.get(written, 0)
                    if count == 0:
                        lost += 1
                        problem(f"{written!r} not saved")
                    elif count > 1:
                        duplicated += count - 1
                        problem(f"{written!r} saved {count} times")
            cursor.execute("SELECT count(*), count(DISTINCT reference) FROM support_ticket")
            tickets, references = cursor.fetchone()
            if references != tickets:
                duplicated += tickets - references
                problem(f"{tickets} tickets share {references} references")
    finally:
        conn.close()
    return lost, duplicated, problems


def measure(url: str, plans: list[DeskPlan]) -> Round:
    """Run the desks on the hub at url and check what they wrote."""
    reports = run_desks(url, plans)
    saves = [save for report in reports for save in report.saves]
    done = [save for save in saves if save.ok]
    started = [report.started for report in reports if report.started]
    finished = [report.finished for report in reports if report.finished]
    seconds = (max(finished) - min(started)) if started and finished else 0.0
    lost, duplicated, problems = check_writes(url, reports)
    faults = [f"desk {r.number}: {r.fault}" for r in reports if r.fault]
    errors = [f"{save.kind}: {save.error}" for save in saves if not save.ok]
    return Round(
        desks=len(plans),
        saves=len(done),
        failed=len(saves) - len(done) + sum(p.saves for p in plans) - len(saves),
        seconds=seconds,
        p50_ms=percentile([s.wall_ms for s in done], 0.50),
        p95_ms=percentile([s.wall_ms for s in done], 0.95),
        wait_p50_ms=percentile([s.wait_ms for s in done], 0.50),
        wait_p95_ms=percentile([s.wait_ms for s in done], 0.95),
        lost=lost,
        duplicated=duplicated,
        problems=tuple(faults[:3] + errors[:3] + problems),
        by_kind=tuple(
            (
                kind,
                len(these),
                percentile([s.wall_ms for s in these], 0.95),
                percentile([s.wait_ms for s in these], 0.95),
            )
            for kind in sorted(set(KINDS))
            for these in [[s for s in done if s.kind == kind]]
        ),  # fmt: skip
    )


def copy_database(server, template: str, name: str) -> str:
    import psycopg2

    conn = psycopg2.connect(server.url())
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        conn.close()
    return server.url(name)


def table(rounds: list[Round]) -> str:
    lines = [
        "| Desks | Saves | Saves/s | p50 save | p95 save | p50 lock wait | p95 lock wait "
        "| Refused | Lost | Duplicated |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rounds:
        lines.append(
            f"| {r.desks} | {r.saves} | {r.saves_per_second:.1f} | {r.p50_ms:.0f} ms "
            f"| {r.p95_ms:.0f} ms | {r.wait_p50_ms:.0f} ms | {r.wait_p95_ms:.0f} ms "
            f"| {r.failed} | {r.lost} | {r.duplicated} |"
        )
    return "\n".join(lines)


def run(
    desks: tuple[int, ...] = DESKS,
    saves: int = SAVES,
    pause_ms: int = PAUSE_MS,
    server=None,
    verbose: bool = True,
) -> list[BenchResult]:
    """One desk alone, then each number of desks, on fresh copies of one hub on `server`
    (a tests.pg_server.PgServer; started here, and stopped after, when None)."""
    from tests.pg_server import start_server

    own_server = server is None
    if own_server:
        try:
            server = start_server()
        except RuntimeError as error:
            print(f"skipped: no PostgreSQL server could start ({error})")
            return []
    rounds: list[Round] = []
    try:
        tag = f"{os.getpid()}_{time.monotonic_ns()}"
        template = f"desks_hub_{tag}"
        hub = server.create_database(template)
        build_hub(hub)
        for count in (1, *desks):
            url = copy_database(server, template, f"desks_{count}_{tag}")
            found = measure(url, desk_plans(url, count, saves, pause_ms))
            rounds.append(found)
            if verbose:
                print(f"{count} desks: {found.saves} saves in {found.seconds:.1f} s, "
                      f"p50 {found.p50_ms:.0f} ms, p95 {found.p95_ms:.0f} ms, "
                      f"lost {found.lost}, duplicated {found.duplicated}", flush=True)  # fmt: skip
                for kind, count, p95, wait in found.by_kind:
                    print(f"  {kind}: {count} saves, p95 {p95:.0f} ms, p95 lock wait {wait:.0f} ms")
                for text in found.problems:
                    print(f"  {text}")
    finally:
        if own_server:
            server.stop()
    if verbose:
        print(table(rounds))
    return results_of(rounds)


def results_of(rounds: list[Round]) -> list[BenchResult]:
    alone, *together = rounds
    results = []
    for r in together:
        budget = BUDGET_P95_MS if r.desks == BUDGET_DESKS else 0.0
        results.append(
            BenchResult(f"desks: {r.desks} at once, p95 save", r.p95_ms, alone.p95_ms,
                        figure_budget=budget, baseline_name="one desk alone")
        )  # fmt: skip
        results.append(
            BenchResult(f"desks: {r.desks} at once, saves per second", r.saves_per_second,
                        alone.saves_per_second, unit="/s", baseline_name="one desk alone")
        )  # fmt: skip
    wrong = sum(r.lost + r.duplicated + r.failed for r in rounds)
    checked = sum(r.saves for r in rounds)
    results.append(
        # any at all is over: a budget of half a write
        BenchResult("desks: saves lost, duplicated or refused", wrong, checked, unit="",
                    figure_budget=0.5, baseline_name="saves checked")
    )  # fmt: skip
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desks", type=int, nargs="+", default=list(DESKS))
    parser.add_argument("--saves", type=int, default=SAVES, help="saves per desk")
    parser.add_argument("--pause-ms", type=int, default=PAUSE_MS, help="mean pause between saves")
    args = parser.parse_args()
    print_results(run(tuple(args.desks), args.saves, args.pause_ms))


if __name__ == "__main__":
    main()
