"""The Action Plan handbook as a workbook, by the common writer (``render/xlsx.py``): a
document to print, a block per policy (its heading row, then a row per key result and agency:
the key result, the agency, its role, its own target, how often and when it reports), and
right of the print area every field of the handbook for filtering (``COLUMNS``). Numbers are
numbers in the key result's unit; text from the data is never a formula. A second sheet holds
the reporting calendar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from okrtool.render import handbook_text as t

if TYPE_CHECKING:
    from okrtool.progress.handbook import Handbook, HandbookPolicy

SHEET = "Handbook"
CALENDAR_SHEET = "Calendar"
#: The row of the header; the rows of the table follow it.
HEADER_ROW = 4
#: (column key, Thai header, English header)
COLUMNS = (
    ("role", "บทบาท", "Role"),
    ("group", "กลุ่มภารกิจ", "Mission group"),
    ("dimension", "ด้าน", "Dimension"),
    ("policy", "รหัสนโยบาย", "Policy id"),
    ("policy_th", "นโยบาย", "Policy (Thai)"),
    ("policy_en", "Policy", "Policy (English)"),
    ("host", "หน่วยงานรับผิดชอบหลัก (H)", "Host (H)"),
    ("key_result", "รหัสผลลัพธ์หลัก", "Key result id"),
    ("kr_th", "ผลลัพธ์หลัก", "Key result (Thai)"),
    ("kr_en", "Key result", "Key result (English)"),
    ("unit", "หน่วยนับ", "Unit"),
    ("baseline", "ค่าฐาน", "Baseline"),
    ("target", "เป้าหมายทั้งเมือง", "City target"),
    ("agency", "หน่วยงาน", "Agency"),
    ("agency_role", "บทบาทของหน่วยงาน", "Agency's role"),
    ("own_target", "เป้าหมายของหน่วยงาน", "Own target"),
    ("direction", "ทิศทาง", "Direction"),
    ("measure", "วิธีนับค่า", "How a value is counted"),
    ("aggregate", "การรวมผล", "Aggregate"),
    ("frequency", "ความถี่การรายงาน", "Reporting frequency"),
    ("due", "กำหนดส่งรายงาน", "Report due"),
)
NUMBER_COLUMNS = ("baseline", "target", "own_target")
#: The number format of a percentage (stored as 95, not 0.95, as the data has it).
PCT = '#,##0.##" %"'


def rows(book: Handbook, lang: str) -> list[dict[str, Any]]:
    """The sheet's rows: for a supported policy a row per key result (the agency's own target),
    for a hosted one a row per key result and bound agency; then a row per supporter of the
    policy not bound yet (``HandbookPolicy.not_bound``, as the Markdown lists them)."""
    out = []
    for section in (*book.hosted, *book.supported):
        for p in section.policies:
            out += _policy_rows(book, p, lang)
    return out


def _policy_fields(p: HandbookPolicy, lang: str) -> dict[str, Any]:
    return {
        "role": t.value(p.role, lang),
        "group": t.names(p.group, lang) if p.group else t.word("no_group", lang),
        "dimension": t.names(p.dimension, lang),
        "policy": p.id,
        "policy_th": p.title_th,
        "policy_en": p.title_en,
        "host": t.names(p.host, lang),
    }


def _not_bound_rows(book: Handbook, p: HandbookPolicy, lang: str) -> list[dict[str, Any]]:
    """A row per supporter of ``p`` not bound yet: it has no own target to show, and owes
    binding its own OKR by the calendar's binding day before it reports (docs/definitions.md,
    "Due and overdue"). Its name Thai above English and the day in words over two lines: a row
    of two printed lines, as tall as the writer counts it."""
    blank = dict.fromkeys(("key_result", "unit", "direction", "measure", "aggregate"), "")
    numbers = dict.fromkeys(NUMBER_COLUMNS, None)
    th, en = t.WORDS["not_bound_row"]
    return [
        {
            **_policy_fields(p, lang),
            **blank,
            **numbers,
            "kr_th": th,
            "kr_en": en,
            "percent": False,
            "not_bound": True,
            "agency": t.names(s, lang, "\n" if book.binding_due else " / "),
            "agency_role": t.value("supporter", lang),
            "frequency": "–",
            "due": t.binding_due(book, lang),
        }
        for s in p.not_bound
    ]


def _policy_rows(book: Handbook, p: HandbookPolicy, lang: str) -> list[dict[str, Any]]:
    out = []
    for kr in p.key_results:
        base = {
            **_policy_fields(p, lang),
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
            "not_bound": False,
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
                    else t.word("no_own_target", lang),
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
    return out + _not_bound_rows(book, p, lang)


def handbook_xlsx(book: Handbook, lang: str) -> bytes:
    """One agency's handbook as the bytes of an .xlsx: a document to print (a block per policy
    under its heading row, the page header naming the handbook, page numbers in the footer)
    whose rows keep every field of ``COLUMNS`` for filtering; the same data and as-of day give
    the same bytes."""
    from okrtool.render.xlsx import Column, Number, Row, Sheet, Table
    from okrtool.render.xlsx_write import workbook_bytes

    heads = {key: t.both(th, en, lang, "\n") for key, th, en in COLUMNS}
    printed = [
        Column(t.both("ผลลัพธ์หลัก", "Key result", lang, "\n"), width=34),
        Column(heads["agency"], width=22),
        Column(heads["agency_role"], width=12),
        Column(heads["own_target"], "number"),
        Column(heads["frequency"], width=14),
        Column(heads["due"], width=26),
    ]
    # the fields the printed columns do not show, for filtering: one line a cell, each column
    # as wide as its text (up to the writer's MAX_WIDTH), as a data table reads on screen
    shown = {"kr_th", "kr_en", "agency", "agency_role", "own_target", "frequency", "due"}
    rest_keys = [key for key, *_ in COLUMNS if key not in shown]
    rest = [
        Column(heads[key], "number" if key in NUMBER_COLUMNS else "text", printed=False)
        for key in rest_keys
    ]
    table_rows: list[Row] = []
    policy = None
    not_bound = {p.id: len(p.not_bound) for p in book.policies()}
    heading = None  # the policy whose "not bound" heading is written
    for row in rows(book, lang):
        if row["policy"] != policy:
            policy = row["policy"]
            title = t.both(row["policy_th"], row["policy_en"], lang, " / ")
            table_rows.append(
                Row([f"{row['policy']} — {title} · {row['role']} · H: {row['host']}"], "section")
            )
        if row["not_bound"] and heading != policy:
            # the block's heading says what "not bound" means, as the Markdown's line does
            heading = policy
            n = not_bound[policy]
            table_rows.append(Row([f"{policy} — {t.word('not_bound', lang)} ({n})"], "section"))
        unit = "%" if row["percent"] else None
        # a supporter not bound: "ยังไม่ผูก OKR / Not bound yet" on one line, as the frequency
        # cells say theirs; a key result's title, Thai above English
        title = t.both(row["kr_th"], row["kr_en"], lang, " / " if row["not_bound"] else "\n")
        cells: list[Any] = [
            title,
            row["agency"],
            row["agency_role"],
            Number(row["own_target"], unit=unit),
            row["frequency"],
            row["due"],
        ]
        for key in rest_keys:
            value = row[key]
            cells.append(Number(value, unit=unit) if key in NUMBER_COLUMNS else value)
        table_rows.append(Row(cells))
    header = [t.title(book, lang), t.made_line(book, lang)]
    if book.empty:
        header.append(t.word("none_hosted", lang) + " · " + t.word("none_supported", lang))
    own = t.projects_line(book, lang)
    if own:  # the agency's projects, as the Markdown's "Projects" section counts them
        heads = t.word("projects", lang, "\n").split("\n")  # each line in its own language
        header += [f"{head}: {line}" for head, line in zip(heads, own.split("\n"), strict=True)]
    page_header = t.title(book, lang)
    handbook = Sheet(
        name=SHEET,
        header=header,
        tables=[Table([*printed, *rest], table_rows)],
        page_header=page_header,
        lang=lang,
    )
    calendar = Sheet(
        name=CALENDAR_SHEET,
        header=[t.word("calendar", lang)],
        tables=[
            Table(
                [Column(t.word("calendar", lang))],
                [Row([line]) for line in t.calendar_lines(book, lang)],
                across=True,
            )
        ],
        page_header=page_header,
        lang=lang,
    )
    return workbook_bytes([handbook, calendar], as_of=book.as_of, title=t.title(book, lang))
