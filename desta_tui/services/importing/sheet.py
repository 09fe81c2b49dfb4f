"""Reading an import file: CSV as Excel saves it (its encoding and separator guessed) or XLSX."""

from __future__ import annotations

import csv
import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, NamedTuple

from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.errors import ImportFileError
from desta_tui.services.importing.columns import header_key, match_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SAVE_AS_TIP = "save it from Excel as “CSV UTF-8 (Comma delimited)” or as an Excel workbook (.xlsx)"

# Rows of data one file may hold (its header not counted): a hub's whole membership, or a
# year of returns for a large contract, fits; a file past it is refused rather than read on.
MAX_ROWS = 100_000
# Characters one cell may hold: what Python's csv module reads (Excel itself stops at 32,767).
MAX_CELL_CHARS = 131_072
# The last row a spreadsheet has: past it a file is mostly blank rows, or not a sheet at all.
MAX_LINES = 1_048_576
_SAMPLE_BYTES = 64 * 1024  # read first: the file's kind, its encoding's mark, its separator
_END_OF_FILE = "\x00end of file\x00"
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"


# --- reading files --------------------------------------------------------------------------


class SheetRow(NamedTuple):
    """One data row: the line a spreadsheet shows and its cells by column key (text, trimmed).
    (A tuple: a file has thousands, and a frozen dataclass costs three times as much.)"""

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


# --- limits: a file past them is refused with a sentence, before it can fill the memory --------


def _too_many_rows(name: str, line: int) -> ImportFileError:
    return ImportFileError(
        f"{name} holds more than {MAX_ROWS:,} rows of data (reading stopped at line {line}); "
        f"Desta imports at most {MAX_ROWS:,} rows at a time: split the file and import each "
        "part. Nothing was imported."
    )


def _too_many_lines(name: str) -> ImportFileError:
    return ImportFileError(
        f"{name} runs past line {MAX_LINES:,}, the last row a spreadsheet has (blank rows "
        "count too): remove the empty rows at its end, or split it. Nothing was imported."
    )


def _cell_too_long(
    name: str, line: int, length: int | None = None, *, quote_hint: bool = False
) -> ImportFileError:
    size = f"of {length:,} characters" if length else f"of more than {MAX_CELL_CHARS:,} characters"
    hint = ' If a quote (") opens on that line and never closes, close it.' if quote_hint else ""
    return ImportFileError(
        f"line {line} of {name} has a cell {size}; a cell may hold at most "
        f"{MAX_CELL_CHARS:,}.{hint} Nothing was imported."
    )


def _kept_rows(rows: Iterator[tuple[int, list[str]]], name: str) -> list[tuple[int, list[str]]]:
    """The rows with something in them, their cells trimmed and the formula guard undone;
    refused as soon as the file passes a limit, so a huge file is never read to its end."""
    kept: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        if line > MAX_LINES:
            raise _too_many_lines(name)
        if sum(map(len, cells)) > MAX_CELL_CHARS:
            longest = max(map(len, cells))
            if longest > MAX_CELL_CHARS:
                raise _cell_too_long(name, line, longest)
        trimmed = [cell.strip() for cell in cells]
        # the formula guard opens a cell with a quote: only such a cell is looked at again, and
        # only in a row with one (found at C speed: no cell holds a NUL, _csv_rows refuses it)
        joined = "\x00".join(trimmed)
        if joined[:1] == "'" or "\x00'" in joined:
            trimmed = [unneutralise(cell) if cell[:1] == "'" else cell for cell in trimmed]
        if not any(trimmed):
            continue
        if len(kept) > MAX_ROWS:  # the header and MAX_ROWS rows of data are already kept
            raise _too_many_rows(name, line)
        kept.append((line, trimmed))
    return kept


# --- CSV ------------------------------------------------------------------------------------


def _csv_rows(handle: Iterator[str], delimiter: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """The file's rows numbered as a spreadsheet numbers them: a quoted cell holding a line
    break is one row, though two lines of the file."""

    def lines() -> Iterator[str]:
        for text in handle:
            if "\x00" in text:
                raise ImportFileError(f"{name} is not a CSV file or workbook: {SAVE_AS_TIP}.")
            yield text
        # Past the last line: a quote left open swallows this into its cell, where it is seen;
        # the csv module would otherwise end the cell quietly and import the rest as its text.
        yield _END_OF_FILE

    reader = csv.reader(lines(), delimiter=delimiter)
    row = 0
    first_line = 1  # of the file, where the row being read starts
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise _cell_too_long(name, row + 1, quote_hint=True) from None
            raise ImportFileError(
                f"line {row + 1} of {name} cannot be read as CSV ({error}): {SAVE_AS_TIP}."
            ) from None
        row += 1
        if cells and cells[-1].endswith(_END_OF_FILE):
            if cells == [_END_OF_FILE]:
                return
            where = f"line {row}" + (
                f" (line {first_line} in a text editor)" if first_line != row else ""
            )
            raise ImportFileError(
                f'{where} of {name} opens a quote (") that never closes, so every line after '
                "it would be read into that one cell: close the quote, or save the file again "
                "from Excel. Nothing was imported."
            )
        yield row, cells
        first_line = reader.line_num + 1


def _encodings(head: bytes) -> list[tuple[str, str]]:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [("utf-16", "UTF-16")]
    # utf-8-sig first: Windows-1252 would also "decode" UTF-8 bytes, garbling every accent
    return [("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")]


def _first_byte_not_text(path: Path) -> int:
    """The place (from 1) of the first byte neither UTF-8 nor Windows-1252 reads: one of the
    five bytes Windows-1252 leaves undefined."""
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            found = [i for i in (chunk.find(bytes([b])) for b in _CP1252_UNDEFINED) if i >= 0]
            if found:
                return offset + min(found) + 1
            offset += len(chunk)
    return offset


def _csv_file_rows(path: Path, head: bytes) -> tuple[str, list[tuple[int, list[str]]]]:
    """The rows of a CSV file, read a line at a time in the first encoding that reads it all."""
    for encoding, label in _encodings(head):
        sample = head.decode(encoding, errors="ignore")
        if "\x00" in sample:
            raise ImportFileError(f"{path.name} is not a CSV file or workbook: {SAVE_AS_TIP}.")
        delimiter = guess_delimiter(sample)
        try:
            with path.open(encoding=encoding, newline="") as handle:
                rows = _kept_rows(_csv_rows(handle, delimiter, path.name), path.name)
        except UnicodeDecodeError:
            continue
        separator = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
        return f"CSV {label}, {separator}-separated", rows
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            f"{path.name} starts as UTF-16 text but cannot be read as it: {SAVE_AS_TIP}."
        )
    raise ImportFileError(
        f"{path.name} cannot be read as text (byte {_first_byte_not_text(path):,} is neither "
        f"UTF-8 nor Windows-1252): {SAVE_AS_TIP}."
    )


# --- XLSX -----------------------------------------------------------------------------------


def _xlsx_rows(path: Path, kind: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """The rows of the workbook's sheet for `kind` (else its active sheet), streamed: a huge
    sheet is stopped at the row limit, never held in memory whole."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(f"{path.name} is not a readable Excel workbook ({error}).") from None
    try:
        sheet = workbook.active
        for candidate in workbook.worksheets:
            if header_key(candidate.title) in (header_key(kind), header_key(kind.rstrip("s"))):
                sheet = candidate
                break
        if sheet is None or not hasattr(sheet, "iter_rows"):
            raise ImportFileError(f"{path.name} has no worksheet.")
        # the size a workbook states can be wrong: read every row there is, from A1
        sheet.reset_dimensions()
        rows = _kept_rows(_sheet_rows(sheet, path.name), path.name)
        return f"Excel workbook, sheet {sheet.title!r}", rows
    finally:
        workbook.close()


def _sheet_rows(sheet: Any, name: str) -> Iterator[tuple[int, list[str]]]:
    line = 0
    values_by_row = sheet.iter_rows(min_row=1, min_col=1, values_only=True)
    while True:
        try:
            values = next(values_by_row)
        except StopIteration:
            return
        except ValueError as error:
            if "integer string conversion" in str(error):
                raise ImportFileError(
                    f"{name} holds a number of more than {sys.get_int_max_str_digits():,} digits "
                    f"after line {line} of sheet {sheet.title!r}; no figure is that long: "
                    "correct the cell. Nothing was imported."
                ) from None
            raise _unreadable_sheet(name, sheet.title, line, error) from None
        except (KeyError, IndexError, TypeError, OSError, SyntaxError, zipfile.BadZipFile) as error:
            # SyntaxError: the XML parser's ParseError, for a sheet cut short or corrupted
            raise _unreadable_sheet(name, sheet.title, line, error) from None
        line += 1
        yield line, [cell_text(value) for value in values]


def _unreadable_sheet(name: str, title: str, line: int, error: Exception) -> ImportFileError:
    return ImportFileError(
        f"{name} cannot be read after line {line} of sheet {title!r} ({error}): {SAVE_AS_TIP}."
    )


# --- the file -------------------------------------------------------------------------------


def read_rows(path: Path, kind: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """The rows of the file with something in them, numbered as a spreadsheet shows them, their
    cells as trimmed text; and how the file was read ("CSV UTF-8, comma-separated"...)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SAMPLE_BYTES)
    except FileNotFoundError:
        raise ImportFileError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not a file.") from None
    except OSError as error:
        raise ImportFileError(f"{path} cannot be read: {error.strerror}.") from None
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_rows(path, kind)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(f"{path.name} is an old-style .xls workbook: {SAVE_AS_TIP}.")
    try:
        return _csv_file_rows(path, head)
    except OSError as error:
        raise ImportFileError(f"{path} cannot be read: {error.strerror}.") from None


def read_sheet(path: Path | str, kind: str) -> SheetData:
    """Read the file and match its header row to the columns of `kind`; raise for a bad file."""
    path = Path(path).expanduser()
    source, filled = read_rows(path, kind)
    if not filled:
        raise ImportFileError(f"{path.name} is empty: there is no header row and no data.")
    header_line, header_cells = filled[0]
    match = match_header(kind, header_line, header_cells, path.name)
    data_rows = []
    keys, indexes = list(match.positions), list(match.positions.values())
    width = max(indexes, default=-1) + 1
    for line, cells in filled[1:]:
        if len(cells) < width:  # a short row: the columns it stops before are blank
            cells = [*cells, *[""] * (width - len(cells))]
        # the row's matched cells picked at C speed (thousands of rows)
        values = dict(zip(keys, map(cells.__getitem__, indexes), strict=True))
        if any(values.values()):
            data_rows.append(SheetRow(line, values))
    return SheetData(source, match.headers, header_line, data_rows, match.ignored)
