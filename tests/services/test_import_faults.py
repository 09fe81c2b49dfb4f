"""Importing files that are wrong in ways a person does not see: quotes left open, huge cells and
files, figures the returns grid refuses. Each is a sentence naming where, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desta_tui.db.models import Metric, MonthlyReturn, Organisation
from desta_tui.services.importing import ImportFileError, import_file, read_sheet
from desta_tui.services.importing import sheet as sheet_module

RETURNS_HEADER = "Contract,Partner,Metric,Period,Value\n"
WESTWAY = "Expert Patient Service,Westway Wellbeing Project"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    # Excel writes CRLF line ends
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def problems(report) -> list[tuple[int, str | None]]:
    return [(error.line, error.column) for error in report.errors]


# --- lines as a spreadsheet numbers them ----------------------------------------------------


def test_a_row_after_a_cell_with_a_line_break_is_named_by_its_spreadsheet_row(db_path, tmp_path):
    path = write(
        tmp_path / "orgs.csv",
        'Name,Notes,Email\nBrent Carers,"met in\nthe hall",\nEaling Mind,,not-an-email\n',
    )
    report = import_file("organisations", path)
    # Excel shows Ealing Mind on row 3, though it is the fourth line of the file
    assert problems(report) == [(3, "Email")]
    assert Organisation.select().count() == 0


# --- CSV faults -----------------------------------------------------------------------------


def test_a_quote_that_never_closes_is_refused_where_it_opened(db_path, tmp_path):
    path = write(
        tmp_path / "orgs.csv", 'Name,Notes\nBrent Carers,"said ""yes\nEaling Mind,\nHarrow,\n'
    )
    with pytest.raises(ImportFileError) as caught:
        import_file("organisations", path)
    message = str(caught.value)
    assert message.startswith('line 2 of orgs.csv opens a quote (") that never closes')
    assert "Nothing was imported" in message
    assert Organisation.select().count() == 0


def test_an_open_quote_after_a_line_break_in_a_cell_names_both_lines(db_path, tmp_path):
    path = write(tmp_path / "orgs.csv", 'Name,Notes\nA,"two\nlines"\nB,"open\nC,\n')
    with pytest.raises(ImportFileError, match=r"^line 3 \(line 4 in a text editor\) of orgs.csv"):
        read_sheet(path, "organisations")


def test_quotes_that_close_at_the_very_end_of_the_file_are_fine(db_path, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(b'Name,Notes\r\nBrent Carers,"last\r\nnote"')  # no line end after it
    sheet = read_sheet(path, "organisations")
    assert [(row.line, row.cells["notes"]) for row in sheet.rows] == [(2, "last\r\nnote")]


def test_a_cell_over_the_limit_is_refused_naming_the_limit(db_path, tmp_path):
    fits = "x" * 131_072
    path = write(tmp_path / "orgs.csv", f"Name,Notes\nBrent Carers,{fits}\n")
    assert read_sheet(path, "organisations").rows[0].cells["notes"] == fits
    path = write(tmp_path / "orgs.csv", f"Name,Notes\nBrent Carers,{fits}\nEaling Mind,{fits}y\n")
    with pytest.raises(ImportFileError) as caught:
        import_file("organisations", path)
    assert str(caught.value).startswith(
        "line 3 of orgs.csv has a cell of more than 131,072 characters; "
        "a cell may hold at most 131,072."
    )
    assert Organisation.select().count() == 0


def test_an_open_quote_that_swallows_past_the_cell_limit_says_so(db_path, tmp_path):
    rows = "".join(f"Group {n},\n" for n in range(20_000))
    path = write(tmp_path / "orgs.csv", f'Name,Notes\nBrent Carers,"open\n{rows}')
    with pytest.raises(ImportFileError) as caught:
        read_sheet(path, "organisations")
    message = str(caught.value)
    assert message.startswith("line 2 of orgs.csv has a cell of more than 131,072 characters")
    assert 'If a quote (") opens on that line and never closes, close it.' in message


def test_a_file_over_the_row_limit_is_refused_naming_the_limit(db_path, tmp_path):
    rows = [f"Group {n}" for n in range(100_000)]
    path = write(tmp_path / "orgs.csv", "Name\n" + "\n".join(rows) + "\n\n")
    assert len(read_sheet(path, "organisations").rows) == 100_000  # blank rows do not count
    path = write(tmp_path / "orgs.csv", "Name\n" + "\n".join(rows) + "\nOne Too Many\n")
    with pytest.raises(ImportFileError) as caught:
        import_file("organisations", path)
    assert str(caught.value).startswith(
        "orgs.csv holds more than 100,000 rows of data (reading stopped at line 100002); "
        "Desta imports at most 100,000 rows at a time: split the file"
    )
    assert Organisation.select().count() == 0


def test_a_file_that_is_neither_utf8_nor_windows_1252_is_a_sentence(db_path, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(b"Name\r\nCaf\xc3\xa9\r\nBad \x81 byte\r\n")
    with pytest.raises(ImportFileError, match=r"byte 18 is neither UTF-8 nor Windows-1252"):
        read_sheet(path, "organisations")
    path.write_bytes(b"\xff\xfeN\x00a\x00\x00\xd8")  # UTF-16 cut in half a character
    with pytest.raises(ImportFileError, match="starts as UTF-16 text but cannot be read"):
        read_sheet(path, "organisations")


# --- XLSX faults ----------------------------------------------------------------------------


def workbook_of(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_huge_workbook_is_streamed_and_stopped_at_the_row_limit(db_path, tmp_path, monkeypatch):
    path = workbook_of(tmp_path / "orgs.xlsx", [["Name"]] + [[f"Group {n}"] for n in range(200)])
    monkeypatch.setattr(sheet_module, "MAX_ROWS", 50)
    with pytest.raises(ImportFileError) as caught:
        read_sheet(path, "organisations")
    # stopped at the first row past the limit, not after reading all 201
    assert "more than 50 rows of data (reading stopped at line 52)" in str(caught.value)


def edited(path: Path, old: bytes, new: bytes) -> Path:
    """A copy of the workbook with `old` written as `new` in its sheets' XML: what openpyxl
    will not write (it cuts text to Excel's 32,767 characters), another program may."""
    copy = path.with_name("edited.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(old, new)
            target.writestr(item, data)
    return copy


def test_a_workbook_cell_over_the_limit_is_refused(db_path, tmp_path):
    path = workbook_of(tmp_path / "orgs.xlsx", [["Name", "Notes"], ["Brent", "PLACEHOLDER"]])
    path = edited(path, b"PLACEHOLDER", b"x" * 131_073)
    with pytest.raises(ImportFileError, match="line 2 of edited.xlsx has a cell of 131,073 char"):
        read_sheet(path, "organisations")


def test_a_workbook_number_of_thousands_of_digits_is_a_sentence(db_path, tmp_path):
    path = workbook_of(tmp_path / "orgs.xlsx", [["Name", "Notes"], ["Brent", 123456789]])
    path = edited(path, b"<v>123456789</v>", b"<v>" + b"9" * 5000 + b"</v>")
    with pytest.raises(ImportFileError) as caught:
        read_sheet(path, "organisations")
    assert "holds a number of more than 4,300 digits after line 1" in str(caught.value)


# --- figures read by the returns grid's rules -----------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("12.0", "12.0 is not a whole number"),
        ("12.5", "12.5 is not a whole number"),
        ('"1,2x"', "'1,2x' is not a number"),
        ("-3", "-3 is negative"),
        ("1 234", "'1 234' is not a number"),
        ("9" * 5000, "a number of 5,000 digits is too large for a monthly figure "
                     "(the most is 1,000,000,000)"),
    ],
)  # fmt: skip
def test_a_count_the_returns_grid_refuses_is_refused_naming_line_and_column(
    demo_db, tmp_path, value, words
):
    path = write(
        tmp_path / "r.csv",
        f"{RETURNS_HEADER}{WESTWAY},enrolments,Nov 2012,4\n"
        f"{WESTWAY},completions,Nov 2012,{value}\n",
    )
    report = import_file("returns", path)
    assert problems(report) == [(3, "Value")]
    assert words in report.errors[0].message
    assert not MonthlyReturn.select().where(MonthlyReturn.period == "2012-11").exists()


def test_a_target_is_read_by_the_same_rule(demo_db, tmp_path):
    path = write(tmp_path / "t.csv", f"{RETURNS_HEADER}{WESTWAY},enrolments,Dec 2012,12.0\n")
    report = import_file("targets", path)
    assert problems(report) == [(2, "Value")]
    assert "not a whole number" in report.errors[0].message


def test_a_month_typed_with_a_slipped_year_is_refused(demo_db, tmp_path):
    path = write(tmp_path / "r.csv", f"{RETURNS_HEADER}{WESTWAY},enrolments,10/0212,4\n")
    report = import_file("returns", path)
    assert problems(report) == [(2, "Period")]
    assert "the year 0212 looks wrong" in report.errors[0].message


def test_bme_retained_more_than_recruited_in_the_file_is_refused(demo_db, tmp_path):
    path = write(
        tmp_path / "r.csv",
        f"{RETURNS_HEADER}{WESTWAY},bme_recruited,Nov 2012,2\n{WESTWAY},bme_retained,Nov 2012,9\n",
    )
    report = import_file("returns", path)
    assert problems(report) == [(3, "Value")]
    assert report.errors[0].message == "BME retained (9) is more than recruited (2)"
    assert not MonthlyReturn.select().where(MonthlyReturn.period == "2012-11").exists()


def test_bme_retained_more_than_the_saved_recruited_is_refused(demo_db, tmp_path):
    first = write(tmp_path / "a.csv", f"{RETURNS_HEADER}{WESTWAY},bme_recruited,Nov 2012,2\n")
    assert import_file("returns", first).created == 1
    then = write(tmp_path / "b.csv", f"{RETURNS_HEADER}{WESTWAY},bme_retained,Nov 2012,9\n")
    report = import_file("returns", then)
    assert problems(report) == [(2, "Value")]
    assert "BME retained (9) is more than recruited (2)" in report.errors[0].message


def enrolled_less_completed_before(period: str) -> int:
    """Westway's enrolments to date less its completions to date, before `period`."""
    from desta_tui.db.models import ContractPartner

    totals = {"enrolments": 0, "completions": 0}
    query = (
        MonthlyReturn.select(Metric.code, MonthlyReturn.value)
        .join(Metric)
        .switch(MonthlyReturn)
        .join(ContractPartner)
        .join(Organisation)
        .where(
            (Organisation.name == "Westway Wellbeing Project")
            & (MonthlyReturn.period < period)
            & MonthlyReturn.archived_at.is_null()
            & Metric.code.in_(list(totals))
        )
    )
    for code, value in query.tuples():
        totals[code] += value
    return totals["enrolments"] - totals["completions"]


def test_completions_count_the_enrolments_of_the_months_before(demo_db, tmp_path):
    slack = enrolled_less_completed_before("2012-11")
    assert slack > 0
    # people who enrolled before November complete in it: right, though none enrolled in it
    fine = write(
        tmp_path / "a.csv",
        f"{RETURNS_HEADER}{WESTWAY},enrolments,Nov 2012,0\n"
        f"{WESTWAY},completions,Nov 2012,{slack}\n",
    )
    assert import_file("returns", fine, dry_run=True).ok
    too_many = write(
        tmp_path / "b.csv",
        f"{RETURNS_HEADER}{WESTWAY},enrolments,Nov 2012,0\n"
        f"{WESTWAY},completions,Nov 2012,{slack + 1}\n",
    )
    report = import_file("returns", too_many)
    assert problems(report) == [(3, "Value")]
    assert "completions to date" in report.errors[0].message


def test_an_earlier_month_may_not_break_a_later_saved_months_totals(demo_db, tmp_path):
    slack = enrolled_less_completed_before("2012-11")
    saved = write(
        tmp_path / "a.csv",
        f"{RETURNS_HEADER}{WESTWAY},enrolments,Nov 2012,10\n"
        f"{WESTWAY},completions,Dec 2012,{slack + 10}\n",
    )
    assert import_file("returns", saved).created == 2
    lower = write(tmp_path / "b.csv", f"{RETURNS_HEADER}{WESTWAY},enrolments,Nov 2012,0\n")
    report = import_file("returns", lower, update=True)
    assert problems(report) == [(2, "Value")]
    assert report.errors[0].message.endswith("in Dec 2012")
