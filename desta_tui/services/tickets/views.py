"""What the ticket services return: plain, frozen dataclasses the screens and reports read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from desta_tui.domain.choices import TICKET_EVENT_KINDS
from desta_tui.domain.tickets import format_minutes, stage_above, stage_below

# re-exported: the rows and the list's filter live apart, so the dashboard's start loads the
# rows without the rest
from desta_tui.services.tickets.listing import StageCount, TicketFilter  # noqa: F401
from desta_tui.services.tickets.ticket_row import TicketRow  # noqa: F401


@dataclass(frozen=True)
class LinkedMetric:
    uuid: str
    code: str
    name: str


@dataclass(frozen=True)
class TicketEventView:
    """One line of the activity log."""

    uuid: str
    occurred_at: datetime
    who: str
    kind: str
    text: str
    minutes: int

    @property
    def kind_label(self) -> str:
        return TICKET_EVENT_KINDS.label(self.kind)

    @property
    def time_text(self) -> str:
        return format_minutes(self.minutes)


@dataclass(frozen=True)
class TicketActionView:
    """One item of the improvement plan."""

    uuid: str
    description: str
    owner: str
    due_on: date | None
    is_done: bool
    done_on: date | None
    due_text: str
    is_overdue: bool


@dataclass(frozen=True)
class TicketDetail:
    """A whole ticket: its fields, linked metrics, activity log and improvement plan."""

    row: TicketRow
    support_provider_uuid: str | None
    description: str
    outcome: str
    metrics: tuple[LinkedMetric, ...]
    events: tuple[TicketEventView, ...]
    actions: tuple[TicketActionView, ...]
    minutes_total: int
    has_had_plan: bool
    next_statuses: tuple[str, ...]

    def __getattr__(self, name: str) -> Any:
        # the list's fields read straight through: detail.reference, detail.stage ...
        if name.startswith("__") or "row" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.__dict__["row"], name)

    @property
    def stage_up(self) -> str | None:
        return stage_above(self.row.stage)

    @property
    def stage_down(self) -> str | None:
        return stage_below(self.row.stage)

    @property
    def time_text(self) -> str:
        return format_minutes(self.minutes_total) or "none logged"


@dataclass(frozen=True)
class TicketDraft:
    """A new ticket's form, filled in (from a red figure): values as the form takes them."""

    values: dict[str, Any]
    title: str
    existing_uuid: str | None = None
    existing_reference: str = ""


@dataclass(frozen=True)
class MetricMonths:
    """One linked metric's status month by month (oldest first), as the performance view has it."""

    code: str
    name: str
    months: tuple[tuple[str, str], ...]  # (period "2012-10", RAG word)
    green_in_a_row: int


@dataclass(frozen=True)
class TicketRecovery:
    """Whether the linked metrics are back at green for long enough to close the ticket."""

    is_back_at_green: bool
    message: str
    metrics: tuple[MetricMonths, ...] = field(default_factory=tuple)
