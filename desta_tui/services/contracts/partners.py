"""A contract's partners: the split of its value, their roles, dates and boroughs, the support
provider."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from peewee import fn

from desta_tui.db.database import db
from desta_tui.db.models import (
    Contract,
    ContractPartner,
    ContractPartnerBorough,
    Organisation,
)
from desta_tui.domain.choices import PARTNER_ROLES
from desta_tui.domain.compliance import Paper
from desta_tui.domain.contracts import (
    is_single_role,
    parse_partner_role,
    parse_value_pence,
    validate_allocation,
    validate_partner_boroughs,
    validate_partner_term,
    validate_reallocation,
    validate_single_role,
)
from desta_tui.domain.dates import format_uk_date, parse_optional_uk_date
from desta_tui.domain.errors import ComplianceGateError, DestaError, FormError, ValidationError
from desta_tui.domain.forms import Checks, text_of
from desta_tui.domain.money import format_money
from desta_tui.domain.places import match_boroughs
from desta_tui.domain.text import fold
from desta_tui.services import records
from desta_tui.services.audit import create_record, update_record, write_audit
from desta_tui.services.context import today
from desta_tui.services.contracts.boroughs import (
    boroughs_by_contract,
    boroughs_by_partner,
    relink_boroughs,
)
from desta_tui.services.contracts.compliance_gate import compliance_gaps, gate_papers
from desta_tui.services.contracts.lookups import contract_by_uuid
from desta_tui.services.contracts.views import Allocation, PartnerRow, SupportProvider
from desta_tui.services.lookups import borough_names
from desta_tui.services.members import papers_of

# lead first, then the support provider, then delivery partners
_ROLE_ORDER = {code: index for index, code in enumerate(("lead", "support", "delivery"))}


# --- reading --------------------------------------------------------------------------------


def contract_allocation(contract: Contract, excluding: ContractPartner | None = None) -> Allocation:
    """The contract's value and what its live partners (but `excluding`) hold of it."""
    query = ContractPartner.select(fn.SUM(ContractPartner.allocated_value_pence)).where(
        (ContractPartner.contract == contract) & ContractPartner.archived_at.is_null()
    )
    if excluding is not None:
        query = query.where(ContractPartner.id != excluding.id)
    return Allocation(contract.total_value_pence, int(query.scalar() or 0))


def allocated_by_contract(contract_ids: Sequence[int]) -> dict[int, int]:
    """What each contract's live partners hold of its value (`contract_allocation`), by
    contract id, in one query."""
    query = (
        ContractPartner.select(
            ContractPartner.contract, fn.SUM(ContractPartner.allocated_value_pence)
        )
        .where(
            ContractPartner.contract.in_(list(contract_ids)) & ContractPartner.archived_at.is_null()
        )
        .group_by(ContractPartner.contract)
        .tuples()
    )
    return {contract_id: int(total or 0) for contract_id, total in query}


def allocation(contract_uuid: str) -> Allocation:
    """How much of the contract's value its partners hold, and what is left."""
    return contract_allocation(contract_by_uuid(contract_uuid))


def list_partners(contract_uuid: str, *, archived: bool = False) -> list[PartnerRow]:
    """A contract's partners: lead, then support provider, then delivery partners by name."""
    return _partners_of([contract_by_uuid(contract_uuid)], archived)[0]


def partners_of_contracts(
    contract_uuids: Sequence[str], *, with_compliance: bool = True
) -> list[list[PartnerRow]]:
    """`list_partners` of each contract, in the order given, in one set of queries for them
    all (a meeting pack's ten contracts). `with_compliance=False` leaves every row's
    `compliance_gaps` and `papers_due` empty, unjudged: for a reader that never shows them (a
    meeting pack's partner tables), which would otherwise read 200 organisations' papers."""
    by_uuid = {c.uuid: c for c in Contract.select().where(Contract.uuid.in_(list(contract_uuids)))}
    if any(uuid not in by_uuid for uuid in contract_uuids):
        raise DestaError("That contract no longer exists.")
    contracts = [by_uuid[uuid] for uuid in contract_uuids]
    return _partners_of(contracts, False, with_compliance=with_compliance)


def _partners_of(
    contracts: Sequence[Contract], archived: bool, *, with_compliance: bool = True
) -> list[list[PartnerRow]]:
    # of the organisation, what a row shows (its papers are read apart): a pack reads 200
    query = (
        ContractPartner.select(
            ContractPartner, Organisation.id, Organisation.uuid, Organisation.name
        )
        .join(Organisation)
        .where(ContractPartner.contract.in_([contract.id for contract in contracts]))
        .where(
            ContractPartner.archived_at.is_null(False)
            if archived
            else ContractPartner.archived_at.is_null()
        )
    )
    partners = list(query)
    boroughs = boroughs_by_partner([p.id for p in partners])
    # every partner's papers in one query (a meeting pack lists 200 partners)
    papers = papers_of({p.organisation_id for p in partners}) if with_compliance else None
    on = today()
    by_contract: dict[int, list[PartnerRow]] = {contract.id: [] for contract in contracts}
    of_id = {contract.id: contract for contract in contracts}
    for p in partners:
        contract = of_id[p.contract_id]
        by_contract[contract.id].append(
            _partner_row(p, contract, boroughs.get(p.id, []), on, papers.get(p.organisation_id, []))
            if papers is not None
            else _partner_row(p, contract, boroughs.get(p.id, []), on, judged=False)
        )
    return [
        sorted(
            by_contract[contract.id],
            key=lambda r: (_ROLE_ORDER.get(r.role, 9), fold(r.organisation_name)),
        )
        for contract in contracts
    ]


def _partner_row(
    partner: ContractPartner,
    contract: Contract,
    boroughs: list[str],
    on: date,
    papers: list[Paper] | None = None,
    *,
    judged: bool = True,
) -> PartnerRow:
    gaps = gate_papers(partner.organisation, on, papers=papers) if judged else []
    return PartnerRow(
        uuid=partner.uuid,
        contract_uuid=contract.uuid,
        organisation_uuid=partner.organisation.uuid,
        organisation_name=partner.organisation.name,
        role=partner.role,
        role_label=PARTNER_ROLES.label(partner.role),
        allocated_value_pence=partner.allocated_value_pence,
        starts_on=partner.starts_on,
        ends_on=partner.ends_on,
        contract_starts_on=contract.starts_on,
        contract_ends_on=contract.ends_on,
        boroughs=tuple(boroughs),
        compliance_gaps=tuple(gap for gap in gaps if gap.blocks),
        papers_due=tuple(gap for gap in gaps if not gap.blocks),
        compliance_override_reason=partner.compliance_override_reason,
        notes=partner.notes,
        is_archived=partner.archived_at is not None,
    )


def get_partner(partner_uuid: str) -> PartnerRow:
    """One partner of a contract, archived or not."""
    partner = ContractPartner.get_or_none(ContractPartner.uuid == partner_uuid)
    if partner is None:
        raise DestaError("That partner no longer exists.")
    boroughs = boroughs_by_partner([partner.id]).get(partner.id, [])
    return _partner_row(partner, partner.contract, boroughs, today())


def contract_support_provider(contract_uuid: str) -> SupportProvider | None:
    """The contract's support provider (the partner with role "support"), or None."""
    contract = Contract.get_or_none(Contract.uuid == contract_uuid)
    return None if contract is None else support_providers([contract.id]).get(contract.id)


def support_providers(contract_ids: Sequence[int]) -> dict[int, SupportProvider]:
    """Each contract's support provider (`contract_support_provider`) by contract id, those
    with none left out; one query for them all."""
    query = (
        ContractPartner.select(
            ContractPartner.contract, Organisation.uuid, Organisation.name, ContractPartner.uuid
        )
        .join(Organisation)
        .where(
            ContractPartner.contract.in_(list(contract_ids))
            & (ContractPartner.role == "support")
            & ContractPartner.archived_at.is_null()
        )
        .order_by(ContractPartner.id)
        .tuples()
    )
    found: dict[int, SupportProvider] = {}
    for contract_id, organisation_uuid, name, partner_uuid in query:
        found.setdefault(contract_id, SupportProvider(organisation_uuid, name, partner_uuid))
    return found


# --- writing --------------------------------------------------------------------------------


def _role_holder(
    contract: Contract, role: str, excluding: ContractPartner | None = None
) -> ContractPartner | None:
    """The live partner holding `role` on the contract, other than `excluding`."""
    query = (
        ContractPartner.select(ContractPartner, Organisation)
        .join(Organisation)
        .where(
            (ContractPartner.contract == contract)
            & (ContractPartner.role == role)
            & ContractPartner.archived_at.is_null()
        )
    )
    if excluding is not None:
        query = query.where(ContractPartner.id != excluding.id)
    return query.first()


def _member_organisation(org_uuid: str) -> Organisation:
    if not org_uuid:
        raise ValidationError("organisation", "choose the member organisation")
    organisation = Organisation.get_or_none(
        (Organisation.uuid == org_uuid) & Organisation.archived_at.is_null()
    )
    if organisation is None:
        raise ValidationError("organisation", "that organisation no longer exists")
    if not organisation.is_member:
        raise ValidationError("organisation", f"{organisation.name} is not a member")
    return organisation


def _parse_partner_values(
    contract: Contract, values: Mapping[str, Any], existing: ContractPartner | None
) -> tuple[Organisation | None, dict[str, Any], list[str]]:
    checks = Checks()
    errors, attempt = checks.errors, checks.run

    organisation = existing.organisation if existing is not None else None
    if existing is None:
        organisation = attempt(_member_organisation, text_of(values, "organisation"))
    role = attempt(parse_partner_role, text_of(values, "role"))
    if role is not None and is_single_role(role):
        holder = _role_holder(contract, role, existing)
        attempt(validate_single_role, role, holder.organisation.name if holder else None)
    amount = attempt(parse_value_pence, text_of(values, "allocated_value"), "allocated_value")
    dates = _parse_partner_dates(contract, values, existing, attempt)
    boroughs = attempt(match_boroughs, values.get("boroughs") or "", borough_names()) or []
    covered = boroughs_by_contract([contract.id]).get(contract.id, [])
    attempt(validate_partner_boroughs, boroughs, covered)
    if amount is not None:
        others = contract_allocation(contract, excluding=existing).allocated_pence
        attempt(validate_allocation, contract.total_value_pence, others, amount)
    FormError.raise_if_any(errors)
    fields = {
        "role": role,
        "allocated_value_pence": amount or 0,
        **dates,
        "notes": str(values.get("notes") or "").strip(),
    }
    return organisation, fields, boroughs


def _parse_partner_dates(
    contract: Contract, values: Mapping[str, Any], existing: ContractPartner | None, attempt
) -> dict[str, date | None]:
    """The partner's own start and end as typed (blank: the contract's); a caller that sends
    neither field (an older form, an import) keeps the dates the partner has."""
    dates: dict[str, date | None] = {}
    on = today()
    for name in ("starts_on", "ends_on"):
        if name in values:
            dates[name] = attempt(parse_optional_uk_date, text_of(values, name), name, on)
        else:
            dates[name] = getattr(existing, name) if existing is not None else None
    attempt(
        validate_partner_term,
        contract.starts_on, contract.ends_on, dates["starts_on"], dates["ends_on"],
    )  # fmt: skip
    return dates


def validate_partners_within_term(
    contract: Contract, starts_on: date | None, ends_on: date | None
) -> None:
    """A contract's term may not move off its live partners' own dates: ValidationError on the
    contract's "starts_on" or "ends_on", naming the partner whose dates fall outside."""
    partners = (
        ContractPartner.select(ContractPartner, Organisation)
        .join(Organisation)
        .where(
            (ContractPartner.contract == contract)
            & ContractPartner.archived_at.is_null()
            & (ContractPartner.starts_on.is_null(False) | ContractPartner.ends_on.is_null(False))
        )
        .order_by(Organisation.name)
    )
    for partner in partners:
        # the start alone, then the end alone, so the error names the contract's date to change
        for field, term in (("starts_on", (starts_on, None)), ("ends_on", (None, ends_on))):
            try:
                validate_partner_term(*term, partner.starts_on, partner.ends_on)
            except ValidationError:
                raise ValidationError(
                    field,
                    f"{partner.organisation.name} works on this contract from "
                    f"{_dates_words(partner.starts_on, partner.ends_on)}: change its dates first",
                ) from None


def _dates_words(starts_on: date | None, ends_on: date | None) -> str:
    first = format_uk_date(starts_on) if starts_on else "the start"
    return f"{first} to {format_uk_date(ends_on) if ends_on else 'the end'}"


def add_partner(
    contract_uuid: str, values: Mapping[str, Any], *, override_reason: str = ""
) -> PartnerRow:
    """Add a member organisation to a contract, checking the split and the compliance gate.

    Missing or expired papers raise ComplianceGateError unless `override_reason` is given; the
    reason is kept on the partner and in the audit log.
    """
    with db.atomic():
        contract = contract_by_uuid(contract_uuid)
        organisation, fields, boroughs = _parse_partner_values(contract, values, None)
        assert organisation is not None
        gaps = compliance_gaps(organisation)
        if gaps and not override_reason.strip():
            raise ComplianceGateError(organisation.name, gaps)
        fields["compliance_override_reason"] = override_reason.strip() if gaps else ""
        # an archived partnership comes back rather than breaking the one-row-per-organisation rule
        former = ContractPartner.get_or_none(
            (ContractPartner.contract == contract) & (ContractPartner.organisation == organisation)
        )
        if former is not None:
            records.restore_record("contract_partner", former.uuid)
            former = ContractPartner.get_by_id(former.id)
            update_record(former, **fields)
            partner = former
        else:
            partner = create_record(
                ContractPartner, contract=contract, organisation=organisation, **fields
            )
        relink_boroughs(partner, ContractPartnerBorough.partner, boroughs)
        if gaps:
            write_audit(
                partner, "update", "compliance_gate", None,
                "overridden: " + "; ".join(gap.text for gap in gaps),
            )  # fmt: skip
    return get_partner(partner.uuid)


def update_partner(
    partner_uuid: str,
    values: Mapping[str, Any],
    *,
    reallocation_reason: str = "",
) -> PartnerRow:
    """Save a partner's role, allocation, boroughs and notes (the organisation stays).

    Changing the allocation while the contract is in delivery needs `reallocation_reason`.
    """
    with db.atomic():
        partner = ContractPartner.get_or_none(ContractPartner.uuid == partner_uuid)
        if partner is None:
            raise DestaError("That partner no longer exists.")
        contract = partner.contract
        _organisation, fields, boroughs = _parse_partner_values(contract, values, partner)
        old_amount = partner.allocated_value_pence
        new_amount = fields["allocated_value_pence"]
        reason = validate_reallocation(
            contract.stage, old_amount, new_amount, reallocation_reason,
            organisation_name=partner.organisation.name,
        )  # fmt: skip
        update_record(partner, **fields)
        relink_boroughs(partner, ContractPartnerBorough.partner, boroughs)
        if new_amount != old_amount and reason:
            write_audit(partner, "update", "reallocation_reason", None, reason)
    return get_partner(partner.uuid)


def archive_partner(partner_uuid: str) -> records.RecordRef:
    """Archive a partner of a contract (its share goes back to the unallocated)."""
    return records.archive_record("contract_partner", partner_uuid)


def undo_last_partner_archive(contract_uuid: str) -> records.RecordRef | None:
    """Bring back the partner of this contract archived last, if the split still allows it."""
    contract = contract_by_uuid(contract_uuid)
    ref = records.last_archived(["contract_partner"])
    partner = ContractPartner.get_or_none(ContractPartner.uuid == ref.uuid) if ref else None
    if partner is None or partner.contract_id != contract.id:
        return None
    left = contract_allocation(contract).remainder_pence
    if partner.allocated_value_pence > left:
        raise DestaError(
            f"{partner.organisation.name} holds {format_money(partner.allocated_value_pence)} "
            f"but only {format_money(max(left, 0))} is left to allocate: lower another "
            "allocation first."
        )
    if is_single_role(partner.role):
        other = _role_holder(contract, partner.role)
        if other is not None:
            raise DestaError(
                f"{other.organisation.name} is the {PARTNER_ROLES.label(partner.role).lower()} "
                f"now, so {partner.organisation.name} cannot come back as one."
            )
    return records.restore_record("contract_partner", partner.uuid)
