"""Tables as rows for CSV: members, contacts, contracts, partners, targets, returns, tickets..."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from peewee import JOIN, fn

from desta_tui.db.models import (
    Borough,
    Consortium,
    Contact,
    Contract,
    ContractBorough,
    ContractPartner,
    ContractPartnerBorough,
    Membership,
    Metric,
    MonthlyReturn,
    Organisation,
    OrganisationBorough,
    SupportTicket,
    Target,
    TicketEvent,
)
from desta_tui.domain.choices import (
    CONTRACT_STAGES,
    MEMBERSHIP_STATUSES,
    PARTNER_ROLES,
    TICKET_CATEGORIES,
    TICKET_PRIORITIES,
    TICKET_STAGES,
    TICKET_STATUSES,
)
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.domain.money import format_pounds_plain
from desta_tui.domain.tickets import format_due
from desta_tui.paths import create_private_file
from desta_tui.services.context import today


@dataclass(frozen=True)
class Table:
    """A table ready to write: its headers and rows of text."""

    name: str
    headers: list[str]
    rows: list[list[str]]


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _boroughs_by(link_model, owner_field) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    query = (
        link_model.select(getattr(link_model, owner_field), Borough.name)
        .join(Borough)
        .order_by(Borough.name)
        .tuples()
    )
    for owner_id, name in query:
        names.setdefault(owner_id, []).append(name)
    return {owner_id: "; ".join(values) for owner_id, values in names.items()}


def _organisations() -> Table:
    boroughs = _boroughs_by(OrganisationBorough, "organisation")
    headers = ["Name", "Kind", "Member", "Commissioner", "Charity number", "Company number",
               "Address", "Postcode", "Boroughs", "Email", "Phone", "Website",
               "Archived"]  # fmt: skip
    rows = [
        [
            o.name,
            o.kind,
            yes_no(o.is_member),
            yes_no(o.is_commissioner),
            o.charity_number,
            o.company_number,
            o.address,
            o.postcode,
            boroughs.get(o.id, ""),
            o.email,
            o.phone,
            o.website,
            format_uk_date(o.archived_at.date() if o.archived_at else None),
        ]  # fmt: skip
        for o in Organisation.select().order_by(fn.lower(Organisation.name))
    ]
    return Table("organisations", headers, rows)


def _members() -> Table:
    boroughs = _boroughs_by(OrganisationBorough, "organisation")
    headers = ["Organisation", "Consortium", "Boroughs", "Status", "Joined", "Left",
               "Board seat", "SMG member", "Vote"]  # fmt: skip
    query = (
        Membership.select(Membership, Organisation, Consortium)
        .join(Organisation)
        .switch(Membership)
        .join(Consortium)
        .where(Membership.archived_at.is_null() & Organisation.archived_at.is_null())
        .order_by(Consortium.name, fn.lower(Organisation.name))
    )
    rows = [
        [
            m.organisation.name,
            m.consortium.name,
            boroughs.get(m.organisation_id, ""),
            MEMBERSHIP_STATUSES.label(m.status),
            format_uk_date(m.joined_on),
            format_uk_date(m.left_on),
            yes_no(m.has_board_seat),
            yes_no(m.is_smg_member),
            yes_no(m.has_vote),
        ]  # fmt: skip
        for m in query
    ]
    return Table("members", headers, rows)


def _contacts() -> Table:
    headers = ["Name", "Organisation", "Role", "Email", "Phone", "Primary"]
    query = (
        Contact.select(Contact, Organisation)
        .join(Organisation)
        .where(Contact.archived_at.is_null() & Contact.erased_at.is_null())
        .order_by(fn.lower(Organisation.name), fn.lower(Contact.full_name))
    )
    rows = [
        [c.full_name, c.organisation.name, c.role, c.email, c.phone, yes_no(c.is_primary)]
        for c in query
    ]
    return Table("contacts", headers, rows)


def _contracts() -> Table:
    boroughs = _boroughs_by(ContractBorough, "contract")
    headers = ["Title", "Reference", "Consortium", "Commissioner", "Stage", "Total value (£)",
               "Annual value (£)", "Starts", "Ends", "Periods", "Tender deadline", "Decision",
               "Boroughs"]  # fmt: skip
    commissioner = Organisation.alias()
    query = (
        Contract.select(Contract, Consortium, commissioner)
        .join(Consortium)
        .switch(Contract)
        .join(
            commissioner, join_type=JOIN.LEFT_OUTER, on=(Contract.commissioner == commissioner.id)
        )
        .where(Contract.archived_at.is_null())
        .order_by(Consortium.name, fn.lower(Contract.title))
    )
    rows = [
        [
            c.title,
            c.reference,
            c.consortium.name,
            c.commissioner.name if c.commissioner else "",
            CONTRACT_STAGES.label(c.stage),
            format_pounds_plain(c.total_value_pence),
            format_pounds_plain(c.annual_value_pence),
            format_uk_date(c.starts_on),
            format_uk_date(c.ends_on),
            c.period_kind,
            format_uk_date(c.tender_deadline_on),
            format_uk_date(c.decision_on),
            boroughs.get(c.id, ""),
        ]  # fmt: skip
        for c in query
    ]
    return Table("contracts", headers, rows)


def _partners() -> Table:
    boroughs = _boroughs_by(ContractPartnerBorough, "partner")
    headers = ["Contract", "Organisation", "Role", "Allocated value (£)", "Boroughs",
               "Compliance override"]  # fmt: skip
    query = (
        ContractPartner.select(ContractPartner, Contract, Organisation)
        .join(Contract)
        .switch(ContractPartner)
        .join(Organisation)
        .where(ContractPartner.archived_at.is_null())
        .order_by(fn.lower(Contract.title), fn.lower(Organisation.name))
    )
    rows = [
        [
            p.contract.title,
            p.organisation.name,
            PARTNER_ROLES.label(p.role),
            format_pounds_plain(p.allocated_value_pence),
            boroughs.get(p.id, ""),
            p.compliance_override_reason,
        ]  # fmt: skip
        for p in query
    ]
    return Table("partners", headers, rows)


def _figures(model, extra: Callable[[object], list[str]], extra_headers: list[str]) -> Table:
    query = (
        model.select(model, Contract, ContractPartner, Organisation, Metric)
        .join(Contract)
        .switch(model)
        .join(ContractPartner)
        .join(Organisation)
        .switch(model)
        .join(Metric)
        .where(model.archived_at.is_null())
        .order_by(Contract.title, model.period, fn.lower(Organisation.name), Metric.sort_order)
    )
    headers = ["Contract", "Partner", "Metric", "Period", "Value"] + extra_headers
    rows = [
        [r.contract.title, r.partner.organisation.name, r.metric.code, r.period, str(r.value)]
        + extra(r)
        for r in query
    ]
    return Table(model._meta.table_name, headers, rows)


def _targets() -> Table:
    table = _figures(Target, lambda r: [], [])
    return Table("targets", table.headers, table.rows)


def _returns() -> Table:
    def extra(r: MonthlyReturn) -> list[str]:
        entered = r.entered_at.strftime("%d/%m/%Y %H:%M") if r.entered_at else ""
        return [r.entered_by, entered, r.correction_note]

    table = _figures(MonthlyReturn, extra, ["Entered by", "Entered at", "Correction note"])
    return Table("returns", table.headers, table.rows)


def _tickets() -> Table:
    headers = ["Reference", "Provider", "Contract", "Support provider", "Subject", "Category",
               "Priority", "Owner", "Stage", "Status", "Opened", "Due", "Overdue", "Closed",
               "Last event", "Last event on"]  # fmt: skip
    on = today()
    provider, support = Organisation.alias(), Organisation.alias()
    query = (
        SupportTicket.select(SupportTicket, provider, support, Contract)
        .join(provider, on=(SupportTicket.provider == provider.id))
        .switch(SupportTicket)
        .join(support, join_type=JOIN.LEFT_OUTER, on=(SupportTicket.support_provider == support.id))
        .switch(SupportTicket)
        .join(Contract, join_type=JOIN.LEFT_OUTER)
        .where(SupportTicket.archived_at.is_null())
        .order_by(SupportTicket.reference)
    )
    last_events: dict[int, TicketEvent] = {}
    for event in TicketEvent.select().order_by(TicketEvent.occurred_at, TicketEvent.id):
        last_events[event.ticket_id] = event
    rows = []
    for t in query:
        last = last_events.get(t.id)
        rows.append(
            [
                t.reference,
                t.provider.name,
                t.contract.title if t.contract else "",
                t.support_provider.name if t.support_provider else "",
                t.subject,
                TICKET_CATEGORIES.label(t.category),
                TICKET_PRIORITIES.label(t.priority),
                t.owner,
                TICKET_STAGES.label(t.stage),
                TICKET_STATUSES.label(t.status),
                format_uk_date(t.opened_on),
                format_uk_date(t.due_on),
                format_due(t.due_on, on, t.status),
                format_uk_date(t.closed_on),
                last.text if last else "",
                last.occurred_at.strftime("%d/%m/%Y") if last else "",
            ]  # fmt: skip
        )
    return Table("tickets", headers, rows)


EXPORTERS: dict[str, Callable[[], Table]] = {
    "organisations": _organisations,
    "members": _members,
    "contacts": _contacts,
    "contracts": _contracts,
    "partners": _partners,
    "targets": _targets,
    "returns": _returns,
    "tickets": _tickets,
}


def export_table(name: str) -> Table:
    """The named table's headers and rows, as text a spreadsheet reads."""
    try:
        exporter = EXPORTERS[name]
    except KeyError:
        choices = ", ".join(EXPORTERS)
        raise DestaError(f"There is no table called {name!r}; choose one of {choices}.") from None
    return exporter()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Stop a spreadsheet running a cell as a formula: `=SUM(...)` is written as `'=SUM(...)`."""
    if cell and cell.startswith(FORMULA_STARTS):
        # a plain negative amount is a number, not a formula
        stripped = cell[1:].replace(".", "", 1)
        if cell[0] == "-" and stripped.isdigit():
            return cell
        return "'" + cell
    return cell


def csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def write_csv(table: Table, path: Path) -> Path:
    """Write UTF-8 with a BOM (so Excel reads £ and accents right), all at once or not at all,
    owner-only (it may hold people's names and details)."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.partial")
    try:
        fd = create_private_file(temporary)
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
            out.write(csv_text(table))
        os.replace(temporary, path)
    except OSError as error:
        if temporary.exists():
            temporary.unlink()
        raise DestaError(f"Cannot write {path}: {error.strerror}.") from None
    return path


def _xlsx_cell(header: str, cell: str) -> str | int | float:
    # figures and pounds go in as numbers so the sheet can add them up; everything else as text
    if header == "Value" or header.endswith("(£)"):
        try:
            return int(cell) if cell.lstrip("-").isdigit() else float(cell)
        except ValueError:
            pass
    return neutralise(cell)


def write_xlsx(table: Table, path: Path) -> Path:
    """Write a one-sheet Excel workbook, cells neutralised as in CSV, all at once or not at all,
    owner-only as a CSV is."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    path = Path(path)
    temporary = path.with_name(f".{path.name}.partial")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.name)
    sheet.append(table.headers)
    for row in table.rows:
        cells = []
        for header, text in zip(table.headers, row, strict=False):
            cell = WriteOnlyCell(sheet, value=_xlsx_cell(header, text))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text begins with
            cells.append(cell)
        sheet.append(cells)
    try:
        with os.fdopen(create_private_file(temporary), "wb") as out:
            workbook.save(out)
        os.replace(temporary, path)
    except OSError as error:
        if temporary.exists():
            temporary.unlink()
        raise DestaError(f"Cannot write {path}: {error.strerror}.") from None
    return path


def table_names() -> Iterable[str]:
    return EXPORTERS.keys()
