"""Paragraphs and tables that remember their layout through one build of a report.

reportlab lays a flowable out (`wrap`) every time it is asked: a heading once to see whether it
and the start of its table fit, and again to place it; a block kept together once to measure
it all, then each of its pieces again as they are placed; a table's cell paragraphs once for
the row heights and again as each cell is drawn. Laid out again at the same width, a paragraph
breaks into the same lines, so within a build (`laying_out`, which `ReportDocument.build`
holds) the first layout at a width serves the others. Outside a build nothing is remembered:
a flowable drawn again elsewhere is laid out afresh.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from reportlab.platypus import Paragraph, Table

__all__ = ["LaidParagraph", "LaidTable", "build_token", "laying_out"]

_build = threading.local()


@contextlib.contextmanager
def laying_out() -> Iterator[None]:
    """Layouts made in the block are kept for it alone (a build on this thread)."""
    before = getattr(_build, "token", None)
    _build.token = object()
    try:
        yield
    finally:
        _build.token = before


def build_token() -> object | None:
    """What stands for the build under way on this thread (None outside one): a layout kept
    with it holds for that build alone."""
    return getattr(_build, "token", None)


class LaidParagraph(Paragraph):
    """A Paragraph laid out once per width in a build: its lines depend on the width alone."""

    _laid: tuple[object, float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        token = build_token()
        laid = self._laid
        if token is not None and laid is not None and laid[:2] == (token, availWidth):
            # the size it gave, not its width and height: for no room at all reportlab gives
            # a size it does not keep
            return laid[2]
        size = super().wrap(availWidth, availHeight)
        self._laid = None if token is None else (token, availWidth, size)
        return size

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803
        self._laid = None  # reportlab may drop its lines when it cannot split it
        return super().split(availWidth, availHeight)


class LaidTable(Table):
    """A Table laid out once per width in a build while it fits whole: reportlab measures
    every row of a table that fits (it stops early only past the height it is offered), so
    the same width gives the same rows; a table too tall for the room is measured again."""

    _laid: tuple[object, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        token = build_token()
        if token is not None and self._laid == (token, availWidth) and self._height <= availHeight:
            return self._width, self._height
        width, height = super().wrap(availWidth, availHeight)
        whole = token is not None and height <= availHeight
        self._laid = (token, availWidth) if whole else None
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803
        self._laid = None  # reportlab measures it again for the room offered
        return super().split(availWidth, availHeight)
