"""The pick lists several features offer: boroughs, consortia, contracts and organisations.

Each list is read here once; the feature packages (members, contracts, tickets, the dashboard)
re-export what their callers used to import from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from peewee import fn

from desta_tui.db.models import Borough, Consortium, Contract, Organisation


class Choice(NamedTuple):
    """A record offered in a pick list: its words and its UUID. A tuple too, in the (label,
    value) order a Select takes."""

    label: str
    uuid: str


@dataclass(frozen=True)
class ConsortiumChoice:
    """A consortium offered in a pick list; `short_name` is its name when it has none."""

    uuid: str
    name: str
    short_name: str


def borough_names() -> list[str]:
    """Every live borough's name, in order: the names typed boroughs are matched against."""
    query = Borough.select(Borough.name).where(Borough.archived_at.is_null())
    return [name for (name,) in query.order_by(Borough.name).tuples()]


def consortia() -> list[ConsortiumChoice]:
    """Every live consortium, by name."""
    query = Consortium.select().where(Consortium.archived_at.is_null()).order_by(Consortium.name)
    return [ConsortiumChoice(c.uuid, c.name, c.short_name or c.name) for c in query]


def consortium_choices() -> list[Choice]:
    """Every live consortium as (name, uuid), by name."""
    return [Choice(c.name, c.uuid) for c in consortia()]


def contract_choices(consortium_uuid: str | None = None) -> list[Choice]:
    """Live contracts (of one consortium, when given) as (title, uuid), by title."""
    query = Contract.select(Contract.title, Contract.uuid).where(Contract.archived_at.is_null())
    if consortium_uuid:
        query = query.join(Consortium).where(Consortium.uuid == consortium_uuid)
    return [Choice(*row) for row in query.order_by(fn.lower(Contract.title)).tuples()]


def _organisation_choices(*conditions) -> list[Choice]:
    query = Organisation.select(Organisation.name, Organisation.uuid).where(
        Organisation.archived_at.is_null(), *conditions
    )
    return [Choice(*row) for row in query.order_by(fn.lower(Organisation.name)).tuples()]


def provider_choices() -> list[Choice]:
    """Every live member organisation as (name, uuid): the providers tickets are about."""
    return _organisation_choices(Organisation.is_member == True)  # noqa: E712


def support_provider_choices() -> list[Choice]:
    """Organisations that can give support (any but commissioners) as (name, uuid)."""
    return _organisation_choices(Organisation.is_commissioner == False)  # noqa: E712


def commissioner_choices() -> list[Choice]:
    """Live organisations marked as commissioners as (name, uuid), by name."""
    return _organisation_choices(Organisation.is_commissioner == True)  # noqa: E712
