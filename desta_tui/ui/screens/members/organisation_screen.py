"""OrganisationScreen: one organisation in tabs: details, contacts, memberships, compliance,
contracts (read only) and history."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static, TabbedContent, TabPane

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import DestaError
from desta_tui.services import members
from desta_tui.services.members import OrganisationDetail
from desta_tui.ui.screens.common.section_screen import SectionScreen
from desta_tui.ui.screens.members.compliance_style import compliance_style
from desta_tui.ui.widgets.confirm_modal import ConfirmModal, action_label
from desta_tui.ui.widgets.history_view import HistoryView, local_time_text
from desta_tui.ui.widgets.record_table import Column, RecordTable, Row

__all__ = ["TABS", "OrganisationScreen"]

# tab id, title, key: the keys switch tabs (letters, so the digits still switch sections)
TABS = (
    ("details", "Details", "d"),
    ("contacts", "Contacts", "c"),
    ("memberships", "Memberships", "m"),
    ("compliance", "Compliance", "p"),
    ("contracts", "Contracts", "k"),
    ("history", "History", "y"),
)
EDITABLE_TABS = ("contacts", "memberships", "compliance")
#: narrower than this, the tabs drop their "(key)": all six then fit 80 columns side by side
#: instead of scrolling the first ones out of view (the keys stay in the help, ?)
KEYS_IN_TABS_FROM = 100


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


class OrganisationScreen(SectionScreen):
    """Everything about one organisation. On the contacts, memberships and compliance tabs
    `n` adds, `e` or `enter` edits and `a` archives the highlighted one; elsewhere `e` edits
    the organisation itself."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="organisation.back"),
        Binding("e", "edit", "Edit", id="organisation.edit"),
        Binding("n", "new_item", "Add", id="organisation.new"),
        Binding("a", "archive", "Archive", id="organisation.archive"),
        Binding("u", "undo_archive", "Undo", id="organisation.undo"),
        Binding("P", "print_record", "Print", id="organisation.print"),  # p: compliance tab
        *[
            Binding(key, f"show_tab('{tab}')", title, id=f"organisation.tab_{tab}", show=False)
            for tab, title, key in TABS
        ],
    ]

    DEFAULT_CSS = """
    OrganisationScreen {
        & #organisation-title { height: 1; text-style: bold; }
        & #organisation-summary { height: auto; color: $text-muted; }
        & TabbedContent { height: 1fr; }
        & TabPane { padding: 0; height: 1fr; }
        & #organisation-details { height: auto; padding: 1 1; }
        & .organisation-hint { height: 1; color: $text-muted; }
    }
    """

    mode = "members"

    CONTACT_COLUMNS = (
        Column("name", "Name", None, min_width=14),
        Column("role", "Role", 20, priority=2),
        Column("email", "Email", None, min_width=12),
        Column("phone", "Phone", 14, priority=1),
        Column("main", "Main", 4),
    )
    MEMBERSHIP_COLUMNS = (
        Column("consortium", "Consortium", None, min_width=16),
        Column("status", "Status", 10),
        Column("joined", "Joined", 10),
        Column("left", "Left", 10),
        Column("board", "Board", 5),
        Column("smg", "SMG", 4),
        Column("vote", "Vote", 4),
    )
    COMPLIANCE_COLUMNS = (
        Column("kind", "Paper", 20),
        Column("reference", "Reference", 14),
        Column("checked", "Checked", 10),
        Column("expires", "Expires", 10),
        Column("state", "State", None, min_width=12),
    )
    CONTRACT_COLUMNS = (
        Column("title", "Contract", None, min_width=16),
        Column("consortium", "Consortium", 12, priority=3),
        Column("stage", "Stage", 14),
        Column("role", "Role", 16, priority=2),
        Column("value", "Allocated", 10, "right", priority=1),
        Column("ends", "Ends", 10),
    )

    def __init__(self, uuid: str, *, tab: str = "details", highlight: str | None = None) -> None:
        super().__init__()
        self.uuid = uuid
        self.initial_tab = tab if tab in {t for t, _, _ in TABS} else "details"
        self.highlight = highlight
        self.detail: OrganisationDetail | None = None
        self._counts: dict[str, int] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="organisation-title", markup=False)
        yield Static("", id="organisation-summary", markup=False)
        with TabbedContent(initial=self.initial_tab, id="organisation-tabs"):
            for tab, _title, _key in TABS:
                with TabPane(self._tab_label(tab), id=tab):
                    yield from self._compose_tab(tab)

    def _compose_tab(self, tab: str) -> ComposeResult:
        if tab == "details":
            yield Static("", id="organisation-details", markup=False)
            yield Static("e edits the organisation", classes="organisation-hint")
        elif tab == "history":
            yield HistoryView(id="organisation-history")
        else:
            columns = {
                "contacts": self.CONTACT_COLUMNS,
                "memberships": self.MEMBERSHIP_COLUMNS,
                "compliance": self.COMPLIANCE_COLUMNS,
                "contracts": self.CONTRACT_COLUMNS,
            }[tab]
            yield RecordTable(columns, id=f"{tab}-table")
            hint = (
                "Read only here: the Contracts section changes partners"
                if tab == "contracts"
                else "n adds · e or enter edits · a archives · u undoes the last archive"
            )
            yield Static(hint, classes="organisation-hint")

    def on_mount(self) -> None:
        self.refresh_data()
        self._focus_tab(self.initial_tab)
        if self.highlight and self.initial_tab in EDITABLE_TABS:
            self.query_one(f"#{self.initial_tab}-table", RecordTable).move_to_key(self.highlight)

    # --- data -------------------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active or "details"

    def refresh_data(self) -> None:
        try:
            self.detail = members.get_organisation(self.uuid)
        except DestaError as error:
            self.notify(error.message, severity="error")
            self.app.pop_screen()
            return
        d = self.detail
        title = f"{d.name} (archived)" if d.is_archived else d.name
        self.query_one("#organisation-title", Static).update(title)
        summary = members.organisation_compliance(self.uuid)
        boroughs = ", ".join(d.boroughs) or "no boroughs"
        self.query_one("#organisation-summary", Static).update(
            f"{d.kind_label} · {boroughs} · compliance: {summary.state} ({summary.detail})"
        )
        self._fill_details(d)
        self._fill_contacts()
        self._fill_memberships()
        self._fill_compliance()
        self._fill_contracts()
        self.query_one("#organisation-history", HistoryView).set_entries(
            members.organisation_history(self.uuid)
        )

    def _fill_details(self, d: OrganisationDetail) -> None:
        lines = [
            ("Name", d.name),
            ("Kind", d.kind_label),
            ("Based in", d.borough),
            ("Works in", ", ".join(d.boroughs)),
            ("Charity number", d.charity_number),
            ("Company number", d.company_number),
            ("Address", d.address),
            ("Postcode", d.postcode),
            ("Email", d.email),
            ("Phone", d.phone),
            ("Website", d.website),
            ("Member organisation", "yes" if d.is_member else "no"),
            ("Commissioner", "yes" if d.is_commissioner else "no"),
            ("Added", local_time_text(d.created_at)),
            ("Last changed", local_time_text(d.updated_at)),
            ("Notes", d.notes),
        ]
        text = "\n".join(f"{label + ':':<21}{value or '—'}" for label, value in lines)
        self.query_one("#organisation-details", Static).update(text)

    def _fill_contacts(self) -> None:
        rows = [
            Row(
                c.uuid,
                (
                    c.full_name + (" (erased)" if c.is_erased else ""),
                    c.role,
                    c.email,
                    c.phone,
                    _yes(c.is_primary),
                ),
            )
            for c in members.list_contacts(self.uuid)
        ]
        table = self.query_one("#contacts-table", RecordTable)
        table.empty_message = "No contacts yet: n adds one"
        table.set_rows(rows)
        self._set_tab_title("contacts", len(rows))

    def _fill_memberships(self) -> None:
        rows = [
            Row(
                m.uuid,
                (
                    m.consortium_name,
                    m.status_label,
                    format_uk_date(m.joined_on),
                    format_uk_date(m.left_on),
                    _yes(m.has_board_seat),
                    _yes(m.is_smg_member),
                    _yes(m.has_vote),
                ),
            )
            for m in members.list_memberships(self.uuid)
        ]
        table = self.query_one("#memberships-table", RecordTable)
        table.empty_message = "Not a member of any consortium: n adds a membership"
        table.set_rows(rows)
        self._set_tab_title("memberships", len(rows))

    def _fill_compliance(self) -> None:
        rows = [
            Row(
                i.uuid,
                (
                    i.kind_label,
                    i.reference,
                    format_uk_date(i.checked_on),
                    format_uk_date(i.expires_on),
                    i.state_text,
                ),
                compliance_style(i.state),
            )
            for i in members.list_compliance(self.uuid)
        ]
        table = self.query_one("#compliance-table", RecordTable)
        table.empty_message = "No compliance papers on file: n adds one"
        table.set_rows(rows)
        self._set_tab_title("compliance", len(rows))

    def _fill_contracts(self) -> None:
        rows = [
            Row(
                p.contract_uuid,
                (
                    p.contract_title,
                    p.consortium_short_name,
                    p.stage_label,
                    p.role_label,
                    p.allocated_value,
                    format_uk_date(p.ends_on),
                ),
            )
            for p in members.list_partnerships(self.uuid)
        ]
        table = self.query_one("#contracts-table", RecordTable)
        table.empty_message = "Not a partner in any contract"
        table.set_rows(rows)
        self._set_tab_title("contracts", len(rows))

    def _set_tab_title(self, tab: str, count: int) -> None:
        self._counts[tab] = count
        self.query_one(TabbedContent).get_tab(tab).label = self._tab_label(tab)

    def _tab_label(self, tab: str) -> str:
        """ "Contacts 2 (c)"; "Contacts 2" on a narrow terminal."""
        title, key = next((t, k) for i, t, k in TABS if i == tab)
        count = self._counts.get(tab)
        label = title if count is None else f"{title} {count}"
        return label if self.app.size.width < KEYS_IN_TABS_FROM else f"{label} ({key})"

    def on_resize(self) -> None:
        tabs = self.query_one(TabbedContent)
        for tab, _title, _key in TABS:
            tabs.get_tab(tab).label = self._tab_label(tab)

    # --- tabs -------------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._focus_tab(tab)

    def _focus_tab(self, tab: str) -> None:
        if tab == "details":
            self.query_one(TabbedContent).query_one("Tabs").focus()
        elif tab == "history":
            self.query_one("#organisation-history", HistoryView).table.focus()
        else:
            self.query_one(f"#{tab}-table", RecordTable).focus()

    @on(TabbedContent.TabActivated, "#organisation-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    # --- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_item":
            return self.active_tab in EDITABLE_TABS
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_print_record(self) -> None:
        """The whole record with its history, as a PDF in the documents folder (#8)."""
        from desta_tui.ui.print_record import print_record

        print_record(self.app, "member", self.uuid)

    def _current_key(self, tab: str) -> str | None:
        return self.query_one(f"#{tab}-table", RecordTable).current_key

    @on(RecordTable.Selected)
    def _selected(self, event: RecordTable.Selected) -> None:
        if event.record_table.id in {f"{t}-table" for t in EDITABLE_TABS}:
            event.stop()
            self.action_edit()

    def action_edit(self) -> None:
        tab = self.active_tab
        name = self.detail.name if self.detail else ""
        try:
            if tab == "contacts" and (key := self._current_key(tab)):
                from desta_tui.ui.screens.members.contact_form import ContactForm

                form = ContactForm(self.uuid, name, members.get_contact(key))
            elif tab == "memberships" and (key := self._current_key(tab)):
                from desta_tui.ui.screens.members.membership_form import MembershipForm

                form = MembershipForm(self.uuid, name, members.get_membership(key))
            elif tab == "compliance" and (key := self._current_key(tab)):
                from desta_tui.ui.screens.members.compliance_form import ComplianceForm

                form = ComplianceForm(self.uuid, name, members.get_compliance_item(key))
            elif tab in EDITABLE_TABS:
                self.action_new_item()
                return
            else:
                from desta_tui.ui.screens.members.organisation_form import OrganisationForm

                form = OrganisationForm(members.get_organisation(self.uuid))
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        self.app.push_screen(form, self._saved)

    def action_new_item(self) -> None:
        tab = self.active_tab
        name = self.detail.name if self.detail else ""
        if tab == "contacts":
            from desta_tui.ui.screens.members.contact_form import ContactForm

            form = ContactForm(self.uuid, name)
        elif tab == "memberships":
            from desta_tui.ui.screens.members.membership_form import MembershipForm

            form = MembershipForm(
                self.uuid, name, consortium_uuid=getattr(self.app, "consortium_uuid", None)
            )
        elif tab == "compliance":
            from desta_tui.ui.screens.members.compliance_form import ComplianceForm

            form = ComplianceForm(self.uuid, name)
        else:
            return
        self.app.push_screen(form, self._saved)

    def _saved(self, result: object | None) -> None:
        if result is None:
            return
        self.refresh_data()
        uuid = getattr(result, "uuid", None)
        tab = self.active_tab
        if uuid and tab in EDITABLE_TABS:
            self.query_one(f"#{tab}-table", RecordTable).move_to_key(uuid)
        self.notify("Saved.")

    def action_archive(self) -> None:
        tab = self.active_tab
        if tab in EDITABLE_TABS:
            key = self._current_key(tab)
            if key is None:
                self.notify("Nothing to archive here.", severity="warning")
                return
            archive = {
                "contacts": members.archive_contact,
                "memberships": members.archive_membership,
                "compliance": members.archive_compliance_item,
            }[tab]
            table = self.query_one(f"#{tab}-table", RecordTable)
            what = table.current_row.cells[0] if table.current_row else "this"
        elif self.detail is not None and not self.detail.is_archived:
            key, archive, what = self.uuid, members.archive_organisation, self.detail.name
        else:
            self.notify("This organisation is already archived.", severity="warning")
            return

        def decided(yes: bool | None) -> None:
            if not yes:
                return
            try:
                archive(key)
            except DestaError as error:
                self.notify(error.message, severity="error")
                return
            self.refresh_data()
            self.notify(f"Archived {what}. Press u to undo.")

        self.app.push_screen(
            ConfirmModal(
                f"Archive {what}? Its history is kept; u brings it back.",
                action_label("Archive", what),
                "Keep",
            ),
            decided,
        )

    def action_undo_archive(self) -> None:
        try:
            ref = members.undo_last_archive_in_members()
        except DestaError as error:
            self.notify(error.message, severity="error")
            return
        if ref is None:
            self.notify("Nothing to undo: you have not archived anything here.")
            return
        self.refresh_data()
        self.notify(f"Restored the {ref.kind} {ref.label}.")
