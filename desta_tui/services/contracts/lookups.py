"""What the contracts modules all look up: a contract by UUID."""

from __future__ import annotations

from desta_tui.db.models import Contract
from desta_tui.domain.errors import DestaError


def contract_by_uuid(contract_uuid: str) -> Contract:
    """The contract row, archived or not; DestaError when it has gone."""
    contract = Contract.get_or_none(Contract.uuid == contract_uuid)
    if contract is None:
        raise DestaError("That contract no longer exists.")
    return contract
