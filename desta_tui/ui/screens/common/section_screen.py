"""SectionScreen: the frame every section shares, with the section bar on top and the key footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from desta_tui.ui.sections import SECTIONS
from desta_tui.ui.widgets.key_footer import KeyFooter


class SectionBar(Static):
    """One line naming every section and its key, the current one marked. It fits its width:
    full names when there is room, then short names, then only the keys beside the current
    section's full name (so eight sections fit in 80 columns)."""

    DEFAULT_CSS = """
    SectionBar {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, current_mode: str, unsaved: set[str] | frozenset[str] = frozenset()) -> None:
        self.current_mode = current_mode
        self.unsaved = set(unsaved)
        super().__init__(section_bar_text(current_mode, 200, self.unsaved), markup=True)

    def on_resize(self) -> None:
        self.update(section_bar_text(self.current_mode, self.content_size.width, self.unsaved))

    def mark_unsaved(self, modes: set[str]) -> None:
        """Put • after the name of every section holding unsaved work (a form, typed cells)."""
        if set(modes) != self.unsaved:
            self.unsaved = set(modes)
            width = self.content_size.width if self.is_mounted and self.size.width else 200
            self.update(section_bar_text(self.current_mode, width, self.unsaved))


_LONG_HINT = "? help  ctrl+p find  ctrl+q quit"
_MIDDLE_HINT = "? help  ctrl+p find"
_SHORT_HINT = "? help"
# (how section names show, the hint after them), widest first
_LAYOUTS = (
    ("full", _LONG_HINT),
    ("full", _MIDDLE_HINT),
    ("full", _SHORT_HINT),
    ("short", _LONG_HINT),
    ("short", _SHORT_HINT),
    ("short", ""),
    ("keys", _SHORT_HINT),
    ("keys", ""),
)


def _short(title: str) -> str:
    return title if len(title) <= 5 else title[:4]


def section_bar_text(
    current_mode: str, width: int, unsaved: set[str] | frozenset[str] = frozenset()
) -> str:
    """The section bar's markup for `width` cells: the widest layout that fits; a section
    holding unsaved work has • after its name (or key)."""
    text = ""
    for names, hint in _LAYOUTS:
        parts, plain = [], []
        for section in SECTIONS:
            current = section.mode == current_mode
            if names == "full" or current:
                title = section.title
            else:
                title = _short(section.title) if names == "short" else ""
            label = f"{section.key} {title}".rstrip()
            if section.mode in unsaved:
                label += "•"
            if current:
                # brackets and bold, so the current section reads without colour too
                parts.append(f"[b reverse]\\[{label}][/]")
                plain.append(f"[{label}]")
            else:
                parts.append(label)
                plain.append(label)
        gap = "  " if names == "full" else " "
        text, length = gap.join(parts), len(gap.join(plain))
        if hint:
            text += f"   [dim]{hint}[/]"
            length += 3 + len(hint)
        if length <= width:
            return text
    return text


class SectionScreen(Screen):
    """A section: subclasses give `mode` and compose their body in `compose_body`."""

    mode = "dashboard"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A mode's first screen that has seen fewer stylesheet changes than the app (one made
        # before a theme change) makes Textual parse every stylesheet again and restyle the app,
        # twice. A screen made now is styled from the stylesheet as it is now: it has seen them
        # all. Each section's first showing (the dashboard's at the start) cost ~25 ms of CPU.
        # (Textual's own count, read defensively: if it goes, the test of the first showing says)
        try:
            seen = self.app._css_update_count
        except (RuntimeError, AttributeError):  # made outside an app (NoActiveAppError)
            return
        if hasattr(self, "_css_update_count"):
            self._css_update_count = seen

    def compose(self) -> ComposeResult:
        yield SectionBar(self.mode)
        with Vertical(id="section-body"):
            yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    #: set when another screen covers this one: its data is read again on coming back
    _left = False

    def refresh_data(self) -> None:
        """Reload what the section shows; called when the section is shown again."""

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        # Textual resumes a screen as it first shows it (twice, for a mode's first screen),
        # just after the section read its data on mounting: a dashboard or list of a large hub
        # would be read three times before its first frame
        if self._left:
            self._left = False
            self.refresh_data()
        from desta_tui.ui.unsaved import unsaved_modes

        self.query_one(SectionBar).mark_unsaved(unsaved_modes(self.app))
