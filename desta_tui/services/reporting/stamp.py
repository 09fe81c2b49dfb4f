"""What every report carries: who printed it and when, and a record's history as printed lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date

from desta_tui.domain.choices import AUDIT_ACTIONS
from desta_tui.domain.text import field_words
from desta_tui.services.audit import record_history
from desta_tui.services.context import current_user, today


@dataclass(frozen=True)
class PrintStamp:
    """Who printed a report and when: the footer of every page."""

    printed_on: date
    printed_by: str


def print_stamp() -> PrintStamp:
    return PrintStamp(printed_on=today(), printed_by=current_user())


@dataclass(frozen=True)
class HistoryLine:
    """One change in a record's history: when (local time), who, what, old -> new."""

    when: str
    who: str
    record: str
    action: str
    field: str
    old_value: str
    new_value: str


def history_lines(uuids: Iterable[str]) -> tuple[HistoryLine, ...]:
    """The audit log of a record and its parts, newest first, ready to print."""
    lines = []
    for entry in record_history(list(uuids)):
        # the log keeps UTC; people read their own clock
        local = entry.at.replace(tzinfo=UTC).astimezone()
        lines.append(
            HistoryLine(
                when=local.strftime("%d/%m/%Y %H:%M"),
                who=entry.who,
                # a record with no name of its own (a membership) is logged by its uuid
                record=(
                    field_words(entry.table_name)
                    if entry.record_label in ("", entry.record_uuid)
                    else entry.record_label
                ),
                action=AUDIT_ACTIONS.label(entry.action),
                field=field_words(entry.field),
                old_value=entry.old_value or "",
                new_value=entry.new_value or "",
            )
        )
    return tuple(lines)
