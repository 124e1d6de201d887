"""Reading a plan workbook back: its record, the OKR's labelled cells and each table's rows.

The workbook passes the guards every imported workbook passes (size, zip bombs, macros, links,
formats: ``xlsx_guard``), then is read with openpyxl, read-only, cached values. A table is found
on its sheet by its header texts (``plan_sheet``); cells keep their references, so that every
refusal names its cell. Nothing is interpreted here (``imports.plan`` does).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from okrtool.io.plan_sheet import OKR_LABELS, OKR_SHEET, PLAN_KIND, TABLES
from okrtool.io.report_sheet import META_SHEET
from okrtool.io.xlsx_guard import WorkbookError, read_file, refuse_format

#: Rows searched for a table's header; rows read below it at most.
HEADER_SCAN_ROWS = 30
MAX_ROWS = 50_000


@dataclass
class PlanCell:
    """One cell as read: its value and its reference on its sheet (``H12``)."""

    value: Any
    ref: str


@dataclass
class PlanRow:
    """One row of a plan table: field → cell."""

    number: int
    cells: dict[str, PlanCell]

    def value(self, key: str) -> Any:
        cell = self.cells.get(key)
        return None if cell is None else cell.value


@dataclass
class PlanBook:
    """A plan workbook read back."""

    path: Path
    sha256: str
    meta: dict[str, str]
    #: the OKR sheet's labelled cells (okr, objective_th, objective_en)
    labels: dict[str, PlanCell] = field(default_factory=dict)
    #: sheet → its table's rows; a sheet missing or without its header is left out
    tables: dict[str, list[PlanRow]] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _read_table(ws: Any, sheet: str) -> list[PlanRow] | None:
    columns = TABLES[sheet]
    headers = {c.header: c.key for c in columns}
    ws.reset_dimensions()
    rows = ws.iter_rows(max_col=len(columns) + 4, values_only=True)
    found: dict[str, int] | None = None
    out: list[PlanRow] = []
    for number, values in enumerate(rows, 1):
        if found is None:
            if number > HEADER_SCAN_ROWS:
                return None
            named = {headers[v]: i for i, v in enumerate(values, 1) if v in headers}
            if len(named) == len(columns):
                found = named
            continue
        if number > MAX_ROWS:
            break
        cells = {
            key: PlanCell(values[i - 1] if i <= len(values) else None, f"{_letter(i)}{number}")
            for key, i in found.items()
        }
        out.append(PlanRow(number, cells))
    return out if found is not None else None


def _read_labels(ws: Any) -> dict[str, PlanCell]:
    by_text = {text: key for key, text in OKR_LABELS.items()}
    out = {}
    ws.reset_dimensions()
    for number, values in enumerate(
        ws.iter_rows(max_row=HEADER_SCAN_ROWS, max_col=3, values_only=True), 1
    ):
        if len(values) == 3 and values[0] in by_text:  # the label over A:B, its value in C
            out[by_text[values[0]]] = PlanCell(values[2], f"C{number}")
    return out


def _read_meta(ws: Any) -> dict[str, str]:
    ws.reset_dimensions()
    meta = {}
    for values in ws.iter_rows(max_col=2, max_row=HEADER_SCAN_ROWS, values_only=True):
        if len(values) == 2 and isinstance(values[0], str) and values[1] is not None:
            meta[values[0]] = str(values[1])
    return meta


def read_plan(path: Path) -> PlanBook:
    """Read the plan workbook ``path``. Raises WorkbookError for a file that cannot be read, is
    too large or active (macros, links), or is not a plan workbook made by okrtool."""
    import warnings

    from openpyxl import load_workbook

    data = read_file(path)
    refuse_format(path, data)
    book = PlanBook(path, hashlib.sha256(data).hexdigest(), {})
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Workbook contains no default style")
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise WorkbookError(
            "E801", f"the file is damaged and cannot be read ({type(exc).__name__})"
        ) from None
    try:
        book.sheets = list(wb.sheetnames)
        if META_SHEET in book.sheets:
            book.meta = _read_meta(wb[META_SHEET])
        if book.meta.get("kind") != PLAN_KIND:
            raise WorkbookError(
                "E809",
                "not a plan workbook: it has no record of being made by 'okrtool plan-template'"
                + (
                    f" (its record says {book.meta.get('kind')!r})" if book.meta.get("kind") else ""
                ),
                "make the sheet with 'okrtool plan-template', fill it in and send that; report "
                "workbooks go to 'okrtool import-reports'",
            )
        for sheet in TABLES:
            if sheet in book.sheets:
                ws = wb[sheet]
                table = _read_table(ws, sheet)
                if table is not None:
                    book.tables[sheet] = table
                if sheet == OKR_SHEET:
                    book.labels = _read_labels(ws)
    except WorkbookError:
        raise
    except Exception as exc:
        raise WorkbookError(
            "E801", f"the file is damaged and cannot be read ({type(exc).__name__})"
        ) from None
    finally:
        wb.close()
    return book
