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


def test_erase_deletes_the_drafts_that_name_them_and_keeps_the_others(person, monkeypatch):
    from desta_tui.db.models import Draft
    from desta_tui.services import drafts

    drafts.save_draft("contact", person, {"full_name": "Ngozi Okafor-Śliwa", "role": "Chair"})
    drafts.save_draft("ticket", "new", {"description": "Call NGOZI@example.org about the audit"})
    monkeypatch.setenv("DESTA_USER", "other.officer")  # another person at the same desk
    drafts.save_draft("organisation", "new", {"notes": "ngozi okafor-śliwa may join the board"})
    drafts.save_draft("organisation", "new:x", {"name": "Acton Tutors", "phone": "020 7946 0000"})
    monkeypatch.setenv("DESTA_USER", "test.officer")

    result = erase_contact(person)

    assert result.drafts_deleted == 3
    left = [(row.who, row.kind, row.record_key) for row in Draft.select()]
    assert left == [("other.officer", "organisation", "new:x")]


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


PERSONAL_TEXTS = ("Ngozi", "Okafor", "Sliwa", "ngozi@", "07700 900", "07700900")


@pytest.fixture
def in_meetings(person):
    """The person renamed and re-emailed, at a meeting (present, declaring an interest,
    proposing, voting for Rain Trust), typed in as an observer elsewhere, and once named with
    their email in a ticket's description; a Fulham colleague seconds."""
    from desta_tui.db.models import Consortium, SupportTicket
    from desta_tui.services import meetings as svc

    with db.atomic():
        contact = Contact.get(Contact.uuid == person)
        update_record(contact, full_name="Ngozi Okafor", email="n.okafor@example.org")
        update_record(contact, full_name="Ngozi Okafor-Śliwa", email="ngozi@example.org")
        ticket = SupportTicket.select().order_by(SupportTicket.id).first()
        plain = ticket.description
        update_record(ticket, description=f"{plain} Ask Ngozi Okafor-Sliwa (ngozi@example.org).")
        update_record(ticket, description=f"{plain} Ask Ngozi Okafor-Śliwa.")
    fulham = (
        Contact.select().join(Organisation)
        .where(Organisation.name == "Fulham Carers' Network").order_by(Contact.id).first()
    )  # fmt: skip
    desta = Consortium.get(Consortium.short_name == "Desta").uuid
    meeting = svc.create_meeting({"consortium": desta, "body": "smg", "meeting_on": "30/10/2012"})
    svc.record_attendance(meeting.uuid, {"contact": person, "kind": "present"})
    svc.record_attendance(meeting.uuid, {"contact": fulham.uuid, "kind": "present"})
    item = svc.add_agenda_item(meeting.uuid, {"title": "The tutor pool"})
    svc.declare_interest(
        item.uuid, {"contact": person, "description": "Ngozi Okafor-Śliwa leads the pool"}
    )
    svc.mark_meeting_held(meeting.uuid)
    decision = svc.propose_decision(meeting.uuid, {
        "title": "Fund the tutor pool", "proposer": person, "seconder": fulham.uuid})  # fmt: skip
    rain = Organisation.get(Organisation.name == "Rain Trust").uuid
    svc.record_votes(decision.uuid, {rain: "for", fulham.organisation.uuid: "for"})
    later = svc.create_meeting({"consortium": desta, "body": "smg", "meeting_on": "11/12/2012"})
    svc.record_attendance(later.uuid, {"name": "Ngozi Okafor-Śliwa", "kind": "observer"})
    return person, fulham.full_name, meeting.uuid


def _history_text(where=None) -> str:
    rows = AuditLog.select() if where is None else AuditLog.select().where(where)
    return " ".join(f"{r.record_label} {r.old_value} {r.new_value}" for r in rows)


def test_erase_scrubs_every_history_row_that_names_them(in_meetings):
    from desta_tui.db.models import MeetingAttendance, Vote

    person, colleague, meeting_uuid = in_meetings
    before = _history_text()
    assert all(text in before for text in ("Ngozi Okafor", "n.okafor@", "Sliwa"))
    assert colleague in before
    result = erase_contact(person)
    after = _history_text()
    for text in PERSONAL_TEXTS:
        assert text not in after, text
    # the records linked to them read as the erased contact in their history
    erased = Contact.get(Contact.uuid == person)
    attended = [row.uuid for row in MeetingAttendance.select().where(
        MeetingAttendance.contact == erased)]  # fmt: skip
    assert attended
    labels = {r.record_label for r in AuditLog.select().where(AuditLog.record_uuid.in_(attended))}
    assert labels == {ERASED_NAME}
    voted = Vote.get(Vote.contact == erased)
    assert AuditLog.get((AuditLog.record_uuid == voted.uuid) & (AuditLog.field == "contact")
                        ).new_value == ERASED_NAME  # fmt: skip
    assert "Ask Erased contact ([erased])." in after
    # a bystander's name stays, and so does everything else the history says
    assert colleague in after
    assert "Fund the tutor pool" in after
    assert result.audit_rows_scrubbed >= 15
    # the live text that names them is listed for review, meetings' included
    kinds = {m.kind for m in result.mentions}
    assert {"organisation", "support ticket", "declaration of interest",
            "meeting attendance"} <= kinds  # fmt: skip
    observer = next(m for m in result.mentions if m.kind == "meeting attendance")
    assert observer.record == "SMG, 11/12/2012"


@pytest.fixture
def free_space_kept(backend, demo_db):
    """SQLite as many builds come: overwritten text stays in the file's free space."""
    if backend != "sqlite":
        pytest.skip("a file's free space is SQLite's; a server's old rows are its VACUUM's job")
    db.execute_sql("PRAGMA secure_delete = OFF")


def test_erase_leaves_no_trace_of_their_details_in_the_file(free_space_kept, in_meetings, demo_db):
    from desta_tui.db.database import close_database

    person, _colleague, _meeting = in_meetings
    assert erase_contact(person).is_file_wiped
    close_database()
    data = b"".join(
        path.read_bytes() for path in demo_db.parent.glob(f"{demo_db.name}*") if path.is_file()
    )
    for text in ("ngozi@example.org", "n.okafor@example.org", "07700 900456", "07700 900789"):
        assert text.encode() not in data, text


def test_erase_names_the_backups_that_still_hold_them(backend, person, demo_db, monkeypatch):
    from datetime import date

    from desta_tui.db.backup import BACKUPS_FOLDER
    from desta_tui.services.backup import backup_database
    from desta_tui.services.settings import set_setting

    if backend != "sqlite":  # a server's backups are its own (the CLI says so)
        assert erase_contact(person).backups == ()
        return
    set_setting("is_demo", False)
    set_setting("backups_to_keep", 3)
    folder = demo_db.parent / BACKUPS_FOLDER
    folder.mkdir()
    for day in ("2026-03-01", "2026-03-02", "2026-03-03"):  # the daily backups, oldest first
        (folder / f"demo.{day}T080000.daily.sqlite3").write_bytes(b"copy")
    (folder / "demo.2026-03-03T090000.damaged.sqlite3").write_bytes(b"copy")
    by_hand = backup_database().path
    monkeypatch.setattr("desta_tui.services.backup.date", _Today(date(2026, 3, 3)))
    result = erase_contact(person)
    by_name = {backup.path.name: backup for backup in result.backups}
    assert set(by_name) == {by_hand.name, "demo.2026-03-03T090000.damaged.sqlite3",
        "demo.2026-03-01T080000.daily.sqlite3", "demo.2026-03-02T080000.daily.sqlite3",
        "demo.2026-03-03T080000.daily.sqlite3"}  # fmt: skip
    # today's is made: tomorrow's deletes the oldest, and so on, one a day
    assert [by_name[f"demo.2026-03-0{n}T080000.daily.sqlite3"].ages_out_on for n in (1, 2, 3)] == [
        date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 6)
    ]  # fmt: skip
    assert by_name[by_hand.name].ages_out_on is None and not by_name[by_hand.name].is_daily
    assert "deleted by the daily backup on 06/03/2026" in by_name[
        "demo.2026-03-03T080000.daily.sqlite3"].describe()  # fmt: skip
    assert "kept until someone deletes it" in by_name[by_hand.name].describe()


class _Today:
    """`date` with a fixed today, for the module that asks it."""

    def __init__(self, fixed):
        self.fixed = fixed

    def today(self):
        return self.fixed


def test_erase_names_the_subject_access_files_made_before(person, tmp_path):
    export_contact(person, tmp_path / "sar-ngozi.json")
    assert erase_contact(person).exported_files == ("sar-ngozi.json",)


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
