"""Writing workbooks: ``xlsx.Sheet`` values laid out on A4 landscape pages (print area, row
heights, page breaks, charts clear of the tables) and saved with the same bytes for the same data.

The sheet model and its formats are ``render/xlsx.py``; this module is the one that draws them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from copy import copy
from datetime import date, datetime
from pathlib import Path
from typing import Any

from okrtool.io.cells import xlsx_text
from okrtool.render.xlsx import (
    BODY_PT,
    CHAR_PT,
    CHART_HEIGHT_PT,
    CHART_ROWS,
    CHART_WIDTH_PT,
    DEFAULT_WIDTH,
    FILLS,
    FOOTER_PT,
    GAP_WIDTH,
    HEADER_FILL,
    HEADER_MARGIN_IN,
    KEEP_ROWS,
    LINE_PT,
    MAX_WIDTH,
    MIN_CHART_WIDTH_PT,
    PAGE_FILL,
    PAGE_HEIGHT_PT,
    PRINT_WIDTH_PT,
    SECTION_FILL,
    SHORT_GROUP,
    SIDE_MARGIN_IN,
    TITLE_PT,
    TOP_MARGIN_IN,
    Chart,
    Mark,
    Row,
    Sheet,
    Table,
    date_format,
    sheet_names,
    shown_cell,
    text_width,
    wrapped_lines,
)

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


# --- writing ------------------------------------------------------------------------------------


def write_workbook(
    sheets: Sequence[Sheet], path: Path, *, as_of: date | None = None, title: str = ""
) -> None:
    """Write ``sheets`` as an .xlsx at ``path``, atomically (a temporary file beside it, then
    ``os.replace``). ``as_of`` is the document's created and modified time and the zip entries'
    time, so the same sheets give the same bytes. A file that cannot be written is a
    UsageError naming it (``outfile.write_atomic``); nothing is left behind then."""
    from okrtool.io.outfile import write_atomic

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
        # a zip entry's date is from 1980 to 2107; an as-of day outside them is dated at the edge
        stamp = (min(max(self.when.year, 1980), 2107), self.when.month, self.when.day, 0, 0, 0)
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
    #: (column, text, bold, digits taken by an indent)
    wrapped: dict[int, list[tuple[int, str, bool, float]]] = {}
    printed = _printed_columns(sheet)
    header_rows: list[int] = []
    styled: dict[tuple[Any, ...], Any] = {}
    #: rows whose one cell spans the printed columns: (row, text, font size, bold)
    spans: list[tuple[int, str, float, bool]] = []
    #: the heading rows (first, last) and the rows they head, kept on one page at least in part
    headings: list[tuple[list[int], list[int]]] = []
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
        group: tuple[list[int], list[int]] = ([r, r], [])
        headings.append(group)
        if table.caption:
            xlsx_text(ws.cell(r, 1), table.caption).font = bold
            r += 1
        head = group[0][1] = r
        styles = [row.style if isinstance(row, Row) else "data" for row in table.rows]
        for c, column in enumerate(table.columns, 1):
            cell = xlsx_text(ws.cell(head, c), column.header)
            cell.font, cell.fill = bold, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if table.across:
                spans.append((head, column.header, BODY_PT, True))
                break
            # a header wraps at its spaces: its longest word must fit; off the page, where
            # width costs no paper, its longest line (it breaks only where it has a line break)
            words = column.header.split() if column.printed else column.header.split("\n")
            widths[c] = max(widths.get(c, 0), max(text_width(w) for w in words or [""]), 6)
            if column.width is not None:
                fixed[c] = column.width
            wrapped.setdefault(head, []).append((c, column.header, True, 0.0))
        for i, row in enumerate(table.rows):
            r += 1
            cells, style = (row.cells, row.style) if isinstance(row, Row) else (row, "data")
            group = _headed(headings, group, r, style, styles[i + 1 : i + 2] == ["child"])
            if table.across or (style == "section" and len(cells) == 1):
                cell = xlsx_text(ws.cell(r, 1), cells[0] if cells else None)
                if style == "section":
                    cell.font, cell.fill = bold, section_fill
                spans.append((r, str(cells[0] or "") if cells else "", BODY_PT, style == "section"))
                continue
            for c, (column, value) in enumerate(zip(table.columns, cells, strict=False), 1):
                stored, fmt, seen = shown_cell(column.kind, value, column)
                cell = xlsx_text(ws.cell(r, c), stored)
                width = text_width(seen)
                # text wraps past its column's width; a status only in a column of fixed width;
                # a column off the page never: one line on screen (clipped at its edge, whole
                # in the formula bar and the filter), so that a row is as tall as it prints
                wraps = column.printed and (
                    (column.kind == "text" and width > (column.width or MAX_WIDTH))
                    or (
                        column.kind == "status"
                        and column.width is not None
                        and width > column.width
                    )
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
                    heavy = style in ("section", "total")
                    wrapped.setdefault(r, []).append((c, seen, heavy, 4.0 if indent else 0.0))
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
    if printed == 1:  # a page of one column (the calendar): as wide as its text, as others
        widths[1] = max([widths.get(1, 6), *(text_width(text) for _, text, _, _ in spans)])
    for c, width in widths.items():
        widths[c] = fixed.get(c, round(min(width, MAX_WIDTH) * 1.1 + 2, 1))
        ws.column_dimensions[get_column_letter(c)].width = widths[c]
    span = sum(widths.get(c, DEFAULT_WIDTH) for c in range(1, printed + 1))
    for row_number, texts in wrapped.items():
        lines = max(
            wrapped_lines(text, widths.get(c, DEFAULT_WIDTH) - indent, bold)
            for c, text, bold, indent in texts
        )
        heights[row_number] = lines * LINE_PT + 2
    # the header lines wrap across the printed columns, so that no line runs off the page
    for i, row_number in enumerate(header_rows):
        size = TITLE_PT if i == 0 else BODY_PT
        line_pt = LINE_PT * size / BODY_PT
        _across(ws, row_number, printed)
        lines = wrapped_lines(sheet.header[i], span * BODY_PT / size, i == 0)
        heights[row_number] = lines * line_pt + 3
    for row_number, text, size, heavy in spans:
        _across(ws, row_number, printed)
        heights[row_number] = wrapped_lines(text, span * BODY_PT / size, heavy) * LINE_PT + 2
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
            wrapped_at = wrapped_lines(text, widths.get(c, DEFAULT_WIDTH))
            heights[r] = max(heights.get(r, 0), wrapped_at * LINE_PT + 2)
        r += 2
    for line in sheet.footer:
        cell = xlsx_text(ws.cell(r, 1), line)
        cell.font = Font(italic=True, size=FOOTER_PT)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        _across(ws, r, printed)
        lines = wrapped_lines(line, span * BODY_PT / FOOTER_PT)
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
    page = PAGE_HEIGHT_PT / scale
    blocks = _merged([*blocks, *_kept(headings, heights, page * PAGE_FILL / 2)])
    for row_number in _page_breaks(heights, last, blocks, head, title, page):
        from openpyxl.worksheet.pagebreak import Break

        ws.row_breaks.append(Break(id=row_number))


def _headed(
    headings: list[tuple[list[int], list[int]]],
    group: tuple[list[int], list[int]],
    row: int,
    style: str,
    parent: bool,
) -> tuple[list[int], list[int]]:
    """Count ``row`` in the headings it is under, and return the group the rows after it are in:
    a ``section`` row starts a group (or, straight under a heading, is one heading with it), a
    row counts in its group (a ``child`` row in its parent's too), a ``parent`` row (one
    followed by ``child`` rows) heads its children."""
    if style == "section":
        if not group[1]:
            group[0][1] = row
            return group
        group = ([row, row], [])
        headings.append(group)
        return group
    group[1].append(row)
    if style == "child" and headings[-1] is not group:
        headings[-1][1].append(row)
    if parent:
        headings.append(([row, row], []))
    return group


def _kept(
    headings: list[tuple[list[int], list[int]]], heights: dict[int, float], most: float
) -> list[tuple[int, int]]:
    """The rows a page break must not cut: each heading with the first ``KEEP_ROWS`` rows it
    heads (all of them when ``SHORT_GROUP`` or fewer), fewer (one at least) while that is more
    than ``most`` points tall."""
    out = []
    for (first, last), rows in headings:
        n = len(rows) if len(rows) <= SHORT_GROUP else KEEP_ROWS
        while n > 1 and sum(heights.get(i, LINE_PT) for i in range(first, rows[n - 1] + 1)) > most:
            n -= 1
        out.append((first, rows[n - 1] if n else last))
    return out


def _merged(blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``blocks`` (first row, last row) with the overlapping ones made one, in order."""
    out: list[tuple[int, int]] = []
    for first, end in sorted(blocks):
        if out and first <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((first, end))
    return out


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


def _page_breaks(
    heights: dict[int, float],
    last: int,
    blocks: list[tuple[int, int]],
    title_row: int,
    title: float,
    page: float,
) -> list[int]:
    """The rows after which a page must end (a manual break): a block (a chart, the legend,
    the footer, the header lines with the first rows, a heading with its first rows) is not
    cut; a last page that would hold only a few rows takes some rows of the page before. Paged
    a little shorter than LibreOffice pages, so that its own breaks never come before these."""
    page *= PAGE_FILL
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
        # the last page is near empty: move rows onto it until it holds a third of a page,
        # while the page before keeps as much (a chart moved whole would leave it near empty)
        start = next(i for i, u in enumerate(units) if u[0] == breaks[-1] + 1)
        previous = breaks[-2] if len(breaks) > 1 else 0
        kept = sum(u[2] for u in units if previous < u[0] <= breaks[-1])
        moved = used
        i = start
        while (
            i - 1 > 0
            and units[i - 1][0] > previous + 1
            and moved < 0.35 * page
            and kept - units[i - 1][2] >= 0.3 * page
        ):
            i -= 1
            moved += units[i][2]
            kept -= units[i][2]
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
