"""The Projects sheet of a report template: its columns, its state words, and how it is written.

A sheet of its own beside the Report sheet, so that the value table and its reader stay as they
are: no header here names a key result id and a value, so ``xlsx_read`` never takes it for a
report table. ``imports.projects`` reads it back by the header texts below.
"""

from __future__ import annotations

import re
from typing import Any

from okrtool.io.cells import xlsx_text
from okrtool.io.template import Template
from okrtool.model import PROJECT_STATE_WORDS
from okrtool.typed import normalize

PROJECTS_SHEET = "Projects"
#: The header row of the projects table; its rows follow.
PROJECTS_HEADER_ROW = 4
PROJECT, STATUS, PERCENT, NOTE = "project", "status", "percent", "note"
#: The columns: (field or "", header, width). Only the fields are read back.
PROJECT_COLUMNS = (
    ("", "ลำดับ\nNo.", 6),
    (PROJECT, "รหัสโครงการ\nProject id", 30),
    ("", "ชื่อโครงการ\nProject", 60),
    ("", "ผูกกับผลลัพธ์หลัก\nBound to", 26),
    ("", "สถานะล่าสุด\nLast reported", 26),
    (STATUS, "สถานะ\nStatus", 28),
    (PERCENT, "ร้อยละความคืบหน้า\nPercent complete", 16),
    (NOTE, "หมายเหตุ\nNote", 36),
)
#: field → header texts it is found by (normalized: lower case, no spaces or punctuation).
PROJECT_HEADERS = {
    PROJECT: ("projectid", "รหัสโครงการ"),
    STATUS: ("status", "สถานะ"),
    PERCENT: ("percentcomplete", "ร้อยละความคืบหน้า", "percent", "ร้อยละ"),
    NOTE: ("note", "หมายเหตุ"),
}


def state_label(state: str) -> str:
    """A state as the drop-down offers it: ``กำลังดำเนินการ / in progress``."""
    th, en = PROJECT_STATE_WORDS[state]
    return f"{th} / {en}"


def _key(text: str) -> str:
    return re.sub(r"[\s_\-.]+", "", normalize(text).lower())


#: Every way of writing a state that is read as it: the label, either language, the id.
_STATE_OF = {
    _key(text): state
    for state, (th, en) in PROJECT_STATE_WORDS.items()
    for text in (f"{th}/{en}", th, en, state)
}


def state_of(raw: str) -> str | None:
    """The state typed in a Status cell (Thai, English, both as the drop-down writes them, or
    the id; case and spaces as typed), or None."""
    return _STATE_OF.get(_key(raw))


def state_words() -> str:
    """The states as a refusal names them."""
    return ", ".join(f"'{state_label(s)}'" for s in PROJECT_STATE_WORDS)


def write_projects_sheet(wb: Any, template: Template) -> None:
    """Add the Projects sheet of ``template`` to the openpyxl workbook ``wb``: a row per
    project with its last reported state, and the Status (a drop-down), Percent complete
    (0–100) and Note cells to fill."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(PROJECTS_SHEET, 1)
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    last_col = len(PROJECT_COLUMNS)
    ws.cell(1, 1, f"โครงการ — Projects: {template.agency_th}").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    xlsx_text(
        ws.cell(2, 1),
        f"หน่วยงาน / Agency: {template.agency_th} / {template.agency_en} ({template.agency})"
        f"   ·   งวด / Period: {template.period}",
    ).font = bold
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)
    ws.cell(
        3,
        1,
        "เลือกสถานะ กรอกร้อยละความคืบหน้า (0–100) และหมายเหตุ ในช่องสีเหลือง — Choose the "
        "status, type the percent complete (0–100) and a note in the yellow cells.",
    ).font = Font(italic=True)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=last_col)
    header = PROJECTS_HEADER_ROW
    grey = PatternFill("solid", fgColor="DDDDDD")
    for col, (_, text, width) in enumerate(PROJECT_COLUMNS, 1):
        cell = ws.cell(header, col, text)
        cell.font, cell.alignment, cell.fill = bold, wrap, grey
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[header].height = 32
    labels = ",".join(state_label(s) for s in PROJECT_STATE_WORDS)
    status = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
    percent = DataValidation(
        type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True
    )
    for dv, title, prompt in (
        (status, "สถานะ / Status", f"เลือกจากรายการ / Choose one of: {labels}"),
        (percent, "ร้อยละความคืบหน้า / Percent complete", "ร้อยละ 0–100 / a percentage, 0–100"),
    ):
        dv.showErrorMessage = dv.showInputMessage = True
        dv.errorTitle = "ค่าไม่ถูกต้อง / Not accepted"
        dv.error = prompt
        dv.promptTitle, dv.prompt = title, prompt
    yellow = PatternFill("solid", fgColor="FFF2CC")
    inputs = [i for i, (name, _, _) in enumerate(PROJECT_COLUMNS, 1) if name and name != PROJECT]
    for i, project in enumerate(template.projects, 1):
        r = header + i
        last = state_label(project.state)
        if project.percent is not None:
            last += f" ({project.percent:g} %)"
        values = (
            i,
            project.project,
            f"{project.title_th}\n{project.title_en}",
            project.key_result,
            last,
            None,
            None,
            None,
        )
        for col, value in enumerate(values, 1):
            xlsx_text(ws.cell(r, col), value).alignment = wrap
        # the title's lines (Thai, then English), each folded at the column's width
        fold = PROJECT_COLUMNS[2][2]
        lines = sum(-(-len(text) // fold) for text in (project.title_th, project.title_en))
        ws.row_dimensions[r].height = 16 * max(lines, 2)
        for col in inputs:
            ws.cell(r, col).protection = Protection(locked=False)
            ws.cell(r, col).fill = yellow
        status.add(ws.cell(r, inputs[0]))
        percent.add(ws.cell(r, inputs[1]))
    ws.add_data_validation(status)
    ws.add_data_validation(percent)
    ws.freeze_panes = ws.cell(header + 1, 1)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
