"""The returns grid: a month's returns loaded, checked, saved with audit, and locked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from peewee import fn

from desta_tui.db.database import db
from desta_tui.db.models import ContractPartner, Metric, MonthlyReturn, PeriodLock, ReturnTotal
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.periods import Period, last_ended_month
from desta_tui.domain.returns import ALL_RULES, Figure, ReturnCheck, check_return, rules_for
from desta_tui.services.audit import create_record, update_record, write_audit
from desta_tui.services.context import current_user, now, today
from desta_tui.services.performance.contract_choices import MetricInfo, _metric_info
from desta_tui.services.performance.metrics import (
    _all_metrics,
    _contract,
    _metrics_for,
    _partners_for,
)
from desta_tui.services.performance.months import _missing_for
from desta_tui.services.performance.queries import _live_returns

#: what the grid hands in: {partner uuid: {metric code: the cell as typed}}, changed cells only
Typed = Mapping[str, Mapping[str, Figure]]


@dataclass(frozen=True)
class LockInfo:
    period: Period
    locked_at: datetime
    locked_by: str


@dataclass(frozen=True)
class GridRow:
    """One partner's return for the month: values by metric code (None: not reported)."""

    partner_uuid: str
    organisation_name: str
    values: dict[str, int | None]
    #: the partner's totals of the months before this one, for the checks that run to date
    to_date_before: dict[str, int]
    entered_by: str = ""
    entered_at: datetime | None = None
    correction_note: str = ""

    @property
    def has_return(self) -> bool:
        return any(value is not None for value in self.values.values())


@dataclass(frozen=True)
class ReturnsMonth:
    contract_uuid: str
    contract_title: str
    period: Period
    metrics: tuple[MetricInfo, ...]  # the columns: metrics keyed in a return (no ratios)
    rows: tuple[GridRow, ...]
    lock: LockInfo | None
    missing: tuple[str, ...]

    @property
    def is_locked(self) -> bool:
        return self.lock is not None


@dataclass(frozen=True)
class SaveResult:
    created: int
    changed: int
    cleared: int
    was_correction: bool

    @property
    def total(self) -> int:
        return self.created + self.changed + self.cleared


def _lock_of(contract_id: int, period: Period) -> LockInfo | None:
    lock = PeriodLock.get_or_none(
        (PeriodLock.contract == contract_id)
        & (PeriodLock.period == period.key)
        & PeriodLock.archived_at.is_null()
    )
    return LockInfo(period, lock.locked_at, lock.locked_by) if lock else None


def load_returns_grid(contract_uuid: str, period: Period) -> ReturnsMonth:
    """The month's returns for every partner that sends them, ready to show and edit."""
    contract = _contract(contract_uuid)
    by_id = _all_metrics()
    metrics = [m for m in _metrics_for(contract.id, by_id) if m.aggregation != "ratio"]
    partners = _partners_for(contract.id)
    current: dict[int, dict[int, MonthlyReturn]] = defaultdict(dict)
    for row in MonthlyReturn.select().where(
        _live_returns(contract.id) & (MonthlyReturn.period == period.key)
    ):
        current[row.partner_id][row.metric_id] = row
    before = _to_date_before(contract.id, period)
    rows = []
    for partner, _org_uuid, name in partners:
        returned = current.get(partner.id, {})
        latest = max(returned.values(), key=lambda r: r.entered_at or datetime.min, default=None)
        rows.append(
            GridRow(
                partner_uuid=partner.uuid,
                organisation_name=name,
                values={
                    m.code: (int(returned[m.id].value) if m.id in returned else None)
                    for m in metrics
                },
                to_date_before={
                    by_id[mid].code: total
                    for (pid, mid), total in before.items()
                    if pid == partner.id and mid in by_id
                },
                entered_by=latest.entered_by if latest else "",
                entered_at=latest.entered_at if latest else None,
                correction_note=latest.correction_note if latest else "",
            )
        )
    return ReturnsMonth(
        contract_uuid=contract.uuid,
        contract_title=contract.title,
        period=period,
        metrics=tuple(_metric_info(m, by_id) for m in metrics),
        rows=tuple(rows),
        lock=_lock_of(contract.id, period),
        missing=tuple(_missing_for(contract.id, period)),
    )


def _to_date_before(contract_id: int, period: Period) -> dict[tuple[int, int], int]:
    """(partner, metric) -> the sum of its live returns before `period`, for the metrics a
    to-date rule reads: the kept totals less the months from `period` on (for the latest month,
    the one month; summing the months before would read the whole history)."""
    metric_ids = [
        metric_id
        for (metric_id,) in Metric.select(Metric.id)
        .where(Metric.code.in_(sorted(ALL_RULES.to_date_codes)))
        .tuples()
    ]
    if not metric_ids:
        return {}
    totals = (
        ReturnTotal.select(
            ReturnTotal.partner_id, ReturnTotal.metric_id, ReturnTotal.value_sum, ReturnTotal.months
        )
        .where((ReturnTotal.contract_id == contract_id) & ReturnTotal.metric_id.in_(metric_ids))
        .tuples()
    )
    since = (
        MonthlyReturn.select(
            MonthlyReturn.partner,
            MonthlyReturn.metric,
            fn.SUM(MonthlyReturn.value),
            fn.COUNT(MonthlyReturn.id),
        )
        .where(
            _live_returns(contract_id)
            & (MonthlyReturn.period >= period.key)
            & MonthlyReturn.metric.in_(metric_ids)
        )
        .group_by(MonthlyReturn.partner, MonthlyReturn.metric)
        .tuples()
    )
    later = {(pid, mid): (int(value or 0), int(months)) for pid, mid, value, months in since}
    before = {}
    for pid, mid, value, months in totals:
        later_value, later_months = later.get((pid, mid), (0, 0))
        if int(months) > later_months:  # a month before `period` was returned
            before[(pid, mid)] = int(value) - later_value
    return before


def cell_field(partner_uuid: str, metric_code: str) -> str:
    """The field name a cell's ValidationError carries: `<partner uuid>/<metric code>`."""
    return f"{partner_uuid}/{metric_code}"


def check_grid(grid: ReturnsMonth, typed: Typed) -> dict[str, str]:
    """Problems with the month as typed (unchanged cells keep their saved values), by cell field.

    The rules of `desta_tui.domain.returns.check_return`, as `save_returns` enforces them (but
    for later months, which only saving looks up), so the grid can mark cells as people type.
    """
    return _cell_problems(_checked_rows(grid, typed))


def _checked_rows(
    grid: ReturnsMonth, typed: Typed, later: Mapping[str, Mapping] | None = None
) -> dict[str, ReturnCheck]:
    """Each partner's return checked, by partner uuid; with `later` (`_later_months`), the
    partners who typed something are checked against their later months too."""
    rules = rules_for(metric.code for metric in grid.metrics)
    checks = {}
    for row in grid.rows:
        edits = typed.get(row.partner_uuid, {})
        later_months = None
        if later is not None and row.partner_uuid in typed:
            later_months = later.get(row.partner_uuid, {})
        checks[row.partner_uuid] = check_return(
            edits,
            rules,
            to_date_before=row.to_date_before,
            saved=row.values,
            later_months=later_months,
        )
    return checks


def _cell_problems(checks: Mapping[str, ReturnCheck]) -> dict[str, str]:
    return {
        cell_field(partner_uuid, code): message
        for partner_uuid, check in checks.items()
        for code, message in check.problems.items()
    }


def _later_months(grid: ReturnsMonth, typed: Typed) -> dict[str, dict[str, dict[str, int]]]:
    """partner uuid -> period key -> metric code -> figure, for the months after the grid's,
    when a to-date rule needs them (a change must not make a later month impossible)."""
    rules = rules_for(metric.code for metric in grid.metrics)
    later: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    if not rules.cumulative or not typed:
        return later
    contract = _contract(grid.contract_uuid)
    query = (
        MonthlyReturn.select(
            ContractPartner.uuid, Metric.code, MonthlyReturn.period, MonthlyReturn.value
        )
        .join_from(MonthlyReturn, ContractPartner)
        .join_from(MonthlyReturn, Metric)
        .where(_live_returns(contract.id) & (MonthlyReturn.period > grid.period.key))
    )
    for partner_uuid, code, period, value in query.tuples():
        later[partner_uuid][period][code] = int(value)
    return later


def returns_scope(contract_uuid: str) -> str:
    """What saving or locking a month of a contract's returns reads and writes: its partners'
    returns and its month locks. Desks on other contracts save at the same time."""
    return f"returns of contract {contract_uuid}"


def save_returns(
    contract_uuid: str,
    period: Period,
    typed: Typed,
    correction_note: str = "",
) -> SaveResult:
    """Save the cells typed for one contract and month, in one transaction, with audit.

    `typed` is {partner uuid: {metric code: text}} for the cells changed ("" clears a figure).
    Raises FormError (fields `<partner uuid>/<metric code>`) when a figure breaks a check, and
    ValidationError("correction_note") when the month is locked and no note says why.
    """
    with db.atomic_for(returns_scope(contract_uuid)):
        grid = load_returns_grid(contract_uuid, period)
        checks = _checked_rows(grid, typed, _later_months(grid, typed))
        problems = _cell_problems(checks)
        if problems:
            raise FormError(ValidationError(f, m) for f, m in problems.items())
        contract = _contract(contract_uuid)
        partners = {p.uuid: p for p, _u, _n in _partners_for(contract.id)}
        metrics = {m.code: m for m in Metric.select().where(Metric.archived_at.is_null())}
        rows_by_partner = {row.partner_uuid: row for row in grid.rows}
        changes = []
        for partner_uuid, edits in typed.items():
            row = rows_by_partner.get(partner_uuid)
            if row is None:
                raise DestaError("A partner in this grid is no longer on the contract.")
            for code in edits:
                new = checks[partner_uuid].values[code]
                if new != row.values.get(code):
                    changes.append(
                        (partners[partner_uuid], metrics[code], row.values.get(code), new)
                    )
        note = (correction_note or "").strip()
        if changes and grid.is_locked and not note:
            raise ValidationError(
                "correction_note",
                f"{period.label} is locked: say why it is being corrected (a correction note)",
            )
        created = changed = cleared = 0
        who, stamp = current_user(), now()
        for partner, metric, old, new in changes:
            existing = MonthlyReturn.get_or_none(
                (MonthlyReturn.partner == partner.id)
                & (MonthlyReturn.metric == metric.id)
                & (MonthlyReturn.period == period.key)
            )
            fields = {"correction_note": note} if grid.is_locked else {}
            if new is None:
                if existing is not None and existing.archived_at is None:
                    update_record(existing, **fields)
                    existing.archived_at = stamp
                    existing.updated_at = stamp
                    existing.save()
                    write_audit(existing, "archive", "value", old, None, who=who)
                    cleared += 1
                continue
            if existing is None:
                create_record(
                    MonthlyReturn,
                    contract=contract,
                    partner=partner,
                    metric=metric,
                    period=period.key,
                    value=new,
                    entered_by=who,
                    entered_at=stamp,
                    correction_note=note if grid.is_locked else "",
                )
                created += 1
                continue
            if existing.archived_at is not None:
                existing.archived_at = None
                write_audit(existing, "restore", "archived_at", None, None, who=who)
            update_record(existing, value=new, **fields)
            existing.entered_by, existing.entered_at = who, stamp
            existing.updated_at = stamp
            existing.save()
            changed += 1
        if changes and grid.is_locked:
            lock = PeriodLock.get(
                (PeriodLock.contract == contract.id) & (PeriodLock.period == period.key)
            )
            write_audit(lock, "update", "correction", None, f"{len(changes)} figures: {note}")
        return SaveResult(created, changed, cleared, bool(changes) and grid.is_locked)


def lock_period(contract_uuid: str, period: Period) -> LockInfo:
    """Lock a month once it has ended and every return due for it is in; later changes need a
    note."""
    with db.atomic_for(returns_scope(contract_uuid)):
        contract = _contract(contract_uuid)
        existing = _lock_of(contract.id, period)
        if existing is not None:
            return existing
        if period > last_ended_month(today()):
            # before it ends no return is due, so "every return is in" would say nothing
            raise ValidationError(None, f"{period.label} cannot be locked before it has ended")
        missing = _missing_for(contract.id, period)
        if missing:
            raise ValidationError(
                None,
                f"{period.label} cannot be locked yet: no return from {', '.join(missing)}",
            )
        stamp, who = now(), current_user()
        old = PeriodLock.get_or_none(
            (PeriodLock.contract == contract.id) & (PeriodLock.period == period.key)
        )
        if old is not None:  # an archived lock: bring it back rather than break the unique index
            update_record(old, locked_at=stamp, locked_by=who)
            old.archived_at = None
            old.save()
        else:
            create_record(
                PeriodLock, contract=contract, period=period.key, locked_at=stamp, locked_by=who
            )
        return LockInfo(period, stamp, who)
