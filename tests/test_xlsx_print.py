"""Every kind of workbook printed by LibreOffice (issue 17): A4 landscape, body text at 8 pt or
more, no two lines of text on top of each other, no near-empty page, charts clear of each other
and of the tables; and the figures issue 17 put right (share-at-target counts, due vs overdue,
counts as numbers, the same bytes twice).

The workbooks are made once from the shipped data and converted to PDF in one LibreOffice run
(a module fixture: a conversion costs seconds). The geometry is read from the PDF itself:
``pdftotext -bbox`` gives each word's box; a box is 1.3 times the font size tall (LibreOffice's
Thai and Latin fonts here, measured: an 8 pt line is 10.4 pt tall).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from office import convert, pdftotext_or_skip, soffice_or_skip

from helpers import SHIPPED, run

AS_OF = "2024-06-30"
#: name → the okrtool arguments that write it
WORKBOOKS = {
    "status": ["status", "--as-of", AS_OF],
    "since": ["status", "--since", "2024-04-30", "--as-of", AS_OF],
    "district": ["status", "--by", "district", "--policy", "env-trees", "--as-of", AS_OF],
    "missing": ["missing", "--as-of", AS_OF],
    "history": ["history", "infra-risk-spots-fixed", "--as-of", AS_OF],
    "brief": ["brief", "--host", "env", "--as-of", AS_OF],
    "handbook": ["handbook", "--agency", "env", "--as-of", AS_OF],
    # the widest variants: an agency's own rows beside the city's; English with --since
    "agency": ["status", "--agency", "bang-rak", "--as-of", AS_OF],
    "brief-en": [
        "brief",
        "--host",
        "env",
        "--since",
        "2024-04-30",
        "--as-of",
        AS_OF,
        "--lang",
        "en",
    ],
}
#: A word box's height per point of font size.
BOX_PER_PT = 1.3
SMALLEST_PT = 8.0
#: The page's top and bottom margins (0.8 in): the page header and footer live there.
MARGIN_PT = 57.6


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def pt(self) -> float:
        return (self.y1 - self.y0) / BOX_PER_PT


@dataclass(frozen=True)
class Page:
    number: int
    height: float
    words: list[Word]

    def body(self) -> list[Word]:
        """The words between the top and bottom margins: not the page header or footer."""
        return [w for w in self.words if w.y0 > MARGIN_PT and w.y1 < self.height - MARGIN_PT]


_BOX = re.compile(
    r'<page width="[\d.]+" height="([\d.]+)">|'
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def pages_of(pdf: Path) -> list[Page]:
    out = subprocess.run(
        [str(pdftotext_or_skip()), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages: list[Page] = []
    for m in _BOX.finditer(out):
        if m.group(1):
            pages.append(Page(len(pages) + 1, float(m.group(1)), []))
        else:
            x0, y0, x1, y1 = (float(v) for v in m.group(2, 3, 4, 5))
            pages[-1].words.append(Word(x0, y0, x1, y1, m.group(6)))
    return pages


@pytest.fixture(scope="module")
def printed() -> dict[str, tuple[Path, list[Page]]]:
    """Each workbook kind written by the CLI and printed to PDF by LibreOffice, in one run."""
    soffice_or_skip()  # before making the workbooks: skip early without LibreOffice
    pdftotext_or_skip()
    folder = Path(tempfile.mkdtemp(prefix="okrtool-print-"))
    books = []
    for name, args in WORKBOOKS.items():
        path = folder / f"{name}.xlsx"
        code, output = run(*args, "--data", str(SHIPPED), "-o", str(path))
        assert code == 0, f"okrtool {' '.join(args)}: {output}"
        books.append(path)
    convert(books, folder)
    return {b.stem: (b, pages_of(folder / f"{b.stem}.pdf")) for b in books}


@pytest.mark.parametrize("name", WORKBOOKS)
def test_body_text_prints_at_8_pt_or_more(printed, name: str) -> None:
    _, pages = printed[name]
    small = [
        (p.number, w.text, round(w.pt, 1))
        for p in pages
        for w in p.body()
        if w.pt < SMALLEST_PT - 0.05 and w.text.strip()
    ]
    assert small == [], f"{name}.xlsx prints text under {SMALLEST_PT} pt: {small[:10]}"


@pytest.mark.parametrize("name", WORKBOOKS)
def test_no_two_lines_of_text_overlap(printed, name: str) -> None:
    _, pages = printed[name]
    clashes = []
    for p in pages:
        words = sorted(p.words, key=lambda w: (w.y0, w.x0))
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                if b.y0 >= a.y1:
                    break
                same_line = abs(a.y0 - b.y0) < 1 or abs(a.y1 - b.y1) < 1
                x = min(a.x1, b.x1) - max(a.x0, b.x0)
                y = min(a.y1, b.y1) - max(a.y0, b.y0)
                if not same_line and x > 1 and y > 0.25 * min(a.y1 - a.y0, b.y1 - b.y0):
                    clashes.append((p.number, a.text, b.text))
    assert clashes == [], f"{name}.xlsx prints text over text: {clashes[:10]}"


@pytest.mark.parametrize("name", WORKBOOKS)
def test_no_page_is_near_empty(printed, name: str) -> None:
    _, pages = printed[name]
    thin = []
    for p in pages:
        body = p.body()
        used = max((w.y1 for w in body), default=0) - min((w.y0 for w in body), default=0)
        room = p.height - 2 * MARGIN_PT
        if used < 0.15 * room:
            thin.append((p.number, round(used / room, 2), [w.text for w in body][:8]))
    assert thin == [], f"{name}.xlsx has near-empty pages (page, share used, words): {thin}"


def test_the_two_workbooks_of_done_print_on_a4_landscape(printed) -> None:
    for name in ("since", "handbook"):
        _, pages = printed[name]
        assert {(round(p.height, 1)) for p in pages} == {595.3}, name


# --- charts: anchored clear of each other and of the tables ----------------------------------

_ANCHOR = re.compile(
    r"<oneCellAnchor><from><col>(\d+)</col><colOff>\d+</colOff>"
    r"<row>(\d+)</row><rowOff>\d+</rowOff></from>"
    r'<ext cx="(\d+)" cy="(\d+)" ?/>'
)
EMU_PER_PT = 12700
CHAR_PT = 7.0  # a column's width unit as LibreOffice lays it out here


def chart_boxes(path: Path) -> dict[str, list[tuple[float, float, float, float]]]:
    """sheet title → each chart's box (left, top, right, bottom) in points on the sheet."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, list[tuple[float, float, float, float]]] = {}
    with zipfile.ZipFile(path) as z:
        for i, ws in enumerate(wb.worksheets, 1):
            rels = f"xl/worksheets/_rels/sheet{i}.xml.rels"
            if rels not in z.namelist():
                continue
            drawing = re.search(
                r'Target="/?(?:\.\./)?(?:xl/)?drawings/([^"]+)"', z.read(rels).decode()
            )
            if drawing is None:
                continue
            xml = z.read(f"xl/drawings/{drawing.group(1)}").decode()
            for col, row, cx, cy in _ANCHOR.findall(xml):
                left = _column_left(ws, int(col))
                top = _row_top(ws, int(row))
                out.setdefault(ws.title, []).append(
                    (left, top, left + int(cx) / EMU_PER_PT, top + int(cy) / EMU_PER_PT)
                )
    return out


def _width(ws, c: int) -> float:
    from openpyxl.utils import get_column_letter

    dim = ws.column_dimensions.get(get_column_letter(c))
    return (dim.width if dim is not None and dim.width else 8.43) * CHAR_PT


def _column_left(ws, col0: int) -> float:
    return sum(_width(ws, c) for c in range(1, col0 + 1))


def _row_top(ws, row0: int) -> float:
    return sum((ws.row_dimensions[r].height or 15) for r in range(1, row0 + 1))


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


@pytest.mark.parametrize("name", ["district", "history", "brief"])
def test_charts_overlap_neither_each_other_nor_a_filled_cell(printed, name: str) -> None:
    path, _ = printed[name]
    boxes = chart_boxes(path)
    assert boxes, f"{name}.xlsx has no chart"
    wb = openpyxl.load_workbook(path)
    for sheet, charts in boxes.items():
        ws = wb[sheet]
        for i, a in enumerate(charts):
            for b in charts[i + 1 :]:
                assert not _overlap(a, b), f"{name}.xlsx {sheet}: charts overlap {a} {b}"
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    left = _column_left(ws, cell.column - 1)
                    top = _row_top(ws, cell.row - 1)
                    box = (left, top, left + 1, top + (ws.row_dimensions[cell.row].height or 15))
                    assert not _overlap(a, box), (
                        f"{name}.xlsx {sheet}: a chart covers {cell.coordinate} ({cell.value!r})"
                    )


# --- the figures ---------------------------------------------------------------------------------


def test_history_of_a_share_at_target_key_result_counts_agencies(printed) -> None:
    path, pages = printed["history"]
    ws = openpyxl.load_workbook(path).active
    june = next(r for r in ws.iter_rows() if r[0].value == "มิ.ย. 2567")
    assert [(c.value, c.number_format) for c in june[1:4]] == [
        (20, '#,##0" จาก 30"'),
        (20, '#,##0" จาก 50"'),
        (28, '"ตามแผน "#,##0"/50"'),
    ]
    assert (june[5].value, june[5].number_format) == (50, '#,##0" หน่วยงาน"')
    assert (june[6].value, june[6].number_format) == (30, '#,##0"/50"')
    text = " ".join(w.text for w in pages[0].words)
    assert "20 จาก 50" in text and "20 %" not in text


def test_missing_says_due_on_a_date_not_zero_days_overdue(printed) -> None:
    path, pages = printed["missing"]
    ws = openpyxl.load_workbook(path).active
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "หน่วยงาน")
    header = [c.value for c in ws[head]]
    first = [c.value for c in ws[head + 1]]
    row = dict(zip(header, first, strict=False))
    assert row["ถึงกำหนดหรือเกินกำหนด"] == "อีก 5 วันถึงกำหนด"
    assert row["เกินกำหนด (วัน)"] is None
    assert row["อีกกี่วันถึงกำหนด"] == 5
    assert row["กำหนดส่ง"].date().isoformat() == "2024-07-05"
    text = " ".join(w.text for w in pages[0].words)
    assert "5 ก.ค. 2567 อีก 5 วันถึงกำหนด" in text


def test_counts_are_numbers_not_text(printed) -> None:
    path, _ = printed["brief"]
    ws = openpyxl.load_workbook(path)["สรุป"]
    counts = [
        (c.value, c.number_format)
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.number_format, str) and c.number_format.endswith('"/50"')
    ]
    assert counts and all(isinstance(v, int) for v, _ in counts), counts
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if re.fullmatch(r"\d+/\d+", t)]


def test_since_changes_are_signed_with_units(printed) -> None:
    path, pages = printed["since"]
    ws = openpyxl.load_workbook(path).active
    formats = {c.number_format for row in ws.iter_rows() for c in row}
    assert '"▲ +"#,##0" ต้น";"▼ -"#,##0" ต้น";0" ต้น"' in formats
    text = " ".join(w.text for w in pages[0].words)
    assert "▲ +82,216 ต้น" in text


def test_the_handbook_workbook_is_the_same_bytes_twice(tmp_path: Path) -> None:
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    for out in (one, two):
        code, output = run(*WORKBOOKS["handbook"], "--data", str(SHIPPED), "-o", str(out))
        assert code == 0, output
    assert one.read_bytes() == two.read_bytes()


def test_figures_resting_on_estimated_values_are_marked_and_explained(printed) -> None:
    path, pages = printed["status"]
    ws = openpyxl.load_workbook(path).active
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "ตัวชี้วัด")
    header = [c.value for c in ws[head]]
    estimated, ids = header.index("ประมาณการ") + 1, header.index("รหัส") + 1
    trees = next(
        r for r in range(head + 1, ws.max_row) if ws.cell(r, ids).value == "env-trees-planted"
    )
    # every district's trees figure is a split of the published total: 50 of 50
    assert (ws.cell(trees, estimated).value, ws.cell(trees, estimated).number_format) == (
        50,
        '#,##0"/50"',
    )
    lines = [ws.cell(r, 1).value or "" for r in range(1, ws.max_row + 1)]
    assert any(line.startswith("ประมาณการ: ตัวเลขที่สร้างจากค่าที่บันทึกเป็นค่าประมาณการ") for line in lines)
    # the column is on the printed page, and so is what it means
    printed_text = " ".join(w.text for p in pages for w in p.words)
    assert "ประมาณการ:" in printed_text and "50/50" in printed_text
