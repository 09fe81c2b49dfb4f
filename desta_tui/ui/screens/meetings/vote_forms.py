"""The forms of an agenda item's business: a declaration of interest (with the suggested ones
offered), a motion put to the meeting, and the vote of each voting member present."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from desta_tui.services import meetings
from desta_tui.ui.forms.fields import CheckField, ChoiceField, FormField, TextAreaField
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.forms.uk_fields import date_field

__all__ = ["DecisionForm", "DeclarationForm", "VotesForm", "vote_field_name"]


def _present_people(detail: meetings.MeetingDetail) -> list[tuple[str, str]]:
    return [(line.text, line.contact_uuid) for line in detail.present if line.contact_uuid]


class DeclarationForm(FormScreen[Any]):
    """A member declares an interest in an item; the members the item is about come first."""

    TITLE_TEXT = "Declare an interest"

    def __init__(
        self,
        detail: meetings.MeetingDetail,
        item: meetings.AgendaItemView,
        *,
        correction_reason: str | None = None,
    ) -> None:
        super().__init__(f"Declare an interest in item {item.number}: {item.title}")
        self.detail = detail
        self.item = item
        self.correction_reason = correction_reason

    def compose_fields(self) -> ComposeResult:
        suggested = self.item.suggested_declarations
        if suggested:
            words = "; ".join(f"{s.organisation_name} ({s.reason})" for s in suggested)
            yield Static(f"Suggested: {words}", id="declaration-suggested", markup=False)
        people = {line.organisation_uuid: line.organisation_name
                  for line in self.detail.attendance if line.organisation_uuid}  # fmt: skip
        choices = [(s.organisation_name, s.organisation_uuid) for s in suggested]
        choices += [(name, uuid) for uuid, name in people.items()
                    if uuid not in {s.organisation_uuid for s in suggested}]  # fmt: skip
        first = suggested[0] if suggested else None
        yield ChoiceField("Member", "organisation", choices,
                          first.organisation_uuid if first else "", required=True)  # fmt: skip
        yield ChoiceField("Person", "contact", _present_people(self.detail),
                          placeholder="The member as a whole")  # fmt: skip
        yield FormField("Interest", "description", first.reason if first else "", required=True)
        yield CheckField("Withdraws from the item (its discussion, vote and quorum)",
                         "is_withdrawn", True)  # fmt: skip

    def save(self, values: dict[str, Any]) -> Any:
        return meetings.declare_interest(
            self.item.uuid, values, correction_reason=self.correction_reason
        )


class DecisionForm(FormScreen[meetings.DecisionLine]):
    """A motion put to the meeting on an item, with its proposer and seconder."""

    TITLE_TEXT = "Propose a decision"

    def __init__(
        self,
        detail: meetings.MeetingDetail,
        item: meetings.AgendaItemView | None,
        *,
        correction_reason: str | None = None,
    ) -> None:
        super().__init__(f"Propose a decision on item {item.number}" if item else None)
        self.detail = detail
        self.item = item
        self.correction_reason = correction_reason

    def compose_fields(self) -> ComposeResult:
        people = _present_people(self.detail)
        yield FormField("Motion", "title", "", required=True,
                        placeholder="That the consortium ...")  # fmt: skip
        yield ChoiceField("Proposer", "proposer", people, placeholder="Nobody named")
        yield ChoiceField("Seconder", "seconder", people, placeholder="Nobody named")
        yield date_field("Decide by", "due_on", "")
        yield TextAreaField("Details", "details", "")

    def save(self, values: dict[str, Any]) -> meetings.DecisionLine:
        values["agenda_item"] = self.item.uuid if self.item else ""
        return meetings.propose_decision(
            self.detail.uuid, values, correction_reason=self.correction_reason
        )


def vote_field_name(organisation_uuid: str) -> str:
    """The form field of one member's vote."""
    return f"vote_{organisation_uuid.replace('-', '_')}"


class VotesForm(FormScreen[meetings.DecisionLine]):
    """Each voting member present: for, against or abstained; those who declared an interest
    and withdrew are listed as withdrawn and cast no vote."""

    TITLE_TEXT = "Record the vote"

    def __init__(
        self,
        detail: meetings.MeetingDetail,
        decision: meetings.DecisionLine,
        *,
        correction_reason: str | None = None,
    ) -> None:
        super().__init__(f"Vote: {decision.title}")
        self.detail = detail
        self.decision = decision
        self.correction_reason = correction_reason
        item = next((i for i in detail.agenda if i.uuid == decision.agenda_item_uuid), None)
        declared = item.declarations if item else ()
        self.withdrawn = {d.organisation_uuid for d in declared if d.is_withdrawn}
        self.voters = [m for m in detail.voting_members if m.is_present]
        earlier = {vote.organisation_uuid: vote.choice for vote in decision.votes}
        self.earlier = earlier

    def compose_fields(self) -> ComposeResult:
        choices = meetings.vote_choices()
        if not self.voters:
            yield Static("No voting member is present: record the attendance first.",
                         markup=False)  # fmt: skip
        for member in self.voters:
            if member.organisation_uuid in self.withdrawn:
                yield Static(f"{member.name}: withdrawn (declared an interest)", markup=False)
                continue
            yield ChoiceField(member.name, vote_field_name(member.organisation_uuid), choices,
                              self.earlier.get(member.organisation_uuid, ""),
                              placeholder="Not recorded")  # fmt: skip
        if self.detail.chair_has_casting_vote:
            yield ChoiceField("Chair's casting vote on equal votes", "casting_vote",
                              [c for c in choices if c[1] in ("for", "against")],
                              self.decision.casting_vote, placeholder="None")  # fmt: skip

    def save(self, values: dict[str, Any]) -> meetings.DecisionLine:
        # a member left "Not recorded" cast no vote (left the room, or did not say)
        votes = {
            member.organisation_uuid: chosen
            for member in self.voters
            if (chosen := values.get(vote_field_name(member.organisation_uuid)))
        }
        return meetings.record_votes(
            self.decision.uuid,
            votes,
            casting_vote=values.get("casting_vote") or None,
            correction_reason=self.correction_reason,
        )
