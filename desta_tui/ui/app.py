"""DestaApp: the eight sections as modes, the command palette, help, quit, and every
navigation message handed to the router."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen

from desta_tui.ui.messages import Navigate, OpenView
from desta_tui.ui.sections import SECTIONS

if TYPE_CHECKING:
    from desta_tui.services.session import DatabaseInfo


# The command palette's providers in desta_tui/ui/commands.py, loaded when the palette first
# opens: importing textual.command up front would cost the first frame ~20 ms.
PALETTE_PROVIDERS = (
    "SectionsProvider",
    "ContractsProvider",
    "DataSafetyProvider",
    "OrganisationsProvider",
    "ContactsProvider",
    "MembersProvider",
    "TicketsProvider",
    "MeetingPackProvider",
)


_start_up_frozen = False


def pause_collector() -> None:
    """While the app starts, the cycle collector waits: starting makes tens of thousands of
    objects that live as long as the app, and collecting meanwhile walks them again and again."""
    import gc

    gc.disable()


def freeze_start_up_objects() -> None:
    """Once the first screen with data is drawn, set the objects made so far (modules, classes,
    models, screens: most live as long as the app) aside from the cycle collector (CPython's
    gc.freeze), once a process, and let it run again. Every full collection walked them all,
    and so did the one at exit: over 100 ms of CPU. They are still freed when nothing refers to
    them; only a reference cycle among them that becomes garbage is never collected. From
    then on the collector looks less often (collector.collect_less_often)."""
    import gc

    global _start_up_frozen
    if not _start_up_frozen:
        _start_up_frozen = True
        gc.freeze()
        from desta_tui.collector import collect_less_often

        collect_less_often()
    gc.enable()


def palette_provider(name: str) -> Callable[[], type]:
    def load() -> type:
        from desta_tui.ui import commands

        return getattr(commands, name)

    load.__name__ = f"load_{name}"
    return load


class DestaApp(App):
    """Desta hub desk."""

    TITLE = "Desta hub desk"
    # absolute, so subclasses defined elsewhere (benchmarks, tests) find it too
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {palette_provider(name) for name in PALETTE_PROVIDERS}
    MODES: ClassVar = {section.mode: section.make_screen for section in SECTIONS}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("question_mark", "help", "Help", id="app.help"),
        # not a priority: on Reports, ctrl+b builds the pack chosen on that screen
        Binding("ctrl+b", "build_meeting_pack", "Build the meeting pack", id="app.build_pack"),
        *[
            Binding(
                section.key,
                f"switch_mode('{section.mode}')",
                section.title,
                id=f"app.section.{section.mode}",
                show=False,
            )
            for section in SECTIONS
        ],
    ]

    consortium_uuid: reactive[str | None] = reactive(None)
    """The consortium the sections show; None for all."""

    def __init__(
        self, database: DatabaseInfo | None = None, *, target: str | None = None, **kwargs
    ) -> None:
        """Give an open `database`, or a `target` to open after the first frame is drawn."""
        super().__init__(**kwargs)
        self.database = database
        self.target = target
        self.open_error: str | None = None
        self.figures_ahead: object | None = None
        """The dashboard's first figures, read while the dashboard is built (a FiguresAhead)."""
        self.last_pack_path: Path | None = None
        """The last meeting pack built (ctrl+b, the palette): `o` opens it, `P` prints it."""
        from desta_tui.ui.drafts import DraftKeeper

        self.drafts = DraftKeeper(self)
        self._marked_modes: set[str] = set()
        self._asking_to_quit = False

    def on_mount(self) -> None:
        pause_collector()  # until the dashboard (or why not) is drawn; on_unmount at the latest
        self.load_keymap()
        self._catch_hang_up()
        if self.database is not None:
            self.switch_mode("dashboard")
            self.call_after_refresh(self._database_opened)
            return
        from desta_tui.services.session import database_label
        from desta_tui.ui.screens.common.start_screen import StartScreen

        self.add_mode("starting", lambda: StartScreen(database_label(self.target or "")))
        self.switch_mode("starting")
        # the window appears first; the database driver loads and the file opens after
        self.call_after_refresh(self._open_in_background)

    def _open_in_background(self) -> None:
        self.run_worker(self._open_database, thread=True, exclusive=True, group="open")

    def _open_database(self) -> None:
        from desta_tui.domain.errors import DestaError
        from desta_tui.services.session import open_database

        try:
            info = open_database(self.target or "")
        except DestaError as error:
            self.call_from_thread(self._open_failed, error.message)
            return
        from desta_tui.services.session import release_thread_connection
        from desta_tui.ui.screens.dashboard.dashboard_screen import FiguresAhead

        # read the dashboard's figures here while the main thread builds the dashboard
        ahead = FiguresAhead(self.consortium_uuid)
        self.figures_ahead = ahead
        self.post_message(self.DatabaseOpened(info))  # thread-safe; does not wait
        try:
            ahead.read()
        finally:
            release_thread_connection()

    class DatabaseOpened(Message):
        """The worker opened the database (posted from its thread)."""

        def __init__(self, info: DatabaseInfo) -> None:
            super().__init__()
            self.info = info

    def on_desta_app_database_opened(self, message: DatabaseOpened) -> None:
        self._database_ready(message.info)

    def _database_ready(self, info: DatabaseInfo) -> None:
        self.database = info
        self.switch_mode("dashboard")
        # the warning, the backup plan and the drafts notice (~8 ms of the main thread, more
        # while the worker still reads) wait for the dashboard's first frame with its figures:
        # the screen's own queue runs this after it has mounted and painted
        self.screen.call_after_refresh(self._database_opened)

    def _database_opened(self) -> None:
        """Warn about a risky place for the file, take today's backup in a worker (#9), and
        say which drafts are kept from last time (#15)."""
        from desta_tui.ui.data_safety import on_database_open
        from desta_tui.ui.drafts import tell_drafts_left

        on_database_open(self)
        tell_drafts_left(self)
        self.call_after_refresh(freeze_start_up_objects)

    def _open_failed(self, message: str) -> None:
        freeze_start_up_objects()
        self.open_error = message
        self.screen.show_failure(message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # sections need the database: until it is open only help and quit work
        return not (action == "switch_mode" and self.database is None)

    def load_keymap(self) -> None:
        """The person's own keys from keymap.toml in the config folder (#4); a bad file or entry
        is a notification naming it, and the good entries still apply."""
        from desta_tui.paths import config_dir
        from desta_tui.ui.keymap import KEYMAP_FILENAME, KeymapError, read_keymap

        try:
            result = read_keymap(config_dir() / KEYMAP_FILENAME)
        except (KeymapError, OSError) as error:
            message = getattr(error, "message", None) or str(error)
            self.notify(message, title="Your keys were not loaded", severity="warning", timeout=15)
            return
        self.set_keymap(result.keymap)
        for problem in result.problems:
            self.notify(
                problem, title="A key in keymap.toml was skipped", severity="warning", timeout=15
            )

    def action_build_meeting_pack(self, board: bool = False) -> None:
        """The SMG pack (or the board pack) for the consortium shown and last month (#17)."""
        if self.database is None:
            return
        from desta_tui.ui.print_record import build_meeting_pack

        build_meeting_pack(self, board=board)

    def action_help(self) -> None:
        self.post_message(OpenView("help"))

    # --- nothing typed is lost (#15) ---------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit at once when everything is saved; otherwise ask Save / Discard / Cancel, with
        Cancel (stay) focused. ctrl+q, the palette's Quit and every other way out come here."""
        from desta_tui.ui.unsaved import unsaved_pieces

        if not unsaved_pieces(self):
            self.exit()
            return
        if self._asking_to_quit:
            return  # the question is on screen already
        self.run_worker(self._ask_before_quitting(), group="quit")

    async def _ask_before_quitting(self) -> None:
        from desta_tui.ui.unsaved import describe_pieces, unsaved_pieces
        from desta_tui.ui.widgets.confirm_modal import DISCARD, SAVE, UnsavedModal

        pieces = unsaved_pieces(self)
        self._asking_to_quit = True
        try:
            answer = await self.push_screen_wait(
                UnsavedModal(f"Quit Desta? Not saved yet: {describe_pieces(pieces)}.")
            )
        finally:
            self._asking_to_quit = False
        if answer == SAVE:
            for piece in pieces:
                if self.current_mode != piece.mode:
                    await self.switch_mode(piece.mode)
                if isinstance(piece.screen, ModalScreen) and piece.screen is not self.screen:
                    # a dialog waits on top of this form: it must be answered first
                    self.notify(
                        f"{piece.words} is not saved yet: answer the question on top of it, "
                        "then quit again.",
                        title="Still here",
                        severity="warning",
                    )
                    return
                if piece.screen.unsaved_work() and not await piece.screen.save_unsaved_work():
                    self.notify(
                        f"{piece.words} is not saved yet: put it right (or press escape to "
                        "leave it), then quit again.",
                        title="Still here",
                        severity="warning",
                    )
                    return
        elif answer == DISCARD:
            for piece in pieces:
                piece.screen.discard_unsaved_work()
        else:
            return  # Cancel or escape: stay, change nothing
        self.drafts.settle()
        self.exit()

    def _catch_hang_up(self) -> None:
        """Closing the terminal sends SIGHUP: no one is left to ask, so every piece of unsaved
        work is written as a draft before the app goes (offered back when next opened)."""
        import asyncio
        import contextlib
        import signal

        if not hasattr(signal, "SIGHUP"):
            return
        # not the main thread, or a loop without signals: nothing to catch
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._hung_up)

    def on_unmount(self) -> None:
        import asyncio
        import contextlib
        import gc
        import signal

        gc.enable()  # an app that never drew its dashboard (a test) must not leave it paused
        if self.target is not None and self.database is not None:
            from desta_tui.services.session import release_thread_connection

            # close the file it opened, here rather than at exit: the objects set aside from
            # the collector are never finalised, and a clean close folds the WAL into the file
            release_thread_connection()

        if hasattr(signal, "SIGHUP"):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)

    def _hung_up(self) -> None:
        from desta_tui.ui.unsaved import keep_all_as_drafts

        keep_all_as_drafts(self)
        self.drafts.settle(timeout=2.0)
        self.exit()

    def on_unsaved_changed(self) -> None:
        """A form or the grid changed: mark the sections that hold unsaved work with •."""
        self.mark_unsaved_sections()

    def mark_unsaved_sections(self) -> None:
        from desta_tui.ui.screens.common.section_screen import SectionBar
        from desta_tui.ui.unsaved import unsaved_modes

        modes = unsaved_modes(self)
        if modes == self._marked_modes:
            return
        self._marked_modes = modes
        for stack in getattr(self, "_screen_stacks", {}).values():
            for screen in stack:
                for bar in screen.query(SectionBar):
                    bar.mark_unsaved(modes)

    @on(Navigate)
    def route_navigation(self, message: Navigate) -> None:
        """Every move to a section, record or view, from a screen or the palette, goes here."""
        message.stop()
        if message.needs_database and self.database is None:
            return  # until the database is open only help and quit work
        from desta_tui.ui.router import route

        route(self, message)
