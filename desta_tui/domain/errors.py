"""The error classes every layer raises and the UI and CLI show to people, never as tracebacks."""

from __future__ import annotations

from collections.abc import Iterable


class DestaError(Exception):
    """Base of every error meant for a person to read; `.message` is a plain sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(DestaError):
    """One value a person typed is wrong; `.field` names the form field (None for the form)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        # Exception pickling rebuilds from args; keep them in constructor order.
        self.args = (field, message)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class FormError(DestaError):
    """Several fields are wrong at once, so the form can mark all of them in one go."""

    def __init__(self, errors: Iterable[ValidationError]) -> None:
        errors = list(errors)
        if not errors:
            raise ValueError("FormError needs at least one ValidationError")
        # The first message for a field wins: it is usually the most basic complaint.
        self.errors: dict[str | None, str] = {}
        for error in errors:
            self.errors.setdefault(error.field, error.message)
        self.validation_errors = errors
        super().__init__("; ".join(str(error) for error in errors))
        self.args = (errors,)

    @classmethod
    def raise_if_any(cls, errors: Iterable[ValidationError]) -> None:
        """Raise a FormError holding `errors`, unless there are none."""
        errors = list(errors)
        if errors:
            raise cls(errors)


class ImportRowError(DestaError):
    """A row of an imported file is wrong; `.line` is the 1-based line a spreadsheet shows."""

    def __init__(self, line: int, column: str | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.args = (line, column, message)

    @classmethod
    def from_validation(
        cls, line: int, error: ValidationError, column: str | None = None
    ) -> ImportRowError:
        """Wrap a ValidationError met while importing; the column defaults to its field."""
        return cls(line, column if column is not None else error.field, error.message)

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class DatabaseError(DestaError):
    """The database cannot be used: missing, corrupt, locked, or from a newer version."""


# --- offline sites (sync) -----------------------------------------------------------------


class BundleError(DestaError):
    """A bundle file cannot be used here: damaged, altered, another hub's, or too new; nothing
    was changed."""


class SyncConflictError(DestaError):
    """A conflict cannot be settled as asked (no such conflict, or the choice breaks a rule)."""
