"""The folded text an organisation is found by: its name, boroughs and contacts' names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from peewee import SQL

from desta_tui.db.models import Borough, Contact, Organisation, OrganisationBorough
from desta_tui.domain.text import fold
from desta_tui.services.audit import BULK_CHUNK, update_column


def search_text_of(name: str, boroughs: Iterable[str], contacts: Iterable[str]) -> str:
    """The search text of an organisation called `name`, from its boroughs' names (by name)
    and its unarchived contacts' names (in the order they were added)."""
    return fold(" | ".join([name, *boroughs, *contacts]))


def search_text_for(org: Organisation) -> str:
    """What the members filter matches against; kept on the row so filtering is one query."""
    # ordered, so that the text is the same whichever way (and on whichever database) it is built
    boroughs = (
        Borough.select(Borough.name)
        .join(OrganisationBorough)
        .where(OrganisationBorough.organisation == org)
        .order_by(Borough.name)
    )
    contacts = (
        Contact.select(Contact.full_name)
        .where((Contact.organisation == org) & Contact.archived_at.is_null())
        .order_by(Contact.id)
    )
    return search_text_of(org.name, [b.name for b in boroughs], [c.full_name for c in contacts])


def refresh_search_text(org: Organisation) -> None:
    """Keep the folded filter text in step with the name, boroughs and contacts."""
    text = search_text_for(org)
    if text != org.search_text:
        Organisation.update(search_text=text).where(Organisation.id == org.id).execute()
        org.search_text = text


def refresh_search_texts(organisations: Sequence[Organisation]) -> None:
    """Bring many organisations' stored search text up to date (what `search_text_for` gives
    each), reading their boroughs and contacts with one query per few hundred organisations
    and writing the texts that changed in one go."""
    changed: list[tuple[int, str]] = []
    for start in range(0, len(organisations), BULK_CHUNK):
        chunk = {org.id: org for org in organisations[start : start + BULK_CHUNK]}
        parts: dict[int, tuple[list[str], list[str]]] = {key: ([], []) for key in chunk}
        # a row per borough (part 0, by name) and per contact (part 1, by id), then the name
        boroughs = (
            OrganisationBorough.select(
                OrganisationBorough.organisation, SQL("0"), Borough.name, SQL("0"), Borough.name
            )
            .join(Borough)
            .where(OrganisationBorough.organisation.in_(list(chunk)))
        )
        contacts = Contact.select(
            Contact.organisation, SQL("1"), SQL("''"), Contact.id, Contact.full_name
        ).where(Contact.organisation.in_(list(chunk)) & Contact.archived_at.is_null())
        query = boroughs.union_all(contacts).order_by(*(SQL(str(n)) for n in range(1, 5)))
        for org_id, part, _name, _id, text in query.tuples():
            parts[org_id][int(part)].append(text)
        for org_id, org in chunk.items():
            text = search_text_of(org.name, *parts[org_id])
            if text != org.search_text:
                org.search_text = text
                changed.append((org_id, text))
    update_column(Organisation, "search_text", changed)
