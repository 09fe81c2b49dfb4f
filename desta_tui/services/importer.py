"""Import records from CSV (as Excel saves it) or XLSX: all or nothing, every bad row reported."""

from __future__ import annotations

import csv
import gc
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from pathlib import Path
from typing import Any

from peewee import IntegrityError

from desta_tui.db.database import db
from desta_tui.db.models import (
    Borough,
    ComplianceItem,
    Consortium,
    Contact,
    Contract,
    ContractPartner,
    Membership,
    Metric,
    MonthlyReturn,
    Organisation,
    OrganisationBorough,
    PeriodLock,
    RecordModel,
    Target,
)
from desta_tui.domain.choices import COMPLIANCE_KINDS, MEMBERSHIP_STATUSES, ORGANISATION_KINDS
from desta_tui.domain.dates import format_uk_date, parse_uk_date
from desta_tui.domain.errors import DestaError, ImportRowError, ValidationError
from desta_tui.domain.periods import parse_period
from desta_tui.domain.validation import (
    normalise_name,
    validate_charity_number,
    validate_choice,
    validate_company_number,
    validate_email,
    validate_phone,
    validate_postcode,
    validate_required,
)
from desta_tui.services.audit import (
    audit_text,
    create_record,
    create_records,
    insert_rows,
    read_ids,
    update_record,
    write_audit,
    write_audits,
)
from desta_tui.services.context import current_user, now, today
from desta_tui.services.search_index import refresh_search_texts, search_text_of

KINDS = ("organisations", "members", "contacts", "compliance", "targets", "returns")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SAVE_AS_TIP = "save it from Excel as “CSV UTF-8 (Comma delimited)” or as an Excel workbook (.xlsx)"


class ImportFileError(DestaError):
    """The file as a whole cannot be read (not its rows): wrong format, no header, unreadable."""


# --- columns --------------------------------------------------------------------------------


def header_key(text: str) -> str:
    """A header folded for matching: case, spaces, punctuation and a trailing "(£)" ignored."""
    return "".join(char for char in str(text).casefold() if char.isalnum())


@dataclass(frozen=True)
class Column:
    """A column the importer reads: its key, the header it exports under, other names for it."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def matches(self, header: str, *, exactly: bool = False) -> bool:
        """Whether `header` names this column: by its own label, or (not exactly) a synonym."""
        wanted = header_key(header)
        names = (self.key, self.label) if exactly else (self.key, self.label, *self.synonyms)
        return wanted in {header_key(name) for name in names}


ORG_NAMES = (
    "organisation",
    "organisation name",
    "organization",
    "organization name",
    "org",
    "member",
    "member name",
    "group",
    "charity name",
    "provider",
)
BOROUGHS = Column("boroughs", "Boroughs", ("borough", "area", "areas", "local authority"))
NOTES = Column("notes", "Notes", ("note", "comments", "comment"))

COLUMNS: dict[str, tuple[Column, ...]] = {
    "organisations": (
        Column("name", "Name", ORG_NAMES, required=True),
        Column("kind", "Kind", ("type", "organisation type", "legal form", "legal status")),
        Column("is_member", "Member", ("is member", "member?")),
        Column("is_commissioner", "Commissioner", ("is commissioner", "commissioner?")),
        Column(
            "charity_number",
            "Charity number",
            ("charity no", "charity reg", "reg charity no", "registered charity number"),
        ),
        Column(
            "company_number", "Company number", ("company no", "company reg", "companies house")
        ),
        Column("address", "Address", ("address 1", "street", "address line 1")),
        Column("postcode", "Postcode", ("post code", "zip")),
        BOROUGHS,
        Column("email", "Email", ("e-mail", "email address", "e-mail address")),
        Column("phone", "Phone", ("telephone", "tel", "phone number", "telephone number")),
        Column("website", "Website", ("web", "url", "web site", "www")),
        NOTES,
    ),
    "members": (
        Column("organisation", "Organisation", ORG_NAMES[1:] + ("name",), required=True),
        Column("consortium", "Consortium", ("network", "consortium name"), required=True),
        BOROUGHS,
        Column("status", "Status", ("membership status", "member status")),
        Column(
            "joined_on",
            "Joined",
            ("joined on", "date joined", "join date", "start date", "member since"),
        ),
        Column("left_on", "Left", ("left on", "date left", "leave date", "end date")),
        Column("has_board_seat", "Board seat", ("board", "on board", "board member")),
        Column("is_smg_member", "SMG member", ("smg", "service management group")),
        Column("has_vote", "Vote", ("voting", "has vote", "votes", "voting member")),
        NOTES,
    ),
    "contacts": (
        Column(
            "full_name", "Name", ("full name", "contact", "contact name", "person"), required=True
        ),
        Column("organisation", "Organisation", ORG_NAMES[1:], required=True),
        Column("role", "Role", ("job title", "title", "position")),
        Column("email", "Email", ("e-mail", "email address", "e-mail address")),
        Column("phone", "Phone", ("telephone", "tel", "mobile", "phone number")),
        Column("is_primary", "Primary", ("main contact", "primary contact", "is primary")),
        NOTES,
    ),
    "compliance": (
        Column("organisation", "Organisation", ORG_NAMES[1:], required=True),
        Column(
            "kind", "Kind", ("paper", "document", "type", "compliance item", "item"), required=True
        ),
        Column("reference", "Reference", ("ref", "policy number", "certificate", "number")),
        Column(
            "checked_on",
            "Checked",
            ("checked on", "date checked", "received", "issued", "start date"),
        ),
        Column(
            "expires_on",
            "Expires",
            ("expires on", "expiry", "expiry date", "renewal date", "end date", "valid until"),
        ),
        NOTES,
    ),
    "targets": (
        Column("contract", "Contract", ("contract title", "contract reference"), required=True),
        Column("partner", "Partner", ORG_NAMES + ("delivery partner",), required=True),
        Column("metric", "Metric", ("measure", "indicator", "metric code"), required=True),
        Column("period", "Period", ("month", "quarter"), required=True),
        Column("value", "Value", ("target", "figure", "number", "count"), required=True),
    ),
    "returns": (
        Column("contract", "Contract", ("contract title", "contract reference"), required=True),
        Column("partner", "Partner", ORG_NAMES + ("delivery partner",), required=True),
        Column("metric", "Metric", ("measure", "indicator", "metric code"), required=True),
        Column("period", "Period", ("month", "quarter"), required=True),
        Column("value", "Value", ("actual", "figure", "number", "count", "return"), required=True),
        Column("entered_by", "Entered by", ("by", "entered_by", "submitted by")),
        Column(
            "entered_at", "Entered at", ("entered", "submitted", "submitted at", "date entered")
        ),
        Column("correction_note", "Correction note", ("correction", "note", "notes", "comment")),
    ),
}

# Columns Desta's own exports carry that an import deliberately leaves alone.
KNOWN_UNUSED = {header_key(name) for name in ("Archived", "Last event", "Last event on")}


# --- reading files --------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    """One data row: the line a spreadsheet shows and its cells by column key (text, trimmed)."""

    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class SheetData:
    """A file read and its header matched: which header each column came from, and the rows."""

    source: str  # "CSV UTF-8, comma", "Excel workbook, sheet Members"...
    headers: dict[str, str]  # column key -> header as written in the file
    header_line: int
    rows: list[SheetRow]
    ignored: list[str]


def decode_text(data: bytes) -> tuple[str, str]:
    """The file's text and its encoding: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        # utf-8-sig first: Windows-1252 would also "decode" UTF-8 bytes, garbling every accent
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"The file cannot be read as text (byte {error.start + 1} is neither UTF-8 nor "
            f"Windows-1252): {SAVE_AS_TIP}."
        ) from None


def guess_delimiter(text: str) -> str:
    """Comma, semicolon (Excel in many European settings) or tab, from the first non-blank line."""
    for line in text.splitlines():
        if line.strip():
            outside = re.sub(r'"[^"]*"', "", line)
            counts = {sep: outside.count(sep) for sep in (",", ";", "\t")}
            best = max(counts, key=lambda sep: counts[sep])
            return best if counts[best] else ","
    return ","


def cell_text(value: Any) -> str:
    """An XLSX cell as the text a person would type: dates UK style, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return format_uk_date(value.date())
        return f"{format_uk_date(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return format_uk_date(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def unneutralise(text: str) -> str:
    """Undo export's formula guard: `'=SUM(A1)` read back is `=SUM(A1)`."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


def _xlsx_rows(path: Path, kind: str) -> tuple[str, list[tuple[int, list[str]]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise ImportFileError(f"{path.name} is not a readable Excel workbook ({error}).") from None
    try:
        sheet = workbook.active
        for candidate in workbook.worksheets:
            if header_key(candidate.title) in (header_key(kind), header_key(kind.rstrip("s"))):
                sheet = candidate
                break
        if sheet is None:
            raise ImportFileError(f"{path.name} has no worksheet.")
        rows = [
            (line, [cell_text(value) for value in values])
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        return f"Excel workbook, sheet {sheet.title!r}", rows
    finally:
        workbook.close()


def read_rows(path: Path, kind: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """Every row of the file with its line number, from CSV or XLSX, as text."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not a file.") from None
    except OSError as error:
        raise ImportFileError(f"{path} cannot be read: {error.strerror}.") from None
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(path, kind)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(f"{path.name} is an old-style .xls workbook: {SAVE_AS_TIP}.")
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise ImportFileError(f"{path.name} is not a CSV file or workbook: {SAVE_AS_TIP}.")
    delimiter = guess_delimiter(text)
    name = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    return f"CSV {encoding}, {name}-separated", list(_csv_rows(text, delimiter))


def read_sheet(path: Path | str, kind: str) -> SheetData:
    """Read the file and match its header row to the columns of `kind`; raise for a bad file."""
    path = Path(path).expanduser()
    columns = COLUMNS[kind]
    source, rows = read_rows(path, kind)
    filled = [(line, [unneutralise(c.strip()) for c in cells]) for line, cells in rows]
    filled = [(line, cells) for line, cells in filled if any(cells)]
    if not filled:
        raise ImportFileError(f"{path.name} is empty: there is no header row and no data.")
    header_line, header_cells = filled[0]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[ImportRowError] = []
    for index, header in enumerate(header_cells):
        if not header:
            continue
        # a column's own name wins over another column's synonym ("Member" in organisations)
        column = next((c for c in columns if c.matches(header, exactly=True)), None) or next(
            (c for c in columns if c.matches(header)), None
        )
        if column is None:
            if header_key(header) not in KNOWN_UNUSED:
                ignored.append(header)
            continue
        if column.key in positions:
            problems.append(
                ImportRowError(header_line, header, f"this column repeats {headers[column.key]!r}")
            )
            continue
        positions[column.key] = index
        headers[column.key] = header
    missing_required = any(c.required and c.key not in positions for c in columns)
    if not positions or (missing_required and len(ignored) > len(positions)):
        expected = ", ".join(c.label for c in columns)
        raise ImportFileError(
            f"line {header_line} of {path.name} is not a header row for {kind} "
            f"(expected columns such as {expected}); nothing was imported."
        )
    for column in columns:
        if column.required and column.key not in positions:
            problems.append(ImportRowError(header_line, column.label, "this column is missing"))
    if problems:
        raise ImportFailed(problems)
    data_rows = []
    for line, cells in filled[1:]:
        values = {
            key: (cells[index] if index < len(cells) else "") for key, index in positions.items()
        }
        if any(values.values()):
            data_rows.append(SheetRow(line, values))
    return SheetData(source, headers, header_line, data_rows, ignored)


class ImportFailed(DestaError):
    """The header itself is wrong: the problems, each with its line and column."""

    def __init__(self, problems: list[ImportRowError]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


# --- parsing cells --------------------------------------------------------------------------

_TRUE = {"yes", "y", "true", "t", "1", "x", "✓", "✔", "on"}
_FALSE = {"no", "n", "false", "f", "0", "", "off", "-"}


def parse_yes_no(text: str, field_name: str) -> bool:
    folded = text.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValidationError(field_name, f"{text!r} is not yes or no")


def parse_count(text: str, field_name: str) -> int:
    """A whole number of people or sessions: `1,234` is accepted, `12.5` and `-3` are not."""
    raw = text.strip()
    if "?" in raw:
        raise ValidationError(
            field_name,
            f"{raw!r} is not a number (a “?” usually means Excel lost a character: {SAVE_AS_TIP})",
        )
    compact = raw.replace(",", "").replace(" ", "")
    if re.fullmatch(r"\d+(\.0+)?", compact):
        value = int(compact.split(".")[0])
        if value > 10**12:
            raise ValidationError(field_name, f"{raw!r} is too large")
        return value
    if re.fullmatch(r"[-\u2212]\d+", compact):
        raise ValidationError(field_name, f"{raw!r} is negative: a figure cannot be below 0")
    raise ValidationError(field_name, f"{raw!r} is not a whole number")


def parse_timestamp(text: str, field_name: str) -> datetime:
    """`05/11/2012 10:30` (or just a date) as a datetime."""
    raw = text.strip()
    match = re.fullmatch(r"(.+?)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?", raw)
    day_text = match[1] if match else raw
    day = parse_uk_date(day_text, field_name, today())
    if not match:
        return datetime.combine(day, time(0, 0))
    hour, minute, second = int(match[2]), int(match[3]), int(match[4] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValidationError(field_name, f"{raw!r} has no such time of day")
    return datetime(day.year, day.month, day.day, hour, minute, second)


class RowReader:
    """The cells of one row, parsed with every problem kept against its line and column."""

    def __init__(self, row: SheetRow, headers: dict[str, str], parsed: dict | None = None) -> None:
        self.row = row
        self.headers = headers
        self.errors: list[ImportRowError] = []
        # (column, text) -> value or ValidationError, shared by an import's rows: a column is
        # always parsed the same way, and a long file repeats its months, dates and figures
        self.parsed = {} if parsed is None else parsed

    @property
    def line(self) -> int:
        return self.row.line

    def has(self, key: str) -> bool:
        return key in self.headers

    def fail(self, key: str | None, message: str) -> None:
        column = self.headers.get(key, key) if key else None
        self.errors.append(ImportRowError(self.line, column, message))

    def text(self, key: str) -> str:
        return self.row.cells.get(key, "")

    def parse(
        self,
        key: str,
        parser: Callable[[str, str], Any],
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        """The parsed cell; blank gives `default` (or a "required" error); a bad one an error."""
        raw = self.text(key)
        if not raw.strip():
            if required:
                label = self.headers.get(key, key)
                self.fail(key, f"{label} is required")
            return default
        outcome = self.parsed.get((key, raw), self.parsed)
        if outcome is self.parsed:
            try:
                outcome = parser(raw, key)
            except ValidationError as error:
                outcome = error
            self.parsed[(key, raw)] = outcome
        if isinstance(outcome, ValidationError):
            self.fail(key, outcome.message)
            return default
        return outcome


def _choice(vocabulary) -> Callable[[str, str], str]:
    return lambda text, key: validate_choice(text, vocabulary, key)


def _date(text: str, key: str) -> date:
    return parse_uk_date(text, key, today())


def _plain(text: str, key: str) -> str:
    return text.strip()


# --- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
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


class PendingOrganisation:
    """An organisation this import creates on an earlier row, filled in when it is written."""

    def __init__(self, name_key: str) -> None:
        self.name_key = name_key


@dataclass
class Step:
    """One write the import makes: create `model` with values, or change `existing`."""

    model: type[RecordModel]
    values: dict[str, Any]
    existing: RecordModel | None = None
    boroughs: list[Borough] | None = None
    new_key: str | None = None  # set when this step creates an organisation others refer to


@dataclass
class Planned:
    outcome: RowOutcome
    steps: list[Step] = field(default_factory=list)


class _LiveOrganisations:
    """The hub's live organisations by name key. The keys are read at once; the records only
    when a row first names one of them, and then all together: a file of new organisations
    never builds the hub's thousands of records."""

    def __init__(self) -> None:
        query = Organisation.select(Organisation.name_key).where(Organisation.archived_at.is_null())
        self._keys = {key for (key,) in query.tuples()}
        self._records: dict[str, Organisation] | None = None

    def __contains__(self, name_key: str) -> bool:
        return name_key in self._keys

    def __getitem__(self, name_key: str) -> Organisation:
        found = self.get(name_key)
        if found is None:
            raise KeyError(name_key)
        return found

    def get(self, name_key: str) -> Organisation | None:
        if name_key not in self._keys:
            return None
        if self._records is None:
            query = Organisation.select().where(Organisation.archived_at.is_null())
            self._records = {o.name_key: o for o in query}
        return self._records.get(name_key)


class Lookups:
    """Existing records by the names a file uses for them, each kind loaded once per import
    when a row first needs it."""

    def __init__(self) -> None:
        self.boroughs = {normalise_name(b.name): b for b in Borough.select()}
        self.consortia: dict[str, Consortium] = {}
        for consortium in Consortium.select().where(Consortium.archived_at.is_null()):
            self.consortia[normalise_name(consortium.name)] = consortium
            if consortium.short_name:
                self.consortia.setdefault(normalise_name(consortium.short_name), consortium)
        self.pending: dict[str, int] = {}  # name_key -> line creating it
        self.seen: dict[tuple, int] = {}  # record key -> first line naming it
        self._contracts: dict[str, Contract] | None = None
        self._metrics: dict[str, Metric] | None = None
        self._partners: dict[tuple[int, str], ContractPartner] | None = None
        self._locks: set[tuple[int, str]] | None = None
        self._borough_names: dict[int, list[str]] = {}
        self._keys: dict[str, str] = {}
        # who imports and when: a figure entered without them in the file is entered by the import
        self.who = current_user()
        self.started_at = now()
        self._figures: dict[tuple[type, str], dict[tuple[int, int], RecordModel]] = {}

    @cached_property
    def organisations(self) -> _LiveOrganisations:
        return _LiveOrganisations()

    @cached_property
    def archived_organisations(self) -> dict[str, Organisation]:
        query = Organisation.select().where(Organisation.archived_at.is_null(False))
        return {o.name_key: o for o in query}

    def key(self, text: str) -> str:
        """`normalise_name(text)`, remembered: a file names the same few things on every row."""
        if text not in self._keys:
            self._keys[text] = normalise_name(text)
        return self._keys[text]

    def figure(
        self, model: type[Target] | type[MonthlyReturn], partner: ContractPartner, metric, period
    ) -> RecordModel | None:
        """The target or return already there for the partner, metric and month (archived
        too), read a month at a time."""
        if (model, period) not in self._figures:
            self._figures[(model, period)] = {
                (row.partner_id, row.metric_id): row
                for row in model.select().where(model.period == period)
            }
        return self._figures[(model, period)].get((partner.id, metric.id))

    def organisation(
        self, reader: RowReader, key: str
    ) -> Organisation | PendingOrganisation | None:
        name = reader.text(key)
        if not name:
            return None
        name_key = normalise_name(name)
        if name_key in self.organisations:
            return self.organisations[name_key]
        if name_key in self.pending:
            return PendingOrganisation(name_key)
        if name_key in self.archived_organisations:
            reader.fail(key, f"{name!r} is archived: restore it first")
        else:
            reader.fail(key, f"there is no organisation called {name!r}")
        return None

    def borough_list(self, reader: RowReader) -> list[Borough] | None:
        if not reader.has("boroughs") or not reader.text("boroughs"):
            return None
        found = []
        for name in re.split(r"[;,/\n]", reader.text("boroughs")):
            if not name.strip():
                continue
            borough = self.boroughs.get(self.key(name))
            if borough is None:
                reader.fail("boroughs", f"there is no borough called {name.strip()!r}")
            elif borough not in found:
                found.append(borough)
        return sorted(found, key=lambda b: b.name)

    def boroughs_of(self, organisation: Organisation) -> list[str]:
        if organisation.id not in self._borough_names:
            self._borough_names[organisation.id] = sorted(
                b.name
                for b in Borough.select()
                .join(OrganisationBorough)
                .where(OrganisationBorough.organisation == organisation)
            )
        return self._borough_names[organisation.id]

    def contract(self, reader: RowReader) -> Contract | None:
        if self._contracts is None:
            self._contracts = {}
            for contract in Contract.select().where(Contract.archived_at.is_null()):
                self._contracts.setdefault(normalise_name(contract.title), contract)
                if contract.reference:
                    self._contracts.setdefault(normalise_name(contract.reference), contract)
        name = reader.text("contract")
        if not name:
            return None
        contract = self._contracts.get(self.key(name))
        if contract is None:
            reader.fail("contract", f"there is no contract called {name!r}")
        return contract

    def metric(self, reader: RowReader) -> Metric | None:
        if self._metrics is None:
            self._metrics = {}
            for metric in Metric.select().where(Metric.archived_at.is_null()):
                self._metrics.setdefault(normalise_name(metric.code), metric)
                self._metrics.setdefault(normalise_name(metric.code.replace("_", " ")), metric)
                self._metrics.setdefault(normalise_name(metric.name), metric)
        name = reader.text("metric")
        if not name:
            return None
        metric = self._metrics.get(self.key(name))
        if metric is None:
            reader.fail("metric", f"there is no metric called {name!r}")
        return metric

    def partner(self, reader: RowReader, contract: Contract | None) -> ContractPartner | None:
        if self._partners is None:
            self._partners = {}
            # with the contract too: the history names a partner "organisation on contract"
            query = (
                ContractPartner.select(ContractPartner, Organisation, Contract)
                .join(Organisation)
                .switch(ContractPartner)
                .join(Contract)
                .where(ContractPartner.archived_at.is_null())
            )
            for partner in query:
                self._partners[(partner.contract_id, partner.organisation.name_key)] = partner
        name = reader.text("partner")
        if not name or contract is None:
            return None
        partner = self._partners.get((contract.id, self.key(name)))
        if partner is None:
            reader.fail("partner", f"{name!r} is not a partner in {contract.title!r}")
        return partner

    def is_locked(self, contract: Contract, period: str) -> bool:
        if self._locks is None:
            self._locks = {
                (lock.contract_id, lock.period)
                for lock in PeriodLock.select().where(PeriodLock.archived_at.is_null())
            }
        return (contract.id, period) in self._locks

    def first_line(self, key: tuple, reader: RowReader, column: str, what: str) -> bool:
        """Refuse a second row for the same record; True when this row is the first."""
        if key in self.seen:
            reader.fail(column, f"{what} is already on line {self.seen[key]} of this file")
            return False
        self.seen[key] = reader.line
        return True


def _differences(existing: RecordModel, values: dict[str, Any]) -> list[str]:
    changes = []
    for name, new in values.items():
        old = getattr(existing, name)
        if isinstance(new, PendingOrganisation):
            continue
        if audit_text(name, old) != audit_text(name, new):
            label = name.replace("_", " ").removesuffix(" on").removeprefix("is ")
            changes.append(
                f"{label}: {audit_text(name, old) or '(blank)'} → "
                f"{audit_text(name, new) or '(blank)'}"
            )
    return changes


def _outcome_for(
    reader: RowReader,
    label: str,
    model: type[RecordModel],
    existing: RecordModel | None,
    values: dict[str, Any],
    update: bool,
    *,
    boroughs: list[Borough] | None = None,
    old_boroughs: list[str] | None = None,
    new_key: str | None = None,
) -> Planned:
    if existing is None:
        step = Step(model, values, boroughs=boroughs, new_key=new_key)
        return Planned(RowOutcome(reader.line, "create", label), [step])
    changes = _differences(existing, values)
    borough_names = [b.name for b in boroughs] if boroughs is not None else None
    if borough_names is not None and borough_names != old_boroughs:
        changes.append(
            f"boroughs: {'; '.join(old_boroughs or []) or '(none)'} → "
            f"{'; '.join(borough_names) or '(none)'}"
        )
    if not changes:
        return Planned(RowOutcome(reader.line, "unchanged", label))
    if not update:
        return Planned(RowOutcome(reader.line, "exists", label, tuple(changes)))
    changed_values = {
        name: value
        for name, value in values.items()
        if audit_text(name, getattr(existing, name)) != audit_text(name, value)
    }
    keep_boroughs = boroughs if borough_names != old_boroughs else None
    step = Step(model, changed_values, existing=existing, boroughs=keep_boroughs)
    return Planned(RowOutcome(reader.line, "update", label, tuple(changes)), [step])


def _given(reader: RowReader, values: dict[str, Any]) -> dict[str, Any]:
    """Only the columns the file has: a column left out of the file never blanks a field."""
    return {name: value for name, value in values.items() if reader.has(name)}


def _validated(reader: RowReader, key: str, validator: Callable[[str, str], str]) -> str:
    try:
        return validator(reader.text(key), key)
    except ValidationError as error:
        reader.fail(key, error.message)
        return ""


def plan_organisation(reader: RowReader, lookups: Lookups, update: bool) -> Planned | None:
    name = _validated(reader, "name", lambda text, key: validate_required(text, key, "Name"))
    name_key = normalise_name(name)
    values = _given(
        reader,
        {
            "name": name,
            "kind": reader.parse("kind", _choice(ORGANISATION_KINDS), default="charity"),
            "is_member": reader.parse("is_member", parse_yes_no, default=False),
            "is_commissioner": reader.parse("is_commissioner", parse_yes_no, default=False),
            "charity_number": _validated(reader, "charity_number", validate_charity_number),
            "company_number": _validated(reader, "company_number", validate_company_number),
            "address": reader.text("address"),
            "postcode": _validated(reader, "postcode", validate_postcode),
            "email": _validated(reader, "email", validate_email),
            "phone": _validated(reader, "phone", validate_phone),
            "website": reader.text("website"),
            "notes": reader.text("notes"),
        },
    )
    values["name"] = name
    boroughs = lookups.borough_list(reader)
    if not name or not lookups.first_line(("organisation", name_key), reader, "name", repr(name)):
        return None
    if name_key in lookups.archived_organisations:
        reader.fail("name", f"{name!r} is archived: restore it in Members before importing it")
    if reader.errors:
        return None
    existing = lookups.organisations.get(name_key)
    if existing is None:
        values["name_key"] = name_key
        lookups.pending[name_key] = reader.line
    else:
        # the name matched the record: keep the hub's own spelling, not the sheet's capitals
        values.pop("name")
    old = lookups.boroughs_of(existing) if existing else None
    return _outcome_for(
        reader,
        name,
        Organisation,
        existing,
        values,
        update,
        boroughs=boroughs,
        old_boroughs=old,
        new_key=name_key if existing is None else None,
    )


def plan_member(reader: RowReader, lookups: Lookups, update: bool) -> Planned | None:
    name = _validated(
        reader, "organisation", lambda text, key: validate_required(text, key, "Organisation")
    )
    consortium_name = reader.text("consortium")
    consortium = lookups.consortia.get(normalise_name(consortium_name))
    if consortium_name and consortium is None:
        reader.fail("consortium", f"there is no consortium called {consortium_name!r}")
    elif not consortium_name:
        reader.fail("consortium", f"{reader.headers['consortium']} is required")
    values = _given(
        reader,
        {
            "status": reader.parse("status", _choice(MEMBERSHIP_STATUSES), default="active"),
            "joined_on": reader.parse("joined_on", _date),
            "left_on": reader.parse("left_on", _date),
            "has_board_seat": reader.parse("has_board_seat", parse_yes_no, default=False),
            "is_smg_member": reader.parse("is_smg_member", parse_yes_no, default=False),
            "has_vote": reader.parse("has_vote", parse_yes_no, default=True),
            "notes": reader.text("notes"),
        },
    )
    if (
        values.get("joined_on")
        and values.get("left_on")
        and values["left_on"] < values["joined_on"]
    ):
        reader.fail("left_on", "the date left is before the date joined")
    boroughs = lookups.borough_list(reader)
    name_key = normalise_name(name)
    if name_key in lookups.archived_organisations:
        reader.fail("organisation", f"{name!r} is archived: restore it in Members first")
    if not name or consortium is None:
        return None
    if not lookups.first_line(
        ("member", name_key, consortium.id),
        reader,
        "organisation",
        f"{name!r} in {consortium.name}",
    ):
        return None
    if reader.errors:
        return None
    label = f"{name} in {consortium.short_name or consortium.name}"
    organisation = lookups.organisations.get(name_key)
    steps: list[Step] = []
    if organisation is None and name_key not in lookups.pending:
        # a member the hub has not met yet: the organisation comes with its membership
        lookups.pending[name_key] = reader.line
        steps.append(
            Step(
                Organisation,
                {"name": name, "name_key": name_key, "is_member": True},
                boroughs=boroughs,
                new_key=name_key,
            )
        )
        boroughs = None
    org_ref = organisation if organisation is not None else PendingOrganisation(name_key)
    existing = None
    if organisation is not None:
        existing = Membership.get_or_none(
            (Membership.organisation == organisation) & (Membership.consortium == consortium)
        )
    membership = {"organisation": org_ref, "consortium": consortium, **values}
    if existing is not None:
        membership.pop("organisation")
        membership.pop("consortium")
        if existing.archived_at is not None:
            reader.fail("organisation", f"{label}: that membership is archived; restore it first")
            return None
    planned = _outcome_for(reader, label, Membership, existing, membership, update)
    if organisation is not None and boroughs is not None:
        old = lookups.boroughs_of(organisation)
        if [b.name for b in boroughs] != old:
            change = (
                f"boroughs: {'; '.join(old) or '(none)'} → {'; '.join(b.name for b in boroughs)}"
            )
            action = planned.outcome.action
            if action == "unchanged":
                action = "update" if update else "exists"
            if update:
                planned.steps.append(
                    Step(Organisation, {}, existing=organisation, boroughs=boroughs)
                )
            planned.outcome = RowOutcome(
                reader.line, action, label, (*planned.outcome.changes, change)
            )
    planned.steps[:0] = steps
    return planned


def plan_contact(reader: RowReader, lookups: Lookups, update: bool) -> Planned | None:
    full_name = _validated(
        reader, "full_name", lambda text, key: validate_required(text, key, "Name")
    )
    organisation = lookups.organisation(reader, "organisation")
    values = _given(
        reader,
        {
            "role": reader.text("role"),
            "email": _validated(reader, "email", validate_email),
            "phone": _validated(reader, "phone", validate_phone),
            "is_primary": reader.parse("is_primary", parse_yes_no, default=False),
            "notes": reader.text("notes"),
        },
    )
    if not full_name or organisation is None or reader.errors:
        return None
    org_key = organisation.name_key
    if not lookups.first_line(
        ("contact", org_key, normalise_name(full_name)), reader, "full_name", repr(full_name)
    ):
        return None
    existing = None
    if isinstance(organisation, Organisation):
        for contact in Contact.select().where(
            (Contact.organisation == organisation) & Contact.erased_at.is_null()
        ):
            if normalise_name(contact.full_name) == normalise_name(full_name):
                existing = contact
                break
    if existing is not None and existing.archived_at is not None:
        reader.fail("full_name", f"{full_name!r} is archived: restore the contact first")
        return None
    label = f"{full_name} ({organisation.name if isinstance(organisation, Organisation) else ''})"
    if existing is None:
        values = {"full_name": full_name, "organisation": organisation, **values}
    return _outcome_for(reader, label.replace(" ()", ""), Contact, existing, values, update)


def plan_compliance(reader: RowReader, lookups: Lookups, update: bool) -> Planned | None:
    organisation = lookups.organisation(reader, "organisation")
    kind = reader.parse("kind", _choice(COMPLIANCE_KINDS), required=True)
    values = _given(
        reader,
        {
            "reference": reader.text("reference"),
            "checked_on": reader.parse("checked_on", _date),
            "expires_on": reader.parse("expires_on", _date),
            "notes": reader.text("notes"),
        },
    )
    checked, expires = values.get("checked_on"), values.get("expires_on")
    if checked and expires and expires < checked:
        reader.fail("expires_on", "the expiry date is before the date it was checked")
    if organisation is None or kind is None or reader.errors:
        return None
    reference = values.get("reference", "")
    key = ("compliance", organisation.name_key, kind, normalise_name(reference))
    what = f"{COMPLIANCE_KINDS.label(kind)} {reference!r}".replace(" ''", "")
    if not lookups.first_line(key, reader, "kind", what):
        return None
    existing = None
    if isinstance(organisation, Organisation):
        for item in ComplianceItem.select().where(
            (ComplianceItem.organisation == organisation)
            & (ComplianceItem.kind == kind)
            & ComplianceItem.archived_at.is_null()
        ):
            if normalise_name(item.reference) == normalise_name(reference):
                existing = item
                break
    values = {"kind": kind, **values}
    if existing is None:
        values["organisation"] = organisation
    name = (
        organisation.name if isinstance(organisation, Organisation) else reader.text("organisation")
    )
    return _outcome_for(reader, f"{name}: {what}", ComplianceItem, existing, values, update)


def _plan_figure(
    model: type[Target] | type[MonthlyReturn], reader: RowReader, lookups: Lookups, update: bool
) -> Planned | None:
    contract = lookups.contract(reader)
    partner = lookups.partner(reader, contract)
    metric = lookups.metric(reader)
    period = reader.parse("period", lambda text, key: parse_period(text, key).key, required=True)
    value = reader.parse("value", parse_count, required=True)
    extra: dict[str, Any] = {}
    if model is MonthlyReturn:
        extra = _given(
            reader,
            {
                "entered_by": reader.text("entered_by"),
                "entered_at": reader.parse("entered_at", parse_timestamp),
                "correction_note": reader.text("correction_note"),
            },
        )
    if None in (contract, partner, metric, period, value) or reader.errors:
        return None
    key = (model.__name__, partner.id, metric.id, period)
    label = f"{contract.title} · {partner.organisation.name} · {metric.code} · {period}"
    if not lookups.first_line(key, reader, "metric", label):
        return None
    existing = lookups.figure(model, partner, metric, period)
    if existing is not None and existing.archived_at is not None:
        reader.fail("period", f"{label} is archived: restore it first")
        return None
    values = {"value": value, **extra}
    if existing is None:
        values.update(contract=contract, partner=partner, metric=metric, period=period)
        if model is MonthlyReturn:
            values["entered_by"] = values.get("entered_by") or lookups.who
            values["entered_at"] = values.get("entered_at") or lookups.started_at
    elif model is MonthlyReturn:
        # who entered the figure is history, not data to overwrite from a file
        values.pop("entered_by", None)
        values.pop("entered_at", None)
    planned = _outcome_for(reader, label, model, existing, values, update)
    if model is MonthlyReturn and planned.steps and lookups.is_locked(contract, period):
        # a locked month has been reported to the commissioner: it changes only once unlocked
        reader.fail(
            "period", f"{period} is locked for {contract.title}: unlock it to change returns"
        )
        return None
    return planned


PLANNERS: dict[str, Callable[[RowReader, Lookups, bool], Planned | None]] = {
    "organisations": plan_organisation,
    "members": plan_member,
    "contacts": plan_contact,
    "compliance": plan_compliance,
    "targets": lambda reader, lookups, update: _plan_figure(Target, reader, lookups, update),
    "returns": lambda reader, lookups, update: _plan_figure(MonthlyReturn, reader, lookups, update),
}


def plan_rows(
    kind: str, sheet: SheetData, update: bool
) -> tuple[list[Planned], list[ImportRowError]]:
    """What each row would do, and every problem, without writing anything."""
    lookups = Lookups()
    planner = PLANNERS[kind]
    planned: list[Planned] = []
    errors: list[ImportRowError] = []
    parsed: dict = {}
    for row in sheet.rows:
        reader = RowReader(row, sheet.headers, parsed)
        result = planner(reader, lookups, update)
        if reader.errors:
            errors.extend(reader.errors)
        elif result is not None:
            planned.append(result)
    return planned, errors


# --- writing --------------------------------------------------------------------------------


class _Rollback(Exception):
    """Raised inside the transaction to undo every write when a row fails as it is written."""

    def __init__(self, error: ImportRowError) -> None:
        super().__init__(str(error))
        self.error = error


def _set_boroughs(organisation: Organisation, boroughs: list[Borough], *, is_new: bool) -> None:
    old = sorted(
        b.name
        for b in Borough.select()
        .join(OrganisationBorough)
        .where(OrganisationBorough.organisation == organisation)
    )
    new = sorted(b.name for b in boroughs)
    if old == new:
        return
    OrganisationBorough.delete().where(OrganisationBorough.organisation == organisation).execute()
    for borough in boroughs:
        OrganisationBorough.create(organisation=organisation, borough=borough)
    write_audit(
        organisation,
        "create" if is_new else "update",
        "boroughs",
        "; ".join(old) or None,
        "; ".join(new),
    )


def _in_bulk(step: Step) -> bool:
    """A new record: it can be written together with the ones like it."""
    return step.existing is None


def _create_in_bulk(
    model: type[RecordModel], batch: list[tuple[int, dict[str, Any]]]
) -> list[RecordModel]:
    """Create the batch's records at once; if the database refuses one, find which line's."""
    try:
        with db.atomic():
            return create_records(model, [values for _line, values in batch])
    except IntegrityError:
        pass
    records = []
    for line, values in batch:
        try:
            with db.atomic():
                records.append(create_record(model, **values))
        except IntegrityError as error:
            raise _Rollback(
                ImportRowError(line, None, f"the database refused it: {error}")
            ) from None
    return records


def _create_organisations(steps: list[tuple[int, Step]]) -> dict[str, Organisation]:
    """Create new organisations at once, with their boroughs (and that history) and their
    search text; the organisations by the name key later rows know them by."""
    batch = []
    for line, step in steps:
        boroughs = [borough.name for borough in step.boroughs or ()]
        # a new organisation has no contacts yet: its name and boroughs are all it is found by
        batch.append(
            (
                line,
                {**step.values, "search_text": search_text_of(step.values["name"], boroughs, ())},
            )
        )
    organisations = _create_in_bulk(Organisation, batch)
    read_ids(Organisation, [org for org in organisations if org.id is None])
    links, history = [], []
    for (_line, step), organisation in zip(steps, organisations, strict=True):
        if step.boroughs:
            links += [(organisation.id, borough.id) for borough in step.boroughs]
            names = "; ".join(sorted(borough.name for borough in step.boroughs))
            history.append(
                (
                    Organisation._meta.table_name,
                    organisation.uuid,
                    organisation.display_name(),
                    "create",
                    "boroughs",
                    None,
                    names,
                )
            )
    insert_rows(OrganisationBorough, ["organisation_id", "borough_id"], links)
    write_audits(history)
    return {step.new_key: org for (_line, step), org in zip(steps, organisations, strict=True)}


def _apply(planned: list[Planned]) -> None:
    steps = [(item.outcome.line, step) for item in planned for step in item.steps]
    new_organisations = [
        (line, step) for line, step in steps if step.model is Organisation and _in_bulk(step)
    ]
    # written first, so that later rows' records can refer to them by id
    created = _create_organisations(new_organisations) if new_organisations else {}
    touched_orgs: dict[int, Organisation] = {}
    batch: list[tuple[int, dict[str, Any]]] = []
    batch_model: type[RecordModel] | None = None
    for line, step in steps:
        if step.model is Organisation and _in_bulk(step):
            continue
        values = {
            name: created[value.name_key] if isinstance(value, PendingOrganisation) else value
            for name, value in step.values.items()
        }
        in_bulk = _in_bulk(step)
        if batch and (not in_bulk or step.model is not batch_model):
            _create_in_bulk(batch_model, batch)
            batch = []
        if step.model is Contact:
            # the members filter matches contacts' names too
            organisation = values.get("organisation") or step.existing.organisation
            touched_orgs[organisation.id] = organisation
        if in_bulk:
            batch_model = step.model
            batch.append((line, values))
            continue
        try:
            if step.existing is None:
                record = create_record(step.model, **values)
            else:
                record = step.existing
                if values:
                    update_record(record, **values)
        except IntegrityError as error:
            raise _Rollback(
                ImportRowError(line, None, f"the database refused it: {error}")
            ) from None
        if step.new_key is not None:
            created[step.new_key] = record
        if isinstance(record, Organisation):
            if step.boroughs is not None:
                _set_boroughs(record, step.boroughs, is_new=step.existing is None)
            touched_orgs[record.id] = record
    if batch:
        _create_in_bulk(batch_model, batch)
    # the members filter matches names, boroughs and contacts: keep it in step
    refresh_search_texts(list(touched_orgs.values()))


def import_file(
    kind: str, path: Path | str, *, update: bool = False, dry_run: bool = False
) -> ImportReport:
    """Import `path` as `kind`: every row or none; a report of what was (or would be) done.

    A bad file raises ImportFileError; bad rows come back in `report.errors`, with nothing
    written. Planning and writing share one transaction, so no other program's change can
    slip in between the check and the write.
    """
    if kind not in COLUMNS:
        raise DestaError(f"Desta cannot import {kind!r}; choose one of {', '.join(KINDS)}.")
    path = Path(path).expanduser()
    with _collector_paused():
        return _import_sheet(kind, path, update, dry_run)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while a file is read, checked and written: the tens of
    thousands of small objects an import keeps until it ends would be walked over and over
    (a tenth of a 20,000-row import's time) with next to nothing among them to free."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import_sheet(kind: str, path: Path, update: bool, dry_run: bool) -> ImportReport:
    try:
        sheet = read_sheet(path, kind)
    except ImportFailed as failed:
        return ImportReport(kind, path, "", (), tuple(failed.problems), (), update, dry_run, False)

    def report(planned: list[Planned], errors: list[ImportRowError], written: bool) -> ImportReport:
        return ImportReport(
            kind,
            path,
            sheet.source,
            tuple(p.outcome for p in planned),
            tuple(errors),
            tuple(sheet.ignored),
            update,
            dry_run,
            written,
        )

    if dry_run:
        planned, errors = plan_rows(kind, sheet, update)
        return report(planned, errors, False)
    try:
        with db.atomic():
            planned, errors = plan_rows(kind, sheet, update)
            if errors:
                return report(planned, errors, False)
            _apply(planned)
    except _Rollback as rollback:
        return report([], [rollback.error], False)
    return report(planned, [], True)


def preview_import(kind: str, path: Path | str, *, update: bool = False) -> ImportReport:
    """What importing would do, writing nothing (the app's preview, the CLI's --dry-run)."""
    return import_file(kind, path, update=update, dry_run=True)
