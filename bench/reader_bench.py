"""Compare python-calamine with openpyxl (read-only, cached values) on what the importer reads.

Two parts, printed as figures:

1. **What each reader tells**, case by case, on workbooks made here (openpyxl, or byte by byte
   like tests/test_hostile_workbooks.py): typed Thai digits, a merged title, formulas with and
   without a cached value, an Excel error, hidden / very hidden / protected sheets, a percent
   cell typed as 0.57, a date and a time, the hidden template record, a zip bomb, a sheet whose
   cells reach column XFD, and okrtool's reader (``io.xlsx_read``: calamine for values, the
   sheet's XML for the rest, openpyxl streaming for sheets too large for a grid).
2. **Speed**: the 50 district workbooks of the city case (bench/import_bench.py), median of
   ``--runs`` in-process reads of every row of every sheet, by openpyxl read-only, calamine,
   okrtool's reader, and okrtool's reader with report-table detection.

Usage: ``python bench/reader_bench.py [--runs 5] [--books DIR]`` (``--books``: a folder of
workbooks to time instead of generating the city case).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the byte-by-byte workbook builders of the tests


def _openpyxl_cells(path: Path) -> dict[str, dict[str, Any]]:
    """sheet → {"state", "cells": {ref: (value, number_format)}} as openpyxl read-only tells."""
    import openpyxl

    out: dict[str, dict[str, Any]] = {}
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()
            cells = {}
            for row in ws.iter_rows(max_row=20, max_col=8):
                for c in row:
                    if c.value is not None:
                        cells[c.coordinate] = (c.value, c.number_format)
            out[ws.title] = {"state": ws.sheet_state, "cells": cells}
    finally:
        wb.close()
    return out


def _calamine_cells(path: Path) -> dict[str, dict[str, Any]]:
    """The same as calamine tells it (values only: no format, no formula, no protection)."""
    from python_calamine import CalamineWorkbook

    from okrtool.io.xlsx_parts import column_letter

    out: dict[str, dict[str, Any]] = {}
    wb = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    for meta in wb.sheets_metadata:
        grid = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        cells = {
            f"{column_letter(c)}{r}": v
            for r, row in enumerate(grid[:20], 1)
            for c, v in enumerate(row[:8], 1)
            if v != ""
        }
        out[meta.name] = {"state": str(meta.visible).rsplit(".", 1)[-1], "cells": cells}
    wb.close()
    return out


def _okrtool_cells(path: Path) -> dict[str, dict[str, Any]]:
    from okrtool.io.xlsx_parts import column_letter
    from okrtool.io.xlsx_read import read_workbook

    out: dict[str, dict[str, Any]] = {}
    book = read_workbook(path)
    try:
        for sheet in book.sheets:
            cells = {}
            for number, values in sheet.rows(width=8):
                if number > 20:
                    break
                for c, v in enumerate(values, 1):
                    ref = f"{column_letter(c)}{number}"
                    if v is not None or ref in sheet.formulas:
                        cells[ref] = (v, sheet.number_format(ref), sheet.formulas.get(ref, ""))
            out[sheet.name] = {
                "state": sheet.state,
                "protected": sheet.protected,
                "merged": sheet.merged,
                "streamed": sheet.streamed,
                "cells": cells,
            }
    finally:
        book.close()
    return out


def _cases(tmp: Path) -> dict[str, Path]:
    """One workbook per case the importer handles."""
    import openpyxl
    import test_hostile_workbooks as hostile

    made: dict[str, Path] = {}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Report"
    ws["A1"] = "รายงานผลการดำเนินงาน เขตบางรัก"
    ws.merge_cells("A1:D1")
    ws["A2"], ws["B2"], ws["C2"] = "๑,๒๓๔", 0.57, 4377
    ws["B2"].number_format = "0.00%"
    ws["C2"].number_format = "#,##0"
    ws["A3"], ws["B3"] = datetime(2024, 7, 15), clock(12, 30)
    ws["C3"] = "=SUM(1,2)"  # openpyxl saves no cached value
    hidden = wb.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    hidden["A1"] = 1
    very = wb.create_sheet("okrtool")
    very.sheet_state = "veryHidden"
    very["A1"], very["B1"] = "agency", "bang-rak"
    locked = wb.create_sheet("Locked")
    locked.protection.sheet = True
    locked["A1"] = "locked"
    made["openpyxl-made: Thai digits, merged title, 57 % as 0.57, date, time, formula"] = (
        tmp / "cases.xlsx"
    )
    wb.save(made[next(iter(made))])
    cached = hostile.Raw("<f>SUM(1,2)</f><v>3</v>")
    error = hostile.Raw("<f>SUM(Z1:Z2)</f><v>#REF!</v>", ' t="e"')
    made["byte-made: formula with cached value 3, an error #REF!"] = hostile.book(
        tmp / "cached.xlsx", [["trees-planted", "2567-07", cached, error]]
    )
    made["zip bomb (200 MiB sheet in 0.3 MB)"] = hostile.zip_bomb(tmp)
    made["30,000 rows reaching column XFD"] = hostile.wide_rows(tmp)
    made["1,000,000 rows"] = hostile.million_rows(tmp)
    return made


def tells(tmp: Path) -> list[str]:
    """Part 1: what each reader gives for each case, as lines."""
    lines = []
    for case, path in _cases(tmp).items():
        lines.append(f"== {case} ({path.stat().st_size:,} bytes)")
        for name, read in (
            ("openpyxl read-only", _openpyxl_cells),
            ("calamine", _calamine_cells),
            ("okrtool reader", _okrtool_cells),
        ):
            start = time.perf_counter()
            try:
                if name == "calamine" and "XFD" in case:
                    # calamine allocates 30,003 × 16,384 cells and aborts the process
                    raise MemoryError("not run: calamine would allocate 15.7 GB and abort")
                got: Any = read(path)
            except Exception as exc:
                got = f"{type(exc).__name__}: {str(exc)[:120]}"
            seconds = time.perf_counter() - start
            text = repr(got)
            lines.append(f"  {name:<20} {seconds:7.3f} s  {text[:900]}")
    return lines


def median(run: Callable[[], None], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def speed(books: list[Path], runs: int) -> list[str]:
    """Part 2: reading every row of every sheet of ``books``, in-process."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    from okrtool.imports.rows import REPORT_TABLE
    from okrtool.io.xlsx_read import read_workbook
    from okrtool.io.xlsx_tables import read_tables

    def by_openpyxl() -> None:
        for path in books:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            for ws in wb.worksheets:
                for _ in ws.iter_rows(values_only=True):
                    pass
            wb.close()

    def by_calamine() -> None:
        for path in books:
            wb = CalamineWorkbook.from_path(str(path))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            wb.close()

    def by_reader() -> None:
        for path in books:
            book = read_workbook(path)
            for sheet in book.sheets:
                for _ in sheet.rows():
                    pass
            book.close()

    def by_tables() -> None:
        for path in books:
            read_tables(path, REPORT_TABLE)

    size = sum(p.stat().st_size for p in books)
    lines = [f"speed: {len(books)} workbooks ({size / 2**20:.1f} MiB), median of {runs} runs"]
    base = median(by_openpyxl, runs)
    for label, seconds in (
        ("openpyxl read-only, every row", base),
        ("calamine, every sheet's grid", median(by_calamine, runs)),
        ("okrtool read_workbook, every row", median(by_reader, runs)),
        ("okrtool read_tables (report tables)", median(by_tables, runs)),
    ):
        lines.append(f"  {label:<40} {seconds:6.3f} s   ×{seconds / base:5.2f} of openpyxl")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--books", type=Path, help="a folder of workbooks to time")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="okrtool-reader-bench-") as tmp:
        work = Path(tmp)
        print("\n".join(tells(work)), flush=True)
        if args.books:
            books = sorted(args.books.glob("*.xlsx"))
        else:
            sys.path.insert(0, str(ROOT / "bench"))
            from import_bench import city_case

            _, books = city_case(work)
        print("\n".join(speed(books, args.runs)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
