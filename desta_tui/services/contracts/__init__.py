"""Contracts: the pipeline, key dates, stage history, partners and their split, the compliance
gate, the support provider and the commissioner contact log.

The rules live in `desta_tui.domain.contracts` and `desta_tui.domain.places`; the modules here
read and write the records. Everything callers use is re-exported, so
`from desta_tui.services import contracts` reaches all of it.
"""

from desta_tui.domain.compliance import PaperGap
from desta_tui.domain.contracts import CLOSED_STAGES, KEY_DATES, is_backwards
from desta_tui.domain.errors import ComplianceGateError, ReasonRequiredError
from desta_tui.domain.places import match_boroughs
from desta_tui.services.contracts.boroughs import boroughs_by_partner
from desta_tui.services.contracts.choices import (
    default_contact_interval_days,
    partner_organisation_choices,
)
from desta_tui.services.contracts.commissioner_contacts import (
    archive_commissioner_contact,
    get_commissioner_contact,
    list_commissioner_contacts,
    log_commissioner_contact,
    overdue_commissioner_contacts,
    undo_last_contact_archive,
    update_commissioner_contact,
)
from desta_tui.services.contracts.compliance_gate import (
    compliance_gaps,
    gate_papers,
    papers_expiring,
)
from desta_tui.services.contracts.overview import DEADLINE_DAYS, pipeline, upcoming_deadlines
from desta_tui.services.contracts.partners import (
    add_partner,
    allocation,
    archive_partner,
    contract_support_provider,
    get_partner,
    list_partners,
    partners_of_contracts,
    undo_last_partner_archive,
    update_partner,
)
from desta_tui.services.contracts.records import (
    archive_contract,
    change_contract_stage,
    contract_history,
    create_contract,
    get_contract,
    get_contracts,
    list_contracts,
    stage_history,
    undo_last_contract_archive,
    update_contract,
)
from desta_tui.services.contracts.views import (
    Allocation,
    CommissionerContactRow,
    ContactStatus,
    ContractDetail,
    ContractRow,
    KeyDate,
    OverdueContact,
    PartnerRow,
    StageChangeRow,
    StageLine,
    SupportProvider,
)
from desta_tui.services.lookups import (
    Choice,
    borough_names,
    commissioner_choices,
    consortium_choices,
    contract_choices,
)

__all__ = [
    "CLOSED_STAGES",
    "DEADLINE_DAYS",
    "KEY_DATES",
    "Allocation",
    "Choice",
    "CommissionerContactRow",
    "ComplianceGateError",
    "ContactStatus",
    "ContractDetail",
    "ContractRow",
    "KeyDate",
    "OverdueContact",
    "PaperGap",
    "PartnerRow",
    "ReasonRequiredError",
    "StageChangeRow",
    "StageLine",
    "SupportProvider",
    "add_partner",
    "allocation",
    "archive_commissioner_contact",
    "archive_contract",
    "archive_partner",
    "borough_names",
    "boroughs_by_partner",
    "change_contract_stage",
    "commissioner_choices",
    "compliance_gaps",
    "gate_papers",
    "consortium_choices",
    "contract_choices",
    "contract_history",
    "contract_support_provider",
    "create_contract",
    "default_contact_interval_days",
    "get_commissioner_contact",
    "get_contract",
    "get_contracts",
    "get_partner",
    "is_backwards",
    "list_commissioner_contacts",
    "list_contracts",
    "list_partners",
    "partners_of_contracts",
    "log_commissioner_contact",
    "match_boroughs",
    "overdue_commissioner_contacts",
    "papers_expiring",
    "partner_organisation_choices",
    "pipeline",
    "stage_history",
    "undo_last_contact_archive",
    "undo_last_contract_archive",
    "undo_last_partner_archive",
    "update_commissioner_contact",
    "update_contract",
    "update_partner",
    "upcoming_deadlines",
]
