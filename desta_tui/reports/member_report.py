"""A member organisation's whole record: details, memberships, people, papers, work, history."""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.platypus import Flowable

from desta_tui.domain.compliance import EXPIRED
from desta_tui.reports.flowables import (
    key_value_table,
    title_block,
)
from desta_tui.reports.report_parts import (
    build_record_pdf,
    history_table,
    money,
    on,
    section,
    strong,
    yes_no,
)
from desta_tui.services.reporting.member_record import MemberRecord

TITLE = "Member record"


def story(record: MemberRecord) -> list[Flowable]:
    org = record.organisation
    flowables: list[Flowable] = title_block(
        org.name, TITLE + (" (archived)" if org.is_archived else "")
    )
    roles = [word for flag, word in ((org.is_member, "Member"),
                                     (org.is_commissioner, "Commissioner")) if flag]  # fmt: skip
    pairs = [
        ("Name", org.name),
        ("Kind", org.kind_label),
        ("Role", ", ".join(roles) or "Neither member nor commissioner"),
        ("Charity number", org.charity_number),
        ("Company number", org.company_number),
        ("Address", org.address),
        ("Postcode", org.postcode),
        ("Home borough", org.borough),
        ("Works in", ", ".join(org.boroughs)),
        ("Email", org.email),
        ("Phone", org.phone),
        ("Website", org.website),
        ("Notes", org.notes),
    ]
    flowables.append(key_value_table([(k, v) for k, v in pairs if v]))

    flowables += section(
        "Memberships",
        ["Consortium", "Status", "Joined", "Left", "Board seat", "SMG", "Vote"],
        [[m.consortium_name, m.status_label + (" (archived)" if m.is_archived else ""),
          on(m.joined_on), on(m.left_on), yes_no(m.has_board_seat), yes_no(m.is_smg_member),
          yes_no(m.has_vote)] for m in record.memberships],
        "Not a member of any consortium.",
    )  # fmt: skip
    flowables += section(
        "Contacts",
        ["Name", "Role", "Email", "Phone", "Primary"],
        [[c.full_name, c.role, c.email, c.phone, yes_no(c.is_primary)]
         for c in record.contacts],
        "No contacts on file.",
    )  # fmt: skip
    flowables += section(
        "Compliance papers",
        ["Paper", "Reference", "Checked", "Expires", "State"],
        [[line.paper.kind_label, line.paper.reference, on(line.paper.checked_on),
          on(line.paper.expires_on),
          strong(line.state) if line.paper.state == EXPIRED else line.state]
         for line in record.papers],
        "No compliance papers on file.",
    )  # fmt: skip
    flowables += section(
        "Contracts",
        ["Contract", "Consortium", "Stage", "Role", "Boroughs", "Allocation"],
        [[p.contract_title, p.consortium, p.stage, p.role, p.boroughs,
          money(p.allocated_value_pence)] for p in record.partnerships],
        "Not a partner in any contract.",
        numeric_cols=(5,),
    )  # fmt: skip
    flowables += section(
        "Support tickets",
        ["Ticket", "Subject", "Contract", "Stage", "Status", "Opened", "Due"],
        [[t.reference, t.subject, t.contract_title, t.stage_label, t.status_label,
          on(t.opened_on), t.due_text] for t in (line.row for line in record.tickets)],
        "No support tickets.",
    )  # fmt: skip
    flowables += history_table(record.history)
    return flowables


def build(path: str | os.PathLike[str], record: MemberRecord) -> Path:
    return build_record_pdf(
        path,
        story(record),
        title=TITLE,
        subtitle=record.organisation.name,
        consortium=", ".join(m.consortium_name for m in record.memberships),
        stamp=record.stamp,
    )
