"""The contracts, metrics and partners performance is counted over (the choices of them a
person picks from are in contract_choices.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from peewee import JOIN, fn

from desta_tui.db.database import db
from desta_tui.db.models import (
    Consortium,
    Contract,
    ContractPartner,
    Metric,
    MonthlyReturn,
    Organisation,
    Target,
)
from desta_tui.domain.errors import DestaError
from desta_tui.domain.rag import Thresholds
from desta_tui.lazy import lazy_exports
from desta_tui.services.performance.thresholds import rag_thresholds

# Partners that deliver and so send returns; the support provider helps them and does not.
RETURNING_ROLES = ("lead", "delivery")


def _contract(contract_uuid: str) -> Contract:
    contract = Contract.get_or_none(Contract.uuid == contract_uuid)
    if contract is None:
        raise DestaError("That contract no longer exists.")
    return contract


def _all_metrics() -> dict[int, Metric]:
    query = Metric.select().where(Metric.archived_at.is_null()).order_by(Metric.sort_order)
    return {metric.id: metric for metric in query}


def _metrics_for(contract_id: int, by_id: Mapping[int, Metric]) -> list[Metric]:
    return _metrics_by_contract([contract_id], by_id)[contract_id]


def _metrics_by_contract(
    contract_ids: Sequence[int],
    by_id: Mapping[int, Metric],
    returned: Mapping[int, set[int]] | None = None,
) -> dict[int, list[Metric]]:
    """Per contract, the metrics it counts (see `contract_metrics`), in two queries for all
    (one, when the metrics each has live returns for are already known: `returned`)."""
    used: dict[int, set[int]] = defaultdict(set)
    for contract_id, metric_ids in (returned or {}).items():
        used[contract_id].update(metric_ids)
    for model in (Target,) if returned is not None else (Target, MonthlyReturn):
        # each contract and metric asked of the index whether it has one live row: a list of
        # the distinct pairs would read every target (or return) of the history
        has_one = fn.EXISTS(
            model.select(model.id).where(
                (model.contract == Contract.id)
                & model.archived_at.is_null()
                & (model.metric == Metric.id)
            )
        )
        query = (
            Contract.select(Contract.id, Metric.id)
            .join(Metric, JOIN.CROSS)
            .where(Contract.id.in_(contract_ids) & Metric.id.in_(list(by_id)) & has_one)
        )
        # as the driver gives them: hundreds of pairs, and peewee converting each adds up
        for contract_id, metric_id in db.execute_sql(*query.sql()).fetchall():
            used[contract_id].add(metric_id)
    return {contract_id: _chosen_metrics(used[contract_id], by_id) for contract_id in contract_ids}


def _chosen_metrics(used: set[int], by_id: Mapping[int, Metric]) -> list[Metric]:
    if not used:
        used = {mid for mid, m in by_id.items() if m.aggregation != "ratio"}
    chosen = []
    for metric_id, metric in by_id.items():
        if metric.aggregation == "ratio":
            parts = {metric.numerator_id, metric.denominator_id}
            if parts <= set(by_id) and parts <= used:
                chosen.append(metric)
        elif metric_id in used:
            chosen.append(metric)
    return chosen


def _partners_for(contract_id: int) -> list[tuple[ContractPartner, str, str]]:
    """(partner, organisation uuid, organisation name) of the partners that return figures."""
    return _partners_by_contract([contract_id])[contract_id]


def _counted_partners(contract_ids: Sequence[int], *columns):
    """The partners whose figures count, by contract and name: delivery partners and any
    partner with targets."""
    has_targets = fn.EXISTS(
        Target.select(Target.id).where(
            (Target.partner == ContractPartner.id)
            & (Target.contract == ContractPartner.contract)
            & Target.archived_at.is_null()
        )
    )
    return (
        ContractPartner.select(*columns)
        .join(Organisation)
        .where(
            ContractPartner.contract.in_(contract_ids)
            & ContractPartner.archived_at.is_null()
            & (ContractPartner.role.in_(RETURNING_ROLES) | has_targets)
        )
        .order_by(ContractPartner.contract, fn.LOWER(Organisation.name))
    )


def _partners_by_contract(
    contract_ids: Sequence[int],
) -> dict[int, list[tuple[ContractPartner, str, str]]]:
    """Per contract, `_partners_for` of each, in one query."""
    query = _counted_partners(contract_ids, ContractPartner, Organisation.uuid, Organisation.name)
    found: dict[int, list[tuple[ContractPartner, str, str]]] = {cid: [] for cid in contract_ids}
    for p in query:
        found[p.contract_id].append((p, p.organisation.uuid, p.organisation.name))
    return found


PartnerRef = tuple[int, str, str, str]
"""A counted partner as figures need it: (contract partner id and uuid, organisation uuid and
name). A plain tuple, not a model or a named tuple: a hub has thousands, and the garbage
collector soon stops walking a plain tuple of plain values, never a named one."""


def _partner_refs_by_contract(
    contract_ids: Sequence[int], in_order: bool = True
) -> dict[int, list[PartnerRef]]:
    """`_partners_by_contract` as plain values (`PartnerRef`); in no order when not wanted
    (sorting thousands of partners by name is not free)."""
    query = _counted_partners(
        contract_ids,
        ContractPartner.contract,
        ContractPartner.id,
        ContractPartner.uuid,
        Organisation.uuid,
        Organisation.name,
    )
    if not in_order:
        query = query.order_by()
    found: dict[int, list[PartnerRef]] = {cid: [] for cid in contract_ids}
    # as the driver gives them: thousands of rows, and peewee converting each value adds up
    for row in db.execute_sql(*query.sql()).fetchall():
        found[row[0]].append(row[1:])
    return found


@dataclass(frozen=True)
class CountedContracts:
    """Contracts and what every count of their figures looks up: their metrics, counted
    partners and the RAG thresholds. A pack reads them once for its gathering and hands them to
    each count (figures, trajectories, earlier months' statuses), which would each read them
    again; nothing keeps them after."""

    contracts: tuple[Contract, ...]
    metrics_by_id: Mapping[int, Metric]
    #: per contract id, the metrics it counts (`contract_metrics`)
    metrics: Mapping[int, list[Metric]]
    #: per contract id, its counted partners in order of name
    partners: Mapping[int, list[PartnerRef]]
    thresholds: Thresholds


def counted_contracts(contract_uuids: Sequence[str]) -> CountedContracts:
    """The contracts of `contract_uuids` (in that order) with their look-ups read once."""
    by_uuid = {c.uuid: c for c in Contract.select().where(Contract.uuid.in_(list(contract_uuids)))}
    if any(uuid not in by_uuid for uuid in contract_uuids):
        raise DestaError("That contract no longer exists.")
    contracts = tuple(by_uuid[uuid] for uuid in contract_uuids)
    ids = [contract.id for contract in contracts]
    by_id = _all_metrics()
    return CountedContracts(
        contracts=contracts,
        metrics_by_id=by_id,
        metrics=_metrics_by_contract(ids, by_id),
        partners=_partner_refs_by_contract(ids),
        thresholds=rag_thresholds(),
    )


def contracts_in_delivery(consortium_uuid: str | None, *columns):
    """The live contracts in delivery (of one consortium, or all): those whose red and amber
    figures and missing returns the dashboard and the packs report."""
    query = Contract.select(*columns).where(
        Contract.archived_at.is_null() & (Contract.stage == "in_delivery")
    )
    if consortium_uuid:
        query = query.join(Consortium).where(Consortium.uuid == consortium_uuid)
    return query


# what the Performance section and the targets form pick from moved to `contract_choices`
# (which reads this module): still given here, loaded when first asked for
_moved, __getattr__, _moved_dir = lazy_exports(
    __name__,
    {
        "desta_tui.services.performance.contract_choices": (
            "ContractChoice", "MetricInfo", "contract_metrics", "partner_choices",
            "performance_contracts",
        ),
    },
)  # fmt: skip
