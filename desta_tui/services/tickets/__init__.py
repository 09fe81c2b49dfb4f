"""Provider support tickets: open, edit, climb the ladder, log notes and time, plan, close.

The package's modules each hold one part; every name the screens, reports and tests use is
re-exported here, so `from desta_tui.services import tickets` reaches all of it. Each module is
imported when one of its names is first used (desta_tui/lazy.py): the dashboard loads the overdue
tickets alone.
"""

from __future__ import annotations

from desta_tui.lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "desta_tui.services.lookups": (
            "contract_choices",
            "provider_choices",
            "support_provider_choices",
        ),
        ".actions": (
            "add_ticket_action",
            "archive_ticket_action",
            "set_action_done",
            "update_ticket_action",
        ),
        ".choices": (
            "contract_support_provider_uuid",
            "default_due_on",
            "due_days",
            "metric_choices",
            "ticket_contract_choices",
            "ticket_provider_choices",
        ),
        ".detail": (
            "action_view",
            "get_ticket",
            "ticket_history",
        ),
        ".editing": (
            "TICKET_FIELDS",
            "create_ticket",
            "next_reference",
            "update_ticket",
        ),
        ".from_figure": ("open_ticket_from_figure",),
        ".lifecycle": (
            "add_ticket_note",
            "archive_ticket",
            "change_ticket_stage",
            "change_ticket_status",
            "close_ticket",
            "log_ticket_time",
            "move_ticket_down",
            "move_ticket_up",
            "restore_ticket",
            "undo_ticket_archive",
        ),
        ".listing": (
            "StageCount",
            "TicketFilter",
            "list_tickets",
            "minutes_by_ticket",
            "open_tickets_by_stage",
        ),
        ".overdue": (
            "count_overdue_tickets",
            "overdue_tickets",
        ),
        ".queries": (
            "ACTION_TABLE",
            "TICKET_TABLE",
        ),
        ".recovery": (
            "RECOVERY_MONTHS",
            "ticket_recovery",
        ),
        ".ticket_row": ("TicketRow",),
        ".views": (
            "LinkedMetric",
            "MetricMonths",
            "TicketActionView",
            "TicketDetail",
            "TicketDraft",
            "TicketEventView",
            "TicketRecovery",
        ),
    },
)
