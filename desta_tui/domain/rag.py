"""Red/amber/green status of delivery against target, readable in greyscale as well as colour."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum

from desta_tui.domain.errors import ValidationError

_WHOLE_PERCENT = Decimal("0.01")


class Rag(Enum):
    """A status; `.symbol` tells them apart by shape, because printed packs are often greyscale."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_DATA = "no_data"

    @property
    def word(self) -> str:
        return _WORDS[self._value_]

    @property
    def symbol(self) -> str:
        """✓ ! ✗ –: Helvetica lacks ✓ and ✗, so PDFs must set these in DejaVu Sans."""
        return _SYMBOLS[self._value_]

    @property
    def ascii_symbol(self) -> str:
        """A plain ASCII stand-in for the symbol, for CSV files and bare terminals."""
        return _ASCII_SYMBOLS[self._value_]

    @property
    def label(self) -> str:
        """`✓ Green`."""
        return f"{self.symbol} {self.word}"

    @property
    def severity(self) -> int:
        """Higher is worse (RED 3, AMBER 2, GREEN 1, NO_DATA 0), to sort problems first."""
        return _SEVERITY[self._value_]


# keyed by the members' values: an enum member's hash is worked out in Python at every look-up
# (a pack reads thousands of words and symbols), a string's is kept
_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", "no_data": "No data"}
_SYMBOLS = {"green": "✓", "amber": "!", "red": "✗", "no_data": "–"}
_ASCII_SYMBOLS = {"green": "+", "amber": "!", "red": "x", "no_data": "-"}
_SEVERITY = {"no_data": 0, "green": 1, "amber": 2, "red": 3}


def _to_decimal(value: Decimal | float | int | str, field: str) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(field, f"{value!r} is not a number")
    try:
        # Through str so that 0.95 becomes Decimal("0.95"), not the float's binary neighbour.
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(field, f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValidationError(field, f"{value!r} is not a number")
    return number


@dataclass(frozen=True)
class Thresholds:
    """Achievement ratios at which status turns green and amber; below amber it is red."""

    green_at: Decimal | float = Decimal("0.95")
    amber_at: Decimal | float = Decimal("0.80")

    def __post_init__(self) -> None:
        green = _to_decimal(self.green_at, "green_at")
        amber = _to_decimal(self.amber_at, "amber_at")
        object.__setattr__(self, "green_at", green)
        object.__setattr__(self, "amber_at", amber)
        if amber <= 0:
            raise ValidationError("amber_at", "the amber threshold must be above 0%")
        if amber > green:
            raise ValidationError(
                "amber_at",
                f"the amber threshold ({format_percent(amber)}) must not be above "
                f"the green threshold ({format_percent(green)})",
            )
        # the least whole percentages that are green and amber: what `_judge` compares with
        object.__setattr__(self, "_green_percent", math.ceil(green * 100))
        object.__setattr__(self, "_amber_percent", math.ceil(amber * 100))

    def status(self, ratio: Decimal) -> Rag:
        """The status for an achievement ratio, judged on the whole percentage people see.

        Judging the rounded figure means a row never reads "95%" in amber when green is 95%.
        """
        return self._judge(int(ratio.quantize(_WHOLE_PERCENT, rounding=ROUND_HALF_UP) * 100))

    def status_of(self, actual: int, target: int) -> Rag:
        """`status(actual / target)` for counts (target above 0), in whole numbers: the same
        percentage, halves rounded up, without dividing (a dashboard judges thousands)."""
        return self._judge((200 * actual + target) // (2 * target))

    def _judge(self, percent: int) -> Rag:
        """The status of a whole percentage achieved."""
        if percent >= self._green_percent:
            return Rag.GREEN
        if percent >= self._amber_percent:
            return Rag.AMBER
        return Rag.RED


DEFAULT_THRESHOLDS = Thresholds()


def achievement(actual: int, target: int) -> Decimal | None:
    """actual / target as an exact Decimal; None when there is no target to measure against."""
    if actual < 0 or target < 0:
        raise ValueError(f"counts cannot be negative (actual {actual}, target {target})")
    if target == 0:
        return None
    return Decimal(actual) / Decimal(target)


@dataclass(frozen=True)
class RagResult:
    """A status with the figure behind it and how far to trust it."""

    rag: Rag
    ratio: Decimal | None
    is_provisional: bool = False
    note: str = ""

    @property
    def percent(self) -> str:
        """`83%`, or `–` when there is no ratio."""
        return format_percent(self.ratio)

    @property
    def label(self) -> str:
        """`! Amber`, with ` (provisional)` while there are too few returns to be sure."""
        if self.is_provisional and self.rag is not Rag.NO_DATA:
            return f"{self.rag.label} (provisional)"
        return self.rag.label


def trajectory_status(
    actual_to_date: int,
    target_to_date: int,
    months_of_data: int,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> RagResult:
    """Status of delivery so far against the target profiled to the same point.

    With no returns there is nothing to judge (NO_DATA); one month alone gives a status but marks
    it provisional, since a single slow month says little about a year.
    """
    rag = trajectory_rag(actual_to_date, target_to_date, months_of_data, thresholds)
    if months_of_data == 0:
        return RagResult(rag, None, is_provisional=True, note="no returns yet")
    note = "based on 1 month only" if months_of_data == 1 else ""
    provisional = months_of_data < 2
    return RagResult(
        rag, achievement(actual_to_date, target_to_date), is_provisional=provisional, note=note
    )


def trajectory_rag(
    actual_to_date: int,
    target_to_date: int,
    months_of_data: int,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Rag:
    """The status alone of `trajectory_status`, without the ratio and notes around it."""
    if months_of_data < 0:
        raise ValueError(f"months_of_data cannot be negative, not {months_of_data}")
    if months_of_data == 0:
        return Rag.NO_DATA
    if actual_to_date < 0 or target_to_date < 0:
        raise ValueError(
            f"counts cannot be negative (actual {actual_to_date}, target {target_to_date})"
        )
    if target_to_date == 0:
        # Nothing was due yet: delivering anyway is ahead of plan, delivering nothing is no news.
        return Rag.GREEN if actual_to_date > 0 else Rag.NO_DATA
    return thresholds.status_of(actual_to_date, target_to_date)


def format_percent(ratio: Decimal | float | None) -> str:
    """`83%` (whole percent, halves rounded up), or `–` when there is no ratio."""
    if ratio is None:
        return "–"
    number = ratio if isinstance(ratio, Decimal) else Decimal(str(ratio))
    whole = (number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{0 if whole.is_zero() else whole}%"  # never "-0%"
