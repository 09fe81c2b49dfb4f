"""HistoryView: audit entries shown newest first, the highlighted change in full below."""

from __future__ import annotations

from datetime import datetime

from textual.app import App, ComposeResult
from textual.widgets import Static

from desta_tui.services.audit import AuditEntry
from desta_tui.ui.widgets.history_view import HistoryView, change_text, field_words


def entry(field: str, old: str | None, new: str | None, action: str = "update") -> AuditEntry:
    return AuditEntry(
        at=datetime(2012, 11, 5, 9, 30),
        who="Shani Lee",
        table_name="organisation",
        record_uuid="u-1",
        record_label="Rain Trust",
        action=action,
        field=field,
        old_value=old,
        new_value=new,
    )


class Host(App[None]):
    def __init__(self, entries: list[AuditEntry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        yield HistoryView(self.entries)


def test_words_for_fields_and_changes() -> None:
    assert field_words("has_board_seat") == "Has board seat"
    assert field_words("expires_on") == "Expires"
    assert field_words("allocated_value_pence") == "Allocated value"
    assert field_words("") == "—"
    assert change_text(entry("postcode", None, "W6 9DN")) == "(blank) -> W6 9DN"
    assert change_text(entry("name", None, "Rain Trust", "create")) == "Rain Trust"
    assert change_text(entry("archived_at", None, "05/11/2012", "archive")) == "archived"


async def test_shows_entries_and_the_highlighted_one_in_full() -> None:
    long_note = "A long note " * 20
    entries = [entry("notes", "", long_note), entry("postcode", "W6 9DN", "W12 7AB")]
    app = Host(entries)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        view = app.query_one(HistoryView)
        assert view.table.row_count == 2
        first = view.table.rows[0].cells
        assert "Shani Lee" in first and "Notes" in first and "Changed" in first
        detail = str(view.query_one(".history-view--detail", Static).render())
        assert "was: (blank)" in detail
        assert " ".join(detail.split()).endswith(" ".join(long_note.split()))
        view.table.focus()
        await pilot.press("down")
        await pilot.pause()
        detail = str(view.query_one(".history-view--detail", Static).render())
        assert "was: W6 9DN" in detail and "now: W12 7AB" in detail


async def test_set_entries_replaces_and_empty_says_so() -> None:
    app = Host([entry("postcode", "W6 9DN", "W12 7AB")])
    async with app.run_test(size=(100, 20)) as pilot:
        view = app.query_one(HistoryView)
        view.set_entries([])
        await pilot.pause()
        assert view.table.row_count == 0
        assert view.table.empty_message == "No changes recorded yet"
        view.set_entries([entry("email", "a@b.org", "c@d.org"), entry("phone", "", "020")])
        assert view.table.row_count == 2
        assert view.entries[0].field == "email"


async def test_a_change_merged_from_another_site_says_so_under_its_author() -> None:
    from dataclasses import replace

    merged = replace(
        entry("phone", "020 1", "020 2"),
        merged_note="merged from Laptop B by Sam Okoro on 06/11/2012",
    )
    app = Host([merged, entry("postcode", "W6 9DN", "W12 7AB")])
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        view = app.query_one(HistoryView)
        detail = str(view.query_one(".history-view--detail", Static).render())
        assert "Shani Lee" in detail.splitlines()[0]
        assert detail.splitlines()[-1] == "merged from Laptop B by Sam Okoro on 06/11/2012"
        view.table.focus()
        await pilot.press("down")
        await pilot.pause()
        detail = str(view.query_one(".history-view--detail", Static).render())
        assert "merged from" not in detail
