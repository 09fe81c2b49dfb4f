"""One ticket whole: its fields, linked metrics, activity log, improvement plan and history."""

from __future__ import annotations

from datetime import date

from desta_tui.db.models import Metric, SupportTicket, TicketAction, TicketEvent, TicketMetric
from desta_tui.domain.tickets import (
    allowed_statuses,
    format_due,
    has_reached_plan,
    is_overdue,
    stage_arrival_text,
)
from desta_tui.services.audit import AuditEntry, record_history
from desta_tui.services.context import today
from desta_tui.services.tickets.activity import event_view
from desta_tui.services.tickets.queries import load_ticket, row_of_ticket
from desta_tui.services.tickets.views import LinkedMetric, TicketActionView, TicketDetail


def has_had_plan(ticket: SupportTicket) -> bool:
    """On an improvement plan now, or was once (remedial action then needs no override)."""
    if has_reached_plan(ticket.stage):
        return True
    # a stage move's log entry names the rung it reached
    return (
        TicketEvent.select()
        .where(
            (TicketEvent.ticket == ticket)
            & (TicketEvent.kind == "stage")
            & TicketEvent.text.contains(stage_arrival_text("improvement_plan"))
        )
        .exists()
    )


def get_ticket(ticket_uuid: str) -> TicketDetail:
    """The whole ticket: fields, linked metrics, activity log (newest first) and actions."""
    ticket = load_ticket(ticket_uuid)
    on = today()
    metrics = (
        Metric.select(Metric.uuid, Metric.code, Metric.name)
        .join(TicketMetric)
        .where(TicketMetric.ticket == ticket)
        .order_by(Metric.sort_order, Metric.name)
    )
    events = (
        TicketEvent.select()
        .where((TicketEvent.ticket == ticket) & TicketEvent.archived_at.is_null())
        .order_by(TicketEvent.occurred_at.desc(), TicketEvent.id.desc())
    )
    actions = (
        TicketAction.select()
        .where((TicketAction.ticket == ticket) & TicketAction.archived_at.is_null())
        .order_by(
            TicketAction.is_done,
            TicketAction.due_on.is_null(),
            TicketAction.due_on,
            TicketAction.id,
        )  # fmt: skip
    )
    event_views = tuple(event_view(event) for event in events)
    return TicketDetail(
        row=row_of_ticket(ticket, on),
        support_provider_uuid=ticket.support_provider.uuid if ticket.support_provider_id else None,
        description=ticket.description,
        outcome=ticket.outcome,
        metrics=tuple(LinkedMetric(m.uuid, m.code, m.name) for m in metrics),
        events=event_views,
        actions=tuple(action_view(action, on) for action in actions),
        minutes_total=sum(event.minutes for event in event_views),
        has_had_plan=has_had_plan(ticket),
        next_statuses=allowed_statuses(ticket.status),
    )


def action_view(action: TicketAction, on: date) -> TicketActionView:
    """An improvement plan item as the ticket shows it (a done action is never overdue)."""
    status = "closed" if action.is_done else "open"
    return TicketActionView(
        uuid=action.uuid,
        description=action.description,
        owner=action.owner,
        due_on=action.due_on,
        is_done=action.is_done,
        done_on=action.done_on,
        due_text=format_due(action.due_on, on, status),
        is_overdue=is_overdue(action.due_on, on, status),
    )


def ticket_history(ticket_uuid: str) -> list[AuditEntry]:
    """The audit history of the ticket, its actions and its log entries, newest first."""
    ticket = load_ticket(ticket_uuid)
    uuids = [ticket.uuid]
    uuids += [
        a.uuid for a in TicketAction.select(TicketAction.uuid).where(TicketAction.ticket == ticket)
    ]
    return record_history(uuids)
