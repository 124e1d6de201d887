"""Workbooks for people: a small sheet model and the one writer every command uses for ``.xlsx``.

A command turns its rows into ``Sheet`` objects (words from ``render/text.py``, numbers as the
rows carry them) and calls ``write_workbook``; this module decides how a workbook looks, so that
``status``, ``missing``, ``history``, ``brief`` and ``handbook`` workbooks look alike. It computes
no figure: a cell holds the number it is given.

The model::

    Sheet(name, header=[title line, more lines…], tables=[Table(...), …],
          legend=[(FILLS key, words)…], legend_title="…", footer=[line…],
          page_header="group — FY 2567 — as of 30 Jun 2024", lang="th" | "en")
    Table(columns=[Column(header, kind="text", unit=None, decimals=None, width=None,
                          printed=True, signed=False)…],
          rows=[Row(cells, style="data" | "section" | "child" | "total") or a plain list…],
          caption=None, charts=[Chart(...)…], freeze_columns=1, title_column=0,
          across=False)
    a cell: str | int | float | date | None
            | Number(value, unit=None, decimals=None, prefix=None, signed=False)
              (overrides its column's)
            | Mark(key, text)  (a status: its words, filled with the colour of FILLS[key])
    Chart(kind="line" | "bar", title, categories=column index (0-based) of the labels,
          series=[column index…] (one series each, named by its header cell),
          rows=(first, end) 0-based slice of the table's rows or None for all,
          y_title=None, x_title=None (both said in the chart's title), horizontal=False
          (bars across), target=None or the column drawn as a dashed target line)

    write_workbook([sheet, …], Path("x.xlsx"), as_of=date(2024, 6, 30), title="…")

For example, a key result's history with a line chart of actual against expected::

    columns = [Column("งวด"), Column("ผลงาน", "number", unit="ต้น"),
               Column("ควรได้", "number", unit="ต้น", decimals=0), Column("สถานะ", "status")]
    rows = [Row(["2566-10", 15200, 16940.5, Mark("on-track", status_word("on-track", "th"))])]
    chart = Chart("line", "ผลงานเทียบที่ควรได้", categories=0, series=[1, 2])
    table = Table(columns, rows, charts=[chart])
    write_workbook([Sheet("env-trees-planted", header_lines, [table])], path, as_of=scope.as_of)

Sheet names are made valid for Excel (``sheet_names``: 31 characters, no ``[]:*?/\\``,
unique). After writing, ``Sheet.table_rows`` holds each table's (header row, last row), 1-based.
``write_workbook`` raises OSError when the file cannot be written: check the path first
(``okrtool.outfile.check_target``) and word the error at the command.

How a sheet is laid out (rows 1-based), for print first (issue 17: A4 landscape, body text at
8 pt or more as LibreOffice prints it):

- the printed page holds the columns from A up to the last ``Column.printed`` one of any table
  (a table's printed columns come first; the others, ids and secondary figures, are on the
  sheet for filtering, right of the print area);
- the header lines on the first rows, the first in bold and larger, each merged across the
  printed columns and wrapped there, then an empty row;
- each table: an optional caption, a header row (bold, grey, wrapped), its rows; the first
  table's header row is frozen (with ``Table.freeze_columns`` columns on the left) and carries
  the auto-filter over the whole table; on a sheet of one table it is the print title repeated
  on every page; later tables follow after an empty row. A ``Table.across`` table (notes,
  projects) has one text cell a row, merged across the printed columns; so has a ``section``
  row of one cell (a handbook's policy heading);
- every row's height is set: as many lines as its most wrapped cell needs (LibreOffice and
  print do not grow a row as Excel may);
- each chart beside its table when the printed columns and the chart fit the page's width
  (the print area then takes the chart's columns), else under the tables on rows of their own,
  two side by side when the printed width holds both (``MIN_CHART_WIDTH_PT`` each): never over a table or another chart; lines straight with markers, a
  ``Chart.target`` dashed; axis and legend text at the body's size;
- then the legend (its title, then one filled cell per key side by side) and the footer lines
  (italic, wrapped across the page), kept together on one page;
- page breaks (manual, a little before LibreOffice's own) keep the header lines with the first
  rows, a chart whole and the legend with the footer, and leave no near-empty last page.

What each column kind means:

- ``text``: the text as it is, formula-like text neutralised (``okrtool.cells.xlsx_text``),
  control characters an .xlsx cannot hold shown as U+FFFD; wrapped when longer than the column;
- ``number``: a number with thousands separators and the unit in the number format
  (``#,##0" ต้น"``), so it stays a number for sums and charts and reads with its unit; decimals
  as the terminal shows them: at most ``Number.decimals`` or ``Column.decimals`` (default 2),
  trailing zeros dropped (``6 คลอง``, ``57.05``); ``Number.prefix`` is shown before it
  (``"≤ "``); ``signed`` (a change) shows ``▲ +53 แห่ง`` / ``▼ -3 ราย``; None is an empty cell;
- ``percent``: a percentage as the rows carry it (57.05 means 57.05 %), one decimal, ``" %"``;
- ``status``: a ``Mark``: its text, filled with the colour of its key (``FILLS``);
- ``date``: a real date, ``d mmm yyyy`` (English) or Thai with the Buddhist Era year.

Print set-up: A4 landscape, one page wide (LibreOffice shrinks the printed columns to fit; the
layout keeps them narrow enough for 8 pt), the page header names the sheet's ``page_header``
in the top margin (0.8 in, the header 0.3 in from the edge: clear of the first row), the footer
the page number.

The file is written atomically (a temporary file in the same folder, then ``os.replace``) and
reproducibly: the document's created and modified times are ``as_of`` (midnight) and the zip
entries carry the same time, so the same rows on the same as-of day give the same bytes
(``workbook_bytes`` gives them without writing, for the handbook).

openpyxl is imported inside ``write_workbook``: ``okrtool --help`` does not load it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from okrtool.cells import xlsx_text

ColumnKind = Literal["text", "number", "percent", "status", "date"]
RowStyle = Literal["data", "section", "child", "total"]

#: The fill of each status, band and chase-list reason (hex RGB): Excel's good / neutral / bad.
FILLS: dict[str, str] = {
    "done": "A9D08E",
    "on-track": "C6EFCE",
    "at-risk": "FFEB9C",
    "behind": "FFC7CE",
    "no-data": "D9D9D9",
    "at-target": "A9D08E",
    "half-or-more": "FFEB9C",
    "below-half": "FFC7CE",
    "not-reported": "D9D9D9",
    "reported": "C6EFCE",
    "stale": "FFEB9C",
    "no-report": "FFC7CE",
    "not-bound": "FFEB9C",
}
HEADER_FILL = "D9E1F2"
SECTION_FILL = "EDEDED"
#: Widest a column grows to fit its text (in characters); longer text wraps.
MAX_WIDTH = 60
#: The width of a column openpyxl leaves unset, in characters.
DEFAULT_WIDTH = 8.43

# --- the printed page (A4 landscape), in points ---------------------------------------------------
#: The body text (the workbook's default font), the first header line, the footer lines.
BODY_PT, TITLE_PT, FOOTER_PT = 11, 14, 11
#: The height of a row per line of body text.
LINE_PT = 15.0
#: One character of a column's width, as LibreOffice lays it out (the default font's digit).
CHAR_PT = 7.0
SIDE_MARGIN_IN, TOP_MARGIN_IN, HEADER_MARGIN_IN = 0.4, 0.8, 0.3
PRINT_WIDTH_PT = 841.9 - 2 * 72 * SIDE_MARGIN_IN
PAGE_HEIGHT_PT = 595.3 - 2 * 72 * TOP_MARGIN_IN
#: A chart's size on the sheet, and the rows kept for it under the tables.
CHART_WIDTH_PT, CHART_HEIGHT_PT, CHART_ROWS = 400.0, 240.0, 16
#: The narrowest two charts side by side under the tables may be.
MIN_CHART_WIDTH_PT = 320.0
#: The empty column between a table and the chart beside it, in characters.
GAP_WIDTH = 2.0
#: Excel's limit on a sheet name, and the characters it refuses in one.
_SHEET_NAME_MAX = 31
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


@dataclass(frozen=True)
class Number:
    """A number cell with its own unit, decimals or prefix (overriding its column's)."""

    value: float | int | None
    unit: str | None = None
    decimals: int | None = None
    prefix: str | None = None
    #: Shown with its sign and ▲/▼ (a change), as ``Column.signed``.
    signed: bool = False


@dataclass(frozen=True)
class Mark:
    """A status cell: the words shown and the key of its fill in ``FILLS`` (``on-track``)."""

    key: str
    text: str


Cell = str | int | float | date | Number | Mark | None


@dataclass
class Column:
    """A column of a table: its header and how its cells are shown."""

    header: str
    kind: ColumnKind = "text"
    #: Shown after every number of the column (unless the cell is a ``Number`` with its own).
    unit: str | None = None
    decimals: int | None = None
    #: A fixed width in characters; None: fit the widest cell, at most MAX_WIDTH.
    width: float | None = None
    #: False: on the sheet (to filter, sort and copy) but right of the print area; such columns
    #: come after every printed one of their table.
    printed: bool = True
    #: Numbers shown with their sign and ▲/▼ (a change): ``▲ +1,200 ต้น``, ``▼ -3 ราย``.
    signed: bool = False


@dataclass
class Row:
    """A row of a table; ``section`` rows are bold on grey, ``child`` rows indent their title
    cell (``Table.title_column``), ``total`` rows are bold."""

    cells: Sequence[Cell]
    style: RowStyle = "data"


@dataclass
class Chart:
    """A native chart over a table's cells: ``line`` (e.g. actual against expected over the
    periods) or ``bar`` (e.g. how many districts are in each band)."""

    kind: Literal["line", "bar"]
    title: str
    #: The column (0-based, in the table) whose cells name the points: periods, bands.
    categories: int
    #: The columns (0-based) plotted, one series each, named by their header.
    series: Sequence[int]
    #: The table rows plotted, a slice (first, end) 0-based; None: every row.
    rows: tuple[int, int] | None = None
    y_title: str | None = None
    x_title: str | None = None
    #: Bars drawn across (``bar`` only): long labels (agency names) read on the left.
    horizontal: bool = False
    #: A column (0-based) drawn as a dashed line with the series: the target.
    target: int | None = None


@dataclass
class Table:
    """A header row and its rows, with the charts drawn from them."""

    columns: Sequence[Column]
    rows: Sequence[Row | Sequence[Cell]]
    caption: str | None = None
    charts: Sequence[Chart] = ()
    #: Columns kept in view when scrolling right (the first table only).
    freeze_columns: int = 1
    #: The column (0-based) a ``child`` row indents.
    title_column: int = 0
    #: A table of one text column (notes, projects): each cell spans the printed page's width
    #: and wraps there, instead of widening the first column.
    across: bool = False


@dataclass
class Sheet:
    """One worksheet: header lines, tables, a legend of the status colours, footer lines."""

    name: str
    header: Sequence[str]
    tables: Sequence[Table]
    #: (key in FILLS, words): one filled cell each under the tables; empty: no legend.
    legend: Sequence[tuple[str, str]] = ()
    legend_title: str = ""
    footer: Sequence[str] = ()
    #: The printed page's header (group, fiscal year, as-of day); default: the first header line.
    page_header: str | None = None
    #: Locale of dates (``th``: Buddhist Era).
    lang: str = "th"
    #: Where the written tables start and end (filled in by ``write_workbook``; for tests).
    table_rows: list[tuple[int, int]] = field(default_factory=list)


# --- widths -------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def text_width(text: str) -> int:
    """The width of ``text`` in character cells: east-asian wide characters count 2, Thai
    marks above and below a letter 0 (as rich's ``cell_len``, without importing rich); the
    widest line of several."""
    if text.isascii():
        return max(map(len, text.split("\n")), default=0)
    import unicodedata

    def width(line: str) -> int:
        return sum(
            0
            if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf")
            else 2
            if unicodedata.east_asian_width(ch) in ("W", "F")
            else 1
            for ch in line
        )

    return max(map(width, text.split("\n")), default=0)


def date_format(lang: str) -> str:
    """A date as people read it: ``30 มิ.ย. 2567`` (Thai, Buddhist Era) or ``30 Jun 2024``.

    ``[$-7041E]``: Thai (041E) with the Thai Buddhist calendar (07), which Excel and LibreOffice
    both read (LibreOffice shows ``bbbb`` and ``[$-th-TH]`` as they are)."""
    return "[$-7041E]d mmm yyyy" if lang == "th" else "d mmm yyyy"


def number_format(
    unit: str | None, decimals: int, prefix: str | None = None, signed: bool = False
) -> str:
    """The Excel number format of a number: ``#,##0.0" ต้น"``, ``"≤ "#,##0" ราย"``; ``signed``
    (a change): ``"▲ +"#,##0" ต้น";"▼ -"#,##0" ต้น";0" ต้น"``."""
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    tail = ""
    if unit:
        # "ต้น" and "%" read after a space; "/50" (of fifty) and " …" as given
        tail = _quoted(unit if unit.startswith((" ", "/")) else " " + unit)
    if signed:
        return f'"▲ +"{body}{tail};"▼ -"{body}{tail};0{tail}'
    if prefix:
        body = _quoted(prefix) + body
    return body + tail


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "") + '"'


def _decimals(value: float | int, given: int | None) -> int:
    """The decimals a number is shown with, as the terminal shows it (``text.number``): at
    most ``given`` (default 2), trailing zeros dropped: ``6`` not ``6.0``, ``57.05``."""
    most = 2 if given is None else given
    for k in range(most + 1):
        if round(float(value), k) == round(float(value), most):
            return k
    return most


def _shown(kind: ColumnKind, value: Any, column: Column) -> tuple[Any, str | None, str]:
    """The value stored, its number format (None: General; ``date``: the sheet's date format),
    and the text a reader sees (for the width)."""
    if isinstance(value, Mark):
        return value.text, None, value.text
    if isinstance(value, date):
        return value, "date", "30 Jun 2024 "
    if kind in ("number", "percent") and isinstance(value, (int, float, Number)):
        n = value if isinstance(value, Number) else Number(value)
        if n.value is None:
            return None, None, ""
        unit = n.unit if n.unit is not None else column.unit
        if kind == "percent":
            unit, decimals = "%", 1 if column.decimals is None else column.decimals
        else:
            decimals = _decimals(n.value, n.decimals if n.decimals is not None else column.decimals)
        signed = n.signed or column.signed
        fmt = number_format(unit, decimals, n.prefix, signed)
        seen = f"{'▲ +' if signed else n.prefix or ''}{n.value:,.{decimals}f} {unit or ''}"
        return n.value, fmt, seen
    if isinstance(value, Number):
        return value.value, None, "" if value.value is None else str(value.value)
    if value == "":
        return None, None, ""  # an empty text cell: openpyxl would write an empty string element
    return value, None, "" if value is None else str(value)


def sheet_names(names: Sequence[str]) -> list[str]:
    """Names Excel accepts: at most 31 characters, none of ``[]:*?/\\``, each unique."""
    out: list[str] = []
    for name in names:
        base = _NOT_IN_SHEET_NAME.sub("-", name).strip("'") or "Sheet"
        candidate, n = base[:_SHEET_NAME_MAX], 1
        while candidate.lower() in {o.lower() for o in out}:
            n += 1
            tail = f" ({n})"
            candidate = base[: _SHEET_NAME_MAX - len(tail)] + tail
        out.append(candidate)
    return out


# --- writing ------------------------------------------------------------------------------------


def write_workbook(
    sheets: Sequence[Sheet], path: Path, *, as_of: date | None = None, title: str = ""
) -> None:
    """Write ``sheets`` as an .xlsx at ``path``, atomically (a temporary file beside it, then
    ``os.replace``). ``as_of`` is the document's created and modified time and the zip entries'
    time, so the same sheets give the same bytes. A file that cannot be written is a
    UsageError naming it (``outfile.write_atomic``); nothing is left behind then."""
    from okrtool.outfile import write_atomic

    write_atomic(path, workbook_bytes(sheets, as_of=as_of, title=title))


def workbook_bytes(sheets: Sequence[Sheet], *, as_of: date | None = None, title: str = "") -> bytes:
    """The bytes of the .xlsx ``write_workbook`` writes: the same sheets on the same ``as_of``
    give the same bytes (no wall-clock time in the zip or the document's properties)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet, name in zip(sheets, sheet_names([s.name for s in sheets]), strict=True):
        _write_sheet(wb.create_sheet(name), sheet)
    when = datetime.combine(as_of or date(2000, 1, 1), datetime.min.time())
    wb.properties.creator = "okrtool"
    wb.properties.lastModifiedBy = "okrtool"
    wb.properties.title = title or (sheets[0].header[0] if sheets and sheets[0].header else "")
    wb.properties.created = when
    wb.properties.modified = when
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    # every zip entry dated ``when`` as it is written (zipfile dates them 'now'): one pass,
    # not a second compression of the saved file
    with _DatedZip(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.when = when
        ExcelWriter(wb, archive).write_data()
    return buffer.getvalue()


class _DatedZip(zipfile.ZipFile):
    """A zip whose entries are all dated ``when``, with the document's modified time ``when``
    too (openpyxl sets it to 'now' as it saves)."""

    when: datetime

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if name == "docProps/core.xml":
            modified = f"{self.when.isoformat(timespec='seconds')}Z".encode()
            data = _MODIFIED.sub(rb"\g<1>" + modified + rb"\g<2>", data)
        stamp = (max(self.when.year, 1980), self.when.month, self.when.day, 0, 0, 0)
        entry = zipfile.ZipInfo(name, date_time=stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o600 << 16
        super().writestr(entry, data)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl writes each worksheet to a temporary file first
        self.writestr(arcname or str(filename), Path(filename).read_bytes())


def _write_sheet(ws: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    widths: dict[int, float] = {}
    fixed: dict[int, float] = {}
    #: every written row's height in points, and the rows to be wrapped once widths are known
    heights: dict[int, float] = {}
    wrapped: dict[int, list[tuple[int, str]]] = {}
    printed = _printed_columns(sheet)
    header_rows: list[int] = []
    styled: dict[tuple[Any, ...], Any] = {}
    #: rows whose one cell spans the printed columns: (row, text, font size)
    spans: list[tuple[int, str, float]] = []
    r = 1
    for i, line in enumerate(sheet.header):
        cell = xlsx_text(ws.cell(r, 1), line)
        cell.font = Font(bold=True, size=TITLE_PT) if i == 0 else Font(italic=i > 1)
        header_rows.append(r)
        r += 1
    r += 1
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    section_fill = PatternFill("solid", fgColor=SECTION_FILL)
    for t, table in enumerate(sheet.tables):
        if table.caption:
            xlsx_text(ws.cell(r, 1), table.caption).font = bold
            r += 1
        head = r
        for c, column in enumerate(table.columns, 1):
            cell = xlsx_text(ws.cell(head, c), column.header)
            cell.font, cell.fill = bold, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if table.across:
                spans.append((head, column.header, BODY_PT))
                break
            # a header wraps at its spaces: its longest word must fit
            words = column.header.split() or [""]
            widths[c] = max(widths.get(c, 0), max(text_width(w) for w in words), 6)
            if column.width is not None:
                fixed[c] = column.width
            wrapped.setdefault(head, []).append((c, column.header))
        for row in table.rows:
            r += 1
            cells, style = (row.cells, row.style) if isinstance(row, Row) else (row, "data")
            if table.across or (style == "section" and len(cells) == 1):
                cell = xlsx_text(ws.cell(r, 1), cells[0] if cells else None)
                if style == "section":
                    cell.font, cell.fill = bold, section_fill
                spans.append((r, str(cells[0] or "") if cells else "", BODY_PT))
                continue
            for c, (column, value) in enumerate(zip(table.columns, cells, strict=False), 1):
                stored, fmt, seen = _shown(column.kind, value, column)
                cell = xlsx_text(ws.cell(r, c), stored)
                width = text_width(seen)
                # text wraps past its column's width; a status only in a column of fixed width
                wraps = (column.kind == "text" and width > (column.width or MAX_WIDTH)) or (
                    column.kind == "status" and column.width is not None and width > column.width
                )
                indent = style == "child" and c == table.title_column + 1
                mark = value.key if isinstance(value, Mark) and value.key in FILLS else None
                if fmt == "date":
                    fmt = date_format(sheet.lang)
                # a style made once per look and copied into each cell: setting the font, fill
                # and alignment of thousands of cells one by one costs a hash apiece
                quoted = cell._style is not None and bool(cell._style.quotePrefix)
                key = (fmt, mark, wraps, indent, style, quoted)
                proto = styled.get(key)
                if proto is not None:
                    cell._style = copy(proto)
                else:
                    if fmt is not None:
                        cell.number_format = fmt
                    if mark is not None:
                        cell.fill = PatternFill("solid", fgColor=FILLS[mark])
                    cell.alignment = Alignment(
                        vertical="top", wrap_text=wraps or None, indent=2 if indent else 0
                    )
                    if style in ("section", "total"):
                        cell.font = bold
                    if style == "section":
                        cell.fill = section_fill
                    styled[key] = copy(cell._style)
                if wraps:
                    wrapped.setdefault(r, []).append((c, seen + ("    " if indent else "")))
                widths[c] = max(widths.get(c, 0), width + (4 if indent else 0))
            if style == "section":
                for c in range(len(cells) + 1, len(table.columns) + 1):
                    ws.cell(r, c).fill = section_fill
        last_col = get_column_letter(max(len(table.columns), 1))
        sheet.table_rows.append((head, r))
        if t == 0:
            ws.freeze_panes = ws.cell(head + 1, table.freeze_columns + 1)
            ws.auto_filter.ref = f"A{head}:{last_col}{max(r, head)}"
        r += 2
    for c, width in widths.items():
        widths[c] = fixed.get(c, round(min(width, MAX_WIDTH) * 1.1 + 2, 1))
        ws.column_dimensions[get_column_letter(c)].width = widths[c]
    span = sum(widths.get(c, DEFAULT_WIDTH) for c in range(1, printed + 1))
    for row_number, texts in wrapped.items():
        lines = max(_lines(text, widths.get(c, DEFAULT_WIDTH)) for c, text in texts)
        heights[row_number] = lines * LINE_PT + 2
    # the header lines wrap across the printed columns, so that no line runs off the page
    for i, row_number in enumerate(header_rows):
        size = TITLE_PT if i == 0 else BODY_PT
        line_pt = LINE_PT * size / BODY_PT
        _across(ws, row_number, printed)
        lines = _lines(sheet.header[i], span * BODY_PT / size)
        heights[row_number] = lines * line_pt + 3
    for row_number, text, size in spans:
        _across(ws, row_number, printed)
        heights[row_number] = _lines(text, span * BODY_PT / size) * LINE_PT + 2
    # a chart beside its table when both fit the page's width, else under the tables; never
    # over another chart or a table (each has rows or columns of its own)
    blocks: list[tuple[int, int]] = []
    chart_width = min(CHART_WIDTH_PT, span * CHAR_PT)
    beside = printed + 1  # the column a chart beside the tables starts in (after a gap)
    side = span * CHAR_PT + CHAR_PT * GAP_WIDTH + CHART_WIDTH_PT <= PRINT_WIDTH_PT
    free = 1  # the first row a chart beside the tables may start on
    below: list[tuple[Any, float]] = []
    for t, table in enumerate(sheet.tables):
        head, end = sheet.table_rows[t]
        for chart in table.charts:
            drawn = _chart(ws, chart, table, head, end)
            drawn.width = round((CHART_WIDTH_PT if side else chart_width) / 72 * 2.54, 2)
            drawn.height = round(_chart_height(chart) / 72 * 2.54, 2)
            if side:
                top = max(head, free)
                ws.add_chart(drawn, f"{get_column_letter(beside + 1)}{top}")
                free = _row_below(heights, top, _chart_height(chart) + LINE_PT)
            else:
                below.append((drawn, _chart_height(chart)))
    if side and free > r:
        r = free + 1
    if side and any(t.charts for t in sheet.tables):
        ws.column_dimensions[get_column_letter(beside)].width = GAP_WIDTH
        chart_columns = int(CHART_WIDTH_PT / CHAR_PT / DEFAULT_WIDTH) + 1
        for c in range(beside + 1, beside + 1 + chart_columns):
            ws.column_dimensions[get_column_letter(c)].width = DEFAULT_WIDTH
        printed = beside + chart_columns
        span += GAP_WIDTH + DEFAULT_WIDTH * chart_columns
    if len(sheet.tables) == 1 and not below:
        # the header row on every page, where every page holds that table's rows
        head = sheet.table_rows[0][0]
        ws.print_title_rows = f"{head}:{head}"
    # under the tables, two side by side where the printed width holds both
    beside_it = _side_by_side(widths, printed) if len(below) > 1 else None
    pairs = 2 if beside_it is not None else 1
    for i in range(0, len(below), pairs):
        row_of = below[i : i + pairs]
        for k, (drawn, _) in enumerate(row_of):
            column = "A"
            if beside_it is not None:
                drawn.width = round(beside_it[1] / 72 * 2.54, 2)
                column = "A" if k == 0 else get_column_letter(beside_it[0])
            # a row above the chart: LibreOffice draws a chart whose top is a page's first
            # row on the page before too, over its bottom margin
            ws.add_chart(drawn, f"{column}{r + 1}")
        tall = max(t for _, t in row_of)
        heights[r] = LINE_PT / 2
        for k in range(CHART_ROWS):
            heights[r + 1 + k] = tall / CHART_ROWS
        blocks.append((r, r + 1 + CHART_ROWS))
        r += CHART_ROWS + 2
    # the legend and the footer lines: one block, kept on one page
    closing = r
    if sheet.legend:
        # the legend in two rows: its title, then one filled cell per key, side by side
        if sheet.legend_title:
            xlsx_text(ws.cell(r, 1), sheet.legend_title).font = bold
        r += 1
        for c, (key, text) in enumerate(sheet.legend, 1):
            cell = xlsx_text(ws.cell(r, c), text)
            if key in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[key])
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            wrapped_at = _lines(text, widths.get(c, DEFAULT_WIDTH))
            heights[r] = max(heights.get(r, 0), wrapped_at * LINE_PT + 2)
        r += 2
    for line in sheet.footer:
        cell = xlsx_text(ws.cell(r, 1), line)
        cell.font = Font(italic=True, size=FOOTER_PT)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        _across(ws, r, printed)
        lines = _lines(line, span * BODY_PT / FOOTER_PT)
        heights[r] = lines * LINE_PT * FOOTER_PT / BODY_PT + 2
        r += 1
    if r - 1 >= closing:
        blocks.append((closing, r - 1))
    last = max(r - 1, 1)
    for row_number in range(1, last + 1):
        ws.row_dimensions[row_number].height = round(heights.get(row_number, LINE_PT), 2)
    _print_setup(ws, sheet, printed, last)
    if sheet.tables:
        head = sheet.table_rows[0][0]
        if header_rows:
            blocks.append((1, min(head + 3, sheet.table_rows[0][1])))
        title = heights.get(head, LINE_PT) if ws.print_title_rows else 0.0
    else:
        head, title = 0, 0.0
    scale = min(1.0, PRINT_WIDTH_PT / (span * CHAR_PT + 2))
    for row_number in _page_breaks(heights, last, blocks, head, title, PAGE_HEIGHT_PT / scale):
        from openpyxl.worksheet.pagebreak import Break

        ws.row_breaks.append(Break(id=row_number))


def _side_by_side(widths: dict[int, float], printed: int) -> tuple[int, float] | None:
    """Where a second chart starts so that two charts sit side by side within the printed
    columns (the column, and the width both then take, in points); None if they would be
    narrower than ``MIN_CHART_WIDTH_PT``."""
    span = sum(widths.get(c, DEFAULT_WIDTH) for c in range(1, printed + 1)) * CHAR_PT
    best: tuple[int, float] | None = None
    left = 0.0
    for c in range(1, printed + 1):
        width = min(CHART_WIDTH_PT, left - GAP_WIDTH * CHAR_PT, span - left)
        if width >= MIN_CHART_WIDTH_PT and (best is None or width > best[1]):
            best = (c, width)
        left += widths.get(c, DEFAULT_WIDTH) * CHAR_PT
    return best


def _chart_height(chart: Chart) -> float:
    """A chart's height: bars across get room for a readable label each."""
    return CHART_HEIGHT_PT * 1.4 if chart.horizontal else CHART_HEIGHT_PT


def _row_below(heights: dict[int, float], top: int, height: float) -> int:
    """The first row below something ``height`` points tall drawn from the top of ``top``."""
    r, used = top, 0.0
    while used < height:
        used += heights.get(r, LINE_PT)
        r += 1
    return r


def _printed_columns(sheet: Sheet) -> int:
    """How many columns from A the printed page holds: every table's printed columns (those
    not marked ``printed=False``), which come before its other ones."""
    out = 1
    for table in sheet.tables:
        flags = [c.printed for c in table.columns]
        n = flags.index(False) if False in flags else len(flags)
        if any(flags[n:]):
            raise ValueError(f"{sheet.name}: a printed column after one that is not: {flags}")
        out = max(out, n)
    return out


def _across(ws: Any, row: int, columns: int) -> None:
    """Merge ``row`` over the printed columns and wrap its text there."""
    from openpyxl.styles import Alignment

    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide. A character
    of text is narrower than a unit of width (the widest digit), which leaves room for Thai,
    that breaks only between words: a line holds ``width - 1`` characters."""
    room = max(width - 1, 1.0)
    return sum(max(1, -(-text_width(part) // int(room))) for part in text.split("\n"))


def _page_breaks(
    heights: dict[int, float],
    last: int,
    blocks: list[tuple[int, int]],
    title_row: int,
    title: float,
    page: float,
) -> list[int]:
    """The rows after which a page must end (a manual break): a block (a chart, the legend,
    the footer, the header lines with the first rows) is not cut; a last page that would hold
    only a few rows takes some rows of the page before. Paged a little shorter than
    LibreOffice pages, so that its own breaks never come before these."""
    page *= 0.93
    starts = {first: end for first, end in blocks}
    units: list[tuple[int, int, float]] = []
    r = 1
    while r <= last:
        end = starts.get(r, r)
        units.append((r, end, sum(heights.get(i, LINE_PT) for i in range(r, end + 1))))
        r = end + 1
    breaks: list[int] = []
    used = 0.0
    for first, _, height in units:
        top = title if title_row and first > title_row and breaks else 0.0
        if used + height > page and used > top:
            breaks.append(first - 1)
            used = title if title_row and first > title_row else 0.0
        used += height
    if breaks and used - title < 0.3 * page:
        # the last page is near empty: move rows onto it until it holds a third of a page
        start = next(i for i, u in enumerate(units) if u[0] == breaks[-1] + 1)
        previous = breaks[-2] if len(breaks) > 1 else 0
        moved = used
        i = start
        while i - 1 > 0 and units[i - 1][0] > previous + 1 and moved < 0.35 * page:
            i -= 1
            moved += units[i][2]
        if moved <= page and units[i][0] > previous + 1:
            breaks[-1] = units[i][0] - 1
    return breaks


def _chart(ws: Any, spec: Chart, table: Table, head: int, end: int) -> Any:
    """The openpyxl chart of ``spec``: its series read the table's cells, by reference."""
    from openpyxl.chart import BarChart, LineChart, Reference, Series
    from openpyxl.chart.data_source import AxDataSource, StrRef
    from openpyxl.chart.series import SeriesLabel
    from openpyxl.chart.shapes import GraphicalProperties
    from openpyxl.drawing.line import LineProperties

    first, stop = spec.rows if spec.rows is not None else (0, end - head)
    lo, hi = head + 1 + first, head + stop
    chart = LineChart() if spec.kind == "line" else BarChart()
    if spec.kind == "bar":
        chart.type = "bar" if spec.horizontal else "col"
        chart.legend = None if len(spec.series) == 1 else chart.legend
        chart.gapWidth = 60
        if spec.horizontal:
            # the first row (the worst) on top, every label shown
            chart.x_axis.scaling.orientation = "maxMin"
            chart.x_axis.tickLblSkip = 1
    # the axes' titles in the chart's title: an axis title prints at 10 pt whatever the body,
    # under 8 pt once a wide sheet is fitted to the page
    units = ", ".join(t for t in (spec.y_title, spec.x_title) if t)
    chart.title = f"{spec.title} ({units})" if units and units not in spec.title else spec.title
    # openpyxl 3.1 hides axes unless told: LibreOffice and Excel then draw no labels
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if chart.legend is not None:
        chart.legend.position = "b"
    # the axes' and legend's text at the body's size (LibreOffice draws 10 pt otherwise), so
    # that it prints as large as the tables beside it
    for part in (chart.x_axis, chart.y_axis, chart.legend):
        if part is not None:
            part.txPr = _text_size(BODY_PT)
    columns = [*spec.series, *([] if spec.target is None else [spec.target])]
    for column in columns:
        series = Series(Reference(ws, min_col=column + 1, min_row=lo, max_row=hi))
        # named by the column's header cell, so a renamed header renames the series
        name = Reference(ws, min_col=column + 1, min_row=head)
        series.tx = SeriesLabel(strRef=StrRef(f=str(name)))
        if spec.kind == "line":
            series.smooth = False  # a straight line between the periods: no overshoot
            series.marker.symbol = "circle"
            series.marker.size = 5
            if column == spec.target:
                series.graphicalProperties = GraphicalProperties(
                    ln=LineProperties(prstDash="dash", w=19050, solidFill="7F7F7F")
                )
                series.marker.symbol = "none"
        chart.series.append(series)
    # the categories are labels (periods, bands, names): a string reference, which openpyxl's
    # set_categories would write as a number reference
    # the value axis in plain numbers, not in the first series' format ("on track 30/50")
    chart.y_axis.number_format = "#,##0"
    chart.y_axis.numFmt.sourceLinked = False if chart.y_axis.numFmt is not None else None
    labels = Reference(ws, min_col=spec.categories + 1, min_row=lo, max_row=hi)
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(labels)))
    return chart


def _text_size(points: float) -> Any:
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

    size = CharacterProperties(sz=int(points * 100))
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=size), endParaRPr=size)])


def _print_setup(ws: Any, sheet: Sheet, columns: int, last: int) -> None:
    """A4 landscape, one page wide, as many long as needed, the printed columns only; the page
    header names the sheet and sits in the top margin, clear of the sheet's first row."""
    from openpyxl.utils import get_column_letter

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.print_area = f"A1:{get_column_letter(columns)}{last}"
    text = sheet.page_header or (sheet.header[0] if sheet.header else "")
    # '&' starts a code in a page header: written twice it is one '&'
    ws.oddHeader.center.text = text.replace("&", "&&")
    ws.oddHeader.center.size = 9
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.center.size = 9
    margins = ws.page_margins
    margins.left = margins.right = SIDE_MARGIN_IN
    margins.top = margins.bottom = TOP_MARGIN_IN
    margins.header = margins.footer = HEADER_MARGIN_IN
