"""Metric arithmetic: rates typed and shown, figures summed and combined to date, targets spread.

What a valid monthly return is (counts, parts within wholes, totals to date) lives in
`desta_tui.domain.returns`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from desta_tui.domain.errors import ValidationError

# Rates are whole basis points: 8300 is 83.00%, so every figure stays an integer.
BASIS_POINTS = 10_000


def parse_rate(text: str | None, field: str = "value") -> int | None:
    """A rate typed as a percentage (`63`, `63%`, `62.5%`) in basis points; None when blank."""
    raw = (text or "").strip().rstrip("%").strip()
    if not raw:
        return None
    try:
        percent = Decimal(raw)
    except ArithmeticError:
        raise ValidationError(field, f"{text!r} is not a percentage: type one like 63%") from None
    if not percent.is_finite() or percent < 0 or percent > 1000:
        raise ValidationError(field, f"{text!r} is not a percentage between 0% and 1000%")
    return int((percent * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_count(value: int | None) -> str:
    """`1,200`, or "" for no figure."""
    return "" if value is None else f"{value:,}"


def format_rate(basis_points: int | None) -> str:
    """`83%` (whole percent, halves up), `–` for none."""
    if basis_points is None:
        return "–"
    whole = (Decimal(basis_points) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{whole}%"


def format_figure(value: int | None, unit: str) -> str:
    """A count with thousands commas, or a rate as a percentage."""
    return format_rate(value) if unit == "rate" else format_count(value)


# --- aggregation to date --------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigure:
    """One partner's figure for one metric and month: what was returned and what was due."""

    period_key: str
    actual: int | None
    target: int | None


class ToDate(NamedTuple):
    """A metric to date: actual and target (basis points for rates) and the months behind it.

    For a ratio, `numerator` and `denominator` hold the summed counts it was computed from, so
    partners combine from aggregate numbers, never from an average of averages. (A named tuple:
    a dashboard makes one for each partner and metric of the hub, tens of thousands.)
    """

    actual: int
    target: int
    months: int
    numerator: int = 0
    denominator: int = 0


NOTHING = ToDate(0, 0, 0)


def ratio_basis_points(numerator: int, denominator: int) -> int | None:
    """numerator / denominator in basis points, halves rounded up; None when nothing to divide."""
    if denominator <= 0:
        return None
    return int(
        (Decimal(numerator) * BASIS_POINTS / Decimal(denominator)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
    )


def sum_to_date(figures: Iterable[MonthFigure]) -> ToDate:
    """Sum of the months with a return, against the targets of those same months.

    A month without a return counts neither its actual nor its target: a late return leaves the
    partner judged on the months it did report (the missing return is listed apart).
    """
    actual = target = months = 0
    for figure in figures:
        if figure.actual is None:
            continue
        actual += figure.actual
        target += figure.target or 0
        months += 1
    return ToDate(actual, target, months)


def latest_to_date(figures: Iterable[MonthFigure]) -> ToDate:
    """The latest month with a return, against that month's target."""
    returned = sorted((f for f in figures if f.actual is not None), key=lambda f: f.period_key)
    if not returned:
        return NOTHING
    last = returned[-1]
    return ToDate(last.actual or 0, last.target or 0, len(returned))


def ratio_to_date(
    numerators: Iterable[MonthFigure],
    denominators: Iterable[MonthFigure],
    rate_targets: Mapping[str, int],
) -> ToDate:
    """numerator / denominator summed over the months both were returned, in basis points.

    The target is the rate due in the latest of those months (a rate target is a level to hold,
    not an amount that adds up).
    """
    numerator_by_month = {f.period_key: f.actual for f in numerators if f.actual is not None}
    months = sorted(
        f.period_key
        for f in denominators
        if f.actual is not None and f.period_key in numerator_by_month
    )
    denominator_by_month = {f.period_key: f.actual for f in denominators if f.actual is not None}
    numerator = sum(numerator_by_month[key] or 0 for key in months)
    denominator = sum(denominator_by_month[key] or 0 for key in months)
    target = rate_targets.get(months[-1], 0) if months else 0
    return rate_figure(numerator, denominator, target, len(months))


def rate_figure(numerator: int, denominator: int, target: int, months: int) -> ToDate:
    """A rate to date from its summed counts; no denominator means no actual rate (0)."""
    actual = ratio_basis_points(numerator, denominator)
    return ToDate(actual or 0, target, months, numerator, denominator)


def combine_partners(aggregation: str, parts: Sequence[ToDate]) -> ToDate:
    """The contract's figure from its partners': counts add up; a ratio is recomputed from the
    summed numerators and denominators, its target weighted by each partner's denominator."""
    if not parts:
        return NOTHING
    months = max(part.months for part in parts)
    if aggregation != "ratio":
        return ToDate(sum(p.actual for p in parts), sum(p.target for p in parts), months)
    numerator = sum(p.numerator for p in parts)
    denominator = sum(p.denominator for p in parts)
    weighted = [(p.target, p.denominator) for p in parts if p.target]
    return rate_figure(numerator, denominator, weighted_rate(weighted), months)


def weighted_rate(pairs: Sequence[tuple[int, int]]) -> int:
    """The mean of rate targets weighted by their denominators (a plain mean if none has any)."""
    if not pairs:
        return 0
    weight = sum(w for _, w in pairs)
    if weight <= 0:
        total = Decimal(sum(rate for rate, _ in pairs)) / len(pairs)
    else:
        total = Decimal(sum(rate * w for rate, w in pairs)) / weight
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def monthly_series(figures: Iterable[MonthFigure], period_keys: Sequence[str]) -> tuple:
    """The actuals in `period_keys` order (None where there was no return), for sparklines."""
    by_key = {f.period_key: f.actual for f in figures}
    return tuple(by_key.get(key) for key in period_keys)


# --- spreading an annual target -------------------------------------------------------------


def spread_evenly(total: int, months: int) -> list[int]:
    """`total` over `months` in whole numbers that add up exactly; earlier months get the odd
    ones (so a target is never back-loaded by rounding)."""
    return spread_by_profile(total, [1] * months)


def spread_by_profile(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder, ties to the earlier month);
    the parts are whole and add up to `total` exactly."""
    if total < 0:
        raise ValidationError("total", "a target cannot be negative")
    if not weights:
        raise ValidationError("months", "spread the target over at least one month")
    if any(weight < 0 for weight in weights):
        raise ValidationError("profile", "profile weights cannot be negative")
    weight_sum = sum(Decimal(weight) for weight in weights)
    if weight_sum <= 0:
        raise ValidationError("profile", "the profile needs at least one weight above 0")
    exact = [Decimal(total) * Decimal(weight) / weight_sum for weight in weights]
    parts = [int(share) for share in exact]
    short = total - sum(parts)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in by_remainder[:short]:
        parts[index] += 1
    return parts


def parse_profile(text: str, months: int, field: str = "profile") -> list[Decimal] | None:
    """Weights typed as `1, 1, 2, 2, ...` (one per month); None when blank (spread evenly)."""
    raw = (text or "").strip()
    if not raw:
        return None
    pieces = [piece for piece in re.split(r"[\s,;]+", raw) if piece]
    if len(pieces) != months:
        raise ValidationError(
            field, f"give one weight per month: {months} needed, {len(pieces)} typed"
        )
    weights = []
    for piece in pieces:
        try:
            weight = Decimal(piece.rstrip("%"))
        except ArithmeticError:
            raise ValidationError(field, f"{piece!r} is not a number") from None
        if not weight.is_finite() or weight < 0:
            raise ValidationError(field, f"{piece!r} must be a number of 0 or more")
        weights.append(weight)
    if sum(weights) <= 0:
        raise ValidationError(field, "the profile needs at least one weight above 0")
    return weights
