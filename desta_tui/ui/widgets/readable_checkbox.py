"""ReadableCheckbox: a Checkbox drawn ☑ or ☐, so ticked and unticked differ without colour."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox

__all__ = ["ReadableCheckbox"]

TICKED = "☑"
UNTICKED = "☐"


class ReadableCheckbox(Checkbox):
    """Textual's Checkbox draws `▐X▌` both ways and tells them apart by colour only; this one
    draws ☑ when ticked and ☐ when not (the colours stay as a second cue)."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble((TICKED if self.value else UNTICKED, style))
