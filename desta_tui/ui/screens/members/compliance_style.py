"""The row style for a compliance state, shared by the members list, an organisation and the
expiring papers."""

from __future__ import annotations

__all__ = ["compliance_style"]


def compliance_style(state: str) -> str | None:
    """The row hint for a compliance state; the word itself says it without colour."""
    return {"expired": "error", "expiring": "warning", "missing": "warning"}.get(state)
