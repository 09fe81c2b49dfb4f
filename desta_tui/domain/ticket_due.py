"""Whether a ticket is finished, and how late it is: the ladder's rungs, the statuses of live
work, the days overdue and the words for them. What a list of tickets and the dashboard need of
the ticket rules, apart from `tickets.py` (references, moves, log entries: classes the start
does not use); `tickets.py` gives these names too."""

from __future__ import annotations

from datetime import date

from desta_tui.domain.choices import TICKET_STATUSES

#: the support ladder, lowest rung first: remedial action is the last resort
LADDER: tuple[str, ...] = ("support", "improvement_plan", "remedial_action")

#: statuses in which a ticket is finished: not counted as open, never overdue
FINISHED_STATUSES = frozenset({"resolved", "closed"})
UNFINISHED_STATUSES = tuple(code for code in TICKET_STATUSES.codes if code not in FINISHED_STATUSES)
"""The statuses of live work, for asking the database by name: its index then reads the few
open tickets of a long history rather than every ticket to leave out the finished ones."""


def is_finished(status: str) -> bool:
    return status in FINISHED_STATUSES


def days_overdue(due_on: date | None, today: date) -> int:
    """Days past the due date (negative: days still to go; 0: due today or no date)."""
    return (today - due_on).days if due_on is not None else 0


def is_overdue(due_on: date | None, today: date, status: str = "open") -> bool:
    """True when an unfinished ticket (or action) is past its due date."""
    return due_on is not None and not is_finished(status) and due_on < today


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def format_due(due_on: date | None, today: date, status: str = "open") -> str:
    """ "3 days overdue", "due today", "due tomorrow", "due in 5 days"; "" with no date or when
    the ticket is finished (a closed ticket is not late)."""
    if due_on is None or is_finished(status):
        return ""
    late = days_overdue(due_on, today)
    if late > 0:
        return f"{_days(late)} overdue"
    if late == 0:
        return "due today"
    if late == -1:
        return "due tomorrow"
    return f"due in {_days(-late)}"
