"""Contract models: contracts and their boroughs, stage history, partners, commissioner contacts."""

from __future__ import annotations

from peewee import (
    BigIntegerField,
    CharField,
    CompositeKey,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from desta_tui.db.models.base import BaseModel, RecordModel
from desta_tui.db.models.organisations import Borough, Consortium, Organisation


class Contract(RecordModel):
    record_label = "contract"

    consortium = ForeignKeyField(Consortium, backref="contracts", on_delete="RESTRICT")
    commissioner = ForeignKeyField(
        Organisation, null=True, backref="commissioned_contracts", on_delete="RESTRICT"
    )
    title = CharField()
    reference = CharField(default="")
    stage = CharField(default="dialogue", index=True)
    total_value_pence = BigIntegerField(default=0)
    annual_value_pence = BigIntegerField(default=0)
    starts_on = DateField(null=True)
    ends_on = DateField(null=True)
    #: "month" or "quarter": how targets and returns are counted
    period_kind = CharField(default="month")
    tender_deadline_on = DateField(null=True)
    decision_on = DateField(null=True)
    #: days between commissioner contacts before the contract is flagged (fortnightly by default)
    contact_interval_days = IntegerField(default=14)
    notes = TextField(default="")


class ContractBorough(BaseModel):
    """A borough a contract covers."""

    contract = ForeignKeyField(Contract, backref="borough_links", on_delete="CASCADE")
    borough = ForeignKeyField(Borough, backref="contract_links", on_delete="RESTRICT")

    class Meta:
        primary_key = CompositeKey("contract", "borough")


class ContractStageChange(RecordModel):
    record_label = "stage change"

    contract = ForeignKeyField(Contract, backref="stage_changes", on_delete="RESTRICT")
    from_stage = CharField(null=True)
    to_stage = CharField()
    changed_on = DateField()
    changed_by = CharField(default="")
    reason = TextField(default="")

    def display_name(self) -> str:
        return f"{self.contract.title}: stage {self.to_stage}"


class ContractPartner(RecordModel):
    record_label = "contract partner"

    contract = ForeignKeyField(Contract, backref="partners", on_delete="RESTRICT")
    organisation = ForeignKeyField(Organisation, backref="partnerships", on_delete="RESTRICT")
    #: "lead", "delivery" or "support"
    role = CharField(default="delivery")
    allocated_value_pence = BigIntegerField(default=0)
    #: the partner's own term within the contract's; blank follows the contract's dates
    starts_on = DateField(null=True)
    ends_on = DateField(null=True)
    #: why the compliance gate was passed over, when it was
    compliance_override_reason = TextField(default="")
    notes = TextField(default="")

    class Meta:
        indexes = ((("contract", "organisation"), True),)

    def display_name(self) -> str:
        return f"{self.organisation.name} on {self.contract.title}"


class ContractPartnerBorough(BaseModel):
    """A borough a partner delivers in for one contract."""

    partner = ForeignKeyField(ContractPartner, backref="borough_links", on_delete="CASCADE")
    borough = ForeignKeyField(Borough, backref="partner_links", on_delete="RESTRICT")

    class Meta:
        primary_key = CompositeKey("partner", "borough")


class CommissionerContact(RecordModel):
    record_label = "commissioner contact"

    contract = ForeignKeyField(Contract, backref="commissioner_contacts", on_delete="RESTRICT")
    contacted_on = DateField(index=True)
    kind = CharField(default="meeting")
    with_whom = CharField(default="")
    notes = TextField(default="")
    logged_by = CharField(default="")

    def display_name(self) -> str:
        return f"{self.contract.title}: contact on {self.contacted_on}"
