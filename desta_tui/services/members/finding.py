"""Finding organisations and contacts by name, letters in order: the command palette's hits."""

from __future__ import annotations

from peewee import fn

from desta_tui.db.models import Contact, Organisation
from desta_tui.services.members.views import Found
from desta_tui.services.search_index import fold


def _subsequence(text: str) -> str:
    """ "rtr" -> "%r%t%r%": the letters in order, anything between (fuzzy, in the database)."""
    # LIKE's own wildcards are dropped: no name needs them to be found
    letters = [ch for ch in fold(text) if not ch.isspace() and ch not in "%_"]
    return "%" + "%".join(letters) + "%"


def find_organisations(text: str, limit: int = 40) -> list[Found]:
    """Live organisations whose name, boroughs or contacts hold the typed letters in order."""
    query = Organisation.select(Organisation.uuid, Organisation.name).where(
        Organisation.archived_at.is_null()
    )
    if text.strip():
        query = query.where(Organisation.search_text.ilike(_subsequence(text)))
    query = query.order_by(fn.LENGTH(Organisation.name), Organisation.name_key).limit(limit)
    return [Found(o.uuid, o.name, o.uuid, "organisation") for o in query]


def find_contacts(text: str, limit: int = 40) -> list[Found]:
    """Live, not erased contacts of live organisations, by name (letters in order)."""
    query = (
        Contact.select(Contact.uuid, Contact.full_name, Organisation.uuid, Organisation.name)
        .join(Organisation)
        .where(
            Contact.archived_at.is_null()
            & Contact.erased_at.is_null()
            & Organisation.archived_at.is_null()
        )
    )
    if text.strip():
        query = query.where(Contact.full_name.ilike(_subsequence(text)))
    query = query.order_by(fn.LENGTH(Contact.full_name), Contact.full_name).limit(limit)
    return [
        Found(c.uuid, c.full_name, c.organisation.uuid, f"contact at {c.organisation.name}")
        for c in query
    ]
