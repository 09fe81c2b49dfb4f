"""What the members modules share: finding an organisation, its consortium, its papers' columns.

Its filter text is kept in step by services.search_index (refresh_search_text), which the
write side alone imports: the dashboard counts papers due through this module without the audit
and change log behind it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from desta_tui.db.models import ComplianceItem, Consortium, Membership, Organisation
from desta_tui.domain.errors import DestaError

# The record types this section archives, and so the ones its `u` brings back.
MEMBER_TABLES = ["organisation", "contact", "membership", "compliance_item"]


def organisation_or_fail(uuid: str) -> Organisation:
    """The organisation with this UUID (archived or not), or a DestaError a person can read."""
    org = Organisation.get_or_none(Organisation.uuid == uuid)
    if org is None:
        raise DestaError("That organisation no longer exists.")
    return org


def paper_columns() -> tuple:
    """What domain.compliance judges a paper by, read as plain values: its id and organisation,
    kind, expiry, when it was checked and when recorded."""
    return (
        ComplianceItem.id,
        ComplianceItem.organisation,
        ComplianceItem.kind,
        ComplianceItem.expires_on,
        ComplianceItem.checked_on,
        ComplianceItem.created_at,
    )


def member_ids_of(consortium_uuid: str):
    """A subquery: the ids of the organisations with a live membership of the consortium."""
    return (
        Membership.select(Membership.organisation)
        .join(Consortium)
        .where((Consortium.uuid == consortium_uuid) & Membership.archived_at.is_null())
    )


def as_date(value: Any) -> date | None:
    """A date column read through plain SQL: SQLite hands back ISO text, PostgreSQL a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
