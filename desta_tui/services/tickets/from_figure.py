"""A new ticket's form filled in from a red performance figure, naming any ticket that covers it."""

from __future__ import annotations

from typing import Any

from desta_tui.db.models import Contract, Metric, SupportTicket, TicketMetric
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.tickets import FINISHED_STATUSES
from desta_tui.services.performance import describe_figure
from desta_tui.services.tickets.choices import contract_support_provider_uuid, default_due_on
from desta_tui.services.tickets.queries import whole_ticket_query
from desta_tui.services.tickets.views import TicketDraft


def open_ticket_from_figure(figure: Any) -> TicketDraft:
    """A new ticket's form filled in from a red performance figure (a `FigureRow`).

    If an unfinished ticket already covers this provider, contract and metric, the draft names
    it so the screen can offer that one first.
    """
    metric = Metric.get_or_none(Metric.code == figure.metric_code)
    provider_uuid = getattr(figure, "organisation_uuid", "") or ""
    contract_uuid = getattr(figure, "contract_uuid", "") or ""
    percent = figure.rag.percent
    subject = f"{figure.metric_name} behind target"
    if percent and percent != "–":
        subject += f" ({percent} of target to date)"
    lines = [describe_figure(figure) + "."]
    category = "data_returns" if figure.months_of_data == 0 else "other"
    values = {
        "provider": provider_uuid,
        "contract": contract_uuid,
        "support_provider": contract_support_provider_uuid(contract_uuid) or "",
        "subject": subject,
        "category": category,
        "priority": "high",
        "owner": "",
        "due_on": format_uk_date(default_due_on("high")),
        "description": "\n".join(lines),
        "metrics": [metric.uuid] if metric else [],
    }
    existing = None
    if metric is not None and provider_uuid:
        query, provider = whole_ticket_query()
        query = (
            query.join(TicketMetric, on=(TicketMetric.ticket == SupportTicket.id))
            .where(
                (provider.uuid == provider_uuid)
                & (TicketMetric.metric == metric)
                & SupportTicket.archived_at.is_null()
                & SupportTicket.status.not_in(sorted(FINISHED_STATUSES))
            )
            .order_by(SupportTicket.opened_on.desc())
        )
        if contract_uuid:
            query = query.where(Contract.uuid == contract_uuid)
        existing = query.first()
    return TicketDraft(
        values=values,
        title=f"New support ticket: {figure.organisation_name}, {figure.metric_name}",
        existing_uuid=existing.uuid if existing else None,
        existing_reference=existing.reference if existing else "",
    )
