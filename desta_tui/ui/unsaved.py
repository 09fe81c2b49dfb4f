"""Unsaved work: which screens hold some, in which section, and what quitting does with it.

A screen that can hold typed-but-unsaved work (a form, the returns grid's section, Settings)
answers `unsaved_work()` with a few words naming it, and can save it, discard it or keep it
as a draft at once. The app asks before quitting (Save / Discard / Cancel, Cancel focused);
when the terminal goes away there is no one to ask, so every piece is written as a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.app import App
from textual.message import Message
from textual.screen import Screen

__all__ = [
    "HoldsUnsavedWork",
    "UnsavedChanged",
    "UnsavedPiece",
    "keep_all_as_drafts",
    "unsaved_modes",
    "unsaved_pieces",
]


@runtime_checkable
class HoldsUnsavedWork(Protocol):
    """A screen that may hold typed work that is not saved yet."""

    def unsaved_work(self) -> str | None:
        """A few words naming the unsaved work ("New organisation"), or None when all saved."""
        ...

    async def save_unsaved_work(self) -> bool:
        """Save it as the person's own save key would; False when it could not be (the reason
        is on the screen, and nothing typed is lost)."""
        ...

    def discard_unsaved_work(self) -> None:
        """Drop it on purpose, draft and all (the screen itself stays)."""
        ...

    def keep_draft_now(self) -> None:
        """Write it as a draft at once (the terminal is closing)."""
        ...


class UnsavedChanged(Message):
    """A screen's unsaved work may have changed: the section bars mark it again."""


@dataclass(frozen=True, slots=True)
class UnsavedPiece:
    """One screen's unsaved work, and the section (mode) it sits in."""

    mode: str
    screen: Screen
    words: str


def _stacks(app: App) -> dict[str, list[Screen]]:
    """Every section's stack of screens (Textual keeps one per mode)."""
    stacks = getattr(app, "_screen_stacks", None)
    if isinstance(stacks, dict):
        return stacks
    return {getattr(app, "current_mode", ""): list(app.screen_stack)}


def unsaved_pieces(app: App) -> list[UnsavedPiece]:
    """Every piece of unsaved work in every section, the section shown first."""
    pieces = []
    current = getattr(app, "current_mode", "")
    stacks = _stacks(app)
    for mode in sorted(stacks, key=lambda name: name != current):
        for screen in stacks[mode]:
            if not isinstance(screen, HoldsUnsavedWork):
                continue
            try:
                words = screen.unsaved_work()
            except Exception:  # a screen still being built holds nothing yet
                continue
            if words:
                pieces.append(UnsavedPiece(mode, screen, words))
    return pieces


def unsaved_modes(app: App) -> set[str]:
    """The sections holding unsaved work (the section bar marks them with •)."""
    return {piece.mode for piece in unsaved_pieces(app)}


def keep_all_as_drafts(app: App) -> int:
    """Write every piece of unsaved work as a draft now; how many were written."""
    kept = 0
    for piece in unsaved_pieces(app):
        try:
            piece.screen.keep_draft_now()
        except Exception as error:  # keep the others whatever one of them does
            app.log.error("keeping a draft failed", error)
            continue
        kept += 1
    return kept


def describe_pieces(pieces: list[UnsavedPiece]) -> str:
    """ "New organisation (Members); 3 cells of Oct 2012 (Performance)" """
    from desta_tui.ui.sections import SECTIONS

    titles = {section.mode: section.title for section in SECTIONS}
    return "; ".join(f"{piece.words} ({titles.get(piece.mode, piece.mode)})" for piece in pieces)
