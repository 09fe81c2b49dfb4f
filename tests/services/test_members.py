"""Members services: the list filters in the database, checks every field, keeps names unique
across the hub, keeps the filter text current, and logs every change."""

from __future__ import annotations

from datetime import date

import pytest

from desta_tui.db.models import AuditLog, Organisation
from desta_tui.domain.errors import FormError
from desta_tui.services import members
from desta_tui.services.members import (
    archive_contact,
    archive_organisation,
    consortia,
    create_compliance_item,
    create_contact,
    create_membership,
    create_organisation,
    expiring_compliance,
    find_contacts,
    find_organisations,
    list_contacts,
    list_memberships,
    list_organisations,
    organisation_compliance,
    organisation_history,
    parse_boroughs,
    undo_last_archive_in_members,
    update_contact,
    update_membership,
    update_organisation,
)


def desta_uuid() -> str:
    return next(c.uuid for c in consortia() if c.short_name == "Desta")


def org_uuid(name: str) -> str:
    return Organisation.get(Organisation.name == name).uuid


def names(page) -> list[str]:
    return [row.name for row in page.rows]


def form_errors(call, *args) -> dict:
    with pytest.raises(FormError) as caught:
        call(*args)
    return caught.value.errors


# --- the list -----------------------------------------------------------------------------


def test_list_one_consortium_or_all(demo_db, monkeypatch):
    desta = list_organisations("", desta_uuid())
    assert desta.total == 37 and len(desta.rows) == 37
    everyone = list_organisations("")
    assert everyone.total == Organisation.select().count()
    assert "NHS Inner North West London PCTs" in names(everyone)
    nhs = next(r for r in everyone.rows if r.name.startswith("NHS Inner"))
    assert nhs.status == "non-member" and nhs.compliance == "none"


def test_filter_over_name_borough_and_contact_names_every_word(demo_db):
    rain = list_organisations("rain")
    assert names(rain) == ["Rain Trust"]
    # accents and case folded both ways: "lacz" finds "Łączy"
    assert names(list_organisations("LACZ")) == ["Polish Social & Cultural Support (Łączy Nas)"]
    harrow = list_organisations("harrow", desta_uuid())
    assert harrow.rows and all("Harrow" in row.boroughs for row in harrow.rows)
    contact = list_contacts(org_uuid("Brent Carers Alliance"))[0]
    found = list_organisations(contact.full_name.split()[1])
    assert "Brent Carers Alliance" in names(found)
    assert names(list_organisations("deaf harrow")) == ["Harrow Deaf Access"]
    assert list_organisations("zzzz-nothing").rows == []


def test_the_database_cuts_the_list_and_counts_the_rest(demo_db):
    page = list_organisations("", limit=10)
    assert len(page.rows) == 10 and page.total > 10 and page.is_cut


def test_rows_say_status_board_compliance_and_contacts(demo_db):
    rows = {row.name: row for row in list_organisations("", desta_uuid()).rows}
    assert rows["Rain Trust"].has_board_seat and rows["Rain Trust"].status == "Active"
    golborne = rows["Golborne Community Health Forum"]
    assert golborne.compliance == "expired"
    assert golborne.compliance_detail == "Insurance expired 16 days ago"
    assert rows["Westway Wellbeing Project"].compliance == "expiring"
    assert "12 days" in rows["Westway Wellbeing Project"].compliance_detail
    assert rows["Pimlico Healthy Living Club"].compliance == "missing"
    assert rows["Brent Carers Alliance"].contact_count == len(
        list_contacts(org_uuid("Brent Carers Alliance"))
    )
    # in all consortia, a member of two shows both
    both = {r.name: r for r in list_organisations("White City Health").rows}
    assert both["White City Health Circle"].status == "Active"


def test_sorting_happens_in_the_database(demo_db):
    by_contacts = list_organisations("", desta_uuid(), sort="contacts", descending=True)
    counts = [row.contact_count for row in by_contacts.rows]
    assert counts == sorted(counts, reverse=True)
    by_compliance = list_organisations("", desta_uuid(), sort="compliance", limit=3)
    assert by_compliance.rows[0].name == "Golborne Community Health Forum"
    with pytest.raises(Exception, match="cannot be sorted"):
        list_organisations("", sort="colour")


# --- organisations --------------------------------------------------------------------------


def test_create_organisation_checks_every_field_at_once(demo_db):
    errors = form_errors(
        create_organisation,
        {"name": "  ", "postcode": "W6 9XX9", "email": "a@", "phone": "123",
         "charity_number": "12", "company_number": "ABC", "boroughs": "Camden"},
    )  # fmt: skip
    assert set(errors) == {
        "name", "postcode", "email", "phone", "charity_number", "company_number", "boroughs",
    }  # fmt: skip
    assert errors["name"] == "Name is required"
    assert "Camden" in errors["boroughs"] and "Brent" in errors["boroughs"]
    assert not Organisation.select().where(Organisation.name == "").exists()


def test_names_are_unique_ignoring_case_spaces_and_ampersands(demo_db):
    errors = form_errors(create_organisation, {"name": "rain   TRUST"})
    assert errors["name"] == "'Rain Trust' is already in the hub"
    errors = form_errors(
        create_organisation, {"name": "Polish Social and Cultural Support (Łączy Nas)"}
    )
    assert "already in the hub" in errors["name"]
    # an organisation may keep its own name when edited
    rain = org_uuid("Rain Trust")
    update_organisation(rain, {"name": "Rain Trust", "notes": "support provider"})
    archive_organisation(rain)
    errors = form_errors(create_organisation, {"name": "Rain Trust"})
    assert "archived" in errors["name"]


def test_create_tidies_values_and_logs_the_create(demo_db):
    made = create_organisation(
        {"name": " Acton  Men's Shed ", "postcode": "w3 6rs", "email": "Info@ACTON.org",
         "phone": "02089460000", "charity_number": "1 234 567", "boroughs": "ealing, ham",
         "borough": "ealing", "kind": "cio"}
    )  # fmt: skip
    assert made.name == "Acton Men's Shed" and made.postcode == "W3 6RS"
    assert made.email == "Info@acton.org" and made.phone == "020 8946 0000"
    assert made.boroughs == ["Ealing", "Hammersmith & Fulham"] and made.borough == "Ealing"
    assert made.kind_label == "Charitable incorporated organisation"
    fields = {entry.field for entry in organisation_history(made.uuid)}
    assert {"name", "postcode", "boroughs"} <= fields
    assert names(list_organisations("acton shed")) == ["Acton Men's Shed"]
    assert names(list_organisations("shed hammersmith")) == ["Acton Men's Shed"]


def test_update_logs_old_and_new_and_keeps_search_text(demo_db):
    uuid = org_uuid("Harrow Deaf Access")
    before = members.get_organisation(uuid)
    update_organisation(
        uuid,
        {"name": "Harrow Deaf Access Centre", "boroughs": "Harrow, Brent",
         "borough": before.borough, "kind": before.kind, "phone": "020 8863 0000"},
    )  # fmt: skip
    history = organisation_history(uuid)
    changes = {entry.field: (entry.old_value, entry.new_value) for entry in history
               if entry.action == "update"}  # fmt: skip
    assert changes["name"] == ("Harrow Deaf Access", "Harrow Deaf Access Centre")
    assert changes["boroughs"] == ("Harrow", "Brent, Harrow")
    assert changes["phone"] == ("", "020 8863 0000")
    assert all(entry.who == "test.officer" for entry in history if entry.action == "update")
    assert names(list_organisations("deaf centre brent")) == ["Harrow Deaf Access Centre"]


def test_a_failed_update_changes_nothing(demo_db):
    uuid = org_uuid("Harrow Deaf Access")
    rows_before = AuditLog.select().count()
    form_errors(update_organisation, uuid, {"name": "Harrow Deaf Access", "email": "nope"})
    assert AuditLog.select().count() == rows_before


def test_parse_boroughs_accepts_starts_and_refuses_ambiguous(demo_db):
    assert parse_boroughs("brent; hammersmith and fulham") == ["Brent", "Hammersmith & Fulham"]
    with pytest.raises(Exception, match="could be Hammersmith & Fulham or Harrow"):
        parse_boroughs("ha")


# --- contacts ---------------------------------------------------------------------------------


def test_contacts_keep_the_filter_text_and_one_primary(demo_db):
    uuid = org_uuid("Rain Trust")
    made = create_contact(uuid, {"full_name": "Zeynep Kaya", "email": "zeynep@rain.org.uk",
                                 "is_primary": True})  # fmt: skip
    assert names(list_organisations("zeynep")) == ["Rain Trust"]
    primaries = [c for c in list_contacts(uuid) if c.is_primary]
    assert [c.full_name for c in primaries] == ["Zeynep Kaya"]
    update_contact(made.uuid, {"full_name": "Zeynep Arslan", "is_primary": True})
    assert names(list_organisations("zeynep arslan")) == ["Rain Trust"]
    archive_contact(made.uuid)
    assert list_organisations("zeynep").rows == []
    ref = undo_last_archive_in_members()
    assert ref is not None and ref.uuid == made.uuid
    assert names(list_organisations("zeynep")) == ["Rain Trust"]
    errors = form_errors(create_contact, uuid, {"full_name": "", "phone": "+33 1 23"})
    assert set(errors) == {"full_name", "phone"}


# --- memberships and compliance ----------------------------------------------------------------


def test_memberships_are_one_per_consortium_and_rejoining_restores(demo_db):
    uuid = org_uuid("Rain Trust")
    errors = form_errors(create_membership, uuid, {"consortium": desta_uuid()})
    assert (
        errors["consortium"] == "Rain Trust is already in Desta Health and Social Care Consortium"
    )
    desta = next(m for m in list_memberships(uuid) if m.consortium_short_name == "Desta")
    errors = form_errors(
        update_membership, desta.uuid,
        {"consortium": desta_uuid(), "status": "left", "joined_on": "01/02/2011",
         "left_on": "31/01/2011"},
    )  # fmt: skip
    assert errors == {"left_on": "the date it left cannot come before the date it joined"}
    errors = form_errors(update_membership, desta.uuid, {"consortium": desta_uuid(),
                                                         "joined_on": "31/02/2011"})  # fmt: skip
    assert "February 2011 has 28 days" in errors["joined_on"]
    members.archive_membership(desta.uuid)
    again = create_membership(uuid, {"consortium": desta_uuid(), "status": "applied",
                                     "joined_on": "today"})  # fmt: skip
    assert again.uuid == desta.uuid and again.status == "applied"
    assert again.joined_on == date(2012, 11, 5)  # the demo database's own today
    actions = [e.action for e in organisation_history(uuid) if e.record_uuid == desta.uuid]
    assert "restore" in actions and "archive" in actions


def test_compliance_states_and_the_expiring_view(demo_db):
    assert organisation_compliance(org_uuid("Golborne Community Health Forum")).state == "expired"
    pimlico = organisation_compliance(org_uuid("Pimlico Healthy Living Club"))
    assert pimlico.state == "missing" and pimlico.missing_kinds == ["quality_mark"]
    within_30 = expiring_compliance(30)
    assert [(i.organisation_name, i.state) for i in within_30] == [
        ("Golborne Community Health Forum", "expired"),
        ("Westway Wellbeing Project", "expiring"),
    ]
    within_60 = [i.organisation_name for i in expiring_compliance(60)]
    assert within_60[-2:] == ["Church Street Neighbourhood Trust", "Harrow Deaf Access"]
    assert len(expiring_compliance(90)) > len(within_60)
    valens = next(c.uuid for c in consortia() if c.short_name == "Valens")
    assert all(i.organisation_name != "Golborne Community Health Forum"
               for i in expiring_compliance(90, valens))  # fmt: skip
    errors = form_errors(
        create_compliance_item, org_uuid("Pimlico Healthy Living Club"),
        {"kind": "", "checked_on": "01/06/2013", "expires_on": "13/13/2013"},
    )  # fmt: skip
    assert set(errors) == {"kind", "checked_on", "expires_on"}
    create_compliance_item(
        org_uuid("Pimlico Healthy Living Club"),
        {"kind": "Quality mark", "checked_on": "01/10/2012", "expires_on": "1/10/13"},
    )
    assert organisation_compliance(org_uuid("Pimlico Healthy Living Club")).state == "ok"


def test_palette_finds_by_letters_in_order(demo_db):
    found = [f.name for f in find_organisations("rntrst")]
    assert "Rain Trust" in found
    contact = list_contacts(org_uuid("Rain Trust"))[0]
    hits = find_contacts(contact.full_name[:3] + contact.full_name.split()[1][:2])
    assert any(h.uuid == contact.uuid and h.organisation_uuid == org_uuid("Rain Trust")
               for h in hits)  # fmt: skip


def test_a_renewed_paper_no_longer_reports_its_own_expiry(demo_db):
    westway = org_uuid("Westway Wellbeing Project")
    assert organisation_compliance(westway).detail == "DBS check expiring in 12 days"
    old = next(p for p in members.list_compliance(westway) if p.kind == "dbs_check")
    by_compliance = list_organisations("", sort="compliance", limit=2)
    assert names(by_compliance)[1] == "Westway Wellbeing Project"
    renewal = create_compliance_item(
        westway, {"kind": "dbs_check", "checked_on": "01/11/2012", "expires_on": "01/11/2015"}
    )
    assert renewal.state == "ok"
    assert organisation_compliance(westway).state == "ok"
    row = next(r for r in list_organisations("westway").rows)
    assert (row.compliance, row.compliance_detail) == ("ok", "all papers in date")
    assert "Westway Wellbeing Project" not in [i.organisation_name for i in expiring_compliance(90)]
    assert "Westway Wellbeing Project" not in names(
        list_organisations("", sort="compliance", limit=3)
    )
    papers = {p.uuid: p for p in members.list_compliance(westway)}
    assert papers[old.uuid].state_text == "renewed"
    assert members.get_compliance_item(old.uuid).state == "renewed"
    # take the renewal away and the old paper speaks again
    members.archive_compliance_item(renewal.uuid)
    assert organisation_compliance(westway).detail == "DBS check expiring in 12 days"
    assert [i.uuid for i in expiring_compliance(30) if i.organisation_uuid == westway] == [old.uuid]
