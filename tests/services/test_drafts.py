"""Drafts: kept per person, kind and key; replaced as typing goes on; gone once deleted."""

from __future__ import annotations

from desta_tui.db.models import AuditLog, Draft
from desta_tui.services import drafts


def test_a_draft_is_kept_replaced_and_deleted(db_path, monkeypatch):
    key = drafts.record_draft_key(None)
    assert key == "new"
    assert drafts.get_draft("organisation", key) is None
    audit_before = AuditLog.select().count()

    drafts.save_draft("organisation", key, {"name": "Łączy Trust", "is_member": True})
    drafts.save_draft("organisation", key, {"name": "Łączy Trust CIC", "is_member": True})
    found = drafts.get_draft("organisation", key)
    assert found is not None
    assert found.values == {"name": "Łączy Trust CIC", "is_member": True}
    assert found.updated_at is not None
    assert Draft.select().count() == 1  # replaced, not added
    assert AuditLog.select().count() == audit_before  # a draft is not a record change

    # another person's draft of the same form is theirs alone
    monkeypatch.setenv("DESTA_USER", "other.officer")
    assert drafts.get_draft("organisation", key) is None
    drafts.save_draft("organisation", key, {"name": "Other"})
    monkeypatch.setenv("DESTA_USER", "test.officer")
    assert drafts.get_draft("organisation", key).values["name"] == "Łączy Trust CIC"

    drafts.delete_draft("organisation", key)
    drafts.delete_draft("organisation", key)  # deleting twice is fine
    assert drafts.get_draft("organisation", key) is None
    assert Draft.select().count() == 1  # the other person's stays


def test_keys_keep_records_parents_and_months_apart(db_path):
    assert drafts.record_draft_key("abc") == "abc"
    assert drafts.record_draft_key(None, "org-1") == "new:org-1"
    assert drafts.returns_draft_key("c-1", "2012-10") == "c-1:2012-10"
    drafts.save_draft("contact", drafts.record_draft_key(None, "org-1"), {"full_name": "A"})
    drafts.save_draft("contact", drafts.record_draft_key(None, "org-2"), {"full_name": "B"})
    drafts.save_draft(drafts.RETURNS_KIND, "c-1:2012-10", {"p": {"enrolments": "12"}})
    assert drafts.get_draft("contact", "new:org-2").values == {"full_name": "B"}
    listed = drafts.list_drafts()
    assert {(d.kind, d.record_key) for d in listed} == {
        ("contact", "new:org-1"),
        ("contact", "new:org-2"),
        ("returns", "c-1:2012-10"),
    }
