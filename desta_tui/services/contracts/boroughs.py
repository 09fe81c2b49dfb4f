"""The boroughs a contract and each of its partners cover: read by name, and relinked."""

from __future__ import annotations

from peewee import ForeignKeyField

from desta_tui.db.models import Borough, ContractBorough, ContractPartnerBorough, RecordModel
from desta_tui.services.audit import write_audit


def linked_boroughs(owner: ForeignKeyField, owner_ids: list[int]) -> dict[int, list[str]]:
    """The names of the boroughs (in order) that each record of `owner_ids` links to, through
    `owner`, the link table's key to it (ContractBorough.contract,
    ContractPartnerBorough.partner)."""
    found: dict[int, list[str]] = {}
    if not owner_ids:
        return found
    query = (
        owner.model.select(owner, Borough.name)
        .join(Borough)
        .where(owner.in_(owner_ids))
        .order_by(Borough.name)
        .tuples()
    )
    for owner_id, name in query:
        found.setdefault(owner_id, []).append(name)
    return found


def boroughs_by_contract(contract_ids: list[int]) -> dict[int, list[str]]:
    """The boroughs each contract covers, by name."""
    return linked_boroughs(ContractBorough.contract, contract_ids)


def boroughs_by_partner(partner_ids: list[int]) -> dict[int, list[str]]:
    """The boroughs each contract partner covers, by name."""
    return linked_boroughs(ContractPartnerBorough.partner, partner_ids)


def relink_boroughs(record: RecordModel, owner: ForeignKeyField, names: list[str]) -> None:
    """Link `record` to the boroughs `names` (known names, in order) through `owner` instead
    of those it had; the links are not records of their own, so the change is one audit line
    on `record`. Nothing happens when the names are the same."""
    old = linked_boroughs(owner, [record.id]).get(record.id, [])
    if old == names:
        return
    link = owner.model
    link.delete().where(owner == record).execute()
    by_name = {b.name: b for b in Borough.select().where(Borough.name.in_(names))} if names else {}
    for name in names:
        link.create(**{owner.name: record, "borough": by_name[name]})
    write_audit(record, "update", "boroughs", ", ".join(old) or None, ", ".join(names) or None)
