"""A contract's whole record: details, partners, stages, contacts, figures, tickets, history."""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.platypus import Flowable

from desta_tui.domain.choices import PERIOD_KINDS
from desta_tui.reports.flowables import (
    data_table,
    empty_note,
    heading,
    key_value_table,
    title_block,
)
from desta_tui.reports.report_parts import (
    build_record_pdf,
    figure_numeric_cols,
    figure_rows,
    history_table,
    money,
    on,
    section,
)
from desta_tui.services.reporting.contract_record import ContractRecord

TITLE = "Contract record"


def story(record: ContractRecord) -> list[Flowable]:
    contract = record.contract
    flowables: list[Flowable] = title_block(
        contract.title, TITLE + (" (archived)" if contract.is_archived else "")
    )
    pairs = [
        ("Title", contract.title),
        ("Reference", contract.reference),
        ("Consortium", contract.consortium_name),
        ("Commissioner", contract.commissioner_name),
        ("Stage", contract.stage_label),
        ("Value", f"{money(contract.total_value_pence)} in all; "
                  f"{money(contract.annual_value_pence)} a year"),
        ("Starts", on(contract.starts_on)),
        ("Ends", on(contract.ends_on)),
        ("Counted", PERIOD_KINDS.label(contract.period_kind)),
        ("Tender deadline", on(contract.tender_deadline_on)),
        ("Decision", on(contract.decision_on)),
        ("Commissioner contact", f"every {contract.contact_interval_days} days"),
        ("Boroughs", ", ".join(contract.boroughs)),
        ("Notes", contract.notes),
    ]  # fmt: skip
    flowables.append(key_value_table([(k, v) for k, v in pairs if v]))

    # the override column only when some partner was let through without its papers
    overrides = any(p.compliance_override_reason for p in record.partners)
    headers = ["Partner", "Role", "Boroughs", "Allocation"]
    rows = [[p.organisation_name, p.role_label, ", ".join(p.boroughs),
             money(p.allocated_value_pence)] for p in record.partners]  # fmt: skip
    if any(p.term_text for p in record.partners):
        headers.append("Dates")
        for row, p in zip(rows, record.partners, strict=True):
            row.append(p.term_words)
    if overrides:
        headers.append("Compliance gate passed over because")
        for row, p in zip(rows, record.partners, strict=True):
            row.append(p.compliance_override_reason)
    flowables += section("Partners", headers, rows, "No partners yet.", numeric_cols=(3,))
    flowables += section(
        "Stages",
        ["Date", "From", "To", "By", "Reason"],
        [[on(s.changed_on), s.from_label, s.to_label, s.changed_by, s.reason]
         for s in record.stage_changes],
        "No stage changes recorded.",
    )  # fmt: skip

    perf = record.performance
    flowables.append(heading("Performance", 1))
    if perf is None:
        flowables.append(empty_note("No targets or returns for this contract."))
    else:
        headers, rows = figure_rows(perf.totals, with_partner=False)
        flowables += data_table(
            headers,
            rows,
            numeric_cols=figure_numeric_cols(False),
            title=f"All partners: to the end of {perf.up_to.long_label}",
        )
        headers, rows = figure_rows(perf.rows)
        flowables += data_table(headers, rows, numeric_cols=figure_numeric_cols(True),
                                title="Each partner: to date")  # fmt: skip

    flowables += section(
        "Support tickets",
        ["Ticket", "Provider", "Subject", "Stage", "Status", "Opened", "Due"],
        [[t.reference, t.provider_name, t.subject, t.stage_label, t.status_label,
          on(t.opened_on), t.due_text] for t in (line.row for line in record.tickets)],
        "No support tickets.",
    )  # fmt: skip
    flowables += section(
        "Commissioner contacts",
        ["Date", "Kind", "With", "Notes", "Logged by"],
        [[on(c.contacted_on), c.kind_label, c.with_whom, c.notes, c.logged_by]
         for c in record.commissioner_contacts],
        "No contacts with the commissioner logged.",
    )  # fmt: skip
    flowables += history_table(record.history)
    return flowables


def build(path: str | os.PathLike[str], record: ContractRecord) -> Path:
    return build_record_pdf(
        path,
        story(record),
        title=TITLE,
        subtitle=record.contract.title,
        consortium=record.contract.consortium_name,
        stamp=record.stamp,
    )
