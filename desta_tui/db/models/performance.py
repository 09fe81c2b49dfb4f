"""Performance models: metrics, targets, returns and their totals, period locks, exception notes."""

from __future__ import annotations

from peewee import (
    BigIntegerField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from desta_tui.db.models.base import BaseModel, RecordModel
from desta_tui.db.models.contracts import Contract, ContractPartner


class Metric(RecordModel):
    record_label = "metric"

    code = CharField(unique=True)
    name = CharField()
    #: "count" or "rate"
    unit = CharField(default="count")
    #: "sum", "latest" or "ratio" (numerator / denominator, from aggregate counts only)
    aggregation = CharField(default="sum")
    numerator = ForeignKeyField("self", null=True, backref="+", on_delete="RESTRICT")
    denominator = ForeignKeyField("self", null=True, backref="+", on_delete="RESTRICT")
    sort_order = IntegerField(default=0)
    description = TextField(default="")


class Target(RecordModel):
    record_label = "target"

    contract = ForeignKeyField(Contract, backref="targets", on_delete="RESTRICT")
    partner = ForeignKeyField(ContractPartner, backref="targets", on_delete="RESTRICT")
    metric = ForeignKeyField(Metric, backref="targets", on_delete="RESTRICT")
    #: "YYYY-MM" (the first month of the quarter for quarterly contracts)
    period = CharField(max_length=7)
    value = BigIntegerField(default=0)

    class Meta:
        indexes = (
            (("partner", "metric", "period"), True),
            (("contract", "period"), False),
            # migration 0003: a return's target read from the index alone; a contract's metrics
            (("partner", "metric", "period", "archived_at", "value"), False),
            (("contract", "archived_at", "metric"), False),
        )


class MonthlyReturn(RecordModel):
    record_label = "return"

    # no index of their own: the indexes below lead with them (migration 0003 dropped them)
    contract = ForeignKeyField(Contract, backref="returns", on_delete="RESTRICT", index=False)
    partner = ForeignKeyField(ContractPartner, backref="returns", on_delete="RESTRICT", index=False)
    metric = ForeignKeyField(Metric, backref="returns", on_delete="RESTRICT")
    period = CharField(max_length=7)
    value = BigIntegerField(default=0)
    entered_by = CharField(default="")
    entered_at = DateTimeField(null=True)
    correction_note = TextField(default="")

    class Meta:
        indexes = (
            (("partner", "metric", "period"), True),
            (("contract", "period"), False),
        )


# A contract's live returns by month with their values: a month's returns, the sparklines and
# the latest month read the index alone (migration 0003; named, as the column list is longer
# than an index name may be).
MonthlyReturn.add_index(
    MonthlyReturn.index(
        MonthlyReturn.contract,
        MonthlyReturn.archived_at,
        MonthlyReturn.period,
        MonthlyReturn.metric,
        MonthlyReturn.partner,
        MonthlyReturn.value,
        name="monthly_return_contract_months",
    )
)
# ... and by metric and partner, so the sums per partner and metric need no sorting.
MonthlyReturn.add_index(
    MonthlyReturn.index(
        MonthlyReturn.contract,
        MonthlyReturn.archived_at,
        MonthlyReturn.metric,
        MonthlyReturn.partner,
        MonthlyReturn.period,
        MonthlyReturn.value,
        name="monthly_return_contract_figures",
    )
)


class PeriodLock(RecordModel):
    record_label = "period lock"

    contract = ForeignKeyField(Contract, backref="period_locks", on_delete="RESTRICT")
    period = CharField(max_length=7)
    locked_at = DateTimeField()
    locked_by = CharField(default="")

    class Meta:
        indexes = ((("contract", "period"), True),)


class ExceptionNote(RecordModel):
    """Why a red or amber figure is behind and what is being done, typed on the exception when
    no support ticket says so (migration 0008): one per partner, metric and month."""

    record_label = "exception note"

    contract = ForeignKeyField(Contract, backref="exception_notes", on_delete="RESTRICT")
    partner = ForeignKeyField(ContractPartner, backref="exception_notes", on_delete="RESTRICT")
    metric = ForeignKeyField(Metric, backref="exception_notes", on_delete="RESTRICT")
    #: "YYYY-MM": the month whose figure the note is about; it stands for later months too
    period = CharField(max_length=7)
    cause = TextField(default="")
    action = TextField(default="")
    owner = CharField(default="")
    recovery_on = DateField(null=True)

    class Meta:
        indexes = (
            (("partner", "metric", "period"), True),
            (("contract", "period"), False),
        )


class ReturnTotal(BaseModel):
    """A partner's live returns of one metric summed, kept by the database's triggers (migration
    0009) whoever writes a return or a target: read it, never write it."""

    contract_id = IntegerField()
    partner_id = IntegerField()
    metric_id = IntegerField()
    value_sum = BigIntegerField()
    #: the live targets of the months returned
    target_sum = BigIntegerField()
    months = IntegerField()
    last_period = CharField(max_length=7, null=True)

    class Meta:
        primary_key = CompositeKey("contract_id", "partner_id", "metric_id")
