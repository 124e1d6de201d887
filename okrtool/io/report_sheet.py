"""What a report sheet is: its fields, the header texts that name them, the sheets a template has.

The contract between the template writer (``template_xlsx``) and the table finder
(``xlsx_tables``, over the workbook reader ``xlsx_read``): a report table is found by these
header texts, Thai or English (``match_header``, which takes another vocabulary's too), and a
cell is named as Excel does (``cell_ref``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from okrtool.typed import normalize

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


def match_header(
    texts: Iterable[tuple[int, Any]], headers: dict[str, tuple[str, ...]] = HEADERS
) -> dict[str, int]:
    """field → column number for the cells ``(column, value)`` of one row, best synonym first
    (``headers``: field → its header texts; the report table's by default)."""
    best: dict[str, tuple[int, int]] = {}
    for column, value in texts:
        if not isinstance(value, str):
            continue
        for part in header_parts(value):
            for name, synonyms in headers.items():
                if part in synonyms:
                    rank = (synonyms.index(part), column)
                    if name not in best or rank < best[name]:
                        best[name] = rank
    taken: dict[int, str] = {}
    for name, (_, column) in sorted(best.items(), key=lambda kv: kv[1]):
        taken.setdefault(column, name)  # one cell names one field
    return {name: column for column, name in taken.items()}


def cell_ref(sheet: str, ref: str) -> str:
    """``Sheet!A1`` as Excel writes it: a sheet name other than letters and digits is quoted."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return f"{sheet}!{ref}"
    return "'" + sheet.replace("'", "''") + f"'!{ref}"
