"""Command palette providers: jump to any section, contract, organisation or contact; import,
history, back up; choose the consortium."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from desta_tui.ui.sections import SECTIONS


class SectionsProvider(Provider):
    """ "Go to Members" and friends."""

    async def discover(self) -> Hits:
        for section in SECTIONS:
            yield DiscoveryHit(
                f"Go to {section.title}",
                partial(self.app.switch_mode, section.mode),
                help=f"Section {section.key}",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for section in SECTIONS:
            text = f"Go to {section.title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self.app.switch_mode, section.mode),
                    help=f"Section {section.key}",
                )


class ContractsProvider(Provider):
    """ "Open contract: Expert Patient Service": jump to any live contract by its title."""

    def _open(self, contract_uuid: str) -> None:
        from desta_tui.ui.screens.contract_screen import ContractScreen

        # the contract opens on top of the Contracts section, so escape lands on the list
        self.app.switch_mode("contracts")
        self.app.push_screen(ContractScreen(contract_uuid))

    async def _choices(self) -> list[tuple[str, str]]:
        from desta_tui.services.contracts import contract_choices

        try:
            return [(choice.label, choice.uuid) for choice in contract_choices()]
        except Exception:  # no database open yet (start screen): offer nothing, never crash
            return []

    async def discover(self) -> Hits:
        for title, uuid in await self._choices():
            yield DiscoveryHit(f"Open contract: {title}", partial(self._open, uuid))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, uuid in await self._choices():
            text = f"Open contract: {title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._open, uuid))


class DataSafetyProvider(Provider):
    """ "Import records", "Hub history" and "Back up now", from anywhere."""

    def _commands(self) -> list[tuple[str, object, str]]:
        return [
            ("Import records from CSV or Excel", self._import, "Preview first (Settings: i)"),
            ("Hub history (audit log)", self._history, "Every change, by person, type, date"),
            ("Back up now", self._back_up, "A checked copy in the backups folder (Settings: b)"),
        ]

    def _import(self) -> None:
        from desta_tui.ui.screens.import_screen import ImportScreen

        self.app.push_screen(ImportScreen())

    def _history(self) -> None:
        from desta_tui.ui.screens.audit_screen import AuditScreen

        self.app.push_screen(AuditScreen())

    def _back_up(self) -> None:
        from desta_tui.ui.data_safety import back_up_now

        back_up_now(self.app)

    async def discover(self) -> Hits:
        if getattr(self.app, "database", None) is None:
            return
        for text, command, help_text in self._commands():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        if getattr(self.app, "database", None) is None:
            return
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)


class OrganisationsProvider(Provider):
    """ "Rain Trust": open any organisation by (fuzzy) name, from anywhere."""

    def _open(self, uuid: str) -> None:
        from desta_tui.ui.screens.organisation_screen import open_organisation

        open_organisation(self.app, uuid)

    async def search(self, query: str) -> Hits:
        if getattr(self.app, "database", None) is None or not query.strip():
            return
        from desta_tui.services.members import find_organisations

        # the database picks names holding the letters in order; the matcher ranks them
        matcher = self.matcher(query)
        for found in find_organisations(query):
            score = matcher.match(found.name)
            yield Hit(
                score or 0.1,
                matcher.highlight(found.name) if score else found.name,
                partial(self._open, found.uuid),
                help="Organisation",
            )


class ContactsProvider(Provider):
    """A person's name opens their organisation on its contacts tab, the person highlighted."""

    def _open(self, organisation_uuid: str, contact_uuid: str) -> None:
        from desta_tui.ui.screens.organisation_screen import open_organisation

        open_organisation(self.app, organisation_uuid, tab="contacts", highlight=contact_uuid)

    async def search(self, query: str) -> Hits:
        if getattr(self.app, "database", None) is None or not query.strip():
            return
        from desta_tui.services.members import find_contacts

        matcher = self.matcher(query)
        for found in find_contacts(query):
            score = matcher.match(found.name)
            yield Hit(
                score or 0.1,
                matcher.highlight(found.name) if score else found.name,
                partial(self._open, found.organisation_uuid, found.uuid),
                help=found.detail[:1].upper() + found.detail[1:],
            )


class MembersProvider(Provider):
    """ "Show consortium: Valens" (or all of them), and "Compliance: papers expiring"."""

    def _commands(self) -> list[tuple[str, object, str]]:
        from desta_tui.services.members import consortia

        commands: list[tuple[str, object, str]] = [
            ("Compliance: papers expired or expiring", self._expiring, "Members: x"),
            ("Show consortium: all consortia", partial(self._show, None), "Members: c"),
        ]
        for consortium in consortia():
            commands.append(
                (
                    f"Show consortium: {consortium.name}",
                    partial(self._show, consortium.uuid),
                    "Members: c",
                )
            )
        return commands

    def _show(self, uuid: str | None) -> None:
        self.app.consortium_uuid = uuid

    def _expiring(self) -> None:
        from desta_tui.ui.screens.compliance_screen import open_compliance

        open_compliance(self.app)

    async def discover(self) -> Hits:
        if getattr(self.app, "database", None) is None:
            return
        for text, command, help_text in self._commands():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        if getattr(self.app, "database", None) is None:
            return
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)


class TicketsProvider(Provider):
    """ "T-0001 Enrolments far below target (Westway Wellbeing Project)": opens the ticket."""

    def _tickets(self) -> list:
        if getattr(self.app, "database", None) is None:
            return []  # the database is still opening
        from desta_tui.services.tickets import TicketFilter, list_tickets

        return list_tickets(TicketFilter(status="all"))

    def _open(self, ticket_uuid: str) -> None:
        from desta_tui.ui.screens.tickets_screen import open_ticket

        self.app.run_worker(open_ticket(self.app, ticket_uuid), exclusive=True)

    @staticmethod
    def _text(row) -> str:
        return f"{row.reference} {row.subject} ({row.provider_name})"

    async def discover(self) -> Hits:
        for row in self._tickets():
            if not row.is_finished:
                help_text = f"Ticket: {row.stage_label}, {row.status_label}"
                yield DiscoveryHit(self._text(row), partial(self._open, row.uuid), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for row in self._tickets():
            text = self._text(row)
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._open, row.uuid),
                          help=f"Ticket: {row.stage_label}, {row.status_label}")  # fmt: skip
