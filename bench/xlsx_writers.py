"""openpyxl against XlsxWriter for the workbooks okrtool writes (issue 17): the same sheets,
timed in-process, and optionally printed by LibreOffice to compare the pages.

okrtool lays a sheet out once (``render.xlsx``: widths, row heights, print area, page breaks)
and writes it with openpyxl. Here the same laid-out sheets are written again with XlsxWriter by
replaying what openpyxl holds (values, number formats, fills, bold/italic, wrap, widths, heights,
merges, print set-up; not the charts), so the two differ only in the writing library. The
openpyxl figure includes laying out; the XlsxWriter one does not (it reuses that layout), so
it flatters XlsxWriter a little.

XlsxWriter is not a dependency of okrtool: ``pip install xlsxwriter`` to run this.

Usage: ``python bench/xlsx_writers.py [--runs 5] [--print]``
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from okrtool.progress import (  # noqa: E402
    Query,
    missing_report,
    open_dataset,
    status_report,
    years_for,
)
from okrtool.progress.changes import change_report  # noqa: E402
from okrtool.progress.handbook import handbook  # noqa: E402
from okrtool.render.handbook_xlsx import handbook_xlsx  # noqa: E402
from okrtool.render.sheets import missing_sheet, status_sheet  # noqa: E402
from okrtool.render.xlsx_write import workbook_bytes  # noqa: E402

AS_OF = date(2024, 6, 30)


def query() -> Query:
    return Query(
        as_of=AS_OF,
        fiscal_year=None,
        group=None,
        dimension=None,
        agency=None,
        policy=None,
        urgent=False,
        key_projects=False,
        lang="th",
    )


def workbooks() -> dict[str, object]:
    """name → a function giving the .xlsx bytes okrtool writes (openpyxl)."""
    q = query()
    ds, _ = open_dataset(ROOT / "data", False, years_for(q))
    since = change_report(ds, q, date(2024, 4, 30))
    missing = missing_report(ds, q)
    book = handbook(ds, "env", q)
    status = status_report(ds, q)
    return {
        "status --since": lambda: workbook_bytes([status_sheet(since.now, since)], as_of=AS_OF),
        "missing": lambda: workbook_bytes([missing_sheet(missing)], as_of=AS_OF),
        "status": lambda: workbook_bytes([status_sheet(status)], as_of=AS_OF),
        "handbook --agency env": lambda: handbook_xlsx(book, "th"),
    }


def with_xlsxwriter(data: bytes) -> bytes:
    """The workbook in ``data`` (written by openpyxl) written again with XlsxWriter."""
    import openpyxl
    import xlsxwriter

    source = openpyxl.load_workbook(io.BytesIO(data))
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats: dict[tuple, object] = {}

    def fmt(cell) -> object:
        fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
        key = (
            cell.number_format,
            bool(cell.font.b),
            bool(cell.font.i),
            cell.font.sz,
            fill,
            bool(cell.alignment.wrap_text),
            cell.alignment.vertical,
            cell.alignment.indent,
        )
        if key not in formats:
            spec = {
                "num_format": key[0],
                "bold": key[1],
                "italic": key[2],
                "font_size": key[3] or 11,
                "text_wrap": key[5],
                "valign": {"center": "vcenter"}.get(key[6] or "", key[6] or "bottom"),
                "indent": int(key[7] or 0),
            }
            if fill and isinstance(fill, str):
                spec["bg_color"] = "#" + fill[-6:]
            formats[key] = book.add_format(spec)
        return formats[key]

    for ws in source.worksheets:
        sheet = book.add_worksheet(ws.title)
        for letter, dim in ws.column_dimensions.items():
            if dim.width:
                c = openpyxl.utils.column_index_from_string(letter) - 1
                sheet.set_column(c, c, dim.width)
        for r, dim in ws.row_dimensions.items():
            if dim.height:
                sheet.set_row(r - 1, dim.height)
        merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                f = fmt(cell)
                m = merged.get((cell.row, cell.column))
                if m is not None:
                    sheet.merge_range(
                        m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1, cell.value, f
                    )
                elif isinstance(cell.value, str):
                    sheet.write_string(cell.row - 1, cell.column - 1, cell.value, f)
                else:
                    sheet.write(cell.row - 1, cell.column - 1, cell.value, f)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.8, bottom=0.8)
        sheet.set_header(f"&C&9{ws.oddHeader.center.text or ''}", {"margin": 0.3})
        sheet.set_footer("&C&9&P / &N", {"margin": 0.3})
        if ws.print_area:
            area = ws.print_area.split("!")[-1].replace("$", "")
            sheet.print_area(area)
        if ws.print_title_rows:
            first = int(ws.print_title_rows.split(":")[0].replace("$", ""))
            sheet.repeat_rows(first - 1)
    book.close()
    return out.getvalue()


def median_seconds(make, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--print", action="store_true", help="print both with LibreOffice")
    options = parser.parse_args()
    print(f"{'workbook':24} {'openpyxl':>9} {'XlsxWriter':>11}  (median of {options.runs}, s)")
    folder = Path(tempfile.mkdtemp(prefix="okrtool-writers-"))
    for name, make in workbooks().items():
        data = make()
        replayed = with_xlsxwriter(data)
        # XlsxWriter's own cost: the replay less reading the openpyxl workbook back
        import openpyxl

        read = median_seconds(lambda d=data: openpyxl.load_workbook(io.BytesIO(d)), options.runs)
        ours = median_seconds(make, options.runs)
        theirs = median_seconds(lambda d=data: with_xlsxwriter(d), options.runs) - read
        print(f"{name:24} {ours:9.3f} {theirs:11.3f}")
        stem = name.split()[0] + ("-since" if "since" in name else "")
        (folder / f"{stem}-openpyxl.xlsx").write_bytes(data)
        (folder / f"{stem}-xlsxwriter.xlsx").write_bytes(replayed)
    if options.print:
        books = sorted(str(p) for p in folder.glob("*.xlsx"))
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), *books],
            check=True,
            capture_output=True,
        )
        for pdf in sorted(folder.glob("*.pdf")):
            pages = subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout
            count = next(line.split()[-1] for line in pages.splitlines() if "Pages" in line)
            print(f"{pdf.name:36} {count} pages")
    print(f"workbooks in {folder}")


if __name__ == "__main__":
    main()
