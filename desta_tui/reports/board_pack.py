"""The board pack: members by borough, contracts and values, the pipeline, performance summary."""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.platypus import Flowable

from desta_tui.domain.rag import Rag
from desta_tui.reports.flowables import data_table, empty_note, heading, para
from desta_tui.reports.report_parts import (
    build_pack_pdf,
    figure_numeric_cols,
    figure_rows,
    money,
    on,
    strong,
    yes_no,
)
from desta_tui.reports.smg_pack import cover_story, pipeline_story
from desta_tui.services.reporting.board_pack import BoardPack

TITLE = "Board pack"
SECTIONS = ("Members by borough", "Contracts and values", "Pipeline", "Performance summary")


def contents(pack: BoardPack) -> list[tuple[str, str]]:
    value = sum(
        c.contract.total_value_pence for c in pack.contracts if c.contract.stage == "in_delivery"
    )
    return [
        (SECTIONS[0], f"{pack.member_count} members in {len(pack.members_by_borough)} boroughs; "
                      f"{pack.board_seats} board seats"),
        (SECTIONS[1], f"{len(pack.contracts)} contracts; {money(value)} in delivery"),
        (SECTIONS[2], f"{len(pack.pipeline)} contracts being won"),
        (SECTIONS[3], f"{len(pack.performance)} contracts in delivery, to {pack.period.label}"),
    ]  # fmt: skip


def members_story(pack: BoardPack) -> list[Flowable]:
    story: list[Flowable] = [heading(f"1 {SECTIONS[0]}", 1)]
    if not pack.members_by_borough:
        story.append(empty_note("No members yet."))
        return story
    summary = [
        [
            group.borough,
            str(len(group.members)),
            str(sum(m.has_board_seat for m in group.members)),
            str(sum(m.is_smg_member for m in group.members)),
        ]
        for group in pack.members_by_borough
    ]
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


def contracts_story(pack: BoardPack) -> list[Flowable]:
    story: list[Flowable] = [heading(f"2 {SECTIONS[1]}", 1)]
    if not pack.contracts:
        story.append(empty_note("No contracts yet."))
        return story
    rows = [
        [
            c.contract.title,
            c.contract.commissioner_name,
            c.contract.stage_label,
            money(c.contract.total_value_pence),
            money(c.contract.annual_value_pence),
            " to ".join(d for d in (on(c.contract.starts_on), on(c.contract.ends_on)) if d),
            str(c.partner_count),
        ]
        for c in pack.contracts
    ]
    total = sum(c.contract.total_value_pence for c in pack.contracts)
    annual = sum(c.contract.annual_value_pence for c in pack.contracts)
    rows.append([strong("All contracts"), "", "", strong(money(total)),
                 strong(money(annual)),
                 "", ""])  # fmt: skip
    story += data_table(
        ["Contract", "Commissioner", "Stage", "Value", "A year", "Runs", "Partners"],
        rows,
        numeric_cols=(3, 4, 6),
        total_rows=1,
    )
    return story


def performance_story(pack: BoardPack) -> list[Flowable]:
    story: list[Flowable] = [heading(f"4 {SECTIONS[3]}", 1)]
    if not pack.performance:
        story.append(empty_note("No contracts in delivery."))
        return story
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
    return story


def story(pack: BoardPack) -> list[Flowable]:
    flowables = cover_story(pack.cover, TITLE, contents(pack))
    flowables += members_story(pack)
    flowables += contracts_story(pack)
    pipeline = pipeline_story(pack.pipeline, pack.today, "3")
    flowables += pipeline
    flowables += performance_story(pack)
    return flowables


def build(path: str | os.PathLike[str], pack: BoardPack) -> Path:
    """Write the pack to `path` (atomically); return the path."""
    return build_pack_pdf(
        path,
        story(pack),
        title=TITLE,
        cover=pack.cover,
        stamp=pack.stamp,
        keyword="board",
    )
