"""Support ticket rules: references, the ladder, status moves, due dates, log entries, green."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from desta_tui.domain.choices import (
    TICKET_CATEGORIES,
    TICKET_PRIORITIES,
    TICKET_STAGES,
    TICKET_STATUSES,
)
from desta_tui.domain.dates import format_uk_date, parse_optional_uk_date
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.rag import Rag
from desta_tui.domain.ticket_due import (  # noqa: F401  (these rules' names, from here too)
    FINISHED_STATUSES,
    LADDER,
    UNFINISHED_STATUSES,
    days_overdue,
    format_due,
    is_finished,
    is_overdue,
)

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

#: the longest subject a ticket may have
MAX_SUBJECT_LENGTH = 200


# --- references -----------------------------------------------------------------------------

#: `T-0007` from the hub, `T-LDN-0007` from a site numbering its own tickets offline
_REFERENCE = re.compile(r"T-(?:(?P<site>[A-Z][A-Z0-9]{0,7})-)?(?P<number>\d+)")
_SITE_PREFIX = re.compile(r"[A-Z][A-Z0-9]{0,7}")


@dataclass(frozen=True)
class TicketReference:
    """A reference taken apart: its number and the site that gave it (None: the hub)."""

    number: int
    site_prefix: str | None = None


def _clean_site_prefix(site_prefix: str | None) -> str | None:
    prefix = (site_prefix or "").strip().upper()
    if not prefix:
        return None
    if not _SITE_PREFIX.fullmatch(prefix):
        raise ValidationError(
            "site_prefix", "a site prefix is a letter then up to 7 letters or digits, like LDN"
        )
    return prefix


def format_reference(number: int, site_prefix: str | None = None) -> str:
    """`T-0007`; with a site prefix `T-LDN-0007`, so two laptops numbering tickets offline
    never hand out the same reference."""
    if number < 1:
        raise ValueError(f"a ticket reference number starts at 1, not {number}")
    prefix = _clean_site_prefix(site_prefix)
    return f"T-{prefix}-{number:04d}" if prefix else f"T-{number:04d}"


def parse_reference(text: str | None) -> TicketReference | None:
    """`T-0007` -> (7, None), `T-LDN-0007` -> (7, "LDN"); None for anything else."""
    match = _REFERENCE.fullmatch(text or "")
    if match is None:
        return None
    return TicketReference(int(match["number"]), match["site"])


def next_reference_after(references: Iterable[str | None], site_prefix: str | None = None) -> str:
    """One more than the highest number among `references` from the same site (the hub when
    `site_prefix` is None); references of other sites and odd ones are passed over."""
    prefix = _clean_site_prefix(site_prefix)
    highest = 0
    for text in references:
        found = parse_reference(text)
        if found is not None and found.site_prefix == prefix:
            highest = max(highest, found.number)
    return format_reference(highest + 1, prefix)


# --- the ladder -----------------------------------------------------------------------------


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
        arrow = f"{TICKET_STAGES.label(self.from_stage)} {stage_arrival_text(self.to_stage)}"
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


def stage_arrival_text(stage: str) -> str:
    """`-> Improvement plan`: how a stage move's log entry names the rung it reached."""
    return f"-> {TICKET_STAGES.label(stage)}"


def has_reached_plan(stage: str) -> bool:
    """True on an improvement plan or above it: remedial action may follow without override."""
    return stage in LADDER[LADDER.index("improvement_plan") :]


def next_stage_up(stage: str, *, override: bool = False) -> str:
    """The rung a move up goes to (with `override`, straight to remedial action)."""
    target = "remedial_action" if override else stage_above(stage)
    if target is None:
        raise ValidationError("stage", "remedial action is the top of the ladder")
    return target


def next_stage_down(stage: str) -> str:
    """The rung a move down goes to."""
    target = stage_below(stage)
    if target is None:
        raise ValidationError("stage", "support is the bottom of the ladder")
    return target


def validate_ladder_open(reference: str, status: str) -> None:
    """A finished ticket stays where it is on the ladder until it is reopened."""
    if is_finished(status):
        raise DestaError(
            f"{reference} is {TICKET_STATUSES.label(status).lower()}: "
            "reopen it before moving it on the ladder."
        )


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


# --- status ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusMove:
    """A checked status move: the fields it changes and the words the activity log keeps."""

    from_status: str
    to_status: str
    reason: str = ""
    outcome: str = ""

    @property
    def text(self) -> str:
        """`Open -> Closed: tutor replaced` (closing shows the outcome, other moves the reason)."""
        text = (
            f"{TICKET_STATUSES.label(self.from_status)} -> {TICKET_STATUSES.label(self.to_status)}"
        )
        detail = self.outcome if self.to_status == "closed" else self.reason
        return f"{text}: {detail}" if detail else text

    def changes(self, on: date) -> dict[str, Any]:
        """The ticket's new field values: closing records the outcome and the day, reopening a
        closed ticket clears the day (the outcome stays, as what was said then)."""
        changes: dict[str, Any] = {"status": self.to_status}
        if self.to_status == "closed":
            changes.update(closed_on=on, outcome=self.outcome)
        elif self.from_status == "closed":
            changes["closed_on"] = None
        return changes


def allowed_statuses(current: str) -> tuple[str, ...]:
    """The statuses a ticket in `current` may move to."""
    if current not in STATUS_MOVES:
        raise ValidationError("status", f"{current!r} is not a ticket status")
    return STATUS_MOVES[current]


def validate_status_move(
    current: str, new: str, *, reason: str = "", outcome: str = ""
) -> StatusMove:
    """The move `current` -> `new`, or ValidationError when it is not allowed with what was given.

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
    return StatusMove(current, new, (reason or "").strip(), (outcome or "").strip())


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


def resolve_due_on(
    due_on: date | None, priority: str, opened_on: date, days_by_priority: Mapping[str, object]
) -> date | None:
    """The due date a ticket keeps: the one typed, or its priority's when blank (an unknown
    priority gets none); never before the ticket was opened."""
    if due_on is None and priority in TICKET_PRIORITIES.codes:
        due_on = due_date_for(priority, opened_on, days_by_priority)
    if due_on is not None and due_on < opened_on:
        raise ValidationError(
            "due_on", f"the due date is before the ticket was opened ({format_uk_date(opened_on)})"
        )
    return due_on


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


@dataclass(frozen=True)
class LogEntry:
    """A checked entry for the activity log: a note (time optional) or time spent."""

    kind: str
    text: str
    minutes: int = 0


def validate_note(text: str | None, minutes: str | int = "") -> LogEntry:
    """A note needs words; the time it took is optional (0 when blank). FormError says what is
    wrong with both at once."""
    text = (text or "").strip()
    errors = []
    if not text:
        errors.append(ValidationError("text", "write the note"))
    try:
        spent = minutes if isinstance(minutes, int) else parse_minutes(minutes, allow_zero=True)
    except ValidationError as error:
        errors.append(error)
        spent = 0
    FormError.raise_if_any(errors)
    return LogEntry("note", text, spent)


def validate_time_entry(minutes: str | int, text: str | None = "") -> LogEntry:
    """Time spent must be more than nothing; what it was spent on defaults to the time."""
    spent = minutes if isinstance(minutes, int) else parse_minutes(minutes)
    if spent <= 0:
        raise ValidationError("minutes", "the time spent must be more than 0 minutes")
    return LogEntry("time", (text or "").strip() or f"{format_minutes(spent)} spent", spent)


# --- forms ----------------------------------------------------------------------------------


def _text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name, "")
    return "" if value is None else str(value).strip()


def validate_ticket_fields(
    values: Mapping[str, Any],
    *,
    opened_on: date,
    days_by_priority: Mapping[str, object],
    today: date,
) -> tuple[dict[str, Any], list[ValidationError]]:
    """The ticket form's own fields (subject, category, priority, owner, description, due date)
    cleaned, with what is wrong; the service adds the checks that need the database, so the
    form hears of every mistake at once."""
    errors: list[ValidationError] = []
    clean: dict[str, Any] = {}
    subject = " ".join(_text(values, "subject").split())
    if not subject:
        errors.append(ValidationError("subject", "say in a few words what the ticket is about"))
    elif len(subject) > MAX_SUBJECT_LENGTH:
        errors.append(
            ValidationError("subject", f"keep the subject under {MAX_SUBJECT_LENGTH} characters")
        )
    clean["subject"] = subject
    category = _text(values, "category") or "other"
    if category not in TICKET_CATEGORIES.codes:
        errors.append(ValidationError("category", f"{category!r} is not a category"))
    clean["category"] = category
    priority = _text(values, "priority") or "normal"
    if priority not in TICKET_PRIORITIES.codes:
        errors.append(ValidationError("priority", f"{priority!r} is not a priority"))
    clean["priority"] = priority
    clean["owner"] = " ".join(_text(values, "owner").split())
    clean["description"] = str(values.get("description") or "").strip()
    try:
        typed = parse_optional_uk_date(_text(values, "due_on"), "due_on", today=today)
        clean["due_on"] = resolve_due_on(typed, priority, opened_on, days_by_priority)
    except ValidationError as error:
        # a bad setting for the priority's days shows against the due date it would have set
        errors.append(ValidationError("due_on", error.message))
    return clean, errors


def validate_action(values: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """An improvement plan item: what is to be done (needed), owner, due date, done."""
    errors = []
    description = " ".join(str(values.get("description") or "").split())
    if not description:
        errors.append(ValidationError("description", "say what is to be done"))
    owner = " ".join(str(values.get("owner") or "").split())
    due_on = None
    try:
        due_on = parse_optional_uk_date(str(values.get("due_on") or ""), "due_on", today=today)
    except ValidationError as error:
        errors.append(error)
    FormError.raise_if_any(errors)
    return {"description": description, "owner": owner, "due_on": due_on,
            "is_done": bool(values.get("is_done"))}  # fmt: skip


# --- back at green --------------------------------------------------------------------------


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
