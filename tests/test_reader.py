"""The workbook reader (io/xlsx_read) and the table layer above it (io/xlsx_tables), on real
files: made by openpyxl, byte by byte, and by LibreOffice. Each case the importer handles: typed
Thai digits, a merged title, formulas with and without a saved result, an Excel error, hidden,
very hidden and protected sheets, number formats (57 % stored as 0.57, dates), the template
record, the zip and size guards; and a table of another header vocabulary (a plan sheet)."""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from office import soffice_or_skip
from test_hostile_workbooks import (
    GOOD_ROW,
    TOP,
    Raw,
    book,
    million_rows,
    package,
    rows_xml,
    wide_rows,
    write_zip,
    zip_bomb,
)
from xlsx_helpers import fill_template, make_template

from okrtool.imports.rows import REPORT_TABLE
from okrtool.io.xlsx_guard import WorkbookError
from okrtool.io.xlsx_read import Workbook, read_workbook
from okrtool.io.xlsx_tables import Vocabulary, read_tables

from helpers import copy_dataset, run


def made_by_openpyxl(path: Path) -> Path:
    """The cases in one workbook: a merged Thai title, a Thai header, Thai digits typed as
    text, 57 % stored as 0.57, a formula openpyxl saves without a result, a date; a hidden, a
    very hidden (the template record) and a protected sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Report"
    ws["A1"] = "รายงานผลการดำเนินงาน เขตบางรัก"
    ws.merge_cells("A1:D1")
    ws.append(["รหัสผลลัพธ์หลัก", "งวด", "ผลการดำเนินงาน", "หมายเหตุ"])
    ws.append(["trees-planted", "2567-07", "๑,๒๓๔", "ปลูกแล้ว"])
    ws.append(["park-progress", "2567-07", 0.57, None])
    ws["C4"].number_format = "0.00%"
    ws.append(["waste-tonnes", "2567-07", "=SUM(1,2)", None])
    ws.append(["trees-perennial", "2567-07", datetime(2024, 7, 15), None])
    hidden = wb.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    hidden["A1"] = 1
    meta = wb.create_sheet("okrtool")
    meta.sheet_state = "veryHidden"
    meta["A1"], meta["B1"] = "agency", "bang-rak"
    meta["A2"], meta["B2"] = "fiscal_year", 2567
    locked = wb.create_sheet("Locked")
    locked.protection.sheet = True
    locked["A1"] = "locked"
    wb.save(path)
    return path


def converted(source: Path, to: str, outdir: Path) -> Path:
    """``source`` saved by LibreOffice as ``to`` (``ods``, ``xls``, ``xlsx:Calc MS Excel 2007
    XML``), with a profile of its own."""
    soffice = soffice_or_skip()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="okrtool-soffice-") as profile:
        subprocess.run(
            [
                str(soffice),
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                str(source),
            ],
            capture_output=True,
            timeout=180,
            check=True,
        )
    out = outdir / f"{source.stem}.{to.split(':')[0]}"
    assert out.is_file(), f"LibreOffice wrote no {out}"
    return out


def cells(book: Workbook) -> dict[str, list[list[object]]]:
    return {s.name: [values for _, values in s.rows()] for s in book.sheets}


REPORT_ROWS = [
    ["รายงานผลการดำเนินงาน เขตบางรัก", None, None, None],
    ["รหัสผลลัพธ์หลัก", "งวด", "ผลการดำเนินงาน", "หมายเหตุ"],
    ["trees-planted", "2567-07", "๑,๒๓๔", "ปลูกแล้ว"],
    ["park-progress", "2567-07", 0.57, None],
]


def test_an_openpyxl_workbook_is_read_with_formats_formulas_and_sheet_states(
    tmp_path: Path,
) -> None:
    got = read_workbook(made_by_openpyxl(tmp_path / "cases.xlsx"))
    assert cells(got) == {
        "Report": [
            *REPORT_ROWS,
            ["waste-tonnes", "2567-07", None, None],  # no saved result: the formula is kept
            ["trees-perennial", "2567-07", date(2024, 7, 15), None],
        ],
        "Hidden": [[1]],
        "okrtool": [["agency", "bang-rak"], ["fiscal_year", 2567]],
        "Locked": [["locked"]],
    }
    report = got.sheets[0]
    assert report.number_format("C4") == "0.00%"
    assert report.number_format("C6") == "yyyy-mm-dd h:mm:ss"
    assert report.number_format("C3") == "General"
    assert report.formulas == {"C5": "=SUM(1,2)"}
    assert report.merged == ["A1:D1"]
    assert [(s.state, s.protected, s.streamed) for s in got.sheets] == [
        ("visible", False, False),
        ("hidden", False, False),
        ("veryHidden", False, False),
        ("visible", True, False),
    ]
    assert got.names == ["Report", "Hidden", "okrtool", "Locked"]
    assert (got.sheet("Locked"), got.sheet("Missing")) == (got.sheets[3], None)


def test_a_libreoffice_xlsx_is_read_with_its_calculated_formula(tmp_path: Path) -> None:
    source = made_by_openpyxl(tmp_path / "cases.xlsx")
    got = read_workbook(converted(source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo"))
    assert cells(got)["Report"] == [
        *REPORT_ROWS,
        ["waste-tonnes", "2567-07", 3, None],  # LibreOffice calculates and saves the result
        ["trees-perennial", "2567-07", date(2024, 7, 15), None],
    ]
    report = got.sheets[0]
    assert report.number_format("C4") == "0.00%"
    assert report.formulas == {}
    assert report.merged == ["A1:D1"]
    # LibreOffice has no 'very hidden': it saves the template record as hidden
    assert [(s.name, s.state, s.protected) for s in got.sheets] == [
        ("Report", "visible", False),
        ("Hidden", "hidden", False),
        ("okrtool", "hidden", False),
        ("Locked", "visible", True),
    ]


def test_a_cached_formula_result_and_an_excel_error_are_read_as_saved(tmp_path: Path) -> None:
    cached = Raw("<f>SUM(1,2)</f><v>3</v>")
    error = Raw("<f>SUM(Z1:Z2)</f><v>#REF!</v>", ' t="e"')
    got = read_workbook(book(tmp_path / "b.xlsx", [["trees-planted", "2567-07", cached, error]]))
    sheet = got.sheets[0]
    assert [values for _, values in sheet.rows()][2] == ["trees-planted", "2567-07", 3, "#REF!"]
    assert sheet.formulas == {}


def test_the_report_table_and_the_template_record_are_found(tmp_path: Path) -> None:
    got = read_tables(made_by_openpyxl(tmp_path / "bang-rak.xlsx"), REPORT_TABLE)
    assert got.meta == {"agency": "bang-rak", "fiscal_year": "2567"}
    (table,) = got.tables
    assert (table.sheet, table.header_row) == ("Report", 2)
    assert table.columns == {"key_result": "A", "period": "B", "value": "C", "note": "D"}
    assert [
        (r.number, r.cells["value"].value, r.cells["value"].number_format, r.cells["value"].formula)
        for r in table.rows
    ] == [
        (3, "๑,๒๓๔", "General", ""),
        (4, 0.57, "0.00%", ""),
        (5, None, "General", "=SUM(1,2)"),
        (6, date(2024, 7, 15), "General", ""),
    ]
    assert got.notes == []


#: The header texts of a plan sheet, as a plan importer brings them.
PLAN_TABLE = Vocabulary(
    name="plan table",
    headers={
        "key_result": ("keyresultid", "รหัสผลลัพธ์หลัก"),
        "agency": ("agency", "หน่วยงาน"),
        "target": ("target", "ค่าเป้าหมาย"),
    },
    required=("key_result", "agency", "target"),
    labels=(),
    missing="no plan table found: no row has a key result, an agency and a target header",
    hint="use the sheet from okrtool plan-template",
)


def test_a_table_of_another_vocabulary_is_read_through_the_same_reader(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Workshop"
    ws.append(["env-waste-points: จุดรวมขยะ"])
    ws.append(["รหัสผลลัพธ์หลัก", "หน่วยงาน", "ค่าเป้าหมาย"])
    ws.append(["waste-points", "bang-rak", 48])
    ws.append(["waste-points", "เขตปทุมวัน", "๕๐"])
    wb.save(tmp_path / "plan.xlsx")
    got = read_tables(tmp_path / "plan.xlsx", PLAN_TABLE)
    (table,) = got.tables
    assert table.columns == {"key_result": "A", "agency": "B", "target": "C"}
    assert [[(c.ref, c.value) for c in r.cells.values()] for r in table.rows] == [
        [("A3", "waste-points"), ("B3", "bang-rak"), ("C3", 48)],
        [("A4", "waste-points"), ("B4", "เขตปทุมวัน"), ("C4", "๕๐")],
    ]
    with pytest.raises(WorkbookError) as refused:
        read_tables(made_by_openpyxl(tmp_path / "report.xlsx"), PLAN_TABLE)
    assert (refused.value.code, refused.value.message, refused.value.hint) == (
        "E802",
        "no plan table found: no row has a key result, an agency and a target header",
        "use the sheet from okrtool plan-template",
    )


def test_a_table_on_a_hidden_sheet_is_named_not_read(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "h.xlsx",
        package(
            [
                ("July", rows_xml([*TOP, GOOD_ROW]), "visible"),
                ("June", rows_xml([*TOP, GOOD_ROW]), "veryHidden"),
            ]
        ),
    )
    got = read_tables(path, REPORT_TABLE)
    assert [t.sheet for t in got.tables] == ["July"]
    assert got.notes == ["hidden sheet 'June' holds a report table: not read"]


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as refused:
        read_workbook(zip_bomb(tmp_path))
    assert (refused.value.code, refused.value.message) == (
        "E807",
        "found the part 'xl/worksheets/sheet1.xml' declaring 200.0 MiB unpacked, expected at "
        "most 32.0 MiB a part (is it a zip bomb?)",
    )


def test_cells_reaching_column_xfd_are_streamed_not_gridded(tmp_path: Path) -> None:
    # calamine would allocate 30,003 × 16,384 cells (15.7 GB) and abort the process
    got = read_workbook(wide_rows(tmp_path))
    (sheet,) = got.sheets
    assert sheet.streamed
    first = [values for _, values in sheet.rows(width=4)][:4]
    assert first == [
        ["หน่วยงาน:", "สำนักงานเขตบางรัก", None, None],
        ["Key result id", "Period", "Value", "Note"],
        ["trees-planted", "2567-07", 10, None],
        [None, None, None, None],  # row 4 holds only XFD4
    ]
    got.close()


def test_a_table_past_its_row_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as refused:
        read_tables(million_rows(tmp_path), REPORT_TABLE)
    assert (refused.value.code, refused.value.message) == (
        "E807",
        "found a value in Sheet1!A50002, more than 50,000 rows below the table's header, "
        "expected a table of at most 50,000 rows",
    )


def test_a_character_xml_does_not_allow_is_a_damaged_file(tmp_path: Path) -> None:
    path = book(tmp_path / "esc.xlsx", [["trees-planted", "2567-07", Raw("<v>1&#x1b;</v>"), None]])
    with pytest.raises(WorkbookError) as refused:
        read_workbook(path)
    assert (refused.value.code, refused.value.message) == (
        "E801",
        "the file is damaged and cannot be read (ParseError)",
    )


def test_thai_digits_typed_in_a_filled_template_are_imported(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    template = make_template(root, tmp_path, "bang-rak", "2567-07")
    filled = fill_template(template, {"trees-planted": "๔,๓๗๗"})
    code, output = run("import-reports", "--data", str(root), str(filled))
    assert code == 0, output
    assert "Merged 1 of 1 file: 1 added, 0 changed, 0 unchanged." in output
    rows = (root / "reports/2567/bang-rak.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[:3] for r in rows if r.startswith("trees-planted,2567-07")] == [
        ["trees-planted", "2567-07", "4377"]
    ]


# --- OpenDocument (.ods): read like an .xlsx, with the same checks -----------------------------


def test_a_libreoffice_ods_is_read_with_its_percentages_and_sheet_states(tmp_path: Path) -> None:
    source = made_by_openpyxl(tmp_path / "cases.xlsx")
    got = read_workbook(converted(source, "ods", tmp_path / "lo"))
    assert cells(got)["Report"] == [
        *REPORT_ROWS,
        ["waste-tonnes", "2567-07", 3, None],
        ["trees-perennial", "2567-07", date(2024, 7, 15), None],
    ]
    report = got.sheets[0]
    assert report.number_format("C4") == "0%"  # a percentage cell: 57 % is stored as 0.57
    assert report.number_format("C3") == "General"
    assert report.merged == ["A1:D1"]
    assert [(s.name, s.state, s.protected) for s in got.sheets] == [
        ("Report", "visible", False),
        ("Hidden", "hidden", False),
        ("okrtool", "hidden", False),
        ("Locked", "visible", True),
    ]


def test_an_ods_percentage_is_imported_as_the_percentage_shown(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["หน่วยงาน:", "สำนักงานเขตบางรัก"])
    ws.append(["Key result id", "Period", "Value", "Note"])
    ws.append(["trees-waste-collected", "2567-07", 0.5705, "ods"])
    ws.append(["trees-planted", "2567-07", "๔,๓๗๗", None])
    ws["C3"].number_format = "0.00%"
    wb.save(tmp_path / "bang-rak.xlsx")
    ods = converted(tmp_path / "bang-rak.xlsx", "ods", tmp_path / "lo")
    code, output = run("import-reports", "--data", str(root), str(ods))
    assert code == 0, output
    assert "Merged 1 of 1 file: 2 added, 0 changed, 0 unchanged." in output
    rows = (root / "reports/2567/bang-rak.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[:3] for r in rows if ",2567-07," in r] == [
        ["trees-planted", "2567-07", "4377"],
        ["trees-waste-collected", "2567-07", "57.05"],
    ]


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods(path: Path, rows: str) -> Path:
    """A one-sheet .ods ("Sheet1") whose table holds ``rows`` (content.xml as written)."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
        'office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Sheet1">'
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    return path


def text_cell(text: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


ODS_TOP = (
    f"<table:table-row>{text_cell('หน่วยงาน:')}{text_cell('บางรัก')}</table:table-row>"
    f"<table:table-row>{''.join(map(text_cell, ['Key result id', 'Period', 'Value']))}"
    "</table:table-row>"
)


def test_an_ods_formula_with_no_saved_result_is_refused_at_its_cell(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    formula = '<table:table-cell table:formula="of:=SUM([.D1:.D2])"/>'
    row = f"<table:table-row>{text_cell('trees-planted')}{text_cell('2567-07')}{formula}"
    path = ods(tmp_path / "bang-rak.ods", ODS_TOP + row + "</table:table-row>")
    code, output = run("import-reports", "--data", str(root), str(path))
    assert code == 1, output
    assert (
        f"{path} › Sheet1!C3: E804 found the formula =SUM([.D1:.D2]) with no saved result, "
        "expected a value"
    ) in output


def test_an_ods_cell_repeated_over_a_huge_area_is_refused_before_a_grid_is_made(
    tmp_path: Path,
) -> None:
    huge = (
        '<table:table-row table:number-rows-repeated="100000"><table:table-cell '
        'office:value-type="float" office:value="1" table:number-columns-repeated="16384"/>'
        "</table:table-row>"
    )
    path = ods(tmp_path / "huge.ods", ODS_TOP + huge)
    with pytest.raises(WorkbookError) as refused:
        read_workbook(path)
    assert (refused.value.code, refused.value.message) == (
        "E807",
        "found cells reaching Sheet1!XFD100002, expected a sheet of at most 60,000 rows and "
        "2,000,000 cells",
    )


def test_an_ods_holding_macros_is_refused(tmp_path: Path) -> None:
    path = ods(tmp_path / "macro.ods", ODS_TOP)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("Basic/Standard/Module1.xml", "<script:module/>")
    with pytest.raises(WorkbookError) as refused:
        read_workbook(path)
    assert (refused.value.code, refused.value.message) == (
        "E808",
        "found macros (Basic/Standard/Module1.xml), expected a workbook without them: macros are "
        "never run, and a workbook that holds them is not accepted",
    )


def test_an_xls_is_still_refused_with_what_to_do(tmp_path: Path) -> None:
    # calamine reads .xls values but not their number formats: 57 % would be stored as 0.57
    source = made_by_openpyxl(tmp_path / "cases.xlsx")
    xls = converted(source, "xls", tmp_path / "lo")
    with pytest.raises(WorkbookError) as refused:
        read_workbook(xls)
    assert (refused.value.code, refused.value.message, refused.value.hint) == (
        "E801",
        "found an Excel 97–2003 workbook (.xls), expected an .xlsx or .ods workbook saved from Excel or LibreOffice",
        "open it in Excel (or LibreOffice) and save it as an Excel Workbook (.xlsx)",
    )


def test_a_percent_style_written_before_the_reference_is_still_a_percent(tmp_path: Path) -> None:
    # some writers put s="…" before r="…": the format must not be lost (57 % would be 0.57)
    root = copy_dataset(tmp_path)
    styled = '<c s="1" r="C3"><v>0.5705</v></c>'
    body = rows_xml(TOP) + (
        '<row r="3"><c r="A3" t="inlineStr"><is><t>trees-waste-collected</t></is></c>'
        f'<c r="B3" t="inlineStr"><is><t>2567-07</t></is></c>{styled}</row>'
    )
    parts = package([("Sheet1", body, "visible")])
    parts["xl/styles.xml"] = (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="10" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    )
    path = write_zip(tmp_path / "bang-rak.xlsx", parts)
    (table,) = read_tables(path, REPORT_TABLE).tables
    value = table.rows[0].cells["value"]
    assert (value.ref, value.value, value.number_format) == ("C3", 0.5705, "0.00%")
    code, output = run("import-reports", "--data", str(root), str(path))
    assert code == 0, output
    rows = (root / "reports/2567/bang-rak.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[:3] for r in rows if r.startswith("trees-waste-collected,2567-07,")] == [
        ["trees-waste-collected", "2567-07", "57.05"]
    ]
