"""An organisation's contracts and history, and undoing the section's last archive."""

from __future__ import annotations

from desta_tui.db.database import db
from desta_tui.db.models import (
    AuditLog,
    ComplianceItem,
    Consortium,
    Contact,
    Contract,
    ContractPartner,
    Membership,
)
from desta_tui.domain.choices import CONTRACT_STAGES, PARTNER_ROLES
from desta_tui.domain.money import format_money
from desta_tui.services.audit import AuditEntry, record_history
from desta_tui.services.members.common import MEMBER_TABLES, organisation_or_fail
from desta_tui.services.members.views import PartnershipInfo
from desta_tui.services.records import RecordRef, last_archived, undo_last_archive
from desta_tui.services.search_index import refresh_search_text


def list_partnerships(organisation_uuid: str) -> list[PartnershipInfo]:
    """The live contracts this organisation is a partner in."""
    org = organisation_or_fail(organisation_uuid)
    query = (
        ContractPartner.select(ContractPartner, Contract, Consortium)
        .join(Contract)
        .join(Consortium)
        .where(
            (ContractPartner.organisation == org)
            & ContractPartner.archived_at.is_null()
            & Contract.archived_at.is_null()
        )
        .order_by(Contract.starts_on.desc(), Contract.title)
    )
    return [
        PartnershipInfo(
            contract_uuid=p.contract.uuid,
            contract_title=p.contract.title,
            consortium_short_name=p.contract.consortium.short_name or p.contract.consortium.name,
            stage_label=CONTRACT_STAGES.label(p.contract.stage),
            role_label=PARTNER_ROLES.label(p.role),
            allocated_value=format_money(p.allocated_value_pence),
            # the partner's own term (its dates, else the contract's)
            starts_on=p.starts_on or p.contract.starts_on,
            ends_on=p.ends_on or p.contract.ends_on,
        )
        for p in query
    ]


def organisation_history(uuid: str, limit: int | None = 500) -> list[AuditEntry]:
    """The organisation's history with its contacts', memberships' and papers' (newest first)."""
    org = organisation_or_fail(uuid)
    uuids = [org.uuid]
    for model in (Contact, Membership, ComplianceItem):
        uuids += [row.uuid for row in model.select(model.uuid).where(model.organisation == org)]
    return record_history(uuids, limit=limit)


def undo_last_archive_in_members() -> RecordRef | None:
    """Bring back the last organisation, contact, membership or paper this person archived."""
    with db.atomic():
        ref = undo_last_archive(MEMBER_TABLES)
        if ref is not None and ref.table_name == "contact":
            refresh_search_text(Contact.get(Contact.uuid == ref.uuid).organisation)
        return ref


def last_archived_in_members() -> RecordRef | None:
    return last_archived(MEMBER_TABLES)


def audit_count(uuid: str) -> int:
    """How many history lines a record has (tests and the detail's tab title)."""
    return AuditLog.select().where(AuditLog.record_uuid == uuid).count()
