"""A member organisation's whole record for `desta report member`, read through services.members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desta_tui.db.models import (
    Consortium,
    Contract,
    ContractPartner,
    Organisation,
)
from desta_tui.domain.choices import CONTRACT_STAGES, PARTNER_ROLES
from desta_tui.domain.errors import DestaError
from desta_tui.domain.validation import normalise_name
from desta_tui.services.contracts import boroughs_by_partner
from desta_tui.services.members import (
    ComplianceInfo,
    ContactInfo,
    MembershipInfo,
    OrganisationDetail,
    get_organisation,
    list_compliance,
    list_contacts,
    list_memberships,
)
from desta_tui.services.reporting.stamp import HistoryLine, PrintStamp, history_lines, print_stamp
from desta_tui.services.reporting.tickets_report import TicketLine, ticket_lines, ticket_rows


@dataclass(frozen=True)
class PaperLine:
    """A compliance paper and its state in domain.compliance's words ("expiring in 15 days",
    "renewed"), as the members screens show it."""

    paper: ComplianceInfo
    state: str


@dataclass(frozen=True)
class PartnershipLine:
    """A contract the organisation is a partner in, archived contracts too, with the boroughs
    it covers there (members' `list_partnerships` shows live contracts only, and no boroughs)."""

    contract_title: str
    consortium: str
    stage: str
    role: str
    allocated_value_pence: int
    boroughs: str


@dataclass(frozen=True)
class MemberRecord:
    """An organisation with everything the hub holds on it, and its history."""

    organisation: OrganisationDetail
    memberships: tuple[MembershipInfo, ...]
    """Archived ones too (the report marks them)."""
    contacts: tuple[ContactInfo, ...]
    """Live ones, not erased."""
    papers: tuple[PaperLine, ...]
    partnerships: tuple[PartnershipLine, ...]
    tickets: tuple[TicketLine, ...]
    history: tuple[HistoryLine, ...]
    stamp: PrintStamp


def find_organisation(name: str) -> OrganisationDetail:
    """The organisation called `name`: exact (ignoring case, spaces, "&"/"and"), else the one
    whose name holds it; an unknown or ambiguous name is a DestaError naming the candidates."""
    text = (name or "").strip()
    if not text:
        raise DestaError("Give the name of a member organisation.")
    exact = Organisation.get_or_none(Organisation.name_key == normalise_name(text))
    if exact is not None:
        return get_organisation(exact.uuid)
    matches = list(
        Organisation.select(Organisation.uuid, Organisation.name)
        .where(Organisation.archived_at.is_null() & Organisation.name.contains(text))
        .order_by(Organisation.name)
        .limit(6)
    )
    if len(matches) == 1:
        return get_organisation(matches[0].uuid)
    if not matches:
        raise DestaError(f"No member organisation is called {text!r}.")
    shown = "; ".join(m.name for m in matches[:5])
    raise DestaError(f"{text!r} matches several organisations ({shown}): give the full name.")


def _papers_in_kind_order(papers: list[ComplianceInfo]) -> list[ComplianceInfo]:
    """By kind, then expiry (no expiry first), as the record has always listed them."""
    return sorted(
        papers, key=lambda p: (p.kind, p.expires_on is not None, p.expires_on or date.min)
    )


def _partnerships(organisation_uuid: str) -> list[tuple[str, PartnershipLine]]:
    """(partner uuid, line) for each partnership, by contract title."""
    partners = list(
        ContractPartner.select(ContractPartner, Contract, Consortium)
        .join(Contract)
        .join(Consortium)
        .switch(ContractPartner)
        .join(Organisation)
        .where((Organisation.uuid == organisation_uuid) & ContractPartner.archived_at.is_null())
        .order_by(Contract.title)
    )
    boroughs = boroughs_by_partner([p.id for p in partners])
    return [
        (
            p.uuid,
            PartnershipLine(
                contract_title=p.contract.title,
                consortium=p.contract.consortium.name,
                stage=CONTRACT_STAGES.label(p.contract.stage),
                role=PARTNER_ROLES.label(p.role),
                allocated_value_pence=p.allocated_value_pence,
                boroughs=", ".join(boroughs.get(p.id, [])),
            ),
        )
        for p in partners
    ]


def member_record(organisation_uuid: str) -> MemberRecord:
    """Everything on one organisation, with its history, for `desta report member`."""
    organisation = get_organisation(organisation_uuid)
    memberships = list_memberships(organisation.uuid, include_archived=True)
    contacts = [c for c in list_contacts(organisation.uuid) if not c.is_erased]
    papers = _papers_in_kind_order(list_compliance(organisation.uuid))
    partnerships = _partnerships(organisation.uuid)
    tickets = ticket_lines(ticket_rows(provider_uuid=organisation.uuid, only_open=False))
    uuids = [organisation.uuid] + [m.uuid for m in memberships] + [c.uuid for c in contacts]
    uuids += [p.uuid for p in papers] + [uuid for uuid, _ in partnerships]
    return MemberRecord(
        organisation=organisation,
        memberships=tuple(memberships),
        contacts=tuple(contacts),
        papers=tuple(PaperLine(p, p.state_text) for p in papers),
        partnerships=tuple(line for _, line in partnerships),
        tickets=tuple(tickets),
        history=history_lines(uuids),
        stamp=print_stamp(),
    )
