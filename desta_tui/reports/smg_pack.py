"""The Service Management Group meeting pack: cover, exceptions first, contracts, tickets, more."""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, PageBreak

from desta_tui.domain.periods import Period
from desta_tui.reports.flowables import (
    data_table,
    empty_note,
    heading,
    key_value_table,
    para,
    title_block,
)
from desta_tui.reports.report_parts import (
    WIDE,
    action_rows,
    build_pack_pdf,
    figure_numeric_cols,
    figure_rows,
    money,
    on,
    rag_of,
    strong,
    when,
)
from desta_tui.services.reporting.consortium import PackCover
from desta_tui.services.reporting.smg_pack import ContractSection, SmgPack

TITLE = "Service Management Group meeting pack"
SECTIONS = (
    "Exceptions",
    "Contracts in delivery",
    "Open support tickets",
    "Actions due",
    "Compliance",
    "Pipeline",
    "Returns missing",
)
"""The pack's sections, in the order the meeting takes them."""
TICKET_WIDTHS = (44, 72, 80, 66, 40, 46)
"""Ticket, provider, subject, stage, status and due columns (T-00001 and "Improvement" fit
whole); the latest events take the rest of the page."""
MONTHS_SHOWN = 12
"""Monthly columns in a contract's month-by-month table: the last year, however long it runs."""


def cover_story(cover: PackCover, title: str, contents: list[tuple[str, str]]) -> list[Flowable]:
    """Page one: what, for whom, which month, when the meeting is; the contents with counts."""
    story: list[Flowable] = title_block(title, cover.consortium)
    pairs = [
        ("Consortium", cover.consortium),
        ("Month", cover.period.long_label),
        ("Meeting", cover.meeting_on.strftime("%A ") + on(cover.meeting_on)),
    ]
    if cover.hub_name:
        pairs.append(("Hub", cover.hub_name))
    story.append(key_value_table(pairs))
    story.append(heading("Contents", 1))
    story += data_table(["", "Section", "In this pack"], [
        [str(n), name, summary] for n, (name, summary) in enumerate(contents, start=1)
    ])  # fmt: skip
    story.append(PageBreak())
    return story


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def contents(pack: SmgPack) -> list[tuple[str, str]]:
    no_ticket = sum(1 for e in pack.exceptions if e.ticket is None)
    reds = sum(1 for e in pack.exceptions if e.figure.rag.rag.word == "Red")
    expired = sum(1 for c in pack.compliance if c.is_expired)
    overdue = sum(1 for a in pack.actions if a.action.is_overdue)
    return [
        (
            SECTIONS[0],
            f"{_count(len(pack.exceptions), 'red or amber figure')} ({reds} red); "
            f"{no_ticket} with no ticket",
        ),
        (SECTIONS[1], _count(len(pack.contracts), "contract")),
        (SECTIONS[2], _count(len(pack.tickets), "open ticket")),
        (SECTIONS[3], f"{_count(len(pack.actions), 'action')} ({overdue} overdue)"),
        (
            SECTIONS[4],
            f"{_count(len(pack.compliance), 'paper')} ({expired} expired or missing; "
            f"others expire within {pack.compliance_warning_days} days)",
        ),
        (SECTIONS[5], _count(len(pack.pipeline), "contract")),
        (SECTIONS[6], _count(len(pack.missing_returns), "return")),
    ]


def exceptions_story(pack: SmgPack) -> list[Flowable]:
    story: list[Flowable] = [heading(f"1 {SECTIONS[0]}", 1)]
    if not pack.exceptions:
        story.append(empty_note(f"No red or amber figures to the end of {pack.period.label}."))
        return story
    story.append(
        para(
            f"Every red or amber figure to the end of {pack.period.long_label}, worst first, "
            "with the support ticket dealing with it. NO TICKET marks a figure nobody is yet "
            "working on."
        )
    )
    by_contract: dict[str, list] = {}
    for line in pack.exceptions:
        by_contract.setdefault(line.figure.contract_title, []).append(line)
    for title, lines in by_contract.items():
        rows = []
        for line in lines:
            f = line.figure
            ticket = (
                f"{line.ticket.reference} ({line.ticket.stage_label})"
                if line.ticket is not None
                else strong("NO TICKET")
            )
            rows.append(
                [
                    f.organisation_name,
                    f.metric_name,
                    f.target_text,
                    f.actual_text,
                    f.rag.percent,
                    rag_of(f.rag),
                    ticket,
                ]
            )
        story += data_table(
            ["Partner", "Metric", "Target to date", "Actual", "Achieved", "RAG", "Ticket"],
            rows,
            numeric_cols=(2, 3, 4),
            title=title,
        )
    return story


def contract_story(section: ContractSection, number: str) -> list[Flowable]:
    """One contract in delivery: values, partners, totals, each partner's figures, months."""
    perf = section.performance
    contract = section.contract
    runs = " to ".join(d for d in (on(contract.starts_on), on(contract.ends_on)) if d)
    pairs = [
        ("Commissioner", contract.commissioner_name),
        ("Reference", contract.reference),
        ("Value", f"{money(contract.total_value_pence)} in all; "
                  f"{money(contract.annual_value_pence)} a year"),
        ("Runs", runs),
        ("Boroughs", ", ".join(contract.boroughs)),
    ]  # fmt: skip
    if perf is not None:
        pairs.append(("Figures to", f"the end of {perf.up_to.long_label}"))
    # the title and the contract's details stay together on one page
    story: list[Flowable] = [
        KeepTogether(
            [
                heading(f"{number} {contract.title}", 2),
                key_value_table([(k, v) for k, v in pairs if v]),
            ]
        )
    ]
    headers = ["Partner", "Role", "Boroughs", "Allocation"]
    rows = [[p.organisation_name, p.role_label, ", ".join(p.boroughs),
             money(p.allocated_value_pence)] for p in section.partners]  # fmt: skip
    if any(p.term_text for p in section.partners):
        # a partner joining late or leaving early owes returns for its own months only
        headers.append("Dates")
        for row, p in zip(rows, section.partners, strict=True):
            row.append(p.term_words)
    story += data_table(headers, rows, numeric_cols=(3,), title="Partners")
    if perf is None or not (perf.totals or perf.rows):
        story.append(empty_note("No targets or returns for this contract yet."))
        return story
    headers, rows = figure_rows(perf.totals, with_partner=False)
    story += data_table(
        headers, rows, numeric_cols=figure_numeric_cols(False), title="All partners: to date"
    )
    headers, rows = figure_rows(perf.rows)
    story += data_table(
        headers, rows, numeric_cols=figure_numeric_cols(True), title="Each partner: to date"
    )
    story += monthly_story(perf)
    return story


def monthly_story(perf) -> list[Flowable]:
    """The first counted metric month by month for each partner: the last twelve months."""
    counted = [t for t in perf.totals if t.unit == "count" and t.monthly_actuals]
    if not counted:
        return []
    metric = counted[0]
    shown = min(MONTHS_SHOWN, len(metric.monthly_actuals))
    months = [Period.from_key(key) for key in metric.months[-shown:]]
    rows = []
    for row in [*(r for r in perf.rows if r.metric_code == metric.metric_code), metric]:
        values = row.monthly_actuals[-shown:]
        rows.append([row.organisation_name, *("–" if v is None else f"{v:,}" for v in values)])
    return data_table(
        ["Partner", *(m.label for m in months)],
        rows,
        numeric_cols=range(1, shown + 1),
        landscape_if_wider_than=WIDE,
        title=f"{metric.metric_name} month by month ({metric.contract_title})",
        total_rows=1,  # all partners: never alone at the top of a page
    )


def contracts_story(pack: SmgPack) -> list[Flowable]:
    story: list[Flowable] = [heading(f"2 {SECTIONS[1]}", 1)]
    if not pack.contracts:
        story.append(empty_note("No contracts in delivery."))
    for n, section in enumerate(pack.contracts, start=1):
        story += contract_story(section, f"2.{n}")
    return story


def tickets_story(pack: SmgPack) -> list[Flowable]:
    story: list[Flowable] = [heading(f"3 {SECTIONS[2]}", 1)]
    if not pack.tickets:
        story.append(empty_note("No open support tickets."))
        return story
    rows = []
    for t in pack.tickets:
        latest = "\n".join(
            f"{when(e.occurred_at)} {e.kind_label}: {e.text}".strip() for e in t.events
        )
        if t.event_count > len(t.events):
            latest += f"\n(and {t.event_count - len(t.events)} earlier)"
        row = t.row
        due = strong(row.due_text) if row.is_overdue else row.due_text
        rows.append(
            [row.reference, row.provider_name, row.subject, row.stage_label, row.status_label, due,
             latest]
        )  # fmt: skip
    story += data_table(
        ["Ticket", "Provider", "Subject", "Stage", "Status", "Due", "Latest events"],
        rows,
        col_widths=[*TICKET_WIDTHS, WIDE - sum(TICKET_WIDTHS)],
    )
    return story


def actions_story(pack: SmgPack) -> list[Flowable]:
    story: list[Flowable] = [heading(f"4 {SECTIONS[3]}", 1)]
    if not pack.actions:
        story.append(empty_note("No improvement actions outstanding."))
        return story
    actions = [due.action for due in pack.actions]
    rows = [
        [due.ticket.reference, due.ticket.provider_name, *row]
        for due, row in zip(pack.actions, action_rows(actions, pack.today), strict=True)
    ]
    story += data_table(["Ticket", "Provider", "Due", "Action", "Owner", "State"], rows)
    return story


def compliance_story(pack: SmgPack) -> list[Flowable]:
    story: list[Flowable] = [heading(f"5 {SECTIONS[4]}", 1)]
    days = pack.compliance_warning_days
    if not pack.compliance:
        story.append(empty_note(f"No papers expired or expiring within {days} days."))
        return story
    story.append(
        para(
            f"Members' papers expired or expiring within {days} days of {on(pack.today)}, "
            "and papers contract partners must hold but have not sent."
        )
    )
    rows = [
        [
            c.organisation_name,
            c.kind,
            c.reference,
            on(c.expires_on),
            strong(c.state) if c.is_expired else c.state,
        ]
        for c in pack.compliance
    ]
    story += data_table(["Organisation", "Paper", "Reference", "Expires", "State"], rows)
    return story


def pipeline_rows(pipeline, today) -> list[list]:
    rows = []
    for p in pipeline:
        contract = p.contract
        if p.days_to_deadline is None:
            left = ""
        elif p.days_to_deadline < 0:
            left = f"passed {-p.days_to_deadline} days ago"
        else:
            left = f"{p.days_to_deadline} days"
        rows.append(
            [
                contract.title,
                contract.commissioner_name,
                contract.stage_label,
                money(contract.total_value_pence),
                money(contract.annual_value_pence),
                on(contract.tender_deadline_on),
                left,
                on(contract.decision_on),
            ]
        )
    return rows


PIPELINE_HEADERS = [
    "Contract", "Commissioner", "Stage", "Value", "A year", "Tender deadline", "Time left",
    "Decision",
]  # fmt: skip


def pipeline_story(pipeline, today, number: str) -> list[Flowable]:
    """Contracts being won, nearest tender deadline first (the board pack prints it too)."""
    story: list[Flowable] = [heading(f"{number} {SECTIONS[5]}", 1)]
    if not pipeline:
        story.append(empty_note("No contracts in the pipeline."))
        return story
    story += data_table(
        PIPELINE_HEADERS,
        pipeline_rows(pipeline, today),
        numeric_cols=(3, 4),
    )
    return story


def missing_story(pack: SmgPack) -> list[Flowable]:
    story: list[Flowable] = [heading(f"7 {SECTIONS[6]}", 1)]
    if not pack.missing_returns:
        story.append(empty_note(f"Every return for {pack.period.long_label} is in."))
        return story
    rows = [[m.contract_title, m.organisation_name, m.period.label] for m in pack.missing_returns]
    story += data_table(["Contract", "Partner", "Month"], rows)
    return story


def story(pack: SmgPack) -> list[Flowable]:
    """The whole pack, section by section, in the meeting's order."""
    flowables = cover_story(pack.cover, TITLE, contents(pack))
    flowables += exceptions_story(pack)
    flowables += contracts_story(pack)
    flowables += tickets_story(pack)
    flowables += actions_story(pack)
    flowables += compliance_story(pack)
    flowables += pipeline_story(pack.pipeline, pack.today, "6")
    flowables += missing_story(pack)
    return flowables


def build(path: str | os.PathLike[str], pack: SmgPack) -> Path:
    """Write the pack to `path` (atomically); return the path."""
    return build_pack_pdf(
        path,
        story(pack),
        title="SMG meeting pack",
        cover=pack.cover,
        stamp=pack.stamp,
        keyword="SMG",
        subject_title=TITLE,
    )
