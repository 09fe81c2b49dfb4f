"""KeyFooter: Textual's Footer, built again only when the keys it shows have changed."""

from __future__ import annotations

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """The footer of every Desta screen. Textual's Footer builds its keys afresh whenever the
    screen's bindings may have changed: at every move of the focus and every
    `refresh_bindings()`, a dozen small widgets made and styled each time though the keys shown
    are mostly the same. This one looks first and builds them only when what it would show
    (each key, its label, whether it can be pressed) is different; it looks the same."""

    _shown: tuple | None = None

    def compose(self):
        self._shown = self.keys_shown()
        for widget in super().compose():
            self._style_as_bound(widget)
            yield widget

    def _style_as_bound(self, widget) -> None:
        """A key bound to the footer's `compact` starts at its own default (compact) and takes
        the footer's when mounted: two immediate restyles of each key, both for nothing when
        the footer is not compact. Given the footer's value and class before it mounts, it is
        styled once, with the rest of the screen. The palette's key is not bound: left as is."""
        compact = getattr(type(widget), "compact", None)
        if isinstance(compact, Reactive) and not widget.has_class("-command-palette"):
            widget.set_reactive(compact, self.compact)
            widget.set_class(self.compact, "-compact", update=False)

    def keys_shown(self) -> tuple | None:
        """What the footer shows, as plain values: None until the screen's bindings are ready."""
        if not self._bindings_ready:
            return None
        app = self.app
        shown = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action,
             binding.group, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )  # fmt: skip
        return (self.compact, self.show_command_palette, shown)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self.keys_shown() != self._shown:
            await self.recompose()
