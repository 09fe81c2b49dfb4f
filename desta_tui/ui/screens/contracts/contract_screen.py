"""ContractScreen: one contract, with tabs for details, partners, stage history, commissioner
contacts and the change history."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from desta_tui.domain.choices import PERIOD_KINDS
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.domain.money import format_money
from desta_tui.services import contracts
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.screens.contracts.labels import borough_short, days_text
from desta_tui.ui.widgets.confirm_modal import ConfirmModal
from desta_tui.ui.widgets.history_view import HistoryView
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["ContractScreen"]

# The partners table is narrow: its Role column says only the first word of the role.
ROLE_SHORT = {"lead": "Lead", "delivery": "Delivery", "support": "Support"}
TABS = ("tab-details", "tab-partners", "tab-stages", "tab-contacts", "tab-history")


def _partner_style(partner: contracts.PartnerRow) -> str | None:
    """Papers missing or expired: error (warning once overridden); running out soon: warning."""
    if partner.compliance_gaps:
        return "warning" if partner.compliance_override_reason else "error"
    return "warning" if partner.papers_due else None


class ContractScreen(SectionScreen):
    """A contract opened from the list: `left`/`right` change tab; `n`, `e`, `a` and `u` act on
    the tab shown (partners, contacts), `g` moves the stage, `c` logs a commissioner contact."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to list", id="contract.back"),
        Binding("left", "previous_tab", "Previous tab", id="contract.previous_tab", show=False),
        Binding("right", "next_tab", "Next tab", id="contract.next_tab", show=False),
        Binding("e", "edit", "Edit", id="contract.edit"),
        Binding("n", "new", "Add", id="contract.new"),
        Binding("g", "move_stage", "Move stage", id="contract.move_stage"),
        Binding("c", "log_contact", "Log contact", id="contract.log_contact"),
        Binding("a", "archive", "Archive", id="contract.archive"),
        Binding("u", "undo_archive", "Undo archive", id="contract.undo"),
    ]

    DEFAULT_CSS = """
    ContractScreen {
        & #contract-heading { height: auto; text-style: bold; padding: 0 0 0 1; }
        & #contract-tabs { height: 1fr; }
        & TabPane { padding: 0; height: 1fr; }
        & #contract-details { padding: 0 1; height: auto; }
        & .contract-summary { height: auto; padding: 0 1; }
        & RecordTable { height: 1fr; }
    }
    """

    mode = "contracts"

    PARTNER_COLUMNS = (
        Column("organisation", "Organisation", None, min_width=20),
        Column("role", "Role", 9, priority=3),
        Column("allocated", "Allocated", 9, "right", priority=2),
        Column("boroughs", "Boroughs", 21, priority=4),
        Column("papers", "Papers", 38),
    )
    #: shown only while some partner has dates of its own (the others follow the contract's)
    PARTNER_TERM_COLUMN = Column("term", "Dates", 15, priority=5)
    STAGE_COLUMNS = (
        Column("on", "Date", 10),
        Column("from", "From", 26),
        Column("to", "To", 26),
        Column("by", "By", 16),
        Column("reason", "Reason", None, min_width=10),
    )
    CONTACT_COLUMNS = (
        Column("on", "Date", 10),
        Column("kind", "Kind", 10),
        Column("with", "With", 22),
        Column("notes", "Notes", None, min_width=12),
        Column("by", "Logged by", 16),
    )

    def __init__(self, contract_uuid: str) -> None:
        super().__init__()
        self.contract_uuid = contract_uuid
        self.detail: contracts.ContractDetail | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="contract-heading", markup=False)
        with TabbedContent(id="contract-tabs"):
            with TabPane("Details", id="tab-details"), VerticalScroll(id="details-scroll"):
                yield Static("", id="contract-details", markup=False)
            with TabPane("Partners", id="tab-partners"):
                yield Static("", id="partners-summary", classes="contract-summary", markup=False)
                yield RecordTable(
                    self.PARTNER_COLUMNS,
                    empty_message="No partners yet: n adds one",
                    id="partners-table",
                )
            with TabPane("Stage history", id="tab-stages"):
                yield RecordTable(self.STAGE_COLUMNS, id="stages-table")
            with TabPane("Commissioner contacts", id="tab-contacts"):
                yield Static("", id="contacts-summary", classes="contract-summary", markup=False)
                yield RecordTable(
                    self.CONTACT_COLUMNS,
                    empty_message="No contacts logged: n or c logs one",
                    id="contacts-table",
                )
            with TabPane("History", id="tab-history"):
                yield HistoryView(id="contract-history")

    def on_mount(self) -> None:
        self.refresh_data()
        self.call_after_refresh(self._focus_tab_content)

    # --- data -------------------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def refresh_data(self) -> None:
        try:
            detail = contracts.get_contract(self.contract_uuid)
        except DestaError as error:
            self.query_one("#contract-heading", Static).update(error.message)
            self.detail = None
            return
        self.detail = detail
        archived = "  (archived)" if detail.is_archived else ""
        self.query_one("#contract-heading", Static).update(
            f"{detail.title}{archived}: {detail.stage_label}, "
            f"{format_money(detail.total_value_pence)} "
            f"({format_money(detail.annual_value_pence)} a year)"
        )
        self.query_one("#contract-details", Static).update(self._details_text(detail))
        self._refresh_partners(detail)
        self._refresh_stages()
        self._refresh_contacts(detail)
        self.query_one(HistoryView).set_entries(contracts.contract_history(self.contract_uuid))

    @staticmethod
    def _details_text(d: contracts.ContractDetail) -> str:
        def line(label: str, value: str) -> str:
            return f"{label + ':':<28}{value or '—'}"

        support = (
            d.support_provider.name
            if d.support_provider
            else "none named (add a partner as support provider)"
        )
        deadline = d.next_deadline
        next_date = (
            f"{deadline.what} {format_uk_date(deadline.due_on)} "
            f"(in {days_text(deadline.days_left)})"
            if deadline
            else ""
        )
        lines = [
            line("Title", d.title),
            line("Reference", d.reference),
            line("Commissioner", d.commissioner_name),
            line("Consortium", d.consortium_name),
            line("Stage", d.stage_label),
            line("Total value", format_money(d.total_value_pence)),
            line("Annual value", format_money(d.annual_value_pence)),
            line("Starts on", format_uk_date(d.starts_on)),
            line("Ends on", format_uk_date(d.ends_on)),
            line("Periods", PERIOD_KINDS.label(d.period_kind)),
            line("Tender deadline", format_uk_date(d.tender_deadline_on)),
            line("Decision date", format_uk_date(d.decision_on)),
            line("Next key date", next_date),
            line("Boroughs", ", ".join(d.boroughs)),
            line("Split between partners", d.allocation.text),
            line("Support provider", support),
            line("Commissioner contact", d.contact.text),
            line("Contact expected every", f"{d.contact_interval_days} days"),
            "",
            "Notes:",
            d.notes or "—",
        ]
        return "\n".join(lines)

    def _refresh_partners(self, detail: contracts.ContractDetail) -> None:
        partners = contracts.list_partners(self.contract_uuid)
        with_term = any(p.term_text for p in partners)
        table = self.query_one("#partners-table", RecordTable)
        table.set_columns(self.PARTNER_COLUMNS + ((self.PARTNER_TERM_COLUMN,) if with_term else ()))
        table.set_rows(
            [
                Row(
                    p.uuid,
                    (
                        p.organisation_name,
                        ROLE_SHORT.get(p.role, p.role_label),
                        format_money(p.allocated_value_pence),
                        ", ".join(borough_short(name) for name in p.boroughs),
                        p.papers_text,
                    )
                    + ((p.term_text or "contract's",) if with_term else ()),
                    _partner_style(p),
                )
                for p in partners
            ]
        )
        support = detail.support_provider.name if detail.support_provider else "none named"
        self.query_one("#partners-summary", Static).update(
            f"{len(partners)} partner{'s' if len(partners) != 1 else ''}. {detail.allocation.text}."
            f" Support provider: {support}."
        )
        self.query_one(TabbedContent).get_tab("tab-partners").label = f"Partners ({len(partners)})"

    def _refresh_stages(self) -> None:
        self.query_one("#stages-table", RecordTable).set_rows(
            [
                Row(
                    change.uuid,
                    (
                        format_uk_date(change.changed_on),
                        change.from_label or "(start)",
                        change.to_label + ("  (back)" if change.is_backwards else ""),
                        change.changed_by,
                        change.reason,
                    ),
                    "warning" if change.is_backwards else None,
                )
                for change in reversed(contracts.stage_history(self.contract_uuid))
            ]
        )

    def _refresh_contacts(self, detail: contracts.ContractDetail) -> None:
        self.query_one("#contacts-table", RecordTable).set_rows(
            [
                Row(
                    entry.uuid,
                    (
                        format_uk_date(entry.contacted_on),
                        entry.kind_label,
                        entry.with_whom,
                        entry.notes,
                        entry.logged_by,
                    ),
                )
                for entry in contracts.list_commissioner_contacts(self.contract_uuid)
            ]
        )
        who = detail.commissioner_name or "the commissioner"
        self.query_one("#contacts-summary", Static).update(
            f"Contact with {who}: {detail.contact.text}."
        )

    # --- tabs -------------------------------------------------------------------------------

    def _focus_tab_content(self) -> None:
        tab = self.active_tab
        if tab == "tab-details":
            self.query_one("#details-scroll").focus()
        elif tab == "tab-partners":
            self.query_one("#partners-table").focus()
        elif tab == "tab-stages":
            self.query_one("#stages-table").focus()
        elif tab == "tab-contacts":
            self.query_one("#contacts-table").focus()
        else:
            self.query_one(HistoryView).table.focus()

    def _show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._focus_tab_content()
        self.refresh_bindings()

    def action_next_tab(self) -> None:
        self._show_tab(TABS[(TABS.index(self.active_tab) + 1) % len(TABS)])

    def action_previous_tab(self) -> None:
        self._show_tab(TABS[(TABS.index(self.active_tab) - 1) % len(TABS)])

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        tab = self.active_tab
        if action in ("archive", "undo_archive"):
            return True if tab in ("tab-partners", "tab-contacts") else None
        if action == "new":
            return True if tab in ("tab-partners", "tab-contacts") else None
        return True

    # --- actions ----------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def _current(self, table_id: str) -> str | None:
        return self.query_one(table_id, RecordTable).current_key

    def action_edit(self) -> None:
        if self.detail is None:
            return
        tab = self.active_tab
        if tab == "tab-partners":
            self._edit_partner(self._current("#partners-table"))
        elif tab == "tab-contacts":
            self._edit_contact(self._current("#contacts-table"))
        else:
            from desta_tui.ui.screens.contracts.contract_form import ContractForm

            self.app.push_screen(ContractForm(self.detail), self._saved)

    def action_new(self) -> None:
        if self.active_tab == "tab-partners":
            self._add_partner()
        elif self.active_tab == "tab-contacts":
            self.action_log_contact()

    def action_move_stage(self) -> None:
        if self.detail is None:
            return
        from desta_tui.ui.screens.contracts.stage_form import StageForm

        self.app.push_screen(StageForm(self.detail), self._saved)

    def action_log_contact(self) -> None:
        if self.detail is None:
            return
        from desta_tui.ui.screens.contracts.commissioner_contact_form import CommissionerContactForm

        self.app.push_screen(CommissionerContactForm(self.detail), self._saved)

    def _add_partner(self) -> None:
        if self.detail is None:
            return
        from desta_tui.ui.screens.contracts.partner_form import PartnerForm

        self.app.push_screen(PartnerForm(self.detail), self._saved)

    def _edit_partner(self, partner_uuid: str | None) -> None:
        if self.detail is None or partner_uuid is None:
            self.notify("No partner chosen: n adds one.", severity="warning")
            return
        from desta_tui.ui.screens.contracts.partner_form import PartnerForm

        try:
            partner = contracts.get_partner(partner_uuid)
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        self.app.push_screen(PartnerForm(self.detail, partner), self._saved)

    def _edit_contact(self, contact_uuid: str | None) -> None:
        if self.detail is None or contact_uuid is None:
            self.notify("No contact chosen: n logs one.", severity="warning")
            return
        from desta_tui.ui.screens.contracts.commissioner_contact_form import CommissionerContactForm

        try:
            entry = contracts.get_commissioner_contact(contact_uuid)
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        self.app.push_screen(CommissionerContactForm(self.detail, entry), self._saved)

    def _saved(self, result: object) -> None:
        if result is None:
            return
        self.notify("Saved.")
        self.refresh_data()
        key = getattr(result, "uuid", None)
        if key and self.active_tab == "tab-partners":
            self.query_one("#partners-table", RecordTable).move_to_key(key)
        elif key and self.active_tab == "tab-contacts":
            self.query_one("#contacts-table", RecordTable).move_to_key(key)

    @on(RecordTable.Selected, "#partners-table")
    def _partner_selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self._edit_partner(event.key)

    @on(RecordTable.Selected, "#contacts-table")
    def _contact_selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self._edit_contact(event.key)

    def action_archive(self) -> None:
        tab = self.active_tab
        if tab == "tab-partners":
            table = self.query_one("#partners-table", RecordTable)
            archive, what = contracts.archive_partner, "partner"
        elif tab == "tab-contacts":
            table = self.query_one("#contacts-table", RecordTable)
            archive, what = contracts.archive_commissioner_contact, "contact entry"
        else:
            return
        row = table.current_row
        if row is None:
            self.notify(f"No {what} to archive here.", severity="warning")
            return
        name = (
            row.cells[0] if what == "partner" else f"the {row.cells[1].lower()} on {row.cells[0]}"
        )

        def decided(yes: bool | None) -> None:
            if not yes:
                return
            try:
                archive(row.key)
            except DestaError as error:
                self.notify(error.message, severity="error")
                return
            self.notify(f"Archived {name}. Press u to bring it back.")
            self.refresh_data()

        extra = " Its allocation goes back to the remainder." if what == "partner" else ""
        self.app.push_screen(
            ConfirmModal(f"Archive {name}?{extra} u undoes it.", "Archive", "Keep"), decided
        )

    def action_undo_archive(self) -> None:
        tab = self.active_tab
        try:
            if tab == "tab-partners":
                ref = contracts.undo_last_partner_archive(self.contract_uuid)
            elif tab == "tab-contacts":
                ref = contracts.undo_last_contact_archive(self.contract_uuid)
            else:
                return
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        if ref is None:
            self.notify("Nothing archived here to bring back.")
            return
        self.notify(f"Restored {ref.label}.")
        self.refresh_data()
