"""The site's words, Thai and English: key → (Thai, English). Status and band words are the
status table's own (``okrtool.render.text``), so the site and the terminal say the same."""

from __future__ import annotations

from okrtool.progress import STATUSES
from okrtool.render.text import status_word

STATUS: dict[str, tuple[str, str]] = {
    s: (status_word(s, "th"), status_word(s, "en")) for s in STATUSES
}

WORDS: dict[str, tuple[str, str]] = {
    "site": ("ความคืบหน้านโยบายกรุงเทพมหานคร", "Bangkok policy progress"),
    "home": ("หน้าแรก", "Home"),
    "policies": ("นโยบาย", "Policies"),
    "agencies": ("หน่วยงาน", "Agencies"),
    "missing": ("ใครยังไม่รายงาน", "Who has not reported"),
    "open_data": ("ข้อมูลเปิด", "Open data"),
    "fy": ("ปีงบประมาณ {fy}", "Fiscal year {fy}"),
    "as_of": ("ข้อมูล ณ วันที่", "As of"),
    "elapsed": ("ของปีผ่านไปแล้ว", "of the year gone"),
    "edition": ("ฉบับของแผน", "Plan edition"),
    "urgent": ("นโยบายเร่งด่วน", "Urgent goals"),
    "urgent_1": ("เร่งด่วน", "urgent"),
    "key_project": ("Key Project", "Key Project"),
    "dimensions": ("ด้านของนโยบาย", "Dimensions"),
    "dimension": ("ด้าน", "Dimension"),
    "tags": ("ด้านอื่นที่ติดแท็ก", "Also tagged"),
    "groups": ("กลุ่มภารกิจ", "Mission groups"),
    "group": ("กลุ่มภารกิจ", "Mission group"),
    "all": ("ทั้งหมด", "All key results"),
    "key_result": ("ตัวชี้วัด", "Key result"),
    "key_results": ("ตัวชี้วัด", "key results"),
    "policies_n": ("นโยบาย", "policies"),
    "target": ("เป้าหมาย", "Target"),
    "actual": ("ผลงาน", "Actual"),
    "percent": ("% ของเป้า", "% of target"),
    "expected": ("ควรได้ ณ {day}", "Expected by {day}"),
    "expected_short": ("ควรได้", "Expected"),
    "status": ("สถานะ", "Status"),
    "reported": ("รายงานงวด {period}", "Reported for {period}"),
    "stale": ("ค้างรายงาน", "stale"),
    "bands": (
        "เขต: ถึงเป้า / ≥ 50 % / < 50 % / ยังไม่รายงาน",
        "Districts: at target / ≥ 50 % / < 50 % / no report",
    ),
    "host": ("หน่วยงานรับผิดชอบหลัก (H)", "Host (H)"),
    "supporters": ("หน่วยงานสนับสนุน (R)", "Supporters (R)"),
    "no_host": ("ยังไม่กำหนด", "not assigned yet"),
    "none": ("ไม่มี", "none"),
    "no_okr": ("ยังไม่มี OKR ของปีงบประมาณ {fy}", "No OKR for FY {fy} yet"),
    "trend": (
        "แนวโน้ม: ผลงานเทียบกับที่ควรได้ รายเดือน",
        "Trend: actual against expected, month by month",
    ),
    "trend_quarters": (
        "แนวโน้ม: ผลงานเทียบกับที่ควรได้ รายไตรมาส (หน่วยงานรายงานเป็นไตรมาส)",
        "Trend: actual against expected, quarter by quarter (reported by quarter)",
    ),
    "key_actual": ("ผลงาน", "actual"),
    "key_expected": ("ที่ควรได้", "expected"),
    "key_target": ("เป้าหมาย", "target"),
    "key_hundred": ("100 % ของเป้าของตน", "100 % of own target"),
    "trend_desc": (
        "เส้นทึบสีน้ำเงินคือผลงาน เส้นประสีม่วงคือที่ควรได้ เส้นจุดสีดำคือเป้าหมาย ตัวเลขอยู่ในตารางด้านล่าง",
        "Solid blue line: actual; dashed purple: expected; dotted black: the target. Figures in the table below.",
    ),
    "districts_chart": ("แต่ละหน่วยงานเทียบกับเป้าหมายของตน", "Each agency against its own target"),
    "districts_desc": (
        "แท่งคือ % ของเป้าหมายของหน่วยงาน สีคือสถานะ เส้นตั้งคือ 100 % แท่งที่เกิน 150 % ถูกตัด ตัวเลขอยู่ในตารางด้านล่าง",
        "Bars: percent of the agency's own target, coloured by its status; the vertical line is 100 %; bars past 150 % are cut. Figures in the table below.",
    ),
    "period": ("งวด", "Period"),
    "agency": ("หน่วยงาน", "Agency"),
    "zone": ("กลุ่มเขต", "Zone"),
    "own_target": ("เป้าหมายของตน", "Own target"),
    "band": ("เทียบเป้าของตน", "Against own target"),
    "last_period": ("งวดล่าสุด", "Last period"),
    "source": (
        "ที่มาของตัวเลข (แบบรายงานล่าสุด · วันที่นำเข้า)",
        "Where the figure comes from (latest workbook · imported on)",
    ),
    "source_short": ("ที่มาของตัวเลข", "Source"),
    "published": ("เผยแพร่แล้ว", "published"),
    "estimated": ("ประมาณการ", "estimated"),
    "est_mark": ("ประมาณการ", "est."),
    "est_line": (
        "ประมาณการ: ตัวเลขนี้สร้างจากค่าประมาณ (เช่น ยอดรวมที่ กทม. เผยแพร่ แบ่งให้แต่ละเขต) "
        "ไม่ใช่ค่าที่หน่วยงานรายงานเอง ร้อยละและสถานะที่คิดจากตัวเลขนี้ก็เป็นค่าประมาณเช่นกัน",
        "est. (estimated): the figure is built from estimated values (such as a total BMA "
        "published, split among the districts), not values the agency reported itself; the "
        "percent and status worked out from it are estimates too.",
    ),
    "est_count": (
        "{n} จาก {of} ตัวชี้วัดสร้างจากค่าประมาณการ",
        "{n} of {of} key results are built from estimated values",
    ),
    "import": ("นำเข้าจากแบบรายงาน", "imported"),
    "manual": ("บันทึกด้วยมือ", "typed in"),
    "sources_line": ("ตัวเลขของหน่วยงาน", "Agencies' figures"),
    "notes": ("หมายเหตุที่หน่วยงานบันทึก", "Notes the agencies typed"),
    "projects": ("โครงการที่ผูกกับ OKR", "Projects bound to the OKRs"),
    "owner": ("เจ้าของ", "Owner"),
    "project_status_planned": ("วางแผน", "planned"),
    "project_status_in-progress": ("กำลังดำเนินการ", "in progress"),
    "project_status_done": ("เสร็จแล้ว", "done"),
    "project_status_not-started": ("ยังไม่เริ่ม", "not started"),
    "project_status_cancelled": ("ยกเลิก", "cancelled"),
    "projects_owned": ("โครงการของหน่วยงาน", "Its projects"),
    # a project's state on a policy page: the report it comes from, or its starting state
    "project_reported": ("รายงานงวด {period}", "reported for {period}"),
    "project_reported_pct": (
        "รายงานงวด {period}: ดำเนินการแล้ว {percent}",
        "reported for {period}: {percent} complete",
    ),
    "project_starting": (
        "สถานะตั้งต้นในแผน ยังไม่มีรายงาน",
        "starting state in the plan, not reported yet",
    ),
    "projects_not_reported": ("ยังไม่รายงานงวด {owed}", "not reported for {owed}"),
    "references": ("แหล่งอ้างอิง", "Sources"),
    "objective": ("วัตถุประสงค์", "Objective"),
    "sub_target": ("เป้าย่อยของ", "sub-target of"),
    "hosts": ("นโยบายที่เป็นหน่วยงานหลัก (H)", "Policies it hosts (H)"),
    "supports": ("นโยบายที่สนับสนุน (R)", "Policies it supports (R)"),
    "own": ("เป้าหมายและผลงานของหน่วยงาน", "Its own targets and figures"),
    "place": ("อันดับในกลุ่มเขต / จำนวนเขต", "Place in its zone / districts"),
    "place_short": ("อันดับในกลุ่มเขต", "Place in zone"),
    "owed": (
        "รายงานและโครงการที่ค้าง / ถึงกำหนด / ยังไม่ผูก OKR",
        "Reports and projects overdue or due soon, and not bound",
    ),
    "nothing_owed": ("ไม่มีรายการค้าง", "Nothing missing"),
    "no-report": ("ยังไม่รายงานงวด {period}", "no report for {period}"),
    "not_due_yet": ("ยังไม่ถึงกำหนดส่งงวด {period}", "not due yet for {period}"),
    "no-project-report": ("โครงการยังไม่รายงานงวด {period}", "project not reported for {period}"),
    "project_not_due_yet": (
        "โครงการยังไม่ถึงกำหนดส่งงวด {period}",
        "project not due yet for {period}",
    ),
    "project_mark": ("โครงการ", "project"),
    "not-bound": (
        "ยังไม่ผูก OKR (ยังไม่ได้ผูก OKR ของตนและกรอกค่าเป้าหมาย)",
        "not bound (own OKR and target not entered)",
    ),
    "last_reported": ("รายงานล่าสุด {period}", "last reported {period}"),
    "missing_title": ("ใครยังไม่รายงาน งวด {period}", "Who has not reported for {period}"),
    "missing_counts": (
        "{agencies} หน่วยงาน: เกินกำหนดส่ง {overdue} รายการ, ยังไม่ถึงกำหนด {pending} รายการ, "
        "ยังไม่ผูก OKR {not_bound} รายการ",
        "{agencies} agencies: {overdue} reports overdue, {pending} not due yet, "
        "{not_bound} not bound",
    ),
    "missing_projects": (
        "และโครงการที่ยังไม่รายงาน {n} รายการ",
        "and {n} projects not reported",
    ),
    "missing_counts_nocal": (
        "{agencies} หน่วยงาน: ยังไม่รายงาน {no_report} รายการ, ยังไม่ผูก OKR {not_bound} รายการ",
        "{agencies} agencies: {no_report} reports not in, {not_bound} not bound",
    ),
    "missing_stale": (
        "ในจำนวนนี้ {n} รายการค้างรายงานมาตั้งแต่งวดก่อน (รายงานล่าสุดระบุไว้ที่แต่ละรายการ)",
        "{n} of them have not reported for an earlier period either (the last report is named "
        "at each).",
    ),
    "no_calendar": (
        "ไม่มีปฏิทินการรายงาน (data/agencies/calendar.yaml) จึงไม่แสดงกำหนดส่งและจำนวนวันที่เกินกำหนด",
        "No reporting calendar (data/agencies/calendar.yaml), so no due dates or days overdue.",
    ),
    "due_group_overdue": (
        "เกินกำหนด: ครบกำหนดส่งวันที่ {day} ({n} วันที่แล้ว)",
        "Overdue: due on {day}, {n} days ago",
    ),
    "due_group_overdue_1": (
        "เกินกำหนด: ครบกำหนดส่งวันที่ {day} (เมื่อวาน)",
        "Overdue: due on {day}, 1 day ago",
    ),
    "due_group_today": ("ครบกำหนดส่งวันนี้ {day}", "Due today, {day}"),
    "due_group_pending": (
        "ยังไม่ถึงกำหนด: กำหนดส่งวันที่ {day} (อีก {n} วัน)",
        "Not due yet: due on {day} (in {n} days)",
    ),
    "due_group_pending_1": (
        "ยังไม่ถึงกำหนด: กำหนดส่งวันที่ {day} (พรุ่งนี้)",
        "Not due yet: due on {day} (tomorrow)",
    ),
    "due_group_none": ("ยังไม่รายงาน (ไม่มีกำหนดส่ง)", "Not reported (no due date)"),
    "due_group_not_bound": (
        "ยังไม่ผูก OKR: หน่วยงานสนับสนุนที่ยังไม่ได้ผูก OKR ของตนและกรอกค่าเป้าหมายของตน",
        "Not bound: supporters that have not bound their own OKR and entered their own target",
    ),
    "due_group_not_bound_due": (
        "ยังไม่ผูก OKR: กำหนดผูกวันที่ {day} ({n} วันที่แล้ว)",
        "Not bound: due on {day}, {n} days ago",
    ),
    "due_group_not_bound_by": ("ยังไม่ผูก OKR: กำหนดผูกวันที่ {day}", "Not bound: due on {day}"),
    "not_bound_means": (
        "หน่วยงานสนับสนุนที่ยังไม่ได้ผูก OKR ของตนกับตัวชี้วัดและกรอกค่าเป้าหมายของตน",
        "Supporters that have not bound their own OKR to the key result and entered their own "
        "target.",
    ),
    "due_rule": ("ตามกำหนด: {rule}", "rule: {rule}"),
    "report_for": ("รายงานงวด {period}", "the report for {period}"),
    "reports_n": ("{n} รายงาน", "{n} reports"),
    "projects_n": ("{n} โครงการ", "{n} projects"),
    "due_on": ("กำหนดส่ง {day}", "due on {day}"),
    "days_overdue": ("เกินกำหนด {n} วัน", "{n} days overdue"),
    "due_in": ("อีก {n} วันถึงกำหนด", "due in {n} days"),
    "due_today": ("ครบกำหนดวันนี้", "due today"),
    "nothing_missing": (
        "ครบถ้วน: ทุกหน่วยงานที่มีเป้าหมายรายงานแล้ว",
        "Nothing missing: every allocated agency has reported.",
    ),
    "departments": ("สำนัก / สำนักงาน", "Departments and offices"),
    "districts": ("สำนักงานเขต", "District offices"),
    "district_of": ("สำนักงานเขต กลุ่ม{zone}", "District office, {zone}"),
    "department": ("สำนัก / สำนักงาน", "Department or office"),
    "member_of": ("สมาชิกกลุ่มภารกิจ", "Member of the mission groups"),
    "data_title": ("ข้อมูลเปิด: แผนและผลการรายงาน", "Open data: the plan and the reports"),
    "data_intro": (
        "ไฟล์ CSV และ JSON ของแผนและค่าที่รายงาน อธิบายด้วย datapackage.json (Frictionless Data Package) นำไปใช้ต่อได้",
        "The plan and the reported values as CSV and JSON, described by datapackage.json (a Frictionless Data Package), for anyone to reuse.",
    ),
    "data_csv": (
        "ไฟล์ CSV เป็น UTF-8 มี BOM จึงเปิดใน Excel แล้วอ่านภาษาไทยได้",
        "The CSV files are UTF-8 with a byte-order mark, so Excel opens them with Thai intact.",
    ),
    "licence": ("สัญญาอนุญาต", "Licence"),
    "licence_none": (
        "ยังไม่ได้กำหนดสัญญาอนุญาตของข้อมูลชุดนี้ (ช่อง licence ในโฟลเดอร์ข้อมูล) "
        "ก่อนนำไปใช้ต่อ โปรดสอบถามเจ้าของข้อมูล",
        "No licence is set for this data (the licence field in the data folder): ask the "
        "data's owner before reusing it.",
    ),
    "estimated_values": (
        "ค่าที่รายงาน {est} จาก {of} ค่าเป็นค่าประมาณการ (คอลัมน์ source = estimated)",
        "{est} of the {of} reported values are estimates (column source = estimated).",
    ),
    "file": ("ไฟล์", "File"),
    "files": ("ไฟล์ข้อมูล", "Files"),
    "rows_n": ("แถว", "rows"),
    "what": ("เนื้อหา", "What it holds"),
    "values": ("ค่า", "values"),
    "by_status": ("ตัวชี้วัดตามสถานะ", "Key results by status"),
    "data_errors": (
        "ข้อมูลมีข้อผิดพลาด {n} รายการ (okrtool validate): ตัวเลขอาจไม่ถูกต้อง",
        "The data has {n} error(s) (okrtool validate): figures may be wrong.",
    ),
    "skip": ("ข้ามไปยังเนื้อหา", "Skip to the content"),
    "description": (
        "ความคืบหน้านโยบายกรุงเทพมหานคร ปีงบประมาณ {fy} ณ วันที่ {day}: {what}",
        "Bangkok policy progress, FY {fy}, as of {day}: {what}",
    ),
    "made_by": (
        "สร้างโดย okrtool จากไฟล์ข้อมูลชุดเดียวกับที่ตรวจใน CI",
        "Made by okrtool from the same files CI checks",
    ),
    "not_reported_yet": ("ยังไม่มีการรายงาน", "nothing reported yet"),
}
