"""Support tickets printed whole: each ticket's details, activity log, actions and history."""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.platypus import Flowable

from desta_tui.reports.document import KeptTogether, build_pdf
from desta_tui.reports.flowables import (
    data_table,
    empty_note,
    heading,
    key_value_table,
    section_break,
    title_block,
)
from desta_tui.reports.report_parts import action_rows, history_table, on, ticket_log_table
from desta_tui.services.reporting.tickets_report import TicketLine, TicketsReport


def report_title(report: TicketsReport) -> str:
    if len(report.tickets) == 1 and not report.only_open:
        return f"Support ticket {report.tickets[0].row.reference}"
    return "Open support tickets" if report.only_open else "Support tickets"


def ticket_story(ticket: TicketLine, today) -> list[Flowable]:
    row = ticket.row
    due = on(row.due_on)
    if due and row.due_text:  # a closed ticket has no "due in 3 days" to add
        due += f" ({row.due_text})"
    pairs = [
        ("Provider", row.provider_name),
        ("Contract", row.contract_title),
        ("Support provider", row.support_provider_name),
        ("Category", row.category_label),
        ("Priority", row.priority_label),
        ("Stage", row.stage_label),
        ("Status", row.status_label),
        ("Owner", row.owner),
        ("Opened", on(row.opened_on)),
        ("Due", due),
        ("Closed", on(row.closed_on)),
        ("Metrics", ", ".join(m.name for m in ticket.metrics)),
        ("Description", ticket.description),
        ("Outcome", ticket.outcome),
    ]
    story: list[Flowable] = [
        KeptTogether(
            [
                heading(f"{row.reference} {row.subject}", 1),
                key_value_table([(k, v) for k, v in pairs if v]),
            ]
        ),
        heading("Activity log", 2),
        *ticket_log_table(ticket.events),
        heading("Improvement actions", 2),
    ]
    if ticket.actions:
        story += data_table(["Due", "Action", "Owner", "State"], action_rows(ticket.actions, today))
    else:
        story.append(empty_note("No improvement actions."))
    story += history_table(ticket.history, title=f"History of {row.reference}")
    return story


def story(report: TicketsReport) -> list[Flowable]:
    title = report_title(report)
    flowables: list[Flowable] = title_block(title, f"{len(report.tickets)} tickets"
                                            if len(report.tickets) != 1 else "")  # fmt: skip
    if not report.tickets:
        flowables.append(empty_note("No tickets."))
        return flowables
    if len(report.tickets) > 1:
        flowables += data_table(
            ["Ticket", "Provider", "Subject", "Stage", "Status", "Due"],
            [[t.reference, t.provider_name, t.subject, t.stage_label, t.status_label, t.due_text]
             for t in (line.row for line in report.tickets)],
        )  # fmt: skip
    for n, ticket in enumerate(report.tickets):
        if n or len(report.tickets) > 1:
            flowables.append(section_break())
        flowables += ticket_story(ticket, report.stamp.printed_on)
    return flowables


def build(path: str | os.PathLike[str], report: TicketsReport, *, replace: bool = True) -> Path:
    title = report_title(report)
    return build_pdf(
        path,
        story(report),
        replace=replace,
        title=title,
        period=on(report.stamp.printed_on),
        printed_on=report.stamp.printed_on,
        printed_by=report.stamp.printed_by,
        subject=title,
    )
