"""Migration 0005: meetings as records: attendance, agenda, declarations, the register of
interests, decisions and votes, actions, the risk register (frozen: never import the models)."""

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, database):
    class Base(Model):
        class Meta:
            database = None
            legacy_table_names = False

    class Record(Base):
        uuid = CharField(max_length=36, unique=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        archived_at = DateTimeField(null=True, index=True)

    # the tables referred to, as far as a reference needs them (they exist already)
    class Consortium(Base):
        pass

    class Organisation(Base):
        pass

    class Contact(Base):
        pass

    class Meeting(Record):
        consortium = ForeignKeyField(Consortium, backref="meetings", on_delete="RESTRICT")
        body = CharField()
        meeting_on = DateField()
        start_time = CharField()
        place = CharField()
        period = CharField(max_length=7)
        status = CharField()
        papers_sent_on = DateField(null=True)
        minutes = TextField()
        minutes_drafted_on = DateField(null=True)
        minutes_approved_on = DateField(null=True)
        minutes_approval_meeting = ForeignKeyField(
            "self", null=True, backref="approved_minutes", on_delete="RESTRICT"
        )
        notes = TextField()

        class Meta:
            indexes = ((("consortium", "body", "meeting_on"), False),)

    class MeetingAttendance(Record):
        meeting = ForeignKeyField(Meeting, backref="attendance", on_delete="RESTRICT")
        contact = ForeignKeyField(Contact, null=True, backref="attendance", on_delete="RESTRICT")
        organisation = ForeignKeyField(
            Organisation, null=True, backref="attendance", on_delete="RESTRICT"
        )
        name = CharField()
        kind = CharField()
        role = CharField()

        class Meta:
            indexes = ((("meeting", "contact"), True),)

    class AgendaItem(Record):
        meeting = ForeignKeyField(Meeting, backref="agenda_items", on_delete="RESTRICT")
        position = IntegerField()
        kind = CharField()
        title = CharField()
        description = TextField()
        presenter = CharField()
        link_table = CharField()
        link_uuid = CharField(max_length=36)
        carried_from = ForeignKeyField(
            "self", null=True, backref="carried_to", on_delete="RESTRICT"
        )
        is_deferred = BooleanField()
        minutes = TextField()

        class Meta:
            indexes = ((("meeting", "position"), False),)

    class Declaration(Record):
        agenda_item = ForeignKeyField(AgendaItem, backref="declarations", on_delete="RESTRICT")
        organisation = ForeignKeyField(
            Organisation, null=True, backref="declarations", on_delete="RESTRICT"
        )
        contact = ForeignKeyField(Contact, null=True, backref="declarations", on_delete="RESTRICT")
        description = TextField()
        is_withdrawn = BooleanField()

    class RegisteredInterest(Record):
        consortium = ForeignKeyField(
            Consortium, backref="registered_interests", on_delete="RESTRICT"
        )
        organisation = ForeignKeyField(
            Organisation, null=True, backref="registered_interests", on_delete="RESTRICT"
        )
        contact = ForeignKeyField(
            Contact, null=True, backref="registered_interests", on_delete="RESTRICT"
        )
        description = TextField()
        starts_on = DateField()
        ends_on = DateField(null=True)

    class Decision(Record):
        meeting = ForeignKeyField(Meeting, backref="decisions", on_delete="RESTRICT")
        agenda_item = ForeignKeyField(
            AgendaItem, null=True, backref="decisions", on_delete="RESTRICT"
        )
        title = CharField()
        details = TextField()
        proposer = ForeignKeyField(Contact, null=True, backref="+", on_delete="RESTRICT")
        seconder = ForeignKeyField(Contact, null=True, backref="+", on_delete="RESTRICT")
        outcome = CharField(index=True)
        casting_vote = CharField()
        is_quorate = BooleanField(null=True)
        voting_member_count = IntegerField()
        present_count = IntegerField()
        quorum_needed = IntegerField()
        due_on = DateField(null=True)
        decided_on = DateField(null=True)

    class Vote(Record):
        decision = ForeignKeyField(Decision, backref="votes", on_delete="RESTRICT")
        organisation = ForeignKeyField(Organisation, backref="votes", on_delete="RESTRICT")
        contact = ForeignKeyField(Contact, null=True, backref="+", on_delete="RESTRICT")
        choice = CharField()

        class Meta:
            indexes = ((("decision", "organisation"), True),)

    class MeetingAction(Record):
        meeting = ForeignKeyField(Meeting, backref="actions", on_delete="RESTRICT")
        agenda_item = ForeignKeyField(
            AgendaItem, null=True, backref="actions", on_delete="RESTRICT"
        )
        description = TextField()
        owner = CharField()
        due_on = DateField(null=True)
        is_done = BooleanField()
        done_on = DateField(null=True)
        progress = TextField()

    class Risk(Record):
        consortium = ForeignKeyField(Consortium, backref="risks", on_delete="RESTRICT")
        title = CharField()
        description = TextField()
        likelihood = IntegerField()
        impact = IntegerField()
        owner = CharField()
        mitigation = TextField()
        review_on = DateField(null=True)
        status = CharField()

        class Meta:
            indexes = ((("consortium", "status"), False),)

    tables = [
        Meeting,
        MeetingAttendance,
        AgendaItem,
        Declaration,
        RegisteredInterest,
        Decision,
        Vote,
        MeetingAction,
        Risk,
    ]
    with database.bind_ctx(
        tables + [Consortium, Organisation, Contact], bind_refs=False, bind_backrefs=False
    ):
        database.create_tables(tables, safe=False)
