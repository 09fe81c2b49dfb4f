"""Reading an import file: CSV as Excel saves it (its encoding and separator guessed) or XLSX."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import ImportFileError
from desta_tui.services.importing.columns import header_key, match_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SAVE_AS_TIP = "save it from Excel as “CSV UTF-8 (Comma delimited)” or as an Excel workbook (.xlsx)"


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
    source, rows = read_rows(path, kind)
    filled = [(line, [unneutralise(c.strip()) for c in cells]) for line, cells in rows]
    filled = [(line, cells) for line, cells in filled if any(cells)]
    if not filled:
        raise ImportFileError(f"{path.name} is empty: there is no header row and no data.")
    header_line, header_cells = filled[0]
    match = match_header(kind, header_line, header_cells, path.name)
    data_rows = []
    for line, cells in filled[1:]:
        values = {
            key: (cells[index] if index < len(cells) else "")
            for key, index in match.positions.items()
        }
        if any(values.values()):
            data_rows.append(SheetRow(line, values))
    return SheetData(source, match.headers, header_line, data_rows, match.ignored)
