"""The board pack, built from the board meeting's agenda: attendance, declarations, the last
minutes and matters arising, the action log, decisions due and taken, contracts and their money
with the performance summary, the risk register, the pipeline, any other business; members by
borough as an appendix; the attendance sheet."""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.platypus import Flowable

from desta_tui.domain.rag import Rag
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
    risks_table,
)
from desta_tui.reports.performance_papers import rag_grid
from desta_tui.reports.report_parts import (
    build_pack_pdf,
    figure_numeric_cols,
    figure_rows,
    money,
    on,
    strong,
    yes_no,
)
from desta_tui.reports.smg_pack import item_summary, pipeline_story
from desta_tui.services.reporting.board_pack import BoardPack
from desta_tui.services.reporting.pack_meeting import PackAgendaItem

TITLE = "Board pack"
PAPERS = {
    "actions": "Action log",
    "decisions": "Decisions due",
    "performance": "Contracts, their money and performance",
    "risks": "Risk register",
    "pipeline": "Pipeline",
}
"""The papers the board always sees: printed after the agenda when their item is not on it."""
APPENDIX_KEY = "members-by-borough"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def in_delivery_value(pack: BoardPack) -> int:
    return sum(
        c.contract.total_value_pence for c in pack.contracts if c.contract.stage == "in_delivery"
    )


def summaries(pack: BoardPack) -> dict[str, str]:
    extras = pack.extras
    open_actions = [a for a in extras.action_log if not a.is_done]
    overdue = sum(1 for a in open_actions if a.is_overdue)
    due_reviews = sum(1 for r in extras.risks if r.is_review_due)
    found = {
        "actions": f"{_count(len(open_actions), 'open action')} ({overdue} overdue)",
        "decisions": f"{_count(len(extras.decisions_due), 'decision')} due; "
        f"{len(extras.decisions_taken)} taken in {pack.period.long_label}",
        "performance": f"{_count(len(pack.contracts), 'contract')}; "
        f"{money(in_delivery_value(pack))} in delivery",
        "risks": f"{_count(len(extras.risks), 'risk')} ({due_reviews} due for review)",
        "pipeline": f"{_count(len(pack.pipeline), 'contract')} being won",
    }
    record = pack.meeting.record
    if record is not None:
        found["apologies"] = record.quorum_line
        found["declarations"] = (
            f"{len(record.declarations)} declared; "
            f"{len(record.registered_interests)} on the register"
        )
        last = record.last_meeting.meeting.title if record.last_meeting else "no earlier meeting"
        found["minutes"] = f"{last}; {_count(len(record.actions_carried), 'action')} carried"
    return found


# --- the board's own papers ------------------------------------------------------------------


def action_log_paper(pack: BoardPack, item: PackAgendaItem) -> list[Flowable]:
    """Every body's open actions and those done in the month, oldest due first."""
    number = str(item.number)
    story: list[Flowable] = [paper_heading(number, item.title, item.key)]
    log = pack.extras.action_log
    if not log:
        story.append(empty_note("No open actions."))
        return story
    overdue = sum(1 for a in log if a.is_overdue)
    story.append(
        para(
            f"The open actions of every body, and those done in {pack.period.long_label}: "
            f"{overdue} overdue. Carried: how many meetings an action has come back to."
        )
    )
    story += actions_table(log)
    return story


def decisions_paper(pack: BoardPack, item: PackAgendaItem) -> list[Flowable]:
    """Motions waiting for a vote, soonest due first, and the decisions of the month with their
    proposer, seconder and tally."""
    number = str(item.number)
    story: list[Flowable] = [paper_heading(number, item.title, item.key)]
    extras = pack.extras
    story.append(part_heading(f"{number}.1", "Decisions due", f"decisions-due-{number}"))
    if extras.decisions_due:
        story += decisions_table(extras.decisions_due, with_meeting=True)
    else:
        story.append(empty_note("No motions waiting for a vote."))
    story.append(
        part_heading(
            f"{number}.2", f"Decisions taken in {pack.period.long_label}", f"taken-{number}"
        )
    )
    if extras.decisions_taken:
        story += decisions_table(extras.decisions_taken, with_meeting=True)
    else:
        story.append(empty_note(f"No decisions taken in {pack.period.long_label}."))
    return story


def contracts_paper(pack: BoardPack, item: PackAgendaItem) -> list[Flowable]:
    """Contracts and their money (value, a year, given to partners, kept by the hub), then how
    each contract in delivery performs: totals and every partner at a glance."""
    number = str(item.number)
    story: list[Flowable] = [paper_heading(number, item.title, item.key)]
    story.append(part_heading(f"{number}.1", "Contracts and their money", f"money-{number}"))
    if not pack.contracts:
        story.append(empty_note("No contracts yet."))
    else:
        rows = []
        for line in pack.contracts:
            c = line.contract
            runs = " to ".join(d for d in (on(c.starts_on), on(c.ends_on)) if d)
            about = "\n".join(part for part in (c.commissioner_name, runs) if part)
            rows.append([f"{c.title}\n{about}".strip(), c.stage_label,
                         money(c.total_value_pence), money(c.annual_value_pence),
                         money(c.allocation.allocated_pence), money(c.allocation.remainder_pence),
                         str(line.partner_count)])  # fmt: skip
        totals = [
            sum(line.contract.total_value_pence for line in pack.contracts),
            sum(line.contract.annual_value_pence for line in pack.contracts),
            sum(line.contract.allocation.allocated_pence for line in pack.contracts),
            sum(line.contract.allocation.remainder_pence for line in pack.contracts),
        ]
        rows.append([strong("All contracts"), "", *(strong(money(t)) for t in totals), ""])
        story += data_table(
            ["Contract, commissioner, dates", "Stage", "Value", "A year", "To partners",
             "Unallocated", "Partners"],
            rows,
            numeric_cols=(2, 3, 4, 5, 6),
            total_rows=1,
        )  # fmt: skip
    story.append(part_heading(f"{number}.2", "Performance summary", f"performance-{number}"))
    if not pack.performance:
        story.append(empty_note("No contracts in delivery."))
    for perf in pack.performance:
        reds = sum(1 for r in perf.rows if r.rag.rag is Rag.RED)
        ambers = sum(1 for r in perf.rows if r.rag.rag is Rag.AMBER)
        behind = sorted({r.organisation_name for r in perf.rows if r.rag.rag is Rag.RED})
        headers, rows = figure_rows(perf.totals, with_partner=False)
        story += data_table(
            headers,
            rows,
            numeric_cols=figure_numeric_cols(False),
            title=f"{perf.contract_title}: to the end of {perf.up_to.long_label}",
        )
        line = f"Partner figures: {reds} red, {ambers} amber."
        if behind:
            line += " Red: " + "; ".join(behind) + "."
        story.append(para(line))
        story += rag_grid(perf, f"{perf.contract_title}: every partner at a glance")
    return story


def risks_paper(pack: BoardPack, item: PackAgendaItem) -> list[Flowable]:
    number = str(item.number)
    story: list[Flowable] = [paper_heading(number, item.title, item.key)]
    story.append(
        para(
            "Open and monitored risks, highest score first: likelihood and impact each from 1 "
            "(rare, minor) to 5 (almost certain, severe); a review date that has come is marked "
            "due."
        )
    )
    story += risks_table(pack.extras.risks)
    return story


def members_appendix(pack: BoardPack, number: str) -> list[Flowable]:
    """Members by borough, with board and SMG seats: the census, at the back."""
    story: list[Flowable] = [paper_heading(number, "Appendix: members by borough", APPENDIX_KEY)]
    if not pack.members_by_borough:
        story.append(empty_note("No members yet."))
        return story
    summary = [
        [group.borough, str(len(group.members)),
         str(sum(m.has_board_seat for m in group.members)),
         str(sum(m.is_smg_member for m in group.members))]
        for group in pack.members_by_borough
    ]  # fmt: skip
    smg = sum(m.is_smg_member for g in pack.members_by_borough for m in g.members)
    totals = (pack.member_count, pack.board_seats, smg)
    summary.append([strong("All boroughs"), *(strong(str(n)) for n in totals)])
    story += data_table(["Borough", "Members", "Board seats", "On the SMG"], summary,
                        numeric_cols=(1, 2, 3), total_rows=1)  # fmt: skip
    for group in pack.members_by_borough:
        rows = [
            [m.name, m.status, on(m.joined_on), yes_no(m.has_board_seat), yes_no(m.is_smg_member)]
            for m in group.members
        ]
        story += data_table(
            ["Organisation", "Membership", "Joined", "Board seat", "SMG"],
            rows,
            title=f"{group.borough} ({len(group.members)})",
        )
    return story


def _papers(pack: BoardPack):
    meeting = pack.meeting
    record = meeting.record

    def numbered(paper):
        return lambda item: paper(meeting, str(item.number), item.title, item.key)

    return {
        "apologies": numbered(attendance_paper),
        "declarations": numbered(declarations_paper),
        "minutes": numbered(minutes_paper),
        "actions": lambda item: action_log_paper(pack, item),
        "decisions": lambda item: decisions_paper(pack, item),
        "performance": lambda item: contracts_paper(pack, item),
        "risks": lambda item: risks_paper(pack, item),
        "pipeline": lambda item: pipeline_story(
            pack.pipeline, pack.today, str(item.number), item.title, item.key
        ),
        "aob": aob_paper,
        "item": lambda item: item_paper(item, actions=record.actions_raised if record else ()),
    }


def story(pack: BoardPack) -> list[Flowable]:
    papers, extra = agenda_story(pack.meeting, _papers(pack), list(PAPERS.items()))
    found = summaries(pack)
    agenda = [*pack.meeting.agenda, *extra]
    lines = [
        AgendaLine(str(item.number), item.title, item.presenter,
                   found.get(item.kind, "") if item.kind != "item" else item_summary(item),
                   item.key)
        for item in agenda
    ]  # fmt: skip
    appendix = str(len(agenda) + 1)
    lines.append(AgendaLine(appendix, "Appendix: members by borough", "",
                            f"{pack.member_count} members; {pack.board_seats} board seats",
                            APPENDIX_KEY))  # fmt: skip
    lines.append(AgendaLine("", "Attendance sheet", "", "To sign on arrival", SHEET_KEY))
    flowables = cover_story(TITLE, pack.cover, pack.meeting, lines)
    flowables += papers
    flowables += members_appendix(pack, appendix)
    flowables += attendance_sheet(pack.meeting)
    return flowables


def build(path: str | os.PathLike[str], pack: BoardPack, *, replace: bool = True) -> Path:
    """Write the pack to `path` (atomically; never over a file there unless `replace`)."""
    return build_pack_pdf(
        path,
        story(pack),
        title=TITLE,
        cover=pack.cover,
        stamp=pack.stamp,
        keyword="board",
        replace=replace,
    )


__all__ = ["PAPERS", "TITLE", "build", "story"]
