"""Provider support tickets: open, edit, climb the ladder, log notes and time, plan, close.

The package's modules each hold one part; every name the screens, reports and tests use is
re-exported here, so `from desta_tui.services import tickets` reaches all of it.
"""

from __future__ import annotations

from desta_tui.services.lookups import (
    contract_choices,
    provider_choices,
    support_provider_choices,
)
from desta_tui.services.tickets.actions import (
    add_ticket_action,
    archive_ticket_action,
    set_action_done,
    update_ticket_action,
)
from desta_tui.services.tickets.choices import (
    contract_support_provider_uuid,
    default_due_on,
    due_days,
    metric_choices,
    ticket_contract_choices,
    ticket_provider_choices,
)
from desta_tui.services.tickets.detail import action_view, get_ticket, ticket_history
from desta_tui.services.tickets.editing import (
    TICKET_FIELDS,
    create_ticket,
    next_reference,
    update_ticket,
)
from desta_tui.services.tickets.from_figure import open_ticket_from_figure
from desta_tui.services.tickets.lifecycle import (
    add_ticket_note,
    archive_ticket,
    change_ticket_stage,
    change_ticket_status,
    close_ticket,
    log_ticket_time,
    move_ticket_down,
    move_ticket_up,
    restore_ticket,
    undo_ticket_archive,
)
from desta_tui.services.tickets.listing import (
    count_overdue_tickets,
    list_tickets,
    minutes_by_ticket,
    open_tickets_by_stage,
    overdue_tickets,
)
from desta_tui.services.tickets.queries import ACTION_TABLE, TICKET_TABLE
from desta_tui.services.tickets.recovery import RECOVERY_MONTHS, ticket_recovery
from desta_tui.services.tickets.views import (
    LinkedMetric,
    MetricMonths,
    StageCount,
    TicketActionView,
    TicketDetail,
    TicketDraft,
    TicketEventView,
    TicketFilter,
    TicketRecovery,
    TicketRow,
)

__all__ = [
    "ACTION_TABLE",
    "RECOVERY_MONTHS",
    "TICKET_FIELDS",
    "TICKET_TABLE",
    "LinkedMetric",
    "MetricMonths",
    "StageCount",
    "TicketActionView",
    "TicketDetail",
    "TicketDraft",
    "TicketEventView",
    "TicketFilter",
    "TicketRecovery",
    "TicketRow",
    "action_view",
    "add_ticket_action",
    "add_ticket_note",
    "archive_ticket",
    "archive_ticket_action",
    "change_ticket_stage",
    "change_ticket_status",
    "close_ticket",
    "contract_choices",
    "contract_support_provider_uuid",
    "count_overdue_tickets",
    "create_ticket",
    "default_due_on",
    "due_days",
    "get_ticket",
    "list_tickets",
    "log_ticket_time",
    "metric_choices",
    "minutes_by_ticket",
    "move_ticket_down",
    "move_ticket_up",
    "next_reference",
    "open_ticket_from_figure",
    "open_tickets_by_stage",
    "overdue_tickets",
    "provider_choices",
    "restore_ticket",
    "set_action_done",
    "support_provider_choices",
    "ticket_contract_choices",
    "ticket_history",
    "ticket_provider_choices",
    "ticket_recovery",
    "undo_ticket_archive",
    "update_ticket",
    "update_ticket_action",
]
