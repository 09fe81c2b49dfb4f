"""Tests for desta_tui.domain.money: parsing typed amounts to pence and formatting them back."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.errors import ValidationError
from desta_tui.domain.money import MAX_PENCE, format_money, format_pounds_plain, parse_money


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("£1,234.50", 123450),
        ("1234.5", 123450),
        ("1,234", 123400),
        ("-£20", -2000),
        ("£-20", -2000),
        (" 670000 ", 67000000),
        ("£670,000", 67000000),
        ("£1,234,567.89", 123456789),
        ("0", 0),
        ("0.00", 0),
        ("-0", 0),
        (".5", 50),
        ("0.05", 5),
        ("12.", 1200),
        ("£ 20", 2000),
        ("\u2212£5", -500),  # the real minus sign, as pasted from Word
        ("£337,600", 33760000),
        ("999,999,999,999.99", MAX_PENCE),
    ],
)
def test_parse_money_accepts(text, pence):
    assert parse_money(text) == pence


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "enter an amount"),
        ("   ", "enter an amount"),
        ("£1,2x", "'£1,2x' is not an amount: unexpected character 'x'"),
        ("1.234", "'1.234' is not an amount: pence go to two decimal places"),
        ("1,23", "'1,23' is not an amount: commas must separate thousands, like 1,234,567"),
        ("1234,567", "'1234,567' is not an amount: commas must separate thousands, like 1,234,567"),
        (",123", "',123' is not an amount: commas must separate thousands, like 1,234,567"),
        ("1,,234", "'1,,234' is not an amount: commas must separate thousands, like 1,234,567"),
        ("1.2.3", "'1.2.3' is not an amount: it has more than one decimal point"),
        (
            "1.2,3",
            "'1.2,3' is not an amount: commas go before the decimal point, between thousands",
        ),
        ("£", "'£' is not an amount: there are no digits"),
        ("-", "'-' is not an amount: there are no digits"),
        ("£.", "'£.' is not an amount: there are no digits"),
        ("£670k", "'£670k' is not an amount: write the amount in full, without 'k' (like 670,000)"),
        ("-£-20", "'-£-20' is not an amount: a minus sign goes only at the start"),
        ("20-", "'20-' is not an amount: a minus sign goes only at the start"),
        ("(£20)", "'(£20)' is not an amount: unexpected character '('"),
        ("$5", "'$5' is not an amount: amounts are in pounds (£)"),
        (
            "1 234",
            "'1 234' is not an amount: unexpected space (write thousands with commas, like 1,234)",
        ),
        ("1e5", "'1e5' is not an amount: unexpected character 'e'"),
        ("££5", "'££5' is not an amount: unexpected character '£'"),
    ],
)
def test_parse_money_rejects_with_reason(text, message):
    with pytest.raises(ValidationError) as caught:
        parse_money(text, field="value_pence")
    assert caught.value.field == "value_pence"
    assert caught.value.message == message


def test_parse_money_default_field():
    with pytest.raises(ValidationError) as caught:
        parse_money("x")
    assert caught.value.field == "amount"


def test_parse_money_hints_at_lost_pound_sign_from_excel_csv():
    with pytest.raises(ValidationError) as caught:
        parse_money("?20")
    assert "CSV UTF-8" in caught.value.message


def test_parse_money_rejects_too_large_and_very_long_input():
    with pytest.raises(ValidationError, match="too large"):
        parse_money("1,000,000,000,000")
    with pytest.raises(ValidationError, match="too large"):
        parse_money("9" * 5000)  # must not reach int()'s own digit limit and crash


def test_parse_money_ignores_leading_zeros():
    assert parse_money("000000000000000012.34") == 1234


@pytest.mark.parametrize(
    ("pence", "text", "with_pence"),
    [
        (123450, "£1,234.50", "£1,234.50"),
        (67000000, "£670,000", "£670,000.00"),
        (-2000, "-£20", "-£20.00"),
        (-5, "-£0.05", "-£0.05"),
        (0, "£0", "£0.00"),
        (99, "£0.99", "£0.99"),
        (100, "£1", "£1.00"),
    ],
)
def test_format_money(pence, text, with_pence):
    assert format_money(pence) == text
    assert format_money(pence, always_pence=True) == with_pence


@pytest.mark.parametrize(
    ("pence", "text"),
    [(123450, "1234.50"), (67000000, "670000.00"), (-2000, "-20.00"), (-5, "-0.05"), (0, "0.00")],
)
def test_format_pounds_plain(pence, text):
    assert format_pounds_plain(pence) == text


@pytest.mark.parametrize("bad", [1.5, Decimal("1"), "100", True])
def test_formatters_refuse_non_integer_pence(bad):
    with pytest.raises(TypeError):
        format_money(bad)
    with pytest.raises(TypeError):
        format_pounds_plain(bad)


pence_values = st.integers(min_value=-MAX_PENCE, max_value=MAX_PENCE)


@given(pence_values, st.booleans())
def test_format_then_parse_round_trips(pence, always_pence):
    assert parse_money(format_money(pence, always_pence=always_pence)) == pence


@given(pence_values)
def test_plain_format_round_trips_and_matches_decimal(pence):
    text = format_pounds_plain(pence)
    assert parse_money(text) == pence
    assert Decimal(text) * 100 == pence


@given(st.text(max_size=20))
def test_parse_money_only_ever_raises_validation_error(text):
    try:
        result = parse_money(text)
    except ValidationError as error:
        assert error.message
    else:
        assert isinstance(result, int)
        assert abs(result) <= MAX_PENCE
