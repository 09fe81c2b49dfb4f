"""Reading raw field values (a form's or a file row's): text, yes/no flags, and every complaint."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from desta_tui.domain.errors import FormError, ValidationError

T = TypeVar("T")

# The words a person (or a spreadsheet) uses for yes and no; a blank cell takes the default.
YES_WORDS = frozenset({"yes", "y", "true", "t", "1", "x", "✓", "✔", "on"})
NO_WORDS = frozenset({"no", "n", "false", "f", "0", "off", "-"})


def text_of(values: Mapping[str, Any], name: str) -> str:
    """The field's value as text with outer spaces removed; a missing or None value gives ""."""
    value = values.get(name, "")
    return "" if value is None else str(value).strip()


def parse_flag(value: Any, field: str, default: bool = False) -> bool:
    """A yes/no field: a bool as it is; "yes", "y", "true", "1", "x", "on" (any case) are yes,
    "no", "n", "false", "0", "off", "-" are no; blank or None gives `default`; other words are
    refused, since guessing either way would store something nobody said."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    folded = str(value).strip().casefold()
    if not folded:
        return default
    if folded in YES_WORDS:
        return True
    if folded in NO_WORDS:
        return False
    raise ValidationError(field, f"{str(value).strip()!r} is not yes or no")


class Checks:
    """Collects every field's complaint so a form (or an import row) can show them all at once.

    `run` calls a validator and keeps its ValidationError instead of raising it; `put` does the
    same and stores what it returns under a name; `add` records a complaint of the caller's
    own; `raise_if_any` raises one FormError holding all of them.
    """

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def run(self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return check(*args, **kwargs)
        except FormError as error:
            self.errors.extend(error.validation_errors)
            return None
        except ValidationError as error:
            self.errors.append(error)
            return None

    def put(self, into: dict[str, Any], name: str, check: Callable[..., Any], *args: Any) -> None:
        """`into[name] = check(*args)`; on a complaint, keep it and leave `name` out of `into`
        (so a later check can tell the field is missing, not None)."""
        before = len(self.errors)
        value = self.run(check, *args)
        if len(self.errors) == before:
            into[name] = value

    def add(self, field: str | None, message: str) -> None:
        self.errors.append(ValidationError(field, message))

    def failed(self, field: str) -> bool:
        """Whether `field` already has a complaint (so a later check need not pile on)."""
        return any(error.field == field for error in self.errors)

    def raise_if_any(self) -> None:
        FormError.raise_if_any(self.errors)
