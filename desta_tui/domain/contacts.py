"""The rules for a contact person's fields: name, role, email, phone, main contact."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desta_tui.domain.forms import Checks, parse_flag, text_of
from desta_tui.domain.organisations import validate_name
from desta_tui.domain.validation import validate_email, validate_phone

CONTACT_FIELDS = ("full_name", "role", "email", "phone", "is_primary", "notes")


def validate_contact(values: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Check a contact's raw values and return them tidy, or raise FormError naming every bad
    field at once.

    `values` holds text as typed (or a bool for is_primary) under CONTACT_FIELDS. The result:
    full_name (required; the same name rule as an organisation's, `validate_name`), role,
    email and phone (tidied by domain.validation), is_primary (blank is no), notes. With
    `partial`, only names present in `values` are checked and returned (an import updating
    some columns). The form and the importer both call this.
    """
    checks = Checks()
    clean: dict[str, Any] = {}

    def wanted(name: str) -> bool:
        return not partial or name in values

    if wanted("full_name"):
        clean["full_name"] = checks.run(validate_name, values.get("full_name"), "full_name", "Name")
    if wanted("role"):
        clean["role"] = text_of(values, "role")
    if wanted("email"):
        clean["email"] = checks.run(validate_email, text_of(values, "email"), "email")
    if wanted("phone"):
        clean["phone"] = checks.run(validate_phone, text_of(values, "phone"), "phone")
    if wanted("is_primary"):
        clean["is_primary"] = checks.run(parse_flag, values.get("is_primary"), "is_primary")
    if wanted("notes"):
        clean["notes"] = text_of(values, "notes")
    checks.raise_if_any()
    return clean
