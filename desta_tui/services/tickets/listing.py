"""Lists of tickets: the filter and the filtered list, counts per rung, minutes per ticket (the
overdue ones the dashboard lists are in overdue.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from peewee import fn

from desta_tui.db.models import Contract, SupportTicket, TicketEvent
from desta_tui.domain.choices import TICKET_STAGES
from desta_tui.domain.text import fold
from desta_tui.domain.ticket_due import LADDER, UNFINISHED_STATUSES
from desta_tui.services.context import today
from desta_tui.services.tickets.overdue import (  # noqa: F401 (given here as before)
    count_overdue_tickets,
    in_consortium,
    overdue_tickets,
)
from desta_tui.services.tickets.queries import list_query, list_rows
from desta_tui.services.tickets.ticket_row import TicketRow


@dataclass(frozen=True)
class TicketFilter:
    """What the tickets list shows. `status` "" shows the unfinished ones ("all": every one)."""

    text: str = ""
    status: str = ""
    stage: str = ""
    provider_uuid: str = ""
    contract_uuid: str = ""
    overdue_only: bool = False
    consortium_uuid: str | None = None

    @property
    def is_narrowed(self) -> bool:
        return bool(self.status or self.stage or self.provider_uuid or self.contract_uuid
                    or self.overdue_only)  # fmt: skip


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int
    overdue: int


def list_tickets(wanted: TicketFilter | None = None) -> list[TicketRow]:
    """Tickets matching `wanted`: unfinished first, soonest due first, then by reference."""
    wanted = wanted or TicketFilter()
    on = today()
    query, _provider = list_query()
    query = query.where(SupportTicket.archived_at.is_null())
    if wanted.status == "all":
        pass
    elif wanted.status:
        query = query.where(SupportTicket.status == wanted.status)
    elif not wanted.text:
        # a search looks everywhere; the plain list keeps to the live work
        query = query.where(SupportTicket.status.in_(UNFINISHED_STATUSES))
    if wanted.stage:
        query = query.where(SupportTicket.stage == wanted.stage)
    if wanted.provider_uuid:
        query = query.where(_provider.uuid == wanted.provider_uuid)
    if wanted.contract_uuid:
        query = query.where(Contract.uuid == wanted.contract_uuid)
    if wanted.overdue_only:
        query = query.where(
            (SupportTicket.due_on < on) & SupportTicket.status.in_(UNFINISHED_STATUSES)
        )
    query = in_consortium(query, wanted.consortium_uuid)
    rows = list_rows(query, on)
    if wanted.text.strip():
        words = fold(wanted.text).split()
        rows = [row for row in rows if _holds_all(_haystack(row), words)]
    rows.sort(key=_list_order)
    return rows


def _haystack(row: TicketRow) -> str:
    return fold(" | ".join((row.reference, row.subject, row.provider_name, row.contract_title,
                            row.support_provider_name, row.owner, row.stage_label,
                            row.status_label, row.category_label)))  # fmt: skip


def _holds_all(haystack: str, words: list[str]) -> bool:
    return all(word in haystack for word in words)


def _list_order(row: TicketRow) -> tuple:
    return (row.is_finished, row.due_on is None, row.due_on or date.max, row.reference)


def open_tickets_by_stage(consortium_uuid: str | None = None) -> list[StageCount]:
    """Unfinished tickets counted per rung of the ladder, with how many of them are overdue."""
    rows = list_tickets(TicketFilter(consortium_uuid=consortium_uuid))
    return [
        StageCount(
            stage=stage,
            label=TICKET_STAGES.label(stage),
            count=sum(1 for row in rows if row.stage == stage),
            overdue=sum(1 for row in rows if row.stage == stage and row.is_overdue),
        )
        for stage in LADDER
    ]


def minutes_by_ticket(ticket_uuids: Iterable[str]) -> dict[str, int]:
    """Total minutes logged per ticket."""
    query = (
        SupportTicket.select(SupportTicket.uuid, fn.SUM(TicketEvent.minutes))
        .join(TicketEvent)
        .where(SupportTicket.uuid.in_(list(ticket_uuids)))
        .group_by(SupportTicket.uuid)
        .tuples()
    )
    return {uuid: total or 0 for uuid, total in query}
