"""Contracts: the pipeline, key dates, stage history, partners and their split, the compliance
gate, the support provider and the commissioner contact log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from peewee import JOIN, fn

from desta_tui.db.database import db
from desta_tui.db.models import (
    Borough,
    CommissionerContact,
    ComplianceItem,
    Consortium,
    Contract,
    ContractBorough,
    ContractPartner,
    ContractPartnerBorough,
    ContractStageChange,
    Membership,
    Organisation,
)
from desta_tui.domain.choices import (
    COMPLIANCE_KINDS,
    CONTACT_KINDS,
    CONTRACT_STAGES,
    GATE_COMPLIANCE_KINDS,
    PARTNER_ROLES,
    PERIOD_KINDS,
    STAGE_ORDER,
)
from desta_tui.domain.dates import format_uk_date, parse_optional_uk_date, parse_uk_date
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.money import format_money, parse_money
from desta_tui.services import records
from desta_tui.services.audit import (
    AuditEntry,
    create_record,
    record_history,
    update_record,
    write_audit,
)
from desta_tui.services.context import current_user, today
from desta_tui.services.search_index import fold
from desta_tui.services.settings import get_setting

# Stages whose contracts are finished with: no deadlines, no commissioner contact due.
CLOSED_STAGES = ("ended", "not_won")
# How far ahead the pipeline looks for key dates.
DEADLINE_DAYS = 30
# Key dates, and the stages in which each is still ahead of the hub.
KEY_DATES = (
    ("tender_deadline_on", "Tender deadline", ("dialogue", "preparing_tender")),
    ("decision_on", "Decision", ("dialogue", "preparing_tender", "submitted")),
    ("starts_on", "Start", ("dialogue", "preparing_tender", "submitted", "awarded")),
    ("ends_on", "End", ("awarded", "in_delivery")),
)


# --- errors the screens act on ------------------------------------------------------------


class ReasonRequiredError(ValidationError):
    """A step needs a reason before it is saved (stage back, reallocation in delivery).

    `question` is what to ask; `kind` says which reason the caller must pass back.
    """

    def __init__(self, field: str | None, message: str, *, kind: str, question: str) -> None:
        super().__init__(field, message)
        self.kind = kind
        self.question = question


class ComplianceGateError(ReasonRequiredError):
    """A partner's papers are missing or expired; `gaps` names each one."""

    def __init__(self, organisation_name: str, gaps: Sequence[ComplianceGap]) -> None:
        named = "; ".join(gap.text for gap in gaps)
        super().__init__(
            "organisation",
            f"{organisation_name} cannot carry contract risk: {named}. "
            "Going ahead needs an override reason.",
            kind="override",
            question=f"{organisation_name}: {named}. Why should it be added all the same?",
        )
        self.gaps = tuple(gaps)


# --- what the services return -------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A record offered in a form's list: its words and its UUID."""

    label: str
    uuid: str


@dataclass(frozen=True)
class KeyDate:
    """A date ahead for a contract: a tender deadline, a decision, a start or an end."""

    contract_uuid: str
    contract_title: str
    what: str
    due_on: date
    days_left: int
    stage_label: str


@dataclass(frozen=True)
class ContactStatus:
    """How long since the commissioner was last contacted, and whether that is too long."""

    last_contacted_on: date | None
    days_since: int | None
    interval_days: int
    is_due: bool
    """The contract is live, so contact with the commissioner is expected."""
    is_overdue: bool

    @property
    def text(self) -> str:
        if not self.is_due:
            return "not expected at this stage"
        if self.last_contacted_on is None:
            return "no contact logged (OVERDUE)"
        days = f"{self.days_since} day{'s' if self.days_since != 1 else ''} ago"
        flag = f" (OVERDUE: every {self.interval_days} days)" if self.is_overdue else ""
        return f"last {format_uk_date(self.last_contacted_on)}, {days}{flag}"


@dataclass(frozen=True)
class ContractRow:
    """One contract as the list shows it."""

    uuid: str
    title: str
    reference: str
    commissioner_name: str
    consortium_name: str
    consortium_short_name: str
    stage: str
    stage_label: str
    total_value_pence: int
    annual_value_pence: int
    boroughs: tuple[str, ...]
    next_deadline: KeyDate | None
    contact: ContactStatus
    is_archived: bool


@dataclass(frozen=True)
class ContractDetail:
    """Everything about one contract that its details tab and its form need."""

    uuid: str
    title: str
    reference: str
    commissioner_uuid: str | None
    commissioner_name: str
    consortium_uuid: str
    consortium_name: str
    stage: str
    stage_label: str
    total_value_pence: int
    annual_value_pence: int
    starts_on: date | None
    ends_on: date | None
    period_kind: str
    tender_deadline_on: date | None
    decision_on: date | None
    boroughs: tuple[str, ...]
    contact_interval_days: int
    notes: str
    is_archived: bool
    allocation: Allocation
    support_provider: SupportProvider | None
    contact: ContactStatus
    next_deadline: KeyDate | None


@dataclass(frozen=True)
class StageLine:
    """One stage of the pipeline: how many contracts and what they are worth."""

    stage: str
    label: str
    count: int
    total_value_pence: int
    annual_value_pence: int


@dataclass(frozen=True)
class Allocation:
    """The contract value split between partners: what is given out and what is left."""

    total_value_pence: int
    allocated_pence: int

    @property
    def remainder_pence(self) -> int:
        return self.total_value_pence - self.allocated_pence

    @property
    def text(self) -> str:
        total = format_money(self.total_value_pence)
        given = format_money(self.allocated_pence)
        if self.remainder_pence < 0:
            return f"{given} allocated of {total}: OVER by {format_money(-self.remainder_pence)}"
        if self.remainder_pence == 0:
            return f"{given} allocated of {total}: all allocated"
        return f"{given} allocated of {total}: {format_money(self.remainder_pence)} left"


@dataclass(frozen=True)
class ComplianceGap:
    """A paper the gate wants that is missing or expired."""

    kind: str
    label: str
    expired_on: date | None
    """None when the paper is missing altogether."""

    @property
    def text(self) -> str:
        if self.expired_on is None:
            return f"no {self.label.lower()} on file"
        return f"{self.label.lower()} expired on {format_uk_date(self.expired_on)}"


@dataclass(frozen=True)
class PaperDue:
    """A gate paper still valid but running out soon."""

    kind: str
    label: str
    expires_on: date

    @property
    def text(self) -> str:
        return f"{self.label} expires {format_uk_date(self.expires_on)}"


@dataclass(frozen=True)
class PartnerRow:
    """A partner of a contract, as the partners tab and the partner form show it."""

    uuid: str
    contract_uuid: str
    organisation_uuid: str
    organisation_name: str
    role: str
    role_label: str
    allocated_value_pence: int
    boroughs: tuple[str, ...]
    compliance_gaps: tuple[ComplianceGap, ...]
    papers_due: tuple[PaperDue, ...]
    compliance_override_reason: str
    notes: str
    is_archived: bool

    @property
    def papers_text(self) -> str:
        if not self.compliance_gaps:
            return "; ".join(paper.text for paper in self.papers_due) or "in order"
        text = "; ".join(gap.text for gap in self.compliance_gaps)
        text = text[:1].upper() + text[1:]
        return f"{text} (overridden)" if self.compliance_override_reason else text


@dataclass(frozen=True)
class SupportProvider:
    """The partner that supports the others on a contract; tickets go to it by default."""

    organisation_uuid: str
    name: str
    partner_uuid: str


@dataclass(frozen=True)
class StageChangeRow:
    uuid: str
    from_stage: str | None
    from_label: str
    to_stage: str
    to_label: str
    changed_on: date
    changed_by: str
    reason: str
    is_backwards: bool


@dataclass(frozen=True)
class CommissionerContactRow:
    uuid: str
    contract_uuid: str
    contacted_on: date
    kind: str
    kind_label: str
    with_whom: str
    notes: str
    logged_by: str


@dataclass(frozen=True)
class OverdueContact:
    """A live contract whose commissioner has not been contacted within its interval."""

    contract_uuid: str
    contract_title: str
    consortium_name: str
    commissioner_name: str
    last_contacted_on: date | None
    days_since: int | None
    interval_days: int


# --- small pure helpers -------------------------------------------------------------------


def match_boroughs(text: str | Iterable[str], names: Sequence[str]) -> list[str]:
    """The borough names meant by `text` ("Brent, ham, K&C"), in the order of `names`.

    Each comma-separated part may be a whole name, the start of one, or its initials ("H&F");
    an unknown or ambiguous part raises ValidationError("boroughs", ...) naming it.
    """
    parts = [p.strip() for p in text.split(",")] if isinstance(text, str) else list(text)
    chosen: set[str] = set()
    for part in parts:
        if not part.strip():
            continue
        wanted = _squash(part)
        exact = [n for n in names if _squash(n) == wanted]
        found = exact or [n for n in names if _squash(n).startswith(wanted)]
        found = found or [n for n in names if _initials(n) == wanted]
        if len(found) == 1:
            chosen.add(found[0])
        elif not found:
            raise ValidationError(
                "boroughs", f"{part.strip()!r} is not a borough (known: {', '.join(names)})"
            )
        else:
            raise ValidationError(
                "boroughs", f"{part.strip()!r} could be {' or '.join(found)}: type more of it"
            )
    return [n for n in names if n in chosen]


def _squash(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _initials(name: str) -> str:
    words = [w for w in fold(name).replace("&", " ").split() if w != "and"]
    return "".join(w[0] for w in words if w[0].isalnum())


def is_backwards(from_stage: str | None, to_stage: str) -> bool:
    """True when a move goes back along the road from dialogue to exit."""
    if from_stage is None:
        return False
    return STAGE_ORDER.get(to_stage, 0) < STAGE_ORDER.get(from_stage, 0)


def _stage_label(code: str | None) -> str:
    return CONTRACT_STAGES.label(code) if code else ""


# --- reading ------------------------------------------------------------------------------


def _get_contract(contract_uuid: str) -> Contract:
    contract = Contract.get_or_none(Contract.uuid == contract_uuid)
    if contract is None:
        raise DestaError("That contract no longer exists.")
    return contract


def _boroughs_by_contract(contract_ids: list[int]) -> dict[int, list[str]]:
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


def _last_contacts(contract_ids: list[int]) -> dict[int, date]:
    if not contract_ids:
        return {}
    query = (
        CommissionerContact.select(
            CommissionerContact.contract, fn.MAX(CommissionerContact.contacted_on)
        )
        .where(
            CommissionerContact.contract.in_(contract_ids)
            & CommissionerContact.archived_at.is_null()
        )
        .group_by(CommissionerContact.contract)
        .tuples()
    )
    result = {}
    for contract_id, last in query:
        # SQLite hands back MAX() of a date column as text
        result[contract_id] = date.fromisoformat(last) if isinstance(last, str) else last
    return result


def _contact_status(contract: Contract, last: date | None, on: date) -> ContactStatus:
    interval = contract.contact_interval_days or int(get_setting("commissioner_contact_days"))
    is_due = contract.stage not in CLOSED_STAGES and contract.archived_at is None
    days = (on - last).days if last is not None else None
    overdue = is_due and (days is None or days > interval)
    return ContactStatus(last, days, interval, is_due, overdue)


def _key_dates(contract: Contract, on: date) -> list[KeyDate]:
    found = []
    for attribute, what, stages in KEY_DATES:
        due = getattr(contract, attribute)
        if due is not None and contract.stage in stages and due >= on:
            found.append(
                KeyDate(
                    contract.uuid, contract.title, what, due, (due - on).days,
                    _stage_label(contract.stage),
                )
            )  # fmt: skip
    return sorted(found, key=lambda key_date: key_date.due_on)


def list_contracts(
    text: str = "",
    stage: str | None = None,
    *,
    archived: bool = False,
    consortium_uuid: str | None = None,
) -> list[ContractRow]:
    """Contracts (live, or only the archived ones), filtered by words and stage, by title."""
    commissioner = Organisation.alias()
    query = (
        Contract.select(Contract, Consortium, commissioner)
        .join(Consortium)
        .switch(Contract)
        .join(commissioner, JOIN.LEFT_OUTER, on=(Contract.commissioner == commissioner.id))
        .order_by(fn.LOWER(Contract.title))
    )
    query = query.where(
        Contract.archived_at.is_null(False) if archived else Contract.archived_at.is_null()
    )
    if stage:
        query = query.where(Contract.stage == stage)
    if consortium_uuid:
        query = query.where(Consortium.uuid == consortium_uuid)
    contracts = list(query)
    ids = [c.id for c in contracts]
    boroughs = _boroughs_by_contract(ids)
    lasts = _last_contacts(ids)
    on = today()
    words = fold(text).split()
    rows = []
    for contract in contracts:
        names = tuple(boroughs.get(contract.id, []))
        commissioner_name = contract.commissioner.name if contract.commissioner_id else ""
        if words:
            haystack = fold(" ".join([contract.title, contract.reference, commissioner_name,
                                      contract.consortium.name, contract.consortium.short_name,
                                      _stage_label(contract.stage), *names]))  # fmt: skip
            if not all(word in haystack for word in words):
                continue
        dates = _key_dates(contract, on)
        rows.append(
            ContractRow(
                uuid=contract.uuid,
                title=contract.title,
                reference=contract.reference,
                commissioner_name=commissioner_name,
                consortium_name=contract.consortium.name,
                consortium_short_name=contract.consortium.short_name or contract.consortium.name,
                stage=contract.stage,
                stage_label=_stage_label(contract.stage),
                total_value_pence=contract.total_value_pence,
                annual_value_pence=contract.annual_value_pence,
                boroughs=names,
                next_deadline=dates[0] if dates else None,
                contact=_contact_status(contract, lasts.get(contract.id), on),
                is_archived=contract.archived_at is not None,
            )
        )
    return rows


def pipeline(consortium_uuid: str | None = None) -> list[StageLine]:
    """Count and value of the live contracts at each stage, every stage listed in order."""
    query = Contract.select(
        Contract.stage,
        fn.COUNT(Contract.id),
        fn.SUM(Contract.total_value_pence),
        fn.SUM(Contract.annual_value_pence),
    ).where(Contract.archived_at.is_null())
    if consortium_uuid:
        query = query.join(Consortium).where(Consortium.uuid == consortium_uuid)
    sums = {stage: (count, total or 0, annual or 0)
            for stage, count, total, annual in query.group_by(Contract.stage).tuples()}  # fmt: skip
    return [
        StageLine(choice.code, choice.label, *map(int, sums.get(choice.code, (0, 0, 0))))
        for choice in CONTRACT_STAGES
    ]


def upcoming_deadlines(
    days: int = DEADLINE_DAYS, consortium_uuid: str | None = None
) -> list[KeyDate]:
    """Key dates from today to `days` ahead on live contracts, soonest first."""
    on = today()
    until = on + timedelta(days=days)
    query = Contract.select().where(
        Contract.archived_at.is_null() & Contract.stage.not_in(CLOSED_STAGES)
    )
    if consortium_uuid:
        query = query.join(Consortium).where(Consortium.uuid == consortium_uuid)
    found = [
        key_date
        for contract in query
        for key_date in _key_dates(contract, on)
        if key_date.due_on <= until
    ]
    return sorted(found, key=lambda key_date: (key_date.due_on, key_date.contract_title))


def get_contract(contract_uuid: str) -> ContractDetail:
    contract = _get_contract(contract_uuid)
    on = today()
    lasts = _last_contacts([contract.id])
    dates = _key_dates(contract, on)
    return ContractDetail(
        uuid=contract.uuid,
        title=contract.title,
        reference=contract.reference,
        commissioner_uuid=contract.commissioner.uuid if contract.commissioner_id else None,
        commissioner_name=contract.commissioner.name if contract.commissioner_id else "",
        consortium_uuid=contract.consortium.uuid,
        consortium_name=contract.consortium.name,
        stage=contract.stage,
        stage_label=_stage_label(contract.stage),
        total_value_pence=contract.total_value_pence,
        annual_value_pence=contract.annual_value_pence,
        starts_on=contract.starts_on,
        ends_on=contract.ends_on,
        period_kind=contract.period_kind,
        tender_deadline_on=contract.tender_deadline_on,
        decision_on=contract.decision_on,
        boroughs=tuple(_boroughs_by_contract([contract.id]).get(contract.id, [])),
        contact_interval_days=contract.contact_interval_days,
        notes=contract.notes,
        is_archived=contract.archived_at is not None,
        allocation=_allocation(contract),
        support_provider=contract_support_provider(contract.uuid),
        contact=_contact_status(contract, lasts.get(contract.id), on),
        next_deadline=dates[0] if dates else None,
    )


def contract_choices(consortium_uuid: str | None = None) -> list[Choice]:
    """Live contracts as (title, uuid), for pickers and the command palette."""
    query = Contract.select(Contract.title, Contract.uuid, Contract.stage).where(
        Contract.archived_at.is_null()
    )
    if consortium_uuid:
        query = query.join(Consortium).where(Consortium.uuid == consortium_uuid)
    return [Choice(title, uuid) for title, uuid, _stage in query.order_by(Contract.title).tuples()]


def commissioner_choices() -> list[Choice]:
    query = Organisation.select().where(
        Organisation.is_commissioner & Organisation.archived_at.is_null()
    )
    return [Choice(org.name, org.uuid) for org in query.order_by(Organisation.name)]


def consortium_choices() -> list[Choice]:
    query = Consortium.select().where(Consortium.archived_at.is_null())
    return [Choice(c.name, c.uuid) for c in query.order_by(Consortium.name)]


def borough_names() -> list[str]:
    query = Borough.select(Borough.name).where(Borough.archived_at.is_null())
    return [name for (name,) in query.order_by(Borough.name).tuples()]


def default_contact_interval_days() -> int:
    return int(get_setting("commissioner_contact_days"))


def stage_history(contract_uuid: str) -> list[StageChangeRow]:
    """The contract's stage changes, oldest first."""
    contract = _get_contract(contract_uuid)
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
            from_label=_stage_label(change.from_stage),
            to_stage=change.to_stage,
            to_label=_stage_label(change.to_stage),
            changed_on=change.changed_on,
            changed_by=change.changed_by,
            reason=change.reason,
            is_backwards=is_backwards(change.from_stage, change.to_stage),
        )
        for change in query
    ]


def contract_history(contract_uuid: str) -> list[AuditEntry]:
    """The audit history of a contract and all its parts (partners, stages, contacts)."""
    contract = _get_contract(contract_uuid)
    uuids = [contract.uuid]
    for model in (ContractPartner, ContractStageChange, CommissionerContact):
        uuids += [u for (u,) in model.select(model.uuid).where(model.contract == contract).tuples()]
    return record_history(uuids)


# --- writing contracts --------------------------------------------------------------------


def _text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name, "")
    return "" if value is None else str(value).strip()


def _parse_contract_values(
    values: Mapping[str, Any], existing: Contract | None
) -> tuple[dict[str, Any], list[str]]:
    """Parse the form's raw values into model fields; every problem at once as FormError."""
    errors: list[ValidationError] = []
    parsed: dict[str, Any] = {}

    def attempt(name: str, parse):
        try:
            return parse()
        except ValidationError as error:
            errors.append(ValidationError(name, error.message))
            return None

    title = _text(values, "title")
    if not title:
        errors.append(ValidationError("title", "enter the contract's title"))
    parsed["title"] = title
    parsed["reference"] = _text(values, "reference")
    parsed["notes"] = str(values.get("notes") or "").strip()

    consortium = None
    consortium_uuid = _text(values, "consortium")
    if not consortium_uuid:
        errors.append(ValidationError("consortium", "choose the consortium"))
    else:
        consortium = Consortium.get_or_none(
            (Consortium.uuid == consortium_uuid) & Consortium.archived_at.is_null()
        )
        if consortium is None:
            errors.append(ValidationError("consortium", "that consortium no longer exists"))
    parsed["consortium"] = consortium

    commissioner = None
    commissioner_uuid = _text(values, "commissioner")
    if not commissioner_uuid:
        errors.append(ValidationError("commissioner", "choose the commissioner"))
    else:
        commissioner = Organisation.get_or_none(Organisation.uuid == commissioner_uuid)
        if commissioner is None or not commissioner.is_commissioner:
            errors.append(
                ValidationError("commissioner", "choose an organisation marked as a commissioner")
            )
    parsed["commissioner"] = commissioner

    stage = _text(values, "stage") or (existing.stage if existing else "dialogue")
    if stage not in CONTRACT_STAGES.codes:
        errors.append(ValidationError("stage", f"{stage!r} is not a stage"))
    parsed["stage"] = stage

    period_kind = _text(values, "period_kind") or "month"
    if period_kind not in PERIOD_KINDS.codes:
        errors.append(ValidationError("period_kind", "choose monthly or quarterly"))
    parsed["period_kind"] = period_kind

    for name in ("total_value", "annual_value"):
        raw = _text(values, name)
        amount = attempt(name, lambda raw=raw, name=name: parse_money(raw, name)) if raw else 0
        if amount is not None and amount < 0:
            errors.append(ValidationError(name, "an amount cannot be below £0"))
        parsed[f"{name}_pence"] = amount
    total, annual = parsed["total_value_pence"], parsed["annual_value_pence"]
    if total is not None and annual is not None and annual > total > 0:
        errors.append(
            ValidationError(
                "annual_value",
                f"the annual value ({format_money(annual)}) is more than the total "
                f"({format_money(total)})",
            )
        )
    on = today()
    for name in ("starts_on", "ends_on", "tender_deadline_on", "decision_on"):
        raw = _text(values, name)
        parsed[name] = attempt(
            name, lambda raw=raw, name=name: parse_optional_uk_date(raw, name, on)
        )
    if parsed["starts_on"] and parsed["ends_on"] and parsed["ends_on"] < parsed["starts_on"]:
        errors.append(
            ValidationError(
                "ends_on", f"the end comes before the start ({format_uk_date(parsed['starts_on'])})"
            )
        )
    if (
        parsed["tender_deadline_on"]
        and parsed["decision_on"]
        and parsed["decision_on"] < parsed["tender_deadline_on"]
    ):
        errors.append(
            ValidationError("decision_on", "the decision comes before the tender deadline")
        )

    raw_interval = _text(values, "contact_interval_days")
    if not raw_interval:
        parsed["contact_interval_days"] = default_contact_interval_days()
    elif not raw_interval.isdigit() or not 1 <= int(raw_interval) <= 366:
        errors.append(
            ValidationError("contact_interval_days", "enter a number of days from 1 to 366")
        )
    else:
        parsed["contact_interval_days"] = int(raw_interval)

    boroughs: list[str] = []
    raw_boroughs = values.get("boroughs", "")
    try:
        boroughs = match_boroughs(raw_boroughs or "", borough_names())
    except ValidationError as error:
        errors.append(error)

    if title and consortium is not None:
        clash = Contract.select().where(
            (fn.LOWER(Contract.title) == title.lower())
            & (Contract.consortium == consortium)
            & Contract.archived_at.is_null()
        )
        if existing is not None:
            clash = clash.where(Contract.id != existing.id)
        if clash.exists():
            errors.append(
                ValidationError(
                    "title",
                    f"{consortium.short_name or consortium.name} already "
                    f"has a contract called {title!r}",
                )  # fmt: skip
            )
    if existing is not None and total is not None:
        allocated = _allocation(existing).allocated_pence
        if total < allocated:
            errors.append(
                ValidationError(
                    "total_value",
                    f"the partners already hold {format_money(allocated)}; lower their "
                    "allocations first",
                )
            )
    FormError.raise_if_any(errors)
    return parsed, boroughs


def _set_boroughs(contract: Contract, names: list[str]) -> None:
    old = _boroughs_by_contract([contract.id]).get(contract.id, [])
    if old == names:
        return
    ContractBorough.delete().where(ContractBorough.contract == contract).execute()
    by_name = {b.name: b for b in Borough.select().where(Borough.name.in_(names))} if names else {}
    for name in names:
        ContractBorough.create(contract=contract, borough=by_name[name])
    write_audit(contract, "update", "boroughs", ", ".join(old) or None, ", ".join(names) or None)


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


def create_contract(values: Mapping[str, Any]) -> ContractDetail:
    """A new contract from the form's raw values, its first stage recorded as of today."""
    with db.atomic():
        parsed, boroughs = _parse_contract_values(values, None)
        contract = create_record(Contract, **parsed)
        _set_boroughs(contract, boroughs)
        _record_stage(contract, None, contract.stage, today(), "")
    return get_contract(contract.uuid)


def update_contract(
    contract_uuid: str, values: Mapping[str, Any], *, stage_reason: str = ""
) -> ContractDetail:
    """Save the form's values; a stage change is recorded today, and going back needs a reason."""
    with db.atomic():
        contract = _get_contract(contract_uuid)
        parsed, boroughs = _parse_contract_values(values, contract)
        new_stage = parsed.pop("stage")
        if new_stage != contract.stage:
            _check_stage_move(contract, new_stage, today(), stage_reason, "stage")
        update_record(contract, **parsed)
        _set_boroughs(contract, boroughs)
        if new_stage != contract.stage:
            _move_stage(contract, new_stage, today(), stage_reason.strip())
    return get_contract(contract.uuid)


def _check_stage_move(
    contract: Contract, to_stage: str, changed_on: date, reason: str, field: str
) -> None:
    if to_stage not in CONTRACT_STAGES.codes:
        raise ValidationError(field, f"{to_stage!r} is not a stage")
    if is_backwards(contract.stage, to_stage) and not reason.strip():
        move = f"from {_stage_label(contract.stage)} back to {_stage_label(to_stage)}"
        raise ReasonRequiredError(
            field,
            f"moving {move} needs a reason",
            kind="stage",
            question=f"Why is {contract.title} moving {move}?",
        )


def _move_stage(contract: Contract, to_stage: str, changed_on: date, reason: str) -> None:
    from_stage = contract.stage
    update_record(contract, stage=to_stage)
    _record_stage(contract, from_stage, to_stage, changed_on, reason)


def change_contract_stage(
    contract_uuid: str, to_stage: str, changed_on: str | date | None = None, reason: str = ""
) -> ContractDetail:
    """Move a contract to another stage on a date (today if none); back needs a reason."""
    with db.atomic():
        contract = _get_contract(contract_uuid)
        on = today()
        errors = []
        if to_stage not in CONTRACT_STAGES.codes:
            errors.append(ValidationError("stage", "choose a stage"))
        elif to_stage == contract.stage:
            errors.append(ValidationError("stage", f"it is already {_stage_label(to_stage)}"))
        when = on
        if isinstance(changed_on, date):
            when = changed_on
        elif changed_on and str(changed_on).strip():
            try:
                when = parse_uk_date(str(changed_on), "changed_on", on)
            except ValidationError as error:
                errors.append(error)
        if when > on:
            errors.append(ValidationError("changed_on", "a stage change cannot be in the future"))
        last = (
            ContractStageChange.select(fn.MAX(ContractStageChange.changed_on))
            .where(
                (ContractStageChange.contract == contract)
                & ContractStageChange.archived_at.is_null()
            )
            .scalar()
        )
        last = date.fromisoformat(last) if isinstance(last, str) else last
        if last and when < last:
            errors.append(
                ValidationError(
                    "changed_on", f"the last stage change was on {format_uk_date(last)}"
                )
            )
        FormError.raise_if_any(errors)
        _check_stage_move(contract, to_stage, when, reason, "reason")
        _move_stage(contract, to_stage, when, reason.strip())
    return get_contract(contract.uuid)


def archive_contract(contract_uuid: str) -> records.RecordRef:
    return records.archive_record("contract", contract_uuid)


def undo_last_contract_archive() -> records.RecordRef | None:
    return records.undo_last_archive(["contract"])


# --- partners -----------------------------------------------------------------------------


def _allocation(contract: Contract, excluding: ContractPartner | None = None) -> Allocation:
    query = ContractPartner.select(fn.SUM(ContractPartner.allocated_value_pence)).where(
        (ContractPartner.contract == contract) & ContractPartner.archived_at.is_null()
    )
    if excluding is not None:
        query = query.where(ContractPartner.id != excluding.id)
    return Allocation(contract.total_value_pence, int(query.scalar() or 0))


def allocation(contract_uuid: str) -> Allocation:
    return _allocation(_get_contract(contract_uuid))


def _latest_papers(organisation: Organisation) -> dict[str, date | None]:
    """The furthest expiry of each gate paper on file (None: a paper that never runs out)."""
    latest: dict[str, date | None] = {}
    papers = ComplianceItem.select(ComplianceItem.kind, ComplianceItem.expires_on).where(
        (ComplianceItem.organisation == organisation)
        & ComplianceItem.archived_at.is_null()
        & ComplianceItem.kind.in_(GATE_COMPLIANCE_KINDS)
    )
    for kind, expires_on in papers.tuples():
        known = latest.get(kind, date.min)
        later = expires_on is None or (known is not None and expires_on > known)
        if kind not in latest or later:
            latest[kind] = expires_on
    return latest


def compliance_gaps(organisation: Organisation, on: date | None = None) -> list[ComplianceGap]:
    """The gate's papers this organisation lacks, or holds only expired, on `on` (today)."""
    on = on or today()
    latest = _latest_papers(organisation)
    gaps = []
    for kind in GATE_COMPLIANCE_KINDS:
        label = COMPLIANCE_KINDS.label(kind)
        if kind not in latest:
            gaps.append(ComplianceGap(kind, label, None))
        elif latest[kind] is not None and latest[kind] < on:
            gaps.append(ComplianceGap(kind, label, latest[kind]))
    return gaps


def papers_expiring(
    organisation: Organisation, on: date | None = None, within_days: int | None = None
) -> list[PaperDue]:
    """Gate papers still valid on `on` that run out within the warning days (setting)."""
    on = on or today()
    within = within_days if within_days is not None else int(get_setting("compliance_warning_days"))
    latest = _latest_papers(organisation)
    return [
        PaperDue(kind, COMPLIANCE_KINDS.label(kind), latest[kind])
        for kind in GATE_COMPLIANCE_KINDS
        if latest.get(kind) is not None and on <= latest[kind] <= on + timedelta(days=within)
    ]


def _partner_boroughs(partner_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not partner_ids:
        return found
    query = (
        ContractPartnerBorough.select(ContractPartnerBorough.partner, Borough.name)
        .join(Borough)
        .where(ContractPartnerBorough.partner.in_(partner_ids))
        .order_by(Borough.name)
        .tuples()
    )
    for partner_id, name in query:
        found.setdefault(partner_id, []).append(name)
    return found


_ROLE_ORDER = {code: index for index, code in enumerate(("lead", "support", "delivery"))}


def list_partners(contract_uuid: str, *, archived: bool = False) -> list[PartnerRow]:
    """A contract's partners: lead, then support provider, then delivery partners by name."""
    contract = _get_contract(contract_uuid)
    query = (
        ContractPartner.select(ContractPartner, Organisation)
        .join(Organisation)
        .where(ContractPartner.contract == contract)
        .where(
            ContractPartner.archived_at.is_null(False)
            if archived
            else ContractPartner.archived_at.is_null()
        )
    )
    partners = list(query)
    boroughs = _partner_boroughs([p.id for p in partners])
    on = today()
    rows = [_partner_row(p, contract, boroughs.get(p.id, []), on) for p in partners]
    return sorted(rows, key=lambda r: (_ROLE_ORDER.get(r.role, 9), fold(r.organisation_name)))


def _partner_row(
    partner: ContractPartner, contract: Contract, boroughs: list[str], on: date
) -> PartnerRow:
    return PartnerRow(
        uuid=partner.uuid,
        contract_uuid=contract.uuid,
        organisation_uuid=partner.organisation.uuid,
        organisation_name=partner.organisation.name,
        role=partner.role,
        role_label=PARTNER_ROLES.label(partner.role),
        allocated_value_pence=partner.allocated_value_pence,
        boroughs=tuple(boroughs),
        compliance_gaps=tuple(compliance_gaps(partner.organisation, on)),
        papers_due=tuple(papers_expiring(partner.organisation, on)),
        compliance_override_reason=partner.compliance_override_reason,
        notes=partner.notes,
        is_archived=partner.archived_at is not None,
    )


def get_partner(partner_uuid: str) -> PartnerRow:
    partner = ContractPartner.get_or_none(ContractPartner.uuid == partner_uuid)
    if partner is None:
        raise DestaError("That partner no longer exists.")
    boroughs = _partner_boroughs([partner.id]).get(partner.id, [])
    return _partner_row(partner, partner.contract, boroughs, today())


def partner_organisation_choices(contract_uuid: str) -> list[Choice]:
    """Member organisations of the contract's consortium that are not partners of it yet."""
    contract = _get_contract(contract_uuid)
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


def contract_support_provider(contract_uuid: str) -> SupportProvider | None:
    """The contract's support provider (the partner with role "support"), or None."""
    partner = (
        ContractPartner.select(ContractPartner, Organisation)
        .join(Organisation)
        .switch(ContractPartner)
        .join(Contract)
        .where(
            (Contract.uuid == contract_uuid)
            & (ContractPartner.role == "support")
            & ContractPartner.archived_at.is_null()
        )
        .first()
    )
    if partner is None:
        return None
    return SupportProvider(partner.organisation.uuid, partner.organisation.name, partner.uuid)


def _parse_partner_values(
    contract: Contract, values: Mapping[str, Any], existing: ContractPartner | None
) -> tuple[Organisation | None, dict[str, Any], list[str]]:
    errors: list[ValidationError] = []
    organisation = existing.organisation if existing is not None else None
    if existing is None:
        org_uuid = _text(values, "organisation")
        if not org_uuid:
            errors.append(ValidationError("organisation", "choose the member organisation"))
        else:
            organisation = Organisation.get_or_none(
                (Organisation.uuid == org_uuid) & Organisation.archived_at.is_null()
            )
            if organisation is None:
                errors.append(ValidationError("organisation", "that organisation no longer exists"))
            elif not organisation.is_member:
                errors.append(
                    ValidationError("organisation", f"{organisation.name} is not a member")
                )
    role = _text(values, "role") or "delivery"
    if role not in PARTNER_ROLES.codes:
        errors.append(ValidationError("role", "choose lead, delivery partner or support provider"))
    elif role in ("lead", "support"):
        holder = (
            ContractPartner.select(ContractPartner, Organisation)
            .join(Organisation)
            .where(
                (ContractPartner.contract == contract)
                & (ContractPartner.role == role)
                & ContractPartner.archived_at.is_null()
            )
        )
        if existing is not None:
            holder = holder.where(ContractPartner.id != existing.id)
        other = holder.first()
        if other is not None:
            errors.append(
                ValidationError(
                    "role",
                    f"{other.organisation.name} is already the {PARTNER_ROLES.label(role).lower()}"
                    " of this contract",
                )
            )
    raw_amount = _text(values, "allocated_value")
    amount = 0
    if raw_amount:
        try:
            amount = parse_money(raw_amount, "allocated_value")
        except ValidationError as error:
            errors.append(error)
            amount = None
        else:
            if amount < 0:
                errors.append(ValidationError("allocated_value", "an amount cannot be below £0"))
    boroughs: list[str] = []
    try:
        boroughs = match_boroughs(values.get("boroughs") or "", borough_names())
    except ValidationError as error:
        errors.append(error)
    covered = _boroughs_by_contract([contract.id]).get(contract.id, [])
    outside = [name for name in boroughs if covered and name not in covered]
    if outside:
        errors.append(
            ValidationError(
                "boroughs",
                f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not covered by this "
                f"contract ({', '.join(covered)})",
            )
        )
    if amount is not None and amount >= 0:
        others = _allocation(contract, excluding=existing)
        total = others.allocated_pence + amount
        if total > contract.total_value_pence:
            left = max(contract.total_value_pence - others.allocated_pence, 0)
            errors.append(
                ValidationError(
                    "allocated_value",
                    f"over-allocated by {format_money(total - contract.total_value_pence)}: "
                    f"the contract is worth {format_money(contract.total_value_pence)} and "
                    f"{format_money(left)} is left to allocate",
                )
            )
    FormError.raise_if_any(errors)
    fields = {
        "role": role,
        "allocated_value_pence": amount or 0,
        "notes": str(values.get("notes") or "").strip(),
    }
    return organisation, fields, boroughs


def _set_partner_boroughs(partner: ContractPartner, names: list[str]) -> None:
    old = _partner_boroughs([partner.id]).get(partner.id, [])
    if old == names:
        return
    ContractPartnerBorough.delete().where(ContractPartnerBorough.partner == partner).execute()
    by_name = {b.name: b for b in Borough.select().where(Borough.name.in_(names))} if names else {}
    for name in names:
        ContractPartnerBorough.create(partner=partner, borough=by_name[name])
    write_audit(partner, "update", "boroughs", ", ".join(old) or None, ", ".join(names) or None)


def add_partner(
    contract_uuid: str, values: Mapping[str, Any], *, override_reason: str = ""
) -> PartnerRow:
    """Add a member organisation to a contract, checking the split and the compliance gate.

    Missing or expired papers raise ComplianceGateError unless `override_reason` is given; the
    reason is kept on the partner and in the audit log.
    """
    with db.atomic():
        contract = _get_contract(contract_uuid)
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
        _set_partner_boroughs(partner, boroughs)
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
        is_reallocation = contract.stage == "in_delivery" and new_amount != old_amount
        if is_reallocation and not reallocation_reason.strip():
            change = f"{format_money(old_amount)} to {format_money(new_amount)}"
            raise ReasonRequiredError(
                "allocated_value",
                f"changing the allocation during delivery ({change}) needs a reason",
                kind="reallocation",
                question=f"Why does {partner.organisation.name}'s allocation change from {change}?",
            )
        update_record(partner, **fields)
        _set_partner_boroughs(partner, boroughs)
        if new_amount != old_amount and reallocation_reason.strip():
            write_audit(partner, "update", "reallocation_reason", None, reallocation_reason.strip())
    return get_partner(partner.uuid)


def archive_partner(partner_uuid: str) -> records.RecordRef:
    return records.archive_record("contract_partner", partner_uuid)


def undo_last_partner_archive(contract_uuid: str) -> records.RecordRef | None:
    """Bring back the partner of this contract archived last, if the split still allows it."""
    contract = _get_contract(contract_uuid)
    ref = records.last_archived(["contract_partner"])
    partner = ContractPartner.get_or_none(ContractPartner.uuid == ref.uuid) if ref else None
    if partner is None or partner.contract_id != contract.id:
        return None
    left = _allocation(contract).remainder_pence
    if partner.allocated_value_pence > left:
        raise DestaError(
            f"{partner.organisation.name} holds {format_money(partner.allocated_value_pence)} "
            f"but only {format_money(max(left, 0))} is left to allocate: lower another "
            "allocation first."
        )
    if partner.role in ("lead", "support"):
        other = ContractPartner.get_or_none(
            (ContractPartner.contract == contract)
            & (ContractPartner.role == partner.role)
            & ContractPartner.archived_at.is_null()
        )
        if other is not None:
            raise DestaError(
                f"{other.organisation.name} is the {PARTNER_ROLES.label(partner.role).lower()} "
                f"now, so {partner.organisation.name} cannot come back as one."
            )
    return records.restore_record("contract_partner", partner.uuid)


# --- commissioner contacts ----------------------------------------------------------------


def list_commissioner_contacts(contract_uuid: str) -> list[CommissionerContactRow]:
    """The contract's contact log, newest first."""
    contract = _get_contract(contract_uuid)
    query = (
        CommissionerContact.select()
        .where(
            (CommissionerContact.contract == contract) & CommissionerContact.archived_at.is_null()
        )
        .order_by(CommissionerContact.contacted_on.desc(), CommissionerContact.id.desc())
    )
    return [_contact_row(contact, contract) for contact in query]


def _contact_row(contact: CommissionerContact, contract: Contract) -> CommissionerContactRow:
    return CommissionerContactRow(
        uuid=contact.uuid,
        contract_uuid=contract.uuid,
        contacted_on=contact.contacted_on,
        kind=contact.kind,
        kind_label=CONTACT_KINDS.label(contact.kind),
        with_whom=contact.with_whom,
        notes=contact.notes,
        logged_by=contact.logged_by,
    )


def get_commissioner_contact(contact_uuid: str) -> CommissionerContactRow:
    contact = CommissionerContact.get_or_none(CommissionerContact.uuid == contact_uuid)
    if contact is None:
        raise DestaError("That contact entry no longer exists.")
    return _contact_row(contact, contact.contract)


def _parse_contact_values(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: list[ValidationError] = []
    on = today()
    contacted_on = None
    try:
        contacted_on = parse_uk_date(_text(values, "contacted_on"), "contacted_on", on)
    except ValidationError as error:
        errors.append(error)
    if contacted_on is not None and contacted_on > on:
        errors.append(
            ValidationError("contacted_on", "the log is of contacts made: this date is ahead")
        )
    kind = _text(values, "kind") or "meeting"
    if kind not in CONTACT_KINDS.codes:
        errors.append(ValidationError("kind", "choose meeting, phone call, email or other"))
    with_whom = _text(values, "with_whom")
    notes = str(values.get("notes") or "").strip()
    if not with_whom and not notes:
        errors.append(ValidationError("with_whom", "say who it was with, or add a note"))
    FormError.raise_if_any(errors)
    return {"contacted_on": contacted_on, "kind": kind, "with_whom": with_whom, "notes": notes}


def log_commissioner_contact(
    contract_uuid: str, values: Mapping[str, Any]
) -> CommissionerContactRow:
    """Add a dated entry (meeting, call, email) to the contract's commissioner contact log."""
    with db.atomic():
        contract = _get_contract(contract_uuid)
        fields = _parse_contact_values(values)
        contact = create_record(
            CommissionerContact, contract=contract, logged_by=current_user(), **fields
        )
    return _contact_row(contact, contract)


def update_commissioner_contact(
    contact_uuid: str, values: Mapping[str, Any]
) -> CommissionerContactRow:
    with db.atomic():
        contact = CommissionerContact.get_or_none(CommissionerContact.uuid == contact_uuid)
        if contact is None:
            raise DestaError("That contact entry no longer exists.")
        update_record(contact, **_parse_contact_values(values))
    return _contact_row(contact, contact.contract)


def archive_commissioner_contact(contact_uuid: str) -> records.RecordRef:
    return records.archive_record("commissioner_contact", contact_uuid)


def undo_last_contact_archive(contract_uuid: str | None = None) -> records.RecordRef | None:
    """Bring back the contact entry archived last (only if it is this contract's, when given)."""
    ref = records.last_archived(["commissioner_contact"])
    if ref is None:
        return None
    if contract_uuid is not None:
        entry = CommissionerContact.get_or_none(CommissionerContact.uuid == ref.uuid)
        if entry is None or entry.contract.uuid != contract_uuid:
            return None
    return records.restore_record("commissioner_contact", ref.uuid)


def overdue_commissioner_contacts(consortium_uuid: str | None = None) -> list[OverdueContact]:
    """Live contracts whose commissioner is overdue a contact, longest wait first."""
    commissioner = Organisation.alias()
    query = (
        Contract.select(Contract, Consortium, commissioner)
        .join(Consortium)
        .switch(Contract)
        .join(commissioner, JOIN.LEFT_OUTER, on=(Contract.commissioner == commissioner.id))
        .where(Contract.archived_at.is_null() & Contract.stage.not_in(CLOSED_STAGES))
    )
    if consortium_uuid:
        query = query.where(Consortium.uuid == consortium_uuid)
    contracts = list(query)
    lasts = _last_contacts([c.id for c in contracts])
    on = today()
    found = []
    for contract in contracts:
        status = _contact_status(contract, lasts.get(contract.id), on)
        if status.is_overdue:
            found.append(
                OverdueContact(
                    contract_uuid=contract.uuid,
                    contract_title=contract.title,
                    consortium_name=contract.consortium.name,
                    commissioner_name=contract.commissioner.name
                    if contract.commissioner_id
                    else "",
                    last_contacted_on=status.last_contacted_on,
                    days_since=status.days_since,
                    interval_days=status.interval_days,
                )
            )
    # never contacted first, then the longest silence
    return sorted(found, key=lambda o: (o.days_since is not None, -(o.days_since or 0)))
