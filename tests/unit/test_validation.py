"""Tests for desta_tui.domain.validation: names, postcodes, contact details and registry numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.choices import MEMBERSHIP_STATUSES
from desta_tui.domain.errors import ValidationError
from desta_tui.domain.validation import (
    normalise_name,
    validate_charity_number,
    validate_choice,
    validate_company_number,
    validate_email,
    validate_phone,
    validate_postcode,
    validate_required,
)


def rejects(check, text, **kwargs):
    """The ValidationError `check` raises for `text`."""
    with pytest.raises(ValidationError) as caught:
        check(text, **kwargs)
    return caught.value


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hammersmith & Fulham CVS", "hammersmith and fulham cvs"),
        ("Hammersmith&Fulham CVS", "Hammersmith  AND  Fulham CVS"),
        ("St. Mary's Centre", "St Marys Centre"),
        ("St Mary’s Centre", "st marys centre"),  # curly apostrophe, as Word types it
        ("C.V.S. Brent", "CVS Brent"),
        ("  Rain   Trust ", "rain trust"),
        ("Age UK (Brent)", "Age UK Brent"),
        ("Kensington-Chelsea", "Kensington Chelsea"),
        ("STRASSE", "straße"),  # casefold, not lower
        ("Ｒａｉｎ Trust", "Rain Trust"),  # full-width letters pasted from elsewhere
    ],
)
def test_normalise_name_makes_same_names_collide(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_normalise_name_value():
    assert normalise_name("Hammersmith & Fulham C.V.S.") == "hammersmith and fulham cvs"
    assert normalise_name("") == ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Brent Mind", "Brent Minds"),
        ("Rain Trust", "Rain Trust 2"),
        ("Andover Trust", "over Trust"),  # "and" inside a word is not the word "and"
    ],
)
def test_normalise_name_keeps_different_names_apart(a, b):
    assert normalise_name(a) != normalise_name(b)


def test_normalise_name_keeps_other_scripts():
    assert normalise_name("ደስታ  ማህበር") == "ደስታ ማህበር"
    assert normalise_name("বাংলা") == "বাংলা"


@given(st.text(max_size=40))
def test_normalise_name_is_idempotent(name):
    once = normalise_name(name)
    assert normalise_name(once) == once
    assert once == once.strip()
    assert "  " not in once


# --- required ----------------------------------------------------------------------------


def test_validate_required():
    assert validate_required("  Rain Trust ", "name", "Name") == "Rain Trust"
    error = rejects(validate_required, "   ", field="name", label="Name")
    assert (error.field, error.message) == ("name", "Name is required")
    error = rejects(validate_required, None, field="contact_name")
    assert error.message == "Contact name is required"


# --- postcodes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("W6 9DN", "W6 9DN"),
        ("w6 9dn", "W6 9DN"),
        ("W69DN", "W6 9DN"),
        ("  w6   9dn ", "W6 9DN"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("HA0 4UH", "HA0 4UH"),
        ("UB3 1AA", "UB3 1AA"),
        ("GIR 0AA", "GIR 0AA"),
        ("gir0aa", "GIR 0AA"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_validate_postcode_accepts_and_tidies(text, expected):
    assert validate_postcode(text) == expected


def test_validate_postcode_blank_none():
    assert validate_postcode(None) == ""


@pytest.mark.parametrize("text", ["W6", "XYZ", "W6 9D", "QW1 1AA", "W6 9CN", "12345", "SW1A 1AAA"])
def test_validate_postcode_rejects(text):
    error = rejects(validate_postcode, text, field="office_postcode")
    assert error.field == "office_postcode"
    assert error.message == (
        f"{text!r} is not a UK postcode: it should look like W6 9DN or SW1A 1AA"
    )


def test_validate_postcode_suggests_zero_for_letter_o():
    error = rejects(validate_postcode, "W6 ODN")
    assert error.message.endswith("(did you mean W6 0DN, with a zero?)")


# --- email -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jane@example.org", "jane@example.org"),
        (" Jane.Doe@Example.ORG ", "Jane.Doe@example.org"),
        ("jane+hub@mail.example.co.uk", "jane+hub@mail.example.co.uk"),
        ("Jane Doe <jane@example.org>", "jane@example.org"),
        ("mailto:jane@example.org", "jane@example.org"),
        ("info@rain-trust.org.uk", "info@rain-trust.org.uk"),
        ("", ""),
        (None, ""),
    ],
)
def test_validate_email_accepts(text, expected):
    assert validate_email(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("jane", "it needs one @, like name@example.org"),
        ("jane@@example.org", "it needs one @, like name@example.org"),
        ("a@b@example.org", "it needs one @, like name@example.org"),
        ("jane@example", "the part after the @ should be a domain, like example.org"),
        ("jane@-example.org", "the part after the @ should be a domain, like example.org"),
        ("jane@example.o", "the part after the @ should be a domain, like example.org"),
        ("@example.org", "it needs a name before the @"),
        ("jane doe@example.org", "it has a space in it"),
        ("jane..doe@example.org", "dots cannot come together or start or end the name"),
        (".jane@example.org", "dots cannot come together or start or end the name"),
    ],
)
def test_validate_email_rejects(text, reason):
    error = rejects(validate_email, text)
    assert error.field == "email"
    assert error.message == f"{text!r} is not an email address: {reason}"


# --- phone -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("020 7946 0000", "020 7946 0000"),
        ("02079460000", "020 7946 0000"),
        ("(020) 7946 0000", "020 7946 0000"),
        ("+44 20 7946 0000", "020 7946 0000"),
        ("+44 (0)20 7946 0000", "020 7946 0000"),
        ("+44 020 7946 0000", "020 7946 0000"),
        ("0044 20 7946 0000", "020 7946 0000"),
        ("020-7946-0000", "020 7946 0000"),
        ("020.7946.0000", "020 7946 0000"),
        ("07700900123", "07700 900123"),
        ("+447700 900123", "07700 900123"),
        ("01632 960123", "01632 960123"),
        ("0121 496 0000", "0121 496 0000"),
        ("0113 496 0000", "0113 496 0000"),
        ("0300 123 4567", "0300 123 4567"),
        ("08001234567", "0800 123 4567"),
        ("0800 123 456", "0800 123 456"),
        ("016977 1234", "01697 71234"),
        ("", ""),
        (None, ""),
    ],
)
def test_validate_phone_accepts_and_tidies(text, expected):
    assert validate_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("123", "UK numbers start with 0 or +44"),
        ("2079460000", "UK numbers start with 0 or +44"),
        ("020 7946 000", "numbers starting 020 have 11 digits, this has 10"),
        ("07700 90012", "numbers starting 077 have 11 digits, this has 10"),
        ("020 7946 00000", "a UK number has 10 or 11 digits, this has 12 digits"),
        ("0", "a UK number has 10 or 11 digits, this has 1 digit"),
        ("+33 1 23 45 67 89", "only UK numbers are accepted; start with 0 or +44"),
        ("00 33 1 23 45 67 89", "only UK numbers are accepted; start with 0 or +44"),
        ("020 7946 0000 ext 2", "letters are not allowed (put extensions in the notes)"),
        ("020/7946/0000", "unexpected character '/'"),
        ("020 7946+0000", "a + can only start the number"),
    ],
)
def test_validate_phone_rejects(text, reason):
    error = rejects(validate_phone, text, field="mobile")
    assert error.field == "mobile"
    assert error.message == f"{text!r} is not a UK phone number: {reason}"


@given(st.from_regex(r"0[1-9][0-9]{9}|01[0-9]{8}|0800[0-9]{6}", fullmatch=True))
def test_validate_phone_is_stable_on_its_own_output(digits):
    tidy = validate_phone(digits)
    assert tidy.replace(" ", "") == digits
    assert validate_phone(tidy) == tidy
    assert validate_phone("+44 " + digits[1:]) == tidy


def _grouped_group_by_group(digits: str) -> str:
    """The grouping as it was written before it was sliced at once: the sizes of each range's
    groups, then the groups cut one after another."""
    if len(digits) == 11:
        if digits.startswith("02"):
            sizes = (3, 4, 4)
        elif digits.startswith(("011", "03", "08", "09")) or digits[:4] in {
            "0121", "0131", "0141", "0151", "0161", "0191",
        }:  # fmt: skip
            sizes = (4, 3, 4)
        else:
            sizes = (5, 6)
    else:
        sizes = (5, 5) if digits.startswith("01") else (4, 3, 3)
    groups, start = [], 0
    for size in sizes:
        groups.append(digits[start : start + size])
        start += size
    return " ".join(groups)


@pytest.mark.parametrize("length", [10, 11])
@pytest.mark.parametrize(
    "first", [f"0{a}{b}{c}" for a in "123456789" for b in "0129" for c in "01"]
)
def test_phone_groups_are_those_cut_one_by_one(first, length):
    # every range the grouping tells apart (02, 011x, 01x1 cities, other 01, 03, 07, 08, 09),
    # ten digits and eleven
    digits = (first + "1234567890")[:length]
    if length == 10 and not digits.startswith(("01", "0800")):
        return  # refused before grouping
    assert validate_phone(digits) == _grouped_group_by_group(digits)
    for city in ("0121", "0131", "0141", "0151", "0161", "0191", "0800"):
        digits = (city + "1234567890")[:length]
        if length == 11 or digits.startswith(("01", "0800")):
            assert validate_phone(digits) == _grouped_group_by_group(digits)


# --- charity and company numbers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1012345", "1012345"),
        ("212345", "212345"),
        ("12345678", "12345678"),
        ("1012345-1", "1012345-1"),
        ("1012345 - 12", "1012345-12"),
        (" 1012 345 ", "1012345"),
        ("", ""),
        (None, ""),
    ],
)
def test_validate_charity_number_accepts(text, expected):
    assert validate_charity_number(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12345", "England & Wales numbers have 6 to 8 digits, like 1012345 or 1012345-1"),
        ("123456789", "England & Wales numbers have 6 to 8 digits, like 1012345 or 1012345-1"),
        ("1012345-", "England & Wales numbers have 6 to 8 digits, like 1012345 or 1012345-1"),
        ("1012345-123", "England & Wales numbers have 6 to 8 digits, like 1012345 or 1012345-1"),
        ("٢١٢٣٤٥", "England & Wales numbers have 6 to 8 digits, like 1012345 or 1012345-1"),
        (
            "SC012345",
            "Scottish (SC) and Northern Irish (NI) numbers are not England & Wales numbers",
        ),
    ],
)
def test_validate_charity_number_rejects(text, reason):
    error = rejects(validate_charity_number, text)
    assert error.field == "charity_number"
    assert error.message == f"{text!r} is not a charity number: {reason}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12345678", "12345678"),
        ("01234567", "01234567"),
        ("1234567", "01234567"),  # a spreadsheet dropped the leading zero
        ("2345", "00002345"),
        ("SC123456", "SC123456"),
        ("sc123456", "SC123456"),
        ("SC12345", "SC012345"),
        ("OC 301234", "OC301234"),
        ("NI 012345", "NI012345"),
        ("", ""),
        (None, ""),
    ],
)
def test_validate_company_number_accepts(text, expected):
    assert validate_company_number(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("123456789", "it has 8 digits (like 01234567) or 2 letters and 6 digits (like SC123456)"),
        ("SC1234567", "it has 8 digits (like 01234567) or 2 letters and 6 digits (like SC123456)"),
        ("X1234567", "it has 8 digits (like 01234567) or 2 letters and 6 digits (like SC123456)"),
        ("SC", "it has 8 digits (like 01234567) or 2 letters and 6 digits (like SC123456)"),
        ("1234-567", "it has 8 digits (like 01234567) or 2 letters and 6 digits (like SC123456)"),
        ("0", "it cannot be all zeros"),
        ("SC000000", "it cannot be all zeros"),
    ],
)
def test_validate_company_number_rejects(text, reason):
    error = rejects(validate_company_number, text)
    assert error.field == "company_number"
    assert error.message == f"{text!r} is not a company number: {reason}"


@given(st.integers(min_value=1, max_value=99_999_999))
def test_company_number_padding_round_trips(number):
    tidy = validate_company_number(str(number))
    assert len(tidy) == 8
    assert int(tidy) == number
    assert validate_company_number(tidy) == tidy


# --- choices -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["active", "ACTIVE", " Active ", "Active"])
def test_validate_choice_with_vocabulary(text):
    assert validate_choice(text, MEMBERSHIP_STATUSES, "status") == "active"


def test_validate_choice_with_mapping_pairs_and_plain_codes():
    kinds = {"safeguarding_policy": "Safeguarding policy", "dbs_check": "DBS check"}
    assert validate_choice("Safeguarding Policy", kinds) == "safeguarding_policy"
    assert validate_choice("safeguarding_policy", kinds) == "safeguarding_policy"
    assert validate_choice("dbs check", [("dbs_check", "DBS check")]) == "dbs_check"
    assert validate_choice("Month", ["month", "quarter"]) == "month"


def test_validate_choice_ignores_every_character_but_letters_and_digits_ascii_or_not():
    # plain ASCII takes a quicker path than other text: both drop the same characters
    punctuation = "".join(chr(code) for code in range(128) if not chr(code).isalnum())
    assert validate_choice(f"{punctuation}DBS{punctuation}check", [("dbs_check", "DBS check")])
    assert validate_choice(f"Café{punctuation}Ünion", [("cafe_union", "Café Ünion")])
    assert validate_choice("ÉCOLE—2", [("ecole2", "École 2")]) == "ecole2"
    with pytest.raises(ValidationError):
        validate_choice("DBS check 2", [("dbs_check", "DBS check")])


def test_validate_choice_rejects():
    error = rejects(validate_choice, "gone", choices=MEMBERSHIP_STATUSES, field="status")
    assert error.field == "status"
    assert error.message == "'gone' is not one of: Applied, Active, Suspended, Lapsed, Left"
    error = rejects(validate_choice, "  ", choices=["month", "quarter"])
    assert (error.field, error.message) == ("value", "choose one of: month, quarter")


def _normalise_name_the_long_way(name: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", name or "").casefold().replace("&", " and ")
    kept = [
        " " if unicodedata.category(char).startswith("P") else char
        for char in text
        if char not in "'’‘`´."
    ]
    return " ".join("".join(kept).split())


@given(st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
def test_normalise_name_plain_text_shortcut_agrees_with_the_long_way(name):
    assert normalise_name(name) == _normalise_name_the_long_way(name)


def test_normalise_name_plain_text_shortcut_agrees_with_the_long_way_on_every_ascii_character():
    every = "".join(chr(code) for code in range(128))
    for name in (every, every[::-1], " ".join(every), f"St. Mary's{every}C.V.S."):
        assert normalise_name(name) == _normalise_name_the_long_way(name)


def test_validate_choice_matches_a_word_again_as_it_matched_it_first():
    """A vocabulary keeps the words it has matched (a file types the same few on every row):
    the second time gives what the first gave, in each vocabulary its own, and a word it
    refused is refused again."""
    from desta_tui.domain.choices import Vocabulary

    first = Vocabulary(("a", "Apple"), ("b", "Pear"))
    second = Vocabulary(("x", "Pear"), ("y", "Apple"))
    for _ in range(3):
        assert validate_choice(" apple ", first) == "a"
        assert validate_choice(" apple ", second) == "y"
        assert validate_choice("PEAR", first) == "b"
        assert validate_choice("PEAR", second) == "x"
        with pytest.raises(ValidationError, match="is not one of"):
            validate_choice("plum", first)
        with pytest.raises(ValidationError, match="choose one of"):
            validate_choice("  ", second)
