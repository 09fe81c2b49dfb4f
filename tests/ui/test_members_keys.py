"""Keys: keymap.toml is read at start (a bad one is a notice, not a crash), Settings remaps a
key, the new key works at once and the `?` help shows it."""

from __future__ import annotations

from desta_tui.db.database import current_database
from desta_tui.paths import config_dir
from desta_tui.ui.app import DestaApp
from desta_tui.ui.keymap import load_keymap, save_keymap
from desta_tui.ui.screens.common.keys_screen import all_bindings

SIZE = (120, 36)


def test_every_members_binding_has_an_id_and_is_listed():
    ids = {info.binding_id for info in all_bindings()}
    for wanted in ("members.new", "members.filter", "members.archive", "members.undo",
                   "members.consortium", "members.expiring", "organisation.edit",
                   "compliance.window", "form.save", "settings.keys"):  # fmt: skip
        assert wanted in ids


async def test_keymap_file_remaps_members_new_at_start(demo_db):
    save_keymap(config_dir() / "keymap.toml", {"members.new": "ctrl+n"})
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "MembersScreen"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert type(app.screen).__name__ == "OrganisationForm"


async def test_a_broken_keymap_file_is_a_notice_not_a_crash(demo_db):
    (config_dir() / "keymap.toml").write_text('[keys]\n"members.new" = ctrl+n\n')
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notices = [n.message for n in app._notifications]
        assert any("not valid TOML" in message for message in notices)
        await pilot.press("2", "n")
        await pilot.pause()
        assert type(app.screen).__name__ == "OrganisationForm"  # built-in keys still work


async def test_settings_remaps_a_key_and_help_shows_it(demo_db):
    app = DestaApp(database=current_database())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8", "k")
        await pilot.pause()
        keys = app.screen
        assert type(keys).__name__ == "KeysScreen"
        assert keys.query_one("#keys-table").move_to_key("members.new")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"cmd+n", "enter")  # not a key: refused next to the field, kept
        await pilot.pause()
        modal = app.screen
        assert type(modal).__name__ == "KeyModal"
        assert "not a modifier" in str(modal.query_one("#key-error").render())
        assert modal.query_one("#key-input").value == "cmd+n"
        await pilot.press("ctrl+u", *"f2", "enter")
        await pilot.pause()
        assert load_keymap(config_dir() / "keymap.toml") == {"members.new": "f2"}
        await pilot.press("escape", "2", "question_mark")
        await pilot.pause()
        text = app.screen.as_text()
        assert "F2: New" in text or "f2: New" in text
        await pilot.press("escape", "f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "OrganisationForm"
