"""keymap.toml: read and write the person's own keys (binding id = "key") for App.set_keymap."""

from __future__ import annotations

import os
import string
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.keys import KEY_NAME_REPLACEMENTS, Keys

from desta_tui.domain.errors import DestaError

__all__ = [
    "KEYMAP_FILENAME",
    "KeymapError",
    "KeymapResult",
    "check_key",
    "load_keymap",
    "read_keymap",
    "save_keymap",
]

KEYMAP_FILENAME = "keymap.toml"

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def _punctuation_key(char: str) -> str:
    """The name Textual gives a punctuation key: "?" is "question_mark", "/" is "slash"."""
    name = unicodedata.name(char).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


_KEY_NAMES = frozenset(
    {key.value.rpartition("+")[2] for key in Keys}
    | {_punctuation_key(char) for char in string.punctuation}
    | {"space", "comma", "plus"}
)

_HEADER = """\
# Desta hub desk: your own keys. One line per action: "binding id" = "key".
# Several keys for one action: "ctrl+n,f2". Key names: a letter or digit, enter, escape,
# tab, space, up, down, pageup, home, f1..f24, comma, question_mark...; modifiers ctrl+,
# shift+, alt+. Delete a line to go back to the built-in key. Press ? in the app to see keys.
"""


class KeymapError(DestaError):
    """The keymap file cannot be used as it stands; `.message` says where and why."""


@dataclass
class KeymapResult:
    """What a keymap file gave: the usable entries, and a sentence for each entry skipped."""

    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def check_key(keys: str) -> str | None:
    """Why `keys` (e.g. "ctrl+n" or "ctrl+n,f2") is not a key Textual knows, or None if fine."""
    if not keys.strip():
        return "no key given"
    for key in keys.split(","):
        key = key.strip()
        if not key:
            return f"{keys!r} has an empty key between commas (write a comma key as 'comma')"
        *modifiers, name = key.split("+") if key != "+" else ["+"]
        for modifier in modifiers:
            if modifier not in _MODIFIERS:
                if modifier.lower() in _MODIFIERS:
                    return f"write {modifier!r} in {key!r} in lower case: {modifier.lower()!r}"
                known = ", ".join(sorted(_MODIFIERS))
                return f"{modifier!r} in {key!r} is not a modifier (use {known})"
        if not name:
            return f"{key!r} ends in '+' (write the plus key as 'plus')"
        if len(name) == 1:
            if not name.isprintable() or name.isspace():
                return f"{key!r} is not a key you can press (write a space as 'space')"
        elif name not in _KEY_NAMES:
            if name.lower() in _KEY_NAMES:
                return f"write {name!r} in {key!r} in lower case: {name.lower()!r}"
            return f"{name!r} in {key!r} is not a key name (like enter, f2, pageup, comma)"
    return None


def _normalise(keys: str) -> str:
    return ",".join(key.strip() for key in keys.split(","))


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Unquoted dotted ids (members.new = "n") come back from TOML as nested tables."""
    for name, value in table.items():
        binding_id = f"{prefix}{name}"
        if isinstance(value, Mapping):
            yield from _flatten(value, binding_id + ".")
        else:
            yield binding_id, value


def read_keymap(
    path: str | os.PathLike[str], known_ids: Iterable[str] | None = None
) -> KeymapResult:
    """Read the keymap at `path`, keeping the good entries and describing the bad ones.

    A missing file is an empty keymap. A file that is not TOML at all raises KeymapError
    (with the line and column tomllib reports); anything else wrong is a `problems` entry.
    `known_ids`, if given, are the binding ids the app has: others are reported as unknown.
    """
    path = Path(path)
    result = KeymapResult()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return result
    except UnicodeDecodeError as error:
        raise KeymapError(f"{path} is not UTF-8 text ({error.reason}); save it as UTF-8") from None
    except OSError as error:
        raise KeymapError(f"cannot read {path}: {error.strerror or error}") from None
    # loaded only for a file there is: most people have none, and each start looks (~1 ms)
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise KeymapError(f"{path} is not valid TOML: {error}") from None

    for name in data:
        if name != "keys":
            result.problems.append(f"{path}: [{name}] is ignored: only a [keys] table is read")
    keys_table = data.get("keys", {})
    if not isinstance(keys_table, Mapping):
        result.problems.append(f"{path}: 'keys' must be a table: [keys]")
        return result

    known = set(known_ids) if known_ids is not None else None
    for binding_id, value in _flatten(keys_table):
        where = f"{path}: {binding_id!r}"
        if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
            value = ",".join(value)
        if not isinstance(value, str):
            result.problems.append(f'{where} must be a key in quotes, like "ctrl+n"')
            continue
        if known is not None and binding_id not in known:
            result.problems.append(f"{where} is not an action this app has")
            continue
        if reason := check_key(value):
            result.problems.append(f"{where}: {reason}")
            continue
        result.keymap[binding_id] = _normalise(value)
    return result


def load_keymap(
    path: str | os.PathLike[str], known_ids: Iterable[str] | None = None
) -> dict[str, str]:
    """The keymap at `path` as a dict for `App.set_keymap` ({} if there is no file).

    Raises KeymapError naming every problem, so a broken file is fixed, not half-applied
    without notice. Use `read_keymap` to apply the good part and list the rest.
    """
    result = read_keymap(path, known_ids)
    if result.problems:
        raise KeymapError("; ".join(result.problems))
    return result.keymap


def _toml_string(text: str) -> str:
    out = ['"']
    for char in text:
        if char in {'"', "\\"}:
            out.append("\\" + char)
        elif ord(char) < 32 or ord(char) == 127:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def save_keymap(path: str | os.PathLike[str], mapping: Mapping[str, str]) -> Path:
    """Write `mapping` (binding id -> keys) to `path` as TOML, sorted by id, atomically.

    Raises KeymapError if an entry is not a usable key, so the file always loads again.
    """
    problems = []
    for binding_id, keys in mapping.items():
        if not isinstance(binding_id, str) or not binding_id:
            problems.append(f"{binding_id!r} is not a binding id")
        elif not isinstance(keys, str):
            problems.append(f"{binding_id!r} must map to a key string")
        elif reason := check_key(keys):
            problems.append(f"{binding_id!r}: {reason}")
    if problems:
        raise KeymapError("; ".join(problems))

    path = Path(path)
    lines = [_HEADER, "[keys]"]
    lines += [
        f"{_toml_string(binding_id)} = {_toml_string(_normalise(mapping[binding_id]))}"
        for binding_id in sorted(mapping)
    ]
    text = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".keymap-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path
