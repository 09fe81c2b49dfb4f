"""Contract rules: the stage road, values, key dates, the partners' split and who leads.

Every function takes plain values (codes, pence, dates, names) and either returns the tidy value
or raises ValidationError naming the form field, so the contract and partner forms, the
importer and the offline merge all check the same way. The merge re-checks a merged contract
with `over_allocation_pence` (allocations within the contract value) and `role_clashes` (one
lead and one support provider at most), and a single change with `validate_allocation` and
`validate_single_role`. A partner's own dates sit within the contract's term
(`validate_partner_term`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from desta_tui.domain.choices import CONTRACT_STAGES, PARTNER_ROLES, STAGE_ORDER
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import ReasonRequiredError, ValidationError
from desta_tui.domain.money import format_money, parse_money

#: stages whose contracts are finished with: no deadlines, no commissioner contact due
CLOSED_STAGES: tuple[str, ...] = ("ended", "not_won")

#: key dates (field, words, the stages in which each is still ahead of the hub)
KEY_DATES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("tender_deadline_on", "Tender deadline", ("dialogue", "preparing_tender")),
    ("decision_on", "Decision", ("dialogue", "preparing_tender", "submitted")),
    ("starts_on", "Start", ("dialogue", "preparing_tender", "submitted", "awarded")),
    ("ends_on", "End", ("awarded", "in_delivery")),
)

#: roles a contract has at most one partner in
SINGLE_ROLES: tuple[str, ...] = ("lead", "support")

#: the longest a commissioner may be left without contact, in days
MAX_CONTACT_INTERVAL_DAYS = 366


# --- the stage road -------------------------------------------------------------------------


def validate_stage(stage: str, field: str = "stage") -> str:
    """`stage` if it is a contract stage code; ValidationError(field) if not."""
    if stage not in CONTRACT_STAGES.codes:
        raise ValidationError(field, f"{stage!r} is not a stage")
    return stage


def is_backwards(from_stage: str | None, to_stage: str) -> bool:
    """True when a move goes back along the road from dialogue to exit.

    "Not won" leaves the road after "submitted", so submitted -> not won is forwards and
    not won -> submitted backwards; a first stage (`from_stage` None) is never backwards.
    """
    if from_stage is None:
        return False
    return STAGE_ORDER.get(to_stage, 0) < STAGE_ORDER.get(from_stage, 0)


def validate_stage_move(
    from_stage: str, to_stage: str, reason: str, *, title: str, field: str = "stage"
) -> str:
    """Check moving the contract called `title` between stages; return the reason, stripped.

    Raises ValidationError(field) for an unknown stage, and ReasonRequiredError(field,
    kind="stage") with a question naming the contract when a backward move has no reason.
    """
    validate_stage(to_stage, field)
    reason = (reason or "").strip()
    if is_backwards(from_stage, to_stage) and not reason:
        move = f"from {CONTRACT_STAGES.label(from_stage)} back to {CONTRACT_STAGES.label(to_stage)}"
        raise ReasonRequiredError(
            field,
            f"moving {move} needs a reason",
            kind="stage",
            question=f"Why is {title} moving {move}?",
        )
    return reason


def validate_stage_change_on(
    changed_on: date, today: date, last_changed_on: date | None, field: str = "changed_on"
) -> date:
    """A stage change's date: not ahead of `today`, not before the last change recorded."""
    if changed_on > today:
        raise ValidationError(field, "a stage change cannot be in the future")
    if last_changed_on is not None and changed_on < last_changed_on:
        raise ValidationError(
            field, f"the last stage change was on {format_uk_date(last_changed_on)}"
        )
    return changed_on


# --- values ---------------------------------------------------------------------------------


def parse_value_pence(text: str | None, field: str) -> int:
    """Pence typed as money ("£670,000"); blank is £0; below £0 raises ValidationError(field)."""
    raw = (text or "").strip()
    if not raw:
        return 0
    pence = parse_money(raw, field)
    if pence < 0:
        raise ValidationError(field, "an amount cannot be below £0")
    return pence


def validate_annual_value(
    total_value_pence: int, annual_value_pence: int, field: str = "annual_value"
) -> None:
    """The annual value may not be more than a total that is set (a total of £0 is not set)."""
    if annual_value_pence > total_value_pence > 0:
        raise ValidationError(
            field,
            f"the annual value ({format_money(annual_value_pence)}) is more than the total "
            f"({format_money(total_value_pence)})",
        )


def validate_total_value(
    total_value_pence: int, allocated_pence: int, field: str = "total_value"
) -> None:
    """A contract's value may not drop below what its partners already hold."""
    if total_value_pence < allocated_pence:
        raise ValidationError(
            field,
            f"the partners already hold {format_money(allocated_pence)}; lower their "
            "allocations first",
        )


# --- dates ----------------------------------------------------------------------------------


def validate_term(starts_on: date | None, ends_on: date | None, field: str = "ends_on") -> None:
    """A contract ends on or after it starts (either may be unknown yet)."""
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(
            field, f"the end comes before the start ({format_uk_date(starts_on)})"
        )


def validate_tender_dates(
    tender_deadline_on: date | None, decision_on: date | None, field: str = "decision_on"
) -> None:
    """The commissioner decides on or after the tender deadline (either may be unknown yet)."""
    if tender_deadline_on and decision_on and decision_on < tender_deadline_on:
        raise ValidationError(field, "the decision comes before the tender deadline")


def upcoming_key_dates(
    stage: str, dates: Mapping[str, date | None], on: date
) -> list[tuple[str, date]]:
    """The key dates still ahead of the hub on `on`, soonest first, as (words, date).

    `dates` maps KEY_DATES' fields (tender_deadline_on, decision_on, starts_on, ends_on) to
    the contract's dates; a date counts only in the stages where it is still to come.
    """
    found = [
        (what, dates[name])
        for name, what, stages in KEY_DATES
        if dates.get(name) is not None and stage in stages and dates[name] >= on
    ]
    return sorted(found, key=lambda pair: pair[1])


# --- commissioner contact -------------------------------------------------------------------


def parse_contact_interval_days(
    text: str | None, default_days: int, field: str = "contact_interval_days"
) -> int:
    """Days between commissioner contacts, 1 to 366; blank gives `default_days`."""
    raw = (text or "").strip()
    if not raw:
        return default_days
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_CONTACT_INTERVAL_DAYS:
        raise ValidationError(
            field, f"enter a number of days from 1 to {MAX_CONTACT_INTERVAL_DAYS}"
        )
    return int(raw)


def is_contact_expected(stage: str, is_archived: bool) -> bool:
    """Contact with the commissioner is expected while the contract is live."""
    return stage not in CLOSED_STAGES and not is_archived


def is_contact_overdue(
    stage: str, is_archived: bool, days_since: int | None, interval_days: int
) -> bool:
    """Expected, and never made (`days_since` None) or longer ago than the interval."""
    expected = is_contact_expected(stage, is_archived)
    return expected and (days_since is None or days_since > interval_days)


# --- partners: the split, the roles, the boroughs ----------------------------------------------


def validate_allocation(
    total_value_pence: int,
    others_allocated_pence: int,
    amount_pence: int,
    field: str = "allocated_value",
) -> None:
    """Giving a partner `amount_pence` keeps every partner's share within the contract value.

    `others_allocated_pence` is what the other partners hold. Raises ValidationError(field)
    saying by how much it runs over and how much is left.
    """
    total = others_allocated_pence + amount_pence
    if total > total_value_pence:
        left = max(total_value_pence - others_allocated_pence, 0)
        raise ValidationError(
            field,
            f"over-allocated by {format_money(total - total_value_pence)}: "
            f"the contract is worth {format_money(total_value_pence)} and "
            f"{format_money(left)} is left to allocate",
        )


def over_allocation_pence(total_value_pence: int, allocations_pence: Iterable[int]) -> int:
    """How far the partners' allocations together run over the contract value; 0 if within."""
    return max(sum(allocations_pence) - total_value_pence, 0)


def parse_partner_role(text: str | None, field: str = "role") -> str:
    """A partner role code; blank is a delivery partner."""
    role = (text or "").strip() or "delivery"
    if role not in PARTNER_ROLES.codes:
        raise ValidationError(field, "choose lead, delivery partner or support provider")
    return role


def is_single_role(role: str) -> bool:
    """True for the roles a contract has only one partner in (lead, support provider)."""
    return role in SINGLE_ROLES


def validate_single_role(role: str, holder_name: str | None, field: str = "role") -> None:
    """A lead or support provider cannot be added while `holder_name` (another partner) is one."""
    if is_single_role(role) and holder_name:
        raise ValidationError(
            field,
            f"{holder_name} is already the {PARTNER_ROLES.label(role).lower()} of this contract",
        )


def role_clashes(partners: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """The single roles held by more than one partner: {role: [names]}; empty when in order.

    `partners` are (name, role) pairs of a contract's live partners.
    """
    holders: dict[str, list[str]] = {}
    for name, role in partners:
        if is_single_role(role):
            holders.setdefault(role, []).append(name)
    return {role: names for role, names in holders.items() if len(names) > 1}


def validate_reallocation(
    stage: str,
    old_pence: int,
    new_pence: int,
    reason: str,
    *,
    organisation_name: str,
    field: str = "allocated_value",
) -> str:
    """Changing a partner's allocation while the contract is in delivery needs a reason.

    Returns the reason, stripped; raises ReasonRequiredError(field, kind="reallocation").
    """
    reason = (reason or "").strip()
    if stage == "in_delivery" and new_pence != old_pence and not reason:
        change = f"{format_money(old_pence)} to {format_money(new_pence)}"
        raise ReasonRequiredError(
            field,
            f"changing the allocation during delivery ({change}) needs a reason",
            kind="reallocation",
            question=f"Why does {organisation_name}'s allocation change from {change}?",
        )
    return reason


def validate_partner_term(
    contract_starts_on: date | None,
    contract_ends_on: date | None,
    starts_on: date | None,
    ends_on: date | None,
) -> None:
    """A partner's dates lie within the contract's term, and it starts on or before it ends.

    Either partner date may be blank: it then follows the contract's (`effective_partner_term`).
    Raises ValidationError naming "starts_on" or "ends_on", whichever is out of place.
    """
    term = _term_words(contract_starts_on, contract_ends_on)
    for field, when in (("starts_on", starts_on), ("ends_on", ends_on)):
        if when is None:
            continue
        if contract_starts_on and when < contract_starts_on:
            raise ValidationError(field, f"that is before the contract starts ({term})")
        if contract_ends_on and when > contract_ends_on:
            raise ValidationError(field, f"that is after the contract ends ({term})")
    first, last = effective_partner_term(contract_starts_on, contract_ends_on, starts_on, ends_on)
    if first and last and last < first:
        field = "ends_on" if ends_on is not None else "starts_on"
        raise ValidationError(
            field, f"the partner's end ({format_uk_date(last)}) comes before its start "
            f"({format_uk_date(first)})",
        )  # fmt: skip


def effective_partner_term(
    contract_starts_on: date | None,
    contract_ends_on: date | None,
    starts_on: date | None,
    ends_on: date | None,
) -> tuple[date | None, date | None]:
    """The partner's own start and end, each blank one taken from the contract's."""
    return (starts_on or contract_starts_on, ends_on or contract_ends_on)


def _term_words(starts_on: date | None, ends_on: date | None) -> str:
    if starts_on and ends_on:
        return f"{format_uk_date(starts_on)} to {format_uk_date(ends_on)}"
    if starts_on:
        return f"from {format_uk_date(starts_on)}"
    return f"until {format_uk_date(ends_on)}" if ends_on else "no dates set"


def validate_partner_boroughs(
    names: Sequence[str], covered: Sequence[str], field: str = "boroughs"
) -> None:
    """A partner delivers only in the contract's boroughs (any, when the contract names none)."""
    outside = [name for name in names if covered and name not in covered]
    if outside:
        raise ValidationError(
            field,
            f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not covered by this "
            f"contract ({', '.join(covered)})",
        )
