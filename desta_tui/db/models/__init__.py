"""All the models, in the order their tables are created."""

from desta_tui.db.models.base import (
    BaseModel,
    RecordModel,
    new_uuid,
    new_uuids,
    random_uuid,
    utc_now,
)
from desta_tui.db.models.contracts import (
    CommissionerContact,
    Contract,
    ContractBorough,
    ContractPartner,
    ContractPartnerBorough,
    ContractStageChange,
)
from desta_tui.db.models.drafts import Draft
from desta_tui.db.models.meetings import (
    AgendaItem,
    Decision,
    Declaration,
    Meeting,
    MeetingAction,
    MeetingAttendance,
    RegisteredInterest,
    Risk,
    Vote,
)
from desta_tui.db.models.organisations import (
    Borough,
    ComplianceItem,
    Consortium,
    Contact,
    Membership,
    Organisation,
    OrganisationBorough,
    Ward,
)
from desta_tui.db.models.performance import (
    ExceptionNote,
    Metric,
    MonthlyReturn,
    PeriodLock,
    ReturnTotal,
    Target,
)
from desta_tui.db.models.sync import (
    SyncAlias,
    SyncBundle,
    SyncChange,
    SyncConflict,
    SyncFieldVersion,
    SyncPeer,
    SyncSite,
)
from desta_tui.db.models.system import AuditLog, SchemaMigration, Setting
from desta_tui.db.models.tickets import SupportTicket, TicketAction, TicketEvent, TicketMetric

ALL_MODELS = [
    Consortium,
    Borough,
    Ward,
    Organisation,
    OrganisationBorough,
    Membership,
    Contact,
    ComplianceItem,
    Contract,
    ContractBorough,
    ContractStageChange,
    ContractPartner,
    ContractPartnerBorough,
    CommissionerContact,
    Metric,
    Target,
    MonthlyReturn,
    ReturnTotal,
    PeriodLock,
    SupportTicket,
    TicketMetric,
    TicketEvent,
    TicketAction,
    Meeting,
    MeetingAttendance,
    AgendaItem,
    Declaration,
    RegisteredInterest,
    Decision,
    Vote,
    MeetingAction,
    Risk,
    ExceptionNote,
    AuditLog,
    Setting,
    Draft,
    SchemaMigration,
    SyncSite,
    SyncChange,
    SyncFieldVersion,
    SyncPeer,
    SyncBundle,
    SyncConflict,
    SyncAlias,
]

__all__ = [model.__name__ for model in ALL_MODELS] + [
    "ALL_MODELS",
    "BaseModel",
    "RecordModel",
    "new_uuid",
    "new_uuids",
    "random_uuid",
    "utc_now",
]
