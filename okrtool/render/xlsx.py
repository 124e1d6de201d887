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
(``okrtool.io.outfile.check_file``) and word the error at the command.

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
- every row's height is set: as many lines as its most wrapped printed cell needs (LibreOffice
  and print do not grow a row as Excel may), counted by ``wrapped_lines``: text wrapped at its
  spaces by the width each character prints in LibreOffice's fonts and in Excel's, the more
  lines of the two (Thai a digit a character); a cell right of the print area never wraps: it
  shows one line on screen (clipped at its column's edge if a neighbour is filled; whole in the
  formula bar and the filter list), in a column as wide as its text up to ``MAX_WIDTH``, and
  its header breaks only at its line breaks, so that a row prints as tall as its printed text;
- each chart beside its table when the printed columns and the chart fit the page's width
  (the print area then takes the chart's columns), else under the tables on rows of their own,
  two side by side when the printed width holds both (``MIN_CHART_WIDTH_PT`` each): never
  over a table or another chart; lines straight with markers, a ``Chart.target`` dashed; axis
  and legend text at the body's size;
- then the legend (its title, then one filled cell per key side by side) and the footer lines
  (italic, wrapped across the page), kept together on one page;
- page breaks (manual, a little before LibreOffice's own) keep the header lines with the first
  rows, a chart whole and the legend with the footer, and leave no near-empty last page;
- a heading row never ends a page: a table's caption and header row, a ``section`` row and a
  row followed by ``child`` rows (their parent) head the rows under them, up to the next
  heading; each is kept on the page of its first ``KEEP_ROWS`` rows, and of all of them when
  there are ``SHORT_GROUP`` or fewer; headings one straight under another (a header row, then
  a policy's heading) are kept together with the rows of the last.

What each column kind means:

- ``text``: the text as it is, formula-like text neutralised (``okrtool.io.cells.xlsx_text``),
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

openpyxl is imported inside ``xlsx_write.workbook_bytes``: ``okrtool --help`` does not load it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

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
    "no-project-report": "F8CBAD",
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
#: The share of a page's height the planned page breaks fill: LibreOffice breaks a page of
#: these rows itself only past 100 % of it (measured: every workbook kind printed with its rows
#: paged at 100 % took the pages planned, at 102 % the brief took more); 2 % kept spare.
PAGE_FILL = 0.98
#: The rows under a heading kept on its page; a group of ``SHORT_GROUP`` rows or fewer is kept
#: whole (never split into a heading with a row or two and the rest alone overleaf). One row,
#: not two: measured, two turned 8 of the 19 sheets of ``status --by district`` from 3 pages
#: to 4, the 4th holding only the legend and footer (a near-empty page): the district table of 4
#: rows and its chart no longer fitted beside them. A kept block is at most half a page: rows
#: taller than that (a long note) keep only the first under the heading.
KEEP_ROWS, SHORT_GROUP = 1, 3
#: A chart's size on the sheet, and the rows kept for it under the tables.
CHART_WIDTH_PT, CHART_HEIGHT_PT, CHART_ROWS = 400.0, 240.0, 16
#: The narrowest two charts side by side under the tables may be.
MIN_CHART_WIDTH_PT = 320.0
#: The empty column between a table and the chart beside it, in characters.
GAP_WIDTH = 2.0
#: Excel's limit on a sheet name, and the characters it refuses in one.
_SHEET_NAME_MAX = 31
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


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
    #: come after every printed one of their table, and their cells never wrap (one line each:
    #: they do not make a printed row taller).
    printed: bool = True
    #: Numbers shown with their sign and ▲/▼ (a change): ``▲ +1,200 ต้น``, ``▼ -3 ราย``.
    signed: bool = False


@dataclass
class Row:
    """A row of a table; ``section`` rows are bold on grey, ``child`` rows indent their title
    cell (``Table.title_column``), ``total`` rows are bold. A ``section`` row is a heading of
    the rows after it (up to the next section), a row followed by ``child`` rows of those: in
    print a heading stays on the page of its first rows (``KEEP_ROWS``)."""

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


# --- how wide text prints: the lines a wrapped cell takes -----------------------------------------

#: The printed width of each ASCII character, per font a workbook prints with. LibreOffice prints
#: Calibri as DejaVu Sans here (``fc-match Calibri``), and some text in DejaVu Serif (its italic
#: too), bold in DejaVu Serif Bold or Sans Bold (``pdffonts`` of a printed handbook): the
#: advance widths in their ``hmtx`` tables over the regular digit's, in hundredths of a digit
#: (the unit of a column's width), the widest of the faces, rounded up; regular, then bold.
#: Excel draws Calibri 11 with a digit of 7 pixels: the pixels of each character (XlsxWriter's
#: ``xl_pixel_width`` table; most lowercase letters 8, wider than LibreOffice's), bold taken as
#: half a pixel wider. A line is wrapped once in each (``wrapped_lines``), not in a font made
#: of the widest character of each. Measured with bench/print_widths.py: a column W wide holds
#: W - 0.4 digits as LibreOffice prints it, at every scale from 73 % to 100 %.
_WIDTHS = {
    " !\"#$%&'()*+,-./": (
        "50 64 73 132 100 150 140 44 62 62 79 132 50 57 50 53",
        "55 72 82 132 110 158 142 49 75 75 83 132 60 66 60 58",
        "3 5 6 7 7 11 10 3 5 5 7 7 4 5 4 6",
    ),
    "0123456789:;<=>?": (
        "100 100 100 100 100 100 100 100 100 100 53 53 132 132 132 85",
        "110 110 110 110 110 110 110 110 110 110 63 63 132 132 132 93",
        "7 7 7 7 7 7 7 7 7 7 4 4 7 7 7 7",
    ),
    "@ABCDEFGHIJKLMNO": (
        "158 114 116 121 127 115 110 126 138 63 64 118 105 161 138 129",
        "158 122 133 126 137 120 112 135 149 74 75 137 111 174 144 137",
        "13 9 8 8 9 7 7 9 9 4 5 8 6 12 10 10",
    ),
    "PQRSTUVWXYZ[\\]^_": (
        "106 129 119 108 105 133 114 162 112 104 110 62 53 62 132 79",
        "119 137 131 114 117 138 122 177 122 114 115 75 58 75 132 79",
        "8 10 8 7 7 9 9 13 8 7 7 5 6 5 7 7",
    ),
    "`abcdefghijklmno": (
        "79 97 101 89 101 97 59 101 102 51 49 96 51 154 102 97",
        "79 107 113 96 113 107 69 113 115 60 57 109 60 167 115 108",
        "4 7 8 6 8 8 5 7 8 4 4 7 4 12 8 8",
    ),
    "pqrstuvwxyz{|}~": (
        "101 101 76 82 64 102 94 135 94 94 83 100 53 100 132",
        "113 113 83 94 76 115 103 146 102 103 92 112 58 112 132",
        "8 8 5 6 5 8 7 11 7 7 6 5 7 5 7",
    ),
}
#: The symbols the workbooks print besides ASCII and Thai, in digits (DejaVu's, or Calibri's
#: where wider as far as known, rounded up); any other character is taken as two digits wide.
_SYMBOLS = {"—": 2.0, "…": 2.0, "≥": 1.4, "≤": 1.4, "→": 1.4, "▲": 1.3, "▼": 1.3, "–": 1.1}
_SYMBOLS |= {"·": 0.6, "└": 1.0}
#: (font, bold) → character → digits: LibreOffice's fonts (0) and Excel's Calibri (1)
_PRINT_WIDTH = {
    (font, bold): {
        ch: (int(w) + 0.5 * bold) / 7 if font else int(w) / 100
        for chars, rows in _WIDTHS.items()
        for ch, w in zip(chars, rows[2 if font else bold].split(), strict=True)
    }
    | _SYMBOLS
    for font in (0, 1)
    for bold in (False, True)
}
_THAI = re.compile("[\u0e00-\u0e7f]")


def print_width(text: str, bold: bool = False, excel: bool = False) -> float:
    """How wide ``text`` (one line, no Thai) prints in digits (the unit of a column's width):
    as LibreOffice prints it here, or (``excel``) as Excel draws it."""
    table = _PRINT_WIDTH[int(excel), bold]
    return sum(table.get(ch, 2.0) for ch in text)


@lru_cache(maxsize=4096)
def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines ``text`` prints in a cell ``width`` digits wide, never fewer than it
    prints (a row too short cuts text): the more of LibreOffice's and Excel's. A line holds
    ``width - 1`` digits (LibreOffice's ``width - 0.4``, less what Excel's pixels may take).
    Each line break starts a line; text without Thai wraps at its spaces by the width each
    character prints (``print_width``), a word longer than a line breaking where it must; a
    line with Thai, which breaks between words (not only at spaces) in a font of its own, as
    before: every character a digit wide (``text_width``), the line holding ``width - 1``."""
    room = max(width - 1, 1.0)
    lines = 0
    for part in text.split("\n"):
        if _THAI.search(part):
            lines += max(1, -(-text_width(part) // int(room)))
        else:
            lines += max(_wrapped(part, room, bold, False), _wrapped(part, room, bold, True))
    return lines


def _wrapped(line: str, room: float, bold: bool, excel: bool) -> int:
    """The lines ``line`` (no line break, no Thai) takes, wrapped at its spaces in ``room``."""
    space = print_width(" ", bold, excel)
    used, lines = -1.0, 1  # the width of the line being filled; -1: empty
    for word in filter(None, line.split(" ")):  # not at a no-break space
        size = print_width(word, bold, excel)
        if used >= 0 and used + space + size <= room:
            used += space + size
            continue
        if used >= 0:
            lines += 1
        while size > room:  # a word wider than a line: broken between two characters
            lines, size = lines + 1, size - max(room - 2.0, 1.0)
        used = size
    return lines


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


def shown_cell(kind: ColumnKind, value: Any, column: Column) -> tuple[Any, str | None, str]:
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
