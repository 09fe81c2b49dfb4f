"""Quarters (`2012-Q3`) and UK financial years (`2012/13`), and reading a quarter typed.

Kept apart from periods.py, whose months every start reads: the start shows no quarter, and
these classes and patterns cost it ~1.5 ms to build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from desta_tui.domain.dates import MAX_YEAR, MIN_YEAR, full_year
from desta_tui.domain.errors import ValidationError
from desta_tui.domain.periods import _ABBR, Period, _year_looks_wrong, parse_period


class _RunOfMonths:
    """What a run of whole months knows from its first and last month (`first_period`,
    `last_period`, given by the class): its months in order and its first and last days."""

    first_period: Period
    last_period: Period

    def months(self) -> list[Period]:
        return list(Period.range(self.first_period, self.last_period))

    @property
    def first_day(self) -> date:
        return self.first_period.first_day

    @property
    def last_day(self) -> date:
        return self.last_period.last_day


@dataclass(frozen=True, order=True)
class Quarter(_RunOfMonths):
    """A calendar quarter: Q1 is Jan-Mar, so `2012-Q3` is Jul-Sep 2012.

    NHS and council contracts often count quarters from April instead ("Q2 2012/13" is the same
    Jul-Sep); the label names the months so paper never leaves the reader guessing which is meant.
    """

    year: int
    q: int

    def __post_init__(self) -> None:
        if not 1 <= self.q <= 4:
            raise ValueError(f"quarter must be 1 to 4, not {self.q}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year must be 1 to 9999, not {self.year}")

    @classmethod
    def from_period(cls, period: Period) -> Quarter:
        return cls(period.year, (period.month - 1) // 3 + 1)

    @classmethod
    def from_date(cls, d: date) -> Quarter:
        return cls.from_period(Period.from_date(d))

    @property
    def key(self) -> str:
        """`2012-Q3`."""
        return f"{self.year:04d}-Q{self.q}"

    @property
    def label(self) -> str:
        """`Jul–Sep 2012`."""
        return f"{_ABBR[self.q * 3 - 2]}–{_ABBR[self.q * 3]} {self.year}"

    @property
    def first_period(self) -> Period:
        """The quarter's first month, the form a quarterly return is stored under."""
        return Period(self.year, self.q * 3 - 2)

    @property
    def last_period(self) -> Period:
        return Period(self.year, self.q * 3)

    def next(self) -> Quarter:
        return Quarter.from_period(self.first_period.shift(3))

    def previous(self) -> Quarter:
        return Quarter.from_period(self.first_period.shift(-3))

    def __str__(self) -> str:
        return self.key


def quarter_of(period: Period) -> Quarter:
    """The calendar quarter that holds `period`."""
    return Quarter.from_period(period)


@dataclass(frozen=True, order=True)
class FinancialYear(_RunOfMonths):
    """A UK financial year, April to March, named by both calendar years: `2012/13`."""

    start_year: int

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def first_period(self) -> Period:
        return Period(self.start_year, 4)

    @property
    def last_period(self) -> Period:
        return Period(self.start_year + 1, 3)

    def __str__(self) -> str:
        return self.label


def financial_year_of(when: Period | date) -> FinancialYear:
    """The April-to-March year holding a period or date: Oct 2012 and Mar 2013 are in 2012/13."""
    year, month = when.year, when.month
    return FinancialYear(year if month >= 4 else year - 1)


_QUARTER_YEAR_FIRST = re.compile(r"(\d{4})\s*[-/ ]?\s*q\s*(\d)", re.IGNORECASE)
_QUARTER_FIRST = re.compile(r"q\s*(\d)\s*[-/ ]?\s*(\d{4}|\d{2})", re.IGNORECASE)
_LOOKS_LIKE_QUARTER = re.compile(r"(?:^|[^a-z])q\s*\d", re.IGNORECASE)

_QUARTER_HINT = "type a quarter like 2012-Q3 or Q3 2012"


def parse_quarter(text: str, field: str = "quarter") -> Quarter:
    """Return the calendar quarter in `text`: `2012-Q3`, `2012 Q3`, `Q3 2012`, `q3-12`."""
    raw = text.strip() if text is not None else ""
    if not raw:
        raise ValidationError(field, "enter a quarter")
    if match := _QUARTER_YEAR_FIRST.fullmatch(raw):
        year, q = int(match[1]), int(match[2])
    elif match := _QUARTER_FIRST.fullmatch(raw):
        q = int(match[1])
        year = int(match[2]) if len(match[2]) == 4 else full_year(int(match[2]))
    else:
        raise ValidationError(field, f"{raw!r} is not a quarter: {_QUARTER_HINT}")
    if not 1 <= q <= 4:
        raise ValidationError(field, f"{raw!r} is not a quarter: there is no quarter {q}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(field, f"{raw!r} is not a quarter: {_year_looks_wrong(year)}")
    return Quarter(year, q)


def parse_any_period(text: str, field: str = "period") -> Period | Quarter:
    """A quarter when `text` names one (`2012-Q3`), otherwise a month."""
    raw = text.strip() if text is not None else ""
    if _LOOKS_LIKE_QUARTER.search(raw):
        return parse_quarter(raw, field)
    return parse_period(raw, field)
