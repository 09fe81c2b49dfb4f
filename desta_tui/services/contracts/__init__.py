"""Contracts: the pipeline, key dates, stage history, partners and their split, the compliance
gate, the support provider and the commissioner contact log.

The rules live in `desta_tui.domain.contracts` and `desta_tui.domain.places`; the modules here
read and write the records. Everything callers use is re-exported, so
`from desta_tui.services import contracts` reaches all of it. Each module is imported when
one of its names is first used (desta_tui/lazy.py).
"""

from __future__ import annotations

from desta_tui.lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "desta_tui.domain.compliance": ("PaperGap",),
        "desta_tui.domain.contracts": (
            "CLOSED_STAGES",
            "KEY_DATES",
            "is_backwards",
        ),
        "desta_tui.domain.errors": (
            "ComplianceGateError",
            "ReasonRequiredError",
        ),
        "desta_tui.domain.places": ("match_boroughs",),
        "desta_tui.services.lookups": (
            "Choice",
            "borough_names",
            "commissioner_choices",
            "consortium_choices",
            "contract_choices",
        ),
        ".boroughs": ("boroughs_by_partner",),
        ".choices": ("partner_organisation_choices",),
        ".commissioner_contacts": (
            "archive_commissioner_contact",
            "get_commissioner_contact",
            "list_commissioner_contacts",
            "log_commissioner_contact",
            "undo_last_contact_archive",
            "update_commissioner_contact",
        ),
        ".compliance_gate": (
            "compliance_gaps",
            "gate_papers",
            "papers_expiring",
        ),
        ".contact_due": (
            "ContactStatus",
            "OverdueContact",
            "default_contact_interval_days",
            "overdue_commissioner_contacts",
        ),
        ".overview": (
            "DEADLINE_DAYS",
            "pipeline",
            "upcoming_deadlines",
        ),
        ".overview_views": (
            "CommissionerContactRow",
            "KeyDate",
            "StageLine",
        ),
        ".partners": (
            "add_partner",
            "allocation",
            "archive_partner",
            "contract_support_provider",
            "partners_of_contracts",
            "get_partner",
            "list_partners",
            "undo_last_partner_archive",
            "update_partner",
        ),
        ".records": (
            "archive_contract",
            "change_contract_stage",
            "contract_history",
            "create_contract",
            "get_contract",
            "get_contracts",
            "list_contracts",
            "stage_history",
            "undo_last_contract_archive",
            "update_contract",
        ),
        ".views": (
            "Allocation",
            "ContractDetail",
            "ContractRow",
            "PartnerRow",
            "StageChangeRow",
            "SupportProvider",
        ),
    },
)
