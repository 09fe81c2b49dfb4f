"""One shape for every benchmark figure: the measure, its baseline from the same run, the ratio."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchResult:
    """A figure in milliseconds (or MiB), its baseline, and the budget the ratio or figure has."""

    name: str
    figure: float
    baseline: float
    unit: str = "ms"
    #: the budget for the ratio (e.g. 1.25 = within 25% of the baseline); 0 when none
    ratio_budget: float = 0.0
    #: the budget for the figure itself (e.g. 50 ms per keystroke); 0 when none
    figure_budget: float = 0.0
    baseline_name: str = ""
    #: the hub it was measured on ("1x", "3x", "10x"), or "" when no hub size matters
    scale: str = ""

    @property
    def ratio(self) -> float:
        return self.figure / self.baseline if self.baseline else float("inf")

    @property
    def within_budget(self) -> bool | None:
        checks = []
        if self.ratio_budget:
            checks.append(self.ratio <= self.ratio_budget)
        if self.figure_budget:
            checks.append(self.figure <= self.figure_budget)
        return all(checks) if checks else None

    def line(self) -> str:
        budget = []
        if self.ratio_budget:
            budget.append(f"ratio <= {self.ratio_budget:g}")
        if self.figure_budget:
            budget.append(f"<= {self.figure_budget:g} {self.unit}")
        verdict = {True: "ok", False: "OVER BUDGET", None: ""}[self.within_budget]
        name = f"{self.name} [{self.scale}]" if self.scale else self.name
        return (
            f"{name:<52} {self.figure:9.1f} {self.unit:<3} "
            f"baseline {self.baseline:8.1f} {self.unit:<3} ({self.baseline_name}) "
            f"ratio {self.ratio:6.2f}  {'; '.join(budget)} {verdict}"
        ).rstrip()


def print_results(results: list[BenchResult]) -> None:
    for result in results:
        print(result.line())
