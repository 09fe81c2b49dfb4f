"""The row style for a compliance state, shared by the members list, an organisation and the
expiring papers."""

from __future__ import annotations

from desta_tui.services import members

__all__ = ["compliance_style"]

_STATE_STYLES = {members.EXPIRED: "error", members.EXPIRING: "warning", members.MISSING: "warning"}


def compliance_style(state: str) -> str | None:
    """The row hint for a compliance state (domain.compliance's); the word itself says it
    without colour."""
    return _STATE_STYLES.get(state)
