"""Exception notes: the cause, action, owner and recovery date typed on a red or amber figure
that no support ticket covers, and the notes a pack reads for its month."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import Contract, ContractPartner, ExceptionNote, Metric, Organisation
from desta_tui.domain.dates import parse_optional_uk_date
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.exception_notes import validate_exception_note
from desta_tui.domain.periods import Period, parse_period
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.context import today
from desta_tui.services.performance.metrics import _contract


@dataclass(frozen=True)
class ExceptionNoteView:
    uuid: str
    contract_uuid: str
    partner_uuid: str
    organisation_uuid: str
    organisation_name: str
    metric_code: str
    metric_name: str
    #: the month the note was typed for; it stands for the months after it too
    period: Period
    cause: str
    action: str
    owner: str
    recovery_on: date | None


def _partner(contract: Contract, partner_uuid: str) -> ContractPartner:
    """The contract's partner by its own uuid, or by its organisation's."""
    query = (
        ContractPartner.select(ContractPartner, Organisation)
        .join(Organisation)
        .where(
            (ContractPartner.contract == contract)
            & ((ContractPartner.uuid == partner_uuid) | (Organisation.uuid == partner_uuid))
        )
    )
    partner = query.first()
    if partner is None:
        raise DestaError(f"That partner is not on {contract.title}.")
    return partner


def _recovery_on(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_optional_uk_date(str(value), "recovery_on", today=today())


def note_exception(
    contract_uuid: str,
    partner_uuid: str,
    metric_code: str,
    period: Period | str,
    values: Mapping[str, Any],
) -> ExceptionNoteView:
    """Type why a partner's figure is behind and what is being done (`values`: cause, action,
    owner, recovery_on): one note per partner, metric and month, saved again when it is there.

    `partner_uuid` is the contract partner's uuid or its organisation's. The note stands for
    later months until one is typed for them.
    """
    month = period if isinstance(period, Period) else parse_period(str(period))
    with db.atomic():
        contract = _contract(contract_uuid)
        partner = _partner(contract, partner_uuid)
        metric = Metric.get_or_none(Metric.code == metric_code)
        if metric is None:
            raise DestaError(f"There is no metric {metric_code!r}.")
        # a date that is not one is reported with the note's other problems, all at once
        errors: list[ValidationError] = []
        try:
            recovery_on = _recovery_on(values.get("recovery_on"))
        except ValidationError as error:
            errors.append(error)
            recovery_on = None
        try:
            clean = validate_exception_note(
                values.get("cause"), values.get("action"), values.get("owner"), recovery_on, month
            )
        except FormError as error:
            errors += error.validation_errors
        FormError.raise_if_any(errors)
        fields = {
            "cause": clean.cause,
            "action": clean.action,
            "owner": clean.owner,
            "recovery_on": clean.recovery_on,
        }
        note = ExceptionNote.get_or_none(
            (ExceptionNote.partner == partner)
            & (ExceptionNote.metric == metric)
            & (ExceptionNote.period == month.key)
        )
        if note is None:
            note = create_record(
                ExceptionNote,
                contract=contract,
                partner=partner,
                metric=metric,
                period=month.key,
                **fields,
            )
        else:
            update_record(note, archived_at=None, **fields)
    return _view(note, contract, partner, metric)


def _view(
    note: ExceptionNote, contract: Contract, partner: ContractPartner, metric: Metric
) -> ExceptionNoteView:
    return ExceptionNoteView(
        uuid=note.uuid,
        contract_uuid=contract.uuid,
        partner_uuid=partner.uuid,
        organisation_uuid=partner.organisation.uuid,
        organisation_name=partner.organisation.name,
        metric_code=metric.code,
        metric_name=metric.name,
        period=Period.from_key(note.period),
        cause=note.cause,
        action=note.action,
        owner=note.owner,
        recovery_on=note.recovery_on,
    )


def exception_notes(
    contract_uuids: Sequence[str], up_to: Period
) -> dict[tuple[str, str], ExceptionNoteView]:
    """(contract partner uuid, metric code) -> the latest note typed for a month to `up_to`."""
    if not contract_uuids:
        return {}
    query = (
        ExceptionNote.select(ExceptionNote, Contract, ContractPartner, Organisation, Metric)
        .join_from(ExceptionNote, Contract)
        .join_from(ExceptionNote, ContractPartner)
        .join_from(ContractPartner, Organisation)
        .join_from(ExceptionNote, Metric)
        .where(
            Contract.uuid.in_(list(contract_uuids))
            & (ExceptionNote.period <= up_to.key)
            & ExceptionNote.archived_at.is_null()
        )
        .order_by(ExceptionNote.period)
    )
    found: dict[tuple[str, str], ExceptionNoteView] = {}
    for note in query:
        # later months last: the latest note for a figure wins
        found[(note.partner.uuid, note.metric.code)] = _view(
            note, note.contract, note.partner, note.metric
        )
    return found
