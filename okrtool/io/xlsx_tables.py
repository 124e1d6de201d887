"""Finding tables in a workbook read by ``xlsx_read``: on each visible sheet, the row whose
header texts name a vocabulary's required fields, the labels above it and the rows below.

A vocabulary (``Vocabulary``) is the header texts of one kind of sheet: the report table's is
``report_sheet.REPORT_TABLE``; a plan sheet brings its own. ``read_tables(path, vocabulary)``
reads the workbook and returns its tables and the hidden template record, or raises
WorkbookError (E802 when no visible sheet holds a table, naming a hidden one that does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from okrtool.io.report_sheet import (
    HEADER_SCAN_ROWS,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    cell_ref,
    match_header,
)
from okrtool.io.xlsx_guard import WorkbookError
from okrtool.io.xlsx_parts import column_letter
from okrtool.io.xlsx_read import Sheet, read_workbook

#: Rows of one table below its header: twice a whole city's month (440 key results × 50
#: districts = 22,000 rows). Blank rows past it are passed over.
MAX_TABLE_ROWS = 50_000


@dataclass(frozen=True)
class Vocabulary:
    """The header texts of one kind of table and what to say when none is found."""

    #: what the table is called in a note (``report table``)
    name: str
    #: field → header texts (normalized: lower case, no spaces or punctuation), best first
    headers: dict[str, tuple[str, ...]]
    #: the fields a header row must name
    required: tuple[str, ...]
    #: fields also read from a label above the table (``หน่วยงาน: เขตบางรัก``)
    labels: tuple[str, ...]
    #: the E802 refusal when no visible sheet has a header row naming the required fields
    missing: str
    #: what to do when no sheet holds a table
    hint: str
    #: fields of free text: a formula there with no saved result is not marked (not refused)
    free_text: tuple[str, ...] = ()


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
    """One data row of a table: field → cell."""

    number: int
    cells: dict[str, Cell]


@dataclass
class Table:
    """The table of one sheet: where its header is, the labels above it, its rows."""

    sheet: str
    header_row: int
    columns: dict[str, str]
    labels: dict[str, Cell]
    rows: list[Row] = field(default_factory=list)


@dataclass
class TableBook:
    """A workbook's tables: the hidden template record (if any) and one table a sheet."""

    path: Path
    sha256: str
    meta: dict[str, str]
    tables: list[Table]
    sheets: list[str]
    #: what was left out and why (a hidden sheet holding a table), for the user to know
    notes: list[str] = field(default_factory=list)
    #: what ``read_tables``' ``also`` readers made of their sheets, by sheet name
    also: dict[str, Any] = field(default_factory=dict)


def read_tables(
    path: Path,
    vocabulary: Vocabulary,
    also: Mapping[str, Callable[[Sheet], Any]] | None = None,
) -> TableBook:
    """Read ``path`` and find the table of ``vocabulary`` on every visible sheet, and the
    template record. Hidden sheets are not read: nobody reviewed what they hold; a table on one
    is named in ``notes`` (or in the E802 refusal). ``also``: a reader to run on the sheet of
    that name, if there is one, while the workbook is open (``TableBook.also``), so that a
    second sheet is not a second reading of the file."""
    book = read_workbook(path)
    kept: dict[str, Any] = {}
    try:
        meta: dict[str, str] = {}
        tables: list[Table] = []
        hidden: list[str] = []
        for sheet in book.sheets:
            if also and sheet.name in also:
                kept[sheet.name] = also[sheet.name](sheet)
            if sheet.name == META_SHEET:
                meta = read_meta(sheet)
            elif sheet.name == INSTRUCTIONS_SHEET:
                continue
            elif not sheet.visible:
                if _header_of(sheet, vocabulary) is not None:
                    hidden.append(sheet.name)
            else:
                table = _read_table(sheet, vocabulary)
                if table is not None:
                    tables.append(table)
    finally:
        book.close()
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
            vocabulary.missing + also,
            "unhide the sheet (right-click a sheet tab › Unhide) or copy the table onto a visible "
            "sheet, check it, save and send again"
            if hidden
            else vocabulary.hint,
        )
    notes = [f"hidden sheet {shown} holds a {vocabulary.name}: not read"] if hidden else []
    return TableBook(path, book.sha256, meta, tables, book.names, notes, kept)


def read_meta(sheet: Sheet) -> dict[str, str]:
    """The template record: name → value pairs in the first two columns."""
    meta = {}
    for number, row in sheet.rows(width=2):
        if number > HEADER_SCAN_ROWS:
            break
        if len(row) == 2 and isinstance(row[0], str) and row[1] is not None:
            meta[row[0]] = str(row[1])
    return meta


def _header_of(
    sheet: Sheet, vocabulary: Vocabulary
) -> tuple[int, dict[str, int], list[tuple[int, list[Any]]]] | None:
    """The header row of the table on ``sheet`` in its first HEADER_SCAN_ROWS rows: its
    number, field → column, and the rows above it; None if no row names the required fields."""
    above: list[tuple[int, list[Any]]] = []
    for number, values in sheet.rows():
        if number > HEADER_SCAN_ROWS:
            break
        columns = match_header(enumerate(values, 1), vocabulary.headers)
        if all(name in columns for name in vocabulary.required):
            return number, columns, above
        above.append((number, values))
    return None


def _read_table(sheet: Sheet, vocabulary: Vocabulary) -> Table | None:
    found = _header_of(sheet, vocabulary)
    if found is None:
        return None
    header, columns, above = found
    letters = {name: column_letter(col) for name, col in columns.items()}
    table = Table(sheet.name, header, letters, _labels(sheet, above, vocabulary))
    wanted = sorted(columns.items(), key=lambda kv: kv[1])
    formulas = sheet.formulas
    last = header + MAX_TABLE_ROWS
    # only the table's columns: a row reaching column XFD would otherwise be 16,384 cells
    for number, values in sheet.rows(header + 1, width=max(columns.values())):
        width = len(values)
        if number > last:
            filled = [n for n, col in wanted if col <= width and values[col - 1] is not None]
            if filled:
                where = cell_ref(sheet.name, f"{letters[filled[0]]}{number}")
                raise WorkbookError(
                    "E807",
                    f"found a value in {where}, more than {MAX_TABLE_ROWS:,} rows below the "
                    f"table's header, expected a table of at most {MAX_TABLE_ROWS:,} rows",
                    f"split the table into workbooks of at most {MAX_TABLE_ROWS:,} rows each",
                )
            continue  # blank rows far below (a stray format) are passed over
        row: dict[str, Cell] = {}
        for name, col in wanted:
            value = values[col - 1] if col <= width else None
            ref = f"{letters[name]}{number}"
            # only a number needs its format (a percentage is stored as 0.57)
            fmt = (
                sheet.number_format(ref)
                if isinstance(value, int | float) and not isinstance(value, bool)
                else "General"
            )
            unsaved = value is None and name not in vocabulary.free_text
            row[name] = Cell(value, ref, fmt, formulas.get(ref, "") if unsaved else "")
        table.rows.append(Row(number, row))
    return table


def _labels(
    sheet: Sheet, above: list[tuple[int, list[Any]]], vocabulary: Vocabulary
) -> dict[str, Cell]:
    """Labels above the table, like 'หน่วยงาน: เขตบางรัก' or 'Period | 2567-06' in two cells."""
    labels: dict[str, Cell] = {}
    for number, values in above:
        for i, value in enumerate(values):
            if not isinstance(value, str):
                continue
            label, _, rest = value.partition(":")
            names = match_header([(i, label)], vocabulary.headers)
            for name in vocabulary.labels:
                if name not in names or name in labels:
                    continue
                if rest.strip():
                    labels[name] = Cell(rest.strip(), f"{column_letter(i + 1)}{number}")
                    continue
                for j in range(i + 1, len(values)):
                    if values[j] is not None and str(values[j]).strip():
                        ref = f"{column_letter(j + 1)}{number}"
                        labels[name] = Cell(values[j], ref, sheet.number_format(ref))
                        break
    return labels
