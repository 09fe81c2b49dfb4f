"""Opening and editing a ticket from its form: checked, audited, summed up in the log."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import (
    Contract,
    ContractPartner,
    Metric,
    Organisation,
    SupportTicket,
    TicketMetric,
)
from desta_tui.domain.choices import TICKET_CATEGORIES, TICKET_PRIORITIES
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.forms import Checks
from desta_tui.domain.tickets import next_reference_after, validate_ticket_fields
from desta_tui.services.audit import audit_text, create_record, update_record, write_audit
from desta_tui.services.context import today
from desta_tui.services.tickets.activity import log_event
from desta_tui.services.tickets.choices import contract_support_provider_uuid, due_days
from desta_tui.services.tickets.detail import get_ticket
from desta_tui.services.tickets.queries import load_ticket
from desta_tui.services.tickets.views import TicketDetail

#: the fields a ticket form edits, in form order (stage and status move only by their own steps)
TICKET_FIELDS = ("provider", "contract", "support_provider", "subject", "category", "priority",
                 "owner", "due_on", "description", "metrics")  # fmt: skip


NEW_TICKET_SCOPE = "new ticket references"
"""What opening a ticket writes that another could too: the next reference. Opening tickets
take turns; notes and returns saved meanwhile do not wait for them."""


def next_reference(site_prefix: str | None = None) -> str:
    """T-0001, T-0002 ...: one more than the highest reference ever given (archived too); a
    site working offline numbers its own (T-LDN-0001 ...) apart from the hub's."""
    references = SupportTicket.select(SupportTicket.reference).tuples()
    return next_reference_after((reference for (reference,) in references), site_prefix)


def _organisation(uuid: str, field_name: str, words: str) -> Organisation | None:
    if not uuid:
        return None
    found = Organisation.get_or_none(Organisation.uuid == uuid)
    if found is None or found.archived_at is not None:
        raise ValidationError(field_name, f"that {words} is no longer in the list")
    return found


def _clean(values: Mapping[str, Any], ticket: SupportTicket | None) -> dict[str, Any]:
    """Form values (raw text and UUIDs) checked and turned into model values, or FormError."""
    checks, clean = Checks(), {}
    errors = checks.errors
    attempt = partial(checks.put, clean)

    def text(name: str) -> str:
        value = values.get(name, "")
        return "" if value is None else str(value).strip()

    provider_uuid = text("provider")
    if not provider_uuid:
        errors.append(ValidationError("provider", "choose the provider the ticket is about"))
    else:
        attempt("provider", lambda: _organisation(provider_uuid, "provider", "provider"))

    contract_uuid = text("contract")

    def contract() -> Contract | None:
        if not contract_uuid:
            return None
        found = Contract.get_or_none(Contract.uuid == contract_uuid)
        if found is None or found.archived_at is not None:
            raise ValidationError("contract", "that contract is no longer in the list")
        return found

    attempt("contract", contract)

    support_uuid = text("support_provider") or contract_support_provider_uuid(contract_uuid) or ""
    attempt(
        "support_provider",
        lambda: _organisation(support_uuid, "support_provider", "support provider"),
    )

    fields, field_errors = validate_ticket_fields(
        values,
        opened_on=ticket.opened_on if ticket is not None else today(),
        days_by_priority=due_days(),
        today=today(),
    )
    clean.update(fields)
    errors += field_errors

    metric_uuids = values.get("metrics") or []
    if isinstance(metric_uuids, str):
        metric_uuids = [part for part in metric_uuids.split(",") if part.strip()]
    metrics = list(Metric.select().where(Metric.uuid.in_([str(u).strip() for u in metric_uuids])))
    if len(metrics) != len(set(metric_uuids)):
        errors.append(ValidationError("metrics", "a chosen metric is no longer in the list"))
    clean["metrics"] = metrics

    provider, support = clean.get("provider"), clean.get("support_provider")
    if provider is not None and support is not None and provider.id == support.id:
        errors.append(
            ValidationError("support_provider", "a provider cannot be its own support provider")
        )
    the_contract = clean.get("contract")
    changed_pair = ticket is None or (
        provider is not None
        and (provider.id != ticket.provider_id or
             (the_contract.id if the_contract else None) != ticket.contract_id)
    )  # fmt: skip
    if provider is not None and the_contract is not None and changed_pair:
        is_partner = (
            ContractPartner.select()
            .where(
                (ContractPartner.contract == the_contract)
                & (ContractPartner.organisation == provider)
                & ContractPartner.archived_at.is_null()
            )
            .exists()
        )
        if not is_partner:
            errors.append(
                ValidationError(
                    "provider", f"{provider.name} is not a partner on {the_contract.title}"
                )  # fmt: skip
            )
    FormError.raise_if_any(errors)
    return clean


def create_ticket(values: Mapping[str, Any]) -> TicketDetail:
    """Open a ticket from form values; its first log entry says who opened it and why."""
    with db.atomic_for(NEW_TICKET_SCOPE):
        clean = _clean(values, None)
        metrics = clean.pop("metrics")
        ticket = create_record(
            SupportTicket,
            reference=next_reference(),
            opened_on=today(),
            stage="support",
            status="open",
            **clean,
        )
        for metric in metrics:
            TicketMetric.create(ticket=ticket, metric=metric)
        opened = f"Ticket opened: {ticket.subject}"
        if metrics:
            opened += f" (metrics: {', '.join(m.name for m in metrics)})"
        log_event(ticket, "created", opened)
    return get_ticket(ticket.uuid)


_CHANGE_WORDS = {
    "provider": "provider", "contract": "contract", "support_provider": "support provider",
    "subject": "subject", "category": "category", "priority": "priority", "owner": "owner",
    "due_on": "due date", "description": "description",
}  # fmt: skip
_VOCABULARIES = {"category": TICKET_CATEGORIES, "priority": TICKET_PRIORITIES}


def _change_words(name: str, value: Any) -> str:
    if name in _VOCABULARIES:
        return _VOCABULARIES[name].label(value)
    return audit_text(name, value) or "none"


def update_ticket(ticket_uuid: str, values: Mapping[str, Any]) -> TicketDetail:
    """Save an edited ticket; each change is audited and summed up in one log entry."""
    with db.atomic():
        ticket = load_ticket(ticket_uuid)
        if ticket.archived_at is not None:
            raise DestaError(f"{ticket.reference} is archived: restore it before editing.")
        clean = _clean(values, ticket)
        metrics = clean.pop("metrics")
        before = {name: getattr(ticket, name) for name in clean}
        changed = update_record(ticket, **clean)
        words = []
        for name in changed:
            if name == "description":
                words.append("description edited")
            else:
                old, new = _change_words(name, before[name]), _change_words(name, clean[name])
                words.append(f"{_CHANGE_WORDS.get(name, name)} {old} -> {new}")
        old_ids = {
            link.metric_id for link in TicketMetric.select().where(TicketMetric.ticket == ticket)
        }
        new_ids = {metric.id for metric in metrics}
        if old_ids != new_ids:
            TicketMetric.delete().where(TicketMetric.ticket == ticket).execute()
            for metric in metrics:
                TicketMetric.create(ticket=ticket, metric=metric)
            names = ", ".join(m.name for m in metrics) or "none"
            words.append(f"metrics now {names}")
            write_audit(ticket, "update", "metrics", None, names)
        if words:
            log_event(ticket, "change", "Changed: " + "; ".join(words))
    return get_ticket(ticket_uuid)
