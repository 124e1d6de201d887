"""`okrtool import-reports`: real workbooks in, exact refusals with their cells, nothing written
when a file is refused, and a round trip from the template back to the stored values."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import zipfile
from contextlib import chdir
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from xlsx_helpers import (
    HEADER,
    fill_template,
    import_,
    make_template,
    refusals,
    sheet,
    template_row,
    with_cached_values,
)

from helpers import SHIPPED, copy_dataset, line_of, run, snapshot

BANG_RAK = "reports/2567/bang-rak.csv"
HEADER_LINE = "key_result,period,value,source,note,file,sha256,cell,recorded_at"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_dataset(tmp_path)


def rows_of(root: Path, rel: str = BANG_RAK) -> list[list[str]]:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER_LINE
    return [line.split(",") for line in lines[1:]]


def value_of(root: Path, kr: str, period: str, rel: str = BANG_RAK) -> str | None:
    for row in rows_of(root, rel):
        if row[0] == kr and row[1] == period:
            return row[2]
    return None


def refused_unchanged(root: Path, before: dict[str, bytes], code: int, out: str) -> None:
    """A refusal: exit 1, every file under the data folder byte for byte as it was."""
    assert code == 1, out
    assert "REFUSED" in out
    assert snapshot(root) == before


def hand_typed(tmp_path: Path, rows: list[list[object]], **formats: str) -> Path:
    """A sheet typed from scratch for bang-rak: the agency on a label line, then a table."""
    return sheet(
        tmp_path / "bang-rak-typed.xlsx",
        [["หน่วยงาน:", "สำนักงานเขตบางรัก"], HEADER, *rows],
        **formats,
    )


# --- the round trip ------------------------------------------------------------------------------


def test_round_trip_template_to_stored_values_and_reimport_changes_nothing(
    root: Path, tmp_path: Path
) -> None:
    template = make_template(root, tmp_path, "bang-rak", "2567-07")
    filled = fill_template(
        template,
        {
            "trees-planted": 40,
            "trees-perennial": 12.5,
            "trees-waste-collected": 75,
            "canals-dredged": 6,
        },
    )
    digest = hashlib.sha256(filled.read_bytes()).hexdigest()

    code, out = import_(root, str(filled))

    assert code == 0, out
    assert "Merged 1 of 1 file: 4 added, 0 changed, 0 unchanged." in out
    stamp = rows_of(root)[-1][8]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp)
    name = filled.name
    assert (root / BANG_RAK).read_text(encoding="utf-8") == "\n".join(
        [
            HEADER_LINE,
            "canals-dredged,2567-06,5,manual,,,,,",
            f"canals-dredged,2567-07,6,import,,{name},{digest},Report!I{template_row(filled, 'canals-dredged')},{stamp}",
            f"trees-perennial,2567-07,12.5,import,,{name},{digest},Report!I{template_row(filled, 'trees-perennial')},{stamp}",
            "trees-planted,2567-06,90,manual,,,,,",
            f"trees-planted,2567-07,40,import,,{name},{digest},Report!I{template_row(filled, 'trees-planted')},{stamp}",
            "trees-waste-collected,2567-06,30,manual,,,,,",
            f"trees-waste-collected,2567-07,75,import,,{name},{digest},Report!I{template_row(filled, 'trees-waste-collected')},{stamp}",
            "",
        ]
    )
    assert run("validate", str(root))[0] == 0

    before = snapshot(root)
    code, out = import_(root, str(filled))
    assert code == 0
    assert "Merged 1 of 1 file: 0 added, 0 changed, 4 unchanged. Nothing to change" in out
    assert snapshot(root) == before


def test_template_reimported_with_a_value_left_blank_reports_it_as_not_reported(
    root: Path, tmp_path: Path
) -> None:
    filled = fill_template(
        make_template(root, tmp_path, "bang-rak", "2567-07"),
        {"trees-planted": 40, "trees-perennial": "-"},
    )
    code, out = import_(root, str(filled))
    assert code == 0, out
    assert "1 added" in out
    assert value_of(root, "trees-perennial", "2567-07") is None
    assert value_of(root, "canals-dredged", "2567-07") is None


# --- what people type ------------------------------------------------------------------------------


def test_thai_digits_percent_commas_text_numbers_and_spaces_are_read(
    root: Path, tmp_path: Path
) -> None:
    book = hand_typed(
        tmp_path,
        [
            ["trees-planted", "ก.ค. 67", "๑,๒๓๔", "เลขไทย"],
            ["trees-perennial", "ก.ค. 67", "\u00a01,000.5 ", None],
            ["trees-waste-collected", "ก.ค. 67", "57.05%", None],
            ["canals-dredged", "ก.ค. 67", "7", None],
        ],
    )
    code, out = import_(root, str(book))
    assert code == 0, out
    assert value_of(root, "trees-planted", "2567-07") == "1234"
    assert value_of(root, "trees-perennial", "2567-07") == "1000.5"
    assert value_of(root, "trees-waste-collected", "2567-07") == "57.05"
    assert value_of(root, "canals-dredged", "2567-07") == "7"
    notes = {row[0]: row[4] for row in rows_of(root) if row[1] == "2567-07"}
    assert notes["trees-planted"] == "เลขไทย"


def test_a_cell_formatted_as_percent_is_read_as_the_percentage_shown(
    root: Path, tmp_path: Path
) -> None:
    book = hand_typed(tmp_path, [["trees-waste-collected", "2567-07", 0.5705, None]], C3="0.00%")
    code, out = import_(root, str(book))
    assert code == 0, out
    assert value_of(root, "trees-waste-collected", "2567-07") == "57.05"


def test_reordered_and_extra_columns_merged_title_blank_rows_and_a_second_sheet(
    root: Path, tmp_path: Path
) -> None:
    path = tmp_path / "messy.xlsx"
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "บันทึก"
    notes["A1"] = "notes for the meeting, no table here"
    ws = wb.create_sheet("รายงาน")
    ws["A1"] = "รายงานผลการดำเนินงาน เขตบางรัก ประจำเดือน กรกฎาคม 2567"
    ws.merge_cells("A1:F1")
    ws["A3"] = "หน่วยงาน"
    ws["B3"] = "Bang Rak"
    ws["A4"] = "งวด: กรกฎาคม 2567"
    # header on row 6, Thai headers, columns in another order, an extra column
    for col, text in enumerate(["หมายเหตุ", "ผลการดำเนินงาน", "ลำดับ", "รหัสผลลัพธ์หลัก"], 1):
        ws.cell(6, col, text)
    ws.append([])
    ws["B8"], ws["C8"], ws["D8"] = 33, 1, "trees-planted"
    ws["B11"], ws["C11"], ws["D11"] = "6", 2, "canals-dredged"  # blank rows before it
    wb.save(path)

    code, out = import_(root, str(path))

    assert code == 0, out
    assert value_of(root, "trees-planted", "2567-07") == "33"
    cells = {row[0]: row[7] for row in rows_of(root) if row[1] == "2567-07"}
    assert cells == {"trees-planted": "'รายงาน'!B8", "canals-dredged": "'รายงาน'!B11"}


@pytest.mark.parametrize(
    "typed",
    ["2567-07", "ก.ค. 67", "กรกฎาคม 2567", "July 2024", "Jul-24", "2024-07", "07/2567", "๐๗/๒๕๖๗"],
)
def test_periods_in_be_and_ce_thai_and_english(root: Path, tmp_path: Path, typed: str) -> None:
    code, out = import_(root, str(hand_typed(tmp_path, [["trees-planted", typed, 10, None]])))
    assert code == 0, out
    assert value_of(root, "trees-planted", "2567-07") == "10"


def test_a_date_cell_in_be_or_ce_is_its_month(root: Path, tmp_path: Path) -> None:
    book = hand_typed(
        tmp_path,
        [
            ["trees-planted", datetime(2024, 7, 15), 10, None],
            ["trees-perennial", datetime(2567, 7, 1), 4, None],  # typed in BE: Excel keeps 2567
        ],
    )
    code, out = import_(root, str(book))
    assert code == 0, out
    assert value_of(root, "trees-planted", "2567-07") == "10"
    assert value_of(root, "trees-perennial", "2567-07") == "4"


def test_a_quarter_of_the_fiscal_year(root: Path, tmp_path: Path) -> None:
    book = hand_typed(tmp_path, [["trees-perennial", "ไตรมาส 4/2567", 10, None]])
    code, out = import_(root, str(book))
    assert code == 0, out
    assert value_of(root, "trees-perennial", "FY2567-Q4") == "10"
    assert run("validate", str(root))[0] == 0


def test_formula_with_a_cached_value_is_read(root: Path, tmp_path: Path) -> None:
    book = hand_typed(tmp_path, [["trees-planted", "2567-07", "=20+22", None]])
    with_cached_values(book, {"C3": "42"})
    code, out = import_(root, str(book))
    assert code == 0, out
    assert value_of(root, "trees-planted", "2567-07") == "42"


# --- refusals: exact message, exit 1, nothing changed -------------------------------------------------


def test_formula_without_a_cached_value_is_refused(root: Path, tmp_path: Path) -> None:
    book = hand_typed(tmp_path, [["trees-planted", "2567-07", "=20+22", None]])
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out) == [
        f"{book} › Sheet1!C3: E804 found the formula =20+22 with no saved result, expected a value",
        "    hint: open the file in Excel or LibreOffice so that it calculates, save it and send it again; or type the number instead of the formula",
    ]


def test_the_same_key_result_twice_in_one_file_is_refused(root: Path, tmp_path: Path) -> None:
    book = hand_typed(
        tmp_path,
        [["trees-planted", "2567-07", 10, None], ["trees-planted", "ก.ค. 67", 12, None]],
    )
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out) == [
        f"{book} › Sheet1!A4: E602 'trees-planted' for 2567-07 is reported twice (first at line 3)"
    ]


def test_an_unknown_key_result_is_refused_with_a_near_miss(root: Path, tmp_path: Path) -> None:
    book = hand_typed(tmp_path, [["trees-plantd", "2567-07", 10, None]])
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out) == [
        f"{book} › Sheet1!A3: E202 unknown key result 'trees-plantd'",
        "    hint: did you mean 'trees-planted'?",
    ]


def test_an_agency_without_an_allocation_is_refused(root: Path, tmp_path: Path) -> None:
    book = sheet(
        tmp_path / "dusit.xlsx",
        [["Agency", *HEADER], ["ดุสิต", "canals-dredged", "2567-07", 3, None]],
    )
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out) == [
        f"{book} › Sheet1!B2: E601 'dusit' reports on 'canals-dredged' but has no allocation on it",
        "    hint: bind the agency with an allocation first, or fix the key result",
    ]


def test_a_value_that_is_not_a_number_is_refused(root: Path, tmp_path: Path) -> None:
    book = hand_typed(
        tmp_path,
        [
            ["trees-planted", "2567-07", "about 40", None],
            ["trees-perennial", "2567-07", "12,5", None],
        ],
    )
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out) == [
        f"{book} › Sheet1!C3: E803 found 'about 40', expected a number of trees (like 1234, 1,234.5, ๑๒๓๔ or 57.05%)",
        f"{book} › Sheet1!C4: E803 found '12,5', expected a number of trees (like 1234, 1,234.5, ๑๒๓๔ or 57.05%)",
    ]


def test_values_out_of_range_are_refused(root: Path, tmp_path: Path) -> None:
    book = hand_typed(
        tmp_path,
        [
            ["trees-waste-collected", "2567-07", "120%", None],
            ["trees-planted", "2567-07", -5, None],
        ],
    )
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out) == [
        f"{book} › Sheet1!C3: E404 value 120 is outside 0–100 for a percentage",
        f"{book} › Sheet1!C4: E405 value -5 is negative; expected 0 or more trees",
    ]


def test_a_percentage_for_a_count_is_refused(root: Path, tmp_path: Path) -> None:
    book = hand_typed(tmp_path, [["trees-planted", "2567-07", "40%", None]])
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out)[0] == (
        f"{book} › Sheet1!C3: E803 found 40% (a percentage), expected a number of trees"
    )


def test_a_period_outside_the_fiscal_year_is_refused(root: Path, tmp_path: Path) -> None:
    book = hand_typed(
        tmp_path,
        [["trees-planted", "ต.ค. 67", 10, None], ["trees-perennial", "Smarch 2024", 4, None]],
    )
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out) == [
        f"{book} › Sheet1!B3: E502 period 2567-10 is in FY 2568, but key result 'trees-planted' is for FY 2567",
        f"{book} › Sheet1!B4: E501 found 'Smarch 2024', expected a month like 2567-06, มิ.ย. 67, มิถุนายน 2567, June 2024 or 06/2567, or a fiscal quarter like FY2567-Q3 or ไตรมาส 3/2567",
    ]


def test_quarters_beside_stored_months_are_refused_naming_the_stored_file(
    root: Path, tmp_path: Path
) -> None:
    book = hand_typed(tmp_path, [["canals-dredged", "FY2567-Q4", 6, None]])
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out) == [
        f"{book} › Sheet1!B3: E603 'canals-dredged' is reported by quarter here and by month at reports/2567/bang-rak.csv:2"
    ]


def test_a_value_without_its_key_result_is_refused(root: Path, tmp_path: Path) -> None:
    book = hand_typed(tmp_path, [["trees-planted", "2567-07", 10, None], [None, None, 10, "รวม"]])
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out)[0] == (
        f"{book} › Sheet1!A4: E803 found no key result id beside the value 10 in C4, expected the id of a key result (like trees-planted)"
    )


def test_one_bad_row_refuses_the_whole_file(root: Path, tmp_path: Path) -> None:
    book = hand_typed(
        tmp_path,
        [["trees-planted", "2567-07", 10, None], ["canals-dredged", "2567-07", "six", None]],
    )
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert "Merged 0 of 1 file" in out


def test_a_sheet_with_no_agency_is_refused_unless_given(root: Path, tmp_path: Path) -> None:
    book = sheet(tmp_path / "report.xlsx", [HEADER, ["trees-planted", "2567-07", 10, None]])
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out)[0] == (
        f"{book} › Sheet1!A2: E806 found no agency for this row, expected an Agency column, a 'หน่วยงาน / Agency:' line above the table, or the template's record of its agency"
    )
    code, out = import_(root, "--agency", "bang-rak", str(book))
    assert code == 0, out
    assert value_of(root, "trees-planted", "2567-07") == "10"


def test_a_template_given_to_another_agency_is_refused(root: Path, tmp_path: Path) -> None:
    filled = fill_template(
        make_template(root, tmp_path, "bang-rak", "2567-07"), {"trees-planted": 4}
    )
    before = snapshot(root)
    code, out = import_(root, "--agency", "dusit", str(filled))
    refused_unchanged(root, before, code, out)
    assert f"{filled}: E806 the workbook is for 'bang-rak', but --agency says 'dusit'" in out


# --- conflicts, --replace, --dry-run --------------------------------------------------------------------


def test_a_different_stored_value_is_a_conflict_shown_old_to_new(
    root: Path, tmp_path: Path
) -> None:
    book = hand_typed(tmp_path, [["trees-planted", "มิ.ย. 67", 95, None]])
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert refusals(out) == [
        f"{book} › Sheet1!C3: E805 'trees-planted' for 2567-06 is stored as 90 (reports/2567/bang-rak.csv); this file says 95: 90 → 95",
        "    hint: to change the stored value, import the file again with --replace",
    ]


def test_replace_changes_the_stored_value_and_records_where_it_came_from(
    root: Path, tmp_path: Path
) -> None:
    book = hand_typed(tmp_path, [["trees-planted", "มิ.ย. 67", 95, "corrected"]])
    code, out = import_(root, "--replace", str(book))
    assert code == 0, out
    assert f"{book}: ~ bang-rak trees-planted 2567-06: 90 → 95" in out
    assert "0 added, 1 changed, 0 unchanged" in out
    row = next(r for r in rows_of(root) if r[:2] == ["trees-planted", "2567-06"])
    assert row[2:8] == [
        "95",
        "import",
        "corrected",
        book.name,
        hashlib.sha256(book.read_bytes()).hexdigest(),
        "Sheet1!C3",
    ]


def test_dry_run_prints_what_would_change_and_writes_nothing(root: Path, tmp_path: Path) -> None:
    book = hand_typed(
        tmp_path,
        [
            ["trees-planted", "มิ.ย. 67", 95, None],
            ["trees-waste-collected", "มิ.ย. 67", 30, None],
            ["trees-perennial", "มิ.ย. 67", 20, None],
        ],
    )
    before = snapshot(root)
    code, out = import_(root, "--dry-run", "--replace", str(book))
    assert code == 0, out
    assert snapshot(root) == before
    assert f"{book}: + bang-rak trees-perennial 2567-06 = 20" in out
    assert f"{book}: ~ bang-rak trees-planted 2567-06: 90 → 95" in out
    assert f"{book}: = bang-rak trees-waste-collected 2567-06 30" in out
    assert (
        "Would merge 1 of 1 file: 1 added, 1 changed, 1 unchanged. Dry run: nothing was written."
        in out
    )


# --- files that are not workbooks ----------------------------------------------------------------------


def test_a_corrupt_file_is_refused_with_what_to_do(root: Path, tmp_path: Path) -> None:
    good = hand_typed(tmp_path, [["trees-planted", "2567-07", 10, None]])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:2000])
    before = snapshot(root)
    code, out = import_(root, str(broken))
    refused_unchanged(root, before, code, out)
    assert f"{broken}: E801 the file is damaged (a broken .xlsx archive)" in out


def test_a_strict_open_xml_workbook_is_refused_with_what_to_do(root: Path, tmp_path: Path) -> None:
    good = hand_typed(tmp_path, [["trees-planted", "2567-07", 10, None]])
    strict = tmp_path / "strict.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(strict, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/workbook.xml":  # Excel's Strict flavour: other namespaces
                data = data.replace(
                    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                    b"http://purl.oclc.org/ooxml/spreadsheetml/main",
                )
            zout.writestr(name, data)
    before = snapshot(root)
    code, out = import_(root, str(strict))
    refused_unchanged(root, before, code, out)
    assert f"{strict}: E801 a Strict Open XML spreadsheet, which cannot be read" in out


def test_an_xls_file_is_refused_with_what_to_do(root: Path, tmp_path: Path) -> None:
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)  # an OLE2 file, as .xls are
    before = snapshot(root)
    code, out = import_(root, str(xls))
    refused_unchanged(root, before, code, out)
    assert (
        f"{xls}: E801 found an Excel 97–2003 workbook (.xls), expected an .xlsx or .ods workbook saved from Excel or LibreOffice"
        in out
    )
    assert "hint: open it in Excel (or LibreOffice) and save it as an Excel Workbook (.xlsx)" in out


def test_a_password_protected_workbook_is_refused(root: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked.xlsx"  # Excel saves an encrypted .xlsx as an OLE2 file
    locked.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le")
    )
    before = snapshot(root)
    code, out = import_(root, str(locked))
    refused_unchanged(root, before, code, out)
    assert (
        f"{locked}: E801 the workbook is password-protected (encrypted); it cannot be read" in out
    )


def test_a_damaged_ods_file_is_refused_with_what_to_do(root: Path, tmp_path: Path) -> None:
    ods = tmp_path / "report.ods"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    before = snapshot(root)
    code, out = import_(root, str(ods))
    refused_unchanged(root, before, code, out)
    # an .ods is read (tests/test_reader.py); this one's content.xml is not well-formed
    assert f"{ods}: E801 the file is damaged and cannot be read (ParseError)" in out


def test_a_workbook_without_a_report_table_is_refused(root: Path, tmp_path: Path) -> None:
    book = sheet(tmp_path / "letter.xlsx", [["Dear SED,"], ["please find our figures"]])
    before = snapshot(root)
    code, out = import_(root, str(book))
    refused_unchanged(root, before, code, out)
    assert f"{book}: E802 no report table found" in out


def test_a_template_with_nothing_filled_in_is_refused(root: Path, tmp_path: Path) -> None:
    template = make_template(root, tmp_path, "bang-rak", "2567-07")
    before = snapshot(root)
    code, out = import_(root, str(template))
    refused_unchanged(root, before, code, out)
    assert f"{template}: E802 found no value to import: every value cell is blank or '-'" in out


# --- many files, folders, usage ----------------------------------------------------------------------


def test_many_files_each_all_or_nothing(root: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = fill_template(
        make_template(root, tmp_path, "dusit", "2567-07"),
        {"trees-planted": 5},
        inbox / "dusit.xlsx",
    )
    bad = sheet(
        inbox / "bang-rak.xlsx",
        [["หน่วยงาน: bang-rak"], HEADER, ["trees-planted", "2567-07", "x", None]],
    )
    code, out = import_(root, str(inbox))
    assert code == 1, out
    assert value_of(root, "trees-planted", "2567-07", "reports/2567/dusit.csv") == "5"
    assert value_of(root, "trees-planted", "2567-07") is None
    assert "Merged 1 of 2 files" in out and "Refused 1" in out
    assert f"{bad} › Sheet1!C3: E803" in out
    assert good.exists()


def test_a_glob_picks_the_files(root: Path, tmp_path: Path) -> None:
    fill_template(make_template(root, tmp_path, "dusit", "2567-07"), {"trees-planted": 5})
    code, out = import_(root, str(tmp_path / "dus*.xlsx"))
    assert code == 0, out
    assert value_of(root, "trees-planted", "2567-07", "reports/2567/dusit.csv") == "5"


def test_an_unknown_agency_option_is_a_usage_error(root: Path, tmp_path: Path) -> None:
    book = sheet(tmp_path / "report.xlsx", [HEADER, ["trees-planted", "2567-07", 10, None]])
    code, out = import_(root, "--agency", "atlantis", str(book))
    assert code == 2
    assert out == (
        "okrtool: unknown agency 'atlantis'; expected one of: sed, env, dds, phra-nakhon, dusit, "
        "bang-rak, pathum-wan\n"
    )


def test_a_missing_file_is_a_usage_error(root: Path, tmp_path: Path) -> None:
    code, out = import_(root, str(tmp_path / "nope.xlsx"))
    assert code == 2
    assert f"okrtool: {tmp_path / 'nope.xlsx'}: no such file" in out


def test_a_broken_dataset_refuses_every_import(root: Path, tmp_path: Path) -> None:
    (root / "reports/2567/dds.csv").write_text(HEADER_LINE + "\nnope,2567-06,1,manual,,,,,\n")
    book = hand_typed(tmp_path, [["trees-planted", "2567-07", 10, None]])
    code, out = import_(root, str(book))
    assert code == 1
    assert "the data folder has 1 error(s); run 'okrtool validate" in out
    assert value_of(root, "trees-planted", "2567-07") is None


# --- one import at a time ------------------------------------------------------------------------


def test_an_import_waits_for_the_lock_and_gives_up_with_a_clear_message(
    root: Path, tmp_path: Path
) -> None:
    lock = root / ".okrtool-import.lock"
    lock.write_text(f"import by pid {os.getpid()} on {socket.gethostname()} since now\n")
    book = hand_typed(tmp_path, [["trees-planted", "2567-07", 10, None]])
    code, out = import_(root, "--wait", "0.3", str(book))
    assert code == 1
    assert (
        f"waiting for the import by pid {os.getpid()} on {socket.gethostname()} since now to finish"
        in out
    )
    assert "still holds the import lock after 0.3 s" in out
    assert value_of(root, "trees-planted", "2567-07") is None


def test_a_lock_left_by_a_dead_import_is_taken_over(root: Path, tmp_path: Path) -> None:
    lock = root / ".okrtool-import.lock"
    lock.write_text(f"import by pid 999999999 on {socket.gethostname()} since then\n")
    book = hand_typed(tmp_path, [["trees-planted", "2567-07", 10, None]])
    code, out = import_(root, "--wait", "0.3", str(book))
    assert code == 0, out
    assert not lock.exists()


def test_an_import_reads_and_checks_only_the_years_its_workbook_holds(
    root: Path, tmp_path: Path
) -> None:
    # a broken FY 2566 report file does not stop a FY 2567 import (the import cannot make it
    # better or worse, and validate reports it); a broken FY 2567 file does, changing nothing
    (root / "reports/2566").mkdir()
    (root / "reports/2566/bang-rak.csv").write_text("not,a,report,file\n", encoding="utf-8")
    book = hand_typed(tmp_path, [["trees-planted", "2567-07", 10, None]])
    code, out = import_(root, str(book))
    assert code == 0, out
    assert value_of(root, "trees-planted", "2567-07") == "10"
    (root / "reports/2567/dusit.csv").write_text("not,a,report,file\n", encoding="utf-8")
    before = snapshot(root)
    code, out = import_(root, str(hand_typed(tmp_path, [["trees-planted", "2567-08", 5, None]])))
    assert code == 1
    assert (
        f"okrtool: {root}: the data folder has 1 error(s); run 'okrtool validate {root}' and fix "
        "them first. The first: reports/2567/dusit.csv:1:1: E107 header is 'not,a,report,file'"
    ) in " ".join(out.split())
    assert snapshot(root) == before


# --- a cumulative key result: a running total since 1 October never goes down --------------------

RUNNING_TOTAL = (
    "'canals-dredged' is a running total since 1 October (cumulative), but 2567-07 is 3 canals, "
    "below 5 for 2567-06 ({where}): looks like this month's amount, not the running total"
)


def test_a_value_below_an_earlier_running_total_is_refused_at_its_cell(
    root: Path, tmp_path: Path
) -> None:
    before = snapshot(root)
    book = hand_typed(tmp_path, [["canals-dredged", "2567-07", 3, None]])

    code, out = import_(root, str(book))

    refused_unchanged(root, before, code, out)
    assert refusals(out) == [
        f"{book} › Sheet1!C3: E604 " + RUNNING_TOTAL.format(where=f"{BANG_RAK}:2"),
        "    hint: type the total so far (5 plus this month's amount); if 5 for 2567-06 is what "
        "is wrong, correct it in this file too (a row for that period) and import with --replace",
    ]
    assert out.splitlines()[-1] == (
        "Merged 0 of 1 file: 0 added, 0 changed, 0 unchanged. Refused 1: fix the cells shown and "
        "import again."
    )


def test_the_same_running_total_again_is_fine(root: Path, tmp_path: Path) -> None:
    book = hand_typed(tmp_path, [["canals-dredged", "2567-07", 5, None]])
    code, out = import_(root, str(book))
    assert code == 0, out
    assert value_of(root, "canals-dredged", "2567-07") == "5"


def test_replace_correcting_the_earlier_month_in_the_same_file_takes_the_lower_value(
    root: Path, tmp_path: Path
) -> None:
    book = hand_typed(
        tmp_path,
        [
            ["canals-dredged", "2567-06", 2, "was typed as 5"],
            ["canals-dredged", "2567-07", 3, None],
        ],
    )
    code, out = import_(root, str(book))
    assert code == 1
    assert [line.split(": ")[1].split(" ")[0] for line in refusals(out) if " › " in line] == [
        "E805"
    ]  # without --replace the stored 5 stands, and the 3 is not checked against it twice

    code, out = import_(root, "--replace", str(book))

    assert code == 0, out
    assert f"{book}: ~ bang-rak canals-dredged 2567-06: 5 → 2" in out
    assert (
        value_of(root, "canals-dredged", "2567-06"),
        value_of(root, "canals-dredged", "2567-07"),
    ) == ("2", "3")
    assert run("validate", str(root))[0] == 0


def test_an_earlier_month_above_a_stored_later_total_is_refused(root: Path, tmp_path: Path) -> None:
    before = snapshot(root)
    book = hand_typed(tmp_path, [["canals-dredged", "2567-05", 9, None]])

    code, out = import_(root, str(book))

    refused_unchanged(root, before, code, out)
    assert refusals(out)[0] == (
        f"{BANG_RAK}:2: E604 'canals-dredged' is a running total since 1 October (cumulative), "
        f"but 2567-06 is 5 canals, below 9 for 2567-05 ({book} › Sheet1:3): looks like this "
        "month's amount, not the running total"
    )


def test_validate_flags_a_stored_running_total_that_goes_down_at_its_line(root: Path) -> None:
    path = root / BANG_RAK
    path.write_text(
        path.read_text(encoding="utf-8") + "canals-dredged,2567-07,3,manual,,,,,\n",
        encoding="utf-8",
    )
    with chdir(root):
        code, out = run("validate", ".")
    assert code == 1
    assert out.splitlines()[0] == f"{BANG_RAK}:5:1: E604 " + RUNNING_TOTAL.format(where="line 2")


@pytest.mark.skipif(not (SHIPPED / "policies").is_dir(), reason="no shipped dataset")
def test_the_shipped_bang_rak_canals_dredged_takes_no_monthly_amount(tmp_path: Path) -> None:
    """Seen on the shipped data: 298 m stored for 2567-04, then 5 imported for 2567-07."""
    root = copy_dataset(tmp_path, SHIPPED)
    book = fill_template(
        make_template(root, tmp_path, "bang-rak", "2567-07"), {"infra-canals-dredged": 5}
    )
    code, out = import_(root, str(book))
    assert code == 1
    row = template_row(book, "infra-canals-dredged")
    line = line_of(root / BANG_RAK, "infra-canals-dredged,2567-04,298,")
    assert refusals(out)[0] == (
        f"{book} › Report!I{row}: E604 'infra-canals-dredged' is a running total since 1 October "
        f"(cumulative), but 2567-07 is 5 metres, below 298 for 2567-04 ({BANG_RAK}:{line}): looks "
        "like this month's amount, not the running total"
    )


# --- what the summary says ------------------------------------------------------------------------


def test_a_note_on_a_row_with_no_value_is_named_as_not_stored(root: Path, tmp_path: Path) -> None:
    book = hand_typed(
        tmp_path,
        [
            ["trees-planted", "2567-07", 12, None],
            ["trees-perennial", "2567-07", "-", "seedlings late"],
            ["canals-dredged", "2567-07", None, "dredger broken"],
        ],
    )

    code, out = import_(root, str(book))

    assert code == 0, out
    lines = out.splitlines()
    assert lines[:2] == [
        f"{book}: note: Sheet1!D4: the note 'seedlings late' is on a row with no value ('-' in "
        "C4): not stored, since a report file keeps a note only beside a value",
        f"{book}: note: Sheet1!D5: the note 'dredger broken' is on a row with no value (an empty "
        "cell in C5): not stored, since a report file keeps a note only beside a value",
    ]
    assert lines[-1] == (
        "Merged 1 of 1 file: 1 added, 0 changed, 0 unchanged. 2 notes on rows with no value were "
        "not stored."
    )


def test_a_file_refused_whole_is_not_told_to_fix_cells(root: Path, tmp_path: Path) -> None:
    text = tmp_path / "bang-rak.xlsx"
    text.write_text("Key result id,Value\ntrees-planted,10\n", encoding="utf-8")

    code, out = import_(root, str(text))

    assert code == 1
    assert out.splitlines()[-1] == (
        "Merged 0 of 1 file: 0 added, 0 changed, 0 unchanged. Refused 1: the file as a whole, for "
        "the reason shown above; fix it and import again."
    )
    cells = hand_typed(tmp_path, [["trees-planted", "2567-07", "lots", None]])
    code, out = import_(root, str(text), str(cells))
    assert code == 1
    assert out.splitlines()[-1] == (
        "Merged 0 of 2 files: 0 added, 0 changed, 0 unchanged. Refused 2: fix the cells shown "
        "(1 file) and the files refused whole (1), and import again."
    )
