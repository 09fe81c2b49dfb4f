"""What an import did or would do: one outcome per row, or the problems that stopped it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desta_tui.domain.errors import ImportRowError


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What the import does (or would do) with one line of the file."""

    line: int
    action: str  # "create", "update", "unchanged" or "exists" (differs; not updated)
    label: str
    changes: tuple[str, ...] = ()


ACTION_WORDS = {
    "create": "new",
    "update": "update",
    "unchanged": "unchanged",
    "exists": "exists (use --update to change it)",
}


@dataclass(frozen=True)
class ImportReport:
    """The outcome of an import or a preview: what each row does, or why nothing was written."""

    kind: str
    path: Path
    source: str
    outcomes: tuple[RowOutcome, ...]
    errors: tuple[ImportRowError, ...]
    ignored_columns: tuple[str, ...]
    update: bool
    dry_run: bool
    written: bool

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def not_updated(self) -> int:
        return self.count("exists")

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            bad_lines = len({error.line for error in self.errors})
            return (
                f"Nothing was imported: {len(self.errors)} problem(s) on {bad_lines} line(s) of "
                f"{self.path.name}. Correct them and import the whole file again."
            )
        if not self.outcomes:
            return f"Nothing to import: {self.path.name} has a header row but no data rows."
        verb = "Would import" if self.dry_run else "Imported"
        text = (
            f"{verb} {len(self.outcomes)} {self.kind} row(s) from {self.path.name}: "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        )
        if self.not_updated:
            text += (
                f", {self.not_updated} already there and different (not updated without --update)"
            )
        if self.dry_run:
            text += ". Dry run: nothing was written"
        return text + "."
