"""Reporting periods: months (`2012-10`) and contract years (quarters and financial years are in
quarters.py)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from desta_tui.domain.dates import MAX_YEAR, MIN_YEAR, full_year, parse_uk_date
from desta_tui.domain.errors import ValidationError

if TYPE_CHECKING:
    from desta_tui.domain.quarters import Quarter

# Spelt out rather than taken from `calendar`, whose month names follow the machine's locale.
_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August")
_NAMES += ("September", "October", "November", "December")
_MONTH_NUMBERS = {name.casefold(): n for n, name in enumerate(_NAMES) if n}
_MONTH_NUMBERS.update({name.casefold(): n for n, name in enumerate(_ABBR) if n})
_MONTH_NUMBERS["sept"] = 9


@dataclass(frozen=True, order=True)
class Period:
    """One calendar month; sorts in time order; stored as its key, `2012-10`."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1 to 12, not {self.month}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year must be 1 to 9999, not {self.year}")

    @classmethod
    def from_date(cls, d: date) -> Period:
        """The month that holds `d`."""
        return cls(d.year, d.month)

    @classmethod
    def from_key(cls, key: str) -> Period:
        """The period stored as `key` (`2012-10`); raises ValueError for anything else."""
        match = re.fullmatch(r"(\d{4})-(\d{2})", key)
        if not match:
            raise ValueError(f"{key!r} is not a period key like 2012-10")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def range(cls, start: Period, end: Period) -> Iterator[Period]:
        """Every month from `start` to `end`, both included; nothing when `end` is earlier."""
        current = start
        while current <= end:
            yield current
            current = current.next()

    @property
    def key(self) -> str:
        """`2012-10`: the form stored in the database and used in file names."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """`Oct 2012`."""
        return f"{_ABBR[self.month]} {self.year}"

    @property
    def long_label(self) -> str:
        """`October 2012`."""
        return f"{_NAMES[self.month]} {self.year}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def _index(self) -> int:
        return self.year * 12 + self.month - 1

    def shift(self, months: int) -> Period:
        """The period `months` later (earlier when negative)."""
        year, month0 = divmod(self._index + months, 12)
        return Period(year, month0 + 1)

    def next(self) -> Period:
        return self.shift(1)

    def previous(self) -> Period:
        return self.shift(-1)

    def months_between(self, other: Period) -> int:
        """How many months `other` is after this one: Oct 2012 to Jan 2013 is 3."""
        return other._index - self._index

    def contains(self, d: date) -> bool:
        return (d.year, d.month) == (self.year, self.month)

    def __str__(self) -> str:
        return self.key


def contract_year_months(starts_on: date, year_index: int) -> list[Period]:
    """The 12 months of contract year `year_index`, counted from 1 (the year the contract starts).

    A contract starting on 15/10/2012 has year 1 = Oct 2012 to Sep 2013, year 2 = Oct 2013 on.
    """
    if year_index < 1:
        raise ValueError(f"contract years count from 1, not {year_index}")
    first = Period.from_date(starts_on).shift(12 * (year_index - 1))
    return [first.shift(offset) for offset in range(12)]


def months_elapsed(starts_on: date, up_to_period: Period) -> int:
    """Months of a contract run by the end of `up_to_period`, counting it: 1 in the first month.

    0 when the period is before the contract's first month.
    """
    return max(0, Period.from_date(starts_on).months_between(up_to_period) + 1)


def contract_year_of(starts_on: date, period: Period) -> int | None:
    """Which contract year (from 1) `period` falls in; None before the contract starts."""
    elapsed = months_elapsed(starts_on, period)
    return (elapsed - 1) // 12 + 1 if elapsed else None


def last_ended_month(today: date) -> Period:
    """The latest month that has ended by `today`: the one before today's month."""
    return Period.from_date(today).previous()


def due_span(
    contract_starts_on: date | None,
    contract_ends_on: date | None,
    partner_starts_on: date | None,
    partner_ends_on: date | None,
    today: date,
) -> tuple[Period, Period] | None:
    """The first and last month a partner owes a return for by `today`; None when none is due.

    The one rule every count of due and missing returns follows (`months_due` lists the span,
    `is_month_due` tests a month against it). A month is due once it has ended, so the last is
    at most the month before today's; it must fall within the contract's term and within the
    partner's (a month that overlaps a term, even by a day, is within it). A partner's dates
    left blank follow the contract's. With no start known at all, nothing is due yet: a term
    that has not begun on paper owes nothing.
    """
    starts = [d for d in (contract_starts_on, partner_starts_on) if d is not None]
    if not starts:
        return None
    first = Period.from_date(max(starts))
    last = last_ended_month(today)
    for ends_on in (contract_ends_on, partner_ends_on):
        if ends_on is not None:
            last = min(last, Period.from_date(ends_on))
    return (first, last) if first <= last else None


def months_due(
    contract_starts_on: date | None,
    contract_ends_on: date | None,
    partner_starts_on: date | None,
    partner_ends_on: date | None,
    today: date,
) -> list[Period]:
    """Every month a partner owes a return for by `today`, oldest first (see `due_span`)."""
    span = due_span(contract_starts_on, contract_ends_on, partner_starts_on, partner_ends_on, today)
    return list(Period.range(*span)) if span else []


def is_month_due(
    period: Period,
    contract_starts_on: date | None,
    contract_ends_on: date | None,
    partner_starts_on: date | None,
    partner_ends_on: date | None,
    today: date,
) -> bool:
    """True when `period` is one of `months_due` of these terms on `today` (none are listed)."""
    span = due_span(contract_starts_on, contract_ends_on, partner_starts_on, partner_ends_on, today)
    return span is not None and span[0] <= period <= span[1]


_NUMERIC_YEAR_FIRST = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_NUMERIC_MONTH_FIRST = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{4})")
_NAMED = re.compile(r"([^\W\d_]+)\.?\s*[-/.' ]?\s*(\d{4}|\d{2})")
_PERIOD_HINT = "type a month like 2012-10, 10/2012 or Oct 2012"


def parse_period(text: str, field: str = "period") -> Period:
    """Return the month in `text`: `2012-10`, `2012/10`, `10/2012`, `Oct 2012`, `oct-12`..."""
    raw = text.strip() if text is not None else ""
    if not raw:
        raise ValidationError(field, "enter a month")

    def fail(reason: str) -> ValidationError:
        return ValidationError(field, f"{raw!r} is not a month: {reason}")

    if match := _NUMERIC_YEAR_FIRST.fullmatch(raw):
        year, month = int(match[1]), int(match[2])
    elif match := _NUMERIC_MONTH_FIRST.fullmatch(raw):
        month, year = int(match[1]), int(match[2])
    elif match := _NAMED.fullmatch(raw):
        name = match[1].casefold()
        if name not in _MONTH_NUMBERS:
            raise fail(f"{match[1]!r} is not the name of a month")
        month = _MONTH_NUMBERS[name]
        year = int(match[2]) if len(match[2]) == 4 else full_year(int(match[2]))
    else:
        return _period_from_date(raw, field, fail)
    if not 1 <= month <= 12:
        raise fail(f"there is no month {month}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise fail(_year_looks_wrong(year))
    return Period(year, month)


def _year_looks_wrong(year: int) -> str:
    # the window dates use: `10/0212` is a slip of the keyboard, not a month 1,800 years ago
    return f"the year {year:04d} looks wrong (use a year from {MIN_YEAR} to {MAX_YEAR})"


def _period_from_date(raw: str, field: str, fail: Callable[[str], ValidationError]) -> Period:
    # Excel turns a typed "Oct-12" into the date 01/10/2012, and CSV exports then carry the date:
    # take the first of a month as that month, but refuse other days rather than guess.
    if not any(char.isdigit() for char in raw):
        raise fail(_PERIOD_HINT)  # "today" is a day, and not what a month field asks for
    try:
        day = parse_uk_date(raw, field)
    except ValidationError:
        raise fail(_PERIOD_HINT) from None
    if day.day != 1:
        month = Period.from_date(day)
        raise fail(f"that is a day; did you mean the month {month.month:02d}/{month.year}?")
    return Period.from_date(day)


def format_period(period: Period | Quarter | None) -> str:
    """The label a person reads (`Oct 2012`, `Jul–Sep 2012`), or "" when there is none."""
    return "" if period is None else period.label


_IN_QUARTERS = frozenset(
    ("Quarter", "FinancialYear", "quarter_of", "financial_year_of", "parse_quarter",
     "parse_any_period")
)  # fmt: skip


def __getattr__(name: str) -> object:
    """Quarters and financial years, which moved to `quarters.py` (it reads this module), still
    given here, loaded when first asked for."""
    if name in _IN_QUARTERS:
        from desta_tui.domain import quarters

        return getattr(quarters, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
