"""Subject access and erasure: everything about one contact out, then their personal data gone."""

from __future__ import annotations

import json
import os
import stat

import pytest

from desta_tui.db.database import db
from desta_tui.db.models import AuditLog, Contact, Membership, MonthlyReturn, Organisation
from desta_tui.domain.errors import DestaError
from desta_tui.services.audit import create_record, update_record
from desta_tui.services.export import export_table
from desta_tui.services.personal_data import (
    ERASED_NAME,
    erase_contact,
    export_contact,
    find_contacts,
    resolve_contact,
)


@pytest.fixture
def person(demo_db):
    """A contact with a history and a mention in a note elsewhere."""
    with db.atomic():
        org = Organisation.get(Organisation.name == "Rain Trust")
        contact = create_record(
            Contact, organisation=org, full_name="Ngozi Okafor-Śliwa", role="Trustee",
            email="ngozi@example.org", phone="07700 900456",
        )  # fmt: skip
        update_record(contact, phone="07700 900789", notes="Prefers calls after 4pm")
        update_record(org, notes=f"{org.notes} Ngozi Okafor-Śliwa leads the tutor pool.")
    return contact.uuid


def test_subject_access_export_holds_everything(person, tmp_path):
    result = export_contact(person, tmp_path / "sar.json")
    data = json.loads(result.path.read_text(encoding="utf-8"))
    assert data["contact"]["full_name"] == "Ngozi Okafor-Śliwa"
    assert data["contact"]["email"] == "ngozi@example.org"
    assert data["contact"]["organisation"] == "Rain Trust"
    changes = {(h["field"], h["old"], h["new"]) for h in data["history"]}
    assert ("phone", "07700 900456", "07700 900789") in changes
    assert any(m["kind"] == "organisation" for m in data["mentioned_in"])
    assert result.history_entries == len(data["history"]) and result.mentions >= 1
    logged = AuditLog.get((AuditLog.record_uuid == person) & (AuditLog.action == "subject_access"))
    assert logged.new_value == "sar.json" and logged.who == "test.officer"


def test_erase_anonymises_and_keeps_the_organisations_records(person):
    org = Organisation.get(Organisation.name == "Rain Trust")
    returns_before = MonthlyReturn.select().count()
    memberships_before = Membership.select().where(Membership.organisation == org).count()
    result = erase_contact(person)
    contact = Contact.get(Contact.uuid == person)
    assert contact.full_name == ERASED_NAME
    assert (contact.email, contact.phone, contact.role, contact.notes) == ("", "", "", "")
    assert contact.erased_at is not None
    assert contact.organisation_id == org.id  # the row stays, counted with its organisation
    # nothing personal survives in the history either
    history = list(AuditLog.select().where(AuditLog.record_uuid == person))
    text = " ".join(f"{h.record_label} {h.old_value} {h.new_value}" for h in history)
    assert "Ngozi" not in text and "07700" not in text and "ngozi@" not in text
    assert any(h.action == "erase" for h in history)
    assert result.audit_rows_scrubbed >= 3
    assert "ngozi" not in Organisation.get_by_id(org.id).search_text
    assert "Ngozi Okafor-Śliwa" not in {row[0] for row in export_table("contacts").rows}
    # aggregate records are untouched; the note naming them is listed for a person to review
    assert MonthlyReturn.select().count() == returns_before
    assert Membership.select().where(Membership.organisation == org).count() == memberships_before
    assert [m.kind for m in result.mentions] == ["organisation"]
    with pytest.raises(DestaError, match="already erased"):
        erase_contact(person)
    assert find_contacts("Ngozi Okafor-Śliwa") == []


def test_names_are_found_as_people_type_them(person):
    assert resolve_contact("ngozi okafor sliwa").uuid == person
    assert resolve_contact(person).uuid == person
    with db.atomic():
        org = Organisation.get(Organisation.name != "Rain Trust")
        create_record(Contact, organisation=org, full_name="Ngozi Okafor-Śliwa")
    with pytest.raises(DestaError, match="2 contacts .*--organisation"):
        resolve_contact("Ngozi Okafor-Śliwa")
    assert resolve_contact("Ngozi Okafor-Śliwa", "Rain Trust").uuid == person
    with pytest.raises(DestaError, match="no contact called"):
        resolve_contact("Nobody Atall")


@pytest.fixture
def open_umask():
    """The umask most desktops run the app with (group and others may read new files)."""
    earlier = os.umask(0o022)
    yield
    os.umask(earlier)


def test_files_written_in_process_are_owner_only_whatever_the_umask(person, tmp_path, open_umask):
    from desta_tui.reports.printing import print_tickets
    from desta_tui.services.export import write_csv, write_xlsx

    out = tmp_path / "out"
    out.mkdir()

    stale = out / ".sar.json.partial"  # a temporary left by a crash, readable by all
    stale.write_text("old")
    stale.chmod(0o644)
    existing = out / "contacts.csv"
    existing.write_text("old")
    existing.chmod(0o644)
    written = {
        "subject access": export_contact(person, out / "sar.json").path,
        "csv": write_csv(export_table("contacts"), existing),
        "xlsx": write_xlsx(export_table("contacts"), out / "contacts.xlsx"),
        "pdf": print_tickets(output=out / "tickets.pdf"),
    }
    for kind, path in written.items():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, kind
    assert "Ngozi Okafor-Śliwa" in existing.read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in out.iterdir()) == [
        "contacts.csv", "contacts.xlsx", "sar.json", "tickets.pdf"
    ]  # fmt: skip
