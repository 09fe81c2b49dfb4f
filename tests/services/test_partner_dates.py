"""A partner's own start and end on a contract: typed as UK dates, kept within the contract's term,
audited, and shown wherever partners are listed."""

from __future__ import annotations

from datetime import date

import pytest

from desta_tui.db.models import Contract, Organisation
from desta_tui.domain.errors import FormError
from desta_tui.services import contracts, members
from desta_tui.services.audit import record_history

PADDINGTON = "Paddington Befriending Scheme"
WESTWAY = "Westway Wellbeing Project"


@pytest.fixture
def eps(demo_db) -> contracts.ContractDetail:
    return contracts.get_contract(Contract.get(Contract.title == "Expert Patient Service").uuid)


def values(**overrides) -> dict[str, str]:
    organisation = Organisation.get(Organisation.name == PADDINGTON).uuid
    return {"organisation": organisation, "role": "delivery", "allocated_value": "£10,000",
            "boroughs": "Westminster", "notes": "", **overrides}  # fmt: skip


def test_partner_dates_are_saved_audited_and_listed(eps):
    row = contracts.add_partner(eps.uuid, values(starts_on="1/12/12", ends_on="31/03/2013"))
    assert (row.starts_on, row.ends_on) == (date(2012, 12, 1), date(2013, 3, 31))
    assert (row.term_starts_on, row.term_ends_on) == (date(2012, 12, 1), date(2013, 3, 31))
    assert row.term_text == "12/2012–03/2013"
    history = {entry.field: entry.new_value for entry in record_history(row.uuid)}
    assert history["starts_on"] == "01/12/2012" and history["ends_on"] == "31/03/2013"
    listed = next(p for p in contracts.list_partners(eps.uuid) if p.uuid == row.uuid)
    assert listed == row
    # the others follow the contract's dates
    westway = next(p for p in contracts.list_partners(eps.uuid) if p.organisation_name == WESTWAY)
    assert westway.starts_on is None and westway.term_text == ""
    assert (westway.term_starts_on, westway.term_ends_on) == (eps.starts_on, eps.ends_on)
    # the member's page and the reports see the partner's own term
    org = Organisation.get(Organisation.name == PADDINGTON).uuid
    (partnership,) = members.list_partnerships(org)
    assert (partnership.starts_on, partnership.ends_on) == (date(2012, 12, 1), date(2013, 3, 31))
    assert row.term_words == "01/12/2012 to 31/03/2013"  # as the reports print it
    assert westway.term_words == "the contract's"
    late = contracts.update_partner(row.uuid, {**values(), "ends_on": ""})
    assert late.term_text == "from 01/12/2012" and late.term_words == "01/12/2012 to 30/09/2013"


def test_partner_dates_lie_within_the_contracts_term(eps):
    with pytest.raises(FormError) as caught:
        contracts.add_partner(eps.uuid, values(starts_on="30/09/2011"))
    assert (
        "before the contract starts (01/10/2011 to 30/09/2013)" in caught.value.errors["starts_on"]
    )
    with pytest.raises(FormError) as caught:
        contracts.add_partner(eps.uuid, values(ends_on="01/10/2013"))
    assert "after the contract ends" in caught.value.errors["ends_on"]
    with pytest.raises(FormError) as caught:
        contracts.add_partner(eps.uuid, values(starts_on="01/12/2012", ends_on="30/11/2012"))
    assert "comes before its start" in caught.value.errors["ends_on"]
    with pytest.raises(FormError) as caught:
        contracts.add_partner(eps.uuid, values(starts_on="31/02/2013", allocated_value="lots"))
    assert set(caught.value.errors) == {"starts_on", "allocated_value"}
    assert not any(p.organisation_name == PADDINGTON for p in contracts.list_partners(eps.uuid))


def test_saving_without_the_date_fields_keeps_the_partners_dates(eps):
    row = contracts.add_partner(eps.uuid, values(starts_on="01/12/2012"))
    kept = contracts.update_partner(row.uuid, {"role": "delivery", "allocated_value": "£10,000",
                                               "boroughs": "Westminster"})  # fmt: skip
    assert kept.starts_on == date(2012, 12, 1) and kept.ends_on is None
    cleared = contracts.update_partner(
        row.uuid, {"role": "delivery", "allocated_value": "£10,000", "boroughs": "Westminster",
                   "starts_on": "", "ends_on": ""},
    )  # fmt: skip
    assert cleared.starts_on is None and cleared.term_starts_on == eps.starts_on


def test_the_contracts_term_cannot_move_off_a_partners_dates(eps):
    contracts.add_partner(eps.uuid, values(starts_on="01/12/2012", ends_on="31/03/2013"))
    base = {
        "title": eps.title, "reference": eps.reference, "commissioner": eps.commissioner_uuid,
        "consortium": eps.consortium_uuid, "stage": eps.stage, "total_value": "£670,000",
        "annual_value": "£337,600", "starts_on": "01/10/2011", "ends_on": "30/09/2013",
        "period_kind": eps.period_kind, "boroughs": ", ".join(eps.boroughs),
        "contact_interval_days": str(eps.contact_interval_days), "notes": eps.notes,
    }  # fmt: skip
    with pytest.raises(FormError) as caught:
        contracts.update_contract(eps.uuid, {**base, "starts_on": "01/01/2013"})
    assert PADDINGTON in caught.value.errors["starts_on"]
    with pytest.raises(FormError) as caught:
        contracts.update_contract(eps.uuid, {**base, "ends_on": "28/02/2013"})
    assert PADDINGTON in caught.value.errors["ends_on"]
    # a term that still holds the partner's dates is fine
    moved = contracts.update_contract(eps.uuid, {**base, "ends_on": "31/03/2013"})
    assert moved.ends_on == date(2013, 3, 31)
