"""Meeting models: meetings, attendance, agenda, declarations, interests, decisions, votes, actions,
risks."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from desta_tui.db.models.base import RecordModel
from desta_tui.db.models.organisations import Consortium, Contact, Organisation
from desta_tui.domain.meeting_bodies import meeting_title


class Meeting(RecordModel):
    """A meeting of a consortium's SMG, board or AGM; its minutes lock once approved."""

    record_label = "meeting"

    consortium = ForeignKeyField(Consortium, backref="meetings", on_delete="RESTRICT")
    #: "smg", "board" or "agm"
    body = CharField()
    meeting_on = DateField()
    #: "10:00", as typed
    start_time = CharField(default="")
    place = CharField(default="")
    #: the month the meeting reports on ("2012-10" for November's SMG): what a pack is found by
    period = CharField(max_length=7, default="")
    status = CharField(default="planned")
    papers_sent_on = DateField(null=True)
    minutes = TextField(default="")
    minutes_drafted_on = DateField(null=True)
    minutes_approved_on = DateField(null=True)
    #: the next meeting of the same body, at which these minutes were approved
    minutes_approval_meeting = ForeignKeyField(
        "self", null=True, backref="approved_minutes", on_delete="RESTRICT"
    )
    notes = TextField(default="")

    class Meta:
        indexes = ((("consortium", "body", "meeting_on"), False),)

    def display_name(self) -> str:
        return meeting_title(self.body, self.meeting_on)


class MeetingAttendance(RecordModel):
    """One person at (or sending apologies to) a meeting: a member's contact, or an observer."""

    record_label = "attendance"

    meeting = ForeignKeyField(Meeting, backref="attendance", on_delete="RESTRICT")
    contact = ForeignKeyField(Contact, null=True, backref="attendance", on_delete="RESTRICT")
    #: the member organisation the person speaks (and votes) for; the contact's own
    organisation = ForeignKeyField(
        Organisation, null=True, backref="attendance", on_delete="RESTRICT"
    )
    #: an observer who is not a contact: the name as typed
    name = CharField(default="")
    #: "present", "apologies", "absent" or "observer"
    kind = CharField(default="present")
    role = CharField(default="member")

    class Meta:
        indexes = ((("meeting", "contact"), True),)

    def display_name(self) -> str:
        return self.name or (self.contact.full_name if self.contact_id else "someone")


class AgendaItem(RecordModel):
    record_label = "agenda item"

    meeting = ForeignKeyField(Meeting, backref="agenda_items", on_delete="RESTRICT")
    position = IntegerField(default=0)
    #: a standing item's kind ("apologies", "minutes", ...) or "item"
    kind = CharField(default="item")
    title = CharField()
    description = TextField(default="")
    presenter = CharField(default="")
    #: the record the item is about: its table ("contract", "organisation", "support_ticket")
    link_table = CharField(default="")
    link_uuid = CharField(max_length=36, default="")
    #: the item of an earlier meeting this one carries forward
    carried_from = ForeignKeyField("self", null=True, backref="carried_to", on_delete="RESTRICT")
    #: not dealt with: to be carried to the next meeting of the same body
    is_deferred = BooleanField(default=False)
    #: what the minutes say of the item
    minutes = TextField(default="")

    class Meta:
        indexes = ((("meeting", "position"), False),)


class Declaration(RecordModel):
    """A declaration of interest in one agenda item; the member usually withdraws from it."""

    record_label = "declaration of interest"

    agenda_item = ForeignKeyField(AgendaItem, backref="declarations", on_delete="RESTRICT")
    organisation = ForeignKeyField(
        Organisation, null=True, backref="declarations", on_delete="RESTRICT"
    )
    contact = ForeignKeyField(Contact, null=True, backref="declarations", on_delete="RESTRICT")
    description = TextField(default="")
    #: the member leaves the discussion and the vote on the item (and its quorum)
    is_withdrawn = BooleanField(default=True)

    def display_name(self) -> str:
        who = self.organisation.name if self.organisation_id else "a member"
        return f"{who}: interest in {self.agenda_item.title}"


class RegisteredInterest(RecordModel):
    """An entry of a consortium's standing register of interests."""

    record_label = "registered interest"

    consortium = ForeignKeyField(Consortium, backref="registered_interests", on_delete="RESTRICT")
    organisation = ForeignKeyField(
        Organisation, null=True, backref="registered_interests", on_delete="RESTRICT"
    )
    contact = ForeignKeyField(
        Contact, null=True, backref="registered_interests", on_delete="RESTRICT"
    )
    description = TextField()
    starts_on = DateField()
    ends_on = DateField(null=True)

    def display_name(self) -> str:
        who = self.contact.full_name if self.contact_id else ""
        if not who and self.organisation_id:
            who = self.organisation.name
        return f"{who}: {self.description}"[:120]


class Decision(RecordModel):
    """A motion put to a meeting, and (once voted) its outcome and whether it was quorate."""

    record_label = "decision"

    meeting = ForeignKeyField(Meeting, backref="decisions", on_delete="RESTRICT")
    agenda_item = ForeignKeyField(AgendaItem, null=True, backref="decisions", on_delete="RESTRICT")
    title = CharField()
    details = TextField(default="")
    proposer = ForeignKeyField(Contact, null=True, backref="+", on_delete="RESTRICT")
    seconder = ForeignKeyField(Contact, null=True, backref="+", on_delete="RESTRICT")
    #: "pending" until voted, then "carried", "not_carried" or "tied"
    outcome = CharField(default="pending", index=True)
    #: "for" or "against" when the chair's casting vote settled equal votes
    casting_vote = CharField(default="")
    #: the quorum at the time of the vote (members withdrawn from the item left out)
    is_quorate = BooleanField(null=True)
    voting_member_count = IntegerField(default=0)
    present_count = IntegerField(default=0)
    quorum_needed = IntegerField(default=0)
    due_on = DateField(null=True)
    decided_on = DateField(null=True)


class Vote(RecordModel):
    """One member organisation's vote on a decision: each member has an equal vote."""

    record_label = "vote"

    decision = ForeignKeyField(Decision, backref="votes", on_delete="RESTRICT")
    organisation = ForeignKeyField(Organisation, backref="votes", on_delete="RESTRICT")
    #: who cast it for the member
    contact = ForeignKeyField(Contact, null=True, backref="+", on_delete="RESTRICT")
    choice = CharField()

    class Meta:
        indexes = ((("decision", "organisation"), True),)

    def display_name(self) -> str:
        return f"{self.organisation.name} on {self.decision.title}"


class MeetingAction(RecordModel):
    """An action raised at a meeting: it comes to the next meeting of the body until done."""

    record_label = "meeting action"

    meeting = ForeignKeyField(Meeting, backref="actions", on_delete="RESTRICT")
    agenda_item = ForeignKeyField(AgendaItem, null=True, backref="actions", on_delete="RESTRICT")
    description = TextField()
    owner = CharField(default="")
    due_on = DateField(null=True)
    is_done = BooleanField(default=False)
    done_on = DateField(null=True)
    #: the latest word on it, reported as a matter arising
    progress = TextField(default="")

    def display_name(self) -> str:
        return self.description[:120]


class Risk(RecordModel):
    """An entry of a consortium's risk register: likelihood 1-5 x impact 1-5."""

    record_label = "risk"

    consortium = ForeignKeyField(Consortium, backref="risks", on_delete="RESTRICT")
    title = CharField()
    description = TextField(default="")
    likelihood = IntegerField()
    impact = IntegerField()
    owner = CharField(default="")
    mitigation = TextField(default="")
    review_on = DateField(null=True)
    status = CharField(default="open")

    class Meta:
        indexes = ((("consortium", "status"), False),)
