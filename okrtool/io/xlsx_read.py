"""Reading a workbook (.xlsx or .ods) into its sheets' cells: values, references, number
formats, formulas that have no saved result, Excel errors, hidden and protected state, merged
ranges.

``read_workbook(path)`` checks the file first (``xlsx_guard``), then reads every worksheet. It
knows nothing of report tables: finding a table by its headers is ``xlsx_tables``, one layer up,
for any header vocabulary. It does not interpret values (``typed``). Every refusal is a
``WorkbookError``.

Values come from calamine (a Rust reader, ~10× openpyxl read-only: bench/reader_bench.py); what
it does not tell (number formats, errors, unsaved formulas, protection, how far the cells reach)
comes from a regular-expression scan of the sheet's XML (``xlsx_parts``). A sheet whose cells
reach too far for calamine's grid (it allocates rows × columns) is streamed by openpyxl instead,
as is a sheet whose cells carry no reference. Both are imported inside the functions (start-up).
"""

from __future__ import annotations

import hashlib
import io
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from okrtool.io.ods_parts import scan_ods
from okrtool.io.xlsx_guard import (
    ODS_MIMETYPE,
    SAVE_AS_XLSX,
    SMALLER,
    WorkbookError,
    read_file,
    refuse_format,
)
from okrtool.io.xlsx_parts import (
    SheetXml,
    check_chars,
    column_letter,
    readable,
    scan_sheet,
    style_formats,
    unpack,
)
from okrtool.typed import NotFinite

#: A sheet whose cells reach over more than this many cells (rows × columns) is streamed by
#: openpyxl: calamine would allocate the whole grid (32 bytes a cell) and abort, not raise, when
#: memory runs out. A district's report is ~500 rows × 10 columns.
MAX_GRID_CELLS = 2_000_000
#: …and one reaching further down than this many rows (a table's limit is checked while
#: streaming, without holding the rows).
MAX_GRID_ROWS = 60_000

#: Whole floats below this are exact as ints (2**53).
_EXACT = float(2**53)

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class Sheet:
    """One worksheet as read. ``rows()`` yields its rows of values from row 1 (None for an
    empty cell; a formula's saved result; an Excel error as its text, ``#REF!``)."""

    name: str
    #: "visible", "hidden" or "veryHidden" (hidden so that only a program can unhide it)
    state: str
    protected: bool
    #: merged ranges (``A1:D1``)
    merged: list[str]
    _xml: SheetXml
    _grid: list[list[Any]] | None = None
    _stream: Any = None
    #: formats seen while streaming (openpyxl sheets)
    _seen_formats: dict[str, str] = field(default_factory=dict)
    #: reference → formula text of the cells with no saved result (set by ``read_workbook``)
    formulas: dict[str, str] = field(default_factory=dict)

    @property
    def visible(self) -> bool:
        return self.state == "visible"

    @property
    def streamed(self) -> bool:
        """True if openpyxl streams this sheet (its cells reach too far for a grid)."""
        return self._grid is None

    def rows(self, first: int = 1, width: int | None = None) -> Iterator[tuple[int, list[Any]]]:
        """``(row number, values)`` from row ``first`` on, at most ``width`` values a row
        (fewer where a row ends sooner): a stray cell in column XFD costs nothing."""
        if self._grid is not None:
            errors = self._xml.errors
            for number in range(first, len(self._grid) + 1):
                raw = self._grid[number - 1]
                # as openpyxl gives them: None for empty, a whole number as an int (inline:
                # a call a cell costs a third of the reading); a number that is not finite
                # (inf - inf is nan) as NotFinite, refused at its cell, not read as a number
                values = [
                    None
                    if v == ""
                    else (
                        int(v)
                        if v.is_integer() and -_EXACT < v < _EXACT
                        else v
                        if v - v == 0
                        else NotFinite(v)
                    )
                    if type(v) is float
                    else v
                    for v in (raw if width is None else raw[:width])
                ]
                if errors:
                    for i, v in enumerate(values):
                        if v is None:
                            error = errors.get(f"{column_letter(i + 1)}{number}")
                            if error is not None:
                                values[i] = error
                yield number, values
            return
        self._stream.reset_dimensions()  # some programs write a wrong used range
        rows = self._stream.iter_rows(min_row=first, max_col=width)
        for number, cells in enumerate(rows, first):
            values = []
            for i, cell in enumerate(cells):
                value = cell.value
                if isinstance(value, int | float) and not isinstance(value, bool):
                    if value - value != 0:  # inf or nan: not a number to read (see above)
                        value = NotFinite(value)
                    fmt = cell.number_format
                    if fmt != "General":
                        self._seen_formats[f"{column_letter(i + 1)}{number}"] = fmt
                values.append(value)
            yield number, values

    def number_format(self, ref: str) -> str:
        """The number format of the cell ``ref`` ("General" if it has none)."""
        if self._grid is None:
            return self._seen_formats.get(ref, "General")
        return self._xml.formats.get(ref, "General")


@dataclass
class Workbook:
    """A workbook read: its file's digest and every worksheet (chart sheets left out)."""

    path: Path
    sha256: str
    sheets: list[Sheet]
    #: every sheet name, chart sheets too, in the workbook's order
    names: list[str]
    _closers: list[Any] = field(default_factory=list)

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)

    def close(self) -> None:
        """Close the openpyxl workbook behind streamed sheets (if any)."""
        for closer in self._closers:
            closer.close()
        self._closers.clear()


def _damaged(exc: Exception) -> WorkbookError:
    return WorkbookError(
        "E801", f"the file is damaged and cannot be read ({type(exc).__name__})", SAVE_AS_XLSX
    )


@dataclass
class _Entry:
    name: str
    state: str
    part: str | None  # the worksheet part; None for a chart sheet


def _entries(parts: dict[str, bytes]) -> list[_Entry]:
    """The sheets workbook.xml lists, in order, with their parts (from its relationships)."""
    book = ElementTree.fromstring(parts["xl/workbook.xml"])
    rels_xml = parts.get("xl/_rels/workbook.xml.rels")
    targets: dict[str, tuple[str, str]] = {}
    if rels_xml:
        for rel in ElementTree.fromstring(rels_xml).iter(f"{_PKG}Relationship"):
            target = rel.get("Target", "")
            target = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id", "")] = (posixpath.normpath(target), rel.get("Type", ""))
    out = []
    for node in book.iter(f"{_MAIN}sheet"):
        part, kind = targets.get(node.get(f"{_REL}id", ""), (None, ""))
        is_sheet = part is not None and kind.endswith("/worksheet")
        state = node.get("state", "visible")
        out.append(_Entry(node.get("name", ""), state, part if is_sheet else None))
    return out


def read_workbook(path: Path) -> Workbook:
    """Read ``path``: every worksheet's cells (saved values of formulas). Raises WorkbookError
    for a file that cannot be read, is too large or active (macros, links to other workbooks).
    Call ``close()`` on the result when done with it (it may hold openpyxl open)."""
    data = read_file(path)
    refuse_format(path, data)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        parts = unpack(data)  # every part whole, checked against its declared size and CRC
        if parts.get("mimetype", b"").strip() == ODS_MIMETYPE:
            return _read_ods(path, sha256, data, scan_ods(parts["content.xml"]))
        entries = _entries(parts)
        formats = style_formats(parts.get("xl/styles.xml"))
        scans = {e.part: scan_sheet(parts.get(e.part, b""), formats) for e in entries if e.part}
        for name in (*scans, "xl/sharedStrings.xml"):
            check_chars(name, parts.get(name, b""))
    except WorkbookError:
        raise
    except Exception as exc:  # zipfile, zlib and the XML parser raise many kinds
        raise _damaged(exc) from None
    for attempt in (1, 2):
        book = Workbook(path, sha256, [], [e.name for e in entries])
        try:
            _read_sheets(book, data, parts, entries, scans)
            return book
        except WorkbookError:
            book.close()
            raise
        except Exception as exc:
            book.close()
            # calamine refuses a whole sheet for one number cell holding text (<v>abc</v>):
            # read again with such cells made readable, so that each is refused at its cell
            fixed = readable(parts) if attempt == 1 else None
            if fixed is None:
                raise _damaged(exc) from None
            data, parts = fixed
    raise AssertionError("unreachable")  # pragma: no cover


_STATES = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}


def _read_ods(path: Path, sha256: str, data: bytes, scans: dict[str, SheetXml]) -> Workbook:
    """An OpenDocument spreadsheet: values by calamine, the rest from content.xml's scan. A
    sheet too large for a grid is refused (openpyxl cannot stream an .ods)."""
    from python_calamine import CalamineWorkbook

    from okrtool.io.report_sheet import cell_ref

    for name, scan in scans.items():  # before calamine, which builds every sheet as it opens
        if not _fits_grid(scan):
            rows, cols = scan.extent or (0, 0)
            raise WorkbookError(
                "E807",
                f"found cells reaching {cell_ref(name, f'{column_letter(cols)}{rows}')}, "
                f"expected a sheet of at most {MAX_GRID_ROWS:,} rows and "
                f"{MAX_GRID_CELLS:,} cells",
                SMALLER,
            )
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        book = Workbook(path, sha256, [], list(calamine.sheet_names))
        for meta in calamine.sheets_metadata:
            scan = scans.get(meta.name) or SheetXml((0, 0), False)
            state = _STATES.get(str(meta.visible).rsplit(".", 1)[-1], "hidden")
            sheet = Sheet(meta.name, state, scan.protected, scan.merged, scan)
            sheet._grid = calamine.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheet.formulas = dict(scan.formula_texts)
            book.sheets.append(sheet)
    finally:
        calamine.close()
    return book


def _fits_grid(scan: SheetXml) -> bool:
    if scan.extent is None:
        return False
    rows, cols = scan.extent
    return rows <= MAX_GRID_ROWS and rows * cols <= MAX_GRID_CELLS


def _read_sheets(
    book: Workbook,
    data: bytes,
    parts: dict[str, bytes],
    entries: list[_Entry],
    scans: dict[str, SheetXml],
) -> None:
    calamine = None
    streamed = None
    for entry in entries:
        if entry.part is None:
            continue
        scan = scans[entry.part]
        sheet = Sheet(entry.name, entry.state, scan.protected, scan.merged, scan)
        if _fits_grid(scan):
            if calamine is None:
                from python_calamine import CalamineWorkbook

                calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet._grid = calamine.get_sheet_by_name(entry.name).to_python(skip_empty_area=False)
        else:
            if streamed is None:
                streamed = _open_openpyxl(data, parts, data_only=True)
                book._closers.append(streamed)
            sheet._stream = streamed[entry.name]
        book.sheets.append(sheet)
    if calamine is not None:
        calamine.close()
    unsaved = [s for s in book.sheets if s._xml.unsaved_formulas]
    if unsaved:
        _read_formulas(data, parts, unsaved)


def _read_formulas(data: bytes, parts: dict[str, bytes], sheets: list[Sheet]) -> None:
    """The text of the formulas that have no saved result (a file saved by a program that does
    not calculate), as openpyxl gives it (shared formulas translated to each cell)."""
    wb = _open_openpyxl(data, parts, data_only=False)
    try:
        for sheet in sheets:
            wanted = sheet._xml.unsaved_formulas
            last = max(int("".join(c for c in ref if c.isdigit())) for ref in wanted)
            ws = wb[sheet.name]
            ws.reset_dimensions()
            for row in ws.iter_rows(max_row=last):
                for cell in row:
                    ref = getattr(cell, "coordinate", None)
                    if ref in wanted and isinstance(cell.value, str) and cell.value.startswith("="):
                        sheet.formulas[ref] = cell.value
    finally:
        wb.close()


def _open_openpyxl(data: bytes, parts: dict[str, bytes], data_only: bool) -> Any:
    """The openpyxl workbook of ``data`` (unpacked: ``parts``), read-only, number cells holding
    no plain number made readable to it (``readable``: ``int("inf")`` fails it). Without
    openpyxl's warning that the file has no default style (Gnumeric writes such files): it is
    harmless, and it reached the user's terminal raw."""
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Workbook contains no default style")
        fixed = readable(parts)
        return load_workbook(
            io.BytesIO(data if fixed is None else fixed[0]), read_only=True, data_only=data_only
        )
