"""MembershipForm: an organisation's membership of a consortium (status, dates, seats, vote)."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.app import ComposeResult

from desta_tui.domain.choices import MEMBERSHIP_STATUSES
from desta_tui.domain.dates import format_uk_date, parse_uk_date
from desta_tui.services import lookups, members
from desta_tui.services.context import today
from desta_tui.services.members import MembershipInfo
from desta_tui.ui.forms.fields import CheckField, ChoiceField, DateField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen

__all__ = ["MembershipForm"]


class MembershipForm(FormScreen[MembershipInfo]):
    """New membership for the organisation, or edit `membership`."""

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

    def compose_fields(self) -> ComposeResult:
        m = self.membership
        choices = lookups.consortium_choices()
        chosen = m.consortium_uuid if m else (self.consortium_uuid or "")
        date_parser = partial(parse_uk_date, today=today())
        yield ChoiceField("Consortium", "consortium", choices, chosen, required=True)
        yield ChoiceField(
            "Status",
            "status",
            MEMBERSHIP_STATUSES.options(),
            m.status if m else "active",
            required=True,
        )
        yield DateField(
            "Joined",
            "joined_on",
            format_uk_date(m.joined_on) if m else "",
            parser=date_parser,
            formatter=format_uk_date,
        )
        yield DateField(
            "Left",
            "left_on",
            format_uk_date(m.left_on) if m else "",
            parser=date_parser,
            formatter=format_uk_date,
        )
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
