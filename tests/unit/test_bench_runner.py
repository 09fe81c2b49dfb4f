"""The benchmark runner's verdicts, scales and the figures page it writes; hubs at a tiny scale."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time

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


def test_scales_are_read_from_a_comma_list():
    from bench.__main__ import parse_scales

    assert parse_scales("10,1,3") == (1.0, 3.0, 10.0)
    assert parse_scales("0.01") == (0.01,)
    for wrong in ("", "one", "1,-3"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_scales(wrong)


def test_growth_is_put_in_words():
    from bench.__main__ import growth

    assert growth({"1x": 10, "3x": 10.5, "10x": 11}).startswith("flat")
    assert growth({"1x": 10, "3x": 30, "10x": 100}).startswith("linear")
    assert growth({"1x": 10, "10x": 40}).startswith("sub-linear")
    assert growth({"1x": 10, "3x": 90, "10x": 1000}).startswith("**worse than linear**")
    assert growth({"1x": 10}) == ""


def test_the_cost_curve_lists_each_figure_at_every_scale(tmp_path):
    results = [
        BenchResult("dashboard", 40, 5, figure_budget=50, scale="1x"),
        BenchResult("dashboard", 90, 50, figure_budget=100, scale="10x"),
        BenchResult("desta --version", 10, 9, ratio_budget=2),
    ]
    text = markdown(results, took_s=3, load=(2.5, 1.0, 0.5))
    assert "(load average 2.5 at the start)" in text
    assert "| dashboard, 10x hub | 90.0 ms | 50.0 ms () | 1.80 | ≤ 100 ms | met |" in text
    assert "| Benchmark | 1x | 10x | Growth |" in text
    assert "| dashboard | 40.0 ms | 90.0 ms | sub-linear (×2.2 for ×10 the hub) |" in text
    assert "| desta --version | 10.0 ms | 9.0 ms () | 1.11 | ratio ≤ 2 | met |" in text
    assert "| desta --version | – |" not in text  # measured once: not on the curve


def test_a_tiny_hub_is_built_once_then_taken_from_the_cache(tmp_path, monkeypatch):
    from bench import generate

    monkeypatch.setattr(generate, "CACHE_DIR", tmp_path)
    size = generate.HubSize.at(0.01)
    assert (size.organisations, size.providers, size.contracts, size.tickets) == (100, 4, 2, 50)
    path = generate.cached_hub(0.01, verbose=False)
    assert path.parent == tmp_path and "0.01x" in path.name
    built = path.stat().st_mtime_ns
    assert generate.cached_hub(0.01, verbose=False) == path
    assert path.stat().st_mtime_ns == built  # reused, not built again
    conn = sqlite3.connect(path)
    try:
        tables = ("organisation", "contract_partner", "contract", "support_ticket")
        counts = [conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in tables]
        returns = conn.execute("SELECT COUNT(*) FROM monthly_return").fetchone()[0]
        indexes = conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'").fetchone()
    finally:
        conn.close()
    assert counts == [100, 4, 2, 50]
    assert returns == 4 * size.months * len(generate.METRICS)
    assert indexes[0] > 40  # the indexes dropped for the bulk load are back


def test_the_large_history_benchmark_runs_on_a_tiny_hub(tmp_path, monkeypatch):
    from bench import generate, large_history

    monkeypatch.setattr(generate, "CACHE_DIR", tmp_path)
    results = large_history.run(scales=(0.01,), runs=1, with_app=False, verbose=False)
    assert {r.scale for r in results} == {"0.01x"}
    assert any(r.name.startswith("dashboard_summary") for r in results)
    assert all(r.figure > 0 and r.baseline > 0 for r in results)


def test_every_benchmark_runs_from_the_runner(monkeypatch):
    """The runner hands the scales to the benchmarks that take them, and calls the others as
    they are (a benchmark of desks at once has its own sizes)."""
    import importlib

    from bench import __main__ as runner

    calls = []
    for name in runner.BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        monkeypatch.setattr(module, "run", _recorder(module.run, name, calls))
    assert runner.main(["--scales", "0.01"]) == 0
    assert [name for name, _ in calls] == list(runner.BENCHMARKS)
    assert ("large_history", {"scales": (0.01,)}) in calls


def _recorder(real, name, calls):
    import functools
    import inspect

    @functools.wraps(real)
    def run(**kwargs):
        inspect.signature(real).bind(**kwargs)  # as the real one would take them, or not
        calls.append((name, kwargs))
        return []

    run.__signature__ = inspect.signature(real)
    return run


def test_the_pack_and_its_baseline_are_timed_in_turn():
    from bench.pack import paired_median_ms

    calls: list[str] = []
    pack, plain = paired_median_ms(lambda: calls.append("pack"), lambda: calls.append("plain"), 3)
    assert calls == ["pack", "plain"] * 4  # one warm call of each, then three in turn
    assert 0 <= pack < 50 and 0 <= plain < 50


def test_a_start_that_hangs_is_killed_and_reported(capsys):
    from bench.startup import timed_run

    hang = [sys.executable, "-c", "import sys, time; print('waiting', flush=True); time.sleep(60)"]
    started = time.perf_counter()
    with pytest.raises(SystemExit) as stopped:
        timed_run(hang, limit_s=1)
    assert time.perf_counter() - started < 20  # killed, not waited for
    assert "stuck" in str(stopped.value)
    assert "within 1 s" in str(stopped.value)
    assert "waiting" in str(stopped.value)
