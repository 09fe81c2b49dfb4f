"""Boroughs as typed and a consortium's name; the pick lists (boroughs, consortia) live in
services.lookups."""

from __future__ import annotations

from desta_tui.db.models import Consortium
from desta_tui.domain.places import match_boroughs
from desta_tui.services.lookups import borough_names


def consortium_name(uuid: str | None) -> str:
    """The consortium's name, or "All consortia" for None (or one that has gone)."""
    if uuid:
        found = Consortium.get_or_none(Consortium.uuid == uuid)
        if found is not None:
            return found.name
    return "All consortia"


def parse_boroughs(text: str, field: str = "boroughs") -> list[str]:
    """Borough names typed with commas ("Brent, ham"), matched against the hub's boroughs by
    `domain.places.match_boroughs`: whole names, the start of exactly one, or initials."""
    return match_boroughs(text, borough_names(), field=field)
