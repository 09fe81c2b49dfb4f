"""The rules for an organisation's own fields: its name, website, numbers, postcode, boroughs.

`validate_organisation` is the one check of an organisation's values: the members form calls it
now and the importer is meant to call the same function. What needs the database (is the name
taken? which boroughs exist?) stays with the caller, which passes what it knows in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from desta_tui.domain.choices import ORGANISATION_KINDS
from desta_tui.domain.errors import ValidationError
from desta_tui.domain.forms import Checks, parse_flag, text_of
from desta_tui.domain.places import match_boroughs
from desta_tui.domain.validation import (
    normalise_name,
    validate_charity_number,
    validate_choice,
    validate_company_number,
    validate_email,
    validate_phone,
    validate_postcode,
)

NAME_MAX_LENGTH = 200
DEFAULT_KIND = "charity"
IS_MEMBER_BY_DEFAULT = True
"""A new organisation is a member unless someone says otherwise (the form's tick starts on)."""

# Characters that reorder or hide the text around them: in a name they make a list lie.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unwanted_character(text: str) -> str | None:
    """The first control character (or text-reordering mark) in `text`, if any."""
    if text.isascii() and text.isprintable():
        return None  # the common case, at C speed: no ASCII control character, no mark
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI_CONTROLS:
            return char
    return None


def validate_name(text: Any, field: str = "name", label: str = "Name") -> str:
    """A name (of an organisation or a person) as it is stored: Unicode composed (NFC), every
    run of spaces, tabs and line breaks made one space, none at the ends. Refuses a blank name,
    one over NAME_MAX_LENGTH characters, and one holding a control character."""
    raw = "" if text is None else str(text)
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if not name:
        raise ValidationError(field, f"{label} is required")
    char = _unwanted_character(name)
    if char is not None:
        raise ValidationError(
            field,
            f"{label} has an invisible control character in it (U+{ord(char):04X}): retype it",
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            field, f"{label} is too long: keep it under {NAME_MAX_LENGTH} characters"
        )
    return name


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


def validate_website(text: Any, field: str = "website") -> str:
    """A web address as typed (outer spaces removed); blank gives "". Refuses spaces and control
    characters inside, and any scheme but http:// or https:// when one is written."""
    website = "" if text is None else str(text).strip()
    if not website:
        return ""
    if any(char.isspace() for char in website):
        raise ValidationError(field, f"{website!r} is not a web address: it has a space in it")
    if _unwanted_character(website) is not None:
        raise ValidationError(
            field, f"{website!r} is not a web address: it has a control character in it"
        )
    scheme = _SCHEME.match(website)
    if scheme and scheme[1].casefold() not in ("http", "https"):
        raise ValidationError(
            field, f"{website!r} is not a web address: it should start http:// or https://"
        )
    return website


#: the fields read as text by their own check, in the order their complaints are listed
_TEXT_CHECKS = (
    ("charity_number", validate_charity_number),
    ("company_number", validate_company_number),
    ("postcode", validate_postcode),
    ("email", validate_email),
    ("phone", validate_phone),
    ("website", validate_website),
)

ORGANISATION_FIELDS = (
    "name", "kind", "is_member", "is_commissioner", "charity_number", "company_number",
    "address", "postcode", "email", "phone", "website", "notes", "borough", "boroughs",
)  # fmt: skip


def validate_organisation(
    values: Mapping[str, Any],
    *,
    known_boroughs: Sequence[str] | None = None,
    partial: bool = False,
    name_key: str | None = None,
) -> dict[str, Any]:
    """Check an organisation's raw values and return them tidy, or raise FormError naming every
    bad field at once (`.errors` maps field to message; `.validation_errors` keeps the order).

    `values` holds text as typed (or bools for the flags) under the names in
    ORGANISATION_FIELDS; missing names count as blank. The result has:
      name and name_key (normalise_name of it: the uniqueness key; the caller checks clashes),
      kind (a code; blank is "charity"), is_member (blank is yes), is_commissioner (blank is
      no), charity_number, company_number, postcode, email, phone (tidied by
      domain.validation), website, address, notes;
      and, only when `known_boroughs` (the hub's borough names) is given: borough (the one
      borough it is based in, a known name or None) and boroughs (known names it works in;
      blank means just `borough`).
    With `partial` (an import updating only the columns its file has), only names present in
    `values` are checked and returned, and no defaults are filled in.
    `name_key`, when given, is normalise_name of the name as typed, which the caller worked out
    already (an import keys every row's name to find its record): it is the key of the name as
    stored too (NFKC takes in validate_name's NFC, and both fold runs of spaces), so it is not
    worked out again.
    """
    # one check after another, without a helper call each: an import runs this on every row
    checks = Checks()
    errors = checks.errors
    clean: dict[str, Any] = {}
    if not partial or "name" in values:
        try:
            name = validate_name(values.get("name"), "name", "Name")
        except ValidationError as error:
            errors.append(error)
        else:
            clean["name"] = name
            clean["name_key"] = normalise_name(name) if name_key is None else name_key
    if not partial or "kind" in values:
        kind = text_of(values, "kind") or DEFAULT_KIND
        try:
            clean["kind"] = validate_choice(kind, ORGANISATION_KINDS, "kind")
        except ValidationError as error:
            errors.append(error)
            clean["kind"] = None
    for name, validator in _TEXT_CHECKS:
        if not partial or name in values:
            try:
                clean[name] = validator(text_of(values, name), name)
            except ValidationError as error:
                errors.append(error)
                clean[name] = None
    for name, default in (("is_member", IS_MEMBER_BY_DEFAULT), ("is_commissioner", False)):
        if not partial or name in values:
            try:
                clean[name] = parse_flag(values.get(name), name, default)
            except ValidationError as error:
                errors.append(error)
                clean[name] = None
    for name in ("address", "notes"):
        if not partial or name in values:
            clean[name] = text_of(values, name)
    if known_boroughs is not None:
        _check_boroughs(values, known_boroughs, partial, checks, clean)
    checks.raise_if_any()
    return clean


def _check_boroughs(
    values: Mapping[str, Any],
    known: Sequence[str],
    partial: bool,
    checks: Checks,
    clean: dict[str, Any],
) -> None:
    if not partial or "borough" in values:
        clean["borough"] = None
        typed = text_of(values, "borough")
        if typed:
            found = checks.run(match_boroughs, typed, known, field="borough")
            if found and len(found) > 1:
                checks.add("borough", "choose one borough the organisation is based in")
            elif found:
                clean["borough"] = found[0]
    if not partial or "boroughs" in values:
        works_in = checks.run(match_boroughs, text_of(values, "boroughs"), known)
        if not works_in and clean.get("borough"):
            works_in = [clean["borough"]]
        clean["boroughs"] = works_in or []
