"""The contracts service: list and pipeline, stage history, partners' split, the compliance
gate, the support provider and the commissioner contact log, on the demo data."""

from __future__ import annotations

from datetime import date

import pytest

from desta_tui.domain.errors import DestaError, FormError, ValidationError
from desta_tui.services import contracts
from desta_tui.services.audit import record_history
from desta_tui.services.records import archive_record
from desta_tui.services.settings import set_setting

DEMO_TODAY = date(2012, 11, 5)
PADDINGTON = "Paddington Befriending Scheme"  # a Westminster member with its papers in order


def by_title(title: str, **kwargs) -> contracts.ContractRow:
    return next(row for row in contracts.list_contracts(**kwargs) if row.title == title)


def org_uuid(name: str) -> str:
    from desta_tui.db.models import Organisation

    return Organisation.get(Organisation.name == name).uuid


def choice_uuid(choices: list[contracts.Choice], label: str) -> str:
    return next(choice.uuid for choice in choices if choice.label.startswith(label))


@pytest.fixture
def eps(demo_db) -> contracts.ContractRow:
    return by_title("Expert Patient Service")


def new_contract_values(**overrides) -> dict[str, str]:
    values = {
        "title": "Stroke Recovery Befriending",
        "reference": "EAL-SRB-2013",
        "commissioner": choice_uuid(contracts.commissioner_choices(), "NHS Inner"),
        "consortium": choice_uuid(contracts.consortium_choices(), "Desta"),
        "stage": "dialogue",
        "total_value": "£120,000",
        "annual_value": "60,000",
        "starts_on": "1/4/13",
        "ends_on": "31/03/2015",
        "period_kind": "quarter",
        "tender_deadline_on": "",
        "decision_on": "",
        "boroughs": "ealing, brent",
        "contact_interval_days": "",
        "notes": "First conversation at the stroke forum.",
    }
    values.update(overrides)
    return values


# --- list, pipeline and deadlines ----------------------------------------------------------


def test_list_shows_every_live_contract_with_boroughs_and_next_date(demo_db):
    rows = contracts.list_contracts()
    assert len(rows) == 8
    eps = by_title("Expert Patient Service")
    assert eps.stage == "in_delivery"
    assert eps.total_value_pence == 670_000_00 and eps.annual_value_pence == 337_600_00
    assert eps.boroughs == ("Hammersmith & Fulham", "Kensington & Chelsea", "Westminster")
    assert eps.commissioner_name == "NHS Inner North West London PCTs"
    asc = by_title("Adult Social Care Prevention Services")
    assert asc.next_deadline.what == "Tender deadline"
    assert asc.next_deadline.due_on == date(2012, 11, 30)
    # a lost contract has no dates ahead
    assert by_title("Community Health Champions").next_deadline is None


def test_list_filters_by_words_stage_and_consortium(demo_db):
    titles = {row.title for row in contracts.list_contracts("westminster")}
    assert titles == {
        "Carers' Support Hub",
        "Expert Patient Service",
        "Long-term Conditions Peer Support",
    }
    assert {row.title for row in contracts.list_contracts("nhs peer")} == {
        "Long-term Conditions Peer Support"
    }
    dialogue = contracts.list_contracts(stage="dialogue")
    assert {row.stage for row in dialogue} == {"dialogue"} and len(dialogue) == 3
    valens = choice_uuid(contracts.consortium_choices(), "Valens")
    shown = contracts.list_contracts(consortium_uuid=valens)
    assert {row.consortium_short_name for row in shown} == {"Valens"}


def test_pipeline_counts_and_values_every_stage_and_leaves_archived_out(demo_db):
    lines = {line.stage: line for line in contracts.pipeline()}
    assert list(lines) == ["dialogue", "preparing_tender", "submitted", "awarded",
                           "in_delivery", "ended", "not_won"]  # fmt: skip
    rows = contracts.list_contracts()
    for stage, line in lines.items():
        at_stage = [row for row in rows if row.stage == stage]
        assert line.count == len(at_stage)
        assert line.total_value_pence == sum(row.total_value_pence for row in at_stage)
        assert line.annual_value_pence == sum(row.annual_value_pence for row in at_stage)
    assert lines["dialogue"].count == 3 and lines["dialogue"].total_value_pence == 840_000_00
    archive_record("contract", by_title("White City Work Clubs").uuid)
    after = {line.stage: line for line in contracts.pipeline()}
    assert after["dialogue"].count == 2
    assert after["dialogue"].total_value_pence == 660_000_00
    assert "White City Work Clubs" in {r.title for r in contracts.list_contracts(archived=True)}


def test_deadlines_in_the_next_30_days(demo_db, monkeypatch):
    found = contracts.upcoming_deadlines()
    assert [(d.contract_title, d.what, d.due_on, d.days_left) for d in found] == [
        ("Young Carers' Short Breaks", "Tender deadline", date(2012, 11, 22), 17),
        ("Adult Social Care Prevention Services", "Tender deadline", date(2012, 11, 30), 25),
    ]
    # three weeks on, the first has passed and the Carers' Hub decision comes into view
    monkeypatch.setenv("DESTA_TODAY", "26/11/2012")
    found = contracts.upcoming_deadlines()
    assert [(d.contract_title, d.what) for d in found] == [
        ("Adult Social Care Prevention Services", "Tender deadline"),
        ("Carers' Support Hub", "Decision"),
    ]


# --- creating and editing -----------------------------------------------------------------


def test_create_contract_records_first_stage_boroughs_and_audit(demo_db):
    detail = contracts.create_contract(new_contract_values())
    assert detail.title == "Stroke Recovery Befriending"
    assert detail.total_value_pence == 120_000_00 and detail.annual_value_pence == 60_000_00
    assert detail.starts_on == date(2013, 4, 1) and detail.period_kind == "quarter"
    assert detail.boroughs == ("Brent", "Ealing")
    assert detail.contact_interval_days == 14  # the setting's default
    history = contracts.stage_history(detail.uuid)
    assert [(h.from_stage, h.to_stage, h.changed_on, h.changed_by) for h in history] == [
        (None, "dialogue", DEMO_TODAY, "test.officer")
    ]
    fields = {entry.field for entry in record_history(detail.uuid)}
    assert {"title", "total_value_pence", "boroughs"} <= fields


def test_create_contract_reports_every_bad_field_at_once(demo_db):
    with pytest.raises(FormError) as caught:
        contracts.create_contract(
            new_contract_values(
                title=" ",
                total_value="£12k",
                starts_on="1/4/2013",
                ends_on="31/3/2013",
                decision_on="31/02/2013",
                boroughs="Brent, Narnia",
                contact_interval_days="fortnightly",
                commissioner="",
            )
        )
    errors = caught.value.errors
    assert set(errors) == {
        "title", "total_value", "ends_on", "decision_on", "boroughs", "contact_interval_days",
        "commissioner",
    }  # fmt: skip
    assert "without 'k'" in errors["total_value"]
    assert "Narnia" in errors["boroughs"]
    assert "February 2013 has 28 days" in errors["decision_on"]
    assert len(contracts.list_contracts()) == 8  # nothing saved


def test_annual_value_cannot_exceed_total_and_titles_are_unique_per_consortium(demo_db):
    with pytest.raises(FormError) as caught:
        contracts.create_contract(new_contract_values(annual_value="£200,000"))
    assert "more than the total" in caught.value.errors["annual_value"]
    with pytest.raises(FormError) as caught:
        contracts.create_contract(new_contract_values(title="expert patient service"))
    assert "already has a contract" in caught.value.errors["title"]
    # the same title in another consortium is a different contract
    valens = choice_uuid(contracts.consortium_choices(), "Valens")
    other = new_contract_values(title="Expert Patient Service", consortium=valens)
    assert contracts.create_contract(other).consortium_name == "Valens Consortium"


def test_setting_gives_the_default_contact_interval(demo_db):
    set_setting("commissioner_contact_days", 21)
    detail = contracts.create_contract(new_contract_values())
    assert detail.contact_interval_days == 21


def edit_values(detail: contracts.ContractDetail, **overrides) -> dict[str, str]:
    from desta_tui.domain.dates import format_uk_date
    from desta_tui.domain.money import format_money

    values = {
        "title": detail.title,
        "reference": detail.reference,
        "commissioner": detail.commissioner_uuid,
        "consortium": detail.consortium_uuid,
        "stage": detail.stage,
        "total_value": format_money(detail.total_value_pence),
        "annual_value": format_money(detail.annual_value_pence),
        "starts_on": format_uk_date(detail.starts_on),
        "ends_on": format_uk_date(detail.ends_on),
        "period_kind": detail.period_kind,
        "tender_deadline_on": format_uk_date(detail.tender_deadline_on),
        "decision_on": format_uk_date(detail.decision_on),
        "boroughs": ", ".join(detail.boroughs),
        "contact_interval_days": str(detail.contact_interval_days),
        "notes": detail.notes,
    }
    values.update(overrides)
    return values


def test_total_cannot_drop_below_what_partners_hold(eps):
    detail = contracts.get_contract(eps.uuid)
    with pytest.raises(FormError) as caught:
        contracts.update_contract(
            eps.uuid, edit_values(detail, total_value="£500,000", annual_value="£250,000")
        )
    assert "£590,000" in caught.value.errors["total_value"]


def test_stage_forward_is_recorded_and_backwards_needs_a_reason(demo_db):
    carers = by_title("Carers' Support Hub")
    detail = contracts.get_contract(carers.uuid)
    moved = contracts.update_contract(carers.uuid, edit_values(detail, stage="awarded"))
    assert moved.stage == "awarded"
    last = contracts.stage_history(carers.uuid)[-1]
    assert (last.from_stage, last.to_stage, last.changed_on) == ("submitted", "awarded", DEMO_TODAY)
    with pytest.raises(contracts.ReasonRequiredError) as caught:
        contracts.update_contract(carers.uuid, edit_values(moved, stage="submitted"))
    assert caught.value.field == "stage" and caught.value.kind == "stage"
    assert "back to Submitted" in caught.value.message
    assert contracts.get_contract(carers.uuid).stage == "awarded"  # nothing saved
    contracts.update_contract(
        carers.uuid,
        edit_values(moved, stage="submitted"),
        stage_reason="Award letter withdrawn pending a challenge",
    )
    last = contracts.stage_history(carers.uuid)[-1]
    assert last.is_backwards and last.reason == "Award letter withdrawn pending a challenge"


def test_change_stage_with_a_date_and_its_checks(demo_db):
    asc = by_title("Adult Social Care Prevention Services")
    with pytest.raises(FormError) as caught:
        contracts.change_contract_stage(asc.uuid, "submitted", "06/11/2012")
    assert "future" in caught.value.errors["changed_on"]
    with pytest.raises(FormError) as caught:
        contracts.change_contract_stage(asc.uuid, "submitted", "01/09/2012")
    assert "24/09/2012" in caught.value.errors["changed_on"]
    with pytest.raises(FormError) as caught:
        contracts.change_contract_stage(asc.uuid, "preparing_tender", "")
    assert "already" in caught.value.errors["stage"]
    contracts.change_contract_stage(asc.uuid, "submitted", "2/11/12")
    with pytest.raises(ValidationError) as caught:
        contracts.change_contract_stage(asc.uuid, "dialogue", "today")
    assert caught.value.field == "reason"
    contracts.change_contract_stage(asc.uuid, "dialogue", "today", "Tender pulled by the council")
    history = contracts.stage_history(asc.uuid)
    assert [(h.to_stage, h.changed_on) for h in history[-2:]] == [
        ("submitted", date(2012, 11, 2)),
        ("dialogue", DEMO_TODAY),
    ]
    assert history[-1].reason == "Tender pulled by the council"


def test_not_won_after_submitted_is_not_a_step_back():
    assert not contracts.is_backwards("submitted", "not_won")
    assert contracts.is_backwards("not_won", "submitted")
    assert contracts.is_backwards("in_delivery", "awarded")
    assert not contracts.is_backwards(None, "ended")


# --- partners: the split ------------------------------------------------------------------


def test_eps_split_and_its_support_provider(eps):
    detail = contracts.get_contract(eps.uuid)
    assert detail.allocation.allocated_pence == 590_000_00
    assert detail.allocation.remainder_pence == 80_000_00
    assert "£80,000 left" in detail.allocation.text
    provider = contracts.contract_support_provider(eps.uuid)
    assert provider is not None and provider.name == "Rain Trust"
    partners = contracts.list_partners(eps.uuid)
    assert len(partners) == 9
    assert partners[0].organisation_name == "Rain Trust" and partners[0].role == "support"
    assert contracts.contract_support_provider(by_title("White City Work Clubs").uuid) is None


def partner_values(org: str, amount: str, boroughs: str = "Westminster", role: str = "delivery"):
    return {"organisation": org_uuid(org), "role": role, "allocated_value": amount,
            "boroughs": boroughs, "notes": ""}  # fmt: skip


def test_over_allocation_is_an_error_naming_the_remainder(eps):
    with pytest.raises(FormError) as caught:
        contracts.add_partner(eps.uuid, partner_values(PADDINGTON, "£80,000.01"))
    message = caught.value.errors["allocated_value"]
    assert "over-allocated by £0.01" in message and "£80,000 is left" in message
    row = contracts.add_partner(eps.uuid, partner_values(PADDINGTON, "£80,000"))
    assert row.allocated_value_pence == 80_000_00
    assert contracts.allocation(eps.uuid).remainder_pence == 0
    assert "all allocated" in contracts.allocation(eps.uuid).text


def test_partner_boroughs_must_be_the_contracts_and_roles_are_single(eps):
    with pytest.raises(FormError) as caught:
        contracts.add_partner(
            eps.uuid,
            partner_values("Brent Carers Alliance", "£1,000", boroughs="Brent", role="support"),
        )
    errors = caught.value.errors
    assert "Brent is not covered" in errors["boroughs"]
    assert "Rain Trust is already the support provider" in errors["role"]


def test_compliance_gate_names_the_missing_paper_and_override_is_audited(eps):
    values = partner_values("Pimlico Healthy Living Club", "£10,000")
    with pytest.raises(contracts.ComplianceGateError) as caught:
        contracts.add_partner(eps.uuid, values)
    assert caught.value.field == "organisation"
    assert "no quality mark on file" in caught.value.message
    assert [gap.kind for gap in caught.value.gaps] == ["quality_mark"]
    assert len(contracts.list_partners(eps.uuid)) == 9  # stopped
    row = contracts.add_partner(
        eps.uuid, values, override_reason="Quality mark assessment booked for 20/11/2012"
    )
    assert row.compliance_override_reason == "Quality mark assessment booked for 20/11/2012"
    assert "(overridden)" in row.papers_text
    history = record_history(row.uuid)
    assert any(
        e.field == "compliance_override_reason" and e.new_value.startswith("Quality mark")
        for e in history
    )
    assert any(e.field == "compliance_gate" and "no quality mark" in e.new_value for e in history)


def test_compliance_gate_names_an_expired_paper(demo_db):
    from desta_tui.db.models import Organisation
    from desta_tui.services.contracts import compliance_gaps

    golborne = Organisation.get(Organisation.name == "Golborne Community Health Forum")
    gaps = compliance_gaps(golborne)
    assert [gap.text for gap in gaps] == ["Insurance expired 16 days ago"]
    # a month before it expired the papers were in order
    assert compliance_gaps(golborne, date(2012, 9, 20)) == []
    ltc = by_title("Long-term Conditions Peer Support")
    with pytest.raises(contracts.ComplianceGateError) as caught:
        contracts.add_partner(ltc.uuid, partner_values("Golborne Community Health Forum", ""))
    assert "Insurance expired 16 days ago" in caught.value.message


def test_reallocation_in_delivery_needs_a_reason_and_is_audited(eps):
    partner = next(
        p for p in contracts.list_partners(eps.uuid) if p.organisation_name.startswith("Westway")
    )
    values = {"role": "delivery", "allocated_value": "£40,000", "boroughs": "K&C", "notes": ""}
    with pytest.raises(contracts.ReasonRequiredError) as caught:
        contracts.update_partner(partner.uuid, values)
    assert caught.value.kind == "reallocation" and caught.value.field == "allocated_value"
    assert "£55,000 to £40,000" in caught.value.message
    row = contracts.update_partner(
        partner.uuid, values, reallocation_reason="Two courses moved to White City Health Circle"
    )
    assert row.allocated_value_pence == 40_000_00
    history = record_history(partner.uuid)
    change = next(e for e in history if e.field == "allocated_value_pence")
    assert (change.old_value, change.new_value) == ("£55,000.00", "£40,000.00")
    assert any(e.field == "reallocation_reason" for e in history)
    # boroughs, notes and role change without a reason: the money did not move
    contracts.update_partner(partner.uuid, dict(values, notes="Tutor vacancy filled"))


def test_reallocation_before_delivery_needs_no_reason(demo_db):
    ltc = by_title("Long-term Conditions Peer Support")
    row = contracts.add_partner(ltc.uuid, partner_values("Paddington Befriending Scheme", "£5,000"))
    values = {"role": "lead", "allocated_value": "£7,500", "boroughs": "", "notes": ""}
    assert contracts.update_partner(row.uuid, values).allocated_value_pence == 7_500_00


def test_archived_partner_comes_back_when_added_again_and_undo_checks_the_split(eps):
    westway = next(
        p for p in contracts.list_partners(eps.uuid) if p.organisation_name.startswith("Westway")
    )
    contracts.archive_partner(westway.uuid)
    assert contracts.allocation(eps.uuid).remainder_pence == 135_000_00
    # the freed money goes to someone else; bringing Westway back would over-allocate
    contracts.add_partner(eps.uuid, partner_values("Paddington Befriending Scheme", "£100,000"))
    with pytest.raises(DestaError) as caught:
        contracts.undo_last_partner_archive(eps.uuid)
    assert "only £35,000 is left" in caught.value.message
    row = contracts.add_partner(
        eps.uuid, partner_values("Westway Wellbeing Project", "£35,000", boroughs="Kensington")
    )
    assert row.uuid == westway.uuid and not row.is_archived
    assert row.allocated_value_pence == 35_000_00


# --- commissioner contacts ----------------------------------------------------------------


def test_overdue_commissioner_contacts_for_the_dashboard(demo_db):
    overdue = contracts.overdue_commissioner_contacts()
    assert [(o.contract_title, o.days_since, o.interval_days) for o in overdue] == [
        ("White City Work Clubs", 28, 14),
        ("Long-term Conditions Peer Support", 24, 14),
    ]
    desta = choice_uuid(contracts.consortium_choices(), "Desta")
    assert [o.contract_title for o in contracts.overdue_commissioner_contacts(desta)] == [
        "Long-term Conditions Peer Support"
    ]


def test_overdue_contacts_name_the_consortium_and_commissioner_as_the_contract_does(demo_db):
    overdue = contracts.overdue_commissioner_contacts()
    assert overdue and any(o.commissioner_name for o in overdue)
    for line in overdue:
        detail = contracts.get_contract(line.contract_uuid)
        assert line.consortium_name == detail.consortium_name
        assert line.commissioner_name == (detail.commissioner_name or "")


def test_logging_a_contact_clears_the_flag_and_the_interval_is_per_contract(demo_db):
    ltc = by_title("Long-term Conditions Peer Support")
    assert ltc.contact.is_overdue and ltc.contact.days_since == 24
    entry = contracts.log_commissioner_contact(
        ltc.uuid,
        {"contacted_on": "today", "kind": "call", "with_whom": "Head of commissioning",
         "notes": "Agreed a date for the market engagement event."},
    )  # fmt: skip
    assert entry.logged_by == "test.officer" and entry.contacted_on == DEMO_TODAY
    status = contracts.get_contract(ltc.uuid).contact
    assert not status.is_overdue and status.days_since == 0
    assert contracts.list_commissioner_contacts(ltc.uuid)[0].uuid == entry.uuid
    clubs = by_title("White City Work Clubs")
    detail = contracts.get_contract(clubs.uuid)
    contracts.update_contract(clubs.uuid, edit_values(detail, contact_interval_days="30"))
    assert contracts.overdue_commissioner_contacts() == []


def test_contact_entries_are_checked(demo_db):
    ltc = by_title("Long-term Conditions Peer Support")
    with pytest.raises(FormError) as caught:
        contracts.log_commissioner_contact(
            ltc.uuid, {"contacted_on": "6/11/2012", "kind": "fax", "with_whom": "", "notes": ""}
        )
    assert set(caught.value.errors) == {"contacted_on", "kind", "with_whom"}


def test_archiving_the_last_contact_makes_a_contract_overdue(demo_db):
    asc = by_title("Adult Social Care Prevention Services")
    assert not asc.contact.is_overdue
    newest = contracts.list_commissioner_contacts(asc.uuid)[0]
    contracts.archive_commissioner_contact(newest.uuid)
    assert by_title("Adult Social Care Prevention Services").contact.days_since == 21
    assert contracts.undo_last_contact_archive(by_title("Carers' Support Hub").uuid) is None
    assert contracts.undo_last_contact_archive(asc.uuid).uuid == newest.uuid


def test_closed_contracts_expect_no_contact(demo_db):
    champions = by_title("Community Health Champions")
    assert not champions.contact.is_due and not champions.contact.is_overdue


# --- boroughs typed as people type them ---------------------------------------------------

NAMES = ["Brent", "Ealing", "Hammersmith & Fulham", "Harrow", "Hillingdon", "Hounslow",
         "Kensington & Chelsea", "Westminster"]  # fmt: skip


def test_match_boroughs_takes_names_starts_and_initials():
    assert contracts.match_boroughs("west, H&F, brent", NAMES) == [
        "Brent", "Hammersmith & Fulham", "Westminster",
    ]  # fmt: skip
    assert contracts.match_boroughs("kc", NAMES) == ["Kensington & Chelsea"]
    assert contracts.match_boroughs("", NAMES) == []
    with pytest.raises(ValidationError) as caught:
        contracts.match_boroughs("ha", NAMES)
    assert "Hammersmith & Fulham or Harrow" in caught.value.message


def test_partners_show_papers_running_out_within_the_warning_days(eps):
    rows = {p.organisation_name: p for p in contracts.list_partners(eps.uuid)}
    westway = rows["Westway Wellbeing Project"]
    assert westway.compliance_gaps == ()
    assert westway.papers_text == "DBS check expiring in 12 days"
    set_setting("compliance_warning_days", 7)
    rows = {p.organisation_name: p for p in contracts.list_partners(eps.uuid)}
    assert rows["Westway Wellbeing Project"].papers_text == "in order"


def test_a_packs_contracts_and_partners_read_together_are_each_ones_own(demo_db):
    uuids = [row.uuid for row in contracts.list_contracts()]
    assert len(uuids) > 2
    # a partner archived on one contract, and a support provider on another, stay their own
    eps_uuid = by_title("Expert Patient Service").uuid
    leaving = contracts.list_partners(eps_uuid)[-1]
    archive_record("contract_partner", leaving.uuid)
    details = contracts.get_contracts(uuids)
    assert details == [contracts.get_contract(uuid) for uuid in uuids]
    assert [d.uuid for d in details] == uuids
    assert any(d.support_provider for d in details) and any(
        d.allocation.allocated_pence for d in details
    )
    partners = contracts.partners_of_contracts(uuids)
    assert partners == [contracts.list_partners(uuid) for uuid in uuids]
    assert all(
        p.contract_uuid == uuid for uuid, rows in zip(uuids, partners, strict=True) for p in rows
    )
    assert leaving.uuid not in {p.uuid for rows in partners for p in rows}
    with pytest.raises(DestaError, match="no longer exists"):
        contracts.get_contracts([*uuids, "no-such-contract"])
