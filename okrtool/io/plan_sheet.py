"""The plan workbooks' layout: sheet names, columns and header texts, the record of their origin.

The contract between ``plan_template`` (which writes the workshop and binding sheets) and
``imports.plan_read`` (which reads them back): a column is found by its header text, so both
take it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

#: What the hidden record of a plan workbook says it is.
PLAN_KIND = "okrtool plan template"
PLAN_VERSION = "1"
#: The two forms: the host's workshop sheet (one policy) and an agency's binding sheet.
WORKSHOP, BINDING = "workshop", "binding"

OKR_SHEET = "OKR"
TARGETS_SHEET = "Targets"
PROJECTS_SHEET = "Projects"
BINDING_SHEET = "Binding"
INSTRUCTIONS_SHEET = "Instructions"

#: Blank key result rows on the workshop sheet of a policy with no OKR for the year yet, and
#: below the key results of one that has an OKR; blank project rows below its projects.
NEW_KEY_RESULTS = 5
SPARE_KEY_RESULTS = 2
SPARE_PROJECTS = 3

DIRECTIONS = ("higher", "lower")
MEASURES = ("increment", "cumulative", "level")
AGGREGATES = ("sum", "share-at-target", "mean", "latest")
STATUSES = ("planned", "in-progress", "done")
ROLE_HOST, ROLE_SUPPORTER = "H", "R"


@dataclass(frozen=True)
class Column:
    """One column of a plan table: the field it holds, its header text, its width, and whether
    it is filled in (unlocked) or shown only."""

    key: str
    header: str
    width: int
    to_fill: bool = False


#: The labelled cells above the key results on the OKR sheet: field → label (column A; the
#: value is in column B).
OKR_LABELS = {
    "okr": "รหัส OKR / OKR id",
    "objective_th": "วัตถุประสงค์ (ไทย) / Objective (Thai)",
    "objective_en": "วัตถุประสงค์ (อังกฤษ) / Objective (English)",
}

KEY_RESULT_COLUMNS = (
    Column("no", "ลำดับ\nNo.", 6),
    Column("id", "รหัสผลลัพธ์หลัก\nKey result id", 28),
    Column("title_th", "ชื่อผลลัพธ์หลัก (ไทย)\nTitle (Thai)", 36, True),
    Column("title_en", "ชื่อผลลัพธ์หลัก (อังกฤษ)\nTitle (English)", 36, True),
    Column("unit", "หน่วยนับ\nUnit", 12, True),
    Column("unit_th", "หน่วยนับ (ไทย)\nUnit (Thai)", 12, True),
    Column("target", "ค่าเป้าหมาย\nTarget", 14, True),
    Column("baseline", "ค่าฐาน\nBaseline", 12, True),
    Column("direction", "ทิศทาง\nDirection", 12, True),
    Column("measure", "การนับค่า\nMeasure", 14, True),
    Column("aggregate", "การรวมผล\nAggregate", 16, True),
    Column("frequency", "ความถี่การรายงาน\nReporting frequency", 16),
)

TARGET_COLUMNS = (
    Column("no", "ลำดับ\nNo.", 6),
    Column("key_result", "รหัสผลลัพธ์หลัก\nKey result id", 28),
    Column("title", "ผลลัพธ์หลัก\nKey result", 36),
    Column("unit", "หน่วยนับ\nUnit", 12),
    Column("agency", "รหัสหน่วยงาน\nAgency id", 22),
    Column("agency_name", "หน่วยงาน\nAgency", 28),
    Column("role", "บทบาท\nRole (H/R)", 9),
    Column("own_target", "เป้าหมายของหน่วยงาน\nOwn target", 16, True),
    Column("bound", "OKR ที่ผูกแล้ว\nOKR bound", 36),
)

PROJECT_COLUMNS = (
    Column("no", "ลำดับ\nNo.", 6),
    Column("id", "รหัสโครงการ\nProject id", 28),
    Column("title_th", "ชื่อโครงการ (ไทย)\nTitle (Thai)", 36, True),
    Column("title_en", "ชื่อโครงการ (อังกฤษ)\nTitle (English)", 36, True),
    Column("owner", "หน่วยงานเจ้าของ\nOwner (agency id)", 20, True),
    Column("key_result", "รหัสผลลัพธ์หลัก\nKey result id", 28, True),
    Column("status", "สถานะ\nStatus", 14, True),
)

BINDING_COLUMNS = (
    Column("no", "ลำดับ\nNo.", 6),
    Column("policy", "นโยบาย\nPolicy", 34),
    Column("key_result", "รหัสผลลัพธ์หลัก\nKey result id", 28),
    Column("title", "ผลลัพธ์หลัก\nKey result", 36),
    Column("unit", "หน่วยนับ\nUnit", 12),
    Column("role", "บทบาท\nRole (H/R)", 9),
    Column("target", "ค่าเป้าหมายรวม\nKey result target", 14),
    Column("own_target", "เป้าหมายของหน่วยงาน\nOwn target", 16, True),
    Column("okr_title", "ชื่อ OKR ของหน่วยงานที่ผูก\nOwn OKR bound to it (title)", 40, True),
    Column("bound_on", "ผูกเมื่อ\nBound on", 12),
)

#: The columns of each table sheet; its header row is the one whose column B holds the second
#: column's header.
TABLES = {
    OKR_SHEET: KEY_RESULT_COLUMNS,
    TARGETS_SHEET: TARGET_COLUMNS,
    PROJECTS_SHEET: PROJECT_COLUMNS,
    BINDING_SHEET: BINDING_COLUMNS,
}
#: The sheets of each form.
FORM_SHEETS = {
    WORKSHOP: (OKR_SHEET, TARGETS_SHEET, PROJECTS_SHEET),
    BINDING: (BINDING_SHEET,),
}


def column_letter(columns: tuple[Column, ...], key: str) -> str:
    """The letter of the column holding ``key`` (A for the first)."""
    index = [c.key for c in columns].index(key)
    return chr(ord("A") + index)
