"""A contract's whole record for `desta report contract`, read through services.contracts."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from desta_tui.db.models import (
    Contract,
    ContractPartner,
)
from desta_tui.domain.errors import DestaError
from desta_tui.services.contracts import (
    CommissionerContactRow,
    ContractDetail,
    PartnerRow,
    StageChangeRow,
    get_contract,
    list_commissioner_contacts,
    list_partners,
    stage_history,
)
from desta_tui.services.performance import ContractPerformance, contract_performance
from desta_tui.services.reporting.stamp import HistoryLine, PrintStamp, history_lines, print_stamp
from desta_tui.services.reporting.tickets_report import TicketLine, ticket_lines, ticket_rows

FIGURES_FROM_STAGES = ("awarded", "in_delivery", "ended")
"""Stages at which a contract can have targets and returns to print."""


@dataclass(frozen=True)
class ContractRecord:
    """A contract with its partners, stages, contacts, figures, tickets and history."""

    contract: ContractDetail
    partners: tuple[PartnerRow, ...]
    stage_changes: tuple[StageChangeRow, ...]
    commissioner_contacts: tuple[CommissionerContactRow, ...]
    performance: ContractPerformance | None
    """Figures to the last month with returns; None before any targets are set."""
    tickets: tuple[TicketLine, ...]
    history: tuple[HistoryLine, ...]
    stamp: PrintStamp


def find_contract(name: str) -> ContractDetail:
    """The contract titled `name` (or with that reference); else the one whose title holds it."""
    text = (name or "").strip()
    if not text:
        raise DestaError("Give the title of a contract.")
    columns = (Contract.uuid, Contract.title, Contract.archived_at)
    exact = list(
        Contract.select(*columns).where(
            (fn.LOWER(Contract.title) == text.lower()) | (Contract.reference == text)
        )
    )
    live = [c for c in exact if c.archived_at is None] or exact
    if len(live) == 1:
        return get_contract(live[0].uuid)
    matches = list(
        Contract.select(*columns)
        .where(Contract.archived_at.is_null() & Contract.title.contains(text))
        .order_by(Contract.title)
        .limit(6)
    )
    if len(matches) == 1:
        return get_contract(matches[0].uuid)
    if not matches and not live:
        raise DestaError(f"No contract is called {text!r}.")
    shown = "; ".join(c.title for c in (matches or live)[:5])
    raise DestaError(f"{text!r} matches several contracts ({shown}): give the full title.")


def _part_uuids(contract_uuid: str) -> list[str]:
    """Every partner's uuid, archived ones too: their history belongs to the contract's."""
    return [
        uuid
        for (uuid,) in ContractPartner.select(ContractPartner.uuid)
        .join(Contract)
        .where(Contract.uuid == contract_uuid)
        .tuples()
    ]


def contract_record(contract_uuid: str) -> ContractRecord:
    """Everything on one contract, with its history, for `desta report contract`."""
    contract = get_contract(contract_uuid)
    stages = stage_history(contract.uuid)
    contacts = list_commissioner_contacts(contract.uuid)
    tickets = ticket_lines(ticket_rows(contract_uuid=contract.uuid, only_open=False))
    figures = None
    if contract.stage in FIGURES_FROM_STAGES:
        figures = contract_performance(contract.uuid)
        if not (figures.rows or figures.totals):
            figures = None
    uuids = [contract.uuid, *_part_uuids(contract.uuid)] + [s.uuid for s in stages]
    uuids += [c.uuid for c in contacts]
    return ContractRecord(
        contract=contract,
        partners=tuple(list_partners(contract.uuid)),
        stage_changes=tuple(stages),
        commissioner_contacts=tuple(contacts),
        performance=figures,
        tickets=tuple(tickets),
        history=history_lines(uuids),
        stamp=print_stamp(),
    )
