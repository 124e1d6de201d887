"""`okrtool history -o FILE`: the workbook holds the JSON's numbers with a line chart, opens in
LibreOffice; text formats write what the terminal would print; refusals are one line, exit 2."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
from office import soffice_or_skip, xlsx_to_pdf

from helpers import SHIPPED, run

TREES = ["history", "env-trees-planted", "--as-of", "2024-06-30", "--data", str(SHIPPED)]


def history_json(*extra: str) -> dict:
    code, out = run(*TREES, "--format", "json", *extra)
    assert code == 0, out
    return json.loads(out)


def write(tmp_path: Path, *extra: str) -> Path:
    path = tmp_path / "history.xlsx"
    code, out = run(*TREES, "-o", str(path), *extra)
    assert (code, out) == (0, f"wrote {path}\n")
    return path


def test_the_workbook_holds_every_period_of_the_json_number_for_number(tmp_path: Path) -> None:
    doc = history_json()
    ws = openpyxl.load_workbook(write(tmp_path)).worksheets[0]
    assert ws.title == "รายงวด"
    head = next(r for r in range(1, 12) if ws.cell(r, 1).value == "งวด")
    assert [ws.cell(head, c).value for c in range(1, 8)] == [
        "งวด",
        "ค่าที่รายงานในงวด",
        "ผลงาน",
        "ควรได้",
        "สถานะ",
        "เป้าหมาย",
        "หน่วยงานที่รายงาน",
    ]
    got = [[ws.cell(head + 1 + i, c).value for c in (2, 3, 4)] for i in range(len(doc["rows"]))]
    assert got == [[r["value"], r["actual"], r["expected"]] for r in doc["rows"]]
    # the figures of the issue: the trees end at 218,910 in the third quarter, done
    # how many reported is a number shown 50/50 (issue 17), the target beside it for the chart
    assert [ws.cell(head + 3, c).value for c in (1, 3, 5, 6, 7)] == [
        "ไตรมาส 3/2567",
        218910,
        "บรรลุแล้ว",
        200000,
        50,
    ]
    assert ws.cell(head + 3, 3).number_format == '#,##0" ต้น"'
    assert ws.cell(head + 3, 7).number_format == '#,##0"/50"'
    assert ws.cell(head + 4, 3).value is None  # Q4 is after the as-of day: expected only
    assert ws.cell(head + 4, 4).value == 200000
    assert ws.auto_filter.ref == f"A{head}:G{head + 4}"


def test_the_workbook_has_a_line_chart_of_actual_against_expected(tmp_path: Path) -> None:
    path = write(tmp_path, "--lang", "en")
    ws = openpyxl.load_workbook(path).worksheets[0]
    head = next(r for r in range(1, 12) if ws.cell(r, 1).value == "Period")
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = z.read(charts[0]).decode("utf-8")
    assert len(charts) == 1
    assert "<lineChart>" in xml
    # the actual (column C) and expected (column D) of the four periods, named by their header
    assert f"'History'!$C${head + 1}:$C${head + 4}" in xml
    assert f"'History'!$D${head + 1}:$D${head + 4}" in xml
    assert f"'History'!$A${head + 1}:$A${head + 4}" in xml
    # the target (column F) dashed, the lines straight (issue 17)
    assert f"'History'!$F${head + 1}:$F${head + 4}" in xml
    assert '<a:prstDash val="dash"' in xml
    assert '<c:smooth val="1"' not in xml and '<smooth val="1"' not in xml


def test_libreoffice_opens_the_history_workbook(tmp_path: Path) -> None:
    soffice_or_skip()
    pdf = xlsx_to_pdf(write(tmp_path), tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_text_format_with_o_writes_what_the_terminal_prints(tmp_path: Path) -> None:
    path = tmp_path / "history.md"
    code, out = run(*TREES, "--format", "markdown", "-o", str(path), "--lang", "en")
    assert (code, out) == (0, f"wrote {path}\n")
    _, printed = run(*TREES, "--format", "markdown", "--lang", "en")
    assert path.read_text(encoding="utf-8") == printed


def test_refusals_are_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out = run(*TREES, "--format", "xlsx")
    assert (code, out) == (
        2,
        "okrtool: --format xlsx writes a workbook, which is not printed to a terminal: give its "
        "file name with -o FILE.xlsx\n",
    )
    path = tmp_path / "d.xlsx"
    code, out = run(*TREES, "--by", "district", "-o", str(path))
    assert (code, out) == (
        2,
        "okrtool: --by district has no workbook yet: write it with -o FILE.md (or .csv, .json), "
        "or the key result's history without --by as a workbook\n",
    )
    assert not path.exists()
    path.write_bytes(b"kept")
    code, out = run(*TREES, "-o", str(path))
    assert (code, out) == (
        2,
        f"okrtool: --output {path}: already exists; pass --force to write over it, or write "
        "elsewhere\n",
    )
    assert path.read_bytes() == b"kept"
