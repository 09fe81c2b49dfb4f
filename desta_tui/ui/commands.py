"""Command palette providers: jump to any section, contract, organisation, contact or ticket;
import, history, back up; choose the consortium; build, open and print the meeting pack. Every
jump posts a navigation message (desta_tui/ui/messages.py) for the router, as the screens do."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from desta_tui.ui.messages import Navigate, OpenRecord, OpenSection, OpenView
from desta_tui.ui.sections import SECTIONS


class CommandListProvider(Provider):
    """A provider whose hits are a short list of (text, command, help) known in advance."""

    #: False for the commands that need an open database (the start screen has none)
    works_without_database: ClassVar[bool] = False

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        raise NotImplementedError

    def _available(self) -> bool:
        return self.works_without_database or getattr(self.app, "database", None) is not None

    async def discover(self) -> Hits:
        if not self._available():
            return
        for text, command, help_text in self._commands():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        if not self._available():
            return
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)


class FoundRecordsProvider(Provider):
    """A provider that asks the database for the records holding the typed letters in order
    (a page of them, however many the hub has) and lets the palette's matcher rank them."""

    def _find(self, query: str) -> list[tuple[str, Callable[[], object], str]]:
        """(name, what opens it, help) for the records the database found."""
        raise NotImplementedError

    async def search(self, query: str) -> Hits:
        if getattr(self.app, "database", None) is None or not query.strip():
            return
        matcher = self.matcher(query)
        for name, command, help_text in self._find(query):
            score = matcher.match(name)
            yield Hit(
                score or 0.1,
                matcher.highlight(name) if score else name,
                command,
                help=help_text,
            )


def go(app: App, message_class: type[Navigate], *args: str, **kwargs: str | None) -> None:
    """Post a navigation message for the router, made when the command runs."""
    app.post_message(message_class(*args, **kwargs))


BASE_PROVIDERS = (CommandListProvider, FoundRecordsProvider)
"""Shapes the providers below share; the palette registers the providers, not these."""


class SectionsProvider(CommandListProvider):
    """ "Go to Members" and friends."""

    works_without_database = True

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        return [
            (f"Go to {section.title}", partial(go, self.app, OpenSection, section.mode),
             f"Section {section.key}")
            for section in SECTIONS
        ]  # fmt: skip


class ContractsProvider(CommandListProvider):
    """ "Open contract: Expert Patient Service": jump to any live contract by its title."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from desta_tui.services.lookups import contract_choices

        app = self.app
        return [
            (f"Open contract: {c.label}", partial(go, app, OpenRecord, "contract", c.uuid), "")
            for c in contract_choices()
        ]


class DataSafetyProvider(CommandListProvider):
    """ "Import records", "Hub history" and "Back up now", from anywhere."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        return [
            ("Import records from CSV or Excel", partial(go, self.app, OpenView, "import"),
             "Preview first (Settings: i)"),
            ("Hub history (audit log)", partial(go, self.app, OpenView, "audit"),
             "Every change, by person, type, date"),
            ("Back up now", self._back_up, "A checked copy in the backups folder (Settings: b)"),
        ]  # fmt: skip

    def _back_up(self) -> None:
        from desta_tui.ui.data_safety import back_up_now

        back_up_now(self.app)


class OrganisationsProvider(FoundRecordsProvider):
    """ "Rain Trust": open any organisation by (fuzzy) name, from anywhere."""

    def _find(self, query: str) -> list[tuple[str, Callable[[], object], str]]:
        from desta_tui.services.members import find_organisations

        return [
            (found.name, partial(go, self.app, OpenRecord, "organisation", found.uuid),
             "Organisation")
            for found in find_organisations(query)
        ]  # fmt: skip


class ContactsProvider(FoundRecordsProvider):
    """A person's name opens their organisation on its contacts tab, the person highlighted."""

    def _open(self, organisation_uuid: str, contact_uuid: str) -> None:
        go(self.app, OpenRecord, "organisation", organisation_uuid, tab="contacts",
           highlight=contact_uuid)  # fmt: skip

    def _find(self, query: str) -> list[tuple[str, Callable[[], object], str]]:
        from desta_tui.services.members import find_contacts

        return [
            (
                found.name,
                partial(self._open, found.organisation_uuid, found.uuid),
                found.detail[:1].upper() + found.detail[1:],
            )
            for found in find_contacts(query)
        ]


class MembersProvider(CommandListProvider):
    """ "Show consortium: Valens" (or all of them), and "Compliance: papers expiring"."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from desta_tui.services.lookups import consortia

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
        go(self.app, OpenView, "compliance")


class TicketsProvider(Provider):
    """ "T-0001 Enrolments far below target (Westway Wellbeing Project)": opens the ticket."""

    _rows: list | None = None

    async def startup(self) -> None:
        self._rows = self._load()

    def _load(self) -> list:
        if getattr(self.app, "database", None) is None:
            return []  # the database is still opening
        from desta_tui.services.tickets import TicketFilter, list_tickets

        return list_tickets(TicketFilter(status="all"))

    def _tickets(self) -> list:
        # read once while the palette is open, not again for every key typed into it
        if self._rows is None:
            self._rows = self._load()
        return self._rows

    def _open(self, ticket_uuid: str) -> None:
        go(self.app, OpenRecord, "ticket", ticket_uuid)

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


class MeetingPackProvider(CommandListProvider):
    """ "Build the SMG pack", "Build the board pack", and open or print the last one built."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from desta_tui.ui import print_record

        app = self.app
        return [
            ("Build the SMG pack", partial(app.action_build_meeting_pack, False),
             "The consortium shown, last month (ctrl+b)"),
            ("Build the board pack", partial(app.action_build_meeting_pack, True),
             "The consortium shown, last month"),
            ("Open the last pack built", partial(print_record.open_last_pack, app),
             "In the PDF viewer (Meetings: o)"),
            ("Print the last pack built", partial(print_record.print_last_pack, app),
             "To the default printer (Meetings: P)"),
        ]  # fmt: skip
