"""The Excel pack: `status` (every view) and `missing` with `-o FILE.xlsx`, written by the real
CLI on the shipped data and read back with openpyxl and as zip/XML; LibreOffice opens each one."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from okrtool.render.sheets import SHEET_WORDS
from okrtool.render.text import BAND_WORDS, STATUS_WORDS
from okrtool.render.xlsx import (
    FILLS,
    Chart,
    Column,
    Mark,
    Number,
    Row,
    Sheet,
    Table,
    text_width,
)
from okrtool.render.xlsx_write import write_workbook

from helpers import MINI, SHIPPED, copy_dataset, edit, run, run_unprivileged, unprivileged_folder

JUNE = ("--as-of", "2024-06-30")
SOFFICE = "/usr/bin/soffice"
#: The first row of the status table (its header row) in a workbook with three header lines.
HEAD = 5
NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
}


def status_json(*args: str, command: str = "status") -> dict:
    code, out = run(command, "--data", str(SHIPPED), *JUNE, "--format", "json", *args)
    assert code == 0, out
    return json.loads(out)


def write(path: Path, *args: str, command: str = "status", data: Path = SHIPPED) -> Path:
    code, out = run(command, "--data", str(data), *JUNE, *args, "-o", str(path))
    assert (code, out) == (0, f"wrote {path}\n")
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every workbook of the pack, written once for the module."""
    folder = tmp_path_factory.mktemp("pack")
    return {
        "status": write(folder / "status.xlsx"),
        "agency": write(folder / "agency.xlsx", "--agency", "bang-rak"),
        "district": write(folder / "district.xlsx", "--by", "district"),
        "zone": write(folder / "zone.xlsx", "--by", "zone", "--format", "xlsx"),
        "by-agency": write(folder / "by-agency.xlsx", "--by", "agency", "--lang", "en"),
        "missing": write(folder / "missing.xlsx", command="missing"),
    }


def values(ws, row: int, first: int, last: int) -> list:
    return [ws.cell(row, c).value for c in range(first, last + 1)]


# --- status: the numbers are the JSON rows' -----------------------------------------------------


def test_status_sheet_holds_every_json_row_number_for_number(books: dict[str, Path]) -> None:
    doc = status_json()
    ws = openpyxl.load_workbook(books["status"])["สถานะ"]
    assert len(doc["rows"]) == 19
    for i, row in enumerate(doc["rows"]):
        r = HEAD + 1 + i
        bands = row["districts"] or {}
        # the printed columns first, then those right of the print area (issue 17); the 9th
        # counts the districts whose figure rests on an estimated value
        assert isinstance(ws.cell(r, 9).value, int)
        assert values(ws, r, 1, 8) + values(ws, r, 10, 17) == [
            f"└ {row['title']}" if row["parent"] else row["title"],
            row["host_name"],
            row["target"],
            row["actual"],
            row["percent"],
            row["expected"],
            STATUS_WORDS["th"][row["status"]],
            row["reported"],
            row["policy_title"],
            row["key_result"],
            row["allocated"],
            row["stale"],
            *[bands.get(b) for b in BAND_WORDS["en"]],
        ], f"row {r}"
    assert ws.cell(HEAD + 1 + len(doc["rows"]), 1).value is None


def test_status_sheet_header_layout_and_print_setup(books: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(books["status"])["สถานะ"]
    assert ws["A1"].value == (
        "ทุกกลุ่มภารกิจ — ปีงบประมาณ 2567 (1 ต.ค. 2566 – 30 ก.ย. 2567), ณ วันที่ 30 มิ.ย. 2567: "
        "74.9 % ของปีผ่านไปแล้ว"
    )
    assert ws["A2"].value == "19 ตัวชี้วัด: 1 บรรลุแล้ว · 3 ตามแผน · 2 เสี่ยง · 12 ล่าช้า · 1 ไม่มีข้อมูล"
    assert values(ws, HEAD, 1, 10) == [
        "ตัวชี้วัด",
        "หน่วยงานรับผิดชอบหลัก (H)",
        "เป้าหมาย",
        "ผลงาน",
        "% ของเป้า",
        "ควรได้ ณ 30 มิ.ย. 2567",
        "สถานะ",
        "รายงาน งวด 2567-06",
        "ประมาณการ",
        "นโยบาย",
    ]
    assert ws.freeze_panes == "B6"
    assert ws.auto_filter.ref == "A5:Q24"
    assert ws.print_title_rows == "$5:$5"
    # the printed page: the first eight columns, every row
    assert ws.print_area == f"'สถานะ'!$A$1:$I${ws.max_row}"
    assert (ws.page_margins.top, ws.page_margins.header) == (0.8, 0.3)
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.oddHeader.center.text == "ทุกกลุ่มภารกิจ — ปีงบประมาณ 2567 — ณ วันที่ 30 มิ.ย. 2567"
    assert ws.oddFooter.center.text == "&P / &N"


def test_numbers_carry_the_key_results_unit_in_their_format(books: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(books["status"])["สถานะ"]
    rows = {ws.cell(r, 11).value: r for r in range(HEAD + 1, HEAD + 20)}
    trees, waste = rows["env-trees-planted"], rows["env-waste-collection-buildings"]
    assert [ws.cell(trees, c).number_format for c in (3, 4, 5, 6)] == [
        '#,##0" ต้น"',
        '#,##0" ต้น"',
        '#,##0.0" %"',
        '#,##0" ต้น"',
    ]
    # share-at-target: 100 % in each; 31 of 50 districts; on track 36/50
    assert [(ws.cell(waste, c).value, ws.cell(waste, c).number_format) for c in (3, 4, 6)] == [
        (100, '#,##0" % ทุกหน่วย"'),
        (31, '#,##0" จาก 50"'),
        (36, '"ตามแผน "#,##0"/50"'),
    ]
    assert ws.cell(trees, 8).number_format == "#,##0"


def test_status_cells_are_filled_with_their_colour_and_the_legend_names_them(
    books: dict[str, Path],
) -> None:
    doc = status_json()
    ws = openpyxl.load_workbook(books["status"])["สถานะ"]
    for i, row in enumerate(doc["rows"]):
        fill = ws.cell(HEAD + 1 + i, 7).fill
        assert (fill.fill_type, fill.fgColor.rgb) == ("solid", "00" + FILLS[row["status"]])
    legend = HEAD + len(doc["rows"]) + 2
    assert ws.cell(legend, 1).value == "ความหมายของสี"
    # one row of filled cells, side by side (issue 17: the legend takes two printed lines)
    cells = [ws.cell(legend + 1, 1 + n) for n in range(5)]
    assert [(c.value, c.fill.fgColor.rgb) for c in cells] == [
        (STATUS_WORDS["th"][k], "00" + FILLS[k]) for k in STATUS_WORDS["th"]
    ]


def test_columns_are_wide_enough_for_their_thai_text(books: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(books["status"])["สถานะ"]
    ids = [ws.cell(r, 11).value for r in range(HEAD + 1, HEAD + 20)]
    # the id column fits its widest id; a Thai mark above a letter takes no width
    assert text_width("ที่") == 1
    widest = max(text_width(h) for h in ids)
    assert ws.column_dimensions["K"].width == pytest.approx(widest * 1.1 + 2)
    # the policy titles, right of the print area: one line each in a column as wide as the
    # widest (44 cells), so that they do not make a printed row taller
    titles = [ws.cell(r, 10).value for r in range(HEAD + 1, HEAD + 20)]
    assert max(text_width(t) for t in titles) == 44
    assert ws.column_dimensions["J"].width == pytest.approx(44 * 1.1 + 2)
    long_policy = next(
        r for r in range(HEAD + 1, HEAD + 20) if text_width(titles[r - HEAD - 1]) > 30
    )
    assert ws.cell(long_policy, 10).alignment.wrap_text is None
    # its printed cells fit one line: the row is one line tall (it was two for the title)
    assert ws.row_dimensions[long_policy].height == 15


def test_agency_sheet_is_the_agencys_own_rows_with_the_city_beside(
    books: dict[str, Path],
) -> None:
    doc = status_json("--agency", "bang-rak")
    ws = openpyxl.load_workbook(books["agency"]).worksheets[0]
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "ตัวชี้วัด")
    # the agency's own view prints without the host (issue 17: the page's width)
    assert values(ws, head, 7, 13) == [
        "รายงาน งวด 2567-06",
        "ทั้งเมือง: สถานะ",
        "ทั้งเมือง: % ของเป้า",
        "ประมาณการ",
        "นโยบาย",
        "รหัส",
        "หน่วยงานรับผิดชอบหลัก (H)",
    ]
    assert doc["rows"]
    for i, row in enumerate(doc["rows"]):
        r = head + 1 + i
        assert values(ws, r, 2, 6) == [
            row["target"],
            row["actual"],
            row["percent"],
            row["expected"],
            STATUS_WORDS["th"][row["status"]],
        ]
        assert values(ws, r, 8, 9) == [
            STATUS_WORDS["th"][row["city"]["status"]],
            row["city"]["percent"],
        ]
        assert values(ws, r, 11, 13) == [row["policy_title"], row["key_result"], row["host_name"]]
    assert ws.auto_filter.ref == f"A{head}:M{head + len(doc['rows'])}"
    assert ws.print_area == f"'สถานะ'!$A$1:$J${ws.max_row}"


# --- status --by: a sheet per key result ---------------------------------------------------------


def test_by_district_sheet_per_key_result_equals_the_json_tables(books: dict[str, Path]) -> None:
    doc = status_json("--by", "district")
    wb = openpyxl.load_workbook(books["district"])
    assert wb.sheetnames == [t["key_result"]["key_result"][:31] for t in doc["tables"]]
    for table in doc["tables"]:
        ws = wb[table["key_result"]["key_result"][:31]]
        assert ws.freeze_panes == "B5"
        assert ws.auto_filter.ref == f"A4:I{4 + len(table['rows'])}"
        for i, row in enumerate(table["rows"]):
            assert values(ws, 5 + i, 1, 8) == [
                row["name"],
                row["zone_name"],
                row["target"],
                row["actual"],
                row["percent"],
                BAND_WORDS["th"][row["band"]],
                _own_report(row),
                STATUS_WORDS["th"][row["status"]],
            ]


def test_by_district_trees_sheet_has_the_band_counts_and_their_bar_chart(
    books: dict[str, Path],
) -> None:
    ws = openpyxl.load_workbook(books["district"])["env-trees-planted"]
    # 50 districts in rows 5-54, then the distribution: caption, header, four bands
    assert ws.cell(56, 1).value == SHEET_WORDS["th"]["distribution"]
    assert values(ws, 57, 1, 2) == ["เทียบเป้าของตน", "เขต"]
    assert [values(ws, r, 1, 2) for r in range(58, 62)] == [
        ["ถึงเป้า", 33],
        ["≥ 50 %", 17],
        ["< 50 %", 0],
        ["ยังไม่รายงาน", 0],
    ]
    with zipfile.ZipFile(books["district"]) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        sheet_of = _chart_sheets(z)
        trees = next(c for c in charts if sheet_of[c] == "env-trees-planted")
        root = ElementTree.fromstring(z.read(trees))
    # a chart on each sheet of a key result with districts allocated, none on the others
    tables = status_json("--by", "district")["tables"]
    with_districts = [
        t["key_result"]["key_result"][:31] for t in tables if t["key_result"]["districts"]
    ]
    assert sorted(sheet_of.values()) == sorted(with_districts)
    assert len(charts) == 15
    assert root.find(".//c:barChart", NS) is not None
    refs = [f.text for f in root.iterfind(".//c:ser/c:val/c:numRef/c:f", NS)]
    cats = [f.text for f in root.iterfind(".//c:ser/c:cat/c:strRef/c:f", NS)]
    title = [f.text for f in root.iterfind(".//c:ser/c:tx//c:f", NS)]
    assert refs == ["'env-trees-planted'!$B$58:$B$61"]
    assert cats == ["'env-trees-planted'!$A$58:$A$61"]
    assert title == ["'env-trees-planted'!$B$57"]  # the series is named by its header


def _own_report(row: dict) -> str:
    """An agency's "reported for the period" cell, as the terminal table words it."""
    if row["report"] == "reported":
        return row["last_period"] or "แล้ว"
    if row["report"] == "stale":
        return f"รายงานล่าสุด {row['last_period']}"
    return "–"


def _chart_sheets(z: zipfile.ZipFile) -> dict[str, str]:
    """Each chart part and the name of the sheet that draws it (workbook → sheet → drawing)."""
    rel = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
    wb = ElementTree.fromstring(z.read("xl/workbook.xml"))
    wb_rels = {
        r.get("Id"): r.get("Target")
        for r in ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels")).iter(rel)
    }
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    out = {}
    for sheet in wb.iter(f"{{{NS['s']}}}sheet"):
        part = "xl/" + wb_rels[sheet.get(rid)].removeprefix("/xl/")
        rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
        if rels not in z.namelist():
            continue
        for r in ElementTree.fromstring(z.read(rels)).iter(rel):
            drawing = "xl/" + r.get("Target").removeprefix("/xl/").removeprefix("../")
            drels = drawing.replace("drawings/", "drawings/_rels/") + ".rels"
            for d in ElementTree.fromstring(z.read(drels)).iter(rel):
                chart = "xl/" + d.get("Target").removeprefix("/xl/").removeprefix("../")
                out[chart] = sheet.get("name")
    return out


def test_by_zone_rows_equal_the_json_rows(books: dict[str, Path]) -> None:
    doc = status_json("--by", "zone")
    wb = openpyxl.load_workbook(books["zone"])
    table = doc["tables"][0]
    ws = wb.worksheets[0]
    assert values(ws, 4, 1, 12) == [
        "กลุ่มเขต",
        "เป้าหมาย",
        "ผลงาน",
        "% ของเป้า",
        "รายงาน งวด 2567-06",
        "หน่วยงานที่มีเป้าหมาย",
        "ค้างรายงาน",
        "เขตที่ถึงเป้า",
        "≥ 50 %",
        "< 50 %",
        "ยังไม่รายงาน",
        "สถานะ",
    ]
    for i, row in enumerate(table["rows"]):
        bands = row["districts"] or {}
        target = row["count_target"] if row["count_target"] is not None else row["target"]
        assert values(ws, 5 + i, 1, 12) == [
            row["name"],
            target,
            row["actual"],
            row["percent"],
            row["reported"],
            row["allocated"],
            row["stale"],
            *[bands.get(b) for b in BAND_WORDS["en"]],
            STATUS_WORDS["th"][row["status"]],
        ]
    assert len(wb.sheetnames) == len(doc["tables"])


def test_english_workbook_by_agency_has_english_words(books: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(books["by-agency"]).worksheets[0]
    assert ws["A1"].value == "all groups — FY 2567, as of 30 Jun 2024: 74.9 % of the year gone"
    assert values(ws, 4, 1, 8) == [
        "Agency",
        "Zone",
        "Target",
        "Actual",
        "% of target",
        "Own target",
        "Reported for 2567-06",
        "Status",
    ]
    assert ws.oddHeader.center.text == "all groups — FY 2567 — as of 30 Jun 2024"


# --- missing ------------------------------------------------------------------------------------


def test_missing_sheet_lists_every_item_of_the_json(books: dict[str, Path]) -> None:
    doc = status_json(command="missing")
    ws = openpyxl.load_workbook(books["missing"]).worksheets[0]
    assert ws.title == "ยังไม่รายงาน"
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "หน่วยงาน")
    assert doc["items"]
    reasons = {
        "no-report": f"ยังไม่รายงานงวด {doc['header']['period']}",
        "no-project-report": f"โครงการยังไม่รายงานงวด {doc['header']['period']}",
        "not-bound": "ยังไม่ผูก OKR (ยังไม่ได้ผูก OKR ของตนและกรอกค่าเป้าหมาย)",
    }
    for i, item in enumerate(doc["items"]):
        bound = item["reason"] == "not-bound"
        ids = {"no-report": item["key_result"], "no-project-report": item.get("project")}
        cell = ws.cell(head + 1 + i, 2)
        due = ws.cell(head + 1 + i, 5).value
        # the printed columns, then the rest (issue 17): due on a day is not 0 days overdue
        if item["due"] is None:
            when = None
        elif item["days_overdue"]:
            when = f"เกินกำหนด {item['days_overdue']} วัน"
        else:
            when = f"อีก {item['due_in_days']} วันถึงกำหนด"
        assert values(ws, head + 1 + i, 1, 12) == [
            item["name"],
            reasons[item["reason"]],
            item["policy_title"] if bound else item["title"],
            item["last_period"],
            due,
            when,
            item["agency"],
            item["zone_name"] or None,  # a department has no zone: an empty cell
            ids.get(item["reason"], item["policy"]),
            item["days_overdue"] or None,
            item["due_in_days"],
            item["host_name"],
        ]
        # the due date is a real date cell, the day the JSON names
        assert (due.date().isoformat() if due else None) == item["due"]
        assert cell.fill.fgColor.rgb == "00" + FILLS[item["reason"]]
    assert ws.auto_filter.ref == f"A{head}:L{head + len(doc['items'])}"
    assert ws.print_area.endswith(f"!$A$1:$F${ws.max_row}")


# --- what a spreadsheet program must not run, and what it must open -----------------------------


def test_a_formula_like_policy_title_is_stored_as_text(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path, MINI)
    title = '=HYPERLINK("http://evil.example","click")'
    edit(root / "policies/environment/trees.yaml", "title_th: ปลูกต้นไม้ล้านต้น", f"title_th: '{title}'")
    path = write(tmp_path / "evil.xlsx", data=root)
    ws = openpyxl.load_workbook(path).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if c.value == title]
    doc = json.loads(run("status", "--data", str(root), *JUNE, "-f", "json")[1])
    rows = [r for r in doc["rows"] if r["policy"] == "trees"]
    # the policy column is on the sheet right of the printed columns (issue 17)
    assert [c.coordinate for c in cells] == [f"J{5 + i}" for i in range(len(rows))]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


def test_every_part_parses_and_every_string_cell_is_there(books: dict[str, Path]) -> None:
    for name, path in books.items():
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None, name
            parts = {p: z.read(p) for p in z.namelist()}
        for part, data in parts.items():
            if part.endswith((".xml", ".rels")):
                ElementTree.fromstring(data)  # raises on a part that does not parse
        cells = [
            c
            for p, data in parts.items()
            if p.startswith("xl/worksheets/sheet")
            for c in ElementTree.fromstring(data).iter(f"{{{NS['s']}}}c")
        ]
        shared = [c for c in cells if c.get("t") == "s"]
        if "xl/sharedStrings.xml" in parts:
            strings = ElementTree.fromstring(parts["xl/sharedStrings.xml"])
            unique = len(strings.findall("s:si", NS))
            assert int(strings.get("uniqueCount")) == unique, name
            assert all(int(c.find("s:v", NS).text) < unique for c in shared), name
        else:  # openpyxl writes its strings inline: no cell may point into a missing table
            assert shared == [], name
        inline = [c for c in cells if c.get("t") == "inlineStr"]
        assert all(c.find("s:is", NS) is not None for c in inline), name
        assert len(inline) > 10, name


def test_every_workbook_round_trips_through_openpyxl(
    books: dict[str, Path], tmp_path: Path
) -> None:
    for name, path in books.items():
        first = openpyxl.load_workbook(path)
        first.save(tmp_path / f"{name}.xlsx")
        again = openpyxl.load_workbook(tmp_path / f"{name}.xlsx")
        assert again.sheetnames == first.sheetnames, name
        for a, b in zip(first.worksheets, again.worksheets, strict=True):
            cells = [(c.value, c.number_format) for row in a.iter_rows() for c in row]
            assert cells == [(c.value, c.number_format) for row in b.iter_rows() for c in row]
            assert (b.freeze_panes, b.auto_filter.ref) == (a.freeze_panes, a.auto_filter.ref)


def test_the_same_data_gives_the_same_bytes(tmp_path: Path) -> None:
    first = write(tmp_path / "a.xlsx")
    second = write(tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(2024, 6, 30, 0, 0, 0)}
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2024-06-30T00:00:00Z' in core
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-06-30T00:00:00Z' in core


# --- the writer's API, as history and brief call it ----------------------------------------------


def history_sheet(lang: str = "th") -> Sheet:
    """A sheet like history's: periods, their end days, actual against expected, a line chart."""
    columns = [
        Column("งวด"),
        Column("สิ้นงวด", "date"),
        Column("ผลงาน", "number", unit="ต้น"),
        Column("ควรได้", "number", unit="ต้น", decimals=0),
        Column("สถานะ", "status"),
    ]
    rows = [
        Row(["ปีงบประมาณ 2567", None, None, None, None], "section"),
        Row(["2566-10", date(2023, 10, 31), 15200, 16940.5, Mark("on-track", "ตามแผน")]),
        Row(["2566-11", date(2023, 11, 30), Number(31000.25), 33333, Mark("at-risk", "เสี่ยง")]),
        Row(["2566-12", date(2023, 12, 31), Number(20, prefix="≤ ", unit="ราย"), 50, "–"], "child"),
    ]
    chart = Chart("line", "ต้นไม้: ผลงานเทียบที่ควรได้", categories=0, series=[2, 3], rows=(1, 4))
    return Sheet(
        name="ประวัติ: ต้นไม้?",  # '?' and ':' are not allowed in a sheet name
        header=["ประวัติ env-trees-planted", "ปีงบประมาณ 2567"],
        tables=[Table(columns, rows, charts=[chart])],
        legend=[("on-track", "ตามแผน"), ("at-risk", "เสี่ยง")],
        lang=lang,
    )


@pytest.fixture(scope="module")
def api_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "history.xlsx"
    write_workbook([history_sheet(), history_sheet("en")], path, as_of=date(2024, 6, 30))
    return path


def test_the_writer_lays_out_a_sheet_as_documented(api_book: Path) -> None:
    wb = openpyxl.load_workbook(api_book)
    assert wb.sheetnames == ["ประวัติ- ต้นไม้-", "ประวัติ- ต้นไม้- (2)"]
    ws = wb.worksheets[0]
    assert [ws.cell(r, 1).value for r in range(1, 5)] == [
        "ประวัติ env-trees-planted",
        "ปีงบประมาณ 2567",
        None,
        "งวด",
    ]
    assert ws.freeze_panes == "B5" and ws.auto_filter.ref == "A4:E8"
    assert ws["A5"].font.bold and ws["A5"].fill.fgColor.rgb == "00EDEDED"  # section row
    assert ws["A8"].alignment.indent == 2  # child row
    assert [(ws.cell(6, c).value, ws.cell(6, c).number_format) for c in (2, 3, 4)] == [
        (datetime(2023, 10, 31), "[$-7041E]d mmm yyyy"),  # openpyxl reads a datetime
        (15200, '#,##0" ต้น"'),
        (16940.5, '#,##0" ต้น"'),
    ]
    assert (ws["C7"].value, ws["C7"].number_format) == (31000.25, '#,##0.00" ต้น"')
    assert (ws["C8"].value, ws["C8"].number_format) == (20, '"≤ "#,##0" ราย"')
    assert ws["E8"].value == "–" and ws["E8"].fill.fill_type is None
    assert wb.worksheets[1]["B6"].number_format == "d mmm yyyy"
    with zipfile.ZipFile(api_book) as z:
        root = ElementTree.fromstring(z.read("xl/charts/chart1.xml"))
    assert root.find(".//c:lineChart", NS) is not None
    assert [f.text for f in root.iterfind(".//c:ser/c:val/c:numRef/c:f", NS)] == [
        "'ประวัติ- ต้นไม้-'!$C$6:$C$8",
        "'ประวัติ- ต้นไม้-'!$D$6:$D$8",
    ]
    assert [f.text for f in root.iterfind(".//c:ser/c:cat/c:strRef/c:f", NS)] == [
        "'ประวัติ- ต้นไม้-'!$A$6:$A$8"
    ] * 2
    assert [f.text for f in root.iterfind(".//c:ser/c:tx/c:strRef/c:f", NS)] == [
        "'ประวัติ- ต้นไม้-'!$C$4",
        "'ประวัติ- ต้นไม้-'!$D$4",
    ]


@pytest.fixture(scope="module")
def soffice() -> str:
    """LibreOffice, or a skip when it is not installed (a failure with OKRTOOL_REQUIRE_OFFICE)."""
    if not Path(SOFFICE).exists():
        if os.environ.get("OKRTOOL_REQUIRE_OFFICE"):
            pytest.fail(f"{SOFFICE} is not installed and OKRTOOL_REQUIRE_OFFICE is set")
        pytest.skip(f"{SOFFICE} is not installed")
    return SOFFICE


def convert(soffice: str, tmp_path: Path, to: str, books: list[Path]) -> Path:
    """Run LibreOffice headless on ``books`` (a profile of its own: no clash with another
    LibreOffice running, nothing left in $HOME); return the folder of what it wrote."""
    out = tmp_path / "out"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            *map(str, books),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_libreoffice_opens_every_workbook_and_prints_it(
    books: dict[str, Path], api_book: Path, soffice: str, tmp_path: Path
) -> None:
    paths = [*books.values(), api_book]
    out = convert(soffice, tmp_path, "pdf", paths)
    for path in paths:
        pdf = out / (path.stem + ".pdf")
        assert pdf.exists(), f"LibreOffice did not print {path.name}"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-")
        # one page per sheet at least: each sheet is one page wide
        pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
        assert pages >= len(openpyxl.load_workbook(path).sheetnames), path.name


def test_libreoffice_shows_the_numbers_with_their_units_and_thai_dates(
    books: dict[str, Path], api_book: Path, soffice: str, tmp_path: Path
) -> None:
    # CSV of the first sheet, each cell as it is shown (the 9th filter option)
    out = convert(
        soffice,
        tmp_path,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
        [books["status"], api_book],
    )
    status = (out / "status.csv").read_text(encoding="utf-8").splitlines()
    trees = next(line for line in status if ",env-trees-planted," in line)
    assert trees.split(",สำนักสิ่งแวดล้อม,")[1].startswith(
        '"200,000 ต้น","218,910 ต้น",109.5 %,"149,727 ต้น",บรรลุแล้ว,50,'
    )
    assert trees.endswith(",env-trees-planted,50,0,33,17,0,0")
    history = (out / "history.csv").read_text(encoding="utf-8").splitlines()
    assert history[5:8] == [
        '2566-10,31 ต.ค. 2566,"15,200 ต้น","16,941 ต้น",ตามแผน',
        '2566-11,30 พ.ย. 2566,"31,000.25 ต้น","33,333 ต้น",เสี่ยง',
        "2566-12,31 ธ.ค. 2566,≤ 20 ราย,50 ต้น,–",
    ]


# --- the command line ---------------------------------------------------------------------------


def test_xlsx_without_output_is_refused_and_nothing_printed() -> None:
    code, out = run("status", "--data", str(SHIPPED), "--format", "xlsx")
    assert (code, out) == (
        2,
        "okrtool: --format xlsx writes a workbook, which is not printed to a terminal: give its "
        "file name with -o FILE.xlsx\n",
    )


def test_an_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    path.write_bytes(b"the officer's notes")
    code, out = run("missing", "--data", str(SHIPPED), *JUNE, "-o", str(path))
    assert (code, out) == (
        2,
        f"okrtool: --output {path}: already exists; pass --force to write over it, or write "
        "elsewhere\n",
    )
    assert path.read_bytes() == b"the officer's notes"
    code, out = run("missing", "--data", str(SHIPPED), *JUNE, "-o", str(path), "--force")
    assert (code, out) == (0, f"wrote {path}\n")
    assert openpyxl.load_workbook(path).sheetnames == ["ยังไม่รายงาน"]


def test_a_missing_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "s.xlsx"
    code, out = run("status", "--data", str(SHIPPED), "-o", str(path))
    assert (code, out) == (
        2,
        f"okrtool: --output {path}: no folder {path.parent}/ to write into; make it first, or "
        "write elsewhere\n",
    )


def test_nothing_missing_is_said_under_an_empty_table(tmp_path: Path) -> None:
    # dds has reported everything and owns no project (env owes a project report in MINI)
    path = write(tmp_path / "none.xlsx", "--agency", "dds", command="missing", data=MINI)
    ws = openpyxl.load_workbook(path).worksheets[0]
    # the header line and the note that MINI has no reporting calendar, then the header row alone
    assert ws.cell(2, 1).value.startswith("หมายเหตุ: ")  # the calendar note
    assert ws.auto_filter.ref == "A4:L4"
    # the legend: its title, then its keys side by side in one row
    assert [ws.cell(7, c).value for c in (1, 2)] == [
        "ยังไม่รายงานงวด 2567-06",
        "ยังไม่ผูก OKR (ยังไม่ได้ผูก OKR ของตนและกรอกค่าเป้าหมาย)",
    ]
    assert [ws.cell(r, 1).value for r in range(5, 13) if ws.cell(r, 1).value] == [
        "ความหมายของสี",
        "ยังไม่รายงานงวด 2567-06",
        "ครบถ้วน: ทุกหน่วยงานที่มีเป้าหมายรายงานแล้ว",
        "นิยาม: docs/definitions.md — รายงานแล้วของงวด, ค้างรายงาน, ควรได้ ณ วันนี้, "
        "ความคืบหน้า, สถานะ, แถวทั้งเมืองของแต่ละวิธีรวมผล",
    ]


def test_a_file_where_the_folder_should_be_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    path = tmp_path / "notes.txt" / "s.xlsx"
    code, out = run("status", "--data", str(SHIPPED), "-o", str(path))
    assert (code, out) == (
        2,
        f"okrtool: --output {path}: {path.parent} is not a folder; expected a folder to write "
        "into\n",
    )


def test_an_unwritable_folder_is_one_line_and_exit_2() -> None:
    shared = unprivileged_folder()  # run as uid 65534: root (CI) writes anywhere
    try:
        data = shutil.copytree(SHIPPED, shared / "data")
        folder = shared / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        code, out = run_unprivileged("status", "--data", str(data), "-o", str(folder / "s.xlsx"))
        assert code == 2
        assert out == (
            f"okrtool: --output {folder / 's.xlsx'}: cannot write in the folder {folder}/ "
            "(permission denied); write elsewhere\n"
        )
        assert list(folder.iterdir()) == []
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_format_and_file_name_must_agree(tmp_path: Path) -> None:
    code, out = run("status", "--data", str(SHIPPED), "-f", "csv", "-o", str(tmp_path / "s.xlsx"))
    assert (code, out) == (
        2,
        f"okrtool: --output {tmp_path / 's.xlsx'}: a .xlsx name for --format csv; use --format "
        "xlsx for a workbook, or another name\n",
    )
    code, out = run("status", "--data", str(SHIPPED), "-f", "xlsx", "-o", str(tmp_path / "s.csv"))
    assert (code, out) == (
        2,
        f"okrtool: --output {tmp_path / 's.csv'}: a workbook's name ends in .xlsx (found "
        "'.csv'); name it like s.xlsx\n",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
def test_output_writes_the_text_formats_as_they_are_printed(tmp_path: Path, fmt: str) -> None:
    args = ("--data", str(SHIPPED), *JUNE, "--group", "quality-of-life", "-f", fmt)
    code, printed = run("status", *args, "--width", "120")
    assert code == 0
    path = tmp_path / f"status.{fmt}"
    code, out = run("status", *args, "--width", "120", "-o", str(path))
    assert (code, out) == (0, f"wrote {path}\n")
    assert path.read_text(encoding="utf-8") == printed


def test_help_does_not_load_openpyxl() -> None:
    code = "import sys, okrtool.cli; print('openpyxl' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    ).stdout
    assert out.strip() == "False"
