"""Money as integer pence: parse what people type (`£1,234.50`) and format it back for reading."""

from __future__ import annotations

from decimal import Decimal

from desta_tui.domain.errors import ValidationError

# Far above any hub contract, far below SQLite's 64-bit integer limit, and short enough that
# Python's int() limit on very long digit strings can never turn into an unexplained crash.
MAX_PENCE = 10**14 - 1

_MINUS_SIGNS = "-\u2212"  # a hyphen, and the real minus sign that Word and Excel sometimes paste
_DIGITS = "0123456789"


def parse_money(text: str, field: str = "amount") -> int:
    """Return the pence in `text`, such as `£1,234.50`, `-£20` or ` 670000 `.

    Raises ValidationError(field, message) saying what is wrong with the text.
    """
    raw = text.strip() if text is not None else ""
    if not raw:
        raise ValidationError(field, "enter an amount")

    def fail(reason: str) -> ValidationError:
        return ValidationError(field, f"{raw!r} is not an amount: {reason}")

    rest = raw
    negative = False
    # The minus sign may sit either side of the pound sign: people type both -£20 and £-20.
    if rest[0] in _MINUS_SIGNS:
        negative, rest = True, rest[1:].lstrip()
    if rest[:1] == "£":
        rest = rest[1:].lstrip()
    if not negative and rest[:1] in tuple(_MINUS_SIGNS):
        negative, rest = True, rest[1:].lstrip()

    for char in rest:
        if char not in _DIGITS and char not in ",.":
            raise fail(_why_unexpected(char, raw))

    if rest.count(".") > 1:
        raise fail("it has more than one decimal point")
    pounds, _, pence = rest.partition(".")
    if not (pounds.replace(",", "") or pence):
        raise fail("there are no digits")
    if "," in pence:
        raise fail("commas go before the decimal point, between thousands")
    if len(pence) > 2:
        raise fail("pence go to two decimal places")
    if "," in pounds and not _commas_in_place(pounds):
        raise fail("commas must separate thousands, like 1,234,567")

    digits = pounds.replace(",", "").lstrip("0")
    if len(digits) > len(str(MAX_PENCE // 100)):
        raise fail(f"it is too large (the most is {format_money(MAX_PENCE)})")

    amount = Decimal(f"{digits or '0'}.{pence or '0'}")
    result = int(amount * 100)
    if result > MAX_PENCE:
        raise fail(f"it is too large (the most is {format_money(MAX_PENCE)})")
    return -result if negative else result


def _why_unexpected(char: str, raw: str) -> str:
    if char in _MINUS_SIGNS:
        return "a minus sign goes only at the start"
    if char.isspace():
        return "unexpected space (write thousands with commas, like 1,234)"
    if char in "$€":
        return "amounts are in pounds (£)"
    if char.lower() in "km" and raw[-1:].lower() == char.lower():
        return f"write the amount in full, without {char!r} (like 670,000)"
    if char == "?" or char == "Â":
        # Excel's legacy "CSV (Comma delimited)" and wrong decoding mangle the pound sign.
        return (
            f"unexpected character {char!r}; the £ sign may have been lost in a CSV export, "
            "so save the file as 'CSV UTF-8' or XLSX"
        )
    return f"unexpected character {char!r}"


def _commas_in_place(pounds: str) -> bool:
    groups = pounds.split(",")
    return 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])


def _require_int(pence: int) -> None:
    # bool is an int subclass, and a float here means pence were computed the wrong way.
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"pence must be an int, not {type(pence).__name__}")


def format_money(pence: int, *, always_pence: bool = False) -> str:
    """`£1,234.50`; whole pounds as `£670,000` unless `always_pence`; negatives as `-£20`."""
    _require_int(pence)
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    shown_pence = f".{rest:02d}" if rest or always_pence else ""
    return f"{sign}£{pounds:,}{shown_pence}"


def format_pounds_plain(pence: int) -> str:
    """`1234.50` for CSV files: always two decimals, no pound sign, no commas."""
    _require_int(pence)
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}{pounds}.{rest:02d}"
