"""Form fields and FormScreen: errors shown next to fields, typed values kept."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from desta_tui.domain.dates import format_uk_date, parse_uk_date
from desta_tui.domain.errors import DatabaseError, FormError, ValidationError
from desta_tui.domain.money import format_money, parse_money
from desta_tui.ui.forms.fields import (
    CheckField,
    ChoiceField,
    DateField,
    FormField,
    MoneyField,
    TextAreaField,
    collect_values,
    show_errors,
)
from desta_tui.ui.forms.form_screen import FormScreen
from desta_tui.ui.widgets.confirm_modal import ConfirmModal

STATUSES = [("Applied", "applied"), ("Active", "active"), ("Lapsed", "lapsed")]


class FieldsHost(App[None]):
    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield FormField("Name", "name", "Rain Trust", required=True)
            yield MoneyField("Fee", "fee", parser=parse_money, formatter=format_money)
            yield DateField("Joined", "joined_on", parser=parse_uk_date, formatter=format_uk_date)
            yield ChoiceField("Status", "status", STATUSES, "active", required=True)
            yield CheckField("Board seat", "is_board_member")
            yield TextAreaField("Notes", "notes", "First line")


def field(app: App[Any], name: str) -> FormField:
    return next(f for f in app.query(FormField) if f.field_name == name)


async def test_collect_values_gives_raw_strings_and_bools() -> None:
    app = FieldsHost()
    async with app.run_test(size=(80, 50)) as pilot:
        field(app, "fee").focus_input()
        await pilot.pause()
        # (Pilot cannot press "£" in Textual 8.2: it sends the key without its character)
        app.query_one("#fee-input", Input).insert_text_at_cursor("£")
        await pilot.press(*"1,234.5")
        assert collect_values(app.query_one("#form")) == {
            "name": "Rain Trust",
            "fee": "£1,234.5",
            "joined_on": "",
            "status": "active",
            "is_board_member": False,
            "notes": "First line",
        }
        assert field(app, "fee").is_dirty
        assert not field(app, "name").is_dirty
        assert field(app, "status").raw == "active"


async def test_show_errors_marks_fields_focuses_first_and_returns_the_rest() -> None:
    app = FieldsHost()
    async with app.run_test(size=(80, 50)) as pilot:
        unplaced = show_errors(
            app.query_one("#form"),
            {"joined_on": "enter a date", "name": "enter a name", None: "Save failed"},
        )
        await pilot.pause()
        assert unplaced == {None: "Save failed"}
        assert field(app, "name").error == "enter a name"
        assert field(app, "joined_on").error == "enter a date"
        assert field(app, "name").has_class("-invalid")
        # the first bad field in form order gets focus, not the first in the dict
        assert app.focused is field(app, "name").input_widget
        error_line = field(app, "name").query_one(".form-field--error", Static)
        assert error_line.display
        assert "enter a name" in str(error_line.render())
        # a second round clears what is now right
        show_errors(app.query_one("#form"), {"fee": "enter an amount"})
        await pilot.pause()
        assert field(app, "name").error == ""
        assert not field(app, "name").has_class("-invalid")
        assert app.focused is field(app, "fee").input_widget


async def test_money_field_hint_on_blur_keeps_the_typed_text() -> None:
    app = FieldsHost()
    async with app.run_test(size=(80, 50)) as pilot:
        fee = field(app, "fee")
        fee.focus_input()
        await pilot.press(*"1234.5", "tab")
        await pilot.pause()
        assert fee.raw == "1234.5"  # untouched
        hint = fee.query_one(".form-field--hint", Static)
        assert hint.display and "£1,234.50" in str(hint.render())
        assert fee.error == ""
        fee.focus_input()
        await pilot.press("end", "x", "tab")
        await pilot.pause()
        assert fee.raw == "1234.5x"
        assert fee.error  # the parser's own message
        assert not hint.display


async def test_date_field_hint_reports_a_bad_date_then_clears_when_fixed() -> None:
    app = FieldsHost()
    async with app.run_test(size=(80, 50)) as pilot:
        joined = field(app, "joined_on")
        joined.focus_input()
        await pilot.press(*"31/02/2012", "tab")
        await pilot.pause()
        assert "February 2012 has 29 days" in joined.error
        joined.focus_input()
        await pilot.press(*["backspace"] * 10, *"1/10/12", "tab")
        await pilot.pause()
        assert joined.error == ""
        assert joined.raw == "1/10/12"
        assert "01/10/2012" in str(joined.query_one(".form-field--hint", Static).render())


async def test_choice_and_check_fields_report_their_values() -> None:
    app = FieldsHost()
    async with app.run_test(size=(80, 50)) as pilot:
        status = field(app, "status")
        assert isinstance(status.input_widget, Select)
        status.input_widget.value = "lapsed"
        check = field(app, "is_board_member")
        check.focus_input()
        await pilot.press("space")
        values = collect_values(app.query_one("#form"))
        assert values["status"] == "lapsed"
        assert values["is_board_member"] is True
        assert status.is_dirty and check.is_dirty


# --- FormScreen --------------------------------------------------------------------------


class MemberForm(FormScreen[str]):
    TITLE_TEXT = "New member"

    def __init__(self, failure: Exception | None = None) -> None:
        super().__init__()
        self.failure = failure
        self.saved: list[dict[str, Any]] = []

    def compose_fields(self) -> ComposeResult:
        yield FormField("Name", "name", required=True)
        yield MoneyField("Annual fee", "fee_pence")
        yield DateField("Joined", "joined_on")
        yield TextAreaField("Notes", "notes")

    def save(self, values: dict[str, Any]) -> str:
        self.saved.append(values)
        if self.failure is not None:
            raise self.failure
        return f"saved {values['name']}"


class FormHost(App[None]):
    def __init__(self, form: MemberForm) -> None:
        super().__init__()
        self.form = form
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.form, self.results.append)


def form_field(form: FormScreen[Any], name: str) -> FormField:
    return next(f for f in form.query(FormField) if f.field_name == name)


async def test_form_error_shows_messages_next_to_fields_and_keeps_input() -> None:
    failure = FormError(
        [
            ValidationError("name", "enter the organisation's name"),
            ValidationError("joined_on", "'32/1/12' is not a real date"),
        ]
    )
    form = MemberForm(failure)
    app = FormHost(form)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen is form
        # the first field has focus; type into the fee and the date, leave the name empty
        await pilot.press("tab", *"120", "tab", *"32/1/12", "ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open
        assert form.saved == [{"name": "", "fee_pence": "120", "joined_on": "32/1/12", "notes": ""}]
        assert form_field(form, "name").error == "enter the organisation's name"
        assert form_field(form, "joined_on").error == "'32/1/12' is not a real date"
        assert form_field(form, "fee_pence").error == ""
        assert form_field(form, "fee_pence").raw == "120"
        assert form_field(form, "joined_on").raw == "32/1/12"
        assert app.focused is form_field(form, "name").input_widget
        # fix it and save again: the form closes with the service's result
        form.failure = None
        await pilot.press(*"Rain Trust", "ctrl+s")
        await pilot.pause()
        assert app.results == ["saved Rain Trust"]
        assert app.screen is not form


async def test_single_validation_error_and_errors_without_a_field() -> None:
    form = MemberForm(ValidationError("fee_pence", "enter an amount like £1,234.50"))
    app = FormHost(form)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press(*"Brent", "ctrl+s")
        await pilot.pause()
        assert form_field(form, "fee_pence").error == "enter an amount like £1,234.50"
        assert app.focused is form_field(form, "fee_pence").input_widget

        form.failure = DatabaseError("The database is locked by another program: try again.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        message = form.query_one("#form-message", Static)
        assert message.display
        assert "database is locked" in str(message.render())
        assert form_field(form, "fee_pence").error == ""
        assert form_field(form, "name").raw == "Brent"

        form.failure = FormError([ValidationError(None, "A member with this name exists")])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "A member with this name exists." in str(message.render())

        form.failure = RuntimeError("disk I/O error")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Could not save: disk I/O error" in str(message.render())
        assert app.screen is form
        assert form_field(form, "name").raw == "Brent"


async def test_escape_on_a_clean_form_closes_at_once() -> None:
    form = MemberForm()
    app = FormHost(form)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
        assert form.saved == []


async def test_escape_on_a_dirty_form_asks_first_and_n_keeps_it_open() -> None:
    form = MemberForm()
    app = FormHost(form)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press(*"Ealing", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert app.screen.question == "Discard your changes?"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        assert form_field(form, "name").raw == "Ealing"
        assert isinstance(app.focused, Input)
        # now discard for real
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.results == [None]
        assert form.saved == []


async def test_tab_moves_between_fields_including_the_notes_area() -> None:
    form = MemberForm()
    app = FormHost(form)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        order = []
        for _ in range(4):
            order.append(app.focused)
            await pilot.press("tab")
        assert order == [
            form_field(form, name).input_widget
            for name in ("name", "fee_pence", "joined_on", "notes")
        ]
        await pilot.press("shift+tab")
        assert app.focused is form_field(form, "notes").input_widget
