"""Membership models: consortia, boroughs, wards, organisations, memberships, contacts, papers."""

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


class Consortium(RecordModel):
    record_label = "consortium"

    name = CharField(unique=True)
    short_name = CharField(default="")
    focus = CharField(default="")
    incorporated_on = DateField(null=True)
    charity_number = CharField(default="")
    notes = TextField(default="")


class Borough(RecordModel):
    record_label = "borough"

    name = CharField(unique=True)


class Ward(RecordModel):
    record_label = "ward"

    borough = ForeignKeyField(Borough, backref="wards", on_delete="RESTRICT")
    name = CharField()
    #: 1 is the most deprived tenth of the country, 10 the least; unknown is null
    deprivation_decile = IntegerField(null=True)

    class Meta:
        indexes = ((("borough", "name"), True),)


class Organisation(RecordModel):
    record_label = "organisation"

    name = CharField()
    #: the name folded for uniqueness: case, spaces, punctuation and "&"/"and" ignored
    name_key = CharField(unique=True)
    kind = CharField(default="charity")
    is_member = BooleanField(default=True)
    is_commissioner = BooleanField(default=False)
    charity_number = CharField(default="")
    company_number = CharField(default="")
    address = TextField(default="")
    postcode = CharField(default="")
    borough = ForeignKeyField(Borough, null=True, backref="organisations", on_delete="RESTRICT")
    email = CharField(default="")
    phone = CharField(default="")
    website = CharField(default="")
    notes = TextField(default="")
    #: name, boroughs and contact names folded together, kept by the services for fast filtering
    search_text = TextField(default="")


# The members filter reads live names in order with their search text, never leaving the index
# (migration 0009; on PostgreSQL the index holds the name alone).
Organisation.add_index(
    Organisation.index(
        Organisation.archived_at,
        Organisation.name_key,
        Organisation.search_text,
        name="organisation_live_name_search",
    )
)


class OrganisationBorough(BaseModel):
    """A borough an organisation works in."""

    organisation = ForeignKeyField(Organisation, backref="borough_links", on_delete="CASCADE")
    borough = ForeignKeyField(Borough, backref="organisation_links", on_delete="RESTRICT")

    class Meta:
        primary_key = CompositeKey("organisation", "borough")


class Membership(RecordModel):
    record_label = "membership"

    organisation = ForeignKeyField(Organisation, backref="memberships", on_delete="RESTRICT")
    consortium = ForeignKeyField(Consortium, backref="memberships", on_delete="RESTRICT")
    status = CharField(default="active", index=True)
    joined_on = DateField(null=True)
    left_on = DateField(null=True)
    has_board_seat = BooleanField(default=False)
    is_smg_member = BooleanField(default=False)
    has_vote = BooleanField(default=True)
    notes = TextField(default="")

    class Meta:
        indexes = ((("organisation", "consortium"), True),)


# The live memberships by organisation: counts of members and member organisations, and "is it
# a member", from the index alone (migration 0009).
Membership.add_index(
    Membership.index(
        Membership.archived_at,
        Membership.organisation,
        Membership.status,
        Membership.consortium,
        name="membership_live",
    )
)

# The live members with a seat on the SMG, or on the board, of one consortium: a meeting pack's
# attendance sheet seeks to them, not through every membership of the consortium (migration 0010).
Membership.add_index(
    Membership.index(
        Membership.consortium,
        Membership.is_smg_member,
        name="membership_smg_seat",
        where=Membership.archived_at.is_null(),
    )
)
Membership.add_index(
    Membership.index(
        Membership.consortium,
        Membership.has_board_seat,
        name="membership_board_seat",
        where=Membership.archived_at.is_null(),
    )
)


class Contact(RecordModel):
    record_label = "contact"

    organisation = ForeignKeyField(Organisation, backref="contacts", on_delete="RESTRICT")
    full_name = CharField()
    role = CharField(default="")
    email = CharField(default="")
    phone = CharField(default="")
    is_primary = BooleanField(default=False)
    notes = TextField(default="")
    #: set when the person asked to be forgotten: the row stays, the personal data is gone
    erased_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("organisation", "archived_at"), False),)


class ComplianceItem(RecordModel):
    record_label = "compliance item"

    organisation = ForeignKeyField(Organisation, backref="compliance_items", on_delete="RESTRICT")
    kind = CharField()
    reference = CharField(default="")
    checked_on = DateField(null=True)
    expires_on = DateField(null=True, index=True)
    notes = TextField(default="")

    class Meta:
        indexes = (
            (("organisation", "kind"), False),
            # live papers by expiry (migration 0003)
            (("archived_at", "expires_on"), False),
        )


# An organisation's live papers, by kind and expiry (migration 0009): a page of organisations'
# papers is read by organisation, not from the papers-by-expiry index.
ComplianceItem.add_index(
    ComplianceItem.index(
        ComplianceItem.organisation,
        ComplianceItem.archived_at,
        ComplianceItem.kind,
        ComplianceItem.expires_on,
        name="compliance_item_organisation_live",
    )
)
