"""The benchmark runner's verdicts and the figures page it writes (no benchmark is run)."""

from __future__ import annotations

import pytest

from bench.__main__ import END_MARK, START_MARK, markdown, write_figures
from bench.results import BenchResult


def test_verdict_checks_ratio_and_figure_budgets():
    assert BenchResult("a", 40, 20, ratio_budget=2.5).within_budget is True
    assert BenchResult("a", 60, 20, ratio_budget=2.5).within_budget is False
    assert BenchResult("a", 40, 1, figure_budget=50).within_budget is True
    assert BenchResult("a", 40, 1, figure_budget=50, ratio_budget=2).within_budget is False
    assert BenchResult("a", 40, 1).within_budget is None
    assert BenchResult("a", 40, 0).ratio == float("inf")


def test_figures_replace_only_what_is_between_the_markers(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Benchmarks\n\nProse.\n\n{START_MARK}\nold\n{END_MARK}\n\nMore prose.\n")
    results = [
        BenchResult("pack", 12_000, 50, figure_budget=10_000, baseline_name="one page"),
        BenchResult("version", 10, 9, ratio_budget=1.25, baseline_name="python -c pass"),
    ]
    write_figures(page, markdown(results, took_s=3))
    text = page.read_text()
    assert text.startswith("# Benchmarks\n\nProse.\n\n")
    assert text.endswith("\n\nMore prose.\n")
    assert "old" not in text
    assert "| pack | 12000.0 ms | 50.0 ms (one page) | 240.00 | ≤ 10000 ms | **over** |" in text
    assert "| version | 10.0 ms | 9.0 ms (python -c pass) | 1.11 | ratio ≤ 1.25 | met |" in text
    assert "cores" in text


def test_a_page_without_markers_is_refused_not_overwritten(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks written by hand\n")
    with pytest.raises(SystemExit, match="markers"):
        write_figures(page, markdown([], took_s=1))
    assert page.read_text() == "# Benchmarks written by hand\n"
