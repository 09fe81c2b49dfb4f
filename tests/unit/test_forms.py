"""Tests for domain/forms.py: collecting every field's complaint at once."""

from __future__ import annotations

import pytest

from desta_tui.domain.errors import FormError, ValidationError
from desta_tui.domain.forms import Checks


def _positive(text: str, field: str) -> int:
    number = int(text)
    if number <= 0:
        raise ValidationError(field, "must be more than nothing")
    return number


def test_put_stores_the_value_or_keeps_the_complaint_and_leaves_the_name_out():
    checks, clean = Checks(), {}
    checks.put(clean, "count", _positive, "3", "count")
    checks.put(clean, "size", _positive, "-1", "size")
    checks.put(clean, "nothing", lambda: None)
    assert clean == {"count": 3, "nothing": None}
    assert [error.field for error in checks.errors] == ["size"]
    with pytest.raises(FormError) as caught:
        checks.raise_if_any()
    assert caught.value.errors == {"size": "must be more than nothing"}


def test_run_collects_a_form_errors_complaints_too():
    checks = Checks()

    def two_bad_fields() -> None:
        raise FormError([ValidationError("a", "bad a"), ValidationError("b", "bad b")])

    assert checks.run(two_bad_fields) is None
    assert [error.field for error in checks.errors] == ["a", "b"]
