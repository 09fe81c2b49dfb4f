"""What the members services return: plain read models the screens and reports show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desta_tui.domain.compliance import ComplianceSummary
from desta_tui.services.lookups import ConsortiumChoice
from desta_tui.services.members.compliance_info import ComplianceInfo  # apart: see its module

__all__ = [
    "ComplianceInfo",
    "ComplianceSummary",
    "ConsortiumChoice",
    "ContactInfo",
    "Found",
    "MembershipInfo",
    "OrganisationDetail",
    "OrganisationPage",
    "OrganisationRow",
    "PartnershipInfo",
]


@dataclass(frozen=True)
class OrganisationRow:
    """One line of the members list."""

    uuid: str
    name: str
    boroughs: str
    status: str
    has_board_seat: bool
    compliance: str
    compliance_detail: str
    contact_count: int
    is_archived: bool


@dataclass(frozen=True)
class OrganisationPage:
    """The rows a filter found (at most `limit`); how many matched in all, when counted."""

    rows: list[OrganisationRow]
    #: None when the rows were cut and words typed: more matched than `limit`, not counted
    total: int | None
    limit: int
    is_cut: bool = False


@dataclass(frozen=True)
class OrganisationDetail:
    """An organisation with every field, as its form and detail screen show it."""

    uuid: str
    name: str
    kind: str
    kind_label: str
    is_member: bool
    is_commissioner: bool
    charity_number: str
    company_number: str
    address: str
    postcode: str
    borough: str
    boroughs: list[str]
    email: str
    phone: str
    website: str
    notes: str
    is_archived: bool
    created_at: Any
    updated_at: Any


@dataclass(frozen=True)
class ContactInfo:
    """A contact person of an organisation."""

    uuid: str
    organisation_uuid: str
    organisation_name: str
    full_name: str
    role: str
    email: str
    phone: str
    is_primary: bool
    notes: str
    is_erased: bool
    is_archived: bool


@dataclass(frozen=True)
class MembershipInfo:
    """An organisation's membership of one consortium."""

    uuid: str
    organisation_uuid: str
    consortium_uuid: str
    consortium_name: str
    consortium_short_name: str
    status: str
    status_label: str
    joined_on: date | None
    left_on: date | None
    has_board_seat: bool
    is_smg_member: bool
    has_vote: bool
    notes: str
    is_archived: bool


@dataclass(frozen=True)
class PartnershipInfo:
    """A contract the organisation is a partner in (read only in the members section)."""

    contract_uuid: str
    contract_title: str
    consortium_short_name: str
    stage_label: str
    role_label: str
    allocated_value: str
    starts_on: date | None
    ends_on: date | None


@dataclass(frozen=True)
class Found:
    """A palette hit: an organisation or contact by name, and the organisation it opens."""

    uuid: str
    name: str
    organisation_uuid: str
    detail: str
