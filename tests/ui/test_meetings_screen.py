"""The Meetings section through the keyboard: a meeting made, attended, voted on and packed."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from textual.widgets import Static

from desta_tui.db.database import current_database
from desta_tui.services import meetings
from desta_tui.ui.app import DestaApp
from tests.waiting import wait_for_palette_match, wait_until

SIZE = (120, 36)


def screen_name(app) -> str:
    return type(app.screen).__name__


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def choose(pilot, words: str) -> None:
    """Open the focused Select, type to find the option, take it."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*words, "enter")
    await pilot.pause()


async def new_meeting(pilot, app, day: str, period: str = "") -> str:
    """From the Meetings list: n, an SMG of Desta on `day`; returns the new meeting's uuid."""
    await pilot.press("6")
    await wait_until(pilot, lambda: screen_name(app) == "MeetingsScreen", "the Meetings list")
    before = {row.uuid for row in meetings.list_meetings()}
    await pilot.press("n")
    await wait_until(pilot, lambda: screen_name(app) == "MeetingForm", "the meeting form")
    await pilot.press("tab")  # body: the SMG already chosen
    await choose(pilot, "Desta Health")
    await pilot.press("tab", *day, "tab", *"10:30", "tab", *"Rain Trust office", "tab", *period)
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: screen_name(app) == "MeetingsScreen", "the form to close")
    (made,) = {row.uuid for row in meetings.list_meetings()} - before
    return made


async def test_section_6_lists_the_meetings_newest_first(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await wait_until(pilot, lambda: screen_name(app) == "MeetingsScreen", "Meetings")
        rows = app.screen.query_one("#meetings-table").rows
        assert [row.cells[0] for row in rows][:2] == ["18/12/2012", "13/11/2012"]
        assert "Next: Desta SMG, 13/11/2012 (papers sent)" in text_of(app, "#meetings-summary")
        await pilot.press("slash", *"board", "enter")
        await pilot.pause()
        assert {row.cells[2] for row in app.screen.query_one("#meetings-table").rows} == {
            "Desta Board"
        }


async def test_a_meeting_made_attended_and_voted_from_the_keyboard(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        uuid = await new_meeting(pilot, app, "01/11/2012")
        detail = meetings.get_meeting(uuid)
        assert (detail.meeting_on.isoformat(), detail.place) == ("2012-11-01", "Rain Trust office")
        assert "Any other business" in [item.title for item in detail.agenda]  # standing agenda

        await pilot.press("enter")
        await wait_until(pilot, lambda: screen_name(app) == "MeetingScreen", "the meeting")
        await pilot.press("t", "t")  # papers sent, then held (it is past)
        await wait_until(pilot, lambda: meetings.get_meeting(uuid).status == "held", "held")

        # attendance: one member present, one sends apologies; the quorum line follows
        await pilot.press("right")
        await pilot.pause()
        assert "0 of 9 voting members present" in text_of(app, "#quorum-line")
        for person, kind in (("Farhan Abebe", ""), ("Abdi Mensah", "Apolog")):
            await pilot.press("n")
            await wait_until(pilot, lambda: screen_name(app) == "AttendanceForm", "the form")
            await choose(pilot, person)
            await pilot.press("tab", "tab")
            if kind:
                await choose(pilot, kind)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_name(app) == "MeetingScreen", "saved")
        await pilot.pause()
        kinds = {line.name: line.kind for line in meetings.get_meeting(uuid).attendance}
        assert kinds == {"Farhan Abebe": "present", "Abdi Mensah": "apologies"}
        assert "Not quorate: 1 of 9 voting members present" in text_of(app, "#quorum-line")

        # a decision on an item, and the vote of each voting member present
        await pilot.press("left")
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "v")  # item 5
        await wait_until(pilot, lambda: screen_name(app) == "DecisionForm", "the motion form")
        await pilot.press(*"That the hub renews its insurance", "tab")
        await choose(pilot, "Farhan Abebe")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen_name(app) == "VotesForm", "the votes form")
        assert "Fulham Carers' Network" in str(app.screen.query_one("#form-fields").query(
            "Label").first().render())  # fmt: skip
        await choose(pilot, "For")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen_name(app) == "MeetingScreen", "the vote saved")
        (decision,) = meetings.get_meeting(uuid).decisions
        assert decision.title == "That the hub renews its insurance"
        assert decision.outcome == "carried" and decision.is_quorate is False
        assert [(v.organisation_name, v.choice) for v in decision.votes] == [
            ("Fulham Carers' Network", "for")
        ]
        agenda_row = app.screen.query_one("#agenda-table").current_row
        assert "That the hub renews its insurance: Carried" in agenda_row.cells[4]


async def test_archive_asks_first_and_u_brings_it_back(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await wait_until(pilot, lambda: screen_name(app) == "MeetingsScreen", "Meetings")
        await pilot.press("a")  # the board of 18/12/2012: nothing recorded yet
        await wait_until(pilot, lambda: screen_name(app) == "ConfirmModal", "the question")
        await pilot.press("escape")
        await pilot.pause()
        assert len(meetings.list_meetings()) == 5
        await pilot.press("a")
        await wait_until(pilot, lambda: screen_name(app) == "ConfirmModal", "the question")
        await pilot.press("y", "enter")  # y answers nothing; enter presses the focused Keep
        await pilot.pause()
        assert len(meetings.list_meetings()) == 5
        await pilot.press("a")
        await wait_until(pilot, lambda: screen_name(app) == "ConfirmModal", "the question")
        await pilot.press("left", "enter")  # the named button: Archive <the meeting>
        await wait_until(pilot, lambda: len(meetings.list_meetings()) == 4, "archived")
        await pilot.press("u")
        await wait_until(pilot, lambda: len(meetings.list_meetings()) == 5, "restored")


async def build_pack_of_new_meeting(pilot, app) -> tuple[Path, str]:
    """A December SMG reporting on November, and its pack built from its screen (ctrl+b)."""
    uuid = await new_meeting(pilot, app, "04/12/2012", "2012-11")
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen_name(app) == "MeetingScreen", "the meeting")
    assert app.screen.detail.uuid == uuid
    await pilot.press("ctrl+b")
    await wait_until(pilot, lambda: app.last_pack_path is not None, "the pack", timeout=30)
    text = "\n".join(page.extract_text() for page in PdfReader(app.last_pack_path).pages)
    return app.last_pack_path, text


async def test_ctrl_b_on_a_meeting_builds_its_pack(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        path, text = await build_pack_of_new_meeting(pilot, app)
        assert path.is_file() and path.suffix == ".pdf"
        assert "2012-11" in path.name
        assert "November 2012" in text


async def test_the_pack_carries_the_meetings_date(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        _path, text = await build_pack_of_new_meeting(pilot, app)
        assert "04/12/2012" in text or "4 December 2012" in text


async def test_ctrl_b_from_anywhere_builds_the_smg_pack_and_names_the_file(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "ctrl+b")
        await wait_until(pilot, lambda: app.last_pack_path is not None, "the pack", timeout=30)
        assert app.last_pack_path.is_file()
        assert "smg-pack" in app.last_pack_path.name and "2012-10" in app.last_pack_path.name
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any(app.last_pack_path.name in message for message in said)


async def test_the_dashboard_names_the_next_meeting_and_its_pack_key(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        summary = text_of(app, "#dashboard-summary")
        assert "Next meeting: Desta SMG, 13/11/2012 at 10:00, papers sent" in summary
        assert "ctrl+b builds the pack" in summary


async def open_listed_meeting(pilot, app, downs: int) -> None:
    await pilot.press("6")
    await wait_until(pilot, lambda: screen_name(app) == "MeetingsScreen", "Meetings")
    await pilot.press(*["down"] * downs, "enter")
    await wait_until(pilot, lambda: screen_name(app) == "MeetingScreen", "the meeting")
    await pilot.pause()


async def test_items_move_and_a_suggested_declaration_is_offered(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await open_listed_meeting(pilot, app, 1)  # the SMG of 13/11/2012
        uuid = app.screen.detail.uuid
        titles = [item.title for item in meetings.get_meeting(uuid).agenda]
        assert titles[8] == "Expert Patient Service: year 2 target profile"
        await pilot.press(*["down"] * 8, "left_square_bracket")
        await wait_until(
            pilot,
            lambda: meetings.get_meeting(uuid).agenda[7].title == titles[8],
            "the item moved up",
        )
        await pilot.press("d")
        await wait_until(pilot, lambda: screen_name(app) == "DeclarationForm", "the form")
        assert "Church Street Neighbourhood Trust (delivery partner" in text_of(
            app, "#declaration-suggested"
        )
        await pilot.press("ctrl+s")  # the first suggestion comes filled in
        await wait_until(pilot, lambda: screen_name(app) == "MeetingScreen", "declared")
        (declared,) = meetings.get_meeting(uuid).agenda[7].declarations
        assert declared.organisation_name == "Church Street Neighbourhood Trust"
        assert declared.description == "delivery partner on Expert Patient Service"
        assert declared.is_withdrawn


async def test_approved_minutes_are_corrected_with_a_reason(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await open_listed_meeting(pilot, app, 4)  # the SMG of 11/09/2012, minutes approved
        uuid = app.screen.detail.uuid
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert "locked, a change is a correction" in text_of(app, "#meeting-minutes")
        await pilot.press("e")
        await wait_until(pilot, lambda: screen_name(app) == "ReasonModal", "the reason asked")
        await pilot.press(*"Apologies from Rain Trust left out", "enter")
        await wait_until(pilot, lambda: screen_name(app) == "MinutesForm", "the minutes form")
        await pilot.press(*"Corrected. ", "ctrl+s")
        await wait_until(pilot, lambda: screen_name(app) == "MeetingScreen", "saved")
        assert "Corrected. " in meetings.get_meeting(uuid).minutes


async def test_the_risk_register_takes_a_new_risk(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6", "r")
        await wait_until(pilot, lambda: screen_name(app) == "RisksScreen", "the risks")
        before = app.screen.query_one("#risks-table").row_count
        await pilot.press("n")
        await wait_until(pilot, lambda: screen_name(app) == "RiskForm", "the risk form")
        await pilot.press("tab", *"The hub loses its office", "tab", "4", "tab", "5")
        await pilot.press("tab", *"Hub manager")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen_name(app) == "RisksScreen", "saved")
        table = app.screen.query_one("#risks-table")
        assert table.row_count == before + 1
        assert table.rows[0].cells[:2] == ("The hub loses its office", "20 (4 x 5), very high")


async def test_a_risk_archived_after_asking_and_u_brings_it_back(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6", "r")
        await wait_until(pilot, lambda: screen_name(app) == "RisksScreen", "the risks")
        table = app.screen.query_one("#risks-table")
        before = table.row_count
        first = table.rows[0].cells[0]
        await pilot.press("a")
        await wait_until(pilot, lambda: screen_name(app) == "ConfirmModal", "the question")
        await pilot.press("enter")  # Keep has the focus
        await wait_until(pilot, lambda: screen_name(app) == "RisksScreen", "kept")
        assert table.row_count == before
        await pilot.press("a")
        await wait_until(pilot, lambda: screen_name(app) == "ConfirmModal", "the question")
        await pilot.press("left", "enter")  # Archive <the risk>
        await wait_until(pilot, lambda: table.row_count == before - 1, "archived")
        assert f"{first} archived: u brings it back." in text_of(app, "#risks-message")
        await pilot.press("u")
        await wait_until(pilot, lambda: table.row_count == before, "restored")
        assert "restored" in text_of(app, "#risks-message")
        await pilot.press("u")
        await wait_until(
            pilot, lambda: "Nothing to undo" in text_of(app, "#risks-message"), "nothing"
        )


async def test_the_palette_builds_the_board_pack(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Build the board pack")
        await wait_for_palette_match(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.last_pack_path is not None, "the pack", timeout=30)
        assert "board-pack" in app.last_pack_path.name and app.last_pack_path.is_file()
