"""Contract records: the list, one contract, saving the form, stage moves and stage history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from peewee import JOIN, fn

from desta_tui.db.database import db
from desta_tui.db.models import (
    CommissionerContact,
    Consortium,
    Contract,
    ContractBorough,
    ContractPartner,
    ContractStageChange,
    Organisation,
)
from desta_tui.domain.choices import CONTRACT_STAGES, PERIOD_KINDS
from desta_tui.domain.contracts import (
    is_backwards,
    parse_contact_interval_days,
    parse_value_pence,
    validate_annual_value,
    validate_stage,
    validate_stage_change_on,
    validate_stage_move,
    validate_tender_dates,
    validate_term,
    validate_total_value,
)
from desta_tui.domain.dates import parse_optional_uk_date, parse_uk_date
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.forms import Checks, text_of
from desta_tui.domain.places import match_boroughs
from desta_tui.domain.text import fold
from desta_tui.services import records
from desta_tui.services.audit import (
    AuditEntry,
    create_record,
    record_history,
    update_record,
)
from desta_tui.services.context import current_user, today
from desta_tui.services.contracts.boroughs import boroughs_by_contract, relink_boroughs
from desta_tui.services.contracts.contact_due import default_contact_interval_days
from desta_tui.services.contracts.lookups import contract_by_uuid
from desta_tui.services.contracts.overview import contact_status, key_dates, last_contacts
from desta_tui.services.contracts.partners import (
    allocated_by_contract,
    contract_allocation,
    support_providers,
    validate_partners_within_term,
)
from desta_tui.services.contracts.views import (
    Allocation,
    ContractDetail,
    ContractRow,
    StageChangeRow,
)
from desta_tui.services.lookups import borough_names

# --- reading --------------------------------------------------------------------------------


def _with_consortium_and_commissioner():
    """Contracts read with their consortium and commissioner, in one query."""
    commissioner = Organisation.alias()
    return (
        Contract.select(Contract, Consortium, commissioner)
        .join(Consortium)
        .switch(Contract)
        .join(commissioner, JOIN.LEFT_OUTER, on=(Contract.commissioner == commissioner.id))
    )


def list_contracts(
    text: str = "",
    stage: str | None = None,
    *,
    archived: bool = False,
    consortium_uuid: str | None = None,
) -> list[ContractRow]:
    """Contracts (live, or only the archived ones), filtered by words and stage, by title."""
    query = _with_consortium_and_commissioner().order_by(fn.LOWER(Contract.title))
    query = query.where(
        Contract.archived_at.is_null(False) if archived else Contract.archived_at.is_null()
    )
    if stage:
        query = query.where(Contract.stage == stage)
    if consortium_uuid:
        query = query.where(Consortium.uuid == consortium_uuid)
    contracts = list(query)
    ids = [c.id for c in contracts]
    boroughs = boroughs_by_contract(ids)
    lasts = last_contacts(ids)
    on = today()
    words = fold(text).split()
    rows = []
    for contract in contracts:
        names = tuple(boroughs.get(contract.id, []))
        commissioner_name = contract.commissioner.name if contract.commissioner_id else ""
        stage_label = CONTRACT_STAGES.label(contract.stage)
        if words:
            haystack = fold(" ".join([contract.title, contract.reference, commissioner_name,
                                      contract.consortium.name, contract.consortium.short_name,
                                      stage_label, *names]))  # fmt: skip
            if not all(word in haystack for word in words):
                continue
        dates = key_dates(contract, on)
        rows.append(
            ContractRow(
                uuid=contract.uuid,
                title=contract.title,
                reference=contract.reference,
                commissioner_name=commissioner_name,
                consortium_name=contract.consortium.name,
                consortium_short_name=contract.consortium.short_name or contract.consortium.name,
                stage=contract.stage,
                stage_label=stage_label,
                total_value_pence=contract.total_value_pence,
                annual_value_pence=contract.annual_value_pence,
                boroughs=names,
                next_deadline=dates[0] if dates else None,
                contact=contact_status(contract, lasts.get(contract.id), on),
                is_archived=contract.archived_at is not None,
            )
        )
    return rows


def get_contract(contract_uuid: str) -> ContractDetail:
    """One contract with its split, support provider, contact status and next key date."""
    return _details([contract_by_uuid(contract_uuid)])[0]


def get_contracts(contract_uuids: Sequence[str]) -> list[ContractDetail]:
    """`get_contract` of each contract, in the order given, in one set of queries for them all
    (a meeting pack's contracts)."""
    query = _with_consortium_and_commissioner().where(Contract.uuid.in_(list(contract_uuids)))
    by_uuid = {contract.uuid: contract for contract in query}
    if any(uuid not in by_uuid for uuid in contract_uuids):
        raise DestaError("That contract no longer exists.")
    return _details([by_uuid[uuid] for uuid in contract_uuids])


def _details(contracts: Sequence[Contract]) -> list[ContractDetail]:
    ids = [contract.id for contract in contracts]
    on = today()
    lasts = last_contacts(ids)
    boroughs = boroughs_by_contract(ids)
    allocated = allocated_by_contract(ids)
    providers = support_providers(ids)
    details = []
    for contract in contracts:
        dates = key_dates(contract, on)
        details.append(
            ContractDetail(
                uuid=contract.uuid,
                title=contract.title,
                reference=contract.reference,
                commissioner_uuid=contract.commissioner.uuid if contract.commissioner_id else None,
                commissioner_name=contract.commissioner.name if contract.commissioner_id else "",
                consortium_uuid=contract.consortium.uuid,
                consortium_name=contract.consortium.name,
                stage=contract.stage,
                stage_label=CONTRACT_STAGES.label(contract.stage),
                total_value_pence=contract.total_value_pence,
                annual_value_pence=contract.annual_value_pence,
                starts_on=contract.starts_on,
                ends_on=contract.ends_on,
                period_kind=contract.period_kind,
                tender_deadline_on=contract.tender_deadline_on,
                decision_on=contract.decision_on,
                boroughs=tuple(boroughs.get(contract.id, [])),
                contact_interval_days=contract.contact_interval_days,
                notes=contract.notes,
                is_archived=contract.archived_at is not None,
                allocation=Allocation(contract.total_value_pence, allocated.get(contract.id, 0)),
                support_provider=providers.get(contract.id),
                contact=contact_status(contract, lasts.get(contract.id), on),
                next_deadline=dates[0] if dates else None,
            )
        )
    return details


def stage_history(contract_uuid: str) -> list[StageChangeRow]:
    """The contract's stage changes, oldest first."""
    contract = contract_by_uuid(contract_uuid)
    query = (
        ContractStageChange.select()
        .where(
            (ContractStageChange.contract == contract) & ContractStageChange.archived_at.is_null()
        )
        .order_by(ContractStageChange.changed_on, ContractStageChange.id)
    )
    return [
        StageChangeRow(
            uuid=change.uuid,
            from_stage=change.from_stage,
            from_label=CONTRACT_STAGES.label(change.from_stage),
            to_stage=change.to_stage,
            to_label=CONTRACT_STAGES.label(change.to_stage),
            changed_on=change.changed_on,
            changed_by=change.changed_by,
            reason=change.reason,
            is_backwards=is_backwards(change.from_stage, change.to_stage),
        )
        for change in query
    ]


def contract_history(contract_uuid: str) -> list[AuditEntry]:
    """The audit history of a contract and all its parts (partners, stages, contacts)."""
    contract = contract_by_uuid(contract_uuid)
    uuids = [contract.uuid]
    for model in (ContractPartner, ContractStageChange, CommissionerContact):
        uuids += [u for (u,) in model.select(model.uuid).where(model.contract == contract).tuples()]
    return record_history(uuids)


# --- the contract form ----------------------------------------------------------------------


def _chosen_consortium(consortium_uuid: str) -> Consortium:
    if not consortium_uuid:
        raise ValidationError("consortium", "choose the consortium")
    consortium = Consortium.get_or_none(
        (Consortium.uuid == consortium_uuid) & Consortium.archived_at.is_null()
    )
    if consortium is None:
        raise ValidationError("consortium", "that consortium no longer exists")
    return consortium


def _chosen_commissioner(commissioner_uuid: str) -> Organisation:
    if not commissioner_uuid:
        raise ValidationError("commissioner", "choose the commissioner")
    commissioner = Organisation.get_or_none(Organisation.uuid == commissioner_uuid)
    if commissioner is None or not commissioner.is_commissioner:
        raise ValidationError("commissioner", "choose an organisation marked as a commissioner")
    return commissioner


def _check_title_free(title: str, consortium: Consortium, existing: Contract | None) -> None:
    clash = Contract.select().where(
        (fn.LOWER(Contract.title) == title.lower())
        & (Contract.consortium == consortium)
        & Contract.archived_at.is_null()
    )
    if existing is not None:
        clash = clash.where(Contract.id != existing.id)
    if clash.exists():
        raise ValidationError(
            "title",
            f"{consortium.short_name or consortium.name} already has a contract called {title!r}",
        )


def _parse_contract_values(
    values: Mapping[str, Any], existing: Contract | None
) -> tuple[dict[str, Any], list[str]]:
    """Parse the form's raw values into model fields; every problem at once as FormError."""
    checks = Checks()
    errors, attempt = checks.errors, checks.run

    parsed: dict[str, Any] = {}
    title = text_of(values, "title")
    if not title:
        errors.append(ValidationError("title", "enter the contract's title"))
    parsed["title"] = title
    parsed["reference"] = text_of(values, "reference")
    parsed["notes"] = str(values.get("notes") or "").strip()
    consortium = attempt(_chosen_consortium, text_of(values, "consortium"))
    parsed["consortium"] = consortium
    parsed["commissioner"] = attempt(_chosen_commissioner, text_of(values, "commissioner"))

    stage = text_of(values, "stage") or (existing.stage if existing else "dialogue")
    attempt(validate_stage, stage)
    parsed["stage"] = stage
    period_kind = text_of(values, "period_kind") or "month"
    if period_kind not in PERIOD_KINDS.codes:
        errors.append(ValidationError("period_kind", "choose monthly or quarterly"))
    parsed["period_kind"] = period_kind

    for name in ("total_value", "annual_value"):
        parsed[f"{name}_pence"] = attempt(parse_value_pence, text_of(values, name), name)
    total, annual = parsed["total_value_pence"], parsed["annual_value_pence"]
    if total is not None and annual is not None:
        attempt(validate_annual_value, total, annual)

    on = today()
    for name in ("starts_on", "ends_on", "tender_deadline_on", "decision_on"):
        parsed[name] = attempt(parse_optional_uk_date, text_of(values, name), name, on)
    attempt(validate_term, parsed["starts_on"], parsed["ends_on"])
    attempt(validate_tender_dates, parsed["tender_deadline_on"], parsed["decision_on"])

    interval = attempt(
        parse_contact_interval_days,
        text_of(values, "contact_interval_days"),
        default_contact_interval_days(),
    )
    if interval is not None:
        parsed["contact_interval_days"] = interval
    boroughs = attempt(match_boroughs, values.get("boroughs", "") or "", borough_names()) or []

    if title and consortium is not None:
        attempt(_check_title_free, title, consortium, existing)
    if existing is not None and total is not None:
        attempt(validate_total_value, total, contract_allocation(existing).allocated_pence)
    if existing is not None:
        attempt(validate_partners_within_term, existing, parsed["starts_on"], parsed["ends_on"])
    FormError.raise_if_any(errors)
    return parsed, boroughs


# --- writing --------------------------------------------------------------------------------


def _record_stage(
    contract: Contract, from_stage: str | None, to_stage: str, changed_on: date, reason: str
) -> None:
    create_record(
        ContractStageChange,
        contract=contract,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_on=changed_on,
        changed_by=current_user(),
        reason=reason,
    )


def _move_stage(contract: Contract, to_stage: str, changed_on: date, reason: str) -> None:
    from_stage = contract.stage
    update_record(contract, stage=to_stage)
    _record_stage(contract, from_stage, to_stage, changed_on, reason)


def create_contract(values: Mapping[str, Any]) -> ContractDetail:
    """A new contract from the form's raw values, its first stage recorded as of today."""
    with db.atomic():
        parsed, boroughs = _parse_contract_values(values, None)
        contract = create_record(Contract, **parsed)
        relink_boroughs(contract, ContractBorough.contract, boroughs)
        _record_stage(contract, None, contract.stage, today(), "")
    return get_contract(contract.uuid)


def update_contract(
    contract_uuid: str, values: Mapping[str, Any], *, stage_reason: str = ""
) -> ContractDetail:
    """Save the form's values; a stage change is recorded today, and going back needs a reason."""
    with db.atomic():
        contract = contract_by_uuid(contract_uuid)
        parsed, boroughs = _parse_contract_values(values, contract)
        new_stage = parsed.pop("stage")
        reason = ""
        if new_stage != contract.stage:
            reason = validate_stage_move(
                contract.stage, new_stage, stage_reason, title=contract.title
            )
        update_record(contract, **parsed)
        relink_boroughs(contract, ContractBorough.contract, boroughs)
        if new_stage != contract.stage:
            _move_stage(contract, new_stage, today(), reason)
    return get_contract(contract.uuid)


def _last_stage_change_on(contract: Contract) -> date | None:
    last = (
        ContractStageChange.select(fn.MAX(ContractStageChange.changed_on))
        .where(
            (ContractStageChange.contract == contract) & ContractStageChange.archived_at.is_null()
        )
        .scalar()
    )
    # SQLite hands back MAX() of a date column as text
    return date.fromisoformat(last) if isinstance(last, str) else last


def change_contract_stage(
    contract_uuid: str, to_stage: str, changed_on: str | date | None = None, reason: str = ""
) -> ContractDetail:
    """Move a contract to another stage on a date (today if none); back needs a reason."""
    with db.atomic():
        contract = contract_by_uuid(contract_uuid)
        on = today()
        errors = []
        if to_stage not in CONTRACT_STAGES.codes:
            errors.append(ValidationError("stage", "choose a stage"))
        elif to_stage == contract.stage:
            errors.append(
                ValidationError("stage", f"it is already {CONTRACT_STAGES.label(to_stage)}")
            )
        when = on
        if isinstance(changed_on, date):
            when = changed_on
        elif changed_on and str(changed_on).strip():
            try:
                when = parse_uk_date(str(changed_on), "changed_on", on)
            except ValidationError as error:
                errors.append(error)
        try:
            validate_stage_change_on(when, on, _last_stage_change_on(contract))
        except ValidationError as error:
            errors.append(error)
        FormError.raise_if_any(errors)
        reason = validate_stage_move(
            contract.stage, to_stage, reason, title=contract.title, field="reason"
        )
        _move_stage(contract, to_stage, when, reason)
    return get_contract(contract.uuid)


def archive_contract(contract_uuid: str) -> records.RecordRef:
    """Archive a contract (restorable with undo)."""
    return records.archive_record("contract", contract_uuid)


def undo_last_contract_archive() -> records.RecordRef | None:
    """Bring back the contract archived last, if any."""
    return records.undo_last_archive(["contract"])
