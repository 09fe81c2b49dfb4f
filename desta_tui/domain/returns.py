"""What a valid monthly return is: whole counts, parts within their wholes, totals to date.

The one home of the rules a partner's monthly return must meet, whichever way it comes in (the
returns grid today, the importer next). It needs no database: give it plain values.

The entry point is `check_return`:

    rules = rules_for(["enrolments", "completions", "bme_recruited", "bme_retained"])
    check = check_return(
        {"enrolments": "12", "completions": "3"},  # metric code -> text typed, int, or None
        rules,
        to_date_before={"enrolments": 40, "completions": 31},  # the months before, summed
    )
    check.problems   # {} when right, else {metric code: "a sentence saying what is wrong"}
    check.values     # {"enrolments": 12, "completions": 3}: the figures as numbers
    check.raise_if_any()  # FormError of ValidationError(field=metric code, message)

What it checks, each problem under the metric code (the field) it belongs to:

- counts: every figure is a whole number of 0 or more (`12`, `1,200`); `12.0`, `1,2x` and `-1`
  are refused, each with a sentence that says why; blank text or None means "not reported";
- plausibility: no monthly figure above `MAX_COUNT` (a typo, not a real count);
- part versus whole, in the same month (`SUBSET_RULES`): BME retained <= BME recruited, BME
  recruited <= enrolments, deprived-ward participants <= enrolments;
- to date (`CUMULATIVE_RULES`): completions to date <= enrolments to date, counting the months
  before (`to_date_before`, the partner's totals of every earlier month for
  `rules.to_date_codes`) and this month;
- later months, when `later_months` is given: changing this month must not make a later month's
  totals to date break a cumulative rule (`first_cumulative_breach`).

Used row by row (an importer): keep a running total per partner of `rules.to_date_codes`, pass it
as `to_date_before`, then add the row's `check.values` to it; wrap each problem with
`ImportRowError.from_validation(line, error)` from `check.errors()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.periods import Period

# Far above any monthly count, far below a 64-bit column: a typo, not a real figure.
MAX_COUNT = 10**9

_GROUPED = re.compile(r"\d{1,3}(,\d{3})+")

#: A figure as it comes in: text as typed (blank: not reported), a number, or None.
Figure = str | int | None


# --- counts ---------------------------------------------------------------------------------


def parse_count(text: str | None, field: str = "value") -> int | None:
    """A whole, non-negative number typed in a return (`12`, `1,200`); None when left blank."""
    raw = (text or "").strip()
    if not raw:
        return None
    digits = raw.replace(",", "") if _GROUPED.fullmatch(raw) else raw
    if digits.isdigit() and digits.isascii():
        # the length first: Python refuses to read a number of over 4,300 digits at all
        significant = digits.lstrip("0") or "0"
        if len(significant) > len(str(MAX_COUNT)):
            return _plausible(MAX_COUNT + 1, _shown_number(raw, digits), field)
        return _plausible(int(significant), _shown_number(raw, digits), field)
    if re.fullmatch(r"[-\u2212]\s*[\d,.]+", raw):
        raise ValidationError(field, f"{_shown(raw)} is negative: enter 0 or more")
    if re.fullmatch(r"\d+\.0+", raw):
        whole = raw.split(".")[0]
        raise ValidationError(
            field,
            f"{_shown(raw)} is not a whole number as typed: leave off the decimals and type "
            f"{_shown(whole)}",
        )
    if re.fullmatch(r"\d*[.,]\d+", raw):
        raise ValidationError(
            field, f"{_shown(raw)} is not a whole number: count people, not parts"
        )
    raise ValidationError(
        field, f"{_shown(raw, quoted=True)} is not a number: type a whole number like 12"
    )


def _shown_number(raw: str, digits: str) -> str:
    return raw if len(raw) <= 20 else f"a number of {len(digits):,} digits"


def _shown(raw: str, *, quoted: bool = False) -> str:
    """What was typed, as a message quotes it: a pasted screenful is cut short."""
    if len(raw) > 24:
        return f"{raw[:12]!r}… ({len(raw):,} characters)" if quoted else f"{raw[:12]}…"
    return repr(raw) if quoted else raw


def _plausible(value: int, shown: str, field: str) -> int:
    if value > MAX_COUNT:
        raise ValidationError(
            field, f"{shown} is too large for a monthly figure (the most is {MAX_COUNT:,})"
        )
    return value


def _count_of(figure: object, field: str) -> int | None:
    """A figure as a count: text is parsed, a number is held to the same limits."""
    if figure is None or isinstance(figure, str):
        return parse_count(figure, field)
    if isinstance(figure, bool) or not isinstance(figure, int):
        return parse_count(str(figure), field)
    if figure < 0:
        raise ValidationError(field, f"{figure} is negative: enter 0 or more")
    return _plausible(figure, f"{figure:,}", field)


# --- the rules between figures --------------------------------------------------------------


@dataclass(frozen=True)
class SubsetRule:
    """`part` can never be more than `whole` in the same month: they count the same people."""

    part: str
    whole: str
    message: str


@dataclass(frozen=True)
class CumulativeRule:
    """`part` to date can never be more than `whole` to date (people finish after enrolling)."""

    part: str
    whole: str
    message: str


SUBSET_RULES = (
    SubsetRule("bme_retained", "bme_recruited", "BME retained ({part}) is more than recruited"),
    SubsetRule("bme_recruited", "enrolments", "BME recruited ({part}) is more than all enrolled"),
    SubsetRule(
        "deprived_wards", "enrolments", "deprived-ward participants ({part}) exceed all enrolled"
    ),
)
CUMULATIVE_RULES = (
    CumulativeRule(
        "completions", "enrolments", "completions to date ({part}) exceed enrolments to date"
    ),
)


@dataclass(frozen=True)
class ReturnRules:
    """The rules between figures a return is checked against; `rules_for` picks a contract's."""

    subset: tuple[SubsetRule, ...] = SUBSET_RULES
    cumulative: tuple[CumulativeRule, ...] = CUMULATIVE_RULES

    @property
    def to_date_codes(self) -> frozenset[str]:
        """The metrics whose totals of earlier months `check_return` needs (`to_date_before`)."""
        return frozenset(code for rule in self.cumulative for code in (rule.part, rule.whole))


ALL_RULES = ReturnRules()


def rules_for(metric_codes: Iterable[str]) -> ReturnRules:
    """The rules for a contract that counts `metric_codes`: each rule whose part it counts.

    A whole the contract does not count is "not reported": a same-month rule then has nothing
    to compare, and a to-date rule counts it as 0.
    """
    codes = set(metric_codes)
    return ReturnRules(
        subset=tuple(rule for rule in SUBSET_RULES if rule.part in codes),
        cumulative=tuple(rule for rule in CUMULATIVE_RULES if rule.part in codes),
    )


def first_cumulative_breach(
    parts: Sequence[int], wholes: Sequence[int], start_part: int = 0, start_whole: int = 0
) -> int | None:
    """Index of the first month where the running `parts` total passes the `wholes` total."""
    part_total, whole_total = start_part, start_whole
    for index, (part, whole) in enumerate(zip(parts, wholes, strict=True)):
        part_total += part
        whole_total += whole
        if part_total > whole_total:
            return index
    return None


# --- the entry point ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnCheck:
    """What `check_return` found: the month's figures as numbers, and the problems by field."""

    #: `saved` overlaid with the figures given, as numbers (None: not reported); a figure that
    #: did not parse keeps its saved value (None when there was none)
    values: dict[str, int | None]
    #: metric code -> the problem with that figure; empty when the return is right
    problems: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.problems

    def errors(self) -> list[ValidationError]:
        """Each problem as a ValidationError whose field is the metric code."""
        return [ValidationError(code, message) for code, message in self.problems.items()]

    def raise_if_any(self) -> None:
        """Raise a FormError holding every problem (fields: metric codes), unless there are none."""
        FormError.raise_if_any(self.errors())


def check_return(
    figures: Mapping[str, Figure],
    rules: ReturnRules = ALL_RULES,
    *,
    to_date_before: Mapping[str, int] | None = None,
    saved: Mapping[str, int | None] | None = None,
    later_months: Mapping[str, Mapping[str, int]] | None = None,
) -> ReturnCheck:
    """Every problem with one partner's return for one month, by metric code.

    - `figures`: metric code -> the figure as typed (text), as a number, or None / "" (not
      reported, or cleared). Only the figures given are parsed.
    - `rules`: the rules for the contract's metrics (`rules_for(codes)`; all of them by default).
    - `to_date_before`: metric code -> the partner's total of every month before this one, for
      the to-date rules (only `rules.to_date_codes` are read; a missing code is 0).
    - `saved`: the month's figures already stored, for the figures not given (the cells of a
      grid nobody changed); `figures` take their place.
    - `later_months`: period key (`2012-11`) -> metric code -> figure, for the partner's months
      after this one. Given, a change that makes a later month's totals to date impossible is a
      problem, set on the figure changed (the whole when both were given).

    A figure that is not a valid count gets that problem only; the rules between figures then
    use its saved value. The first problem found for a figure is kept, except that a later
    month made impossible says so in place of it.
    """
    kept = dict(saved or {})
    before = to_date_before or {}
    values = dict(kept)
    problems: dict[str, str] = {}
    for code, figure in figures.items():
        try:
            values[code] = _count_of(figure, code)
        except ValidationError as error:
            problems[code] = error.message
            values[code] = kept.get(code)
    for code, message in _month_problems(values, before, rules).items():
        problems.setdefault(code, message)
    if later_months is not None:
        # a figure with a problem will not be saved: later months follow the saved one
        settled = {**kept, **{code: values[code] for code in figures if code not in problems}}
        problems.update(_later_problems(settled, figures, before, rules, later_months))
    return ReturnCheck(values, problems)


def _month_problems(
    values: Mapping[str, int | None], before: Mapping[str, int], rules: ReturnRules
) -> dict[str, str]:
    problems: dict[str, str] = {}
    for rule in rules.subset:
        part, whole = values.get(rule.part), values.get(rule.whole)
        if part is not None and whole is not None and part > whole:
            problems.setdefault(rule.part, f"{rule.message.format(part=part)} ({whole})")
    for rule in rules.cumulative:
        part, whole = values.get(rule.part), values.get(rule.whole)
        if part is None and whole is None:
            continue
        part_to_date = before.get(rule.part, 0) + (part or 0)
        whole_to_date = before.get(rule.whole, 0) + (whole or 0)
        if part_to_date > whole_to_date:
            message = f"{rule.message.format(part=part_to_date)} ({whole_to_date})"
            problems.setdefault(rule.part if part is not None else rule.whole, message)
    return problems


def _later_problems(
    values: Mapping[str, int | None],
    changed: Mapping[str, Figure],
    before: Mapping[str, int],
    rules: ReturnRules,
    later_months: Mapping[str, Mapping[str, int]],
) -> dict[str, str]:
    problems: dict[str, str] = {}
    months = sorted(later_months)
    for rule in rules.cumulative:
        part_start = before.get(rule.part, 0) + (values.get(rule.part) or 0)
        whole_start = before.get(rule.whole, 0) + (values.get(rule.whole) or 0)
        parts = [later_months[month].get(rule.part, 0) for month in months]
        wholes = [later_months[month].get(rule.whole, 0) for month in months]
        breach = first_cumulative_breach(parts, wholes, part_start, whole_start)
        if breach is not None:
            label = Period.from_key(months[breach]).label
            field = rule.whole if rule.whole in changed else rule.part
            problems[field] = (
                f"this would make {label}'s {rule.part} to date more than its {rule.whole} to date"
            )
    return problems


__all__ = [
    "ALL_RULES",
    "CUMULATIVE_RULES",
    "MAX_COUNT",
    "SUBSET_RULES",
    "CumulativeRule",
    "Figure",
    "ReturnCheck",
    "ReturnRules",
    "SubsetRule",
    "check_return",
    "first_cumulative_breach",
    "parse_count",
    "rules_for",
]
