"""What the ticket form and list offer: metrics, the list's filters, the due date default; the
providers and contracts come from services.lookups."""

from __future__ import annotations

from datetime import date

from peewee import fn

from desta_tui.db.models import Contract, Metric, Organisation, SupportTicket
from desta_tui.domain.tickets import due_date_for
from desta_tui.services.context import today
from desta_tui.services.contracts import contract_support_provider
from desta_tui.services.settings import DEFAULTS, get_setting


def metric_choices() -> list[tuple[str, str]]:
    query = Metric.select(Metric.name, Metric.uuid).where(Metric.archived_at.is_null())
    return list(query.order_by(Metric.sort_order, Metric.name).tuples())


def ticket_provider_choices() -> list[tuple[str, str]]:
    """(name, uuid) of the providers that have tickets, for the list's filter."""
    query = (
        Organisation.select(Organisation.name, Organisation.uuid)
        .join(SupportTicket, on=(SupportTicket.provider == Organisation.id))
        .where(SupportTicket.archived_at.is_null())
        .group_by(Organisation.name, Organisation.uuid)  # PostgreSQL: no DISTINCT with lower()
        .order_by(fn.lower(Organisation.name))
    )
    return list(query.tuples())


def ticket_contract_choices() -> list[tuple[str, str]]:
    """(title, uuid) of the contracts that have tickets, for the list's filter."""
    query = (
        Contract.select(Contract.title, Contract.uuid)
        .join(SupportTicket, on=(SupportTicket.contract == Contract.id))
        .where(SupportTicket.archived_at.is_null())
        .group_by(Contract.title, Contract.uuid)  # PostgreSQL: no DISTINCT with lower()
        .order_by(fn.lower(Contract.title))
    )
    return list(query.tuples())


def contract_support_provider_uuid(contract_uuid: str | None) -> str | None:
    """The UUID of the contract's support provider (its partner with role "support"), if any."""
    if not contract_uuid:
        return None
    found = contract_support_provider(contract_uuid)
    return found.organisation_uuid if found is not None else None


def due_days() -> dict[str, int]:
    """Days allowed per priority, from Settings (missing priorities fall back to the default)."""
    saved = get_setting("ticket_due_days") or {}
    return {**DEFAULTS["ticket_due_days"], **saved}


def default_due_on(priority: str, opened_on: date | None = None) -> date:
    """The due date a new ticket of `priority` gets when none is typed."""
    return due_date_for(priority, opened_on or today(), due_days())
