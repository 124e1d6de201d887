"""Writing report templates: the .xlsx an agency fills in, and the files for one or every agency.

``write_template`` lays a ``Template`` out as a workbook with locked key columns, a validated
input column, an instructions sheet and a hidden sheet that records what the workbook was made
for; ``make_templates`` is ``okrtool report-template``: it checks the output targets
(``outfile``), builds each template (``template``) and writes it. The header texts are those the
reader matches (``report_sheet``).

openpyxl is imported inside the functions: it costs 150 ms at start-up.
"""

from __future__ import annotations

import os
from pathlib import Path

from okrtool.errors import OkrtoolError, UsageError
from okrtool.fiscal import day_text
from okrtool.io import sheet_style as style
from okrtool.io.cells import xlsx_text
from okrtool.io.outfile import check_files, check_folder, xlsx_name
from okrtool.io.report_sheet import (
    INSTRUCTIONS_SHEET,
    REPORT_SHEET,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
)
from okrtool.io.template import Template, allocated_key_results, template_for
from okrtool.typed import TypedError, period_of


def due_lines(template: Template) -> list[str]:
    """The due date and the contact as the template prints them, Thai then English:
    ``กำหนดส่ง / Due: 5 ก.ค. 2567 / 5 Jul 2024``; each period named when rows differ."""
    lines = []
    if template.due:
        named = len(template.due) > 1
        parts = [
            f"{day_text(when, 'th')} / {day_text(when, 'en')}" + (f" ({owed})" if named else "")
            for owed, when in template.due
        ]
        lines.append("กำหนดส่ง / Due: " + "; ".join(parts))
    contact = template.contact
    if contact is not None:
        reach = [x for x in (contact.phone and f"โทร / phone {contact.phone}", contact.email) if x]
        lines.append(
            f"ติดต่อ / Contact: {contact.name_th} / {contact.name_en}"
            + (f" — {', '.join(reach)}" if reach else "")
        )
    return lines


#: The template's columns: (header, width). The header texts are what the reader matches.
TEMPLATE_COLUMNS = (
    ("ลำดับ\nNo.", 6),
    ("นโยบาย\nPolicy", 38),
    ("รหัสผลลัพธ์หลัก\nKey result id", 26),
    ("ชื่อผลลัพธ์หลัก\nKey result title", 40),
    ("หน่วยนับ\nUnit", 14),
    ("เป้าหมายของหน่วยงาน\nOwn target", 16),
    ("ผลก่อนงวดนี้\nReported before", 16),
    ("งวด\nPeriod", 12),
    ("ผลการดำเนินงาน\nValue", 18),
    ("หมายเหตุ\nNote", 32),
)
#: Row of the header; data rows follow it.
TEMPLATE_HEADER_ROW = 5
INPUT_COLUMNS = (9, 10)

INSTRUCTIONS = (
    ("วิธีกรอกแบบรายงาน", True),
    ('1. กรอกเฉพาะคอลัมน์ "ผลการดำเนินงาน" (สีเหลือง) และ "หมายเหตุ" ถ้ามี', False),
    (
        "2. กรอกเป็นตัวเลข เช่น 1234 หรือ 1,234.5 ใช้เลขไทยได้ หน่วยร้อยละกรอก 0–100 (เช่น 57.05)",
        False,
    ),
    ("3. ผลลัพธ์ที่ยังไม่มีผลให้เว้นว่างหรือใส่ - (ไม่ใช่ 0)", False),
    (
        "4. ความหมายของตัวเลข: นับเพิ่ม (increment) = ผลของงวดนี้เท่านั้น; สะสม (cumulative) = "
        "ยอดรวมตั้งแต่ต้นปีงบประมาณ; ระดับ (level) = ค่า ณ สิ้นงวด",
        False,
    ),
    (
        "5. แถวที่คอลัมน์งวดเป็นไตรมาส (เช่น FY2567-Q4) คือผลลัพธ์ที่หน่วยงานรายงานเป็นรายไตรมาส: "
        "กรอกผลของทั้งไตรมาส",
        False,
    ),
    (
        "6. ห้ามแก้คอลัมน์อื่น ห้ามเปลี่ยนชื่อแผ่นงาน บันทึกเป็น .xlsx แล้วส่งกลับไปยัง สำนักยุทธศาสตร์และประเมินผล",
        False,
    ),
    ("", False),
    ("How to fill in this report", True),
    ("1. Fill in only the Value column (yellow) and, if you wish, the Note column.", False),
    (
        "2. Type numbers: 1234 or 1,234.5; Thai digits are fine. Percentages are 0–100 "
        "(57.05, not 0.5705).",
        False,
    ),
    ("3. Nothing to report yet? Leave the cell blank or type - (not 0).", False),
    (
        "4. What a value means: increment = what was done in this period only; cumulative = "
        "the running total since 1 October; level = the level at the end of the period.",
        False,
    ),
    (
        "5. A row whose Period is a quarter (like FY2567-Q4) is a key result your agency reports "
        "by quarter: give the value for the whole quarter.",
        False,
    ),
    (
        "6. Do not change the other columns or rename the sheets. Save as .xlsx and send it "
        "back to the Strategy and Evaluation Department.",
        False,
    ),
)

#: What the instructions add for an agency that owns projects (the Projects sheet).
PROJECT_INSTRUCTIONS = (
    ("", False),
    ("โครงการ (แผ่นงาน Projects)", True),
    (
        "เลือกสถานะของทุกโครงการในงวดนี้ (ยังไม่เริ่ม, กำลังดำเนินการ, เสร็จแล้ว, ยกเลิก) "
        "กรอกร้อยละความคืบหน้า 0–100 และหมายเหตุถ้ามี",
        False,
    ),
    ("Projects (the Projects sheet)", True),
    (
        "Choose the status of every project for this period (not started, in progress, done, "
        "cancelled), type its percent complete (0–100) and a note if you wish.",
        False,
    ),
)

_MEASURE_TH = {"increment": "นับเพิ่ม", "cumulative": "สะสม", "level": "ระดับ"}


def write_template(template: Template, path: Path) -> None:
    """Write ``template`` as an .xlsx at ``path`` (the look and guards of ``sheet_style``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = REPORT_SHEET
    bold = Font(bold=True)
    last_col = len(TEMPLATE_COLUMNS)
    period = str(template.period)

    style.title(ws, 1, f"แบบรายงานผลการดำเนินงาน — Progress report: {template.agency_th}", last_col)
    ws.cell(2, 1, "หน่วยงาน / Agency:").font = bold
    xlsx_text(ws.cell(2, 2), f"{template.agency_th} / {template.agency_en} ({template.agency})")
    ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=4)
    ws.cell(2, 7, "งวด / Period:").font = bold
    ws.cell(2, 8, period)
    style.note(
        ws,
        3,
        "กรอกเฉพาะช่องสีเหลือง (ผลการดำเนินงาน, หมายเหตุ) — Fill in only the yellow cells "
        f"(Value, Note). See the {INSTRUCTIONS_SHEET} sheet.",
        last_col,
    )
    # the due date and the contact above the table, in one merged cell: its text starts with a
    # label the reader does not take for the agency or the period ('กำหนดส่ง / Due: …')
    due = due_lines(template)
    if due:
        xlsx_text(ws.cell(4, 1), "   ·   ".join(due)).font = bold
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=last_col)

    header = TEMPLATE_HEADER_ROW
    style.header(ws, header, TEMPLATE_COLUMNS)
    percent = style.number_check("ผลการดำเนินงาน / Value", percent=True)
    amount = style.number_check("ผลการดำเนินงาน / Value")
    for i, row in enumerate(template.rows, 1):
        r = header + i
        unit = f"{row.unit_th} / {row.unit}" if row.unit_th else row.unit
        if row.percent:
            unit = "ร้อยละ / percent (0–100)"
        # names come from the data: a title '=HYPERLINK(…)' must stay text (cells.py)
        style.cells(
            ws,
            r,
            (
                i,
                f"{row.policy_th}\n{row.policy_en}",
                row.key_result,
                f"{row.title_th}\n{row.title_en}\n({_MEASURE_TH[row.measure]} / {row.measure})",
                unit,
                row.target,
                row.so_far,
                str(row.period or template.period),
                None,
                None,
            ),
        )
        for col in INPUT_COLUMNS:
            style.to_fill(ws.cell(r, col))
        (percent if row.percent else amount).add(ws.cell(r, INPUT_COLUMNS[0]))
    style.add_checks(ws, (percent, amount))
    ws.freeze_panes = ws.cell(header + 1, 1)
    style.protect(ws)

    if template.projects:
        from okrtool.io.project_sheet import write_projects_sheet

        write_projects_sheet(wb, template)
    agency_text = f"{template.agency_th} / {template.agency_en} ({template.agency})"
    lines = [
        *INSTRUCTIONS,
        *(PROJECT_INSTRUCTIONS if template.projects else ()),
        ("", False),
        (f"หน่วยงาน / Agency: {agency_text}", True),
        (f"งวด / Period: {period}", True),
        *((line, True) for line in due),
    ]
    style.lines_sheet(wb, INSTRUCTIONS_SHEET, lines)
    style.meta_sheet(
        wb,
        (
            ("kind", TEMPLATE_KIND),
            ("version", TEMPLATE_VERSION),
            ("agency", template.agency),
            ("period", period),
            ("fiscal_year", str(template.period.fiscal_year)),
            ("dataset", template.dataset),
            ("made_at", template.made_at),
        ),
    )
    wb.properties.creator = "okrtool"
    wb.properties.title = f"{template.agency} {period}"
    style.save(wb, path)  # through a temporary file: a failed write leaves what was there


def make_templates(
    root: Path,
    agency: str,
    period_text: str,
    output: Path | None,
    every: bool = False,
    force: bool = False,
) -> list[tuple[Path, int]]:
    """Write the template of ``agency`` (or, with ``every``, of every agency with a key result
    allocated that year, into the folder ``output``) for the period typed; return each file
    written with its number of rows. A workbook already there is written over only with
    ``force`` (it may be one an officer has filled in); UsageError for a path that cannot be
    written (``outfile``: never in the data folder ``root``) or a name other than .xlsx, before
    anything is."""
    from datetime import datetime

    from okrtool.rules.validate import load_valid

    try:
        when = period_of(period_text)
    except TypedError as exc:
        raise UsageError(f"--period {period_text}: {exc}") from None
    ds = load_valid(root, lambda _: {when.fiscal_year})
    made_at = datetime.now().astimezone().isoformat(timespec="seconds")
    if every:
        agencies = [a for a in ds.agencies if any(allocated_key_results(ds, a, when.fiscal_year))]
        if not agencies:
            raise OkrtoolError(f"no agency has a key result allocated in FY {when.fiscal_year}")
        folder = output or Path(f"templates-{when}")
        if folder.suffix.lower() == ".xlsx":
            raise UsageError(f"--output {folder}: with --agency all, give a folder")
        check_folder(folder, root, may_create=True)
        targets = [(a, folder / f"{a}-{when}.xlsx") for a in agencies]
    else:
        from okrtool.progress.filters import resolve  # the one resolver of what people type

        agency = resolve("agency", agency, ds.agencies)
        path = output or Path(f"{agency}-{when}.xlsx")
        if os.path.isdir(path):  # False, not an error, for a path it may not look at
            path = path / f"{agency}-{when}.xlsx"
        check_folder(path.parent, root, may_create=False, given=path)  # the data folder first
        xlsx_name(path)
        targets = [(agency, path)]
    check_files([path for _, path in targets], force)
    written = []
    for agency_id, path in targets:
        template = template_for(ds, agency_id, when, made_at)
        if not template.rows:
            raise OkrtoolError(
                f"'{agency_id}' has no key result allocated in FY {when.fiscal_year}: "
                "nothing to report on"
            )
        try:
            write_template(template, path)
        except OSError as exc:  # the checks passed, yet writing failed (a full disk)
            raise UsageError(f"--output {path}: cannot write the file ({exc.strerror})") from None
        written.append((path, len(template.rows)))
    return written
