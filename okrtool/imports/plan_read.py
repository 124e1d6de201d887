"""Reading a plan workbook back: its record, the OKR's labelled cells and each table's rows.

The workbook is read by the one reader every import uses (``io.xlsx_read``: .xlsx and .ods, the
guards on size, zip bombs, macros and links, saved values of formulas). A table is found on its
sheet by its header texts (``plan_sheet``); cells keep their references, number formats and the
text of a formula that has no saved result, so that every refusal names its cell. Nothing is
interpreted here (``imports.plan_apply`` does).

A hidden sheet is not read, as ``xlsx_tables`` does not read a hidden report table: somebody hid
it (old data, a copy kept aside) and nobody reviewed what it holds. Its name is kept, with a note
for the user, so that the import says what it passed over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from okrtool.io.plan_sheet import (
    BINDING_SHEET,
    OKR_LABELS,
    OKR_SHEET,
    PLAN_KIND,
    PROJECTS_SHEET,
    TABLES,
    TARGETS_SHEET,
)
from okrtool.io.report_sheet import META_SHEET
from okrtool.io.xlsx_guard import WorkbookError
from okrtool.io.xlsx_parts import column_letter
from okrtool.io.xlsx_read import Sheet, read_workbook
from okrtool.io.xlsx_tables import read_meta

#: What each plan sheet holds, as a note about a hidden one names it.
HOLDS = {
    OKR_SHEET: "the OKR and its key results",
    TARGETS_SHEET: "the own targets",
    PROJECTS_SHEET: "the projects",
    BINDING_SHEET: "the bindings",
}
#: Rows searched for a table's header; rows read below it at most.
HEADER_SCAN_ROWS = 30
MAX_ROWS = 50_000


@dataclass
class PlanCell:
    """One cell as read: its value, its reference on its sheet (``H12``), its number format
    (a percentage is stored as 0.57) and, for a formula with no saved result, its text."""

    value: Any
    ref: str
    number_format: str = "General"
    formula: str = ""


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
    #: sheet → its table's rows; a sheet missing, hidden or without its header is left out
    tables: dict[str, list[PlanRow]] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)
    #: the plan's sheets that are hidden and hold their table: not read
    hidden: list[str] = field(default_factory=list)
    #: what was passed over and why, for the user to know
    notes: list[str] = field(default_factory=list)

    def formulas(self) -> Iterable[tuple[str, PlanCell]]:
        """``(sheet, cell)`` of every cell read that holds a formula with no saved result."""
        for cell in self.labels.values():
            if cell.formula:
                yield OKR_SHEET, cell
        for sheet, rows in self.tables.items():
            for row in rows:
                for cell in row.cells.values():
                    if cell.formula:
                        yield sheet, cell


def _header_text(value: Any) -> str:
    """A header as compared: its words, one space apart (a line break saved by LibreOffice in
    an .ods may come back as another kind of break)."""
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def _cell(sheet: Sheet, value: Any, ref: str) -> PlanCell:
    if value is None:
        return PlanCell(None, ref, formula=sheet.formulas.get(ref, ""))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return PlanCell(value, ref, sheet.number_format(ref))
    return PlanCell(value, ref)


def _read_table(sheet: Sheet, name: str) -> list[PlanRow] | None:
    columns = TABLES[name]
    headers = {_header_text(c.header): c.key for c in columns}
    width = len(columns) + 4
    found: dict[str, int] | None = None
    out: list[PlanRow] = []
    for number, values in sheet.rows(width=width):
        if found is None:
            if number > HEADER_SCAN_ROWS:
                return None
            named = {
                headers[h]: i for i, v in enumerate(values, 1) if (h := _header_text(v)) in headers
            }
            if len(named) == len(columns):
                found = named
            continue
        if number > MAX_ROWS:
            break
        cells = {}
        for key, i in found.items():
            value = values[i - 1] if i <= len(values) else None
            cells[key] = _cell(sheet, value, f"{column_letter(i)}{number}")
        out.append(PlanRow(number, cells))
    return out if found is not None else None


def _read_labels(sheet: Sheet) -> dict[str, PlanCell]:
    by_text = {_header_text(text): key for key, text in OKR_LABELS.items()}
    out = {}
    for number, values in sheet.rows(width=3):
        if number > HEADER_SCAN_ROWS:
            break
        key = by_text.get(_header_text(values[0])) if values else None
        if key is not None:  # the label over A:B, its value in C
            value = values[2] if len(values) == 3 else None
            out[key] = _cell(sheet, value, f"C{number}")
    return out


def read_plan(path: Path) -> PlanBook:
    """Read the plan workbook ``path`` (.xlsx or .ods). Raises WorkbookError for a file that
    cannot be read, is too large or active (macros, links), or is not a plan workbook made by
    okrtool."""
    book = read_workbook(path)
    try:
        plan = PlanBook(path, book.sha256, {}, sheets=list(book.names))
        meta = book.sheet(META_SHEET)
        if meta is not None:
            plan.meta = read_meta(meta)
        if plan.meta.get("kind") != PLAN_KIND:
            raise WorkbookError(
                "E809",
                "not a plan workbook: it has no record of being made by 'okrtool plan-template'"
                + (
                    f" (its record says {plan.meta.get('kind')!r})" if plan.meta.get("kind") else ""
                ),
                "make the sheet with 'okrtool plan-template', fill it in and send that; report "
                "workbooks go to 'okrtool import-reports'",
            )
        for name in TABLES:
            sheet = book.sheet(name)
            if sheet is None:
                continue
            table = _read_table(sheet, name)
            if not sheet.visible:
                if table is not None:
                    plan.hidden.append(name)
                    plan.notes.append(f"hidden sheet '{name}' holds {HOLDS[name]}: not read")
                continue
            if table is not None:
                plan.tables[name] = table
            if name == OKR_SHEET:
                plan.labels = _read_labels(sheet)
    finally:
        book.close()
    return plan
