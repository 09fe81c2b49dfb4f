"""The forms of the Meetings section: a meeting, an agenda item, someone attending, an action,
the minutes and a risk. Each hands the raw values to its service."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from desta_tui.services import meetings
from desta_tui.services.contracts import contract_choices
from desta_tui.services.members import consortia
from desta_tui.services.tickets import ticket_provider_choices
from desta_tui.ui.forms.fields import ChoiceField, FormField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.forms.uk_fields import date_field

__all__ = [
    "ActionForm",
    "AgendaItemForm",
    "AttendanceForm",
    "MeetingForm",
    "MinutesForm",
    "RiskForm",
]


class MeetingForm(FormScreen[meetings.MeetingDetail]):
    """A new meeting (consortium, body, date, time, place) or an edited one; the service adds
    the body's standing agenda and the items carried forward."""

    TITLE_TEXT = "New meeting"

    def __init__(
        self,
        meeting: meetings.MeetingDetail | None = None,
        *,
        consortium_uuid: str | None = None,
        correction_reason: str | None = None,
    ) -> None:
        super().__init__("Edit meeting" if meeting else None)
        self.meeting = meeting
        self.consortium_uuid = consortium_uuid
        self.correction_reason = correction_reason

    def compose_fields(self) -> ComposeResult:
        meeting = self.meeting
        if meeting is None:
            choices = [(c.name, c.uuid) for c in consortia()]
            chosen = self.consortium_uuid or (choices[0][1] if len(choices) == 1 else "")
            yield ChoiceField("Body", "body", meetings.meeting_body_choices(), "smg",
                              required=True)  # fmt: skip
            yield ChoiceField("Consortium", "consortium", choices, chosen, required=True)
        yield date_field("Date", "meeting_on", meeting.meeting_on if meeting else "",
                         required=True)  # fmt: skip
        yield FormField("Start time", "start_time", meeting.start_time if meeting else "",
                        placeholder="10:00")  # fmt: skip
        yield FormField("Place", "place", meeting.place if meeting else "")
        yield FormField("Reports on the month", "period", meeting.period if meeting else "",
                        placeholder="blank: the month before the meeting")  # fmt: skip
        yield TextAreaField("Notes", "notes", meeting.notes if meeting else "")

    def save(self, values: dict[str, Any]) -> meetings.MeetingDetail:
        if self.meeting is None:
            return meetings.create_meeting(values)
        return meetings.update_meeting(
            self.meeting.uuid, values, correction_reason=self.correction_reason
        )


def link_choices(consortium_uuid: str | None) -> list[tuple[str, str]]:
    """What an item can be about: the consortium's contracts and the providers with tickets,
    as "table|uuid" values."""
    found = [(f"Contract: {c.label}", f"contract|{c.uuid}") for c in contract_choices(
        consortium_uuid)]  # fmt: skip
    found += [(f"Organisation: {label}", f"organisation|{uuid}")
              for label, uuid in ticket_provider_choices()]  # fmt: skip
    return found


class AgendaItemForm(FormScreen[Any]):
    """An agenda item: title, what it is about, who presents it, the record it concerns."""

    TITLE_TEXT = "New agenda item"

    def __init__(
        self,
        detail: meetings.MeetingDetail,
        item: meetings.AgendaItemView | None = None,
        *,
        correction_reason: str | None = None,
    ) -> None:
        super().__init__(f"Item {item.number}: {item.title}" if item else None)
        self.detail = detail
        self.item = item
        self.correction_reason = correction_reason

    def compose_fields(self) -> ComposeResult:
        item = self.item
        link = f"{item.link.table_name}|{item.link.uuid}" if item and item.link else ""
        yield FormField("Title", "title", item.title if item else "", required=True)
        yield FormField("Presenter", "presenter", item.presenter if item else "")
        yield ChoiceField("About", "link", link_choices(self.detail.consortium_uuid), link,
                          placeholder="Nothing in particular")  # fmt: skip
        yield TextAreaField("Description", "description", item.description if item else "")
        if item is not None:
            yield TextAreaField("Minutes of the item", "minutes", item.minutes)

    def save(self, values: dict[str, Any]) -> Any:
        table, _, uuid = str(values.pop("link", "")).partition("|")
        values.update(link_table=table, link_uuid=uuid)
        minutes = values.pop("minutes", None)
        reason = self.correction_reason
        if self.item is None:
            return meetings.add_agenda_item(self.detail.uuid, values, correction_reason=reason)
        saved = meetings.update_agenda_item(self.item.uuid, values, correction_reason=reason)
        if minutes is not None and minutes != self.item.minutes:
            meetings.save_item_minutes(self.item.uuid, minutes, correction_reason=reason)
        return saved


class AttendanceForm(FormScreen[Any]):
    """Someone on the attendance list: a member's contact (or an observer's name), present,
    with apologies, absent or observing, and their role."""

    TITLE_TEXT = "Add to the attendance"

    def __init__(
        self,
        detail: meetings.MeetingDetail,
        line: meetings.AttendanceLine | None = None,
        *,
        correction_reason: str | None = None,
    ) -> None:
        super().__init__(f"Attendance: {line.name}" if line else None)
        self.detail = detail
        self.line = line
        self.correction_reason = correction_reason

    def compose_fields(self) -> ComposeResult:
        line = self.line
        if line is None:
            yield ChoiceField("Person", "contact", meetings.attendee_choices(self.detail.uuid),
                              placeholder="Choose a member's contact…")  # fmt: skip
            yield FormField("Or an observer's name", "name", "")
        yield ChoiceField("Attendance", "kind", meetings.attendance_kind_choices(),
                          line.kind if line else "present", required=True)  # fmt: skip
        yield ChoiceField("Role", "role", meetings.attendance_role_choices(),
                          line.role if line else "member", required=True)  # fmt: skip

    def save(self, values: dict[str, Any]) -> Any:
        reason = self.correction_reason
        if self.line is None:
            return meetings.record_attendance(self.detail.uuid, values, correction_reason=reason)
        return meetings.update_attendance(self.line.uuid, values, correction_reason=reason)


class ActionForm(FormScreen[Any]):
    """An action raised at the meeting: what, who, by when."""

    TITLE_TEXT = "New action"

    def __init__(
        self,
        detail: meetings.MeetingDetail,
        action: meetings.ActionLine | None = None,
        *,
        correction_reason: str | None = None,
    ) -> None:
        super().__init__("Edit action" if action else None)
        self.detail = detail
        self.action = action
        self.correction_reason = correction_reason

    def compose_fields(self) -> ComposeResult:
        action = self.action
        yield FormField("Action", "description", action.description if action else "",
                        required=True)  # fmt: skip
        yield FormField("Owner", "owner", action.owner if action else "")
        yield date_field("Due date", "due_on", action.due_on if action else "")
        items = [(f"{i.number}. {i.title}", i.uuid) for i in self.detail.agenda]
        yield ChoiceField("On item", "agenda_item", items,
                          action.agenda_item_uuid if action else "")  # fmt: skip

    def save(self, values: dict[str, Any]) -> Any:
        reason = self.correction_reason
        if self.action is None:
            return meetings.add_meeting_action(self.detail.uuid, values, correction_reason=reason)
        return meetings.update_meeting_action(self.action.uuid, values, correction_reason=reason)


class MinutesForm(FormScreen[meetings.MeetingDetail]):
    """The meeting's minutes; approved minutes are corrected, with the reason asked first."""

    TITLE_TEXT = "Minutes"

    def __init__(self, detail: meetings.MeetingDetail, *, correction_reason: str | None = None):
        super().__init__(f"Minutes of {detail.title}")
        self.detail = detail
        self.correction_reason = correction_reason

    def compose_fields(self) -> ComposeResult:
        yield TextAreaField("Minutes", "minutes", self.detail.minutes)

    def save(self, values: dict[str, Any]) -> meetings.MeetingDetail:
        if self.correction_reason:
            return meetings.correct_minutes(
                self.detail.uuid, values["minutes"], self.correction_reason
            )
        return meetings.save_minutes(self.detail.uuid, values["minutes"])


class RiskForm(FormScreen[Any]):
    """A risk on the board's register: likelihood and impact 1-5, owner, mitigation, review."""

    TITLE_TEXT = "New risk"

    def __init__(self, consortium_uuid: str | None, risk: meetings.RiskLine | None = None):
        super().__init__("Edit risk" if risk else None)
        self.consortium_uuid = consortium_uuid
        self.risk = risk

    def compose_fields(self) -> ComposeResult:
        risk = self.risk
        if risk is None:
            choices = [(c.name, c.uuid) for c in consortia()]
            yield ChoiceField("Consortium", "consortium", choices, self.consortium_uuid or "",
                              required=True)  # fmt: skip
        yield FormField("Risk", "title", risk.title if risk else "", required=True)
        yield FormField("Likelihood (1-5)", "likelihood", risk.likelihood if risk else "",
                        required=True)  # fmt: skip
        yield FormField("Impact (1-5)", "impact", risk.impact if risk else "", required=True)
        yield FormField("Owner", "owner", risk.owner if risk else "", required=True)
        yield date_field("Review on", "review_on", risk.review_on if risk else "")
        yield ChoiceField("Status", "status", meetings.risk_status_choices(),
                          risk.status if risk else "open", required=True)  # fmt: skip
        yield TextAreaField("Mitigation", "mitigation", risk.mitigation if risk else "")
        yield TextAreaField("Description", "description", risk.description if risk else "")

    def save(self, values: dict[str, Any]) -> Any:
        if self.risk is None:
            return meetings.add_risk(values)
        return meetings.update_risk(self.risk.uuid, values)
