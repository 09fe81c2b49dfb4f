"""A row's planned outcome: the writes it makes and what changes, compared field by field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from desta_tui.db.models import Borough, RecordModel
from desta_tui.domain.errors import ValidationError
from desta_tui.services.audit import audit_text
from desta_tui.services.importing.lookups import PendingOrganisation
from desta_tui.services.importing.report import RowOutcome
from desta_tui.services.importing.rows import RowReader


@dataclass(slots=True)
class Step:
    """One write the import makes: create `model` with values, or change `existing`.
    (With slots, as Planned and RowOutcome: an import holds one of each a row until it ends.)"""

    model: type[RecordModel]
    values: dict[str, Any]
    existing: RecordModel | None = None
    boroughs: list[Borough] | None = None
    new_key: str | None = None  # set when this step creates an organisation others refer to


class ReturnFigure(NamedTuple):
    """A return's figure as it will stand once the file is imported, for the month's checks.
    (A tuple: an import makes one a row, and a frozen dataclass costs three times as much.)"""

    line: int
    partner_id: int  # the ContractPartner's
    contract_id: int
    code: str  # the metric's
    period: str  # the month's key, `2012-10`
    value: int


@dataclass(slots=True)
class Planned:
    """What one row does: its outcome, the writes behind it and, for a return, its figure."""

    outcome: RowOutcome
    steps: list[Step] = field(default_factory=list)
    figure: ReturnFigure | None = None


def _differences(existing: RecordModel, values: dict[str, Any]) -> list[str]:
    changes = []
    for name, new in values.items():
        old = getattr(existing, name)
        if isinstance(new, PendingOrganisation):
            continue
        if audit_text(name, old) != audit_text(name, new):
            label = name.replace("_", " ").removesuffix(" on").removeprefix("is ")
            changes.append(
                f"{label}: {audit_text(name, old) or '(blank)'} → "
                f"{audit_text(name, new) or '(blank)'}"
            )
    return changes


def outcome_for(
    reader: RowReader,
    label: str,
    model: type[RecordModel],
    existing: RecordModel | None,
    values: dict[str, Any],
    update: bool,
    *,
    boroughs: list[Borough] | None = None,
    old_boroughs: list[str] | None = None,
    new_key: str | None = None,
) -> Planned:
    if existing is None:
        step = Step(model, values, boroughs=boroughs, new_key=new_key)
        return Planned(RowOutcome(reader.line, "create", label), [step])
    changes = _differences(existing, values)
    borough_names = [b.name for b in boroughs] if boroughs is not None else None
    if borough_names is not None and borough_names != old_boroughs:
        changes.append(
            f"boroughs: {'; '.join(old_boroughs or []) or '(none)'} → "
            f"{'; '.join(borough_names) or '(none)'}"
        )
    if not changes:
        return Planned(RowOutcome(reader.line, "unchanged", label))
    if not update:
        return Planned(RowOutcome(reader.line, "exists", label, tuple(changes)))
    changed_values = {
        name: value
        for name, value in values.items()
        if audit_text(name, getattr(existing, name)) != audit_text(name, value)
    }
    keep_boroughs = boroughs if borough_names != old_boroughs else None
    step = Step(model, changed_values, existing=existing, boroughs=keep_boroughs)
    return Planned(RowOutcome(reader.line, "update", label, tuple(changes)), [step])


def given_columns(reader: RowReader, values: dict[str, Any]) -> dict[str, Any]:
    """Only the columns the file has: a column left out of the file never blanks a field."""
    return {name: value for name, value in values.items() if reader.has(name)}


def validated(reader: RowReader, key: str, validator: Callable[[str, str], str]) -> str:
    try:
        return validator(reader.text(key), key)
    except ValidationError as error:
        reader.fail(key, error.message)
        return ""
