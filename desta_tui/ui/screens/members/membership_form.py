"""MembershipForm: an organisation's membership of a consortium (status, dates, seats, vote)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from desta_tui.domain.choices import MEMBERSHIP_STATUSES
from desta_tui.services import lookups, members
from desta_tui.services.drafts import record_draft_key
from desta_tui.services.members import MembershipInfo
from desta_tui.ui.forms.fields import CheckField, ChoiceField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.forms.uk_fields import date_field

__all__ = ["MembershipForm"]


class MembershipForm(FormScreen[MembershipInfo]):
    """New membership for the organisation, or edit `membership`."""

    DRAFT_KIND = "membership"

    def __init__(
        self,
        organisation_uuid: str,
        organisation_name: str,
        membership: MembershipInfo | None = None,
        *,
        consortium_uuid: str | None = None,
    ) -> None:
        if membership:
            title = f"{organisation_name} in {membership.consortium_short_name}"
        else:
            title = f"New membership for {organisation_name}"
        super().__init__(title)
        self.organisation_uuid = organisation_uuid
        self.membership = membership
        self.consortium_uuid = consortium_uuid

    def draft_record_key(self) -> str:
        membership = self.membership.uuid if self.membership else None
        return record_draft_key(membership, self.organisation_uuid)

    def compose_fields(self) -> ComposeResult:
        m = self.membership
        choices = lookups.consortium_choices()
        chosen = m.consortium_uuid if m else (self.consortium_uuid or "")
        yield ChoiceField("Consortium", "consortium", choices, chosen, required=True)
        yield ChoiceField(
            "Status",
            "status",
            MEMBERSHIP_STATUSES.options(),
            m.status if m else "active",
            required=True,
        )
        yield date_field("Joined", "joined_on", m.joined_on if m else None)
        yield date_field("Left", "left_on", m.left_on if m else None)
        yield CheckField("Board seat", "has_board_seat", m.has_board_seat if m else False)
        yield CheckField(
            "On the Service Management Group", "is_smg_member", m.is_smg_member if m else False
        )
        yield CheckField("Has a vote", "has_vote", m.has_vote if m else True)
        yield TextAreaField("Notes", "notes", m.notes if m else "")

    def save(self, values: dict[str, Any]) -> MembershipInfo:
        if self.membership is None:
            return members.create_membership(self.organisation_uuid, values)
        return members.update_membership(self.membership.uuid, values)
