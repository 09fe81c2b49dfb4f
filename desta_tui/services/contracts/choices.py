"""The partner form's pick list; the pick lists other features share (contracts, commissioners,
consortia, boroughs) live in services.lookups, the contact interval in contact_due.py."""

from __future__ import annotations

from desta_tui.db.models import (
    ContractPartner,
    Membership,
    Organisation,
)
from desta_tui.domain.text import fold
from desta_tui.services.contracts.contact_due import (  # noqa: F401 (given here as before)
    default_contact_interval_days,
)
from desta_tui.services.contracts.lookups import contract_by_uuid
from desta_tui.services.lookups import Choice


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
