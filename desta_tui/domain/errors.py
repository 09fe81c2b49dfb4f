"""The error classes every layer raises and the UI and CLI show to people, never as tracebacks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol


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


# --- contracts: steps that need a person's reason before they are saved ----------------------


class _Described(Protocol):
    """Anything with the words a person reads, such as a compliance gap."""

    @property
    def text(self) -> str: ...


class ReasonRequiredError(ValidationError):
    """A step needs a reason before it is saved (stage back, reallocation in delivery).

    `question` is what to ask; `kind` says which reason the caller must pass back.
    """

    def __init__(self, field: str | None, message: str, *, kind: str, question: str) -> None:
        super().__init__(field, message)
        self.kind = kind
        self.question = question

    def __reduce__(self):
        # kind and question are keyword-only, so pickling rebuilds from the state, not the args
        return (_rebuild_error, (type(self), self.args), self.__dict__)


class ComplianceGateError(ReasonRequiredError):
    """A partner's papers are missing or expired; `gaps` names each one (each has `.text`)."""

    def __init__(self, organisation_name: str, gaps: Sequence[_Described]) -> None:
        named = "; ".join(gap.text for gap in gaps)
        super().__init__(
            "organisation",
            f"{organisation_name} cannot carry contract risk: {named}. "
            "Going ahead needs an override reason.",
            kind="override",
            question=f"{organisation_name}: {named}. Why should it be added all the same?",
        )
        self.gaps = tuple(gaps)


def _rebuild_error(cls: type[DestaError], args: tuple) -> DestaError:
    return cls.__new__(cls, *args)


# --- database faults (issue 15: every fault is a sentence) ---------------------------------
# One subclass per thing a person can do about it; a handler that catches DatabaseError shows
# all of them, and may look at the subclass to offer "try again" or "restore a backup".


class DatabaseBusyError(DatabaseError):
    """Another program or desk kept the database busy past the busy timeout: try again."""


class DatabaseDamagedError(DatabaseError):
    """The file is damaged; `.newest_backup` names the newest backup that passed its check."""

    def __init__(self, message: str, newest_backup: str | None = None) -> None:
        super().__init__(message)
        self.newest_backup = newest_backup
        self.args = (message, newest_backup)


class DatabaseReadOnlyError(DatabaseError):
    """The database cannot be written here (file, folder or server permission)."""


class DatabaseFullError(DatabaseError):
    """The disk (or the server's disk) holding the database is full."""


class DatabaseUnavailableError(DatabaseError):
    """The file's disk or the database server stopped answering (disk I/O, connection lost)."""


# --- importing (services/importing) ---------------------------------------------------------


class ImportFileError(DestaError):
    """The file as a whole cannot be read (not its rows): wrong format, no header, unreadable,
    or past one of the importer's limits (rows, characters in a cell)."""


class ImportFailed(DestaError):
    """The header row itself is wrong: the problems, each with its line and column."""

    def __init__(self, problems: list[ImportRowError]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems
        self.args = (problems,)


# --- meetings ---------------------------------------------------------------------------------


class MinutesLockedError(ValidationError):
    """The minutes of a meeting were approved: a change is a correction and needs a reason."""

    def __init__(self, message: str) -> None:
        super().__init__("correction_reason", message)
        self.args = (message,)
