"""Support tickets as reports print them: the tickets list's rows with their logs and actions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import SQL

from desta_tui.db.models import Metric, SupportTicket, TicketAction, TicketEvent, TicketMetric
from desta_tui.services.context import today
from desta_tui.services.reporting.stamp import HistoryLine, PrintStamp, history_lines, print_stamp
from desta_tui.services.tickets import (
    LinkedMetric,
    TicketActionView,
    TicketEventView,
    TicketFilter,
    TicketRow,
    action_view,
    get_ticket,
    list_tickets,
)


@dataclass(frozen=True)
class TicketLine:
    """A support ticket as printed: its row in the tickets list, what the row leaves out, its
    log and its actions (the ticket screen's own read models)."""

    row: TicketRow
    description: str
    outcome: str
    metrics: tuple[LinkedMetric, ...]
    events: tuple[TicketEventView, ...]
    """Newest first: all of them, or the last few in a pack."""
    event_count: int
    actions: tuple[TicketActionView, ...]
    """Soonest due first; those with no due date last."""
    history: tuple[HistoryLine, ...] = ()


def ticket_rows(
    *,
    consortium_uuid: str | None = None,
    provider_uuid: str = "",
    contract_uuid: str = "",
    only_open: bool = True,
) -> list[TicketRow]:
    """Tickets through services.tickets: unfinished first, soonest due first."""
    return list_tickets(
        TicketFilter(
            status="" if only_open else "all",
            provider_uuid=provider_uuid,
            contract_uuid=contract_uuid,
            consortium_uuid=consortium_uuid,
        )
    )


def _written_ids(ids: list[int]) -> SQL | list[int]:
    """The tickets' ids as one SQL list, written once for the three queries that read by them:
    as bound values peewee builds a node a value, each time (250 a query, three times over, in
    a pack: most of the reading's time). They are the database's own integers, written as
    numbers (`int`), so nothing else can reach the SQL."""
    if not ids:
        return ids  # peewee writes an empty list as a condition that is never true
    return SQL("(" + ", ".join(str(int(number)) for number in ids) + ")")


def ticket_lines(
    rows: Iterable[TicketRow],
    *,
    last_events: int | None = None,
    with_history: bool = False,
) -> list[TicketLine]:
    """Tickets from services.tickets' list as printed lines, with their events (all, or the
    last few) and actions.

    Reads events, actions and metrics for all the tickets in a few queries, not a few a ticket
    as `get_ticket` would, so a pack with hundreds of open tickets stays quick.
    """
    rows = list(rows)
    if not rows:
        return []
    found = {
        t.uuid: t
        for t in SupportTicket.select(
            SupportTicket.id, SupportTicket.uuid, SupportTicket.description, SupportTicket.outcome
        ).where(SupportTicket.uuid.in_([r.uuid for r in rows]))
    }
    ids = _written_ids([t.id for t in found.values()])
    on = today()
    metrics: dict[int, list[LinkedMetric]] = defaultdict(list)
    for link in (
        TicketMetric.select(TicketMetric, Metric)
        .join(Metric)
        .where(TicketMetric.ticket.in_(ids))
        .order_by(Metric.sort_order, Metric.name)
    ):
        metric = link.metric
        metrics[link.ticket_id].append(LinkedMetric(metric.uuid, metric.code, metric.name))
    events: dict[int, list[TicketEventView]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for e in (
        TicketEvent.select()
        .where(TicketEvent.ticket.in_(ids) & TicketEvent.archived_at.is_null())
        .order_by(TicketEvent.occurred_at.desc(), TicketEvent.id.desc())
    ):
        counts[e.ticket_id] += 1
        if last_events is None or len(events[e.ticket_id]) < last_events:
            events[e.ticket_id].append(
                TicketEventView(e.uuid, e.occurred_at, e.who, e.kind, e.text, e.minutes)
            )
    actions: dict[int, list[TicketActionView]] = defaultdict(list)
    for action in (
        TicketAction.select()
        .where(TicketAction.ticket.in_(ids) & TicketAction.archived_at.is_null())
        .order_by(TicketAction.due_on.asc(nulls="LAST"), TicketAction.id)
    ):
        actions[action.ticket_id].append(action_view(action, on))
    lines = []
    for row in rows:
        ticket = found[row.uuid]
        tid = ticket.id
        uuids = [row.uuid]
        uuids += [e.uuid for e in events[tid]] + [a.uuid for a in actions[tid]]
        lines.append(
            TicketLine(
                row=row,
                description=ticket.description,
                outcome=ticket.outcome,
                metrics=tuple(metrics[tid]),
                events=tuple(events[tid]),
                event_count=counts[tid],
                actions=tuple(actions[tid]),
                history=history_lines(uuids) if with_history else (),
            )
        )
    return lines


@dataclass(frozen=True)
class TicketsReport:
    """Every live ticket (or only the open ones), each with its whole log, actions and history."""

    only_open: bool
    tickets: tuple[TicketLine, ...]
    stamp: PrintStamp


def tickets_report(only_open: bool = False) -> TicketsReport:
    rows = sorted(ticket_rows(only_open=only_open), key=lambda row: row.reference)
    return TicketsReport(
        only_open=only_open,
        tickets=tuple(ticket_lines(rows, with_history=True)),
        stamp=print_stamp(),
    )


def ticket_record(ticket_uuid: str) -> TicketsReport:
    """One ticket, whole, as a tickets report of one (the app's Print on a ticket)."""
    lines = ticket_lines([get_ticket(ticket_uuid).row], with_history=True)
    return TicketsReport(only_open=False, tickets=tuple(lines), stamp=print_stamp())
