"""The words and cells of the Action Plan handbook, shared by its Markdown, HTML and xlsx forms.

Every name is shown in both languages, the ``--lang`` one first and the other beside it
(``ปลูกต้นไม้ / Plant trees``). Nothing here computes a figure: the rows come from
``okrtool.progress.handbook``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from okrtool.fiscal import day_text
from okrtool.render.text import number

if TYPE_CHECKING:
    from okrtool.progress.handbook import Allocation, Handbook, HandbookKeyResult, Names

#: (Thai, English) of each heading and label.
WORDS: dict[str, tuple[str, str]] = {
    "projects": ("โครงการ", "Projects"),
    "title": ("คู่มือปฏิบัติงาน", "Action Plan handbook"),
    "fy": ("ปีงบประมาณ", "FY"),
    "made": ("จัดทำ ณ วันที่", "as of"),
    "hosted": (
        "นโยบายที่เป็นหน่วยงานรับผิดชอบหลัก (H)",
        "Policies hosted (H: main responsible agency)",
    ),
    "supported": ("นโยบายที่เป็นหน่วยงานสนับสนุน (R)", "Policies supported (R: supporting agency)"),
    "none_hosted": ("ไม่มีนโยบายที่เป็นหน่วยงานรับผิดชอบหลัก", "No policy hosted."),
    "none_supported": ("ไม่มีนโยบายที่เป็นหน่วยงานสนับสนุน", "No policy supported."),
    "no_group": ("ยังไม่กำหนดกลุ่มภารกิจ", "No mission group yet"),
    "host": ("หน่วยงานรับผิดชอบหลัก (H)", "Host (H)"),
    "supporters": ("หน่วยงานสนับสนุน (R)", "Supporting agencies (R)"),
    # an R agency not bound (progress/binding.py): it has not bound its own OKR to the key
    # result and entered its own target there
    "not_bound": (
        "ยังไม่ผูก OKR (ยังไม่ได้ผูก OKR ของตนและกรอกค่าเป้าหมายของตน)",
        "Not bound yet (own OKR not bound and own target not entered)",
    ),
    # the key-result cell of a handbook workbook's row for a supporter not bound (its
    # agency's cell names it; "not_bound" says what that means)
    "not_bound_row": ("ยังไม่ผูก OKR", "Not bound yet"),
    "bind_by": ("ผูก OKR ภายใน", "bind by"),
    # an own-target cell of a key result the agency has no target on (it may be bound on another
    # key result of the policy: "not bound" would say more than is known here)
    "no_own_target": ("ไม่มีเป้าหมายของตนในตัวชี้วัดนี้", "No own target here"),
    "objective": ("วัตถุประสงค์", "Objective"),
    "urgent": ("นโยบายเร่งด่วน", "urgent"),
    "key_project": ("Key Project", "Key Project"),
    "key_result": ("ผลลัพธ์หลัก", "Key result"),
    "unit": ("หน่วยนับ", "Unit"),
    "baseline": ("ค่าฐาน", "Baseline"),
    "target": ("เป้าหมาย", "Target"),
    "city_target": ("เป้าหมายทั้งเมือง", "City target"),
    "own_target": ("เป้าหมายของหน่วยงาน", "Own target"),
    "direction": ("ทิศทาง", "Direction"),
    "measure": ("วิธีนับค่า", "How a value is counted"),
    "aggregate": ("การรวมผล", "Aggregate"),
    "frequency": ("ความถี่การรายงาน", "Reporting frequency"),
    "due": ("กำหนดส่งรายงาน", "Report due"),
    "agency": ("หน่วยงาน", "Agency"),
    "role": ("บทบาท", "Role"),
    "allocations": ("เป้าหมายของแต่ละหน่วยงาน", "Each agency's own target"),
    "calendar": ("ปฏิทินการรายงาน", "Reporting calendar"),
    "no_calendar": (
        "ยังไม่มีปฏิทินการรายงาน (data/agencies/calendar.yaml)",
        "No reporting calendar yet (data/agencies/calendar.yaml).",
    ),
    "contact": ("ติดต่อ", "Contact"),
    "phone": ("โทร", "phone"),
    "exception": ("กำหนดส่งพิเศษ", "Due date moved"),
    "sub_target": ("เป้าหมายย่อยของ", "sub-target of"),
    "note": ("หมายเหตุ", "note"),
    "policy": ("นโยบาย", "Policy"),
    "group": ("กลุ่มภารกิจ", "Mission group"),
    "dimension": ("ด้าน", "Dimension"),
}
#: (Thai, English) of each value of a key result's fields.
VALUES: dict[str, tuple[str, str]] = {
    "higher": ("ยิ่งสูงยิ่งดี", "higher is better"),
    "lower": ("ยิ่งต่ำยิ่งดี", "lower is better"),
    "increment": ("นับเพิ่ม: ผลของงวดนั้น", "increment: what was done in the period"),
    "cumulative": ("สะสม: ยอดรวมตั้งแต่ 1 ต.ค.", "cumulative: the running total since 1 October"),
    "level": ("ระดับ: ค่า ณ สิ้นงวด", "level: the level at the end of the period"),
    "sum": ("รวมทุกหน่วยงาน", "sum over agencies"),
    "share-at-target": ("จำนวนหน่วยงานที่ถึงเป้า", "agencies at their own target"),
    "mean": ("ค่าเฉลี่ยของหน่วยงาน", "mean over agencies"),
    "latest": ("ค่าล่าสุด", "latest value"),
    "monthly": ("รายเดือน", "monthly"),
    "quarterly": ("รายไตรมาส", "quarterly"),
    "host": ("H", "H"),
    "supporter": ("R", "R"),
}


def both(th: str, en: str, lang: str, sep: str = " / ") -> str:
    """Thai and English, the ``lang`` one first; one of them alone when they are the same or
    one is empty."""
    if not th or not en or th == en:
        return th or en
    return f"{th}{sep}{en}" if lang == "th" else f"{en}{sep}{th}"


def count(n: int, lang: str) -> str:
    """``50 หน่วยงาน / 50 agencies``."""
    return both(f"{n} หน่วยงาน", f"{n} agenc{'y' if n == 1 else 'ies'}", lang)


def word(key: str, lang: str, sep: str = " / ") -> str:
    return both(*WORDS[key], lang, sep)


def value(key: str, lang: str, sep: str = " / ") -> str:
    return both(*VALUES[key], lang, sep)


def names(n: Names, lang: str, sep: str = " / ") -> str:
    return both(n.th, n.en, lang, sep)


def title(book: Handbook, lang: str) -> str:
    """``คู่มือปฏิบัติงาน ปีงบประมาณ 2567 — บางรัก / Action Plan handbook, FY 2567 — Bang Rak``."""
    th = f"{WORDS['title'][0]} {WORDS['fy'][0]} {book.fiscal_year} — {book.agency.th}"
    en = f"{WORDS['title'][1]}, FY {book.fiscal_year} — {book.agency.en}"
    return both(th, en, lang)


def made_line(book: Handbook, lang: str) -> str:
    th = f"{WORDS['made'][0]} {day_text(book.as_of, 'th')}"
    en = f"{WORDS['made'][1]} {day_text(book.as_of, 'en')}"
    return both(th, en, lang)


def section_title(group: Names | None, dimension: Names, lang: str) -> str:
    group_text = names(group, lang) if group else word("no_group", lang)
    return f"{group_text} — {names(dimension, lang)}"


def amount(kr: HandbookKeyResult, x: float | None) -> str:
    """A figure in the key result's unit: ``2,320``, ``95 %``; ``–`` for none."""
    if x is None:
        return "–"
    return f"{number(x)} %" if kr.unit == "percent" else number(x)


def unit(kr: HandbookKeyResult, lang: str) -> str:
    if kr.unit == "percent":
        return both("ร้อยละ", "percent", lang)
    return both(kr.unit_th, kr.unit, lang)


def kr_title(kr: HandbookKeyResult, lang: str) -> str:
    text = both(kr.title_th, kr.title_en, lang)
    if kr.parent:
        text += f" ({word('sub_target', lang)} {kr.parent})"
    return f"{text} [{kr.id}]"


def due(th: str, en: str, lang: str) -> str:
    return both(th, en, lang) or "–"


def binding_due(book: Handbook, lang: str) -> str:
    """``ผูก OKR ภายใน 15 พ.ย. 2566 / bind by 15 Nov 2023``: what a supporter not bound owes,
    by the calendar's binding day; ``–`` without one."""
    if book.binding_due is None:
        return "–"
    th = f"{WORDS['bind_by'][0]} {day_text(book.binding_due, 'th')}"
    en = f"{WORDS['bind_by'][1]} {day_text(book.binding_due, 'en')}"
    return both(th, en, lang)


def frequency(kr_or_allocation: HandbookKeyResult | Allocation, lang: str) -> str:
    f = kr_or_allocation.frequency
    return value(f, lang) if f else "–"


def own_target(kr: HandbookKeyResult, lang: str) -> str:
    if kr.own_target is None:
        return word("no_own_target", lang)
    return amount(kr, kr.own_target)


def contact_line(book: Handbook, lang: str) -> str:
    c = book.contact or {}
    text = both(c.get("name_th") or "", c.get("name_en") or "", lang)
    reach = []
    if c.get("phone"):
        reach.append(f"{word('phone', lang)} {c['phone']}")
    if c.get("email"):
        reach.append(str(c["email"]))
    return text + (f" — {', '.join(reach)}" if reach else "")


def calendar_lines(book: Handbook, lang: str) -> list[str]:
    """The reporting calendar of the handbook's year in lines: each rule, each exception, the
    contact."""
    if not book.due_rules and book.contact is None:
        return [word("no_calendar", lang)]
    lines = [f"{value(f, lang)}: {both(th, en, lang)}" for f, th, en in book.due_rules]
    for period, when, th, en in book.exceptions:
        reason = both(th, en, lang)
        day = both(day_text(when, "th"), day_text(when, "en"), lang)
        lines.append(
            f"{word('exception', lang)} {period}: {day}" + (f" ({reason})" if reason else "")
        )
    if book.contact is not None:
        lines.append(f"{word('contact', lang)}: {contact_line(book, lang)}")
    return lines


#: The columns of a supported policy's key result table.
SUPPORTED_COLUMNS = (
    "key_result",
    "unit",
    "baseline",
    "city_target",
    "own_target",
    "direction",
    "measure",
    "aggregate",
    "frequency",
    "due",
)
#: The columns of a hosted policy's key result table.
HOSTED_COLUMNS = ("key_result", "unit", "baseline", "target", "direction", "measure", "aggregate")
#: The columns of a hosted key result's table of allocations.
ALLOCATION_COLUMNS = ("agency", "role", "own_target", "frequency", "due")


def supported_cells(kr: HandbookKeyResult, lang: str) -> list[str]:
    return [
        kr_title(kr, lang),
        unit(kr, lang),
        amount(kr, kr.baseline),
        amount(kr, kr.target),
        own_target(kr, lang),
        value(kr.direction, lang),
        value(kr.measure, lang),
        value(kr.aggregate, lang),
        frequency(kr, lang),
        due(kr.due_th, kr.due_en, lang),
    ]


def hosted_cells(kr: HandbookKeyResult, lang: str) -> list[str]:
    return [
        kr_title(kr, lang),
        unit(kr, lang),
        amount(kr, kr.baseline),
        amount(kr, kr.target),
        value(kr.direction, lang),
        value(kr.measure, lang),
        value(kr.aggregate, lang),
    ]


def allocation_cells(kr: HandbookKeyResult, a: Allocation, lang: str) -> list[str]:
    return [
        names(a.agency, lang),
        value(a.role, lang),
        amount(kr, a.target),
        frequency(a, lang),
        due(a.due_th, a.due_en, lang),
    ]


def headers(columns: tuple[str, ...], lang: str) -> list[str]:
    return [word(c, lang) for c in columns]


def projects_line(book: Handbook, lang: str) -> str | None:
    """The agency's own projects by state and how many are not reported for the period, as
    ``status --projects`` counts them; None when it owns none."""
    own = book.projects
    if own is None or not own.total:
        return None
    from okrtool.model import PROJECT_STATE_WORDS, PROJECT_STATES

    def words(th: bool) -> str:
        counts = " · ".join(
            f"{own.counts[s]} {PROJECT_STATE_WORDS[s][0 if th else 1]}" for s in PROJECT_STATES
        )
        owed = own.owed_text()
        if th:
            return f"{own.total} โครงการ ({counts}); ยังไม่รายงานงวด {owed}"
        many = "project" if own.total == 1 else "projects"
        return f"{own.total} {many} ({counts}); not reported for {owed}"

    return both(words(True), words(False), lang, "\n")
