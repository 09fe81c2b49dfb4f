"""The rules of an exception note: what is typed on a red or amber figure no ticket covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.periods import Period

CAUSE_CHARACTERS = 600
"""The most a cause or an action may hold: a note argues one figure in a meeting pack (a
longer story belongs in a support ticket, whose report prints it whole)."""
OWNER_CHARACTERS = 120


@dataclass(frozen=True)
class CleanExceptionNote:
    cause: str
    action: str
    owner: str
    recovery_on: date | None


def _one_line(text: str | None) -> str:
    return " ".join(str(text).split()) if text is not None else ""


def validate_exception_note(
    cause: str | None,
    action: str | None,
    owner: str | None,
    recovery_on: date | None,
    period: Period,
) -> CleanExceptionNote:
    """Check a note as typed; every problem at once as a FormError.

    A note says why (the cause) or what is being done (the action), or both; an action needs
    someone to own it; the figure can recover no earlier than the month it is about.
    """
    errors: list[ValidationError] = []
    clean_cause = (cause or "").strip()
    clean_action = (action or "").strip()
    clean_owner = _one_line(owner)
    if not clean_cause and not clean_action:
        errors.append(
            ValidationError("cause", "say why the figure is behind, or what is being done")
        )
    for field, text in (("cause", clean_cause), ("action", clean_action)):
        if len(text) > CAUSE_CHARACTERS:
            errors.append(
                ValidationError(
                    field,
                    f"keep it to {CAUSE_CHARACTERS} characters (this is {len(text):,}); a "
                    "longer story belongs in a support ticket",
                )
            )
    if len(clean_owner) > OWNER_CHARACTERS:
        errors.append(ValidationError("owner", f"keep it to {OWNER_CHARACTERS} characters"))
    if clean_action and not clean_owner:
        errors.append(ValidationError("owner", "say who will do it"))
    if recovery_on is not None and recovery_on < period.first_day:
        errors.append(
            ValidationError(
                "recovery_on",
                f"the figure is for {period.long_label}: it cannot recover before "
                f"{format_uk_date(period.first_day)}",
            )
        )
    FormError.raise_if_any(errors)
    return CleanExceptionNote(clean_cause, clean_action, clean_owner, recovery_on)
