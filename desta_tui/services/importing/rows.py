"""One row of an import file read cell by cell: each cell parsed, each problem kept with its
line and column."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from desta_tui.domain.dates import parse_uk_date
from desta_tui.domain.errors import FormError, ImportRowError, ValidationError
from desta_tui.domain.returns import parse_count
from desta_tui.services.context import today
from desta_tui.services.importing.sheet import SAVE_AS_TIP, SheetRow


def parse_figure(text: str, field_name: str) -> int:
    """A target or return as the returns grid reads it (domain.returns.parse_count): a whole
    number of 0 or more, `1,234` too; `12.0`, `12.5`, `1,2x` and `-3` are refused."""
    if "?" in text:
        raise ValidationError(
            field_name,
            f"{text.strip()!r} is not a number (a “?” usually means Excel lost a character: "
            f"{SAVE_AS_TIP})",
        )
    figure = parse_count(text, field_name)
    if figure is None:  # RowReader.parse never passes a blank cell on
        raise ValidationError(field_name, "enter a figure")
    return figure


def parse_timestamp(text: str, field_name: str) -> datetime:
    """`05/11/2012 10:30` (or just a date) as a datetime."""
    raw = text.strip()
    match = re.fullmatch(r"(.+?)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?", raw)
    day_text = match[1] if match else raw
    day = parse_uk_date(day_text, field_name, today())
    if not match:
        return datetime.combine(day, time(0, 0))
    hour, minute, second = int(match[2]), int(match[3]), int(match[4] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValidationError(field_name, f"{raw!r} has no such time of day")
    return datetime(day.year, day.month, day.day, hour, minute, second)


class RowReader:
    """The cells of one row, parsed with every problem kept against its line and column."""

    def __init__(self, row: SheetRow, headers: dict[str, str], parsed: dict | None = None) -> None:
        self.row = row
        self.headers = headers
        self.errors: list[ImportRowError] = []
        # (column, text) -> value or ValidationError, shared by an import's rows: a column is
        # always parsed the same way, and a long file repeats its months, dates and figures;
        # and (None, columns) -> those of the columns the file has
        self.parsed = {} if parsed is None else parsed

    @property
    def line(self) -> int:
        return self.row.line

    def has(self, key: str) -> bool:
        return key in self.headers

    def fail(self, key: str | None, message: str) -> None:
        column = self.headers.get(key, key) if key else None
        self.errors.append(ImportRowError(self.line, column, message))

    def text(self, key: str) -> str:
        return self.row.cells.get(key, "")

    def check(
        self,
        validate: Callable[..., dict[str, Any]],
        keys: tuple[str, ...],
        *,
        partial: bool,
        **options: Any,
    ) -> dict[str, Any] | None:
        """The row's cells under `keys` put through the form's own `validate` (a domain
        validate_* function), or None with every complaint kept against its column. With
        `partial` only the columns the file has are passed (so a column left out never blanks
        a field); without it a missing column counts as blank and takes the form's default."""
        # the columns of `keys` the file has, worked out once an import (kept with the parsed)
        given = self.parsed.get((None, keys))
        if given is None:
            given = self.parsed[(None, keys)] = [key for key in keys if key in self.headers]
        cells = self.row.cells
        values = {key: cells.get(key, "") for key in given}
        try:
            return validate(values, partial=partial, **options)
        except FormError as error:
            for problem in error.validation_errors:
                column = self.headers.get(problem.field, problem.field) if problem.field else None
                self.errors.append(ImportRowError.from_validation(self.line, problem, column))
            return None

    def parse(
        self,
        key: str,
        parser: Callable[[str, str], Any],
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        """The parsed cell; blank gives `default` (or a "required" error); a bad one an error."""
        raw = self.text(key)
        if not raw.strip():
            if required:
                label = self.headers.get(key, key)
                self.fail(key, f"{label} is required")
            return default
        outcome = self.parsed.get((key, raw), self.parsed)
        if outcome is self.parsed:
            try:
                outcome = parser(raw, key)
            except ValidationError as error:
                outcome = error
            self.parsed[(key, raw)] = outcome
        if isinstance(outcome, ValidationError):
            self.fail(key, outcome.message)
            return default
        return outcome
