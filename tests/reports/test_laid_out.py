"""Paragraphs and key-value tables keep their layout through one build, and only through it."""

from __future__ import annotations

from reportlab.platypus import Paragraph, Table

from desta_tui.reports.flowables import key_value_table, para
from desta_tui.reports.laid_out import LaidParagraph, laying_out

WORDS = "A cause long enough to wrap over more than one line of a narrow column, " * 3


def _count(monkeypatch, cls, name: str) -> list[int]:
    calls = [0]
    method = getattr(cls, name)

    def counted(self, *args, **kwargs):
        calls[0] += 1
        return method(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, counted)
    return calls


def test_a_paragraph_breaks_its_lines_once_per_width_in_a_build(monkeypatch):
    breaks = _count(monkeypatch, Paragraph, "breakLines")
    paragraph = para(WORDS)
    assert isinstance(paragraph, LaidParagraph)
    with laying_out():
        first = paragraph.wrap(200, 1000)
        assert paragraph.wrap(200, 50) == first  # the height offered does not change its lines
        assert breaks[0] == 1
        narrower = paragraph.wrap(120, 1000)
        assert breaks[0] == 2 and narrower[1] > first[1]
        assert paragraph.wrap(200, 1000) == first and breaks[0] == 3
    # outside a build (another document drawing the same paragraph) it is laid out afresh
    paragraph.wrap(200, 1000)
    paragraph.wrap(200, 1000)
    assert breaks[0] == 5


def test_a_paragraph_split_is_laid_out_again(monkeypatch):
    breaks = _count(monkeypatch, Paragraph, "breakLines")
    paragraph = para(WORDS)
    with laying_out():
        _, height = paragraph.wrap(200, 1000)
        assert paragraph.split(200, height / 10) == []  # too little room: reportlab lets go
        assert not hasattr(paragraph, "blPara")
        paragraph.wrap(200, 1000)
        assert breaks[0] == 2 and paragraph.blPara.lines


def test_each_build_lays_a_paragraph_out_again(monkeypatch):
    breaks = _count(monkeypatch, Paragraph, "breakLines")
    paragraph = para(WORDS)
    for _build in range(2):
        with laying_out():
            paragraph.wrap(200, 1000)
            paragraph.wrap(200, 1000)
    assert breaks[0] == 2


def test_a_key_value_table_is_measured_again_only_when_it_may_not_fit(monkeypatch):
    measured = _count(monkeypatch, Table, "_calc")
    table = key_value_table([("Cause", WORDS), ("Owner", "The hub")])
    with laying_out():
        width, height = table.wrap(400, 10_000)
        assert table.wrap(400, height + 1) == (width, height) and measured[0] == 1
        table.wrap(400, height / 2)  # too little room: reportlab measures what fits
        assert measured[0] == 2
        table.wrap(400, 10_000)
        table.wrap(400, 10_000)
        assert measured[0] == 3
        table.split(400, height / 2)
        table.wrap(400, 10_000)
        assert measured[0] == 5
    table.wrap(400, 10_000)
    assert measured[0] == 6


def test_a_paragraph_with_no_room_says_so_each_time_it_is_asked():
    paragraph = para(WORDS)
    with laying_out():
        fits = paragraph.wrap(200, 1000)
        # no width at all: reportlab answers "too tall for anything" without keeping that size
        none = paragraph.wrap(0, 1000)
        assert none[1] > 1000
        assert paragraph.wrap(0, 1000) == none
        assert paragraph.wrap(200, 1000) == fits


def test_a_rag_badge_on_one_line_is_laid_out_once_per_width_in_a_build(monkeypatch):
    from desta_tui.reports.flowables import RagCell

    looks = _count(monkeypatch, RagCell, "_one_line")
    badge = RagCell("Amber", "!", "64%")
    with laying_out():
        first = badge.wrap(60, 1000)
        assert badge.wrap(60, 20) == first and looks[0] == 1
        narrower = badge.wrap(30, 1000)
        assert looks[0] == 2 and narrower[0] < first[0]
        assert badge.wrap(60, 1000) == first and looks[0] == 3
    badge.wrap(60, 1000)
    badge.wrap(60, 1000)
    assert looks[0] == 5


def test_badges_of_one_look_are_set_up_once_and_share_no_state():
    from desta_tui.reports.flowables import RagCell, _badge_fields

    _badge_fields.cache_clear()
    badge, twin = RagCell("Amber", "!", "64%"), RagCell("Amber", "!", "64%")
    assert _badge_fields.cache_info().misses == 1
    assert badge.__dict__ == twin.__dict__ and badge.__dict__ is not twin.__dict__
    fresh = object.__new__(RagCell)
    fresh._set_up("Amber", "!", "64%")
    assert list(badge.__dict__.items()) == list(fresh.__dict__.items())
    assert badge.text == "! Amber" and badge.detail == "64%" and not badge.bold
    # laid out too narrow for one line, a badge makes its own paragraph; its twin does not
    badge.wrap(12, 1000)
    assert badge._para is not None and twin._para is None and twin.width == 0
    assert RagCell("Red", "x").bold and RagCell("Red", "x").detail == ""
