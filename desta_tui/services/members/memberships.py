"""Memberships of consortia: one a consortium, rejoining restores (rules: domain.memberships)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desta_tui.db.database import db
from desta_tui.db.models import Consortium, Membership, Organisation
from desta_tui.domain.choices import MEMBERSHIP_STATUSES
from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.domain.memberships import validate_membership
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.context import today
from desta_tui.services.lookups import consortia
from desta_tui.services.members.common import organisation_or_fail
from desta_tui.services.members.views import MembershipInfo
from desta_tui.services.records import RecordRef, archive_record, restore_record


def _membership_info(membership: Membership) -> MembershipInfo:
    consortium = membership.consortium
    return MembershipInfo(
        uuid=membership.uuid,
        organisation_uuid=membership.organisation.uuid,
        consortium_uuid=consortium.uuid,
        consortium_name=consortium.name,
        consortium_short_name=consortium.short_name or consortium.name,
        status=membership.status,
        status_label=MEMBERSHIP_STATUSES.label(membership.status),
        joined_on=membership.joined_on,
        left_on=membership.left_on,
        has_board_seat=membership.has_board_seat,
        is_smg_member=membership.is_smg_member,
        has_vote=membership.has_vote,
        notes=membership.notes,
        is_archived=membership.archived_at is not None,
    )


def list_memberships(
    organisation_uuid: str, *, include_archived: bool = False
) -> list[MembershipInfo]:
    """An organisation's memberships, by consortium name."""
    org = organisation_or_fail(organisation_uuid)
    query = Membership.select(Membership, Consortium).join(Consortium)
    query = query.where(Membership.organisation == org)
    if not include_archived:
        query = query.where(Membership.archived_at.is_null())
    return [_membership_info(m) for m in query.order_by(Consortium.name)]


def get_membership(uuid: str) -> MembershipInfo:
    membership = Membership.get_or_none(Membership.uuid == uuid)
    if membership is None:
        raise DestaError("That membership no longer exists.")
    return _membership_info(membership)


def _check_consortium(
    values: Mapping[str, Any], org: Organisation, current: Membership | None
) -> tuple[Consortium | None, ValidationError | None]:
    """The consortium chosen, and the complaint if there is none or the organisation is in it
    already (a live membership; an archived one is brought back instead)."""
    chosen = str(values.get("consortium", "") or "").strip()
    consortium = Consortium.get_or_none(Consortium.uuid == chosen) if chosen else None
    if consortium is None:
        names = ", ".join(c.name for c in consortia())
        return None, ValidationError("consortium", f"choose the consortium: {names}")
    clash = Membership.select().where(
        (Membership.organisation == org) & (Membership.consortium == consortium)
    )
    if current is not None:
        clash = clash.where(Membership.id != current.id)
    other = clash.first()
    if other is not None and other.archived_at is None:
        return consortium, ValidationError(
            "consortium", f"{org.name} is already in {consortium.name}"
        )
    return consortium, None


def _check_membership(
    values: Mapping[str, Any], org: Organisation, current: Membership | None
) -> dict[str, Any]:
    consortium, complaint = _check_consortium(values, org, current)
    errors = [complaint] if complaint else []
    try:
        clean = validate_membership(values, on=today())
    except FormError as error:
        clean = {}
        errors += error.validation_errors
    FormError.raise_if_any(errors)
    return {"consortium": consortium, **clean}


def create_membership(organisation_uuid: str, values: Mapping[str, Any]) -> MembershipInfo:
    """Make an organisation a member of a consortium. Rejoining after an archived membership
    brings that membership back (restored, then changed), so its history stays in one place."""
    with db.atomic():
        org = organisation_or_fail(organisation_uuid)
        clean = _check_membership(values, org, None)
        archived = Membership.get_or_none(
            (Membership.organisation == org) & (Membership.consortium == clean["consortium"])
        )
        if archived is not None:
            restore_record("membership", archived.uuid)
            archived = Membership.get_by_id(archived.id)
            update_record(archived, **clean)
            membership = archived
        else:
            membership = create_record(Membership, organisation=org, **clean)
        return _membership_info(membership)


def update_membership(uuid: str, values: Mapping[str, Any]) -> MembershipInfo:
    with db.atomic():
        membership = Membership.get_or_none(Membership.uuid == uuid)
        if membership is None:
            raise DestaError("That membership no longer exists.")
        clean = _check_membership(values, membership.organisation, membership)
        update_record(membership, **clean)
        return _membership_info(membership)


def archive_membership(uuid: str) -> RecordRef:
    return archive_record("membership", uuid)
