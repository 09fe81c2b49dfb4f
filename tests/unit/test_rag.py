"""Tests for desta_tui.domain.rag: statuses, thresholds, achievement and trajectory status."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desta_tui.domain.errors import ValidationError
from desta_tui.domain.rag import (
    DEFAULT_THRESHOLDS,
    Rag,
    RagResult,
    Thresholds,
    achievement,
    format_percent,
    trajectory_rag,
    trajectory_status,
)


def test_rag_words_symbols_and_labels():
    assert [r.word for r in Rag] == ["Green", "Amber", "Red", "No data"]
    assert [r.symbol for r in Rag] == ["✓", "!", "✗", "–"]
    assert Rag.GREEN.label == "✓ Green"
    assert Rag.AMBER.label == "! Amber"
    assert Rag.RED.label == "✗ Red"
    assert Rag.NO_DATA.label == "– No data"
    assert all(r.ascii_symbol.isascii() for r in Rag)
    assert len({r.symbol for r in Rag}) == 4  # told apart by shape, without colour
    assert Rag("amber") is Rag.AMBER  # stored values stay stable


def test_severity_sorts_worst_first():
    assert sorted(Rag, key=lambda r: r.severity, reverse=True) == [
        Rag.RED,
        Rag.AMBER,
        Rag.GREEN,
        Rag.NO_DATA,
    ]


def test_default_thresholds():
    assert DEFAULT_THRESHOLDS.green_at == Decimal("0.95")
    assert DEFAULT_THRESHOLDS.amber_at == Decimal("0.80")
    assert Thresholds(0.95, 0.8) == DEFAULT_THRESHOLDS


def test_thresholds_convert_floats_exactly():
    thresholds = Thresholds(green_at=0.9, amber_at="0.7")
    assert thresholds.green_at == Decimal("0.9")
    assert thresholds.amber_at == Decimal("0.7")
    assert Thresholds(1, 1).green_at == Decimal(1)


@pytest.mark.parametrize(
    ("green", "amber", "field", "message"),
    [
        (
            0.8,
            0.9,
            "amber_at",
            "the amber threshold (90%) must not be above the green threshold (80%)",
        ),
        (0.9, 0, "amber_at", "the amber threshold must be above 0%"),
        (0.9, -0.1, "amber_at", "the amber threshold must be above 0%"),
        ("x", 0.5, "green_at", "'x' is not a number"),
        (float("nan"), 0.5, "green_at", "nan is not a number"),
        (0.9, float("inf"), "amber_at", "inf is not a number"),
        (True, 0.5, "green_at", "True is not a number"),
    ],
)
def test_thresholds_validate(green, amber, field, message):
    with pytest.raises(ValidationError) as caught:
        Thresholds(green, amber)
    assert (caught.value.field, caught.value.message) == (field, message)


def test_achievement():
    assert achievement(83, 100) == Decimal("0.83")
    assert achievement(0, 10) == Decimal(0)
    assert achievement(150, 100) == Decimal("1.5")
    assert achievement(5, 0) is None
    assert achievement(0, 0) is None
    with pytest.raises(ValueError):
        achievement(-1, 10)
    with pytest.raises(ValueError):
        achievement(1, -10)


@pytest.mark.parametrize(
    ("actual", "target", "rag"),
    [
        (100, 100, Rag.GREEN),
        (95, 100, Rag.GREEN),
        (120, 100, Rag.GREEN),
        (94, 100, Rag.AMBER),
        (83, 100, Rag.AMBER),
        (80, 100, Rag.AMBER),
        (79, 100, Rag.RED),
        (0, 100, Rag.RED),
        (1890, 2000, Rag.GREEN),  # 94.5% is shown as 95%: status agrees with what is shown
        (1889, 2000, Rag.AMBER),  # 94.45% is shown as 94%
        (1590, 2000, Rag.AMBER),  # 79.5% shows as 80%
        (1589, 2000, Rag.RED),
    ],
)
def test_trajectory_status_thresholds(actual, target, rag):
    result = trajectory_status(actual, target, months_of_data=6)
    assert result.rag is rag
    assert result.ratio == Decimal(actual) / Decimal(target)
    assert not result.is_provisional
    assert result.note == ""
    assert result.label == rag.label


def test_trajectory_status_case_study_figures():
    bme_retention = trajectory_status(83, 100, 6)
    assert (bme_retention.rag, bme_retention.percent) == (Rag.AMBER, "83%")
    enrolment = trajectory_status(71, 100, 6)
    assert (enrolment.rag, enrolment.percent) == (Rag.RED, "71%")


def test_custom_thresholds():
    lenient = Thresholds(green_at=Decimal("0.80"), amber_at=Decimal("0.70"))
    assert trajectory_status(83, 100, 6, lenient).rag is Rag.GREEN
    assert trajectory_status(71, 100, 6, lenient).rag is Rag.AMBER
    assert trajectory_status(69, 100, 6, lenient).rag is Rag.RED


def test_zero_target():
    nothing = trajectory_status(0, 0, 3)
    assert nothing == RagResult(Rag.NO_DATA, None, False, "")
    assert nothing.percent == "–"
    ahead = trajectory_status(4, 0, 3)
    assert (ahead.rag, ahead.ratio, ahead.percent) == (Rag.GREEN, None, "–")


def test_no_returns_yet():
    result = trajectory_status(0, 20, 0)
    assert result.rag is Rag.NO_DATA
    assert result.ratio is None
    assert result.is_provisional
    assert result.note == "no returns yet"
    assert result.label == "– No data"


def test_one_month_is_provisional():
    result = trajectory_status(5, 10, 1)
    assert result.rag is Rag.RED
    assert result.ratio == Decimal("0.5")
    assert result.is_provisional
    assert result.note == "based on 1 month only"
    assert result.label == "✗ Red (provisional)"
    assert trajectory_status(3, 0, 1).label == "✓ Green (provisional)"
    assert not trajectory_status(5, 10, 2).is_provisional


def test_negative_months_refused():
    with pytest.raises(ValueError):
        trajectory_status(1, 1, -1)


@pytest.mark.parametrize(
    ("ratio", "text"),
    [
        (Decimal("0.83"), "83%"),
        (Decimal("0.835"), "84%"),
        (Decimal("0.845"), "85%"),  # half up, not to even
        (Decimal("0.8349"), "83%"),
        (Decimal("0.004"), "0%"),
        (Decimal("-0.004"), "0%"),
        (Decimal(0), "0%"),
        (Decimal("1.5"), "150%"),
        (Decimal(2) / Decimal(3), "67%"),
        (0.705, "71%"),  # a float is read as written, not as its binary neighbour
        (None, "–"),
    ],
)
def test_format_percent(ratio, text):
    assert format_percent(ratio) == text


counts = st.integers(min_value=0, max_value=10**6)
targets = st.integers(min_value=1, max_value=10**6)
months = st.integers(min_value=1, max_value=60)


@given(counts, counts, targets, months)
def test_status_never_gets_worse_as_actual_rises(actual_a, actual_b, target, months_of_data):
    low, high = sorted((actual_a, actual_b))
    worse = trajectory_status(low, target, months_of_data).rag
    better = trajectory_status(high, target, months_of_data).rag
    assert better.severity <= worse.severity
    assert Rag.NO_DATA not in (worse, better)


@given(counts, targets, months)
def test_status_agrees_with_shown_percent(actual, target, months_of_data):
    result = trajectory_status(actual, target, months_of_data)
    shown = int(result.percent.rstrip("%"))
    expected = Rag.GREEN if shown >= 95 else Rag.AMBER if shown >= 80 else Rag.RED
    assert result.rag is expected
    assert result.is_provisional is (months_of_data < 2)


thresholds = st.tuples(
    st.decimals(min_value="0.001", max_value="2", places=3),
    st.decimals(min_value="0.001", max_value="2", places=3),
).map(lambda pair: Thresholds(green_at=max(pair), amber_at=min(pair)))


@given(counts, targets, thresholds)
def test_counts_are_judged_as_their_ratio_is(actual, target, chosen):
    """status_of (whole numbers, for the dashboard's thousands) is status of the ratio."""
    assert chosen.status_of(actual, target) is chosen.status(achievement(actual, target))
    assert (
        trajectory_rag(actual, target, 3, chosen)
        is trajectory_status(actual, target, 3, chosen).rag
    )


def test_the_status_alone_is_the_status_of_the_result():
    for actual, target, months_of_data in [(0, 0, 0), (5, 0, 2), (0, 0, 2), (94, 100, 1)]:
        rag = trajectory_rag(actual, target, months_of_data)
        assert rag is trajectory_status(actual, target, months_of_data).rag
    with pytest.raises(ValueError, match="negative"):
        trajectory_rag(-1, 10, 2)
