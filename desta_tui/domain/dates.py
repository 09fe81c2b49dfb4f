"""UK dates: parse what people type (`01/10/2012`, `1/10/12`, `2012-10-01`, `today`) and show it."""

from __future__ import annotations

import calendar
import re
from datetime import date

from desta_tui.domain.errors import ValidationError

# Outside this window a year is almost surely a typo (`01/10/0212`), not a real record.
MIN_YEAR = 1900
MAX_YEAR = 2199

# Two-digit years up to this belong to the 2000s, later ones to the 1900s (as Excel does it).
TWO_DIGIT_YEAR_PIVOT = 69

_UK = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
# Year first, as ISO and databases write it; a time of day after it (from exports) is ignored.
_YEAR_FIRST = re.compile(
    r"(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)

_FORMAT_HINT = "type it as dd/mm/yyyy, like 01/10/2012"


def full_year(two_digits: int) -> int:
    """The year a two-digit year means: 12 -> 2012, 85 -> 1985."""
    return 2000 + two_digits if two_digits <= TWO_DIGIT_YEAR_PIVOT else 1900 + two_digits


def parse_uk_date(text: str, field: str = "date", today: date | None = None) -> date:
    """Return the date in `text`; `today` stands in for the real date (tests, demo data)."""
    raw = text.strip() if text is not None else ""
    if not raw:
        raise ValidationError(field, "enter a date")
    if raw.casefold() == "today":
        return today if today is not None else date.today()

    if match := _UK.fullmatch(raw):
        day, month = int(match[1]), int(match[3])
        year = int(match[4]) if len(match[4]) == 4 else full_year(int(match[4]))
    elif match := _YEAR_FIRST.fullmatch(raw):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
    else:
        raise ValidationError(field, f"{raw!r} is not a date: {_FORMAT_HINT}")

    def fail(reason: str) -> ValidationError:
        return ValidationError(field, f"{raw} is not a real date: {reason}")

    if not 1 <= month <= 12:
        # 10/13/2012 is usually a US-style date: say which way round we read it.
        order = (
            " (the day comes first: dd/mm/yyyy)" if match.re is _UK and month > 12 >= day else ""
        )
        raise fail(f"there is no month {month}{order}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise fail(f"the year {year:04d} looks wrong (use a year from {MIN_YEAR} to {MAX_YEAR})")
    days_in_month = calendar.monthrange(year, month)[1]
    if day < 1:
        raise fail("there is no day 0")
    if day > days_in_month:
        month_name = calendar.month_name[month]
        raise fail(f"{month_name} {year} has {days_in_month} days")
    return date(year, month, day)


def parse_optional_uk_date(
    text: str | None, field: str = "date", today: date | None = None
) -> date | None:
    """Like parse_uk_date, but a blank field means no date (None)."""
    if text is None or not text.strip():
        return None
    return parse_uk_date(text, field, today)


def format_uk_date(d: date | None) -> str:
    """`01/10/2012`, or "" when there is no date."""
    if d is None:
        return ""
    # Built by hand: strftime("%Y") drops the leading zeros of years below 1000 on Linux.
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def days_between(a: date, b: date) -> int:
    """Days from `a` to `b`: positive when `b` is later, negative when it is earlier."""
    return (b - a).days
