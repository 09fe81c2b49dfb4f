"""The columns each kind of import reads, and matching a file's header row to them."""

from __future__ import annotations

from dataclasses import dataclass

from desta_tui.domain.errors import ImportFailed, ImportFileError, ImportRowError

KINDS = ("organisations", "members", "contacts", "compliance", "targets", "returns")


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


@dataclass(frozen=True)
class HeaderMatch:
    """Which column of the file each column key is read from, and the headers left out."""

    positions: dict[str, int]  # column key -> index of the cell in a row
    headers: dict[str, str]  # column key -> header as written in the file
    ignored: list[str]


def match_header(kind: str, line: int, cells: list[str], file_name: str) -> HeaderMatch:
    """Match the header row (spreadsheet line `line`) to the columns of `kind`.

    Raises ImportFileError when the row is not a header at all, and ImportFailed (each problem
    with its line and column) when it is one with a column missing or repeated.
    """
    columns = COLUMNS[kind]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[ImportRowError] = []
    for index, header in enumerate(cells):
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
                ImportRowError(line, header, f"this column repeats {headers[column.key]!r}")
            )
            continue
        positions[column.key] = index
        headers[column.key] = header
    missing_required = any(c.required and c.key not in positions for c in columns)
    if not positions or (missing_required and len(ignored) > len(positions)):
        expected = ", ".join(c.label for c in columns)
        raise ImportFileError(
            f"line {line} of {file_name} is not a header row for {kind} "
            f"(expected columns such as {expected}); nothing was imported."
        )
    for column in columns:
        if column.required and column.key not in positions:
            problems.append(ImportRowError(line, column.label, "this column is missing"))
    if problems:
        raise ImportFailed(problems)
    return HeaderMatch(positions, headers, ignored)
