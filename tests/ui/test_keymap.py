"""keymap.toml: load, validate, save, and the keys really change in an app."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.app import App
from textual.binding import Binding

from desta_tui.ui.keymap import KeymapError, check_key, load_keymap, read_keymap, save_keymap


def test_missing_file_is_an_empty_keymap(tmp_path: Path) -> None:
    assert load_keymap(tmp_path / "nowhere" / "keymap.toml") == {}


def test_load_quoted_and_dotted_ids(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text(
        '[keys]\n"members.new" = "ctrl+n"\nrecord_table.sort = "f4, s"\n'
        'form.save = ["ctrl+s", "f2"]\n',
        encoding="utf-8",
    )
    assert load_keymap(path) == {
        "members.new": "ctrl+n",
        "record_table.sort": "f4,s",
        "form.save": "ctrl+s,f2",
    }


def test_save_then_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config" / "desta" / "keymap.toml"
    mapping = {
        "members.new": "ctrl+n",
        "help.close": "escape,question_mark",
        'odd"id\\with.quotes': "f5",
        "filter_bar.clear": "ctrl+g",
    }
    save_keymap(path, mapping)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#")
    assert '"members.new" = "ctrl+n"' in text
    assert tomllib.loads(text)["keys"]["members.new"] == "ctrl+n"
    assert load_keymap(path) == mapping
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_save_refuses_a_key_that_would_not_load(tmp_path: Path) -> None:
    with pytest.raises(KeymapError, match="not a key name"):
        save_keymap(tmp_path / "keymap.toml", {"members.new": "control-n"})
    assert not (tmp_path / "keymap.toml").exists()


def test_bad_toml_gives_a_clear_message_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text('[keys]\n"members.new" = ctrl+n\n', encoding="utf-8")
    with pytest.raises(KeymapError) as caught:
        load_keymap(path)
    message = caught.value.message
    assert str(path) in message and "not valid TOML" in message and "line 2" in message


def test_bad_entries_are_named_and_the_good_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text(
        "[keys]\n"
        '"members.new" = "ctrl+n"\n'
        '"members.edit" = 5\n'
        '"members.archive" = "Ctrl+a"\n'
        '"members.open" = "enterr"\n'
        '"nobody.knows" = "f9"\n'
        "[colours]\n"
        'cursor = "red"\n',
        encoding="utf-8",
    )
    known = {"members.new", "members.edit", "members.archive", "members.open"}
    result = read_keymap(path, known_ids=known)
    assert result.keymap == {"members.new": "ctrl+n"}
    problems = "\n".join(result.problems)
    assert "[colours] is ignored" in problems
    assert "'members.edit' must be a key in quotes" in problems
    assert "'Ctrl' in 'Ctrl+a' in lower case" in problems
    assert "'enterr' in 'enterr' is not a key name" in problems
    assert "'nobody.knows' is not an action this app has" in problems
    with pytest.raises(KeymapError):
        load_keymap(path, known_ids=known)


def test_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_bytes(b'[keys]\n"members.new" = "\xa3"\n')
    with pytest.raises(KeymapError, match="UTF-8"):
        load_keymap(path)


def test_check_key() -> None:
    for good in ("n", "ctrl+n", "ctrl+shift+pageup", "f12", "question_mark", "?", "S", "comma"):
        assert check_key(good) is None, good
    for bad in ("", "ctrl+", "hyper+", "alt+foo", "a,,b", "cmd+n"):
        assert check_key(bad), bad


class KeyHost(App[None]):
    BINDINGS = [Binding("n", "new", "New", id="members.new")]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def action_new(self) -> None:
        self.pressed.append("new")


async def test_loaded_keymap_remaps_the_binding_in_an_app(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    save_keymap(path, {"members.new": "ctrl+n"})
    app = KeyHost()
    async with app.run_test() as pilot:
        app.set_keymap(load_keymap(path))
        await pilot.press("n")
        assert app.pressed == []
        await pilot.press("ctrl+n")
        assert app.pressed == ["new"]
