"""The rules of an exception note."""

from __future__ import annotations

from datetime import date

import pytest

from desta_tui.domain.errors import FormError
from desta_tui.domain.exception_notes import CAUSE_CHARACTERS, validate_exception_note
from desta_tui.domain.periods import Period

OCTOBER = Period(2012, 10)


def test_a_cause_alone_or_an_action_with_its_owner_will_do():
    note = validate_exception_note("  Tutor left.  ", "", None, None, OCTOBER)
    assert (note.cause, note.action, note.owner) == ("Tutor left.", "", "")
    note = validate_exception_note("", "Run tasters", "  Rain   Trust ", date(2012, 10, 1), OCTOBER)
    assert note.owner == "Rain Trust" and note.recovery_on == date(2012, 10, 1)


def test_every_problem_at_once():
    with pytest.raises(FormError) as raised:
        validate_exception_note("x" * (CAUSE_CHARACTERS + 1), "Run tasters", "",
                                date(2012, 9, 30), OCTOBER)  # fmt: skip
    assert set(raised.value.errors) == {"cause", "owner", "recovery_on"}
    assert "30/09/2012" not in raised.value.errors["recovery_on"]
    assert "01/10/2012" in raised.value.errors["recovery_on"]
