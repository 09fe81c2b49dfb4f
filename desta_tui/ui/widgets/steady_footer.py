"""SteadyFooter: Textual's Footer, rebuilt only when the keys it would show change."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class SteadyFooter(Footer):
    """Textual rebuilds a Footer's keys whenever the screen's bindings may have changed: as a
    screen is shown, and again as focus lands on its first widget, with the same keys each
    time. Each rebuild mounts and styles every key anew (the dashboard's eight keys were built
    twice as it was first shown, the start screen's four too: ~40 ms of CPU at the start).
    This one rebuilds only when what it would show differs from what it shows."""

    _shown: tuple[Any, ...] | None = None

    def _what_it_would_show(self) -> tuple[Any, ...]:
        """Everything Footer.compose reads: the shown bindings (each with its key as the
        keymap displays it, whether enabled, its tooltip), and the palette key's settings."""
        bindings = tuple(
            (binding, enabled, tooltip, self.app.get_key_display(binding))
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
        )
        app = self.app
        palette = (app.ENABLE_COMMAND_PALETTE, app.COMMAND_PALETTE_BINDING)
        return (self.show_command_palette, palette, bindings)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._what_it_would_show()
        # an empty footer is built again (it costs nothing): one composed before the screen's
        # bindings were ready fills in when they are
        if shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()
