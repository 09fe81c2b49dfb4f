"""Tests for desta_tui.domain.dates: UK date parsing and formatting."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.dates import (
    days_between,
    format_uk_date,
    full_year,
    parse_optional_uk_date,
    parse_uk_date,
)
from desta_tui.domain.errors import ValidationError

TODAY = date(2012, 11, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01/10/2012", date(2012, 10, 1)),
        ("1/10/2012", date(2012, 10, 1)),
        ("1/10/12", date(2012, 10, 1)),
        ("31/12/69", date(2069, 12, 31)),
        ("01/01/70", date(1970, 1, 1)),
        ("5/6/85", date(1985, 6, 5)),
        ("01-10-2012", date(2012, 10, 1)),
        ("01.10.2012", date(2012, 10, 1)),
        ("2012-10-01", date(2012, 10, 1)),
        ("2012/10/01", date(2012, 10, 1)),
        ("2012-10-01 00:00:00", date(2012, 10, 1)),
        ("2012-10-01T14:30", date(2012, 10, 1)),
        ("  29/02/2012  ", date(2012, 2, 29)),
        ("29/02/2000", date(2000, 2, 29)),
    ],
)
def test_parse_uk_date_accepts(text, expected):
    assert parse_uk_date(text) == expected


@pytest.mark.parametrize("text", ["today", "Today", "TODAY", " today "])
def test_today_uses_the_injected_date(text):
    assert parse_uk_date(text, today=TODAY) == TODAY


def test_today_defaults_to_the_real_date():
    assert parse_uk_date("today") == date.today()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "enter a date"),
        ("31/02/2012", "31/02/2012 is not a real date: February 2012 has 29 days"),
        ("29/02/2011", "29/02/2011 is not a real date: February 2011 has 28 days"),
        ("29/02/1900", "29/02/1900 is not a real date: February 1900 has 28 days"),
        ("31/04/2012", "31/04/2012 is not a real date: April 2012 has 30 days"),
        ("00/01/2012", "00/01/2012 is not a real date: there is no day 0"),
        ("01/00/2012", "01/00/2012 is not a real date: there is no month 0"),
        (
            "10/13/2012",
            "10/13/2012 is not a real date: there is no month 13 (the day comes first: dd/mm/yyyy)",
        ),
        ("2012-13-01", "2012-13-01 is not a real date: there is no month 13"),
        (
            "01/10/0212",
            "01/10/0212 is not a real date: the year 0212 looks wrong "
            "(use a year from 1900 to 2199)",
        ),
        ("1 Oct 2012", "'1 Oct 2012' is not a date: type it as dd/mm/yyyy, like 01/10/2012"),
        ("01/10-2012", "'01/10-2012' is not a date: type it as dd/mm/yyyy, like 01/10/2012"),
        ("01/10/012", "'01/10/012' is not a date: type it as dd/mm/yyyy, like 01/10/2012"),
        ("yesterday", "'yesterday' is not a date: type it as dd/mm/yyyy, like 01/10/2012"),
    ],
)
def test_parse_uk_date_rejects_with_reason(text, message):
    with pytest.raises(ValidationError) as caught:
        parse_uk_date(text, field="starts_on")
    assert caught.value.field == "starts_on"
    assert caught.value.message == message


def test_full_year_pivot():
    assert full_year(0) == 2000
    assert full_year(69) == 2069
    assert full_year(70) == 1970
    assert full_year(99) == 1999


def test_parse_optional_uk_date():
    assert parse_optional_uk_date("") is None
    assert parse_optional_uk_date("   ") is None
    assert parse_optional_uk_date(None) is None
    assert parse_optional_uk_date("01/10/2012") == date(2012, 10, 1)
    assert parse_optional_uk_date("today", today=TODAY) == TODAY
    with pytest.raises(ValidationError) as caught:
        parse_optional_uk_date("32/01/2012", field="expires_on")
    assert caught.value.field == "expires_on"


def test_format_uk_date():
    assert format_uk_date(date(2012, 10, 1)) == "01/10/2012"
    assert format_uk_date(date(999, 1, 2)) == "02/01/0999"
    assert format_uk_date(datetime(2012, 10, 1, 15, 30)) == "01/10/2012"
    assert format_uk_date(None) == ""


def test_days_between():
    assert days_between(date(2012, 10, 1), date(2012, 11, 5)) == 35
    assert days_between(date(2012, 11, 5), date(2012, 10, 1)) == -35
    assert days_between(date(2012, 2, 28), date(2012, 3, 1)) == 2
    assert days_between(TODAY, TODAY) == 0


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_format_then_parse_round_trips(d):
    assert parse_uk_date(format_uk_date(d)) == d
    assert parse_uk_date(d.isoformat()) == d


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)))
def test_short_form_round_trips_inside_the_pivot_window(d):
    assert parse_uk_date(f"{d.day}/{d.month}/{d.year % 100:02d}") == d


@given(st.text(max_size=20))
def test_parse_uk_date_only_ever_raises_validation_error(text):
    try:
        result = parse_uk_date(text, today=TODAY)
    except ValidationError as error:
        assert error.message
    else:
        assert isinstance(result, date)
