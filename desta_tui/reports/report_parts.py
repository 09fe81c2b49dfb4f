"""Pieces the packs and single reports share: figures, dates, history and ticket tables."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable, PageBreakIfNotEmpty

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.money import format_money
from desta_tui.domain.rag import format_percent
from desta_tui.reports.document import PORTRAIT_FRAME_WIDTH, build_pdf
from desta_tui.reports.flowables import BoldText, data_table, empty_note, heading, rag_cell
from desta_tui.services.reporting.consortium import PackCover
from desta_tui.services.reporting.stamp import PrintStamp

__all__ = [
    "build_pack_pdf",
    "build_record_pdf",
    "figure_text",
    "figure_rows",
    "history_table",
    "money",
    "on",
    "rag_of",
    "section",
    "strong",
    "ticket_log_table",
    "when",
    "yes_no",
]

WIDE = PORTRAIT_FRAME_WIDTH
"""Tables whose natural width is more than a portrait page go on a landscape page."""


def on(day: date | None) -> str:
    """`01/10/2012`, or "" for no date."""
    return format_uk_date(day)


def when(moment: datetime | None) -> str:
    """`15/10/2012 16:45`."""
    return moment.strftime("%d/%m/%Y %H:%M") if moment else ""


def money(pence: int | None) -> str:
    """`£670,000`: whole pounds as the packs print them (pence only when there are some)."""
    return "" if pence is None else format_money(pence)


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def strong(text: str) -> BoldText:
    """A bold table cell: a flag such as "No ticket" that must stand out in greyscale, or a
    total. The column sets its alignment, as for any other cell."""
    return BoldText(text)


def figure_text(value: int | None, unit: str) -> str:
    """A count as `1,234`; a rate (basis points) as `83%`."""
    if value is None:
        return "–"
    if unit == "rate":
        return format_percent(Decimal(value) / Decimal(10_000))
    return f"{value:,}"


def rag_of(result) -> Flowable:
    """A RAG cell (symbol and word) from a domain.rag.RagResult."""
    return rag_cell(result.rag.word, result.rag.symbol)


def rag_note(result) -> str:
    """Why a status is tentative: "provisional: based on 1 month only", or ""."""
    parts = []
    if result.is_provisional and result.rag.word != "No data":
        parts.append("provisional")
    if result.note:
        parts.append(result.note)
    return ": ".join(parts)


def figure_rows(
    rows: Iterable, *, with_partner: bool = True, with_contract: bool = False
) -> tuple[list[str], list[list]]:
    """Headers and rows of a targets-against-actuals table from performance FigureRows.

    The Note column (provisional figures) is there only when some row has a note.
    """
    rows = list(rows)
    notes = [rag_note(row.rag) for row in rows]
    headers = []
    if with_contract:
        headers.append("Contract")
    if with_partner:
        headers.append("Partner")
    headers += ["Metric", "Target to date", "Actual to date", "Achieved", "RAG"]
    if any(notes):
        headers.append("Note")
    body = []
    for row, note in zip(rows, notes, strict=True):
        line = []
        if with_contract:
            line.append(row.contract_title)
        if with_partner:
            line.append(row.organisation_name)
        line += [
            row.metric_name,
            row.target_text,
            row.actual_text,
            row.rag.percent,
            rag_of(row.rag),
        ]
        if any(notes):
            line.append(note)
        body.append(line)
    return headers, body


def figure_numeric_cols(with_partner: bool = True, with_contract: bool = False) -> tuple:
    first = 1 + int(with_partner) + int(with_contract)
    return (first, first + 1, first + 2)


def section(
    title: str, headers: Sequence[str], rows: Iterable[Sequence], empty: str, **table: Any
) -> list[Flowable]:
    """A level-1 heading and its table (`table` as data_table takes it), or the heading and a
    note saying there is nothing (`empty`). On a landscape page the heading goes with the
    table, not alone at the foot of the page before."""
    rows = list(rows)
    if not rows:
        return [heading(title, 1), empty_note(empty)]
    story = data_table(headers, rows, **table)
    at = 1 if isinstance(story[0], PageBreakIfNotEmpty) else 0
    story.insert(at, heading(title, 1))
    return story


def history_table(history: Sequence, title: str = "History") -> list[Flowable]:
    """The audit history (newest first): when, who, record, action, field, old -> new."""
    return section(
        title,
        ["When", "Who", "Record", "Change", "Field", "Old", "New"],
        [[h.when, h.who, h.record, h.action, h.field, h.old_value, h.new_value] for h in history],
        "No changes recorded.",
        landscape_if_wider_than=WIDE,
    )


def build_pack_pdf(
    path: str | os.PathLike[str],
    flowables: list[Flowable],
    *,
    title: str,
    cover: PackCover,
    stamp: PrintStamp,
    keyword: str,
    subject_title: str | None = None,
) -> Path:
    """Write a meeting pack (the SMG's, the board's) for `cover`'s consortium and month to
    `path`; `title` heads each page, `subject_title` (else `title`) names the file's subject."""
    month = cover.period.long_label
    return build_pdf(
        path,
        flowables,
        title=title,
        subtitle=month,
        consortium=cover.consortium,
        period=month,
        printed_on=stamp.printed_on,
        printed_by=stamp.printed_by,
        subject=f"{subject_title or title}, {cover.consortium}, {month}",
        keywords=(keyword, cover.period.key),
    )


def build_record_pdf(
    path: str | os.PathLike[str],
    flowables: list[Flowable],
    *,
    title: str,
    subtitle: str,
    consortium: str,
    stamp: PrintStamp,
) -> Path:
    """Write a single record's report (a member, a contract) to `path`, stamped with the day
    it was printed and by whom."""
    return build_pdf(
        path,
        flowables,
        title=title,
        subtitle=subtitle,
        consortium=consortium,
        period=on(stamp.printed_on),
        printed_on=stamp.printed_on,
        printed_by=stamp.printed_by,
        subject=f"{title}: {subtitle}",
    )


def ticket_log_table(events: Sequence) -> list[Flowable]:
    """A ticket's activity log, newest first."""
    if not events:
        return [empty_note("Nothing logged yet.")]
    rows = [
        [when(e.occurred_at), e.who, e.kind_label, e.text, f"{e.minutes} min" if e.minutes else ""]
        for e in events
    ]
    return data_table(["When", "Who", "Kind", "Entry", "Time"], rows, numeric_cols=(4,))


def action_rows(actions: Sequence, today: date) -> list[list]:
    rows = []
    for a in actions:
        if a.is_done:
            state = f"Done {on(a.done_on)}".strip()
        elif a.is_overdue and a.due_on:
            days = (today - a.due_on).days
            state = strong(f"Overdue by {days} day{'s' if days != 1 else ''}")
        elif a.due_on:
            days = (a.due_on - today).days
            state = "Due today" if days == 0 else f"Due in {days} day{'s' if days != 1 else ''}"
        else:
            state = "No due date"
        rows.append([on(a.due_on), a.description, a.owner, state])
    return rows
