"""Support tickets printed whole: each ticket's details, activity log, actions and history."""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether

from desta_tui.reports.document import build_pdf
from desta_tui.reports.flowables import (
    data_table,
    empty_note,
    heading,
    key_value_table,
    section_break,
    title_block,
)
from desta_tui.reports.report_parts import action_rows, history_table, on, ticket_log_table
from desta_tui.services.report_data import TicketLine, TicketsReport


def report_title(report: TicketsReport) -> str:
    if len(report.tickets) == 1 and not report.only_open:
        return f"Support ticket {report.tickets[0].reference}"
    return "Open support tickets" if report.only_open else "Support tickets"


def ticket_story(ticket: TicketLine, today) -> list[Flowable]:
    due = on(ticket.due_on)
    if due and ticket.due_text:  # a closed ticket has no "due in 3 days" to add
        due += f" ({ticket.due_text})"
    pairs = [
        ("Provider", ticket.provider_name),
        ("Contract", ticket.contract_title),
        ("Support provider", ticket.support_provider_name),
        ("Category", ticket.category),
        ("Priority", ticket.priority),
        ("Stage", ticket.stage),
        ("Status", ticket.status),
        ("Owner", ticket.owner),
        ("Opened", on(ticket.opened_on)),
        ("Due", due),
        ("Closed", on(ticket.closed_on)),
        ("Metrics", ", ".join(ticket.metric_names)),
        ("Description", ticket.description),
        ("Outcome", ticket.outcome),
    ]
    story: list[Flowable] = [
        KeepTogether(
            [
                heading(f"{ticket.reference} {ticket.subject}", 1),
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
    story += history_table(ticket.history, title=f"History of {ticket.reference}")
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
            [[t.reference, t.provider_name, t.subject, t.stage, t.status, t.due_text]
             for t in report.tickets],
        )  # fmt: skip
    for n, ticket in enumerate(report.tickets):
        if n or len(report.tickets) > 1:
            flowables.append(section_break())
        flowables += ticket_story(ticket, report.stamp.printed_on)
    return flowables


def build(path: str | os.PathLike[str], report: TicketsReport) -> Path:
    title = report_title(report)
    return build_pdf(
        path,
        story(report),
        title=title,
        period=on(report.stamp.printed_on),
        printed_on=report.stamp.printed_on,
        printed_by=report.stamp.printed_by,
        subject=title,
    )
