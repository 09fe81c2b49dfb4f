"""What a merge settles by its rules and what it leaves for a person: erasure wins, archive
against edit, a record created at both sites, ticket references, and the hub's rules checked
again over the merged data."""

from __future__ import annotations

import csv
import random

import pytest

from desta_tui.db.models import (
    AuditLog,
    ComplianceItem,
    Contact,
    ContractPartner,
    Organisation,
    SupportTicket,
    SyncChange,
)
from desta_tui.domain.periods import Period
from desta_tui.services import contracts, members, tickets
from desta_tui.services import performance as perf
from desta_tui.services.personal_data import ERASED_NAME, erase_contact
from desta_tui.services.records import archive_record
from desta_tui.services.sync import (
    list_conflicts,
    resolve_conflict,
    set_ticket_prefix,
)
from tests.services.sync_sites import (
    contact_values,
    current_value,
    fingerprint,
    make_edits,
    make_sites,
    organisation_values,
    use,
)

PADDINGTON = "Paddington Befriending Scheme"
CHURCH = "Church Street Neighbourhood Trust"
WESTWAY = "Westway Wellbeing Project"
OCT, SEP = Period(2012, 10), Period(2012, 9)


@pytest.fixture
def sites(backend, demo_template, tmp_path):
    return make_sites(backend, demo_template, tmp_path)


def exchange(sites) -> None:
    """A's bundle to B, then B's to A: afterwards both hold every change."""
    sites.give(sites.a, sites.b)
    sites.give(sites.b, sites.a)
    assert fingerprint(sites.a) == fingerprint(sites.b)


def uuid_of(name: str) -> str:
    return Organisation.get(Organisation.name == name).uuid


def eps_uuid() -> str:
    return next(c.uuid for c in contracts.list_contracts() if c.title == "Expert Patient Service")


def kinds() -> list[str]:
    return sorted(conflict.kind for conflict in list_conflicts())


# --- erasure, archive, twins, references ------------------------------------------------------


def test_an_erasure_at_one_site_beats_an_edit_of_the_person_at_the_other(sites):
    use(sites.a)
    person = Contact.select().where(Contact.archived_at.is_null()).order_by(Contact.uuid).first()
    erase_contact(person.uuid)
    use(sites.b)
    values = contact_values(person.uuid)
    values.update(phone="020 7946 0777", notes="Lives at 4 Acacia Avenue")
    members.update_contact(person.uuid, values)
    # B's edit reaches A before B hears of the erasure: A must not take it
    sites.give(sites.b, sites.a)
    sites.give(sites.a, sites.b)
    assert fingerprint(sites.a) == fingerprint(sites.b)
    for site in (sites.a, sites.b):
        use(site)
        erased = Contact.get(Contact.uuid == person.uuid)
        assert erased.erased_at is not None and erased.full_name == ERASED_NAME
        assert (erased.phone, erased.notes) == ("", "")
        assert list_conflicts() == []
        # what B typed about the person is gone from the history and the change log too
        for text in ("0777", "Acacia"):
            assert (
                not AuditLog.select()
                .where(AuditLog.new_value.contains(text) | AuditLog.old_value.contains(text))
                .exists()
            )
            assert not SyncChange.select().where(SyncChange.value.contains(text)).exists()


def test_archive_against_edit_is_a_conflict_and_its_settling_travels(sites):
    use(sites.a)
    target = uuid_of(WESTWAY)
    members.archive_organisation(target)
    use(sites.b)
    values = organisation_values(target)
    values["phone"] = "020 7946 0555"
    members.update_organisation(target, values)
    exchange(sites)
    use(sites.b)
    [conflict] = list_conflicts()
    assert conflict.kind == "archive"
    assert conflict.local.field == "phone" and conflict.incoming.field == "archived_at"
    assert Organisation.get(Organisation.uuid == target).archived_at is not None  # held now
    resolve_conflict(conflict.id, take="local")  # B keeps its edit: the record comes back
    assert Organisation.get(Organisation.uuid == target).archived_at is None
    sites.give(sites.b, sites.a)
    use(sites.a)
    assert list_conflicts() == []
    restored = Organisation.get(Organisation.uuid == target)
    assert restored.archived_at is None and restored.phone == "020 7946 0555"
    assert fingerprint(sites.a) == fingerprint(sites.b)


def test_the_same_organisation_created_at_two_venues_becomes_one_record(sites):
    new = {"name": "Riverside Venue Trust", "kind": "charity", "borough": "Westminster",
           "phone": "020 7946 0101", "is_member": True}  # fmt: skip
    use(sites.a)
    members.create_organisation(new)
    use(sites.b)
    members.create_organisation({**new, "name": "riverside venue trust",
                                 "phone": "020 7946 0202"})  # fmt: skip
    exchange(sites)
    for site in (sites.a, sites.b):
        use(site)
        found = list(Organisation.select().where(Organisation.name_key == "riverside venue trust"))
        assert len(found) == 1
        assert kinds() == ["field", "field", "twin"]  # name (its case) and phone differ
    use(sites.b)
    twin = next(c for c in list_conflicts() if c.kind == "twin")
    resolve_conflict(twin.id, take="local")
    assert list_conflicts() == []
    sites.give(sites.b, sites.a)
    use(sites.a)
    assert list_conflicts() == []
    assert Organisation.get(Organisation.name_key == "riverside venue trust").phone == (
        "020 7946 0202"
    )
    assert fingerprint(sites.a) == fingerprint(sites.b)


def new_ticket(subject: str) -> str:
    values = {"provider": uuid_of(CHURCH), "contract": eps_uuid(), "subject": subject,
              "category": "training", "priority": "normal", "owner": "Rain Trust",
              "due_on": "", "description": "", "metrics": []}  # fmt: skip
    return tickets.create_ticket(values).uuid


def test_ticket_references_never_collide(sites):
    use(sites.a)
    set_ticket_prefix("CHA")
    own_a = new_ticket("From the church hall")
    use(sites.b)
    own_b = new_ticket("From the library")
    # and two laptops numbering as the hub does: the later ticket is renumbered
    set_ticket_prefix("")
    hub_like_b = new_ticket("Numbered like the hub at B")
    use(sites.a)
    set_ticket_prefix("")
    hub_like_a = new_ticket("Numbered like the hub at A")
    use(sites.b)
    assert SupportTicket.get(SupportTicket.uuid == own_b).reference.startswith("T-S")
    exchange(sites)
    use(sites.a)
    references = {t.uuid: t.reference for t in SupportTicket.select()}
    assert len(set(references.values())) == len(references)
    assert references[own_a].startswith("T-CHA-")
    assert references[hub_like_b] != references[hub_like_a]
    renumbered = AuditLog.get(AuditLog.action == "renumber")
    assert renumbered.record_uuid == hub_like_a  # opened later, at A: it moves to A's series
    assert renumbered.old_value == references[hub_like_b]  # the reference both were given
    assert renumbered.new_value == references[hub_like_a]


def test_a_bulk_import_is_logged_in_bulk_and_travels(sites, tmp_path):
    from desta_tui.services.importing import import_file

    path = tmp_path / "organisations.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Kind", "Borough", "Phone"])
        for number in range(60):
            writer.writerow([f"Imported Group {number}", "charity", "Brent", "020 7946 0000"])
    use(sites.a)
    import_file("organisations", path)
    creates = SyncChange.select().where(
        (SyncChange.table_name == "organisation") & (SyncChange.kind == "create")
    )
    assert creates.count() == 60
    exchange(sites)
    use(sites.b)
    imported = Organisation.select().where(Organisation.name.startswith("Imported Group"))
    assert imported.count() == 60
    assert all(org.search_text.startswith("imported group") for org in imported)


# --- the hub's rules, checked again ---------------------------------------------------------


def partner_values(partner, **changes) -> dict[str, str]:
    row = contracts.get_partner(partner.uuid)
    values = {"role": row.role, "allocated_value": f"£{row.allocated_value_pence / 100:.2f}",
              "boroughs": ", ".join(row.boroughs), "notes": ""}  # fmt: skip
    values.update(changes)
    return values


def partner_of(name: str) -> ContractPartner:
    return ContractPartner.get(ContractPartner.organisation == Organisation.get(name=name))


def test_allocations_made_apart_that_overrun_the_contract_become_a_conflict(sites):
    use(sites.a)
    contracts.add_partner(eps_uuid(), {"organisation": uuid_of(PADDINGTON), "role": "delivery",
                                       "allocated_value": "£60,000", "boroughs": "Westminster",
                                       "notes": ""})  # fmt: skip
    use(sites.b)
    church = partner_of(CHURCH)
    contracts.update_partner(church.uuid, partner_values(church, allocated_value="£100,000"),
                             reallocation_reason="More groups")  # fmt: skip
    exchange(sites)
    use(sites.a)
    [conflict] = list_conflicts()
    assert conflict.kind == "allocation" and "over-allocated by £25,000" in conflict.detail
    assert conflict.field == "allocated_value_pence"
    with pytest.raises(Exception, match="still breaks"):
        resolve_conflict(conflict.id, value="£90,000")
    resolve_conflict(conflict.id, take="local")  # the value before the change that overran
    assert list_conflicts() == []
    sites.give(sites.a, sites.b)
    use(sites.b)
    assert list_conflicts() == []
    assert fingerprint(sites.a) == fingerprint(sites.b)


def test_two_leads_chosen_apart_become_a_conflict(sites):
    use(sites.a)
    church = partner_of(CHURCH)
    contracts.update_partner(church.uuid, partner_values(church, role="lead"))
    use(sites.b)
    westway = partner_of(WESTWAY)
    contracts.update_partner(westway.uuid, partner_values(westway, role="lead"))
    exchange(sites)
    use(sites.b)
    [conflict] = list_conflicts()
    assert conflict.kind == "role" and "lead" in conflict.detail


def test_returns_that_break_the_rules_only_together_become_a_conflict(sites):
    use(sites.a)
    eps = eps_uuid()
    grid = perf.load_returns_grid(eps, OCT)
    church = next(r.partner_uuid for r in grid.rows if r.organisation_name == CHURCH)
    perf.save_returns(eps, OCT, {church: {"enrolments": "9", "completions": "7",
                                          "bme_recruited": "8", "bme_retained": "2",
                                          "deprived_wards": "3"}})  # fmt: skip
    sites.give(sites.a, sites.b)
    use(sites.a)
    perf.save_returns(eps, OCT, {church: {"bme_recruited": "9"}})
    use(sites.b)
    perf.save_returns(eps, OCT, {church: {"enrolments": "8"}})
    exchange(sites)
    use(sites.a)
    [conflict] = list_conflicts()
    assert conflict.kind == "returns" and "more than all enrolled" in conflict.detail


def test_a_figure_changed_while_the_month_was_locked_elsewhere_becomes_a_conflict(sites):
    use(sites.a)
    eps = eps_uuid()
    grid = perf.load_returns_grid(eps, OCT)
    church = next(r.partner_uuid for r in grid.rows if r.organisation_name == CHURCH)
    perf.save_returns(eps, OCT, {church: {"enrolments": "9", "completions": "7",
                                          "bme_recruited": "2", "bme_retained": "2",
                                          "deprived_wards": "3"}})  # fmt: skip
    sites.give(sites.a, sites.b)
    use(sites.a)
    perf.lock_period(eps, OCT)
    use(sites.b)
    grid = perf.load_returns_grid(eps, OCT)
    row = next(r for r in grid.rows if r.organisation_name == WESTWAY)
    perf.save_returns(eps, OCT, {row.partner_uuid: {"enrolments": str(row.values["enrolments"]
                                                                      + 1)}})  # fmt: skip
    exchange(sites)
    use(sites.a)
    [conflict] = list_conflicts()
    assert conflict.kind == "locked" and "without a correction note" in conflict.detail
    assert conflict.field == "value" and conflict.local.text != conflict.incoming.text
    resolve_conflict(conflict.id, take="local")  # A had the month locked as it was
    assert list_conflicts() == []
    sites.give(sites.a, sites.b)
    use(sites.b)
    assert list_conflicts() == []


def test_a_partner_added_on_papers_archived_elsewhere_fails_the_gate(sites):
    use(sites.a)
    contracts.add_partner(eps_uuid(), {"organisation": uuid_of(PADDINGTON), "role": "delivery",
                                       "allocated_value": "£10,000", "boroughs": "Westminster",
                                       "notes": ""})  # fmt: skip
    use(sites.b)
    insurance = ComplianceItem.get(
        (ComplianceItem.organisation == Organisation.get(name=PADDINGTON))
        & (ComplianceItem.kind == "insurance")
    )
    archive_record("compliance_item", insurance.uuid)
    exchange(sites)
    use(sites.b)
    [conflict] = list_conflicts()
    assert conflict.kind == "gate" and "insurance" in conflict.detail.lower()
    resolve_conflict(conflict.id, value="Insurance renewal in the post")
    assert list_conflicts() == []
    sites.give(sites.b, sites.a)
    use(sites.a)
    assert list_conflicts() == []


def test_notes_may_be_set_to_let_the_newest_edit_win(sites):
    from desta_tui.services.settings import set_setting

    use(sites.a)
    target = ("organisation", uuid_of(WESTWAY), "notes")
    set_setting("sync_notes_newest_wins", True)
    make_edits("a", random.Random(1), [target], 1)
    use(sites.b)
    set_setting("sync_notes_newest_wins", True)
    make_edits("b", random.Random(1), [target], 1, start=9)
    exchange(sites)
    use(sites.a)
    assert list_conflicts() == []
    assert current_value(*target) == "Notes B9"  # B's edit came later


def test_twins_created_seconds_apart_hold_the_same_conflict_at_both_sites(sites, monkeypatch):
    """Each side of a "created at two sites" conflict says who made it and when; the two sites
    agree on it whichever record is kept (the local side took the other's time when the two
    were made in different seconds)."""
    from datetime import datetime, timedelta

    from desta_tui.services import context

    made = datetime(2012, 11, 5, 10, 0, 0)
    new = {"name": "Riverside Venue Trust", "kind": "charity", "borough": "Westminster",
           "phone": "020 7946 0101", "is_member": True}  # fmt: skip
    use(sites.a)
    monkeypatch.setattr(context, "utc_now", lambda: made)
    members.create_organisation(new)
    use(sites.b)
    monkeypatch.setattr(context, "utc_now", lambda: made + timedelta(seconds=3))
    members.create_organisation({**new, "name": "riverside venue trust",
                                 "phone": "020 7946 0202"})  # fmt: skip
    monkeypatch.undo()
    exchange(sites)  # asserts both sites hold the same content and the same conflicts
    use(sites.a)
    twin = next(c for c in list_conflicts() if c.kind == "twin")
    assert sorted((twin.local.at, twin.incoming.at)) == [made, made + timedelta(seconds=3)]
