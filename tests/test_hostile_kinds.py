"""Hostile and odd files, part two: a number cell that is not finite, or that holds text, is
refused at its cell (whichever reader reads the sheet), macros are told by what a file holds and not by its name,
a file that is no workbook is named by what it is, and a report file's value is held to the
range an import accepts. `okrtool import-reports` runs as in tests/test_hostile_workbooks.py
(a subprocess under a memory limit); every case pins the lines printed and that nothing of the
data folder changed."""

from __future__ import annotations

import re
import struct
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from office import pdftotext_or_skip, xlsx_to_pdf
from test_hostile_workbooks import (
    BANG_RAK,
    GOOD_ROW,
    MACROS,
    MACROS_HINT,
    SAVE_AS,
    TOP,
    book,
    import_bounded,
    package,
    rows_xml,
    write_zip,
)
from test_reader import ODS_TOP, ods, text_cell

from okrtool.io.xlsx_guard import SIGNATURES

from helpers import copy_dataset, run, snapshot

EXPECTED = "expected an .xlsx or .ods workbook saved from Excel or LibreOffice"
TEMPLATE = "type the values into the template from `okrtool report-template`"
PICTURE = f"    hint: a picture of a table cannot be read: {TEMPLATE}, or send the workbook itself"
DOCUMENT = (
    "    hint: copy the table into the template from `okrtool report-template` (or into a new "
    "workbook), save it as .xlsx and send that"
)
WEB_PAGE = (
    "    hint: web systems export a table as a web page named .xls: open it in Excel (or "
    "LibreOffice) and save it as an Excel Workbook (.xlsx)"
)
NOT_FINITE = "found a number that is not finite, expected a number"
SENSIBLE = (
    "a number below 1,000,000,000,000,000 (15 digits, what Excel keeps) and, unless 0, at least "
    "0.000001"
)


# --- numbers that are not finite: an openpyxl workbook, its sheet's XML patched ----------------

#: The rows below the label and the header (rows 3–8); the cells patched in the sheet's XML
#: after openpyxl saved it, each a number cell.
ROWS: list[list[object]] = [
    ["trees-planted", "2567-07", 1, None],  # C3 → inf
    ["trees-perennial", "2567-07", 2, None],  # C4 → nan
    ["trees-waste-collected", "2567-07", 3, None],  # C5 → -Infinity
    ["trees-planted", "2567-08", 4, None],  # C6 → 1e999 (a float past the largest: inf)
    ["trees-planted", "2567-09", "x", None],  # a plain bad value on the same sheet
    ["trees-perennial", 5, 12, None],  # B8 → NaN: a period that is a number not finite
]
PATCHED = {"C3": "inf", "C4": "nan", "C5": "-Infinity", "C6": "1e999", "B8": "NaN"}
#: What the import prints for them, whichever reader reads the sheet.
NOT_FINITE_LINES = [
    f"{{book}} › Sheet1!C3: E803 {NOT_FINITE} of trees",
    f"{{book}} › Sheet1!C4: E803 {NOT_FINITE} of trees",
    f"{{book}} › Sheet1!C5: E803 {NOT_FINITE}",  # a percentage: no unit named
    f"{{book}} › Sheet1!C6: E803 {NOT_FINITE} of trees",
    "{book} › Sheet1!C7: E803 found 'x', expected a number of trees (like 1234, 1,234.5, ๑๒๓๔ "
    "or 57.05%)",
    "{book} › Sheet1!B8: E501 found a number that is not finite, expected a month like 2567-06, "
    "มิ.ย. 67, มิถุนายน 2567, June 2024 or 06/2567, or a fiscal quarter like FY2567-Q3 or "
    "ไตรมาส 3/2567",
]


def patched(path: Path, rows: list[list[object]], cells: dict[str, str]) -> Path:
    """A workbook saved by openpyxl (the label line, the header, ``rows``), then the value of
    each number cell in ``cells`` replaced in the sheet's XML by the text given."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in [*TOP, *rows]:
        ws.append(row)
    wb.save(path)
    rewrite(path, lambda xml: patch_cells(xml, cells))
    return path


def patch_cells(xml: str, cells: dict[str, str]) -> str:
    for ref, text in cells.items():
        xml, n = re.subn(rf'(<c r="{ref}" t="n"><v>)[^<]*(</v>)', rf"\g<1>{text}\g<2>", xml)
        assert n == 1, f"no number cell {ref}"
    return xml


def rewrite(path: Path, change: Callable[[str], str]) -> None:
    """Rewrite the first sheet's XML of the workbook ``path`` with ``change``."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = change(parts[sheet].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def not_finite(tmp_path: Path) -> Path:
    """Read by calamine (the fast path)."""
    return patched(tmp_path / "bang-rak-inf.xlsx", ROWS, PATCHED)


def not_finite_streamed(tmp_path: Path) -> Path:
    """The same cells with no reference (r="C3"), as some writers save them: the sheet is
    streamed by openpyxl, which could not read <v>inf</v> at all (int("inf"))."""
    path = not_finite(tmp_path)
    rewrite(path, lambda xml: re.sub(r' r="[A-Z]+[0-9]+"', "", xml))
    return path


def not_finite_beside_a_formula(tmp_path: Path) -> Path:
    """The same cells beside a formula openpyxl saved with no result: the sheet is read by
    openpyxl too (for the formula's text), which refused the whole file as damaged."""
    rows = [*ROWS, ["trees-planted", "2567-10", "=1+1", None]]
    return patched(tmp_path / "bang-rak-inf-formula.xlsx", rows, PATCHED)


FORMULA_LINES = [
    "{book} › Sheet1!C9: E804 found the formula =1+1 with no saved result, expected a value",
    "    hint: open the file in Excel or LibreOffice so that it calculates, save it and send it "
    "again; or type the number instead of the formula",
]


def text_in_number_cells(streamed: bool) -> Callable[[Path], Path]:
    """Number cells holding text, as a program that does not know the format may write them:
    calamine refused the whole sheet ('Parse float error'), openpyxl too (int('abc')). Each is
    read as the text it is: 'abc' is refused at its cell, ' 12 ' read as 12."""

    def make(tmp_path: Path) -> Path:
        rows: list[list[object]] = [
            ["trees-planted", "2567-07", 1, None],  # C3 → abc
            ["trees-planted", "2567-08", 2, None],  # C4 → " 12 "
            ["trees-planted", "2567-09", "x", None],
        ]
        path = patched(tmp_path / "bang-rak-text.xlsx", rows, {"C3": "abc", "C4": " 12 "})
        if streamed:
            rewrite(path, lambda xml: re.sub(r' r="[A-Z]+[0-9]+"', "", xml))
        return path

    return make


TEXT_LINES = [
    "{book} › Sheet1!C3: E803 found 'abc', expected a number of trees (like 1234, 1,234.5, ๑๒๓๔ "
    "or 57.05%)",
    "{book} › Sheet1!C5: E803 found 'x', expected a number of trees (like 1234, 1,234.5, ๑๒๓๔ "
    "or 57.05%)",
]


def not_finite_ods(tmp_path: Path) -> Path:
    """An .ods whose number cells hold inf and 1e999 (office:value), read by calamine."""
    cells = [
        '<table:table-cell office:value-type="float" office:value="inf"><text:p>∞</text:p>'
        "</table:table-cell>",
        '<table:table-cell office:value-type="float" office:value="1e999"><text:p>1E+999'
        "</text:p></table:table-cell>",
    ]
    rows = "".join(
        f"<table:table-row>{text_cell('trees-planted')}{text_cell(period)}{cell}</table:table-row>"
        for period, cell in zip(("2567-07", "2567-08"), cells, strict=True)
    )
    return ods(tmp_path / "bang-rak.ods", ODS_TOP + rows)


# --- macros: by what the file holds ---------------------------------------------------------

MACRO_ENABLED = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_PROJECT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"Attribute VB_Name"


def macro_workbook(name: str, vba: bool) -> Callable[[Path], Path]:
    """A workbook for bang-rak as Excel saves one macro-enabled: the workbook's content type
    says so and, if ``vba``, it holds a VBA project (xl/vbaProject.bin, related to the
    workbook)."""

    def make(tmp_path: Path) -> Path:
        parts: dict[str, str | bytes] = {
            **package([("Sheet1", rows_xml([*TOP, GOOD_ROW]), "visible")])
        }
        types = str(parts["[Content_Types].xml"])
        parts["[Content_Types].xml"] = types.replace(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            MACRO_ENABLED,
        )
        if vba:
            parts["[Content_Types].xml"] = str(parts["[Content_Types].xml"]).replace(
                "</Types>",
                '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                "</Types>",
            )
            rels = str(parts["xl/_rels/workbook.xml.rels"])
            parts["xl/_rels/workbook.xml.rels"] = rels.replace(
                "</Relationships>",
                '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
            )
            parts["xl/vbaProject.bin"] = VBA_PROJECT
        return write_zip(tmp_path / name, parts)

    return make


# --- files that are no workbook ---------------------------------------------------------------


def raw(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        (tmp_path / name).write_bytes(data)
        return tmp_path / name

    return make


def printed(tmp_path: Path) -> Path:
    """A workbook printed to PDF by LibreOffice, as an officer's PDF export would be."""
    source = patched(tmp_path / "bang-rak.xlsx", [GOOD_ROW], {})
    pdftotext_or_skip()
    return xlsx_to_pdf(source, tmp_path / "pdf")


def renamed(make: Callable[[Path], Path], name: str) -> Callable[[Path], Path]:
    def rename(tmp_path: Path) -> Path:
        return make(tmp_path).rename(tmp_path / name)

    return rename


def pictured(kind: str, name: str) -> Callable[[Path], Path]:
    """The PDF's page as a picture (poppler's pdftoppm), as a phone photo or a screenshot."""

    def make(tmp_path: Path) -> Path:
        pdf = printed(tmp_path)
        subprocess.run(
            ["pdftoppm", f"-{kind}", "-r", "20", "-singlefile", str(pdf), str(tmp_path / "page")],
            check=True,
            capture_output=True,
        )
        page = tmp_path / f"page.{'jpg' if kind == 'jpeg' else kind}"
        return page.rename(tmp_path / name)

    return make


def word_docx(tmp_path: Path) -> Path:
    """A minimal Word document (.docx): a zip with word/document.xml and no xl/workbook.xml."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType'
            '="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
            "/></Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            "trees-planted 10</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    return write_zip(tmp_path / "report.xlsx", parts)


def ole_file(*streams: str) -> bytes:
    """An OLE compound file (Office 97–2003) whose directory lists the root and ``streams``:
    a 512-byte header, then the directory sector of 128-byte entries (name in UTF-16)."""
    header = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    struct.pack_into("<HHH", header, 24, 0x3E, 3, 0xFFFE)
    struct.pack_into("<H", header, 30, 9)  # sectors of 512 bytes
    entries = b""
    for name in ("Root Entry", *streams):
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry = bytearray(128)
        entry[: len(encoded)] = encoded
        struct.pack_into("<H", entry, 64, len(encoded))
        entries += bytes(entry)
    return bytes(header) + entries.ljust(512, b"\0") + b"\0" * 1024


HTML_EXPORT = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:'
    'office:excel">\n<head><meta charset="utf-8"></head><body><table>'
    "<tr><td>Key result id</td><td>Value</td></tr><tr><td>trees-planted</td><td>10</td></tr>"
    "</table></body></html>\n"
)
XML_2003 = (
    '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Sheet1" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"/></Workbook>\n'
)


def kind_lines(what: str, hint: str) -> list[str]:
    return [f"{{book}}: E801 found {what}, {EXPECTED}", hint]


# name → (make the file in tmp_path; the lines the import prints for it, {book} standing for
# the path given; the exit code)
CASES: dict[str, tuple[Callable[[Path], Path], list[str], int]] = {
    "numbers that are not finite, read by calamine": (not_finite, NOT_FINITE_LINES, 1),
    "numbers that are not finite, in cells with no reference (streamed by openpyxl)": (
        not_finite_streamed,
        NOT_FINITE_LINES,
        1,
    ),
    "numbers that are not finite beside a formula with no saved result": (
        not_finite_beside_a_formula,
        [*NOT_FINITE_LINES, *FORMULA_LINES],
        1,
    ),
    "numbers that are not finite in an .ods": (
        not_finite_ods,
        [
            f"{{book}} › Sheet1!C3: E803 {NOT_FINITE} of trees",
            f"{{book}} › Sheet1!C4: E803 {NOT_FINITE} of trees",
        ],
        1,
    ),
    "number cells holding text, read by calamine": (text_in_number_cells(False), TEXT_LINES, 1),
    "number cells holding text, streamed by openpyxl": (
        text_in_number_cells(True),
        TEXT_LINES,
        1,
    ),
    "a real macro workbook (.xlsm with a VBA project)": (
        macro_workbook("bang-rak.xlsm", vba=True),
        ["{book}: " + MACROS.format("xl/vbaProject.bin"), MACROS_HINT],
        1,
    ),
    "a real macro workbook renamed .xlsx": (
        macro_workbook("bang-rak.xlsx", vba=True),
        ["{book}: " + MACROS.format("xl/vbaProject.bin"), MACROS_HINT],
        1,
    ),
    "a PDF renamed .xlsx (LibreOffice's print of a workbook)": (
        renamed(printed, "bang-rak.xlsx"),
        kind_lines(
            "a PDF document",
            "    hint: a PDF is a printout, not the workbook: send the .xlsx it was printed from, "
            f"or {TEMPLATE}",
        ),
        1,
    ),
    "a PNG renamed .xlsx": (
        pictured("png", "bang-rak.xlsx"),
        kind_lines("a PNG image", PICTURE),
        1,
    ),
    "a JPEG renamed .xlsx": (
        pictured("jpeg", "bang-rak.xlsx"),
        kind_lines("a JPEG image (a photo?)", PICTURE),
        1,
    ),
    "a Word document (.docx) renamed .xlsx": (
        word_docx,
        kind_lines("a Word document (.docx)", DOCUMENT),
        1,
    ),
    "a Word 97–2003 document (.doc) renamed .xls": (
        raw("report.xls", ole_file("WordDocument", "1Table")),
        kind_lines("a Word 97–2003 document (.doc)", DOCUMENT),
        1,
    ),
    "an Excel 97–2003 workbook (OLE, a Workbook stream) renamed .xlsx": (
        raw("old.xlsx", ole_file("Workbook")),
        kind_lines("an Excel 97–2003 workbook (.xls)", SAVE_AS),
        1,
    ),
    "a web page saved as .xls (a web system's export)": (
        raw("export.xls", HTML_EXPORT.encode()),
        kind_lines("a web page (HTML)", WEB_PAGE),
        1,
    ),
    "a web page saved by a browser (a comment first), renamed .xlsx": (
        raw(
            "saved.xlsx",
            b"<!-- saved from url=(0040)https://example.go.th/report -->\n<!-- x -->\n"
            + HTML_EXPORT.encode(),
        ),
        kind_lines("a web page (HTML)", WEB_PAGE),
        1,
    ),
    "a web page in UTF-16 with a doctype, saved as .xls": (
        raw(
            "export16.xls",
            "\ufeff  <!DOCTYPE html>\n".encode("utf-16-le") + HTML_EXPORT.encode("utf-16-le"),
        ),
        kind_lines("a web page (HTML)", WEB_PAGE),
        1,
    ),
    "an Excel 2003 XML spreadsheet saved as .xls": (
        raw("export.xls", XML_2003.encode()),
        kind_lines("an Excel 2003 XML spreadsheet", SAVE_AS),
        1,
    ),
    "a single-file web page (.mht) saved as .xls": (
        raw(
            "export.xls", b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="x"\r\n'
        ),
        kind_lines("a single-file web page (.mht)", WEB_PAGE),
        1,
    ),
    "a zip of workbooks renamed .xlsx": (
        lambda tmp_path: write_zip(
            tmp_path / "all.xlsx", {"bang-rak.xlsx": b"PK\x03\x04", "dusit.xlsx": b"PK\x03\x04"}
        ),
        [
            "{book}: E801 a zip archive, but not an Excel workbook (no xl/workbook.xml)",
            "    hint: send the .xlsx workbook itself",
        ],
        1,
    ),
    "a CSV named .csv": (
        raw("bang-rak.csv", b"Key result id,Value\ntrees-planted,10\n"),
        kind_lines("a CSV file", SAVE_AS),
        1,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_an_odd_file_is_refused_naming_where_what_and_what_was_expected(
    tmp_path: Path, name: str
) -> None:
    make, expected, exit_code = CASES[name]
    root = copy_dataset(tmp_path)
    given = make(tmp_path)
    before = snapshot(root)
    code, lines, _, _ = import_bounded(root, str(given))
    wanted = [line.format(book=given) for line in expected]
    shown = [line for line in lines if line.startswith((str(given), "    hint:"))]
    assert (code, shown) == (exit_code, wanted), "\n".join(lines)
    assert lines[0] == f"REFUSED {given} — nothing of it was written:"
    assert snapshot(root) == before


def stored_rows(root: Path) -> list[str]:
    return (root / BANG_RAK).read_text(encoding="utf-8").splitlines()[1:]


@pytest.mark.parametrize(
    "make",
    [
        lambda tmp_path: book(tmp_path / "bang-rak.xlsm", [GOOD_ROW]),
        macro_workbook("bang-rak.xlsm", vba=False),
    ],
    ids=["an .xlsx renamed .xlsm", "a macro-enabled workbook with no macros"],
)
def test_an_xlsm_without_macros_is_read_like_an_xlsx(
    tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    root = copy_dataset(tmp_path)
    given = make(tmp_path)
    code, lines, _, _ = import_bounded(root, str(given))
    assert code == 0, "\n".join(lines)
    assert lines[-1] == "Merged 1 of 1 file: 1 added, 0 changed, 0 unchanged."
    added = [
        row.split(",")[:5] for row in stored_rows(root) if row.startswith("trees-planted,2567-07")
    ]
    assert added == [["trees-planted", "2567-07", "10", "import", ""]]


def test_a_note_that_is_a_number_not_finite_is_kept_as_its_text_not_a_crash(
    tmp_path: Path,
) -> None:
    # a note is free text: <v>nan</v> in it is read as the text 'nan' (it crashed the import)
    root = copy_dataset(tmp_path)
    given = patched(
        tmp_path / "bang-rak.xlsx", [["trees-planted", "2567-07", 10, 1]], {"D3": "nan"}
    )
    code, lines, _, _ = import_bounded(root, str(given))
    assert code == 0, "\n".join(lines)
    added = [
        row.split(",")[:5] for row in stored_rows(root) if row.startswith("trees-planted,2567-07")
    ]
    assert added == [["trees-planted", "2567-07", "10", "import", "nan"]]


def test_every_signature_names_a_kind_and_says_what_to_do() -> None:
    # one table: each entry is told one way at least, and names the kind with an article
    for kind in SIGNATURES:
        assert kind.start or kind.text or kind.ole or kind.part, kind
        assert kind.what.startswith(("a ", "an ")), kind
        assert kind.hint, kind


# --- a report file's value: the range an import accepts -------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("999999999999999", None),  # 15 digits: what Excel keeps
        ("1000000000000000", f"E103 value '1000000000000000' is out of range; expected {SENSIBLE}"),
        (  # an exponent is no plain decimal (docs/data-format.md), whatever its size
            "1e15",
            "E103 value '1e15' is not a plain number; expected digits with '.' as the decimal "
            "point, like 1234.5",
        ),
        (
            "-1000000000000000",
            f"E103 value '-1000000000000000' is out of range; expected {SENSIBLE}",
        ),
        ("0.000001", None),
        ("0.0000009", f"E103 value '0.0000009' is out of range; expected {SENSIBLE}"),
        ("0", None),
        (
            "inf",
            "E103 value 'inf' is not a plain number; expected digits with '.' as the decimal "
            "point, like 1234.5",
        ),
    ],
)
def test_validate_holds_a_report_files_value_to_the_range_an_import_accepts(
    tmp_path: Path, value: str, problem: str | None
) -> None:
    root = copy_dataset(tmp_path)
    report = root / BANG_RAK
    text = report.read_text(encoding="utf-8")
    report.write_text(
        text.replace("trees-planted,2567-06,90,", f"trees-planted,2567-06,{value},"),
        encoding="utf-8",
    )
    code, out = run("validate", "--data", str(root))
    errors = [line for line in out.splitlines() if ": E" in line]
    if problem is None:
        assert (code, errors) == (0, []), out
    else:
        assert (code, errors) == (1, [f"{report}:3:23: {problem}"]), out


def test_import_refuses_the_same_value_at_its_cell(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    given = patched(tmp_path / "bang-rak.xlsx", [["trees-planted", "2567-07", 1e15, None]], {})
    code, lines, _, _ = import_bounded(root, str(given))
    of_trees = SENSIBLE.replace("a number", "a number of trees")
    assert code == 1
    assert lines[1] == f"{given} › Sheet1!C3: E803 found 1000000000000000, expected {of_trees}"
