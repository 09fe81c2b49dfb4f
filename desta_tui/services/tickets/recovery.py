"""Whether a ticket's linked metrics are back at green for long enough to close it."""

from __future__ import annotations

from desta_tui.domain.rag import Rag
from desta_tui.domain.tickets import (
    GREEN_MONTHS_TO_CLOSE,
    all_back_at_green,
    green_months_in_a_row,
)
from desta_tui.services.performance import contract_performance, latest_returned_period
from desta_tui.services.tickets.detail import get_ticket
from desta_tui.services.tickets.views import MetricMonths, TicketRecovery

#: months of status the recovery check shows per linked metric
RECOVERY_MONTHS = 3


def ticket_recovery(ticket_uuid: str) -> TicketRecovery:
    """Whether every linked metric is back at green for two months in a row.

    Judged on the status the performance view shows (the provider's figure to date at the end of
    each month, from the performance service), so the ticket and the view never disagree.
    """
    ticket = get_ticket(ticket_uuid)
    if not ticket.metrics:
        return TicketRecovery(False, "No metrics are linked: edit the ticket to follow some.")
    if not ticket.contract_uuid:
        return TicketRecovery(False, "No contract: the ticket has no figures to follow.")
    latest = latest_returned_period(ticket.contract_uuid)
    if latest is None:
        return TicketRecovery(False, "No returns yet for the contract.")
    months = [latest.shift(-back) for back in range(RECOVERY_MONTHS - 1, -1, -1)]
    by_metric: dict[str, list[tuple[str, Rag]]] = {m.code: [] for m in ticket.metrics}
    for period in months:
        figures = contract_performance(ticket.contract_uuid, up_to=period)
        found = {
            row.metric_code: row.rag.rag
            for row in figures.rows
            if row.organisation_uuid == ticket.provider_uuid
        }
        for code, series in by_metric.items():
            series.append((period.label, found.get(code, Rag.NO_DATA)))
    lines = tuple(
        MetricMonths(
            code=metric.code,
            name=metric.name,
            months=tuple((label, rag.word) for label, rag in by_metric[metric.code]),
            green_in_a_row=green_months_in_a_row([rag for _, rag in by_metric[metric.code]]),
        )
        for metric in ticket.metrics
    )
    rags = {code: [rag for _, rag in series] for code, series in by_metric.items()}
    back = all_back_at_green(rags, GREEN_MONTHS_TO_CLOSE)
    names = ", ".join(line.name for line in lines)
    if back:
        message = (
            f"Back at green for {GREEN_MONTHS_TO_CLOSE} months in a row to {latest.label} "
            f"({names}): the ticket can be closed with an outcome."
        )
    else:
        behind = [
            f"{line.name} {line.months[-1][1].lower()} in {latest.label}"
            for line in lines
            if line.green_in_a_row < GREEN_MONTHS_TO_CLOSE
        ]
        message = "Not yet back at green: " + "; ".join(behind) + "."
    return TicketRecovery(back, message, lines)
