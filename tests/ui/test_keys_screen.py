"""The Keys screen (#15): actions in words grouped by screen, a `/` filter, and a key another
action already has where both work is refused naming that action."""

from __future__ import annotations

from desta_tui.db.database import current_database
from desta_tui.paths import config_dir
from desta_tui.ui.app import DestaApp
from desta_tui.ui.binding_catalogue import all_bindings, key_conflict
from desta_tui.ui.keymap import load_keymap

SIZE = (80, 24)


async def _open_keys(pilot):
    await pilot.pause()
    await pilot.press("8", "k")
    await pilot.pause()
    screen = pilot.app.screen
    assert type(screen).__name__ == "KeysScreen"
    return screen


def test_actions_have_words_and_screen_names_not_ids_or_classes():
    infos = {info.binding_id: info for info in all_bindings()}
    assert infos["contract.edit"].where == "Contract screen"
    assert infos["contract.edit"].description == "Edit"
    assert infos["members.new"].where == "Members list"
    assert infos["app.quit"].where == "Everywhere"
    assert not any(info.where.endswith(("Screen", "Grid", "Table")) for info in infos.values())


def test_a_key_held_where_both_work_is_a_conflict_naming_the_holder():
    infos = all_bindings()
    assert key_conflict("contract.new", "e", infos, {}) == (
        "`e` is already Edit on the Contract screen"
    )
    assert key_conflict("contract.new", "f3,1", infos, {}) == "`1` is already Dashboard everywhere"
    # another screen's `e` does not count, nor a key its holder has been moved off
    assert key_conflict("members.new", "f3", infos, {}) is None
    assert key_conflict("contract.new", "e", infos, {"contract.edit": "f4"}) is None


def test_a_key_that_acts_while_typing_cannot_be_a_letter():
    """ctrl+q and the Reports screen's ctrl+b act before a text field sees the key: given a
    letter, digit or sign they would fire in the middle of a name being typed."""
    infos = all_bindings()
    for keys in ("q", "Q", "shift+q", "7", "slash", "space", "f5,b"):
        refusal = key_conflict("app.quit", keys, infos, {})
        assert refusal is not None and "would be typed into text fields" in refusal, keys
    assert "would be typed" in key_conflict("reports.build", "b", infos, {})
    assert key_conflict("app.quit", "ctrl+x", infos, {}) is None
    assert key_conflict("app.quit", "f10", infos, {}) is None
    assert key_conflict("members.new", "n", infos, {}) is None  # not a priority key: fine


async def test_filter_narrows_the_list_by_screen_and_words(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        keys = await _open_keys(pilot)
        table = keys.query_one("#keys-table")
        everything = table.row_count
        await pilot.press("slash", *"contract screen edit")
        await pilot.pause()
        assert [row.key for row in table.rows] == ["contract.edit"]
        assert table.rows[0].cells[:3] == ("Contract screen", "Edit", "e")
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == everything


async def test_remap_refuses_a_key_in_use_and_takes_a_free_one(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        keys = await _open_keys(pilot)
        assert keys.query_one("#keys-table").move_to_key("contract.new")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("e", "enter")
        await pilot.pause()
        modal = app.screen
        assert type(modal).__name__ == "KeyModal"  # still open: refused
        error = str(modal.query_one("#key-error").render())
        assert "`e` is already Edit on the Contract screen" in error
        assert modal.query_one("#key-input").value == "e"  # what was typed stays
        assert load_keymap(config_dir() / "keymap.toml") == {}
        await pilot.press("ctrl+u", *"f3", "enter")
        await pilot.pause()
        assert app.screen is keys
        assert load_keymap(config_dir() / "keymap.toml") == {"contract.new": "f3"}
        row = next(row for row in keys.query_one("#keys-table").rows if row.key == "contract.new")
        assert row.cells[2] == "f3"
