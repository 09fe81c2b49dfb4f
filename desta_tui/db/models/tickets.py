"""Support ticket models: tickets, linked metrics, the append-only log, improvement actions."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from desta_tui.db.models.base import BaseModel, RecordModel
from desta_tui.db.models.contracts import Contract
from desta_tui.db.models.organisations import Organisation
from desta_tui.db.models.performance import Metric


class SupportTicket(RecordModel):
    record_label = "support ticket"

    reference = CharField(unique=True)
    contract = ForeignKeyField(Contract, null=True, backref="tickets", on_delete="RESTRICT")
    provider = ForeignKeyField(Organisation, backref="tickets", on_delete="RESTRICT")
    support_provider = ForeignKeyField(
        Organisation, null=True, backref="support_tickets", on_delete="RESTRICT"
    )
    subject = CharField()
    category = CharField(default="other")
    priority = CharField(default="normal")
    owner = CharField(default="")
    due_on = DateField(null=True, index=True)
    #: the support ladder: "support" -> "improvement_plan" -> "remedial_action"
    stage = CharField(default="support", index=True)
    status = CharField(default="open", index=True)
    opened_on = DateField()
    closed_on = DateField(null=True)
    outcome = TextField(default="")
    description = TextField(default="")


# The live tickets by status and due date: the open and the overdue ones of a long history read
# by status (migration 0009).
SupportTicket.add_index(
    SupportTicket.index(
        SupportTicket.archived_at,
        SupportTicket.status,
        SupportTicket.due_on,
        name="support_ticket_live",
    )
)


class TicketMetric(BaseModel):
    """A metric whose figures a ticket is about."""

    ticket = ForeignKeyField(SupportTicket, backref="metric_links", on_delete="CASCADE")
    metric = ForeignKeyField(Metric, backref="ticket_links", on_delete="RESTRICT")

    class Meta:
        primary_key = CompositeKey("ticket", "metric")


class TicketEvent(RecordModel):
    """One entry of a ticket's activity log: only ever added, never edited or deleted."""

    record_label = "ticket event"

    ticket = ForeignKeyField(SupportTicket, backref="events", on_delete="RESTRICT")
    occurred_at = DateTimeField(index=True)
    who = CharField(default="")
    kind = CharField(default="note")
    text = TextField(default="")
    minutes = IntegerField(default=0)


class TicketAction(RecordModel):
    record_label = "improvement action"

    ticket = ForeignKeyField(SupportTicket, backref="actions", on_delete="RESTRICT")
    description = TextField()
    owner = CharField(default="")
    due_on = DateField(null=True)
    is_done = BooleanField(default=False)
    done_on = DateField(null=True)
