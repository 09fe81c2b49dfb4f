"""Date and money fields as every form wants them: UK dates and pounds typed, parsed and shown."""

from __future__ import annotations

from functools import partial
from typing import Any

from desta_tui.domain.dates import format_uk_date, parse_uk_date
from desta_tui.domain.money import format_money, parse_money
from desta_tui.services.context import today
from desta_tui.ui.forms.fields import DateField, MoneyField

__all__ = ["date_field", "money_field"]


def money_field(label: str, name: str, pence: int | None, **kwargs: Any) -> MoneyField:
    """A money field showing `pence` as pounds (blank for none or nothing)."""
    value = format_money(pence) if pence else ""
    return MoneyField(label, name, value, parser=parse_money, formatter=format_money, **kwargs)


def date_field(label: str, name: str, value: Any = None, **kwargs: Any) -> DateField:
    """A date field taking dd/mm/yyyy, d/m/yy, ISO or `today`; `value` a date or its text."""
    shown = format_uk_date(value) if value is not None and not isinstance(value, str) else value
    return DateField(
        label,
        name,
        shown or "",
        parser=partial(parse_uk_date, today=today()),
        formatter=format_uk_date,
        **kwargs,
    )
