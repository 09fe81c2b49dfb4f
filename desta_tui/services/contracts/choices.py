"""The contract and partner forms' pick lists: contracts, commissioners, consortia, boroughs."""

from __future__ import annotations

from desta_tui.db.models import (
    Borough,
    Consortium,
    Contract,
    ContractPartner,
    Membership,
    Organisation,
)
from desta_tui.domain.text import fold
from desta_tui.services.contracts.lookups import contract_by_uuid
from desta_tui.services.contracts.views import Choice
from desta_tui.services.settings import get_setting


def contract_choices(consortium_uuid: str | None = None) -> list[Choice]:
    """Live contracts as (title, uuid), for pickers and the command palette."""
    query = Contract.select(Contract.title, Contract.uuid, Contract.stage).where(
        Contract.archived_at.is_null()
    )
    if consortium_uuid:
        query = query.join(Consortium).where(Consortium.uuid == consortium_uuid)
    return [Choice(title, uuid) for title, uuid, _stage in query.order_by(Contract.title).tuples()]


def commissioner_choices() -> list[Choice]:
    """Live organisations marked as commissioners, by name."""
    query = Organisation.select().where(
        Organisation.is_commissioner & Organisation.archived_at.is_null()
    )
    return [Choice(org.name, org.uuid) for org in query.order_by(Organisation.name)]


def consortium_choices() -> list[Choice]:
    """Live consortia, by name."""
    query = Consortium.select().where(Consortium.archived_at.is_null())
    return [Choice(c.name, c.uuid) for c in query.order_by(Consortium.name)]


def borough_names() -> list[str]:
    """Every live borough's name, in order."""
    query = Borough.select(Borough.name).where(Borough.archived_at.is_null())
    return [name for (name,) in query.order_by(Borough.name).tuples()]


def default_contact_interval_days() -> int:
    """Days between commissioner contacts for a contract that sets none (a setting)."""
    return int(get_setting("commissioner_contact_days"))


def partner_organisation_choices(contract_uuid: str) -> list[Choice]:
    """Member organisations of the contract's consortium that are not partners of it yet."""
    contract = contract_by_uuid(contract_uuid)
    taken = ContractPartner.select(ContractPartner.organisation).where(
        (ContractPartner.contract == contract) & ContractPartner.archived_at.is_null()
    )
    members = Membership.select(Membership.organisation).where(
        (Membership.consortium == contract.consortium)
        & Membership.archived_at.is_null()
        & (Membership.status != "left")
    )
    query = Organisation.select().where(
        Organisation.id.in_(members)
        & Organisation.id.not_in(taken)
        & Organisation.archived_at.is_null()
    )
    return [Choice(org.name, org.uuid) for org in sorted(query, key=lambda o: fold(o.name))]
