"""Migration 0001: the first schema, frozen here as it was (never import the app's models)."""

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    CompositeKey,
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

    class Consortium(Record):
        name = CharField(unique=True)
        short_name = CharField()
        focus = CharField()
        incorporated_on = DateField(null=True)
        charity_number = CharField()
        notes = TextField()

    class Borough(Record):
        name = CharField(unique=True)

    class Ward(Record):
        borough = ForeignKeyField(Borough, backref="wards", on_delete="RESTRICT")
        name = CharField()
        deprivation_decile = IntegerField(null=True)

        class Meta:
            indexes = ((("borough", "name"), True),)

    class Organisation(Record):
        name = CharField()
        name_key = CharField(unique=True)
        kind = CharField()
        is_member = BooleanField()
        is_commissioner = BooleanField()
        charity_number = CharField()
        company_number = CharField()
        address = TextField()
        postcode = CharField()
        borough = ForeignKeyField(Borough, null=True, backref="organisations", on_delete="RESTRICT")
        email = CharField()
        phone = CharField()
        website = CharField()
        notes = TextField()
        search_text = TextField()

    class OrganisationBorough(Base):
        organisation = ForeignKeyField(Organisation, backref="borough_links", on_delete="CASCADE")
        borough = ForeignKeyField(Borough, backref="organisation_links", on_delete="RESTRICT")

        class Meta:
            primary_key = CompositeKey("organisation", "borough")

    class Membership(Record):
        organisation = ForeignKeyField(Organisation, backref="memberships", on_delete="RESTRICT")
        consortium = ForeignKeyField(Consortium, backref="memberships", on_delete="RESTRICT")
        status = CharField(index=True)
        joined_on = DateField(null=True)
        left_on = DateField(null=True)
        has_board_seat = BooleanField()
        is_smg_member = BooleanField()
        has_vote = BooleanField()
        notes = TextField()

        class Meta:
            indexes = ((("organisation", "consortium"), True),)

    class Contact(Record):
        organisation = ForeignKeyField(Organisation, backref="contacts", on_delete="RESTRICT")
        full_name = CharField()
        role = CharField()
        email = CharField()
        phone = CharField()
        is_primary = BooleanField()
        notes = TextField()
        erased_at = DateTimeField(null=True)

    class ComplianceItem(Record):
        organisation = ForeignKeyField(
            Organisation, backref="compliance_items", on_delete="RESTRICT"
        )
        kind = CharField()
        reference = CharField()
        checked_on = DateField(null=True)
        expires_on = DateField(null=True, index=True)
        notes = TextField()

    class Contract(Record):
        consortium = ForeignKeyField(Consortium, backref="contracts", on_delete="RESTRICT")
        commissioner = ForeignKeyField(
            Organisation, null=True, backref="commissioned_contracts", on_delete="RESTRICT"
        )
        title = CharField()
        reference = CharField()
        stage = CharField(index=True)
        total_value_pence = BigIntegerField()
        annual_value_pence = BigIntegerField()
        starts_on = DateField(null=True)
        ends_on = DateField(null=True)
        period_kind = CharField()
        tender_deadline_on = DateField(null=True)
        decision_on = DateField(null=True)
        contact_interval_days = IntegerField()
        notes = TextField()

    class ContractBorough(Base):
        contract = ForeignKeyField(Contract, backref="borough_links", on_delete="CASCADE")
        borough = ForeignKeyField(Borough, backref="contract_links", on_delete="RESTRICT")

        class Meta:
            primary_key = CompositeKey("contract", "borough")

    class ContractStageChange(Record):
        contract = ForeignKeyField(Contract, backref="stage_changes", on_delete="RESTRICT")
        from_stage = CharField(null=True)
        to_stage = CharField()
        changed_on = DateField()
        changed_by = CharField()
        reason = TextField()

    class ContractPartner(Record):
        contract = ForeignKeyField(Contract, backref="partners", on_delete="RESTRICT")
        organisation = ForeignKeyField(Organisation, backref="partnerships", on_delete="RESTRICT")
        role = CharField()
        allocated_value_pence = BigIntegerField()
        compliance_override_reason = TextField()
        notes = TextField()

        class Meta:
            indexes = ((("contract", "organisation"), True),)

    class ContractPartnerBorough(Base):
        partner = ForeignKeyField(ContractPartner, backref="borough_links", on_delete="CASCADE")
        borough = ForeignKeyField(Borough, backref="partner_links", on_delete="RESTRICT")

        class Meta:
            primary_key = CompositeKey("partner", "borough")

    class CommissionerContact(Record):
        contract = ForeignKeyField(Contract, backref="commissioner_contacts", on_delete="RESTRICT")
        contacted_on = DateField(index=True)
        kind = CharField()
        with_whom = CharField()
        notes = TextField()
        logged_by = CharField()

    class Metric(Record):
        code = CharField(unique=True)
        name = CharField()
        unit = CharField()
        aggregation = CharField()
        numerator = ForeignKeyField("self", null=True, backref="+", on_delete="RESTRICT")
        denominator = ForeignKeyField("self", null=True, backref="+", on_delete="RESTRICT")
        sort_order = IntegerField()
        description = TextField()

    class Target(Record):
        contract = ForeignKeyField(Contract, backref="targets", on_delete="RESTRICT")
        partner = ForeignKeyField(ContractPartner, backref="targets", on_delete="RESTRICT")
        metric = ForeignKeyField(Metric, backref="targets", on_delete="RESTRICT")
        period = CharField(max_length=7)
        value = BigIntegerField()

        class Meta:
            indexes = (
                (("partner", "metric", "period"), True),
                (("contract", "period"), False),
            )

    class MonthlyReturn(Record):
        contract = ForeignKeyField(Contract, backref="returns", on_delete="RESTRICT")
        partner = ForeignKeyField(ContractPartner, backref="returns", on_delete="RESTRICT")
        metric = ForeignKeyField(Metric, backref="returns", on_delete="RESTRICT")
        period = CharField(max_length=7)
        value = BigIntegerField()
        entered_by = CharField()
        entered_at = DateTimeField(null=True)
        correction_note = TextField()

        class Meta:
            indexes = (
                (("partner", "metric", "period"), True),
                (("contract", "period"), False),
            )

    class PeriodLock(Record):
        contract = ForeignKeyField(Contract, backref="period_locks", on_delete="RESTRICT")
        period = CharField(max_length=7)
        locked_at = DateTimeField()
        locked_by = CharField()

        class Meta:
            indexes = ((("contract", "period"), True),)

    class SupportTicket(Record):
        reference = CharField(unique=True)
        contract = ForeignKeyField(Contract, null=True, backref="tickets", on_delete="RESTRICT")
        provider = ForeignKeyField(Organisation, backref="tickets", on_delete="RESTRICT")
        support_provider = ForeignKeyField(
            Organisation, null=True, backref="support_tickets", on_delete="RESTRICT"
        )
        subject = CharField()
        category = CharField()
        priority = CharField()
        owner = CharField()
        due_on = DateField(null=True, index=True)
        stage = CharField(index=True)
        status = CharField(index=True)
        opened_on = DateField()
        closed_on = DateField(null=True)
        outcome = TextField()
        description = TextField()

    class TicketMetric(Base):
        ticket = ForeignKeyField(SupportTicket, backref="metric_links", on_delete="CASCADE")
        metric = ForeignKeyField(Metric, backref="ticket_links", on_delete="RESTRICT")

        class Meta:
            primary_key = CompositeKey("ticket", "metric")

    class TicketEvent(Record):
        ticket = ForeignKeyField(SupportTicket, backref="events", on_delete="RESTRICT")
        occurred_at = DateTimeField(index=True)
        who = CharField()
        kind = CharField()
        text = TextField()
        minutes = IntegerField()

    class TicketAction(Record):
        ticket = ForeignKeyField(SupportTicket, backref="actions", on_delete="RESTRICT")
        description = TextField()
        owner = CharField()
        due_on = DateField(null=True)
        is_done = BooleanField()
        done_on = DateField(null=True)

    class AuditLog(Base):
        at = DateTimeField(index=True)
        who = CharField(index=True)
        table_name = CharField(index=True)
        record_uuid = CharField(index=True)
        record_label = CharField()
        action = CharField()
        field = CharField()
        old_value = TextField(null=True)
        new_value = TextField(null=True)

    class Setting(Base):
        key = CharField(unique=True)
        value = TextField()
        updated_at = DateTimeField(null=True)

    tables = [
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
        PeriodLock,
        SupportTicket,
        TicketMetric,
        TicketEvent,
        TicketAction,
        AuditLog,
        Setting,
    ]
    with database.bind_ctx(tables, bind_refs=False, bind_backrefs=False):
        database.create_tables(tables, safe=False)
