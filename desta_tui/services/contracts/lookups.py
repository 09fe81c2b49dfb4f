"""What the contracts modules all look up: a contract by UUID, its boroughs, form text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desta_tui.db.models import Borough, Contract, ContractBorough
from desta_tui.domain.errors import DestaError


def contract_by_uuid(contract_uuid: str) -> Contract:
    """The contract row, archived or not; DestaError when it has gone."""
    contract = Contract.get_or_none(Contract.uuid == contract_uuid)
    if contract is None:
        raise DestaError("That contract no longer exists.")
    return contract


def boroughs_by_contract(contract_ids: list[int]) -> dict[int, list[str]]:
    """The boroughs each contract covers, by name."""
    found: dict[int, list[str]] = {}
    if not contract_ids:
        return found
    query = (
        ContractBorough.select(ContractBorough.contract, Borough.name)
        .join(Borough)
        .where(ContractBorough.contract.in_(contract_ids))
        .order_by(Borough.name)
        .tuples()
    )
    for contract_id, name in query:
        found.setdefault(contract_id, []).append(name)
    return found


def form_text(values: Mapping[str, Any], name: str) -> str:
    """A form value as stripped text ("" for missing or None)."""
    value = values.get(name, "")
    return "" if value is None else str(value).strip()
