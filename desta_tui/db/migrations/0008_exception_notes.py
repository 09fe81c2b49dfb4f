"""Migration 0008: exception notes: the cause, action, owner and recovery date typed on a red or
amber figure that no support ticket covers (frozen: never import the models)."""

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, Model, TextField


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
    class Contract(Base):
        pass

    class ContractPartner(Base):
        pass

    class Metric(Base):
        pass

    class ExceptionNote(Record):
        contract = ForeignKeyField(Contract, backref="exception_notes", on_delete="RESTRICT")
        partner = ForeignKeyField(ContractPartner, backref="exception_notes", on_delete="RESTRICT")
        metric = ForeignKeyField(Metric, backref="exception_notes", on_delete="RESTRICT")
        period = CharField(max_length=7)
        cause = TextField()
        action = TextField()
        owner = CharField()
        recovery_on = DateField(null=True)

        class Meta:
            indexes = (
                (("partner", "metric", "period"), True),
                (("contract", "period"), False),
            )

    with database.bind_ctx(
        [ExceptionNote, Contract, ContractPartner, Metric], bind_refs=False, bind_backrefs=False
    ):
        database.create_tables([ExceptionNote], safe=False)
