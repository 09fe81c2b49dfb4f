"""Tests for the member rules in domain/: organisations, contacts, memberships, yes/no fields."""

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.contacts import validate_contact
from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.forms import parse_flag, text_of
from desta_tui.domain.memberships import validate_membership
from desta_tui.domain.organisations import (
    NAME_MAX_LENGTH,
    validate_name,
    validate_organisation,
    validate_website,
)
from desta_tui.domain.places import match_boroughs
from desta_tui.domain.validation import normalise_name

ON = date(2012, 11, 5)
BOROUGHS = ["Brent", "Ealing", "Hammersmith & Fulham", "Harrow", "Hillingdon"]


def form_errors(call, *args, **kwargs) -> dict:
    with pytest.raises(FormError) as caught:
        call(*args, **kwargs)
    return caught.value.errors


def rejects(check, *args) -> str:
    with pytest.raises(ValidationError) as caught:
        check(*args)
    return caught.value.message


# --- names ----------------------------------------------------------------------------------


def test_names_are_tidied():
    assert validate_name("  Acton \t Men's\nShed ") == "Acton Men's Shed"
    decomposed = unicodedata.normalize("NFD", "Café Łączy")
    assert validate_name(decomposed) == "Café Łączy" != decomposed


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Name is required"),
        (" \t\n ", "Name is required"),
        (None, "Name is required"),
        ("x" * (NAME_MAX_LENGTH + 1), "Name is too long: keep it under 200 characters"),
        ("Rain\x00Trust", "Name has an invisible control character in it (U+0000): retype it"),
        ("Rain \x1b[31mTrust", "control character in it (U+001B)"),
        ("Rain \u202eTrust", "(U+202E)"),
    ],
)
def test_bad_names_are_refused(text, words):
    assert words in rejects(validate_name, text)


def test_joiners_that_scripts_need_are_kept():
    assert validate_name("ক্\u200dষ Trust") == "ক্\u200dষ Trust"


@given(st.text(max_size=250))
def test_a_name_is_tidy_or_refused(text):
    try:
        name = validate_name(text)
    except ValidationError as error:
        assert error.field == "name"
        return
    assert name == name.strip() and "  " not in name
    assert 0 < len(name) <= NAME_MAX_LENGTH
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name)
    assert "\n" not in name and "\t" not in name
    assert validate_name(name) == name  # tidying twice changes nothing
    assert normalise_name(name) == normalise_name(unicodedata.normalize("NFC", text))


# names whose key as typed could differ from their key as stored: decomposed letters, runs and
# kinds of spaces (no-break, ideographic, file separators), compatibility forms that NFKC turns
# into spaces or punctuation, combining marks after a space
_TRICKY_NAMES = [
    "  Acton \t Men's\nShed ",
    unicodedata.normalize("NFD", "Café Łączy"),
    "Rain\u00a0\u00a0Trust",
    "Rain\u3000Trust\u2003",
    "Rain\x1c\x1dTrust",
    "a\u00a8b",
    "e \u0301 Trust",
    " \u0301Trust",
    "\u2474 Hammersmith & Fulham C.V.S.",
    "ﬁne Ｆｕｌｌ Trust",
    "Ǆ Trust",
    "St. Mary’s",
]


@pytest.mark.parametrize("text", _TRICKY_NAMES)
def test_the_key_of_a_name_as_typed_is_the_key_as_stored(text):
    # an import passes the key of the name as typed (name_key=): it must be what the check
    # itself works out from the name it stores
    assert validate_organisation({"name": text}, name_key=normalise_name(text)) == (
        validate_organisation({"name": text})
    )


@given(st.text(max_size=60))
def test_the_key_as_typed_is_the_key_as_stored_for_any_text(text):
    try:
        name = validate_name(text)
    except ValidationError:
        return
    assert normalise_name(text) == normalise_name(name)


@pytest.mark.parametrize(
    "raw", [None, "", "  ", " yes ", "No", "x", "-", True, False, 0, 1, "  Hill St\n", "maybe"]
)
@pytest.mark.parametrize("partial", [False, True])
def test_kind_flags_and_free_text_read_as_text_of_and_parse_flag_read_them(raw, partial):
    # validate_organisation reads these cells inline (an import's every row): each must be
    # what the forms' own readers give, blank cells, bools and refusals alike
    values = {"name": "Rain Trust", "is_member": raw, "is_commissioner": raw, "address": raw,
              "notes": raw}  # fmt: skip
    expected, refused = {}, {}
    for flag, default in (("is_member", True), ("is_commissioner", False)):
        try:
            expected[flag] = parse_flag(raw, flag, default)
        except ValidationError as error:
            refused[flag] = error.message
    for name in ("address", "notes"):
        expected[name] = text_of(values, name)
    if refused:  # parse_flag's complaint, against each flag
        assert form_errors(validate_organisation, values, partial=partial) == refused
    else:
        clean = validate_organisation(values, partial=partial)
        assert {name: clean[name] for name in expected} == expected
    kind = raw if isinstance(raw, str) and raw.strip() in ("", "x") else None
    if kind is not None:
        # blank is the default kind; a word not in the list is refused as the forms refuse it
        typed = {"name": "Rain Trust", "kind": kind}
        if text_of(typed, "kind"):
            assert "kind" in form_errors(validate_organisation, typed, partial=partial)
        else:
            assert validate_organisation(typed, partial=partial)["kind"] == "charity"


def test_a_name_key_given_is_the_one_returned():
    # the key is taken as given, not worked out again (the import's saving)
    clean = validate_organisation({"name": "Rain Trust"}, name_key="told")
    assert clean["name_key"] == "told"
    assert validate_organisation({"name": "Rain Trust"})["name_key"] == "rain trust"


@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=50))
def test_ordinary_names_are_accepted(text):
    if text.strip():
        assert validate_name(text) == " ".join(unicodedata.normalize("NFC", text).split())


# --- websites -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("", ""),
        ("  www.rain.org.uk ", "www.rain.org.uk"),
        ("https://rain.org.uk/about", "https://rain.org.uk/about"),
        ("HTTP://rain.org.uk", "HTTP://rain.org.uk"),
    ],
)
def test_websites_kept_as_typed(text, stored):
    assert validate_website(text) == stored


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("rain trust.org", "it has a space in it"),
        ("rain.org\x07", "control character"),
        ("ftp://rain.org.uk", "it should start http:// or https://"),
        ("javascript://alert(1)", "it should start http:// or https://"),
    ],
)
def test_bad_websites_are_refused(text, words):
    assert words in rejects(validate_website, text)


@given(st.text(max_size=80))
def test_a_website_is_one_word_or_refused(text):
    try:
        website = validate_website(text)
    except ValidationError as error:
        assert error.field == "website"
        return
    assert website == text.strip()
    assert not any(ch.isspace() for ch in website)
    assert validate_website(website) == website


# --- boroughs -------------------------------------------------------------------------------


def test_boroughs_by_whole_name_or_a_unique_start():
    # the organisation form reads boroughs with domain.places.match_boroughs, as contracts do
    assert match_boroughs("brent; hammersmith and fulham", BOROUGHS) == [
        "Brent", "Hammersmith & Fulham",
    ]  # fmt: skip
    assert match_boroughs("Ealing/ brent\nEALING", BOROUGHS) == ["Brent", "Ealing"]
    assert "could be Hammersmith & Fulham or Harrow" in rejects(match_boroughs, "ha", BOROUGHS)
    assert "not a borough the hub knows" in rejects(match_boroughs, "Camden", BOROUGHS)


# --- the organisation as a whole -------------------------------------------------------------


def test_an_organisation_is_checked_and_tidied_in_one_call():
    clean = validate_organisation(
        {"name": " Acton  Men's Shed ", "postcode": "w3 6rs", "email": "Info@ACTON.org",
         "phone": "02089460000", "charity_number": "1 234 567", "boroughs": "ealing, ham",
         "borough": "ealing", "kind": "cio", "website": " acton.org "},
        known_boroughs=BOROUGHS,
    )  # fmt: skip
    assert clean == {
        "name": "Acton Men's Shed", "name_key": "acton mens shed", "kind": "cio",
        "charity_number": "1234567", "company_number": "", "postcode": "W3 6RS",
        "email": "Info@acton.org", "phone": "020 8946 0000", "website": "acton.org",
        "is_member": True, "is_commissioner": False, "address": "", "notes": "",
        "borough": "Ealing", "boroughs": ["Ealing", "Hammersmith & Fulham"],
    }  # fmt: skip


def test_defaults_member_charity_and_the_home_borough():
    clean = validate_organisation(
        {"name": "Rain Trust", "borough": "brent"}, known_boroughs=BOROUGHS
    )
    assert clean["is_member"] is True and clean["kind"] == "charity"
    assert clean["boroughs"] == ["Brent"]
    assert "borough" not in validate_organisation({"name": "Rain Trust"})  # no list, no check
    assert validate_organisation({"name": "x", "is_member": "no"})["is_member"] is False


def test_every_bad_field_at_once():
    errors = form_errors(
        validate_organisation,
        {"name": "  ", "postcode": "W6 9XX9", "email": "a@", "phone": "123",
         "charity_number": "12", "company_number": "ABC", "boroughs": "Camden",
         "borough": "h", "website": "a b", "is_member": "perhaps"},
        known_boroughs=BOROUGHS,
    )  # fmt: skip
    assert set(errors) == {
        "name", "postcode", "email", "phone", "charity_number", "company_number", "boroughs",
        "borough", "website", "is_member",
    }  # fmt: skip
    assert errors["name"] == "Name is required"
    assert errors["is_member"] == "'perhaps' is not yes or no"


def test_partial_checks_only_the_columns_given():
    assert validate_organisation({"postcode": "w3 6rs"}, partial=True) == {"postcode": "W3 6RS"}
    assert validate_organisation({"boroughs": ""}, known_boroughs=BOROUGHS, partial=True) == {
        "boroughs": []
    }
    assert form_errors(validate_organisation, {"name": ""}, partial=True) == {
        "name": "Name is required"
    }


# --- contacts and memberships -----------------------------------------------------------------


def test_a_contact_is_checked_and_tidied():
    clean = validate_contact({"full_name": " Zeynep   Kaya", "email": "Z@Rain.org.uk",
                              "is_primary": True, "role": " Chair "})  # fmt: skip
    assert clean == {"full_name": "Zeynep Kaya", "role": "Chair", "email": "Z@rain.org.uk",
                     "phone": "", "is_primary": True, "notes": ""}  # fmt: skip
    errors = form_errors(validate_contact, {"full_name": "", "phone": "+33 1 23"})
    assert set(errors) == {"full_name", "phone"} and errors["full_name"] == "Name is required"
    assert validate_contact({"phone": "020 7946 0000"}, partial=True) == {"phone": "020 7946 0000"}


def test_a_membership_cannot_end_before_it_began():
    errors = form_errors(
        validate_membership, {"status": "left", "joined_on": "01/02/2011", "left_on": "31/01/2011"},
        on=ON,
    )  # fmt: skip
    assert errors == {"left_on": "the date it left cannot come before the date it joined"}
    assert (
        "February 2011 has 28 days"
        in form_errors(validate_membership, {"joined_on": "31/02/2011"}, on=ON)["joined_on"]
    )


def test_a_membership_left_without_a_date_left_today_and_defaults():
    clean = validate_membership({"status": "Left", "joined_on": "1/2/11"}, on=ON)
    assert clean == {
        "status": "left", "joined_on": date(2011, 2, 1), "left_on": ON, "has_board_seat": False,
        "is_smg_member": False, "has_vote": True, "notes": "",
    }  # fmt: skip
    assert validate_membership({}, on=ON)["status"] == "active"
    assert validate_membership({"status": "left"}, on=ON, partial=True) == {"status": "left"}


# --- yes and no -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), ("Yes", True), (" y ", True), ("✓", True), ("x", True),
     ("no", False), ("0", False), ("-", False), ("", "default"), (None, "default"), (1, True),
     (0, False)],
)  # fmt: skip
def test_flags(value, expected):
    for default in (True, False):
        want = default if expected == "default" else expected
        assert parse_flag(value, "is_member", default) is want


def test_a_flag_that_is_neither_is_refused():
    assert rejects(parse_flag, "maybe", "has_vote") == "'maybe' is not yes or no"
