"""Checks for what people type into forms and files: each returns the tidy value or says why not."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from desta_tui.domain.errors import ValidationError

# Dropped outright, so "St. Mary's" and "St Marys" meet; other punctuation splits words instead.
_DROPPED_IN_NAMES = "'’‘`´."


_ASCII_NAME_TABLE = {
    code: (None if chr(code) in _DROPPED_IN_NAMES else " ")
    for code in range(128)
    if chr(code) in _DROPPED_IN_NAMES or unicodedata.category(chr(code)).startswith("P")
}
"""normalise_name's rule for each ASCII character it changes: dropped, or a space."""


def _byte_tables(changes: Mapping[int, str | None]) -> tuple[bytes, bytes]:
    """str.translate's `changes` of ASCII characters (code -> an ASCII character, or None to
    drop it) as the table and the dropped bytes that bytes.translate takes: the same change
    of ASCII text without a dictionary look-up a character (ten times quicker)."""
    table = bytearray(range(256))
    for code, replacement in changes.items():
        if replacement is not None:
            table[code] = ord(replacement)
    return bytes(table), bytes(code for code, change in changes.items() if change is None)


_ASCII_NAME_BYTES = _byte_tables(_ASCII_NAME_TABLE)


def normalise_name(name: str) -> str:
    """A key under which names that people would call the same collide, for uniqueness checks.

    "Hammersmith & Fulham CVS" and "hammersmith and  fulham C.V.S." give the same key.
    """
    text = unicodedata.normalize("NFKC", name or "").casefold().replace("&", " and ")
    if text.isascii():
        # the common case, at C speed (an import keys thousands of names)
        changed = text.encode("ascii").translate(*_ASCII_NAME_BYTES).decode("ascii")
        return " ".join(changed.split())
    kept = []
    for char in text:
        if char in _DROPPED_IN_NAMES:
            continue
        kept.append(" " if unicodedata.category(char).startswith("P") else char)
    return " ".join("".join(kept).split())


def _label_for(field: str) -> str:
    return field.replace("_", " ").strip().capitalize() or "This"


def validate_required(value: str | None, field: str, label: str | None = None) -> str:
    """The value with outer spaces removed; refuses a blank one, naming it by `label`."""
    cleaned = "" if value is None else str(value).strip()
    if not cleaned:
        raise ValidationError(field, f"{label or _label_for(field)} is required")
    return cleaned


# Royal Mail's rules for which letters may stand where; GIR 0AA is the one historic exception.
_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"({_OUTWARD})({_INWARD})|(GIR)(0AA)")


def validate_postcode(text: str | None, field: str = "postcode") -> str:
    """A UK postcode in capitals with one space (`W6 9DN`); blank gives ""."""
    compact = "".join((text or "").split()).upper()
    if not compact:
        return ""
    if match := _POSTCODE.fullmatch(compact):
        outward, inward = (match[1], match[2]) if match[1] else (match[3], match[4])
        return f"{outward} {inward}"
    message = f"{text.strip()!r} is not a UK postcode: it should look like W6 9DN or SW1A 1AA"
    # The letter O typed for a zero is the commonest slip; say so when fixing it would help.
    guess = compact[:-3] + compact[-3:].replace("O", "0", 1) if len(compact) >= 5 else ""
    if guess != compact and _POSTCODE.fullmatch(guess):
        message += f" (did you mean {guess[:-3]} {guess[-3:]}, with a zero?)"
    raise ValidationError(field, message)


_EMAIL_DOMAIN = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}")
_ANGLE_ADDRESS = re.compile(r".*<([^<>]*)>")


def validate_email(text: str | None, field: str = "email") -> str:
    """An email address with its domain in lower case; blank gives "".

    Accepts `Jane Doe <jane@example.org>` and `mailto:` as pasted from mail programs.
    """
    raw = (text or "").strip()
    if not raw:
        return ""
    address = raw
    # only an address ending ">" can be one in angle brackets: the pattern is not tried on others
    if address.endswith(">") and (match := _ANGLE_ADDRESS.fullmatch(address)):
        address = match[1].strip()
    if address[:7].lower() == "mailto:":
        address = address[7:]

    def fail(reason: str) -> ValidationError:
        return ValidationError(field, f"{raw!r} is not an email address: {reason}")

    if address and address.split() != [address]:  # a space of any kind, found by str.split
        raise fail("it has a space in it")
    if address.count("@") != 1:
        raise fail("it needs one @, like name@example.org")
    local, domain = address.split("@")
    if not local:
        raise fail("it needs a name before the @")
    if ".." in address or local.startswith(".") or local.endswith("."):
        raise fail("dots cannot come together or start or end the name")
    if not _EMAIL_DOMAIN.fullmatch(domain):
        raise fail("the part after the @ should be a domain, like example.org")
    if len(address) > 254:
        raise fail("it is too long")
    return f"{local}@{domain.lower()}"


_PHONE_CHARACTERS = frozenset("0123456789 +()-.")


def validate_phone(text: str | None, field: str = "phone") -> str:
    """A UK phone number written the usual way (`020 7946 0000`, `07700 900123`); blank gives "".

    Accepts +44, 0044 and the +44 (0) form, brackets, dashes and dots.
    """
    raw = (text or "").strip()
    if not raw:
        return ""

    def fail(reason: str) -> ValidationError:
        return ValidationError(field, f"{raw!r} is not a UK phone number: {reason}")

    if not _PHONE_CHARACTERS.issuperset(raw):  # then find the first one that is not
        for char in raw:
            if char not in _PHONE_CHARACTERS:
                if char.isalpha():
                    raise fail("letters are not allowed (put extensions in the notes)")
                raise fail(f"unexpected character {char!r}")

    compact = raw.replace(" ", "").replace("-", "").replace(".", "")  # the separators
    if compact.startswith("0044"):
        compact = "+44" + compact[4:]
    if compact.startswith("+44"):
        # "+44 (0)20 ..." keeps the trunk zero in brackets; a bare "+44 20 ..." leaves it out.
        rest = compact[3:]
        rest = rest[3:] if rest.startswith("(0)") else rest
        compact = "0" + rest.replace("(", "").replace(")", "").lstrip("0")
    elif compact.startswith(("+", "00")):
        raise fail("only UK numbers are accepted; start with 0 or +44")
    compact = compact.replace("(", "").replace(")", "")
    if "+" in compact:
        raise fail("a + can only start the number")
    if not compact.startswith("0"):
        raise fail("UK numbers start with 0 or +44")
    if not 10 <= len(compact) <= 11:
        count = len(compact)
        raise fail(f"a UK number has 10 or 11 digits, this has {count} digit{'s' * (count != 1)}")
    if len(compact) == 10 and not compact.startswith(("01", "0800")):
        # Only some 01 areas and 0800 have 10 digits: a London or mobile number is one short.
        raise fail(f"numbers starting {compact[:3]} have 11 digits, this has 10")
    return _group_phone_digits(compact)


# Birmingham, Edinburgh, Glasgow, Liverpool, Manchester and Tyneside: written 4-3-4 like 011x.
_LARGE_CITY_CODES = {"0121", "0131", "0141", "0151", "0161", "0191"}


def _group_phone_digits(digits: str) -> str:
    """`digits` (10 or 11 of them, from 0) in the groups Ofcom writes each range in, so numbers
    read back the way people say them: 3-4-4 (02), 4-3-4 (011x, 03, 08, 09, the large cities),
    5-6 (other 01); ten digits 5-5 (01) or 4-3-3 (0800)."""
    # sliced at once rather than group by group: an import groups every row's number
    if len(digits) == 11:
        if digits.startswith("02"):
            return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        if digits.startswith(("011", "03", "08", "09")) or digits[:4] in _LARGE_CITY_CODES:
            return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
        return f"{digits[:5]} {digits[5:]}"
    if digits.startswith("01"):
        return f"{digits[:5]} {digits[5:]}"
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"


_CHARITY_NUMBER = re.compile(r"([0-9]{6,8})(?:-([0-9]{1,2}))?")


def validate_charity_number(text: str | None, field: str = "charity_number") -> str:
    """An England & Wales registered charity number: 6 to 8 digits, maybe `-1`; blank gives ""."""
    raw = (text or "").strip()
    compact = "".join(raw.split()).upper()
    if not compact:
        return ""
    if match := _CHARITY_NUMBER.fullmatch(compact):
        return match[1] + (f"-{match[2]}" if match[2] else "")
    reason = "England & Wales numbers have 6 to 8 digits, like 1012345 or 1012345-1"
    if compact.startswith(("SC", "NI")):
        reason = "Scottish (SC) and Northern Irish (NI) numbers are not England & Wales numbers"
    raise ValidationError(field, f"{raw!r} is not a charity number: {reason}")


_COMPANY_NUMBER = re.compile(r"([A-Z]{2})?([0-9]{1,8})")


def validate_company_number(text: str | None, field: str = "company_number") -> str:
    """A Companies House number of 8 characters (`01234567`, `SC123456`); blank gives "".

    Short numbers gain the leading zeros that spreadsheets strip off.
    """
    raw = (text or "").strip()
    compact = "".join(raw.split()).upper()
    if not compact:
        return ""
    match = _COMPANY_NUMBER.fullmatch(compact)
    width = 6 if match and match[1] else 8
    if not match or len(match[2]) > width:
        raise ValidationError(
            field,
            f"{raw!r} is not a company number: it has 8 digits (like 01234567) "
            "or 2 letters and 6 digits (like SC123456)",
        )
    digits = match[2].zfill(width)
    if not digits.strip("0"):
        raise ValidationError(field, f"{raw!r} is not a company number: it cannot be all zeros")
    return (match[1] or "") + digits


_ASCII_NOT_ALNUM = _byte_tables({code: None for code in range(128) if not chr(code).isalnum()})


def _choice_key(text: str) -> str:
    # Same matching rule as choices.Vocabulary.code_for: case, spaces and underscores ignored.
    folded = text.casefold()
    if folded.isascii():  # the common case, at C speed: the same characters dropped
        return folded.encode("ascii").translate(*_ASCII_NOT_ALNUM).decode("ascii")
    return "".join(char for char in folded if char.isalnum())


def validate_choice(
    value: str | None,
    choices: Mapping[str, str] | Iterable[Any],
    field: str = "value",
) -> str:
    """The stored code that `value` names, matching codes or labels and ignoring case.

    `choices` may be a Vocabulary (items with `.code` and `.label`), a mapping of code to label,
    (code, label) pairs, or plain codes. Note that Vocabulary.options() is (label, code): pass
    the Vocabulary itself instead.
    """
    index, labels, matched = _choice_index(choices)
    if matched is not None and type(value) is str:
        # a file types the same few words on every row: each is matched once
        code = matched.get(value)
        if code is not None:
            return code
    raw = (value or "").strip()
    if not raw:
        raise ValidationError(field, f"choose one of: {labels}")
    code = index.get(_choice_key(raw))
    if code is None:
        raise ValidationError(field, f"{raw!r} is not one of: {labels}")
    if matched is not None and type(value) is str and len(matched) < _MATCHED_LIMIT:
        matched[value] = code
    return code


def _choice_index(
    choices: Mapping[str, str] | Iterable[Any],
) -> tuple[dict[str, str], str, dict[str, str] | None]:
    """{matching key: code}, the labels as a sentence and, for a Vocabulary, the words already
    matched to their codes; a Vocabulary's are worked out once (an import checks the same few
    choices on every one of thousands of rows)."""
    if isinstance(choices, tuple):  # a Vocabulary: immutable, so its index can be kept
        known = _CHOICE_INDEXES.get(id(choices))
        if known is None or known[0] is not choices:
            known = (choices, *_build_choice_index(choices), {})
            if len(_CHOICE_INDEXES) > 64:
                _CHOICE_INDEXES.clear()
            _CHOICE_INDEXES[id(choices)] = known
        return known[1], known[2], known[3]
    return (*_build_choice_index(choices), None)


# id(vocabulary) -> (the vocabulary, its index, its labels, words matched); the vocabulary is
# kept with its index so the id cannot be reused while the entry stands
_CHOICE_INDEXES: dict[int, tuple[tuple, dict[str, str], str, dict[str, str]]] = {}
#: the most words kept matched per vocabulary (a file of typed words, each different, stops here)
_MATCHED_LIMIT = 256


def _build_choice_index(choices: Mapping[str, str] | Iterable[Any]) -> tuple[dict[str, str], str]:
    pairs = _choice_pairs(choices)
    index: dict[str, str] = {}
    for code, label in pairs:
        # the first choice a key names wins, as the loop over the choices in order did
        index.setdefault(_choice_key(code), code)
        index.setdefault(_choice_key(label), code)
    return index, ", ".join(label for _, label in pairs)


def _choice_pairs(choices: Mapping[str, str] | Iterable[Any]) -> list[tuple[str, str]]:
    if isinstance(choices, Mapping):
        return [(str(code), str(label)) for code, label in choices.items()]
    pairs = []
    for item in choices:
        if isinstance(item, str):
            pairs.append((item, item))
        elif isinstance(item, tuple) and len(item) == 2:
            pairs.append((str(item[0]), str(item[1])))
        else:
            pairs.append((str(item.code), str(item.label)))
    return pairs
