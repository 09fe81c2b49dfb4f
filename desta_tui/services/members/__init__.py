"""Members: organisations, contacts, memberships and compliance papers, checked and audited.

One module per idea (the list, an organisation, contacts, memberships, papers, history, the
palette); this package re-exports what callers use, so they import `services.members` alone.
"""

from __future__ import annotations

from desta_tui.domain.compliance import (
    EXPIRED,
    EXPIRING,
    MISSING,
    NONE,
    OK,
    RENEWED,
    ComplianceSummary,
    paper_state,
    state_words,
)
from desta_tui.domain.organisations import NAME_MAX_LENGTH
from desta_tui.services.lookups import borough_names, consortia
from desta_tui.services.members.choices import consortium_name, parse_boroughs
from desta_tui.services.members.common import MEMBER_TABLES
from desta_tui.services.members.compliance import (
    archive_compliance_item,
    create_compliance_item,
    get_compliance_item,
    list_compliance,
    organisation_compliance,
    papers_of,
    summarise_compliance,
    update_compliance_item,
    warning_days,
)
from desta_tui.services.members.contacts import (
    archive_contact,
    create_contact,
    get_contact,
    list_contacts,
    update_contact,
)
from desta_tui.services.members.finding import find_contacts, find_organisations
from desta_tui.services.members.history import (
    audit_count,
    last_archived_in_members,
    list_partnerships,
    organisation_history,
    undo_last_archive_in_members,
)
from desta_tui.services.members.memberships import (
    archive_membership,
    create_membership,
    get_membership,
    list_memberships,
    update_membership,
)
from desta_tui.services.members.organisation_list import DEFAULT_LIMIT, SORTS, list_organisations
from desta_tui.services.members.organisations import (
    archive_organisation,
    create_organisation,
    get_organisation,
    update_organisation,
)
from desta_tui.services.members.papers_due import (
    count_papers_due,
    expiring_compliance,
    papers_due_among,
)
from desta_tui.services.members.views import (
    ComplianceInfo,
    ConsortiumChoice,
    ContactInfo,
    Found,
    MembershipInfo,
    OrganisationDetail,
    OrganisationPage,
    OrganisationRow,
    PartnershipInfo,
)

__all__ = [
    "DEFAULT_LIMIT",
    "EXPIRED",
    "EXPIRING",
    "MEMBER_TABLES",
    "MISSING",
    "NAME_MAX_LENGTH",
    "NONE",
    "OK",
    "RENEWED",
    "SORTS",
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
    "archive_compliance_item",
    "archive_contact",
    "archive_membership",
    "archive_organisation",
    "audit_count",
    "borough_names",
    "consortia",
    "consortium_name",
    "count_papers_due",
    "create_compliance_item",
    "create_contact",
    "create_membership",
    "create_organisation",
    "expiring_compliance",
    "find_contacts",
    "find_organisations",
    "get_compliance_item",
    "get_contact",
    "get_membership",
    "get_organisation",
    "last_archived_in_members",
    "list_compliance",
    "list_contacts",
    "list_memberships",
    "list_organisations",
    "list_partnerships",
    "organisation_compliance",
    "organisation_history",
    "paper_state",
    "papers_due_among",
    "papers_of",
    "parse_boroughs",
    "state_words",
    "summarise_compliance",
    "undo_last_archive_in_members",
    "update_compliance_item",
    "update_contact",
    "update_membership",
    "update_organisation",
    "warning_days",
]
