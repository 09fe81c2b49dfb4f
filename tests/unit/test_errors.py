"""Tests for desta_tui.domain.errors: readable messages, fields kept, pickling survives."""

import pickle
from dataclasses import dataclass

import pytest

from desta_tui.domain.errors import (
    ComplianceGateError,
    DatabaseError,
    DestaError,
    FormError,
    ImportRowError,
    ReasonRequiredError,
    ValidationError,
)


@dataclass(frozen=True)
class Gap:
    """Stands in for a compliance gap: the error only reads its words."""

    text: str


def test_validation_error_keeps_field_and_message():
    error = ValidationError("postcode", "'W6' is not a UK postcode")
    assert error.field == "postcode"
    assert error.message == "'W6' is not a UK postcode"
    assert str(error) == "postcode: 'W6' is not a UK postcode"
    assert isinstance(error, DestaError)


def test_validation_error_without_field_reads_as_message():
    error = ValidationError(None, "the form is incomplete")
    assert error.field is None
    assert str(error) == "the form is incomplete"


def test_desta_error_message():
    error = DestaError("something went wrong")
    assert error.message == "something went wrong"
    assert str(error) == "something went wrong"


def test_form_error_collects_by_field_first_message_wins():
    error = FormError(
        [
            ValidationError("name", "enter a name"),
            ValidationError("postcode", "not a postcode"),
            ValidationError("name", "a second complaint"),
        ]
    )
    assert error.errors == {"name": "enter a name", "postcode": "not a postcode"}
    assert len(error.validation_errors) == 3
    assert str(error) == "name: enter a name; postcode: not a postcode; name: a second complaint"


def test_form_error_needs_errors():
    with pytest.raises(ValueError):
        FormError([])


def test_raise_if_any():
    FormError.raise_if_any([])  # nothing to complain about: no exception
    with pytest.raises(FormError) as caught:
        FormError.raise_if_any(iter([ValidationError("email", "needs an @")]))
    assert caught.value.errors == {"email": "needs an @"}


def test_import_row_error():
    error = ImportRowError(4, "Amount", "'£1,2x' is not an amount")
    assert (error.line, error.column, error.message) == (4, "Amount", "'£1,2x' is not an amount")
    assert str(error) == "line 4, column 'Amount': '£1,2x' is not an amount"
    assert str(ImportRowError(2, None, "too few columns")) == "line 2: too few columns"


def test_import_row_error_from_validation():
    error = ValidationError("postcode", "bad postcode")
    assert ImportRowError.from_validation(7, error).column == "postcode"
    wrapped = ImportRowError.from_validation(7, error, column="Post code")
    assert (wrapped.line, wrapped.column, wrapped.message) == (7, "Post code", "bad postcode")


def test_database_error():
    error = DatabaseError("the database was made by a newer version of Desta")
    assert isinstance(error, DestaError)
    assert str(error) == "the database was made by a newer version of Desta"


@pytest.mark.parametrize(
    "error",
    [
        DestaError("plain"),
        ValidationError("field", "message"),
        ValidationError(None, "message"),
        FormError([ValidationError("a", "x"), ValidationError("b", "y")]),
        ImportRowError(3, "col", "message"),
        DatabaseError("locked"),
        ReasonRequiredError("stage", "needs a reason", kind="stage", question="Why?"),
        ComplianceGateError("Rain Trust", [Gap("no insurance on file")]),
    ],
)
def test_errors_survive_pickling(error):
    # Worker processes and some test runners pickle exceptions; attributes must come back.
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    if isinstance(error, FormError):
        assert copy.errors == error.errors
    else:
        assert vars(copy) == vars(error)


def test_reason_required_error_says_what_to_ask():
    error = ReasonRequiredError(
        "stage", "moving back needs a reason", kind="stage", question="Why?"
    )
    assert isinstance(error, ValidationError)
    assert (error.field, error.kind, error.question) == ("stage", "stage", "Why?")
    assert str(error) == "stage: moving back needs a reason"


def test_compliance_gate_error_names_every_gap():
    gaps = [Gap("no insurance on file"), Gap("dbs check expired on 01/09/2012")]
    error = ComplianceGateError("Rain Trust", gaps)
    assert isinstance(error, ReasonRequiredError)
    assert error.field == "organisation"
    assert error.kind == "override"
    assert error.gaps == tuple(gaps)
    assert error.message == (
        "Rain Trust cannot carry contract risk: no insurance on file; dbs check expired on "
        "01/09/2012. Going ahead needs an override reason."
    )
    assert error.question.startswith("Rain Trust: no insurance on file; dbs check")
