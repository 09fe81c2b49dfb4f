"""Run `desta` in a subprocess, as a user would, with the test's private folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def desta(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    """Run `python -m desta_tui ARGS`; returns the CompletedProcess (text)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "desta_tui", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
