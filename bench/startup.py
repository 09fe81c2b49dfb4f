"""Start-up budgets: `desta --version` vs `python -c pass`; first screen vs a bare Textual app.

Usage: python -m bench.startup [--runs 7]
Each figure is the median wall time of whole processes, so imports count as a user feels them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def median_seconds(command: list[str], runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        # a run that crashed measures nothing: stop rather than print a flattering figure
        if done.returncode != 0 or "Traceback" in done.stderr + done.stdout:
            raise SystemExit(f"benchmark run failed: {command[:3]}\n{done.stderr[-2000:]}")
    return statistics.median(times)


def main() -> list[tuple[str, float, float, float, float]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(sys.argv[1:] if __name__ == "__main__" else [])
    python = sys.executable
    results = []
    base = median_seconds([python, "-c", "pass"], args.runs)
    version = median_seconds([python, "-m", "desta_tui", "--version"], args.runs)
    results.append(("desta --version vs python -c pass", version, base, version / base, 0))
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.sqlite3"
        subprocess.run(
            [python, "-m", "desta_tui", "demo", "--no-open", "--db", str(demo)],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        bare = median_seconds([python, "-c", BARE_APP], args.runs)
        desta = median_seconds([python, "-c", DESTA_APP, str(demo)], args.runs)
        data = median_seconds([python, "-c", DESTA_DATA, str(demo)], args.runs)
    results.append(("first screen vs bare Textual app", desta, bare, desta / bare, 1.25))
    results.append(("dashboard with data vs bare Textual app", data, bare, data / bare, 0))
    for name, figure, baseline, ratio, budget in results:
        verdict = "" if not budget else ("  within budget" if ratio <= budget else "  OVER BUDGET")
        print(f"{name:<40} {figure * 1000:7.0f} ms  baseline {baseline * 1000:6.0f} ms  "
              f"ratio {ratio:5.2f}{f' (budget {budget})' if budget else ''}{verdict}")  # fmt: skip
    return results


if __name__ == "__main__":
    main()
