"""One truth: a row the importer accepts is one the members form accepts, and only that."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desta_tui.db.database import close_database, db, open_database
from desta_tui.db.models import Borough, Consortium, Contact, Organisation
from desta_tui.domain.contacts import validate_contact
from desta_tui.domain.errors import FormError
from desta_tui.domain.organisations import IS_MEMBER_BY_DEFAULT, validate_organisation
from desta_tui.domain.validation import normalise_name
from desta_tui.services.importing import import_file
from tests.cli.helpers import desta

# letters and what trips a name or web address up: tabs, line breaks, control characters,
# a text-reversing mark, a zero-width space; no quote, comma or semicolon (the file's own)
ODD = st.sampled_from(["\t", "\n", "\r", "\x0b", "\x07", "\x1b", "\x7f", "\u202e", "\u200b", "é"])
PLAIN = st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x24F)
TEXT = st.text(st.one_of(PLAIN, PLAIN, PLAIN, st.just(" "), st.sampled_from("-./:&"), ODD))

names = st.one_of(
    TEXT,
    st.integers(150, 2100).map(lambda size: "N" * size),  # round the 200-character limit
    st.builds(lambda head, odd, tail: head + odd + tail, TEXT, ODD, TEXT),
)
websites = st.one_of(
    st.just(""),
    TEXT,
    st.builds(
        "{}{}".format,
        st.sampled_from(
            ["http://", "HTTPS://", "ftp://", "javascript://", "mailto:", "", "x-1://"]
        ),
        TEXT,
    ),
)
postcodes = st.one_of(st.sampled_from(["", "W6 9DN", "sw1a1aa", "W6", "ZZ99 9ZZ"]), TEXT)
flags = st.sampled_from(["", "yes", "No", "Y", "0", "x", "maybe", "✓"])
emails = st.sampled_from(["", "info@rain.org.uk", "not an email", "a@b"])
phones = st.sampled_from(["", "020 7946 0000", "07700 900123", "12"])

ORGANISATION_HEADERS = {
    "name": "Name",
    "kind": "Kind",
    "is_member": "Member",
    "postcode": "Postcode",
    "email": "Email",
    "phone": "Phone",
    "website": "Website",
    "notes": "Notes",  # never blank, so the row is never a blank line the reader skips
}
CONTACT_HEADERS = {
    "full_name": "Full name",
    "role": "Role",
    "email": "Email",
    "phone": "Phone",
    "is_primary": "Primary",
}


@pytest.fixture
def hub(db_path):
    with db.atomic():
        Consortium.create(name="Desta Health and Social Care Consortium", short_name="Desta")
        Borough.create(name="Brent")
        Organisation.create(name="Rain Trust", name_key=normalise_name("Rain Trust"))
    return db_path


def write_csv(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        out.writerow(headers)
        out.writerows(rows)
    return path


def form_accepts(validate, values: dict) -> bool:
    try:
        validate(values)
    except FormError:
        return False
    return True


def imports(kind: str, path: Path) -> bool:
    report = import_file(kind, path, dry_run=True)
    return report.ok


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(
    name=names,
    kind=st.sampled_from(["", "charity", "CIC", "club"]),
    member=flags,
    postcode=postcodes,
    email=emails,
    phone=phones,
    website=websites,
)
@example(name="N" * 2000, kind="", member="", postcode="", email="", phone="", website="")
@example(name="Rain\tTrust", kind="", member="", postcode="", email="", phone="", website="")
@example(name="Rain\nTrust", kind="", member="", postcode="", email="", phone="", website="")
@example(name="Rain\x07Trust", kind="", member="", postcode="", email="", phone="", website="")
@example(name="Rain", kind="", member="", postcode="", email="", phone="", website="ftp://x")
def test_an_organisation_row_imports_exactly_when_the_form_takes_it(
    hub, tmp_path_factory, name, kind, member, postcode, email, phone, website
):
    values = dict(
        name=name, kind=kind, is_member=member, postcode=postcode, email=email, phone=phone,
        website=website, notes="a row",
    )  # fmt: skip
    path = tmp_path_factory.mktemp("orgs") / "o.csv"
    write_csv(path, list(ORGANISATION_HEADERS.values()), [list(values.values())])
    # "Rain Trust" is there already: the importer would compare with it, not refuse it
    values_taken = form_accepts(validate_organisation, values)
    assert imports("organisations", path) == values_taken, values


@SETTINGS
@given(full_name=names, role=TEXT, email=emails, phone=phones, primary=flags)
@example(full_name="A" * 2000, role="", email="", phone="", primary="")
@example(full_name="Ada\tLovelace", role="", email="", phone="", primary="")
def test_a_contact_row_imports_exactly_when_the_form_takes_it(
    hub, tmp_path_factory, full_name, role, email, phone, primary
):
    values = dict(full_name=full_name, role=role, email=email, phone=phone, is_primary=primary)
    path = tmp_path_factory.mktemp("contacts") / "c.csv"
    write_csv(
        path,
        ["Organisation", *CONTACT_HEADERS.values()],
        [["Rain Trust", *values.values()]],
    )
    assert imports("contacts", path) == form_accepts(validate_contact, values), values


def test_a_blank_member_cell_means_a_member_as_on_the_form(hub, tmp_path):
    path = write_csv(
        tmp_path / "o.csv",
        ["Name", "Member"],
        [["Blank Cell Group", ""], ["Said No Group", "no"]],
    )
    assert import_file("organisations", path).ok
    members = {o.name: o.is_member for o in Organisation.select()}
    assert members["Blank Cell Group"] is IS_MEMBER_BY_DEFAULT is True
    assert members["Said No Group"] is False
    # and a file with no Member column at all
    path = write_csv(tmp_path / "p.csv", ["Name"], [["No Column Group"]])
    assert import_file("organisations", path).ok
    assert Organisation.get(Organisation.name == "No Column Group").is_member is True


def test_update_leaves_the_columns_the_file_has_not_alone(hub, tmp_path):
    with db.atomic():
        Organisation.update(is_member=False, website="https://rain.org.uk").where(
            Organisation.name == "Rain Trust"
        ).execute()
        Contact.create(
            organisation=Organisation.get(Organisation.name == "Rain Trust"),
            full_name="Ada Lovelace",
            email="ada@rain.org.uk",
            is_primary=True,
        )
    path = write_csv(tmp_path / "o.csv", ["Name", "Phone"], [["rain trust", "020 7946 0000"]])
    report = import_file("organisations", path, update=True)
    assert report.ok, report.errors
    rain = Organisation.get(Organisation.name == "Rain Trust")
    assert (rain.is_member, rain.website, rain.phone) == (
        False,
        "https://rain.org.uk",
        "020 7946 0000",
    )
    path = write_csv(
        tmp_path / "c.csv",
        ["Organisation", "Full name", "Role"],
        [["Rain Trust", "ada lovelace", "Chair"]],
    )
    report = import_file("contacts", path, update=True)
    assert report.ok, report.errors
    ada = Contact.get()
    assert (ada.full_name, ada.role, ada.email, ada.is_primary) == (
        "Ada Lovelace", "Chair", "ada@rain.org.uk", True,
    )  # fmt: skip


def test_a_member_sheet_cannot_bring_in_a_name_the_form_would_refuse(hub, tmp_path):
    path = write_csv(
        tmp_path / "m.csv",
        ["Organisation", "Consortium"],
        [["M" * 2000, "Desta"], ["Ok\x07Group", "Desta"]],
    )
    report = import_file("members", path)
    assert not report.ok
    assert [(e.line, e.column) for e in report.errors] == [(2, "Organisation"), (3, "Organisation")]
    assert "too long" in report.errors[0].message
    assert "control character" in report.errors[1].message


@pytest.mark.parametrize(
    ("name", "reason"),
    [("N" * 2000, "too long"), ("Rain\x07Trust", "invisible control character")],
)
def test_desta_import_refuses_the_names_the_form_refuses(db_path, tmp_path, name, reason):
    close_database()
    path = write_csv(
        tmp_path / "o.csv", ["Name", "Postcode"], [["Fine Group", "W6 9DN"], [name, "W6 9DN"]]
    )
    result = desta("import", "organisations", str(path), "--db", str(db_path))
    assert result.returncode == 1, result.stderr
    assert "line 3, column 'Name'" in result.stderr
    assert reason in result.stderr
    assert "Nothing was imported" in result.stderr


def test_desta_import_stores_a_name_with_a_tab_or_line_break_as_the_form_does(db_path, tmp_path):
    """The form's rule (domain.validate_name) folds a run of spaces, tabs and line breaks into
    one space: the name is stored clean, never with the tab or line break in it."""
    close_database()
    path = write_csv(tmp_path / "o.csv", ["Name"], [["Rain\tTrust"], ["Sun\r\nGroup"]])
    result = desta("import", "organisations", str(path), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    open_database(str(db_path))  # the file or the server the command wrote to
    stored = sorted(organisation.name for organisation in Organisation.select())
    assert stored == ["Rain Trust", "Sun Group"]
