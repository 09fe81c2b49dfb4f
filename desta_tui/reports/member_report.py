"""A member organisation's whole record: details, memberships, people, papers, work, history."""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.platypus import Flowable

from desta_tui.reports.document import build_pdf
from desta_tui.reports.flowables import (
    data_table,
    empty_note,
    heading,
    key_value_table,
    title_block,
)
from desta_tui.reports.report_parts import history_table, money, on, strong, yes_no
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

    flowables.append(heading("Memberships", 1))
    if record.memberships:
        flowables += data_table(
            ["Consortium", "Status", "Joined", "Left", "Board seat", "SMG", "Vote"],
            [[m.consortium_name, m.status_label + (" (archived)" if m.is_archived else ""),
              on(m.joined_on), on(m.left_on), yes_no(m.has_board_seat), yes_no(m.is_smg_member),
              yes_no(m.has_vote)] for m in record.memberships],
        )  # fmt: skip
    else:
        flowables.append(empty_note("Not a member of any consortium."))

    flowables.append(heading("Contacts", 1))
    if record.contacts:
        flowables += data_table(
            ["Name", "Role", "Email", "Phone", "Primary"],
            [[c.full_name, c.role, c.email, c.phone, yes_no(c.is_primary)]
             for c in record.contacts],
        )  # fmt: skip
    else:
        flowables.append(empty_note("No contacts on file."))

    flowables.append(heading("Compliance papers", 1))
    if record.papers:
        flowables += data_table(
            ["Paper", "Reference", "Checked", "Expires", "State"],
            [[line.paper.kind_label, line.paper.reference, on(line.paper.checked_on),
              on(line.paper.expires_on),
              strong(line.state) if line.state == "Expired" else line.state]
             for line in record.papers],
        )  # fmt: skip
    else:
        flowables.append(empty_note("No compliance papers on file."))

    flowables.append(heading("Contracts", 1))
    if record.partnerships:
        flowables += data_table(
            ["Contract", "Consortium", "Stage", "Role", "Boroughs", "Allocation"],
            [[p.contract_title, p.consortium, p.stage, p.role, p.boroughs,
              money(p.allocated_value_pence)] for p in record.partnerships],
            numeric_cols=(5,),
        )  # fmt: skip
    else:
        flowables.append(empty_note("Not a partner in any contract."))

    flowables.append(heading("Support tickets", 1))
    if record.tickets:
        flowables += data_table(
            ["Ticket", "Subject", "Contract", "Stage", "Status", "Opened", "Due"],
            [[t.reference, t.subject, t.contract_title, t.stage_label, t.status_label,
              on(t.opened_on), t.due_text] for t in (line.row for line in record.tickets)],
        )  # fmt: skip
    else:
        flowables.append(empty_note("No support tickets."))

    flowables += history_table(record.history)
    return flowables


def build(path: str | os.PathLike[str], record: MemberRecord) -> Path:
    return build_pdf(
        path,
        story(record),
        title=TITLE,
        subtitle=record.organisation.name,
        consortium=", ".join(m.consortium_name for m in record.memberships),
        period=on(record.stamp.printed_on),
        printed_on=record.stamp.printed_on,
        printed_by=record.stamp.printed_by,
        subject=f"{TITLE}: {record.organisation.name}",
    )
