"""Support ticket rules: the ladder, status moves, due dates, overdue in words, back at green."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from desta_tui.domain.choices import TICKET_PRIORITIES, TICKET_STAGES, TICKET_STATUSES
from desta_tui.domain.errors import ValidationError
from desta_tui.domain.rag import Rag

#: the support ladder, lowest rung first: remedial action is the last resort
LADDER: tuple[str, ...] = ("support", "improvement_plan", "remedial_action")

#: statuses in which a ticket is finished: not counted as open, never overdue
FINISHED_STATUSES = frozenset({"resolved", "closed"})

#: where each status may go next; closing always needs an outcome, reopening a reason
STATUS_MOVES: dict[str, tuple[str, ...]] = {
    "open": ("waiting_provider", "waiting_support", "resolved", "closed"),
    "waiting_provider": ("open", "waiting_support", "resolved", "closed"),
    "waiting_support": ("open", "waiting_provider", "resolved", "closed"),
    "resolved": ("open", "closed"),
    "closed": ("open",),
}

#: months in a row the linked metrics must be green before a ticket offers to close
GREEN_MONTHS_TO_CLOSE = 2


@dataclass(frozen=True)
class StageMove:
    """A checked move on the ladder, with the words the activity log keeps for it."""

    from_stage: str
    to_stage: str
    is_up: bool
    is_override: bool
    reason: str

    @property
    def text(self) -> str:
        """`Support -> Improvement plan: no replacement tutor` (as the log reads)."""
        arrow = f"{TICKET_STAGES.label(self.from_stage)} -> {TICKET_STAGES.label(self.to_stage)}"
        if self.is_override:
            return f"{arrow} (improvement plan skipped): {self.reason}"
        return f"{arrow}: {self.reason}"


def stage_rung(stage: str) -> int:
    """0 for support, 1 improvement plan, 2 remedial action."""
    try:
        return LADDER.index(stage)
    except ValueError:
        raise ValidationError("stage", f"{stage!r} is not a stage of the support ladder") from None


def stage_above(stage: str) -> str | None:
    """The next rung up, or None at the top."""
    rung = stage_rung(stage)
    return LADDER[rung + 1] if rung + 1 < len(LADDER) else None


def stage_below(stage: str) -> str | None:
    """The next rung down, or None at the bottom."""
    rung = stage_rung(stage)
    return LADDER[rung - 1] if rung > 0 else None


def validate_stage_move(
    from_stage: str,
    to_stage: str,
    reason: str,
    *,
    has_had_plan: bool = False,
    override: bool = False,
) -> StageMove:
    """Check a move on the ladder and return it; raise ValidationError saying why not.

    Every move needs a reason (it is what the next officer reads). Remedial action comes only
    after an improvement plan (the ticket is on one now, or `has_had_plan`), unless `override`.
    """
    start, end = stage_rung(from_stage), stage_rung(to_stage)
    reason = (reason or "").strip()
    if start == end:
        raise ValidationError("stage", f"the ticket is already at {TICKET_STAGES.label(to_stage)}")
    is_up = end > start
    if not reason:
        way = "up" if is_up else "back down"
        raise ValidationError("reason", f"say why the ticket moves {way} the ladder")
    skips_plan = to_stage == "remedial_action" and from_stage != "improvement_plan"
    is_override = False
    if skips_plan and not has_had_plan:
        if not override:
            raise ValidationError(
                "stage",
                "remedial action comes only after an improvement plan; "
                "override with a reason to go straight there",
            )
        is_override = True
    return StageMove(from_stage, to_stage, is_up, is_override, reason)


def allowed_statuses(current: str) -> tuple[str, ...]:
    """The statuses a ticket in `current` may move to."""
    if current not in STATUS_MOVES:
        raise ValidationError("status", f"{current!r} is not a ticket status")
    return STATUS_MOVES[current]


def validate_status_move(current: str, new: str, *, reason: str = "", outcome: str = "") -> None:
    """Raise ValidationError unless `current` -> `new` is allowed with what was given.

    Closing needs an outcome (what came of the support); reopening a finished ticket needs a
    reason.
    """
    if new not in TICKET_STATUSES.codes:
        raise ValidationError("status", f"{new!r} is not a ticket status")
    if new == current:
        raise ValidationError("status", f"the ticket is already {TICKET_STATUSES.label(new)}")
    if new not in allowed_statuses(current):
        raise ValidationError(
            "status",
            f"a {TICKET_STATUSES.label(current).lower()} ticket cannot go to "
            f"{TICKET_STATUSES.label(new).lower()}; reopen it first",
        )
    if new == "closed" and not (outcome or "").strip():
        raise ValidationError("outcome", "say what came of the support before closing")
    if current in FINISHED_STATUSES and new not in FINISHED_STATUSES and not (reason or "").strip():
        raise ValidationError("reason", "say why the ticket is reopened")


def is_finished(status: str) -> bool:
    return status in FINISHED_STATUSES


def validate_due_days(days_by_priority: Mapping[str, object]) -> dict[str, int]:
    """The days allowed per priority as whole numbers from 1 to 366, every priority present."""
    clean: dict[str, int] = {}
    for code in TICKET_PRIORITIES.codes:
        value = days_by_priority.get(code)
        try:
            days = int(str(value).strip())
        except (TypeError, ValueError):
            raise ValidationError(
                f"due_days_{code}", f"{value!r} is not a whole number of days"
            ) from None
        if not 1 <= days <= 366:
            raise ValidationError(f"due_days_{code}", "give between 1 and 366 days")
        clean[code] = days
    return clean


def due_date_for(priority: str, opened_on: date, days_by_priority: Mapping[str, object]) -> date:
    """When a ticket of `priority` opened on `opened_on` is due."""
    if priority not in TICKET_PRIORITIES.codes:
        raise ValidationError("priority", f"{priority!r} is not a priority")
    days = validate_due_days(days_by_priority)[priority]
    return opened_on + timedelta(days=days)


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


_MINUTES = re.compile(
    r"(?:(?P<hours>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours))?\s*"
    r"(?:(?P<minutes>\d+)\s*(?:m|min|mins|minute|minutes)?)?"
)
_CLOCK = re.compile(r"(?P<hours>\d+):(?P<minutes>[0-5]\d)")

#: a day's work is the most one entry may log: more is almost surely a typo
MAX_MINUTES = 24 * 60


def parse_minutes(text: str, field: str = "minutes", *, allow_zero: bool = False) -> int:
    """Minutes from what people type: `45`, `45m`, `1h`, `1h30`, `1.5h`, `1:30`."""
    raw = (text or "").strip().casefold()
    if not raw:
        if allow_zero:
            return 0
        raise ValidationError(field, "enter the time spent, like 45 or 1h30")
    if match := _CLOCK.fullmatch(raw):
        minutes = int(match["hours"]) * 60 + int(match["minutes"])
    elif (match := _MINUTES.fullmatch(raw)) and (match["hours"] or match["minutes"]):
        hours = float(match["hours"]) if match["hours"] else 0.0
        minutes = round(hours * 60) + int(match["minutes"] or 0)
    else:
        raise ValidationError(field, f"{text.strip()!r} is not a time: type 45, 1h30 or 1:30")
    if minutes == 0 and not allow_zero:
        raise ValidationError(field, "the time spent must be more than 0 minutes")
    if minutes > MAX_MINUTES:
        raise ValidationError(field, "one entry can log at most 24 hours")
    return minutes


def format_minutes(minutes: int) -> str:
    """`45 min`, `1 h`, `2 h 15 min`; "" for none."""
    if minutes <= 0:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


def green_months_in_a_row(results: Sequence[Rag]) -> int:
    """How many of the latest results (oldest first) are green, counting back from the last."""
    count = 0
    for rag in reversed(results):
        if rag is not Rag.GREEN:
            break
        count += 1
    return count


def is_back_at_green(results: Sequence[Rag], months: int = GREEN_MONTHS_TO_CLOSE) -> bool:
    """True when the last `months` results (oldest first) are all green; a month with no data
    breaks the run, since nobody can say it was green."""
    return green_months_in_a_row(results) >= months


def all_back_at_green(
    results_by_metric: Mapping[str, Sequence[Rag]], months: int = GREEN_MONTHS_TO_CLOSE
) -> bool:
    """True when every metric is back at green for `months` in a row (False with no metrics)."""
    return bool(results_by_metric) and all(
        is_back_at_green(results, months) for results in results_by_metric.values()
    )
