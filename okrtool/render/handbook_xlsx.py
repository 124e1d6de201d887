"""The Action Plan handbook as a workbook: one plain sheet, a row per key result and agency.

Kept small and on its own so that it can move onto the common xlsx styling module: a title,
a frozen header row with an auto-filter, column widths, numbers stored as numbers (in the key
result's unit), text from the data never stored as a formula (``cells.xlsx_text``), and A4
landscape print set-up, one page wide. A second sheet holds the reporting calendar.
"""

from __future__ import annotations

import io
from copy import copy
from typing import TYPE_CHECKING, Any

from okrtool.io.cells import xlsx_text
from okrtool.render import handbook_text as t

if TYPE_CHECKING:
    from okrtool.progress.handbook import Handbook

SHEET = "Handbook"
CALENDAR_SHEET = "Calendar"
#: The row of the header; the rows of the table follow it.
HEADER_ROW = 4
#: (column key, Thai header, English header, width)
COLUMNS = (
    ("role", "บทบาท", "Role", 7),
    ("group", "กลุ่มภารกิจ", "Mission group", 24),
    ("dimension", "ด้าน", "Dimension", 18),
    ("policy", "รหัสนโยบาย", "Policy id", 22),
    ("policy_th", "นโยบาย", "Policy (Thai)", 40),
    ("policy_en", "Policy", "Policy (English)", 40),
    ("host", "หน่วยงานรับผิดชอบหลัก (H)", "Host (H)", 24),
    ("key_result", "รหัสผลลัพธ์หลัก", "Key result id", 26),
    ("kr_th", "ผลลัพธ์หลัก", "Key result (Thai)", 36),
    ("kr_en", "Key result", "Key result (English)", 36),
    ("unit", "หน่วยนับ", "Unit", 14),
    ("baseline", "ค่าฐาน", "Baseline", 11),
    ("target", "เป้าหมายทั้งเมือง", "City target", 13),
    ("agency", "หน่วยงาน", "Agency", 24),
    ("agency_role", "บทบาทของหน่วยงาน", "Agency's role", 9),
    ("own_target", "เป้าหมายของหน่วยงาน", "Own target", 13),
    ("direction", "ทิศทาง", "Direction", 18),
    ("measure", "วิธีนับค่า", "How a value is counted", 30),
    ("aggregate", "การรวมผล", "Aggregate", 24),
    ("frequency", "ความถี่การรายงาน", "Reporting frequency", 16),
    ("due", "กำหนดส่งรายงาน", "Report due", 30),
)
NUMBER_COLUMNS = ("baseline", "target", "own_target")
#: The number format of a percentage (stored as 95, not 0.95, as the data has it).
PCT = '#,##0.##" %"'


def rows(book: Handbook, lang: str) -> list[dict[str, Any]]:
    """The sheet's rows: for a supported policy a row per key result (the agency's own target),
    for a hosted one a row per key result and bound agency."""
    out = []
    for section in (*book.hosted, *book.supported):
        for p in section.policies:
            for kr in p.key_results:
                base = {
                    "role": t.value(p.role, lang),
                    "group": t.names(p.group, lang) if p.group else t.word("no_group", lang),
                    "dimension": t.names(p.dimension, lang),
                    "policy": p.id,
                    "policy_th": p.title_th,
                    "policy_en": p.title_en,
                    "host": t.names(p.host, lang),
                    "key_result": kr.id,
                    "kr_th": kr.title_th,
                    "kr_en": kr.title_en,
                    "unit": t.unit(kr, lang),
                    "baseline": kr.baseline,
                    "target": kr.target,
                    "direction": t.value(kr.direction, lang),
                    "measure": t.value(kr.measure, lang),
                    "aggregate": t.value(kr.aggregate, lang),
                    "percent": kr.unit == "percent",
                }
                if p.role == "supporter":
                    out.append(
                        {
                            **base,
                            "agency": t.names(book.agency, lang),
                            "agency_role": t.value("supporter", lang),
                            "own_target": kr.own_target,
                            "frequency": t.frequency(kr, lang),
                            "due": t.due(kr.due_th, kr.due_en, lang)
                            if kr.own_target is not None
                            else t.word("not_bound", lang),
                        }
                    )
                    continue
                for a in kr.allocations:
                    out.append(
                        {
                            **base,
                            "agency": t.names(a.agency, lang),
                            "agency_role": t.value(a.role, lang),
                            "own_target": a.target,
                            "frequency": t.frequency(a, lang),
                            "due": t.due(a.due_th, a.due_en, lang),
                        }
                    )
    return out


def handbook_xlsx(book: Handbook, lang: str) -> bytes:
    """One agency's handbook as the bytes of an .xlsx."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    xlsx_text(ws.cell(1, 1), t.title(book, lang)).font = Font(bold=True, size=14)
    xlsx_text(ws.cell(2, 1), t.made_line(book, lang)).font = Font(italic=True)
    if book.empty:
        xlsx_text(
            ws.cell(3, 1), t.word("none_hosted", lang) + " · " + t.word("none_supported", lang)
        )
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    top = Alignment(wrap_text=True, vertical="top")
    for col, (_, th, en, width) in enumerate(COLUMNS, 1):
        cell = xlsx_text(ws.cell(HEADER_ROW, col), t.both(th, en, lang, "\n"))
        cell.font, cell.fill, cell.alignment = bold, grey, top
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 32
    table = rows(book, lang)
    # three cell styles, made once and copied into each cell: setting a style on each of
    # thousands of cells (the environment department's handbook) costs a hash apiece
    styles = {}
    for name, number_format in (("text", "General"), ("amount", "#,##0.##"), ("percent", PCT)):
        proto = Cell(ws)  # in no row: a style holder
        proto.alignment, proto.number_format = top, number_format
        styles[name] = proto._style
    for r, row in enumerate(table, HEADER_ROW + 1):
        for col, (key, *_) in enumerate(COLUMNS, 1):
            cell = ws.cell(r, col)
            kind = "text"
            if key in NUMBER_COLUMNS and row[key] is not None:
                kind = "percent" if row["percent"] else "amount"
            cell._style = copy(styles[kind])
            xlsx_text(cell, row[key])
    last = get_column_letter(len(COLUMNS))
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(table), 1)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _a4_landscape(ws)

    cal = wb.create_sheet(CALENDAR_SHEET)
    cal.column_dimensions["A"].width = 100
    xlsx_text(cal.cell(1, 1), t.word("calendar", lang)).font = bold
    for r, line in enumerate(t.calendar_lines(book, lang), 2):
        xlsx_text(cal.cell(r, 1), line)
    _a4_landscape(cal)
    wb.properties.creator = "okrtool"
    wb.properties.title = t.title(book, lang)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _a4_landscape(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
