"""Start-up budgets: `desta --version` within 2x `python -c pass`; the first screen within 1.25x a
bare Textual app, and a dashboard with its data within 1.4x, on the demo and on each large hub.

Usage: python -m bench.startup [--scales 1,3,10] [--runs 11]
Each figure is the median wall time of whole processes, so imports count as a user feels them;
the processes take turns, run after run, so a figure and its baseline see the same load.
"With data" ends at the first frame drawn after the dashboard has its figures on screen.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.results import BenchResult, print_results

ROOT = Path(__file__).resolve().parents[1]

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        yield Static("Dashboard")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True)
print("bare-ok")
"""

# the same start as `desta --db PATH`: preflight, then the app opens the database itself
DESTA_APP = """
import sys
from desta_tui.db.preflight import preflight
from desta_tui.ui.app import DestaApp

class FirstScreen(DestaApp):
    def on_mount(self):
        # Textual also runs DestaApp.on_mount: leave after the first frame
        self.call_after_refresh(self.leave)

    def leave(self):
        self.seen = type(self.screen).__name__
        self.exit()

preflight(sys.argv[1])
app = FirstScreen(target=sys.argv[1])
app.run(headless=True)
assert app.seen == "StartScreen", app.seen
print("first-screen-ok")
"""

DESTA_DATA = """
import sys
from desta_tui.db.preflight import preflight
from desta_tui.ui.app import DestaApp

class DashboardReady(DestaApp):
    def _database_ready(self, info):
        super()._database_ready(info)
        self.watch_for_data()

    def watch_for_data(self):
        # the figures may come from a worker after the screen is drawn: leave after the first
        # frame that shows them
        if getattr(self.screen, "summary", None) is None:
            self.set_timer(0.001, self.watch_for_data)
        else:
            self.call_after_refresh(self.leave)

    def leave(self):
        self.seen = type(self.screen).__name__
        self.exit()

preflight(sys.argv[1])
app = DashboardReady(target=sys.argv[1])
app.run(headless=True)
assert app.seen == "DashboardScreen", app.seen
print("dashboard-ok")
"""


RUN_LIMIT_S = 60
"""A start that has not reached its frame in this long (~100x a start on a loaded machine) is
stuck, not slow: it is killed and reported, so a hang stops the benchmark instead of idling it."""


def timed_run(command: list[str], limit_s: float = RUN_LIMIT_S, **extra_env: str) -> float:
    """One whole process's wall time, in seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **extra_env}
    started = time.perf_counter()
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=limit_s)
    except subprocess.TimeoutExpired as stuck:
        # subprocess.run has killed the process; what it had printed tells where it stopped
        printed = (_text(stuck.stderr) + _text(stuck.output))[-2000:]
        raise SystemExit(
            f"benchmark run stuck: {command[:3]} {command[3:]} did not finish within "
            f"{limit_s:g} s and was killed\n{printed}"
        ) from None
    elapsed = time.perf_counter() - started
    # a run that crashed measures nothing: stop rather than print a flattering figure
    if done.returncode != 0 or "Traceback" in done.stderr + done.stdout:
        raise SystemExit(f"benchmark run failed: {command[:3]}\n{done.stderr[-2000:]}")
    return elapsed


def _text(printed: str | bytes | None) -> str:
    """What a killed process had printed (TimeoutExpired gives bytes even in text mode)."""
    if isinstance(printed, bytes):
        return printed.decode(errors="replace")
    return printed or ""


def interleaved_medians(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int, seed: int = 0
) -> dict[str, float]:
    """Each command's median wall time in ms, the commands taking turns run after run: a
    figure and its baseline see the same load (timed one block after the other, a change of
    load between the blocks decided the ratio). Each round takes its turns in a new order
    (shuffled from `seed`): in a fixed order, a start measured straight after the bare app
    ran about 50 ms faster than the same start after another of Desta's, so where a command
    stood in the round decided part of its figure."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    order = list(commands)
    shuffler = random.Random(seed)
    for _ in range(runs):
        shuffler.shuffle(order)
        for name in order:
            command, extra_env = commands[name]
            times[name].append(timed_run(command, **extra_env) * 1000)
    return {name: statistics.median(found) for name, found in times.items()}


def compile_bytecode() -> None:
    """Desta's modules compiled as an install leaves them: a run with PYTHONDONTWRITEBYTECODE
    set (as some shells and containers have) would otherwise compile every module from source
    at every start, and time that instead of the start (the cache folders are git-ignored)."""
    import compileall

    compileall.compile_dir(ROOT / "desta_tui", quiet=2)


def run(scales: Sequence[float] = (), runs: int = 11) -> list[BenchResult]:
    from bench.generate import scale_label, shared_copy
    from bench.timing import LARGE_TODAY

    compile_bytecode()
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    large = {"DESTA_TODAY": LARGE_TODAY}
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.sqlite3"
        command = [python, "-m", "desta_tui", "demo", "--no-open", "--db", str(demo)]
        subprocess.run(command, check=True, capture_output=True, env=env)
        commands = {
            "python": ([python, "-c", "pass"], {}),
            "version": ([python, "-m", "desta_tui", "--version"], {}),
            "bare": ([python, "-c", BARE_APP], {}),
            "first": ([python, "-c", DESTA_APP, str(demo)], {}),
            "demo": ([python, "-c", DESTA_DATA, str(demo)], {}),
        }
        for scale in scales:
            commands[scale_label(scale)] = ([python, "-c", DESTA_DATA, str(shared_copy(scale))],
                                            large)  # fmt: skip
        ms = interleaved_medians(commands, runs)
    bare = ms["bare"]
    results = [
        # importing Textual alone (180 ms) would make it many times python's start
        BenchResult(
            "desta --version", ms["version"], ms["python"], ratio_budget=2,
            baseline_name="python -c pass",
        ),
        BenchResult(
            "app to first screen", ms["first"], bare, ratio_budget=1.25, baseline_name="bare app"
        ),
        BenchResult("app to dashboard with data, demo", ms["demo"], bare, ratio_budget=1.4,
                    baseline_name="bare app"),
    ]  # fmt: skip
    for scale in scales:
        results.append(
            BenchResult("app to dashboard with data", ms[scale_label(scale)], bare,
                        ratio_budget=1.4, baseline_name="bare app", scale=scale_label(scale))
        )  # fmt: skip
    return results


def main() -> None:
    from bench.__main__ import DEFAULT_SCALES, parse_scales

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=parse_scales, default=DEFAULT_SCALES)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    print_results(run(args.scales, args.runs))


if __name__ == "__main__":
    main()
