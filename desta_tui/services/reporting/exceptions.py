"""The pack's exceptions, argued: each red or amber figure with why it is behind, what is being
done, by whom and by when (from its support ticket, or a note typed on it), who should act
when nobody is, its last three months and the figures behind its status."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desta_tui.domain.periods import Period
from desta_tui.domain.rag import Rag, Thresholds, format_percent
from desta_tui.services.performance import ExceptionNoteView, FigureRow
from desta_tui.services.reporting.tickets_report import TicketLine
from desta_tui.services.tickets import TicketRow

HISTORY_MONTHS = 3
"""Months of status an exception shows, ending with the pack's month."""
CAUSE_CHARACTERS_IN_PACK = 300
"""A ticket's description is cut here in an exception (the ticket report prints it whole)."""
CONTINUED = "… (continued in the ticket report)"


def cut_note(text: str, limit: int, continued: str = CONTINUED) -> str:
    """`text`, or its first `limit` characters (at a word's end when one is near) and a word
    saying where the rest is."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    head, *tail = cut.rsplit(None, 1)
    # a break between words within the last quarter; else a very long word is cut where it is
    if tail and len(head) >= limit * 3 // 4:
        cut = head
    return cut.rstrip() + continued


@dataclass(frozen=True)
class ExceptionCase:
    """What is being done about a figure, and where the pack read it."""

    cause: str
    action: str
    owner: str
    recovery_on: date | None
    #: "ticket", "note" or "" (nobody has said yet)
    source: str
    #: who should act when nobody is: the contract's support provider
    should_act: str
    #: the month a note was typed for, when it was typed for an earlier month than the pack's
    noted_for: Period | None = None

    @property
    def is_open(self) -> bool:
        """Nobody has said why or what is being done."""
        return not (self.cause or self.action)


@dataclass(frozen=True)
class ExceptionLine:
    """A red or amber figure and the open ticket dealing with it (None: no ticket, flagged),
    with its case argued."""

    figure: FigureRow
    ticket: TicketRow | None
    case: ExceptionCase | None = None
    #: (month, status) for the last three months, oldest first; the pack's month last
    history: tuple[tuple[Period, Rag], ...] = ()
    #: the figures behind the status, in a sentence
    why: str = ""


def exception_figures(rows: Sequence[FigureRow]) -> list[FigureRow]:
    """The red and amber partner figures, worst first (the order of services.performance's
    `performance_exceptions`, from figures already counted)."""
    found = [row for row in rows if row.rag.rag in (Rag.RED, Rag.AMBER)]
    return sorted(
        found,
        key=lambda r: (
            -r.rag.rag.severity,
            r.rag.ratio if r.rag.ratio is not None else Decimal(0),
            r.contract_title.casefold(),
            r.organisation_name.casefold(),
        ),
    )


def matching_tickets(
    figures: Sequence[FigureRow], open_tickets: Sequence[TicketLine]
) -> list[TicketLine | None]:
    """Each figure's open ticket: one about the same provider on the same contract (or on no
    contract); among several, one linked to the figure's metric wins."""
    by_provider: dict[str, list[TicketLine]] = defaultdict(list)
    for ticket in open_tickets:
        by_provider[ticket.row.provider_uuid].append(ticket)
    found: list[TicketLine | None] = []
    for figure in figures:
        candidates = [
            t
            for t in by_provider.get(figure.organisation_uuid or "", [])
            if t.row.contract_uuid in (None, figure.contract_uuid)
        ]
        candidates.sort(
            key=lambda t: (figure.metric_code not in {m.code for m in t.metrics}, t.row.reference)
        )
        found.append(candidates[0] if candidates else None)
    return found


def _ticket_case(
    ticket: TicketLine, note: ExceptionNoteView | None, should_act: str
) -> ExceptionCase:
    """The case from the ticket: its description (or subject) as the cause, its next plan
    action, that action's owner, and the ticket's due date (else the plan's last) for recovery;
    a note typed on the figure fills what the ticket leaves blank."""
    pending = [a for a in ticket.actions if not a.is_done]
    cause = cut_note(ticket.description.strip(), CAUSE_CHARACTERS_IN_PACK) or ticket.row.subject
    action = owner = ""
    if pending:
        action = pending[0].description
        if len(pending) > 1:
            action += f" (and {len(pending) - 1} more in the plan)"
        owner = pending[0].owner
    owner = owner or ticket.row.owner or ticket.row.support_provider_name
    due = [a.due_on for a in pending if a.due_on]
    recovery_on = ticket.row.due_on or (max(due) if due else None)
    if note is not None:
        action = action or note.action
        owner = owner or note.owner
        recovery_on = recovery_on or note.recovery_on
    return ExceptionCase(cause, action, owner, recovery_on, "ticket", should_act)


def _note_case(note: ExceptionNoteView, period: Period, should_act: str) -> ExceptionCase:
    return ExceptionCase(
        note.cause,
        note.action,
        note.owner,
        note.recovery_on,
        "note",
        should_act,
        noted_for=note.period if note.period != period else None,
    )


def why_line(figure: FigureRow, period: Period, thresholds: Thresholds) -> str:
    """The figures behind a status: `52 of 130 due by October 2012: 40% (red: under 80%);
    13 months of returns`."""
    amber, green = _threshold_words(thresholds)
    rule = f"red: under {amber}" if figure.rag.rag is Rag.RED else f"amber: {amber} to {green}"
    if figure.unit == "rate":
        figures = (
            f"{figure.actual_text} ({figure.numerator:,} of {figure.denominator:,}) against "
            f"{figure.target_text}: {figure.rag.percent} ({rule})"
        )
    else:
        figures = (
            f"{figure.actual_to_date:,} of {figure.target_to_date:,} due by "
            f"{period.long_label}: {figure.rag.percent} ({rule})"
        )
    months = figure.months_of_data
    line = f"{figures}; {months} month{'s' if months != 1 else ''} of returns"
    if figure.last_returned is not None and figure.last_returned < period:
        line += f", none since {figure.last_returned.long_label}"
    if figure.rag.is_provisional:
        line += " (provisional)"
    return line


@functools.lru_cache(maxsize=8)
def _threshold_words(thresholds: Thresholds) -> tuple[str, str]:
    """Where amber and green start, as a pack prints them: the same for a thousand figures."""
    return format_percent(thresholds.amber_at), format_percent(thresholds.green_at)


def exception_lines(
    figures: Sequence[FigureRow],
    open_tickets: Sequence[TicketLine],
    *,
    period: Period,
    notes: Mapping[tuple[str, str], ExceptionNoteView],
    earlier: Mapping[Period, Mapping[tuple[str, str], Rag]],
    should_act: Mapping[str, str],
    thresholds: Thresholds,
) -> list[ExceptionLine]:
    """Each figure argued: its ticket (or note), the months before it, the figures behind it.

    `notes` and `earlier` are keyed by (contract partner uuid, metric code); `earlier` has the
    statuses of the months before `period`; `should_act` maps a contract's uuid to its support
    provider's name.
    """
    lines = []
    months = [period.shift(-back) for back in range(HISTORY_MONTHS - 1, 0, -1)]
    before = [(month, earlier.get(month, {})) for month in months]
    for figure, ticket in zip(figures, matching_tickets(figures, open_tickets), strict=True):
        key = (figure.partner_uuid or "", figure.metric_code)
        note = notes.get(key)
        acting = should_act.get(figure.contract_uuid, "")
        if ticket is not None:
            case = _ticket_case(ticket, note, acting)
        elif note is not None:
            case = _note_case(note, period, acting)
        else:
            case = ExceptionCase("", "", "", None, "", acting)
        history = (*[(month, then.get(key, Rag.NO_DATA)) for month, then in before],
                   (period, figure.rag.rag))  # fmt: skip
        lines.append(
            ExceptionLine(
                figure=figure,
                ticket=ticket.row if ticket is not None else None,
                case=case,
                history=history,
                why=why_line(figure, period, thresholds),
            )
        )
    return lines
