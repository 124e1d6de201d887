"""Report CSV files are read one way (``reportcsv.ReportCsv``) by validate, the importer and the
store: what validate accepts an import can rewrite, and a broken file is reported where it
breaks."""

from __future__ import annotations

from contextlib import chdir
from pathlib import Path

import pytest
from xlsx_helpers import HEADER, import_, sheet

from helpers import copy_dataset, run, snapshot

BANG_RAK = "reports/2567/bang-rak.csv"
HEADER_LINE = "key_result,period,value,source,note,file,sha256,cell,recorded_at"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_dataset(tmp_path)


def validate(root: Path) -> tuple[int, list[str]]:
    """Run validate from inside the data folder, so that files are named as within it."""
    with chdir(root):
        code, out = run("validate", ".")
    return code, [line for line in out.splitlines() if not line.startswith(("OK", "FAILED"))]


def workbook(tmp_path: Path, rows: list[list[object]]) -> Path:
    return sheet(tmp_path / "bang-rak-2567-07.xlsx", [["หน่วยงาน:", "บางรัก"], HEADER, *rows])


def test_a_report_file_saved_with_a_bom_and_crlf_validates_and_takes_an_import(
    root: Path, tmp_path: Path
) -> None:
    """Excel's "CSV UTF-8" writes a BOM and CRLF line ends: validate accepted such a file and
    the import then failed on its header with no code."""
    path = root / BANG_RAK
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert validate(root) == (0, [])

    code, out = import_(root, str(workbook(tmp_path, [["trees-planted", "2567-07", 12, ""]])))

    assert code == 0, out
    assert out.splitlines()[-1] == "Merged 1 of 1 file: 1 added, 0 changed, 0 unchanged."
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER_LINE  # rewritten as okrtool writes: no BOM, \n line ends
    assert lines[1:4] == [
        "canals-dredged,2567-06,5,manual,,,,,",
        "trees-planted,2567-06,90,manual,,,,,",
        "trees-planted,2567-07,12,import,,bang-rak-2567-07.xlsx," + lines[3].split(",", 6)[6],
    ]
    assert validate(root) == (0, [])


def test_an_unterminated_quote_is_reported_where_it_opens(root: Path, tmp_path: Path) -> None:
    path = root / BANG_RAK
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("trees-planted,2567-06,90,manual,,", 'trees-planted,2567-06,90,manual,"late,'),
        encoding="utf-8",
    )

    code, lines = validate(root)

    assert code == 1
    assert lines == [
        f"{BANG_RAK}:3:33: E107 a quote '\"' opens a text here and is never closed, so the "
        "rest of the file would be read as one text; expected a closing '\"'",
        "    hint: close the quote, or remove it (a text needs quotes only if it holds ',' or "
        "'\"'; a '\"' inside quotes is written twice: \"\")",
    ]
    before = snapshot(root)
    code, out = import_(root, str(workbook(tmp_path, [["trees-planted", "2567-07", 12, ""]])))
    assert code == 1
    assert f"The first: {BANG_RAK}:3:33: E107 a quote '\"' opens a text here" in out
    assert snapshot(root) == before


def test_a_quote_closed_lines_later_names_the_lines_the_row_runs_over(root: Path) -> None:
    path = root / BANG_RAK
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = 'canals-dredged,2567-06,5,manual,"late,,,,'
    lines[3] = 'trees-waste-collected,2567-06,30,manual,late",,'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, out = validate(root)

    assert code == 1
    assert out == [
        f"{BANG_RAK}:2:1: E107 row has 7 columns; expected 9 (it runs on to line 4: is a "
        "quote '\"' not closed?)"
    ]


def test_text_after_a_closing_quote_is_reported_at_its_column(root: Path) -> None:
    path = root / BANG_RAK
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("90,manual,,", '90,manual,"late"r,'), encoding="utf-8")

    code, out = validate(root)

    assert code == 1
    assert out == [
        f"{BANG_RAK}:3:39: E107 found 'r' right after the closing quote of a text; expected ',' "
        "or the end of the line",
        '    hint: a \'"\' inside a quoted text is written twice: ""',
    ]


def test_a_report_file_separated_by_semicolons_says_so(root: Path) -> None:
    path = root / BANG_RAK
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")

    code, out = validate(root)

    assert code == 1
    assert out == [
        f"{BANG_RAK}:1:1: E107 header is '{HEADER_LINE.replace(',', ';')}'; expected "
        f"'{HEADER_LINE}'",
        "    hint: the columns are separated by ';': save the file as CSV UTF-8 (comma delimited)",
    ]


def test_a_report_file_in_the_thai_windows_code_page_says_how_to_save_it(root: Path) -> None:
    path = root / BANG_RAK
    text = path.read_text(encoding="utf-8").replace(",90,manual,,", ",90,manual,ล่าช้า,")
    path.write_bytes(text.encode("cp874"))  # Excel's plain "CSV" on a Thai Windows

    code, out = validate(root)

    assert code == 1
    assert out == [
        f"{BANG_RAK}:3:33: E106 the file is not UTF-8 text (byte 0xc5 at offset 134); save it "
        "as UTF-8",
        "    hint: in Excel: File › Save As › CSV UTF-8 (Comma delimited); in LibreOffice: Save "
        "As › Text CSV, character set Unicode (UTF-8)",
    ]


def test_an_empty_report_file_is_an_error_not_an_agency_with_no_values(
    root: Path, tmp_path: Path
) -> None:
    """A 0-byte report file (a copy or a save cut short) validated as OK with its values gone;
    okrtool always writes the header, so an empty file is damage. The import refuses to merge
    into it and changes nothing."""
    (root / BANG_RAK).write_bytes(b"")
    assert validate(root) == (
        1,
        [
            f"{BANG_RAK}:1:1: E107 the file is empty; expected the header '{HEADER_LINE}' and "
            "the agency's values",
            "    hint: restore it from git (git checkout -- FILE), or delete it if the agency has "
            "no values",
        ],
    )
    before = snapshot(root)
    code, out = import_(root, str(workbook(tmp_path, [["trees-planted", "2567-07", 12, ""]])))
    assert code == 1, out
    assert "E107 the file is empty" in out
    assert snapshot(root) == before
