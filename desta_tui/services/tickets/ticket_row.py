"""TicketRow: a ticket as a list (and the dashboard) shows it (the filter that picks them and
the count at each rung are the listing's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desta_tui.domain.choices import (
    TICKET_CATEGORIES,
    TICKET_PRIORITIES,
    TICKET_STAGES,
    TICKET_STATUSES,
)
from desta_tui.domain.ticket_due import is_finished
from desta_tui.lazy import lazy_exports


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


# the list's filter and counts moved to `listing` (which reads this module): still given here,
# loaded when first asked for
_moved, __getattr__, _moved_dir = lazy_exports(
    __name__, {"desta_tui.services.tickets.listing": ("StageCount", "TicketFilter")}
)
