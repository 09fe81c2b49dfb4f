"""Which consortium and month a pack is for, when its meeting is, and its contracts."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from peewee import fn

from desta_tui.db.models import Consortium, Contract, Membership
from desta_tui.domain.errors import DestaError, ValidationError
from desta_tui.domain.periods import Period, last_ended_month, parse_period
from desta_tui.services.context import today
from desta_tui.services.contracts import ContractDetail, get_contracts
from desta_tui.services.lookups import ConsortiumChoice, consortia
from desta_tui.services.settings import get_setting

LIVE_MEMBERSHIP = ("applied", "active", "suspended")
"""Memberships that count in a pack (lapsed and left ones do not)."""
SMG_WEEKDAY = calendar.TUESDAY
SMG_WEEK = 2
"""Without a date in Settings, the SMG meets on the second Tuesday of the following month."""


def find_consortium(name: str | None) -> ConsortiumChoice:
    """The consortium named (full or short name, any case, or the start of one).

    Without a name: the only consortium, else the one with most contracts in delivery (then most
    members), which is the one whose SMG needs a pack.
    """
    live = consortia()
    if not live:
        raise DestaError("There is no consortium in this database yet.")
    if name is None or not name.strip():
        if len(live) == 1:
            return live[0]
        delivering = dict(
            Contract.select(Consortium.uuid, fn.COUNT(Contract.id))
            .join(Consortium)
            .where(Contract.archived_at.is_null() & (Contract.stage == "in_delivery"))
            .group_by(Consortium.uuid)
            .tuples()
        )
        members = dict(
            Membership.select(Consortium.uuid, fn.COUNT(Membership.id))
            .join(Consortium)
            .where(Membership.archived_at.is_null() & (Membership.status == "active"))
            .group_by(Consortium.uuid)
            .tuples()
        )
        return max(live, key=lambda c: (delivering.get(c.uuid, 0), members.get(c.uuid, 0)))
    wanted = name.strip().casefold()
    # `consortia()` gives a consortium with no short name its full name in its place
    for consortium in live:
        if wanted in (consortium.name.casefold(), consortium.short_name.casefold()):
            return consortium
    starts = [
        c
        for c in live
        if c.name.casefold().startswith(wanted) or c.short_name.casefold().startswith(wanted)
    ]
    if len(starts) == 1:
        return starts[0]
    known = ", ".join(c.short_name for c in live)
    if starts:
        raise DestaError(f"{name.strip()!r} could be several consortia: choose one of {known}.")
    raise DestaError(f"No consortium is called {name.strip()!r}: choose one of {known}.")


def pack_period(text: str | None) -> Period:
    """The month a pack is for: `2012-10`; a bad one is a DestaError in one sentence."""
    if text is None or not str(text).strip():
        raise DestaError("Give the month the pack is for, like --period 2012-10.")
    try:
        return parse_period(str(text), field="period")
    except ValidationError as error:
        raise DestaError(f"period: {error.message}") from None


def default_pack_period() -> Period:
    """The month a pack is usually for: the last one that has ended (its returns are due)."""
    return last_ended_month(today())


@dataclass(frozen=True)
class PackCover:
    consortium: str
    consortium_short: str
    period: Period
    meeting_on: date
    hub_name: str


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` (calendar.MONDAY...) of a month."""
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def meeting_date(period: Period) -> date:
    """The SMG meeting for `period`: Settings' `smg_meeting_on` when it falls after the month,
    else the second Tuesday of the month after it."""
    saved = get_setting("smg_meeting_on", None)
    if saved:
        try:
            chosen = date.fromisoformat(str(saved))
        except ValueError:
            chosen = None
        if chosen is not None and chosen > period.last_day:
            return chosen
    following = period.next()
    return nth_weekday(following.year, following.month, SMG_WEEKDAY, SMG_WEEK)


def pack_cover(consortium: ConsortiumChoice, period: Period) -> PackCover:
    return PackCover(
        consortium=consortium.name,
        consortium_short=consortium.short_name,
        period=period,
        meeting_on=meeting_date(period),
        hub_name=str(get_setting("hub_name") or ""),
    )


def consortium_contracts(
    consortium: ConsortiumChoice, stages: tuple[str, ...]
) -> list[ContractDetail]:
    """The consortium's live contracts at `stages`, by title, as the contract screen reads them."""
    query = (
        Contract.select(Contract.uuid)
        .join(Consortium)
        .where(
            (Consortium.uuid == consortium.uuid)
            & Contract.archived_at.is_null()
            & Contract.stage.in_(stages)
        )
        .order_by(Contract.title)
        .tuples()
    )
    return get_contracts([uuid for (uuid,) in query])
