"""The hub-wide history: every audited change, filtered by person, record type and dates, paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from peewee import fn

from desta_tui.db.models import AuditLog
from desta_tui.services.audit import AuditEntry, to_entry
from desta_tui.services.records import RECORD_MODELS

PAGE_SIZE = 100


@dataclass(frozen=True)
class HistoryFilter:
    """What the audit view narrows to; None or "" means any."""

    person: str = ""
    record_type: str = ""  # a table name, e.g. "organisation"
    since: date | None = None
    until: date | None = None  # inclusive


@dataclass(frozen=True)
class HistoryPage:
    """One page of the history, newest first."""

    entries: tuple[AuditEntry, ...]
    page: int  # 0-based
    page_size: int
    total: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.page_count

    @property
    def has_previous(self) -> bool:
        return self.page > 0


@dataclass(frozen=True)
class RecordType:
    """A kind of record the history can be narrowed to."""

    table_name: str
    label: str


def record_type_label(table_name: str) -> str:
    """The words for a table: "compliance_item" reads "compliance item"."""
    model = RECORD_MODELS.get(table_name)
    if model is not None:
        return model.record_label
    return table_name.replace("_", " ")


def record_types() -> list[RecordType]:
    """The record types that have history, by label."""
    names = [row[0] for row in AuditLog.select(AuditLog.table_name).distinct().tuples()]
    return sorted((RecordType(name, record_type_label(name)) for name in names),
                  key=lambda kind: kind.label)  # fmt: skip


def people() -> list[str]:
    """Everyone who appears in the history as having made a change."""
    return sorted(
        (row[0] for row in AuditLog.select(AuditLog.who).distinct().tuples() if row[0]),
        key=str.casefold,
    )


def _query(history_filter: HistoryFilter):
    query = AuditLog.select()
    if history_filter.person.strip():
        query = query.where(fn.lower(AuditLog.who).contains(history_filter.person.strip().lower()))
    if history_filter.record_type:
        wanted = history_filter.record_type.strip()
        tables = [name for name in _all_tables() if wanted.casefold() in
                  (name.casefold(), record_type_label(name).casefold())]  # fmt: skip
        query = query.where(AuditLog.table_name.in_(tables or [wanted]))
    if history_filter.since is not None:
        query = query.where(AuditLog.at >= datetime.combine(history_filter.since, time(0, 0)))
    if history_filter.until is not None:
        end = datetime.combine(history_filter.until + timedelta(days=1), time(0, 0))
        query = query.where(AuditLog.at < end)
    return query


def _all_tables() -> list[str]:
    return list(RECORD_MODELS) + ["setting"]


def history_page(
    history_filter: HistoryFilter | None = None, page: int = 0, page_size: int = PAGE_SIZE
) -> HistoryPage:
    """One page of matching history entries, newest first; a page past the end gives the last."""
    history_filter = history_filter or HistoryFilter()
    query = _query(history_filter)
    total = query.count()
    last_page = max(0, -(-total // page_size) - 1)
    page = min(max(0, page), last_page)
    rows = query.order_by(AuditLog.at.desc(), AuditLog.id.desc()).paginate(page + 1, page_size)
    return HistoryPage(tuple(to_entry(row) for row in rows), page, page_size, total)
