"""Reading a filled report workbook into raw cells: every visible sheet's report table.

``read_workbook(path)`` checks the file first (``xlsx_guard``), opens it read-only with cached
values, finds the report table on each visible sheet by its header text (``report_sheet``) and
returns its cells with their references, and the hidden template record. It does not interpret
values (``typed``) nor judge them (``okrtool.imports``). Every refusal is a ``WorkbookError``.

openpyxl is imported inside the functions: it costs 150 ms at start-up.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from okrtool.io.report_sheet import (
    AGENCY,
    HEADER_SCAN_ROWS,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    NOTE,
    PERIOD,
    REQUIRED,
    cell_ref,
    match_header,
)
from okrtool.io.xlsx_guard import SAVE_AS_XLSX, WorkbookError, read_file, refuse_format

#: Rows of one report table below its header: twice a whole city's month (440 key results ×
#: 50 districts = 22,000 rows). Blank rows past it are passed over.
MAX_TABLE_ROWS = 50_000


@dataclass
class Cell:
    """One cell as read: its value (cached value for a formula), reference and number format;
    ``formula`` is set for a formula cell that has no cached value."""

    value: Any
    ref: str
    number_format: str = "General"
    formula: str = ""


@dataclass
class Row:
    """One data row of a report table: field → cell."""

    number: int
    cells: dict[str, Cell]


@dataclass
class Table:
    """The report table of one sheet: where its header is, the labels above it, its rows."""

    sheet: str
    header_row: int
    columns: dict[str, str]
    labels: dict[str, Cell]
    rows: list[Row] = field(default_factory=list)


@dataclass
class Workbook:
    """A workbook read back: the hidden template record (if any) and its report tables."""

    path: Path
    sha256: str
    meta: dict[str, str]
    tables: list[Table]
    sheets: list[str]
    #: what was left out and why (a hidden sheet holding a table), for the user to know
    notes: list[str] = field(default_factory=list)


def _open_xlsx(data: bytes, data_only: bool) -> Any:
    """The openpyxl workbook of ``data``, read-only. Without openpyxl's warning that the file
    has no default style (Gnumeric writes such files): it is harmless, and it reached the
    user's terminal raw."""
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Workbook contains no default style")
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)


def _damaged(exc: Exception) -> WorkbookError:
    return WorkbookError(
        "E801", f"the file is damaged and cannot be read ({type(exc).__name__})", SAVE_AS_XLSX
    )


def read_workbook(path: Path) -> Workbook:
    """Read ``path`` (read-only, cached values): the template record and every visible sheet's
    report table. Raises WorkbookError for a file that cannot be read, is too large or active
    (macros, links to other workbooks), or holds no table. Hidden sheets are not read: nobody
    reviewed what they hold; a table on one is named in ``notes`` (or in the E802 refusal)."""
    data = read_file(path)
    refuse_format(path, data)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        wb = _open_xlsx(data, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _damaged(exc) from None
    try:
        meta: dict[str, str] = {}
        tables: list[Table] = []
        hidden: list[str] = []
        sheets = list(wb.sheetnames)
        for ws in wb.worksheets:
            if ws.title == META_SHEET:
                meta = _read_meta(ws)
            elif ws.title == INSTRUCTIONS_SHEET:
                continue
            elif ws.sheet_state != "visible":
                if _header_of(ws) is not None:
                    hidden.append(ws.title)
            else:
                table = _read_table(ws)
                if table is not None:
                    tables.append(table)
    except WorkbookError:
        raise
    except Exception as exc:
        raise _damaged(exc) from None
    finally:
        wb.close()
    shown = ", ".join(repr(name) for name in hidden)
    if not tables:
        also = (
            f" (sheet {shown} holds one but is hidden; hidden sheets are not read, since "
            "nobody sees what they hold)"
            if hidden
            else ""
        )
        raise WorkbookError(
            "E802",
            "no report table found: no row in the first "
            f"{HEADER_SCAN_ROWS} rows of a visible sheet has both a key result header "
            "('Key result id' / 'รหัสผลลัพธ์หลัก') and a value header ('Value' / 'ผลการดำเนินงาน')"
            + also,
            "unhide the sheet (right-click a sheet tab › Unhide) or copy the table onto a visible "
            "sheet, check it, save and send again"
            if hidden
            else "use the template from okrtool report-template, or head the columns of a sheet "
            "with those names",
        )
    try:
        _find_formulas(data, tables)
    except Exception as exc:  # a part that only now is read whole: a lying size, a bad CRC
        raise _damaged(exc) from None
    notes = [f"hidden sheet {shown} holds a report table: not read"] if hidden else []
    return Workbook(path, sha256, meta, tables, sheets, notes)


def _read_meta(ws: Any) -> dict[str, str]:
    ws.reset_dimensions()
    meta = {}
    for row in ws.iter_rows(max_col=2, max_row=HEADER_SCAN_ROWS, values_only=True):
        if len(row) == 2 and isinstance(row[0], str) and row[1] is not None:
            meta[row[0]] = str(row[1])
    return meta


def _header_of(ws: Any) -> tuple[int, dict[str, int], list[tuple[int, tuple[Any, ...]]]] | None:
    """The header row of the report table of ``ws`` in its first HEADER_SCAN_ROWS rows: its
    number, field → column, and the rows above it; None if no row names the required fields."""
    ws.reset_dimensions()  # some programs write a wrong used range; read every row there is
    above: list[tuple[int, tuple[Any, ...]]] = []
    for number, cells in enumerate(ws.iter_rows(max_row=HEADER_SCAN_ROWS), 1):
        columns = match_header((i, c.value) for i, c in enumerate(cells, 1))
        if all(name in columns for name in REQUIRED):
            return number, columns, above
        above.append((number, cells))
    return None


def _read_table(ws: Any) -> Table | None:
    from openpyxl.utils import get_column_letter

    found = _header_of(ws)
    if found is None:
        return None
    header, columns, above = found
    table = Table(
        ws.title,
        header,
        {name: get_column_letter(col) for name, col in columns.items()},
        _labels(above, get_column_letter),
    )
    wanted = sorted(columns.items(), key=lambda kv: kv[1])
    letters = table.columns
    last = header + MAX_TABLE_ROWS
    # only the table's columns: a row reaching column XFD would otherwise be 16,384 cells
    rows = ws.iter_rows(min_row=header + 1, max_col=max(columns.values()))
    for number, cells in enumerate(rows, header + 1):
        width = len(cells)
        if number > last:
            filled = [n for n, col in wanted if col <= width and cells[col - 1].value is not None]
            if filled:
                where = cell_ref(ws.title, f"{letters[filled[0]]}{number}")
                raise WorkbookError(
                    "E807",
                    f"found a value in {where}, more than {MAX_TABLE_ROWS:,} rows below the "
                    f"table's header, expected a table of at most {MAX_TABLE_ROWS:,} rows",
                    f"split the table into workbooks of at most {MAX_TABLE_ROWS:,} rows each",
                )
            continue  # blank rows far below (a stray format) are passed over
        row: dict[str, Cell] = {}
        for name, col in wanted:
            value = cells[col - 1].value if col <= width else None
            ref = f"{letters[name]}{number}"
            # only a number needs its format (a percentage is stored as 0.57); it costs a lookup
            fmt = cells[col - 1].number_format if isinstance(value, int | float) else "General"
            row[name] = Cell(value, ref, fmt)
        table.rows.append(Row(number, row))
    return table


def _labels(above: list[tuple[int, tuple[Any, ...]]], letter: Any) -> dict[str, Cell]:
    """Labels above the table, like 'หน่วยงาน: เขตบางรัก' or 'Period | 2567-06' in two cells."""
    labels: dict[str, Cell] = {}
    for number, cells in above:
        for i, cell in enumerate(cells):
            if not isinstance(cell.value, str):
                continue
            label, _, rest = cell.value.partition(":")
            names = match_header([(i, label)])
            for name in (AGENCY, PERIOD):
                if name not in names or name in labels:
                    continue
                if rest.strip():
                    labels[name] = Cell(rest.strip(), f"{letter(i + 1)}{number}")
                    continue
                for j in range(i + 1, len(cells)):
                    if cells[j].value is not None and str(cells[j].value).strip():
                        labels[name] = Cell(
                            cells[j].value, f"{letter(j + 1)}{number}", cells[j].number_format
                        )
                        break
    return labels


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    """True if any worksheet of the .xlsx ``data`` holds a formula (a cheap scan of its XML)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return any(
            _FORMULA_TAG.search(zf.read(name))
            for name in zf.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _find_formulas(data: bytes, tables: list[Table]) -> None:
    """Mark the empty cells that hold a formula without a cached value (a file saved by a
    program that does not calculate). Reads the workbook a second time, only if needed."""
    empty = {
        (t.sheet, c.ref)
        for t in tables
        for r in t.rows
        for name, c in r.cells.items()
        if c.value is None and name != NOTE
    }
    if not empty or not _has_formulas(data):
        return
    wb = _open_xlsx(data, data_only=False)
    try:
        formulas: dict[tuple[str, str], str] = {}
        for t in tables:
            ws = wb[t.sheet]
            ws.reset_dimensions()
            last = max(r.number for r in t.rows) if t.rows else 0
            for row in ws.iter_rows(min_row=t.header_row + 1, max_row=last):
                for cell in row:
                    ref = getattr(cell, "coordinate", None)
                    value = cell.value
                    if (t.sheet, ref) in empty and isinstance(value, str) and value.startswith("="):
                        formulas[(t.sheet, ref)] = value
        for t in tables:
            for r in t.rows:
                for c in r.cells.values():
                    c.formula = formulas.get((t.sheet, c.ref), "")
    finally:
        wb.close()
