"""The hub's rules checked again after a merge, in its transaction: a rule broken by changes
made apart at two sites becomes a conflict for a person, not a failed import.

One function a rule, each over the records a merge touched, each calling the rule's one home:
allocations within the contract value and one lead and one support provider
(domain/contracts.py), the returns rules (domain/returns.py), returns changed in a locked
month, and the compliance gate (the contracts service's compliance_gaps). Names given twice
(organisations, ticket references) are settled as the merge writes them (merge.py). A rule
conflict is worked out from the records and the versions of their fields alone, so every site
that holds the same changes opens the same ones; each closes by itself once the rule holds
again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import fn

from desta_tui.db.models import (
    ComplianceItem,
    Contract,
    ContractPartner,
    Metric,
    MonthlyReturn,
    PeriodLock,
    RecordModel,
    SyncConflict,
    utc_now,
)
from desta_tui.domain.contracts import SINGLE_ROLES, over_allocation_pence, role_clashes
from desta_tui.domain.money import format_money
from desta_tui.domain.returns import check_return, rules_for
from desta_tui.domain.sync import Version, conflict_key, is_concurrent
from desta_tui.services.sync.conflicts import open_rule_conflict, value_text
from desta_tui.services.sync.identity import name_of_site
from desta_tui.services.sync.tables import loads
from desta_tui.services.sync.versions import create_of, last_change, version_of

RULE_KINDS = ("allocation", "role", "returns", "locked", "gate")


@dataclass(frozen=True)
class RuleBreak:
    """A rule a record breaks, the field a person can change to mend it, and why."""

    kind: str
    record: RecordModel
    field: str
    detail: str
    version: Version | None
    sides: tuple[dict[str, Any], ...]

    @property
    def key(self) -> str:
        versions = [self.version] if self.version is not None else []
        return conflict_key(self.kind, self.record._meta.table_name, self.record.uuid,
                            self.field, versions)  # fmt: skip


def _order(version: Version | None) -> tuple:
    return version.order_key if version is not None else ("", "", 0)


def _break(kind: str, record: RecordModel, field: str, detail: str) -> RuleBreak:
    """A broken rule, with the change that gave the field its value and the value before it."""
    table_name = record._meta.table_name
    version, change = last_change(table_name, record.uuid, field)
    now = getattr(record, field)
    now_value = now.uuid if isinstance(now, RecordModel) else now
    before: Any = None
    if change is not None and change.kind != "create":
        before = loads(change.old_value)
    elif not callable(record._meta.fields[field].default):
        before = record._meta.fields[field].default

    def side(value: Any) -> dict[str, Any]:
        return {
            "origin": version.origin if version else "",
            "seq": version.seq if version else 0,
            "hlc": version.hlc if version else "",
            "who": change.who if change is not None else "",
            "at": change.at.isoformat(sep=" ") if change is not None else None,
            "field": field,
            "value": value,
            "text": value_text(table_name, field, value),
        }

    return RuleBreak(kind, record, field, detail, version, (side(now_value), side(before)))


# --- the rules ------------------------------------------------------------------------------


def check_allocations(contract_ids: Iterable[int]) -> tuple[list[RuleBreak], set[str]]:
    """Allocations within the contract value: the field changed last is the one to mend."""
    found, checked = [], set()
    for contract in Contract.select().where(Contract.id.in_(sorted(set(contract_ids)))):
        partners = list(contract.partners.where(ContractPartner.archived_at.is_null()))
        checked.update(partner.uuid for partner in partners)
        checked.add(contract.uuid)
        over = over_allocation_pence(
            contract.total_value_pence, (p.allocated_value_pence for p in partners)
        )
        if contract.archived_at is not None or over <= 0:
            continue
        candidates = [(last_change("contract_partner", p.uuid, "allocated_value_pence")[0], p,
                       "allocated_value_pence") for p in partners]  # fmt: skip
        candidates.append((last_change("contract", contract.uuid, "total_value_pence")[0],
                           contract, "total_value_pence"))  # fmt: skip
        _version, record, field = max(candidates, key=lambda item: _order(item[0]))
        allocated = sum(p.allocated_value_pence for p in partners)
        found.append(_break(
            "allocation", record, field,
            f"{contract.title} is over-allocated by {format_money(over)}: its partners hold "
            f"{format_money(allocated)} of {format_money(contract.total_value_pence)}.",
        ))  # fmt: skip
    return found, checked


def check_single_roles(contract_ids: Iterable[int]) -> tuple[list[RuleBreak], set[str]]:
    """One lead and one support provider at most: the later of two gives way."""
    found, checked = [], set()
    for contract in Contract.select().where(Contract.id.in_(sorted(set(contract_ids)))):
        partners = list(contract.partners.where(ContractPartner.archived_at.is_null()))
        checked.update(partner.uuid for partner in partners)
        if contract.archived_at is not None:
            continue
        clashes = role_clashes((p.organisation.name, p.role) for p in partners)
        for role in SINGLE_ROLES:
            if role not in clashes:
                continue
            holders = [p for p in partners if p.role == role]
            latest = max(holders, key=lambda p: _order(
                last_change("contract_partner", p.uuid, "role")[0]))  # fmt: skip
            names = ", ".join(sorted(clashes[role]))
            found.append(_break(
                "role", latest, "role",
                f"{names} are all the {role} of {contract.title}: a contract has one at most.",
            ))  # fmt: skip
    return found, checked


def check_returns(months: Iterable[tuple[int, str]]) -> tuple[list[RuleBreak], set[str]]:
    """Each partner's return for the month, by the returns rules (domain/returns.py)."""
    found, checked = [], set()
    for contract_id, period in sorted(set(months)):
        returns = list(
            MonthlyReturn.select(MonthlyReturn, Metric)
            .join(Metric)
            .where((MonthlyReturn.contract == contract_id) & (MonthlyReturn.period == period)
                   & MonthlyReturn.archived_at.is_null())
        )  # fmt: skip
        checked.update(figure.uuid for figure in returns)
        by_partner: dict[int, dict[str, MonthlyReturn]] = {}
        for figure in returns:
            by_partner.setdefault(figure.partner_id, {})[figure.metric.code] = figure
        for partner_id, figures in by_partner.items():
            earlier = (
                MonthlyReturn.select(Metric.code, fn.SUM(MonthlyReturn.value))
                .join(Metric)
                .where((MonthlyReturn.partner == partner_id) & (MonthlyReturn.period < period)
                       & MonthlyReturn.archived_at.is_null())
                .group_by(Metric.code)
                .tuples()
            )  # fmt: skip
            result = check_return(
                {code: figure.value for code, figure in figures.items()},
                rules_for(figures),
                to_date_before={code: int(total or 0) for code, total in earlier},
            )
            for code, message in sorted(result.problems.items()):
                figure = figures.get(code)
                if figure is not None:
                    found.append(_break(
                        "returns", figure, "value",
                        f"{figure.partner.organisation.name}, {code} for {period}: {message}.",
                    ))  # fmt: skip
    return found, checked


def check_locked_months(months: Iterable[tuple[int, str]]) -> tuple[list[RuleBreak], set[str]]:
    """A figure changed at one site while the month was being locked at another, without a
    correction note."""
    found, checked = [], set()
    for contract_id, period in sorted(set(months)):
        lock = PeriodLock.get_or_none(
            (PeriodLock.contract == contract_id) & (PeriodLock.period == period)
            & PeriodLock.archived_at.is_null()
        )  # fmt: skip
        if lock is None:
            continue
        locked = create_of("period_lock", lock.uuid)
        lock_version, _change = last_change("period_lock", lock.uuid, "locked_at")
        lock_version = lock_version or (version_of(locked) if locked else None)
        if lock_version is None:
            continue
        figures = MonthlyReturn.select().where(
            (MonthlyReturn.contract == contract_id) & (MonthlyReturn.period == period)
            & MonthlyReturn.archived_at.is_null()
        )  # fmt: skip
        for figure in figures:
            checked.add(figure.uuid)
            version, change = last_change("monthly_return", figure.uuid, "value")
            if (
                version is None
                or figure.correction_note
                or not is_concurrent(version, lock_version)
            ):
                continue
            found.append(_break(
                "locked", figure, "value",
                f"{figure.partner.organisation.name}'s {figure.metric.code} for {period} was "
                f"changed at {name_of_site(version.origin)} by {change.who if change else ''} "
                f"while the month was being locked at {name_of_site(lock_version.origin)}, "
                "without a correction note.",
            ))  # fmt: skip
    return found, checked


def check_compliance_gate(partner_ids: Iterable[int]) -> tuple[list[RuleBreak], set[str]]:
    """A partner added (at a site) on papers archived or cut short at another: the gate's
    papers as they now stand on the day it was added."""
    from desta_tui.services.context import today
    from desta_tui.services.contracts import compliance_gaps

    found, checked = [], set()
    partners = ContractPartner.select().where(
        ContractPartner.id.in_(sorted(set(partner_ids))) & ContractPartner.archived_at.is_null()
    )
    for partner in partners:
        checked.add(partner.uuid)
        created = create_of("contract_partner", partner.uuid)
        if created is None or partner.compliance_override_reason or partner.contract.archived_at:
            continue
        # the day it was added (a demo database's "today" may be long before the clock's)
        gaps = compliance_gaps(partner.organisation, on=min(created.at.date(), today()))
        if gaps:
            found.append(_break(
                "gate", partner, "compliance_override_reason",
                f"{partner.organisation.name} joined {partner.contract.title} without the papers "
                f"the compliance gate needs ({'; '.join(gap.text for gap in gaps)}): type a "
                "reason to pass it over, or take the partner off the contract.",
            ))  # fmt: skip
    return found, checked


# --- after a merge --------------------------------------------------------------------------


def _scope(touched: Iterable[tuple[str, str]]) -> tuple[set[int], set[tuple[int, str]], set[int]]:
    """The contracts, months and partners whose rules the touched records bear on."""
    by_table: dict[str, list[str]] = {}
    for table_name, uuid in touched:
        by_table.setdefault(table_name, []).append(uuid)
    contracts: set[int] = set()
    months: set[tuple[int, str]] = set()
    partners: set[int] = set()
    if by_table.get("contract"):
        contracts |= {c.id for c in Contract.select(Contract.id)
                      .where(Contract.uuid.in_(by_table["contract"]))}  # fmt: skip
    if by_table.get("contract_partner"):
        for partner in ContractPartner.select().where(
            ContractPartner.uuid.in_(by_table["contract_partner"])
        ):
            contracts.add(partner.contract_id)
            partners.add(partner.id)
    for table_name, model in (("monthly_return", MonthlyReturn), ("period_lock", PeriodLock)):
        if by_table.get(table_name):
            rows = model.select(model.contract, model.period).where(
                model.uuid.in_(by_table[table_name])
            )
            months |= {(row.contract_id, row.period) for row in rows}
    if by_table.get("compliance_item"):
        organisations = ComplianceItem.select(ComplianceItem.organisation).where(
            ComplianceItem.uuid.in_(by_table["compliance_item"])
        )
        partners |= {p.id for p in ContractPartner.select(ContractPartner.id)
                     .where(ContractPartner.organisation.in_(organisations))}  # fmt: skip
    return contracts, months, partners


def _checks(contracts, months, partners) -> list[tuple[str, list[RuleBreak], set[str]]]:
    return [
        ("allocation", *check_allocations(contracts)),
        ("role", *check_single_roles(contracts)),
        ("returns", *check_returns(months)),
        ("locked", *check_locked_months(months)),
        ("gate", *check_compliance_gate(partners)),
    ]


def recheck(touched: Iterable[tuple[str, str]]) -> list[int]:
    """Check the rules over what a merge touched: open a conflict for each rule broken, close
    those in scope that hold again; return the conflicts opened."""
    contracts, months, partners = _scope(touched)
    if not (contracts or months or partners):
        return []
    opened = []
    for kind, breaks, checked in _checks(contracts, months, partners):
        keys = set()
        for found in breaks:
            keys.add(found.key)
            new = open_rule_conflict(kind, found.record, found.field, found.detail,
                                     list(found.sides), found.key)  # fmt: skip
            if new:
                opened.append(new)
        if checked:
            stale = SyncConflict.update(
                resolved_at=utc_now(), resolution="the rule holds again"
            ).where(
                (SyncConflict.kind == kind) & SyncConflict.resolved_at.is_null()
                & SyncConflict.record_uuid.in_(sorted(checked))
                & SyncConflict.key.not_in(sorted(keys) or [""])
            )  # fmt: skip
            stale.execute()
    return opened


def still_broken(conflict: SyncConflict) -> str:
    """The rule a conflict is about, checked again now: why it is still broken, or ""."""
    touched = [(conflict.table_name, conflict.record_uuid)]
    contracts, months, partners = _scope(touched)
    if conflict.table_name == "contract":
        contracts |= {c.id for c in Contract.select(Contract.id)
                      .where(Contract.uuid == conflict.record_uuid)}  # fmt: skip
    for kind, breaks, _checked in _checks(contracts, months, partners):
        if kind != conflict.kind:
            continue
        for found in breaks:
            if found.record.uuid == conflict.record_uuid or kind == "allocation":
                return found.detail
    return ""
