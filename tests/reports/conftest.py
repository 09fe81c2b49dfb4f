"""Report fixtures: a member whose name holds markup characters, added through the services."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

MARKUP_NAME = "R&D <b>Carers</b> a<b Trust"
AMHARIC_NAME = "Ethiopian Community Wellbeing Association (የኢትዮጵያ ማህበረሰብ)"


@dataclass(frozen=True)
class Pdf:
    """A built PDF's pages as text, and their sizes."""

    path: Path
    pages: list[str]
    landscape: list[bool]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def index(self, needle: str) -> int:
        where = self.text.find(needle)
        assert where >= 0, f"{needle!r} not in the PDF"
        return where

    def page_of(self, needle: str) -> int:
        """The 1-based page holding `needle` first."""
        for number, text in enumerate(self.pages, start=1):
            if needle in text:
                return number
        raise AssertionError(f"{needle!r} not in the PDF")


def read_pdf(path: Path) -> Pdf:
    reader = PdfReader(path)
    pages = [page.extract_text() for page in reader.pages]
    landscape = [float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages]
    return Pdf(Path(path), pages, landscape)


def outline(path: Path) -> list[tuple[str, int, int]]:
    """The PDF's bookmarks in order: (title, 1-based page, level)."""
    reader = PdfReader(path)
    found: list[tuple[str, int, int]] = []

    def walk(entries, level: int) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, level + 1)
            else:
                found.append((entry.title, reader.get_destination_page_number(entry) + 1, level))

    walk(reader.outline, 0)
    return found


def squash(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (wrapped cells)."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def markup_member(demo_db) -> str:
    """A Desta member named with `&`, `<b>` and `<`, with a paper about to expire and a
    change in its history; returns its uuid."""
    from desta_tui.services import members
    from desta_tui.services.reporting.consortium import find_consortium

    desta = find_consortium("Desta")
    org = members.create_organisation(
        {"name": MARKUP_NAME, "kind": "charity", "borough": "Brent", "phone": "020 7946 0001"}
    )
    members.create_membership(
        org.uuid, {"consortium": desta.uuid, "status": "active", "joined_on": "01/06/2012"}
    )
    members.create_compliance_item(
        org.uuid,
        {"kind": "insurance", "reference": "INS<7>&1", "checked_on": "20/11/2011",
         "expires_on": "20/11/2012"},
    )  # fmt: skip
    members.update_organisation(
        org.uuid,
        {"name": MARKUP_NAME, "kind": "charity", "borough": "Brent", "phone": "020 7946 0002"},
    )
    return org.uuid
