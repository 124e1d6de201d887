"""A heading row never ends a printed page (issue 17): a table's caption and header row, a
handbook's policy heading (a ``section`` row), a row whose ``child`` rows follow (a policy's
row in status) stay on the page of their first row. The bang-rak handbook printed the
``infra-canals`` heading alone at the foot of page 2, its rows on page 3.

Measured on the PDF LibreOffice prints from every workbook kind: it prints as many pages as the
page breaks okrtool plans (a manual break is always kept, so no page ends anywhere else), no
planned break follows a heading row, and each heading whose text starts in Latin letters (the
handbook's policy ids, the English brief's captions and headers) is found on its page with
other text printed under it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pytest
from office import convert, soffice_or_skip
from test_xlsx_print import Page, pages_of

from okrtool.render.xlsx import FILLS, HEADER_FILL, SECTION_FILL, Column, Row, Sheet, Table
from okrtool.render.xlsx_write import workbook_bytes

from helpers import SHIPPED, run

AS_OF = "2024-06-30"
SINCE = ("--since", "2024-04-30")
#: name → the okrtool arguments that write it
WORKBOOKS = {
    **{f"handbook-{a}": ["handbook", "--agency", a] for a in ("env", "dds", "bang-rak", "pwd")},
    "brief-th": ["brief", "--host", "env"],
    "brief-en": ["brief", "--host", "env", "--lang", "en"],
    "brief-since-th": ["brief", "--host", "env", *SINCE],
    "brief-since-en": ["brief", "--host", "env", *SINCE, "--lang", "en"],
    "status": ["status"],
    "status-district": ["status", "--by", "district"],
    "status-district-en": ["status", "--by", "district", "--lang", "en"],
    "status-since": ["status", *SINCE],
    "missing": ["missing"],
    "history": ["history", "infra-risk-spots-fixed"],
}
#: The pages each prints, and (after the arrow) what it printed while a heading could end a
#: page: the English brief takes a page more (env-waste-points-set: the 'Not reported' table's
#: caption and header row went with its row onto the page of the chart, which then moved on).
#: A handbook's calendar takes 1 page, not 2 (its column as wide as its lines, not 8.43).
PAGES = {
    "handbook-env": 27,  # 28 →
    "handbook-dds": 18,  # 19 →
    "handbook-bang-rak": 4,  # 5 →
    "handbook-pwd": 19,  # 20 →
    "brief-th": 36,
    "brief-en": 35,  # 34 →
    "brief-since-th": 34,
    "brief-since-en": 34,
    "status": 2,
    "status-district": 49,
    "status-district-en": 49,
    "status-since": 2,
    "missing": 19,
    "history": 2,
}
#: The fills of a legend's cells: the row above them (after an empty one) is its title.
LEGEND = set(FILLS.values())
#: The headings found in the PDF by their Latin first words (the checked ones), per workbook.
FOUND = {
    "handbook-env": 6,
    "handbook-dds": 2,
    "handbook-bang-rak": 14,
    "handbook-pwd": 2,
    "brief-en": 68,
    "brief-since-en": 64,
    "status-district-en": 50,
}


@pytest.fixture(scope="module")
def printed() -> dict[str, tuple[Path, list[Page]]]:
    """Each workbook written by the CLI (twice: the bytes must not change) and printed to PDF by
    LibreOffice, in one run."""
    soffice_or_skip()  # before making the workbooks: skip early without LibreOffice
    folder = Path(tempfile.mkdtemp(prefix="okrtool-headings-"))
    books = []
    for name, args in WORKBOOKS.items():
        path, again = folder / f"{name}.xlsx", folder / f"{name}-again.xlsx"
        for out in (path, again):
            code, output = run(*args, "--as-of", AS_OF, "--data", str(SHIPPED), "-o", str(out))
            assert code == 0, f"okrtool {' '.join(args)}: {output}"
        assert path.read_bytes() == again.read_bytes(), f"{name}: not the same bytes twice"
        books.append(path)
    convert(books, folder)
    return {b.stem: (b, pages_of(folder / f"{b.stem}.pdf")) for b in books}


def _fill(cell) -> str:
    return cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else ""


def headings(ws) -> dict[int, str]:
    """The heading rows of a written sheet, read back by their look: row → what it is."""
    out: dict[int, str] = {}
    for r in range(1, ws.max_row + 1):
        fill, below = _fill(ws.cell(r, 1)), _fill(ws.cell(r + 1, 1))
        indented = any(ws.cell(r, c).alignment.indent for c in range(1, ws.max_column + 1))
        child_below = any(ws.cell(r + 1, c).alignment.indent for c in range(1, ws.max_column + 1))
        if fill == HEADER_FILL:
            out[r] = "header"
        elif fill == SECTION_FILL:
            out[r] = "section"
        elif ws.cell(r, 1).value and below == HEADER_FILL:
            out[r] = "caption"
        elif ws.cell(r, 1).value and child_below and not indented:
            out[r] = "parent"
    return out


@pytest.mark.parametrize("name", WORKBOOKS)
def test_pages_end_only_where_okrtool_breaks_them(printed, name: str) -> None:
    path, pages = printed[name]
    planned = sum(len(ws.row_breaks.brk) + 1 for ws in openpyxl.load_workbook(path).worksheets)
    assert (len(pages), planned) == (PAGES[name], PAGES[name]), f"{name}: (printed, planned)"


@pytest.mark.parametrize("name", WORKBOOKS)
def test_no_page_break_follows_a_heading_row(printed, name: str) -> None:
    path, _ = printed[name]
    alone = []
    for ws in openpyxl.load_workbook(path).worksheets:
        heads = headings(ws)
        alone += [
            (ws.title, b.id, heads[b.id], str(ws.cell(b.id, 1).value)[:40])
            for b in ws.row_breaks.brk
            if b.id in heads
        ]
    assert alone == [], f"{name}: pages ending with a heading (sheet, row, kind, text)"


@pytest.mark.parametrize("name", WORKBOOKS)
def test_every_heading_and_legend_title_is_bold(printed, name: str) -> None:
    """A caption, a header row, a policy's heading and the legend's title print in bold on every
    sheet: they were plain after the first wrapped row (a local name shadowed the bold font)."""
    path, _ = printed[name]
    plain = []
    for ws in openpyxl.load_workbook(path).worksheets:
        heads = {r: k for r, k in headings(ws).items() if k != "parent"}
        titles = [
            r
            for r in range(2, ws.max_row + 1)
            if ws.cell(r - 1, 1).value is None
            and ws.cell(r, 1).value
            and _fill(ws.cell(r + 1, 1)) in LEGEND
        ]
        for r in [*heads, *titles]:
            if not ws.cell(r, 1).font.b:
                plain.append((ws.title, r, str(ws.cell(r, 1).value)[:30]))
    assert plain == [], f"{name}: headings not bold (sheet, row, text)"


def _latin(text: str) -> list[str]:
    """The first words of ``text`` up to its first word not in Latin letters (at most 3)."""
    words = []
    for word in text.split()[:3]:
        if not word.isascii():
            break
        words.append(word)
    return words


@pytest.mark.parametrize("name", FOUND)
def test_each_heading_prints_with_text_under_it_on_its_page(printed, name: str) -> None:
    """A heading is found where its Latin first words start a printed line at the left margin;
    under that line, on the same page, must be a word that is not one of the heading's."""
    path, pages = printed[name]
    wanted: list[tuple[list[str], set[str]]] = []
    for ws in openpyxl.load_workbook(path).worksheets:
        for r in headings(ws):
            first = _latin(str(ws.cell(r, 1).value or ""))
            if first:
                own = {str(c.value) for c in ws[r] if c.value is not None}
                wanted.append((first, set(" ".join(own).split())))
    found, alone = 0, []
    for page in pages:
        body = sorted(page.body(), key=lambda w: (round(w.y0), w.x0))
        left = min((w.x0 for w in body), default=0)
        for i, word in enumerate(body):
            if word.x0 > left + 2:
                continue
            line = [w.text for w in body[i : i + 3] if abs(w.y0 - word.y0) < 1]
            for first, own in wanted:
                if line[: len(first)] == first:
                    found += 1
                    under = [w.text for w in body if w.y0 > word.y1 and w.text not in own]
                    if not under:
                        alone.append((page.number, " ".join(first)))
                    break
    assert alone == [], f"{name}: headings printed last on their page (page, first words)"
    assert found == FOUND[name], f"{name}: {found} headings found, expected {FOUND[name]}"


def test_a_policy_heading_is_never_planned_last_on_a_page(tmp_path: Path) -> None:
    """Without LibreOffice: a handbook-like sheet with a policy's heading and its three rows
    moved row by row down the first page: wherever the page ends, the heading and its rows are
    not parted (a group of three rows or fewer is kept whole); from some row on they all start
    the next page."""
    columns = [Column("Key result", width=40), Column("Agency", width=20)]
    moved = []
    for at in range(15, 40):
        rows = [Row([f"kr {i}", "agency"]) for i in range(at)]
        rows += [Row(["policy-b — its heading"], "section")]
        rows += [Row([f"kr b{i}", "agency"]) for i in range(3)]
        rows += [Row(["policy-c — the next heading"], "section")]
        rows += [Row([f"kr {i}", "agency"]) for i in range(at, 60)]
        path = tmp_path / f"h{at}.xlsx"
        path.write_bytes(workbook_bytes([Sheet("Handbook", ["Handbook"], [Table(columns, rows)])]))
        ws = openpyxl.load_workbook(path)["Handbook"]
        section = next(r for r in range(1, ws.max_row + 1) if _fill(ws.cell(r, 1)) == SECTION_FILL)
        breaks = [b.id for b in ws.row_breaks.brk]
        cut = [b for b in breaks if section <= b < section + 3]
        assert cut == [], f"heading at row {section}: breaks {breaks} part it from its 3 rows"
        if section - 1 in breaks:
            moved.append(at)
    assert moved == [24, 25, 26, 27], "the rows above the heading when it starts page 2"


def test_the_calendar_prints_each_line_across_the_page(printed) -> None:
    """The handbook's Calendar sheet is one column: it was 8.43 wide (the default), a word or two
    a printed line over 2 pages; it is as wide as its longest line (up to MAX_WIDTH)."""
    path, pages = printed["handbook-bang-rak"]
    ws = openpyxl.load_workbook(path)["Calendar"]
    assert ws.column_dimensions["A"].width == 68  # 60 × 1.1 + 2
    page = pages[-1]
    assert [w.text for w in page.body()][:3] == ["ปฏิทินการรายงาน", "/", "Reporting"]
    monthly = next(w for w in page.body() if w.text == "monthly:")
    line = [w.text for w in page.body() if abs(w.y0 - monthly.y0) < 1]
    assert " ".join(line[-7:]) == "/ the 5th of the next month"
