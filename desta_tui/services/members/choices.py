"""The pick lists of the members section: boroughs and consortia, and boroughs as typed."""

from __future__ import annotations

from desta_tui.db.models import Borough, Consortium
from desta_tui.domain.organisations import match_boroughs
from desta_tui.services.members.views import ConsortiumChoice


def borough_names() -> list[str]:
    """Every live borough's name, in order."""
    query = Borough.select(Borough.name).where(Borough.archived_at.is_null())
    return [b.name for b in query.order_by(Borough.name)]


def consortia() -> list[ConsortiumChoice]:
    """Every live consortium, by name."""
    query = Consortium.select().where(Consortium.archived_at.is_null()).order_by(Consortium.name)
    return [ConsortiumChoice(c.uuid, c.name, c.short_name or c.name) for c in query]


def consortium_name(uuid: str | None) -> str:
    """The consortium's name, or "All consortia" for None (or one that has gone)."""
    if uuid:
        found = Consortium.get_or_none(Consortium.uuid == uuid)
        if found is not None:
            return found.name
    return "All consortia"


def parse_boroughs(text: str, field: str = "boroughs") -> list[str]:
    """Borough names typed with commas ("Brent, ham"), matched against the hub's boroughs by
    `domain.organisations.match_boroughs`: whole names or the start of exactly one."""
    return match_boroughs(text, borough_names(), field)
