"""The Members section through the keyboard: list, filter, sort, consortium, archive and undo,
the organisation's tabs, every form with bad input, escape with unsaved changes, the palette."""

from __future__ import annotations

from textual.widgets import Input

from desta_tui.db.database import current_database
from desta_tui.services import members
from desta_tui.ui.app import DestaApp
from desta_tui.ui.widgets.record_table import RecordTable
from tests.waiting import wait_for_palette_match

SIZE = (120, 36)


def app_on_demo() -> DestaApp:
    return DestaApp(database=current_database())


async def open_members(pilot) -> RecordTable:
    await pilot.press("2")
    await pilot.pause()
    return pilot.app.screen.query_one("#members-table", RecordTable)


def names(table: RecordTable) -> list[str]:
    return [row.cells[0] for row in table.rows]


def heading(app) -> str:
    return str(app.screen.query_one("#members-heading").render())


async def test_list_shows_every_organisation_with_words_for_compliance(demo_db):
    app = app_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        table = await open_members(pilot)
        assert app.focused is table
        assert table.row_count == members.list_organisations("").total
        rows = {row.cells[0]: row for row in table.rows}
        golborne = rows["Golborne Community Health Forum"]
        assert golborne.cells[4] == "expired" and golborne.style == "error"
        assert rows["Westway Wellbeing Project"].cells[4] == "expiring"
        assert rows["Pimlico Healthy Living Club"].cells[4] == "missing"
        assert rows["Rain Trust"].cells[2:4] == ("Active", "yes")
        assert "All consortia" in heading(app)


async def test_filter_as_you_type_and_escape_clears(demo_db):
    app = app_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        table = await open_members(pilot)
        everyone = table.row_count
        await pilot.press("slash", *"rain")
        await pilot.pause()
        assert names(table) == ["Rain Trust"]
        assert "1 organisation matches 'rain'" in heading(app)
        # digits typed in the filter are typed, they do not switch sections
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "members" and table.row_count == 0
        assert table.empty_message == "No organisations match 'rain1'"
        await pilot.press("backspace", "escape")
        await pilot.pause()
        assert table.row_count == everyone and app.focused is table
        # a borough and a contact's name are found too
        await pilot.press("slash", *"westminster")
        await pilot.pause()
        assert table.row_count and all("Westminster" in r.cells[1] for r in table.rows)
        await pilot.press("enter")
        assert app.focused is table


async def test_sort_by_columns_and_reverse(demo_db):
    app = app_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        table = await open_members(pilot)
        await pilot.press("s")  # by name
        await pilot.pause()
        shown = names(table)
        assert shown == sorted(shown, key=str.casefold)
        await pilot.press("S")
        await pilot.pause()
        assert names(table) == sorted(shown, key=str.casefold, reverse=True)
        for _ in range(5):  # on to the contacts column
            await pilot.press("s")
        await pilot.pause()
        assert table.sort_column == "contacts"
        counts = [int(row.cells[5]) for row in table.rows]
        assert counts == sorted(counts)


async def test_consortium_selector_and_palette_change_the_list(demo_db):
    app = app_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        table = await open_members(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConsortiumModal"
        await pilot.press("down", "enter")  # the first consortium: Desta
        await pilot.pause()
        desta = next(c for c in members.consortia() if c.short_name == "Desta")
        assert app.consortium_uuid == desta.uuid
        assert table.row_count == 37
        assert heading(app).startswith("Desta Health and Social Care Consortium · 37")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Show consortium: Valens")
        await wait_for_palette_match(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert table.row_count == 19
        await pilot.press("c", "escape")  # escape keeps the choice
        await pilot.pause()
        assert table.row_count == 19


async def test_archive_asks_first_then_undo_brings_it_back(demo_db):
    app = app_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        table = await open_members(pilot)
        await pilot.press("slash", *"rain", "enter")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("y", "enter")  # y answers nothing; enter presses the focused Keep
        await pilot.pause()
        assert names(table) == ["Rain Trust"]
        await pilot.press("a", "left", "enter")  # to "Archive Rain Trust", then enter
        await pilot.pause()
        assert table.row_count == 0
        await pilot.press("h")  # show archived
        await pilot.pause()
        assert names(table) == ["Rain Trust (archived)"]
        assert table.rows[0].style == "archived"
        await pilot.press("h", "u")
        await pilot.pause()
        assert names(table) == ["Rain Trust"]


async def test_new_organisation_bad_input_is_shown_and_kept_then_saved(demo_db):
    app = app_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        table = await open_members(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "OrganisationForm"
        await pilot.press(*"RAIN  trust")  # the name is taken, ignoring case and spaces
        for _ in range(6):  # kind, based in, works in, charity no., company no., address
            await pilot.press("tab")
        await pilot.press("tab", *"W6 9XX9")  # postcode
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.is_attached and app.screen is form
        name_field = form.query_one("#field-name")
        assert name_field.error == "'Rain Trust' is already in the hub"
        assert "not a UK postcode" in form.query_one("#field-postcode").error
        assert form.query_one("#name-input", Input).value == "RAIN  trust"
        assert app.focused is form.query_one("#name-input", Input)
        await pilot.press("ctrl+u", *"Rain Garden Trust")
        postcode = form.query_one("#postcode-input", Input)
        postcode.value = "W6 9DN"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        assert table.current_row.cells[0] == "Rain Garden Trust"


async def test_escape_with_unsaved_changes_asks_first(demo_db):
    app = app_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        await open_members(pilot)
        await pilot.press("slash", *"harrow deaf", "enter", "e")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "OrganisationForm"
        await pilot.press("end", *" Centre", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "UnsavedModal"
        await pilot.press("enter")  # Cancel has the focus: keep editing, nothing lost
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#name-input", Input).value == "Harrow Deaf Access Centre"
        await pilot.press("escape", "left", "enter")  # Discard
        await pilot.pause()
        assert type(app.screen).__name__ == "MembersScreen"
        assert members.list_organisations("deaf centre").rows == []
        # with nothing changed, escape leaves at once
        await pilot.press("e", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "MembersScreen"


async def test_organisation_tabs_and_item_forms(demo_db):
    app = app_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        await open_members(pilot)
        await pilot.press("slash", *"golborne", "enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "OrganisationScreen"
        assert "compliance: expired" in str(screen.query_one("#organisation-summary").render())
        # compliance tab: the expired insurance first, in words
        await pilot.press("p")
        await pilot.pause()
        papers = screen.query_one("#compliance-table", RecordTable)
        assert app.focused is papers
        assert papers.rows[0].cells[0] == "Insurance"
        assert papers.rows[0].cells[4] == "expired 16 days ago"
        # renew it with a bad date first
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "ComplianceForm"
        expires = form.query_one("#expires-on-input", Input)
        expires.value = "31/02/2014"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "February 2014 has 28 days" in form.query_one("#field-expires-on").error
        assert expires.value == "31/02/2014"
        expires.value = "20/10/2013"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "compliance: ok" in str(screen.query_one("#organisation-summary").render())
        # contacts tab: add one, with a bad email first
        await pilot.press("c", "n")
        await pilot.pause()
        form = app.screen
        await pilot.press(*"Selam Tesfaye", "tab", "tab", *"selam@", "ctrl+s")
        await pilot.pause()
        assert "not an email address" in form.query_one("#field-email").error
        await pilot.press(*"golborne.org.uk", "ctrl+s")
        await pilot.pause()
        contacts = screen.query_one("#contacts-table", RecordTable)
        assert contacts.current_row.cells[0] == "Selam Tesfaye"
        # memberships tab: joining Desta again is refused next to the field
        await pilot.press("m", "n")
        await pilot.pause()
        form = app.screen
        await pilot.press("enter", "down", "enter")  # open the list, choose Desta
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is already in Desta" in form.query_one("#field-consortium").error
        await pilot.press("escape")
        await pilot.pause()
        if type(app.screen).__name__ == "UnsavedModal":
            await pilot.press("left", "enter")  # Discard
            await pilot.pause()
        # contracts tab (read only) and history
        await pilot.press("k")
        await pilot.pause()
        partnered = screen.query_one("#contracts-table", RecordTable)
        assert [r.cells[0] for r in partnered.rows] == ["Expert Patient Service"]
        await pilot.press("y")
        await pilot.pause()
        history = screen.query_one("#organisation-history")
        assert history.entries[0].who == "test.officer"
        assert {e.field for e in history.entries} >= {"expires_on", "full_name"}
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "MembersScreen"


async def test_expiring_view_from_the_list_and_the_palette(demo_db):
    app = app_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        await open_members(pilot)
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#expiring-table", RecordTable)
        assert [r.cells[2] for r in table.rows][:2] == [
            "Golborne Community Health Forum",
            "Westway Wellbeing Project",
        ]
        at_60 = table.row_count
        await pilot.press("w")  # 90 days
        await pilot.pause()
        assert table.row_count > at_60
        await pilot.press("w")  # 30 days
        await pilot.pause()
        assert table.row_count == 2
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "OrganisationScreen"
        assert app.screen.active_tab == "compliance"
        await pilot.press("escape", "escape", "1")
        await pilot.pause()
        assert app.current_mode == "dashboard"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"papers expired")
        await wait_for_palette_match(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "members"
        assert type(app.screen).__name__ == "ComplianceScreen"


async def test_palette_opens_an_organisation_or_a_contact_from_anywhere(demo_db):
    contact = members.list_contacts(members.list_organisations("brent carers").rows[0].uuid)[0]
    app = app_on_demo()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.current_mode == "dashboard"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"rntrst")
        await wait_for_palette_match(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "members"
        assert type(app.screen).__name__ == "OrganisationScreen"
        assert app.screen.detail.name == "Rain Trust"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*contact.full_name)
        await wait_for_palette_match(pilot)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert screen.detail.name == "Brent Carers Alliance"
        assert screen.active_tab == "contacts"
        assert screen.query_one("#contacts-table", RecordTable).current_key == contact.uuid
