"""The folded text an organisation is found by: its name, boroughs and contacts' names."""

from __future__ import annotations

import unicodedata

from desta_tui.db.models import Borough, Contact, Organisation, OrganisationBorough


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so "lacz" finds "Łączy" and "cafe" finds "Café"."""
    folded = text.casefold()
    if folded.isascii():
        return folded  # nothing to decompose: the common case, and filters fold every row
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("ł", "l").replace("ø", "o").replace("ß", "ss")


def search_text_for(org: Organisation) -> str:
    """What the members filter matches against; kept on the row so filtering is one query."""
    boroughs = (
        Borough.select(Borough.name)
        .join(OrganisationBorough)
        .where(OrganisationBorough.organisation == org)
    )
    contacts = Contact.select(Contact.full_name).where(
        (Contact.organisation == org) & Contact.archived_at.is_null()
    )
    parts = [org.name] + [b.name for b in boroughs] + [c.full_name for c in contacts]
    return fold(" | ".join(parts))
