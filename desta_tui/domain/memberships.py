"""The rules for a membership of a consortium: its status, dates and seats."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from desta_tui.domain.choices import MEMBERSHIP_STATUSES
from desta_tui.domain.dates import parse_optional_uk_date
from desta_tui.domain.forms import Checks, parse_flag, text_of
from desta_tui.domain.validation import validate_choice

DEFAULT_STATUS = "active"
MEMBERSHIP_FIELDS = (
    "status", "joined_on", "left_on", "has_board_seat", "is_smg_member", "has_vote", "notes",
)  # fmt: skip


def validate_membership(
    values: Mapping[str, Any], *, on: date, partial: bool = False
) -> dict[str, Any]:
    """Check a membership's raw values and return them tidy, or raise FormError naming every
    bad field at once. Which consortium, and whether the organisation is in it already, need
    the database: the caller checks those.

    `values` holds text as typed (or dates, or bools for the flags) under MEMBERSHIP_FIELDS.
    The result: status (a code; blank is "active"), joined_on and left_on (UK dates, blank is
    none; it cannot leave before it joined; "left" with no date left means it left `on`, which
    is today), has_board_seat and is_smg_member (blank is no), has_vote (blank is yes), notes.
    With `partial`, only names present in `values` are checked and returned, with no defaults
    (an import updating some columns). The form and the importer both call this.
    """
    checks = Checks()
    clean: dict[str, Any] = {}

    def wanted(name: str) -> bool:
        return not partial or name in values

    if wanted("status"):
        status = text_of(values, "status") or DEFAULT_STATUS
        clean["status"] = checks.run(validate_choice, status, MEMBERSHIP_STATUSES, "status")
    for name in ("joined_on", "left_on"):
        if wanted(name):
            clean[name] = checks.run(parse_optional_uk_date, text_of(values, name), name, on)
    joined_on, left_on = clean.get("joined_on"), clean.get("left_on")
    if joined_on and left_on and left_on < joined_on:
        checks.add("left_on", "the date it left cannot come before the date it joined")
    has_left = clean.get("status") == "left" and "left_on" in clean and left_on is None
    if has_left and not checks.errors:
        clean["left_on"] = on
    for name, default in (("has_board_seat", False), ("is_smg_member", False), ("has_vote", True)):
        if wanted(name):
            clean[name] = checks.run(parse_flag, values.get(name), name, default)
    if wanted("notes"):
        clean["notes"] = text_of(values, "notes")
    checks.raise_if_any()
    return clean
