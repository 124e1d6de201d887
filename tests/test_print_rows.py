"""A printed row is as tall as its printed text (issue 17): the columns right of the print area
(ids and fields for filtering) never wrap, so they no longer make a row a line taller than what
the page shows. The handbook showed it most: env's 'How a value is counted' column (71
characters in a 30-wide column, 3 lines) made every 2-line row 3 lines tall, 31 pages in all.

Measured two ways: the row heights okrtool writes against the lines of the printed cells
(openpyxl), and the rows LibreOffice prints (pdftotext boxes: the gap from one row to the next
against the lines printed in it), with the page counts of three agencies' handbooks.
"""

from __future__ import annotations

import itertools
import re
import tempfile
from pathlib import Path

import openpyxl
import pytest
from office import convert, soffice_or_skip
from test_xlsx_print import Page, pages_of

from okrtool.render.xlsx import LINE_PT, wrapped_lines

from helpers import SHIPPED, run

AS_OF = "2024-06-30"
AGENCIES = ("env", "dds", "bang-rak")
#: The printed pages of each handbook (the Handbook sheet, then 1 of the Calendar sheet), and
#: what they were while the data columns beside the page wrapped: env 31, dds 23, bang-rak 6;
#: while every character was counted a digit wide: env 25, dds 21, bang-rak 6; while pages
#: were planned 93 % full (``PAGE_FILL``): env 25; then env 24 before the 50 districts not bound
#: to the policy it hosts, env-waste-points, got a row each (the name in Thai above English,
#: the day to bind by): env 28. A supporter lists only its own binding. Then the Calendar
#: sheet, one column 8.43 wide (a word a line, 2 pages), got a column as wide as its lines
#: (up to MAX_WIDTH) and 1 page: env 27 (was 28), dds 18 (19), bang-rak 4 (5).
PAGES = {"env": 27, "dds": 18, "bang-rak": 4}
#: The rows printed with a line to spare (page, lines printed, spare lines, text): a Thai line
#: is still counted a character a digit wide, and this key result's Thai line (36 characters,
#: 32.9 digits in the Loma font LibreOffice prints it in) prints on one line of a 34-wide column.
LOOSE = {
    "env": [],
    "dds": [],
    "bang-rak": [(2, 2, 1.24, "จำนวนเส้นทางทางเท้าต้นแบบที่ปรับปรุงแล้วเสร็จ บางรัก / Bang ")],
}


@pytest.fixture(scope="module")
def handbooks() -> dict[str, tuple[Path, list[Page]]]:
    """Each agency's handbook workbook written by the CLI and printed by LibreOffice, in one run."""
    soffice_or_skip()  # before making the workbooks: skip early without LibreOffice
    folder = Path(tempfile.mkdtemp(prefix="okrtool-rows-"))
    books = []
    for agency in AGENCIES:
        path = folder / f"{agency}.xlsx"
        args = ("handbook", "--agency", agency, "--as-of", AS_OF, "--data", str(SHIPPED))
        code, output = run(*args, "-o", str(path))
        assert code == 0, f"okrtool {' '.join(args)}: {output}"
        books.append(path)
    convert(books, folder)
    return {b.stem: (b, pages_of(folder / f"{b.stem}.pdf")) for b in books}


def get(column: int) -> str:
    """A column's letter."""
    return openpyxl.utils.get_column_letter(column)


@pytest.mark.parametrize("agency", AGENCIES)
def test_a_row_is_as_tall_as_its_printed_cells_need(handbooks, agency: str) -> None:
    path, _ = handbooks[agency]
    ws = openpyxl.load_workbook(path)["Handbook"]
    last = openpyxl.utils.column_index_from_string(
        re.search(r":\$([A-Z]+)\$", ws.print_area).group(1)
    )
    assert last == 6, ws.print_area
    head = next(r for r in range(1, 10) if ws.cell(r, 2).value == "หน่วยงาน\nAgency")
    wrong, off_page_wrapped = [], []
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, 2).value is None:
            continue  # a policy's heading row, one cell across the page
        lines = max(
            wrapped_lines(
                str(ws.cell(r, c).value),
                ws.column_dimensions[get(c)].width - 4 * (ws.cell(r, c).alignment.indent > 0),
                bool(ws.cell(r, c).font.b),
            )
            if ws.cell(r, c).alignment.wrap_text
            else 1
            for c in range(1, last + 1)
        )
        want = LINE_PT if lines == 1 else lines * LINE_PT + 2
        if ws.row_dimensions[r].height != want:
            wrong.append((r, lines, ws.row_dimensions[r].height))
        off_page_wrapped += [
            ws.cell(r, c).coordinate
            for c in range(last + 1, ws.max_column + 1)
            if ws.cell(r, c).alignment.wrap_text
        ]
    assert wrong == [], f"{agency}: rows (row, printed lines, height) not as tall as they print"
    assert off_page_wrapped == [], f"{agency}: cells right of the print area wrap"


def test_the_envs_measure_column_is_one_line_as_wide_as_its_text(handbooks) -> None:
    path, _ = handbooks["env"]
    ws = openpyxl.load_workbook(path)["Handbook"]
    head = next(r for r in range(1, 10) if ws.cell(r, 2).value == "หน่วยงาน\nAgency")
    header = [c.value for c in ws[head]]
    measure = header.index("วิธีนับค่า\nHow a value is counted") + 1
    first = ws.cell(head + 2, measure)
    assert first.value == (
        "สะสม: ยอดรวมตั้งแต่ 1 ต.ค. / cumulative: the running total since 1 October"
    )
    assert first.alignment.wrap_text is None
    # as wide as its widest text, up to MAX_WIDTH (60): 60 × 1.1 + 2
    assert ws.column_dimensions[get(measure)].width == 68
    # the row: two printed lines (the key result in Thai, then in English), not three
    assert ws.cell(head + 2, 1).value == "จำนวนสวน 15 นาทีที่เปิดให้บริการ\n15-minute parks opened"
    assert ws.row_dimensions[head + 2].height == 2 * LINE_PT + 2


@pytest.mark.parametrize("agency", AGENCIES)
def test_the_handbook_prints_on_as_many_pages_as_its_text_needs(handbooks, agency: str) -> None:
    _, pages = handbooks[agency]
    assert len(pages) == PAGES[agency], f"{agency}: {len(pages)} pages, expected {PAGES[agency]}"


@pytest.mark.parametrize("agency", AGENCIES)
def test_no_printed_row_holds_an_empty_line(handbooks, agency: str) -> None:
    """From one row's top to the next, as LibreOffice prints them: the lines printed in the row
    and less than a line to spare. Rows are found by the role cell ('R' or 'H', one line in the
    column headed '…role'). A row followed by a policy's heading row is left out: the heading
    is merged across the page, and its Thai (a character a digit wide) may keep a line for
    text that prints on one. dds's English key results of 34 characters in a 34-wide column
    ('Drain length cleaned at least once') print on one line and are counted as one, by the
    width each letter prints (``wrapped_lines``), where a character a digit wide made two."""
    _, pages = handbooks[agency]
    loose, measured = [], 0
    for page in pages:
        body = page.body()
        role = [w for w in body if w.text == "role"]
        if not role:
            continue  # the calendar's pages
        tops = sorted(w.y0 for w in body if abs(w.x0 - role[0].x0) < 1 and w.text in ("R", "H"))
        for top, below in itertools.pairwise(tops):
            words = [w for w in body if top - 1 <= w.y0 < below - 1]
            if "—" in [w.text for w in words]:
                continue  # a policy's heading row comes between
            ys = sorted({round(w.y0) for w in words})
            lines = 1 + sum(1 for a, b in itertools.pairwise(ys) if b - a > 2)
            box = max(w.y1 - w.y0 for w in words)
            spare = (below - top) / box - lines
            measured += 1
            if spare > 0.8:
                text = " ".join(w.text for w in words)[:60]
                loose.append((page.number, lines, round(spare, 2), text))
    assert measured >= {"env": 200, "dds": 100, "bang-rak": 3}[agency], measured
    assert loose == LOOSE[agency], f"{agency}: rows (page, lines, spare, text) a line taller"
