"""Members: organisations, contacts, memberships and compliance papers, checked and audited.

One module per idea (the list, an organisation, contacts, memberships, papers, history, the
palette); this package re-exports what callers use, so they import `services.members` alone.
Each module is imported when one of its names is first used (desta_tui/lazy.py).
"""

from __future__ import annotations

from desta_tui.lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "desta_tui.domain.compliance": (
            "EXPIRED",
            "EXPIRING",
            "MISSING",
            "NONE",
            "OK",
            "RENEWED",
            "ComplianceSummary",
            "paper_state",
            "state_words",
        ),
        "desta_tui.domain.organisations": ("NAME_MAX_LENGTH",),
        "desta_tui.services.lookups": (
            "borough_names",
            "consortia",
        ),
        ".choices": (
            "consortium_name",
            "parse_boroughs",
        ),
        ".common": ("MEMBER_TABLES",),
        ".compliance": (
            "archive_compliance_item",
            "create_compliance_item",
            "get_compliance_item",
            "list_compliance",
            "organisation_compliance",
            "papers_of",
            "summarise_compliance",
            "update_compliance_item",
            "warning_days",
        ),
        ".compliance_info": ("ComplianceInfo",),
        ".contacts": (
            "archive_contact",
            "create_contact",
            "get_contact",
            "list_contacts",
            "update_contact",
        ),
        ".finding": (
            "find_contacts",
            "find_organisations",
        ),
        ".history": (
            "audit_count",
            "last_archived_in_members",
            "list_partnerships",
            "organisation_history",
            "undo_last_archive_in_members",
        ),
        ".memberships": (
            "archive_membership",
            "create_membership",
            "get_membership",
            "list_memberships",
            "update_membership",
        ),
        ".organisation_list": (
            "DEFAULT_LIMIT",
            "SORTS",
            "list_organisations",
        ),
        ".organisations": (
            "archive_organisation",
            "create_organisation",
            "get_organisation",
            "update_organisation",
        ),
        ".papers_due": (
            "count_papers_due",
            "expiring_compliance",
            "papers_due_among",
        ),
        ".views": (
            "ConsortiumChoice",
            "ContactInfo",
            "Found",
            "MembershipInfo",
            "OrganisationDetail",
            "OrganisationPage",
            "OrganisationRow",
            "PartnershipInfo",
        ),
    },
)
