"""Spreadsheets: the report template an agency fills in (out), and report sheets read back (in).

Out: ``template_for`` builds, from the dataset, the rows one agency reports on for one period;
``write_template`` turns them into an .xlsx with locked key columns, a validated input column,
an instructions sheet and a hidden sheet that records what the workbook was made for.

In: ``read_workbook`` opens any .xlsx read-only with cached values, finds the report table on each
visible sheet by its header text (Thai or English), and returns its raw cells with their
references. It does not interpret values (``typed.py`` does) nor judge them (``importer.py``).

openpyxl is imported inside the functions: it costs 150 ms at start-up.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrtool.errors import OkrtoolError, UsageError
from okrtool.fiscal import Period, day_text, quarter
from okrtool.io.cells import xlsx_text
from okrtool.io.dataset import Dataset
from okrtool.model import Contact, ReportValue
from okrtool.problems import render_text
from okrtool.typed import TypedError, normalize, period_of

if TYPE_CHECKING:
    from okrtool.rules.validate import YearsWanted

REPORT_SHEET = "Report"
INSTRUCTIONS_SHEET = "Instructions"
#: The hidden sheet that records what a template was made for.
META_SHEET = "okrtool"
TEMPLATE_KIND = "okrtool report template"
TEMPLATE_VERSION = "1"
#: The header row of a report table is looked for in this many rows from the top of a sheet.
HEADER_SCAN_ROWS = 50
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
#: Files a folder argument picks up: Excel files, and the ones refused with advice.
WORKBOOK_SUFFIXES = (*EXCEL_SUFFIXES, ".xls", ".ods", ".csv")

# --- the fields of a report table and the header texts that name them ---------------------------

KEY_RESULT, VALUE, PERIOD, AGENCY, NOTE = "key_result", "value", "period", "agency", "note"
#: field → header texts (normalized: lower case, no spaces or punctuation), best match first.
HEADERS: dict[str, tuple[str, ...]] = {
    KEY_RESULT: (
        "keyresultid",
        "krid",
        "รหัสผลลัพธ์หลัก",
        "รหัสkr",
        "รหัสตัวชี้วัด",
        "keyresult",
        "kr",
        "ผลลัพธ์หลัก",
        "ตัวชี้วัด",
        "id",
        "รหัส",
    ),
    VALUE: (
        "value",
        "reportedvalue",
        "ผลการดำเนินงาน",
        "ค่าที่รายงาน",
        "ผลดำเนินงาน",
        "ผลงาน",
        "actual",
        "result",
        "ค่า",
        "ผล",
    ),
    PERIOD: (
        "period",
        "reportingperiod",
        "งวด",
        "งวดรายงาน",
        "งวดที่รายงาน",
        "month",
        "เดือน",
        "quarter",
        "ไตรมาส",
        "ช่วงเวลา",
    ),
    AGENCY: (
        "agencyid",
        "agency",
        "รหัสหน่วยงาน",
        "หน่วยงาน",
        "district",
        "เขต",
        "สำนักงานเขต",
        "department",
        "สำนัก",
    ),
    NOTE: ("note", "notes", "remark", "remarks", "comment", "comments", "หมายเหตุ"),
}
REQUIRED = (KEY_RESULT, VALUE)
_HEADER_PUNCT = re.compile(r"[\s_\-.:*#'\"\[\]]+")


def header_parts(text: str) -> list[str]:
    """The normalized names a header cell gives, one per line or '/'-separated part
    (``"ผลการดำเนินงาน\\nValue (fill in)"`` → ``["ผลการดำเนินงาน", "value"]``)."""
    parts = []
    for part in re.split(r"[\n/|]", normalize(str(text).replace("\n", "/"))):
        part = re.sub(r"\(.*?\)|\[.*?\]", "", part)
        part = _HEADER_PUNCT.sub("", part.lower())
        if part:
            parts.append(part)
    return parts


def match_header(texts: Iterable[tuple[int, Any]]) -> dict[str, int]:
    """field → column number for the cells ``(column, value)`` of one row, best synonym first."""
    best: dict[str, tuple[int, int]] = {}
    for column, value in texts:
        if not isinstance(value, str):
            continue
        for part in header_parts(value):
            for name, synonyms in HEADERS.items():
                if part in synonyms:
                    rank = (synonyms.index(part), column)
                    if name not in best or rank < best[name]:
                        best[name] = rank
    taken: dict[int, str] = {}
    for name, (_, column) in sorted(best.items(), key=lambda kv: kv[1]):
        taken.setdefault(column, name)  # one cell names one field
    return {name: column for column, name in taken.items()}


# --- the template (out) ---------------------------------------------------------------------------


def load_checked(root: Path, years: YearsWanted | None = None) -> Dataset:
    """Load the data folder ``root`` (the reports of the fiscal years ``years`` asks for, if
    given: see ``validate.load_checked``); raise OkrtoolError if validate would find an error in
    it (templates and imports are made against a dataset that holds together)."""
    from okrtool.rules.validate import load_checked as load_and_check

    ds, errors = load_and_check(root, years)
    if errors:
        raise OkrtoolError(
            f"{root}: the data folder has {len(errors)} error(s); run 'okrtool validate "
            f"{root}' and fix them first. The first: {render_text(errors[:1])}"
        )
    return ds


@dataclass
class TemplateRow:
    """One key result an agency reports on, as the template shows it."""

    policy_th: str
    policy_en: str
    key_result: str
    title_th: str
    title_en: str
    unit: str
    unit_th: str
    percent: bool
    target: float
    so_far: float | None
    measure: str
    #: the period this row reports: the template's, or the quarter holding it when the agency
    #: reports this key result by quarter (see ``template_for``)
    period: Period | None = None


@dataclass
class Template:
    """What one agency's report workbook for one period holds."""

    agency: str
    agency_th: str
    agency_en: str
    period: Period
    rows: list[TemplateRow]
    dataset: str
    made_at: str
    #: when each period of the rows is due (the template's period first), from the reporting
    #: calendar: (period, due date); empty without a calendar
    due: list[tuple[str, date]] = field(default_factory=list)
    #: whom to ask (the calendar's contact), if the dataset names one
    contact: Contact | None = None


def dataset_fingerprint(ds: Dataset) -> str:
    """SHA-256 of the agency and policy files (names and bytes): which plan a template is for."""
    digest = hashlib.sha256()
    for kind in ("agencies", "policies"):
        for rel in sorted(ds.files.get(kind, [])):
            digest.update(rel.encode() + b"\0" + (ds.root / rel).read_bytes() + b"\0")
    return digest.hexdigest()


def allocated_key_results(ds: Dataset, agency: str, fiscal_year: int) -> Iterator[str]:
    """Ids of the key results of ``fiscal_year`` on which ``agency`` has a target (H or R)."""
    for policy in ds.policies.values():
        for okr, kr in ds.iter_key_results(policy):
            if okr.fiscal_year == fiscal_year and agency in ds.allocations(kr.id):
                yield kr.id


def _actual(actual: Any) -> float | None:
    return None if actual is None else actual.value


def _row_period(period: Period, stored: list[ReportValue]) -> Period:
    """The period a template row of ``period`` asks for: ``period``, or, for a monthly template
    and a key result the agency has reported by quarter this year, the quarter that holds the
    month — one key result is reported by months or by quarters, not both (E603)."""
    if period.kind != "month" or not stored or stored[0].period.kind != "quarter":
        return period
    months_in = (period.start.month - 10) % 12  # October is the first month of the fiscal year
    return quarter(period.fiscal_year, months_in // 3 + 1)


def template_for(ds: Dataset, agency: str, period: Period, made_at: str) -> Template:
    """The rows of ``agency``'s report for ``period``: every key result allocated to it that
    year, with its own target and its actual from the periods before the row's (increments
    added up, running totals and levels at their latest). A key result the agency reports by
    quarter gets the quarter that holds a monthly template's month (``_row_period``)."""
    from okrtool.progress import agency_actual, due_date  # the one home of each figure

    this_year: dict[str, list[ReportValue]] = {}
    for rv in ds.reports:
        if rv.agency == agency and rv.fiscal_year == period.fiscal_year:
            this_year.setdefault(rv.key_result, []).append(rv)
    rows = []
    for kr_id in allocated_key_results(ds, agency, period.fiscal_year):
        kr = ds.key_results[kr_id]
        policy = ds.policies[ds.kr_policy[kr_id]]
        values = this_year.get(kr_id, [])
        row_period = _row_period(period, values)
        before = [rv for rv in values if rv.period.end < row_period.start]
        rows.append(
            TemplateRow(
                policy.title_th,
                policy.title_en,
                kr.id,
                kr.title_th,
                kr.title_en,
                kr.unit,
                kr.unit_th or "",
                kr.is_percent,
                ds.allocations(kr_id)[agency],
                _actual(agency_actual(kr, before)),
                kr.measure,
                row_period,
            )
        )
    due = []
    for owed in dict.fromkeys([period, *(r.period for r in rows if r.period is not None)]):
        when = due_date(ds.calendar, owed)
        if when is not None:
            due.append((str(owed), when.date))
    return Template(
        agency,
        ds.agency_name(agency, "th"),
        ds.agency_name(agency, "en"),
        period,
        rows,
        dataset_fingerprint(ds),
        made_at,
        due,
        ds.calendar.contact if ds.calendar else None,
    )


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

_MEASURE_TH = {"increment": "นับเพิ่ม", "cumulative": "สะสม", "level": "ระดับ"}


def write_template(template: Template, path: Path) -> None:
    """Write ``template`` as an .xlsx at ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = REPORT_SHEET
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    last_col = len(TEMPLATE_COLUMNS)
    period = str(template.period)

    ws.cell(1, 1, f"แบบรายงานผลการดำเนินงาน — Progress report: {template.agency_th}").font = Font(
        bold=True, size=14
    )
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    ws.cell(2, 1, "หน่วยงาน / Agency:").font = bold
    xlsx_text(ws.cell(2, 2), f"{template.agency_th} / {template.agency_en} ({template.agency})")
    ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=4)
    ws.cell(2, 7, "งวด / Period:").font = bold
    ws.cell(2, 8, period)
    ws.cell(
        3,
        1,
        "กรอกเฉพาะช่องสีเหลือง (ผลการดำเนินงาน, หมายเหตุ) — Fill in only the yellow cells "
        f"(Value, Note). See the {INSTRUCTIONS_SHEET} sheet.",
    ).font = Font(italic=True)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=last_col)
    # the due date and the contact above the table, in one merged cell: its text starts with a
    # label the reader does not take for the agency or the period ('กำหนดส่ง / Due: …')
    due = due_lines(template)
    if due:
        xlsx_text(ws.cell(4, 1), "   ·   ".join(due)).font = bold
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=last_col)

    header = TEMPLATE_HEADER_ROW
    grey = PatternFill("solid", fgColor="DDDDDD")
    for col, (text, width) in enumerate(TEMPLATE_COLUMNS, 1):
        cell = ws.cell(header, col, text)
        cell.font, cell.alignment, cell.fill = bold, wrap, grey
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[header].height = 32

    percent = _validation(
        DataValidation(type="decimal", operator="between", formula1="0", formula2="100"),
        "ร้อยละ 0–100 / a percentage, 0–100",
    )
    amount = _validation(
        DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
        "ตัวเลข 0 ขึ้นไป / a number, 0 or more",
    )
    yellow = PatternFill("solid", fgColor="FFF2CC")
    for i, row in enumerate(template.rows, 1):
        r = header + i
        unit = f"{row.unit_th} / {row.unit}" if row.unit_th else row.unit
        if row.percent:
            unit = "ร้อยละ / percent (0–100)"
        values = (
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
        )
        for col, value in enumerate(values, 1):
            # names come from the data: a title '=HYPERLINK(…)' must stay text (cells.py)
            xlsx_text(ws.cell(r, col), value).alignment = wrap
        for col in INPUT_COLUMNS:
            ws.cell(r, col).protection = Protection(locked=False)
            ws.cell(r, col).fill = yellow
        (percent if row.percent else amount).add(ws.cell(r, INPUT_COLUMNS[0]))
    for dv in (percent, amount):
        if dv.sqref:
            ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(header + 1, 1)
    ws.protection.sheet = True
    # a locked sheet still lets people widen columns and rows, and select, to read comfortably
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    info = wb.create_sheet(INSTRUCTIONS_SHEET)
    info.column_dimensions["A"].width = 120
    agency_text = f"{template.agency_th} / {template.agency_en} ({template.agency})"
    lines = [
        *INSTRUCTIONS,
        ("", False),
        (f"หน่วยงาน / Agency: {agency_text}", True),
        (f"งวด / Period: {period}", True),
        *((line, True) for line in due),
    ]
    for r, (text, is_title) in enumerate(lines, 1):
        cell = xlsx_text(info.cell(r, 1), text)
        cell.alignment = Alignment(wrap_text=True)
        if is_title:
            cell.font = bold
    info.protection.sheet = True

    meta = wb.create_sheet(META_SHEET)
    for r, (key, value) in enumerate(
        (
            ("kind", TEMPLATE_KIND),
            ("version", TEMPLATE_VERSION),
            ("agency", template.agency),
            ("period", period),
            ("fiscal_year", str(template.period.fiscal_year)),
            ("dataset", template.dataset),
            ("made_at", template.made_at),
        ),
        1,
    ):
        meta.cell(r, 1, key)
        xlsx_text(meta.cell(r, 2), value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.properties.creator = "okrtool"
    wb.properties.title = f"{template.agency} {period}"
    path.parent.mkdir(exist_ok=True)
    # through a temporary file beside it: a failed write leaves what was there (--force)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        wb.save(temp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)  # mkstemp makes it 0600: the officer's copy is shared
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _validation(dv: Any, what: str) -> Any:
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorTitle = "ค่าไม่ถูกต้อง / Not accepted"
    dv.error = f"กรอก{what.split(' / ')[0]} / Type {what.split(' / ')[1]}"
    dv.promptTitle = "ผลการดำเนินงาน / Value"
    dv.prompt = what
    return dv


# --- reading (in) -------------------------------------------------------------------------------


class WorkbookError(Exception):
    """A workbook that cannot be read as a report; ``code`` is its problem code."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


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
    """One data row of a report table: field → cell."""

    number: int
    cells: dict[str, Cell]


@dataclass
class Table:
    """The report table of one sheet: where its header is, the labels above it, its rows."""

    sheet: str
    header_row: int
    columns: dict[str, str]
    labels: dict[str, Cell]
    rows: list[Row] = field(default_factory=list)


@dataclass
class Workbook:
    """A workbook read back: the hidden template record (if any) and its report tables."""

    path: Path
    sha256: str
    meta: dict[str, str]
    tables: list[Table]
    sheets: list[str]
    #: what was left out and why (a hidden sheet holding a table), for the user to know
    notes: list[str] = field(default_factory=list)


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
SAVE_AS_XLSX = "open it in Excel (or LibreOffice) and save it as an Excel Workbook (.xlsx)"

# --- limits, checked before anything is unpacked ---------------------------------------------
# A district's report workbook is 20–300 KB and unpacks to a few MB. The limits are far above
# that and far below what would exhaust memory or time; a zip bomb's parts declare their sizes.
# Time: openpyxl parses a sheet written without a <dimension> element whole when it opens the
# workbook (measured: 4.5 s for 40 MiB), so the unpacked limits also bound the time.

#: The workbook file itself.
MAX_FILE_BYTES = 64 * 2**20
#: One part (a sheet's XML, the shared strings…), unpacked, as the zip directory declares it.
MAX_PART_BYTES = 32 * 2**20
#: All parts together, unpacked.
MAX_UNPACKED_BYTES = 64 * 2**20
#: Parts in the archive (a workbook has tens; each costs memory to list).
MAX_PARTS = 10_000
#: Rows of one report table below its header: twice a whole city's month (440 key results ×
#: 50 districts = 22,000 rows). Blank rows past it are passed over.
MAX_TABLE_ROWS = 50_000
SMALLER = (
    "a report workbook is a few hundred KB: copy the report table into a new workbook "
    "(without pictures), save it as .xlsx and send that"
)
#: Parts that hold macros (VBA, Excel 4.0 macro sheets): never run, and refused.
_MACRO_PART = re.compile(r"(?i)(^|/)vbaProject\.bin$|^xl/macrosheets/|^xl/dialogsheets/")
_MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
_LINK_PART = re.compile(r"(?i)^xl/externalLinks/[^/]+\.xml$")


def _mib(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB"


def _zip_part_count(data: bytes) -> int | None:
    """How many parts the zip directory of ``data`` lists, read from its end record (zip64
    too) without listing them; None if there is no end record (a damaged archive)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, at + 10)[0]
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        if data[record : record + 4] == b"PK\x06\x06" and record + 40 <= len(data):
            count = struct.unpack_from("<Q", data, record + 32)[0]
    return count


def _refuse_zip(path: Path, zf: zipfile.ZipFile) -> None:
    """Raise WorkbookError for an archive too large to unpack (by the sizes its directory
    declares, before unpacking anything), or holding macros or links to other workbooks."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            raise WorkbookError(
                "E807",
                f"found the part {info.filename!r} declaring {_mib(info.file_size)} unpacked, "
                f"expected at most {_mib(MAX_PART_BYTES)} a part (is it a zip bomb?)",
                SMALLER,
            )
    if total > MAX_UNPACKED_BYTES:
        raise WorkbookError(
            "E807",
            f"found parts declaring {_mib(total)} unpacked in all, expected at most "
            f"{_mib(MAX_UNPACKED_BYTES)} (is it a zip bomb?)",
            SMALLER,
        )
    names = zf.namelist()
    macros = [n for n in names if _MACRO_PART.search(n)]
    if macros or path.suffix.lower() in _MACRO_SUFFIXES:
        what = macros[0] if macros else f"a macro-enabled {path.suffix.lower()} file"
        raise WorkbookError(
            "E808",
            f"found macros ({what}), expected a workbook without them: macros are never run, "
            "and a workbook that holds them is not accepted",
            "in Excel: File › Save As… › Excel Workbook (.xlsx), which leaves the macros out; "
            "send that file",
        )
    links = sorted(n for n in names if _LINK_PART.match(n))
    if links:
        raise WorkbookError(
            "E808",
            f"found {len(links)} link(s) to other workbooks ({links[0]}), expected a workbook "
            "whose values are its own: a linked value may be stale or come from a file that "
            "was not sent",
            "in Excel: Data › Edit Links › Break Link (the values stay as they are), save and "
            "send the file again",
        )


def _refuse_format(path: Path, data: bytes) -> None:
    """Raise WorkbookError for a file that is not an .xlsx openpyxl can read, saying what to do."""
    suffix = path.suffix.lower()
    if not data:
        raise WorkbookError(
            "E801", "the file is empty (0 bytes)", "send the workbook again: this copy is empty"
        )
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED in data:
            raise WorkbookError(
                "E801",
                "the workbook is password-protected (encrypted); it cannot be read",
                "remove the password (Excel: File › Info › Protect Workbook › Encrypt with "
                "Password, clear it) and save again; locked sheets without a password are fine",
            )
        raise WorkbookError(
            "E801",
            "an Excel 97–2003 workbook (.xls); only .xlsx can be read",
            SAVE_AS_XLSX,
        )
    if data.startswith(b"PK\x03\x04"):
        parts = _zip_part_count(data)
        if parts is not None and parts > MAX_PARTS:
            raise WorkbookError(
                "E807",
                f"found {parts:,} parts in the archive, expected at most {MAX_PARTS:,} for a "
                "workbook",
                SMALLER,
            )
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                _refuse_zip(path, zf)
                names = set(zf.namelist())
                mimetype = zf.read("mimetype") if "mimetype" in names else b""
                book = zf.read("xl/workbook.xml") if "xl/workbook.xml" in names else b""
        except WorkbookError:
            raise
        except Exception:  # zipfile raises many kinds: BadZipFile, zlib.error, an encrypted part
            raise WorkbookError(
                "E801", "the file is damaged (a broken .xlsx archive)", SAVE_AS_XLSX
            ) from None
        if b"opendocument" in mimetype:
            raise WorkbookError(
                "E801",
                "an OpenDocument spreadsheet (.ods); only .xlsx can be read",
                "in LibreOffice: File › Save As… › Excel 2007-365 (.xlsx)",
            )
        if b"purl.oclc.org/ooxml/spreadsheetml" in book:  # Excel's Strict flavour
            raise WorkbookError(
                "E801",
                "a Strict Open XML spreadsheet, which cannot be read",
                "in Excel: File › Save As… › Excel Workbook (.xlsx), not Strict Open XML",
            )
        if "xl/workbook.xml" not in names:
            raise WorkbookError(
                "E801",
                "a zip archive, but not an Excel workbook (no xl/workbook.xml)",
                "send the .xlsx workbook itself",
            )
        return
    if suffix == ".csv":
        raise WorkbookError(
            "E801", "a CSV file; only .xlsx workbooks can be imported", SAVE_AS_XLSX
        )
    if suffix == ".xls":
        raise WorkbookError(
            "E801", "not an Excel 97–2003 workbook although named .xls", SAVE_AS_XLSX
        )
    if _is_text(data):
        raise WorkbookError(
            "E801",
            f"a text file (a CSV export?), not an Excel workbook, although named {suffix}",
            SAVE_AS_XLSX,
        )
    raise WorkbookError("E801", "not an Excel workbook (.xlsx)", SAVE_AS_XLSX)


def _is_text(data: bytes) -> bool:
    """True if ``data`` starts like UTF-8 text (a CSV or a text file renamed)."""
    head = data[:4096]
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the sample
    return True


def _read_file(path: Path) -> bytes:
    """The bytes of the workbook ``path``, at most MAX_FILE_BYTES (read no further, whatever
    it is); a symbolic link pointing out of its own folder and a device are refused."""
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(path.parent.resolve()):
                raise WorkbookError(
                    "E801",
                    f"a symbolic link to {target}, outside the folder it is in",
                    "copy the workbook itself into the folder you import",
                )
        info = path.stat()  # before opening: open() on a FIFO waits for a writer forever
        if not stat.S_ISREG(info.st_mode):
            raise WorkbookError(
                "E801", f"found {_file_kind(info.st_mode)}, expected a file", "give the .xlsx file"
            )
        if info.st_size > MAX_FILE_BYTES:
            raise WorkbookError(
                "E807",
                f"found a file of {_mib(info.st_size)}, expected at most {_mib(MAX_FILE_BYTES)} "
                "for a report workbook",
                SMALLER,
            )
        # O_NONBLOCK: should the file be swapped for a FIFO since, opening it does not wait
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise WorkbookError(
                    "E801", "found something other than a file", "give the .xlsx file"
                )
            data = f.read(MAX_FILE_BYTES + 1)  # a file that grows meanwhile reads no further
    except OSError as exc:
        raise WorkbookError("E801", f"cannot read the file: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookError(
            "E807",
            f"found a file of more than {_mib(MAX_FILE_BYTES)}, expected at most that for a "
            "report workbook",
            SMALLER,
        )
    return data


def _file_kind(mode: int) -> str:
    """What a path that is not a regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "something other than a file"


def _open_xlsx(data: bytes, data_only: bool) -> Any:
    """The openpyxl workbook of ``data``, read-only. Without openpyxl's warning that the file
    has no default style (Gnumeric writes such files): it is harmless, and it reached the
    user's terminal raw."""
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Workbook contains no default style")
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)


def _damaged(exc: Exception) -> WorkbookError:
    return WorkbookError(
        "E801", f"the file is damaged and cannot be read ({type(exc).__name__})", SAVE_AS_XLSX
    )


def read_workbook(path: Path) -> Workbook:
    """Read ``path`` (read-only, cached values): the template record and every visible sheet's
    report table. Raises WorkbookError for a file that cannot be read, is too large or active
    (macros, links to other workbooks), or holds no table. Hidden sheets are not read: nobody
    reviewed what they hold; a table on one is named in ``notes`` (or in the E802 refusal)."""
    data = _read_file(path)
    _refuse_format(path, data)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        wb = _open_xlsx(data, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _damaged(exc) from None
    try:
        meta: dict[str, str] = {}
        tables: list[Table] = []
        hidden: list[str] = []
        sheets = list(wb.sheetnames)
        for ws in wb.worksheets:
            if ws.title == META_SHEET:
                meta = _read_meta(ws)
            elif ws.title == INSTRUCTIONS_SHEET:
                continue
            elif ws.sheet_state != "visible":
                if _header_of(ws) is not None:
                    hidden.append(ws.title)
            else:
                table = _read_table(ws)
                if table is not None:
                    tables.append(table)
    except WorkbookError:
        raise
    except Exception as exc:
        raise _damaged(exc) from None
    finally:
        wb.close()
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
            "no report table found: no row in the first "
            f"{HEADER_SCAN_ROWS} rows of a visible sheet has both a key result header "
            "('Key result id' / 'รหัสผลลัพธ์หลัก') and a value header ('Value' / 'ผลการดำเนินงาน')"
            + also,
            "unhide the sheet (right-click a sheet tab › Unhide) or copy the table onto a visible "
            "sheet, check it, save and send again"
            if hidden
            else "use the template from okrtool report-template, or head the columns of a sheet "
            "with those names",
        )
    try:
        _find_formulas(data, tables)
    except Exception as exc:  # a part that only now is read whole: a lying size, a bad CRC
        raise _damaged(exc) from None
    notes = [f"hidden sheet {shown} holds a report table: not read"] if hidden else []
    return Workbook(path, sha256, meta, tables, sheets, notes)


def _read_meta(ws: Any) -> dict[str, str]:
    ws.reset_dimensions()
    meta = {}
    for row in ws.iter_rows(max_col=2, max_row=HEADER_SCAN_ROWS, values_only=True):
        if len(row) == 2 and isinstance(row[0], str) and row[1] is not None:
            meta[row[0]] = str(row[1])
    return meta


def _header_of(ws: Any) -> tuple[int, dict[str, int], list[tuple[int, tuple[Any, ...]]]] | None:
    """The header row of the report table of ``ws`` in its first HEADER_SCAN_ROWS rows: its
    number, field → column, and the rows above it; None if no row names the required fields."""
    ws.reset_dimensions()  # some programs write a wrong used range; read every row there is
    above: list[tuple[int, tuple[Any, ...]]] = []
    for number, cells in enumerate(ws.iter_rows(max_row=HEADER_SCAN_ROWS), 1):
        columns = match_header((i, c.value) for i, c in enumerate(cells, 1))
        if all(name in columns for name in REQUIRED):
            return number, columns, above
        above.append((number, cells))
    return None


def _read_table(ws: Any) -> Table | None:
    from openpyxl.utils import get_column_letter

    found = _header_of(ws)
    if found is None:
        return None
    header, columns, above = found
    table = Table(
        ws.title,
        header,
        {name: get_column_letter(col) for name, col in columns.items()},
        _labels(above, get_column_letter),
    )
    wanted = sorted(columns.items(), key=lambda kv: kv[1])
    letters = table.columns
    last = header + MAX_TABLE_ROWS
    # only the table's columns: a row reaching column XFD would otherwise be 16,384 cells
    rows = ws.iter_rows(min_row=header + 1, max_col=max(columns.values()))
    for number, cells in enumerate(rows, header + 1):
        width = len(cells)
        if number > last:
            filled = [n for n, col in wanted if col <= width and cells[col - 1].value is not None]
            if filled:
                where = cell_ref(ws.title, f"{letters[filled[0]]}{number}")
                raise WorkbookError(
                    "E807",
                    f"found a value in {where}, more than {MAX_TABLE_ROWS:,} rows below the "
                    f"table's header, expected a table of at most {MAX_TABLE_ROWS:,} rows",
                    f"split the table into workbooks of at most {MAX_TABLE_ROWS:,} rows each",
                )
            continue  # blank rows far below (a stray format) are passed over
        row: dict[str, Cell] = {}
        for name, col in wanted:
            value = cells[col - 1].value if col <= width else None
            ref = f"{letters[name]}{number}"
            # only a number needs its format (a percentage is stored as 0.57); it costs a lookup
            fmt = cells[col - 1].number_format if isinstance(value, int | float) else "General"
            row[name] = Cell(value, ref, fmt)
        table.rows.append(Row(number, row))
    return table


def _labels(above: list[tuple[int, tuple[Any, ...]]], letter: Any) -> dict[str, Cell]:
    """Labels above the table, like 'หน่วยงาน: เขตบางรัก' or 'Period | 2567-06' in two cells."""
    labels: dict[str, Cell] = {}
    for number, cells in above:
        for i, cell in enumerate(cells):
            if not isinstance(cell.value, str):
                continue
            label, _, rest = cell.value.partition(":")
            names = match_header([(i, label)])
            for name in (AGENCY, PERIOD):
                if name not in names or name in labels:
                    continue
                if rest.strip():
                    labels[name] = Cell(rest.strip(), f"{letter(i + 1)}{number}")
                    continue
                for j in range(i + 1, len(cells)):
                    if cells[j].value is not None and str(cells[j].value).strip():
                        labels[name] = Cell(
                            cells[j].value, f"{letter(j + 1)}{number}", cells[j].number_format
                        )
                        break
    return labels


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    """True if any worksheet of the .xlsx ``data`` holds a formula (a cheap scan of its XML)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return any(
            _FORMULA_TAG.search(zf.read(name))
            for name in zf.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _find_formulas(data: bytes, tables: list[Table]) -> None:
    """Mark the empty cells that hold a formula without a cached value (a file saved by a
    program that does not calculate). Reads the workbook a second time, only if needed."""
    empty = {
        (t.sheet, c.ref)
        for t in tables
        for r in t.rows
        for name, c in r.cells.items()
        if c.value is None and name != NOTE
    }
    if not empty or not _has_formulas(data):
        return
    wb = _open_xlsx(data, data_only=False)
    try:
        formulas: dict[tuple[str, str], str] = {}
        for t in tables:
            ws = wb[t.sheet]
            ws.reset_dimensions()
            last = max(r.number for r in t.rows) if t.rows else 0
            for row in ws.iter_rows(min_row=t.header_row + 1, max_row=last):
                for cell in row:
                    ref = getattr(cell, "coordinate", None)
                    value = cell.value
                    if (t.sheet, ref) in empty and isinstance(value, str) and value.startswith("="):
                        formulas[(t.sheet, ref)] = value
        for t in tables:
            for r in t.rows:
                for c in r.cells.values():
                    c.formula = formulas.get((t.sheet, c.ref), "")
    finally:
        wb.close()


def cell_ref(sheet: str, ref: str) -> str:
    """``Sheet!A1`` as Excel writes it: a sheet name other than letters and digits is quoted."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return f"{sheet}!{ref}"
    return "'" + sheet.replace("'", "''") + f"'!{ref}"


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
    written, before anything is."""
    from datetime import datetime

    try:
        when = period_of(period_text)
    except TypedError as exc:
        raise UsageError(f"--period {period_text}: {exc}") from None
    ds = load_checked(root, lambda _: {when.fiscal_year})
    made_at = datetime.now().astimezone().isoformat(timespec="seconds")
    if every:
        agencies = [a for a in ds.agencies if any(allocated_key_results(ds, a, when.fiscal_year))]
        if not agencies:
            raise OkrtoolError(f"no agency has a key result allocated in FY {when.fiscal_year}")
        folder = output or Path(f"templates-{when}")
        if folder.suffix.lower() == ".xlsx":
            raise UsageError(f"--output {folder}: with --agency all, give a folder")
        _check_folder(folder, may_create=True)
        targets = [(a, folder / f"{a}-{when}.xlsx") for a in agencies]
    else:
        from okrtool.progress.filters import resolve  # the one resolver of what people type

        agency = resolve("agency", agency, ds.agencies)
        path = output or Path(f"{agency}-{when}.xlsx")
        if os.path.isdir(path):  # False, not an error, for a path it may not look at
            path = path / f"{agency}-{when}.xlsx"
        _check_folder(path.parent, may_create=False, given=path)
        targets = [(agency, path)]
    _check_targets([path for _, path in targets], force)
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


def _check_folder(folder: Path, may_create: bool, given: Path | None = None) -> None:
    """Raise UsageError unless templates can be written into ``folder``; one that does not
    exist is made at writing time if ``may_create`` and its parent is a folder."""
    where = folder
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        if not may_create:
            raise UsageError(
                f"--output {given or folder}: no folder {folder}/ to write into; make it "
                "first, or write elsewhere"
            ) from None
        where = folder.parent
        try:
            info = os.stat(where)
        except OSError:
            raise UsageError(
                f"--output {folder}: no folder {where}/ to make it in; make it first"
            ) from None
    except OSError as exc:
        raise UsageError(f"--output {given or folder}: cannot be used ({exc.strerror})") from None
    if not stat.S_ISDIR(info.st_mode):
        what = f"{where} is not a folder" if given else "not a folder"
        raise UsageError(f"--output {given or where}: {what}; expected a folder to write into")
    if not os.access(where, os.W_OK | os.X_OK):
        raise UsageError(
            f"--output {where}/: cannot write in this folder (permission denied); "
            "write elsewhere with -o"
        )


def _check_targets(paths: list[Path], force: bool) -> None:
    """Raise UsageError if a file to write is there already (unless ``force``) or is not a
    file at all: checked for every file before the first is written."""
    there = [p for p in paths if os.path.lexists(p)]
    for path in there:
        if path.is_symlink() or not path.is_file():
            raise UsageError(f"--output {path}: already there and not a file; write elsewhere")
    if there and not force:
        more = (
            f" (and {len(there) - 1} more of the {len(paths)} to write)" if len(there) > 1 else ""
        )
        raise UsageError(
            f"--output {there[0]}: already exists{more}; it may be a workbook an officer has "
            "filled in. Pass --force to write over it, or write elsewhere with -o"
        )
