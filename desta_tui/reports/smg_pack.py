"""The Service Management Group meeting pack, built from the meeting's agenda: a cover with the
agenda and the page of each paper, the papers in agenda order (attendance, declarations, the last
minutes and matters arising, performance that argues its case, tickets, compliance, pipeline,
items, any other business) and the attendance sheet to sign."""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.platypus import Flowable

from desta_tui.reports.flowables import data_table, empty_note, para
from desta_tui.reports.meeting_papers import (
    SHEET_KEY,
    AgendaLine,
    actions_table,
    agenda_story,
    aob_paper,
    attendance_paper,
    attendance_sheet,
    cover_story,
    decisions_table,
    declarations_paper,
    item_paper,
    minutes_paper,
    paper_heading,
    part_heading,
)
from desta_tui.reports.performance_papers import (
    contract_details,
    exceptions_part,
    monthly_story,
    partner_charts,
    rag_grid,
)
from desta_tui.reports.report_parts import (
    WIDE,
    action_rows,
    build_pack_pdf,
    money,
    on,
    strong,
    when,
)
from desta_tui.services.reporting.pack_meeting import PackAgendaItem
from desta_tui.services.reporting.smg_pack import SmgPack

TITLE = "Service Management Group meeting pack"
PAPERS = {
    "apologies": "Attendance and the quorum",
    "declarations": "Declarations of interest",
    "minutes": "Minutes of the last meeting and matters arising",
    "performance": "Performance: exceptions, every partner, charts, returns missing",
    "tickets": "Open support tickets and improvement actions",
    "compliance": "Compliance papers expired or expiring",
    "pipeline": "Contracts being won",
}
"""What the pack prints for each standing item of the SMG's agenda (the others: the item's own
paper)."""
TICKET_WIDTHS = (44, 72, 80, 66, 40, 46)
"""Ticket, provider, subject, stage, status and due columns (T-00001 and "Improvement" fit
whole); the latest events take the rest of the page."""


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def summaries(pack: SmgPack) -> dict[str, str]:
    """What the pack holds for each standing item, in a few words for the cover's agenda."""
    record = pack.meeting.record
    no_case = sum(1 for e in pack.exceptions if e.case is None or e.case.is_open)
    reds = sum(1 for e in pack.exceptions if e.figure.rag.rag.word == "Red")
    expired = sum(1 for c in pack.compliance if c.is_expired)
    overdue = sum(1 for a in pack.actions if a.action.is_overdue)
    found = {
        "performance": (
            f"{_count(len(pack.exceptions), 'red or amber figure')} ({reds} red); "
            f"{no_case} with no ticket or note; every partner on one page; charts; "
            f"{_count(len(pack.missing_returns), 'return')} missing"
        ),
        "tickets": f"{_count(len(pack.tickets), 'open ticket')}; "
        f"{_count(len(pack.actions), 'action')} due ({overdue} overdue)",
        "compliance": f"{_count(len(pack.compliance), 'paper')} ({expired} expired or missing)",
        "pipeline": _count(len(pack.pipeline), "contract"),
    }
    if record is not None:
        found["apologies"] = record.quorum_line
        found["declarations"] = (
            f"{len(record.declarations)} declared; "
            f"{sum(len(i.suggested_declarations) for i in record.agenda)} to consider; "
            f"{len(record.registered_interests)} on the register"
        )
        carried = record.actions_carried
        late = sum(1 for a in carried if a.is_overdue)
        last = record.last_meeting.meeting.title if record.last_meeting else "no earlier meeting"
        found["minutes"] = f"{last}; {_count(len(carried), 'action')} carried ({late} overdue)"
    return found


def item_summary(item: PackAgendaItem) -> str:
    view = item.item
    if view is None:
        return ""
    words = []
    pending = sum(1 for d in view.decisions if d.is_pending)
    if pending:
        words.append(_count(pending, "motion") + " to decide")
    if view.carried_from:
        words.append("carried forward")
    if view.is_deferred:
        words.append("deferred")
    if view.declarations:
        words.append(_count(len(view.declarations), "declaration"))
    return "; ".join(words)


def tickets_story(pack: SmgPack, number: str) -> list[Flowable]:
    story: list[Flowable] = [part_heading(number, "Open support tickets", f"tickets-{number}")]
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


def actions_story(pack: SmgPack, number: str) -> list[Flowable]:
    story: list[Flowable] = [
        part_heading(number, "Improvement actions due", f"ticket-actions-{number}")
    ]
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


def compliance_story(pack: SmgPack, number: str, title: str, key: str) -> list[Flowable]:
    story: list[Flowable] = [paper_heading(number, title, key)]
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


def pipeline_story(pipeline, today, number: str, title: str, key: str) -> list[Flowable]:
    """Contracts being won, nearest tender deadline first (the board pack prints it too)."""
    story: list[Flowable] = [paper_heading(number, title, key)]
    if not pipeline:
        story.append(empty_note("No contracts in the pipeline."))
        return story
    story += data_table(
        PIPELINE_HEADERS,
        pipeline_rows(pipeline, today),
        numeric_cols=(3, 4),
    )
    return story


def missing_story(pack: SmgPack, number: str) -> list[Flowable]:
    story: list[Flowable] = [part_heading(number, "Returns missing", f"missing-{number}")]
    if not pack.missing_returns:
        story.append(empty_note(f"Every return for {pack.period.long_label} is in."))
        return story
    rows = [[m.contract_title, m.organisation_name, m.period.label] for m in pack.missing_returns]
    story += data_table(["Contract", "Partner", "Month"], rows)
    return story


def performance_paper(pack: SmgPack, item: PackAgendaItem) -> list[Flowable]:
    """Exceptions first, then every partner at a glance, each contract with its month-by-month
    table and charts, and the returns not yet in."""
    number = str(item.number)
    story: list[Flowable] = [paper_heading(number, item.title, item.key)]
    story += exceptions_part(pack.exceptions, pack.period, f"{number}.1")
    lead = [part_heading(f"{number}.2", "Every partner at a glance", f"grid-{number}")]
    for section in pack.contracts:
        story += rag_grid(section.performance, section.contract.title, lead)
        lead = []
    if not pack.contracts:
        story += [*lead, empty_note("No contracts in delivery.")]
    part = 3
    for section in pack.contracts:
        story += contract_details(
            section.contract, section.partners, section.performance, f"{number}.{part}"
        )
        story += partner_charts(section.trajectory, section.performance, f"{number}.{part + 1}")
        story += monthly_story(section.trajectory)
        part += 2
    story += missing_story(pack, f"{number}.{part}")
    return story


def tickets_paper(pack: SmgPack, item: PackAgendaItem) -> list[Flowable]:
    number = str(item.number)
    story: list[Flowable] = [paper_heading(number, item.title, item.key)]
    story += tickets_story(pack, f"{number}.1")
    story += actions_story(pack, f"{number}.2")
    return story


def _papers(pack: SmgPack):
    meeting = pack.meeting
    record = meeting.record

    def numbered(paper):
        return lambda item: paper(meeting, str(item.number), item.title, item.key)

    def decisions(item: PackAgendaItem) -> list[Flowable]:
        found = record.decisions if record is not None else ()
        body = decisions_table(found) if found else [empty_note("No motions put yet.")]
        return item_paper(item, body)

    def actions(item: PackAgendaItem) -> list[Flowable]:
        found = record.actions_carried if record is not None else ()
        body = actions_table(found) if found else [empty_note("No actions carried forward.")]
        return item_paper(item, body)

    return {
        "apologies": numbered(attendance_paper),
        "declarations": numbered(declarations_paper),
        "minutes": numbered(minutes_paper),
        "performance": lambda item: performance_paper(pack, item),
        "tickets": lambda item: tickets_paper(pack, item),
        "compliance": lambda item: compliance_story(pack, str(item.number), item.title, item.key),
        "pipeline": lambda item: pipeline_story(
            pack.pipeline, pack.today, str(item.number), item.title, item.key
        ),
        "decisions": decisions,
        "actions": actions,
        "aob": aob_paper,
        "item": lambda item: item_paper(item, actions=record.actions_raised if record else ()),
    }


LEFTOVERS = ("performance", "tickets", "compliance", "pipeline")
"""Papers the SMG always sees: printed after the agenda when their item was taken off it."""


def story(pack: SmgPack) -> list[Flowable]:
    """The whole pack: the cover and its agenda, the papers in agenda order, leftover papers,
    the attendance sheet."""
    leftovers = [(kind, PAPERS[kind]) for kind in LEFTOVERS]
    papers, extra = agenda_story(pack.meeting, _papers(pack), leftovers)
    found = summaries(pack)
    lines = [
        AgendaLine(str(item.number), item.title, item.presenter,
                   found.get(item.kind, "") if item.kind != "item" else item_summary(item),
                   item.key)
        for item in pack.meeting.agenda
    ]  # fmt: skip
    lines += [
        AgendaLine(str(item.number), item.title, "", found.get(item.kind, ""), item.key)
        for item in extra
    ]
    lines.append(AgendaLine("", "Attendance sheet", "", "To sign on arrival", SHEET_KEY))
    flowables = cover_story(TITLE, pack.cover, pack.meeting, lines)
    flowables += papers
    flowables += attendance_sheet(pack.meeting)
    return flowables


def build(path: str | os.PathLike[str], pack: SmgPack, *, replace: bool = True) -> Path:
    """Write the pack to `path` (atomically; never over a file there unless `replace`)."""
    return build_pack_pdf(
        path,
        story(pack),
        title="SMG meeting pack",
        cover=pack.cover,
        stamp=pack.stamp,
        keyword="SMG",
        subject_title=TITLE,
        replace=replace,
    )


__all__ = ["PAPERS", "TITLE", "build", "story"]
