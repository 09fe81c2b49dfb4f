"""What the ticket services return: plain, frozen dataclasses the screens and reports read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from desta_tui.domain.choices import (
    TICKET_CATEGORIES,
    TICKET_EVENT_KINDS,
    TICKET_PRIORITIES,
    TICKET_STAGES,
    TICKET_STATUSES,
)
from desta_tui.domain.tickets import format_minutes, is_finished, stage_above, stage_below


@dataclass(frozen=True)
class TicketRow:
    """One ticket as a list shows it."""

    uuid: str
    reference: str
    subject: str
    provider_uuid: str
    provider_name: str
    contract_uuid: str | None
    contract_title: str
    support_provider_name: str
    category: str
    priority: str
    owner: str
    stage: str
    status: str
    opened_on: date
    due_on: date | None
    closed_on: date | None
    due_text: str
    is_overdue: bool
    days_overdue: int
    is_archived: bool = False

    @property
    def stage_label(self) -> str:
        return TICKET_STAGES.label(self.stage)

    @property
    def status_label(self) -> str:
        return TICKET_STATUSES.label(self.status)

    @property
    def priority_label(self) -> str:
        return TICKET_PRIORITIES.label(self.priority)

    @property
    def category_label(self) -> str:
        return TICKET_CATEGORIES.label(self.category)

    @property
    def is_finished(self) -> bool:
        return is_finished(self.status)


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
