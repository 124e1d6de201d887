"""The words of the host's brief, Thai and English, and its cells as people read them: shared by
the Markdown and the workbook renderings of ``okrtool brief`` so that both say the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

from okrtool.fiscal import day_text
from okrtool.render.changes import (
    actual_move,
    percent_move,
    reported_since_text,
    status_move,
)
from okrtool.render.history import period_text, sparkline_lines
from okrtool.render.text import (
    actual_text,
    band_word,
    due_text,
    expected_header,
    expected_text,
    number,
    percent,
    reported_header,
    reported_text,
    status_word,
    target_text,
    word,
)

if TYPE_CHECKING:
    from okrtool.progress import (
        AgencyRow,
        Brief,
        BriefKeyResult,
        Decision,
        KeyResultRow,
        MissingItem,
        NoteGroup,
    )

BRIEF_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Follow-up brief: {host} (H)",
        "summary": "Summary",
        "period_line": "FY {fy}, as of {day}: {elapsed} of the year gone",
        "hosted": "{policies} hosted policies, {key_results}",
        "hosted_1": "1 hosted policy, {key_results}",
        "key_results_n": "{n} key results",
        "key_results_1": "1 key result",
        "counts": "Key results by status",
        "host_projects": "Projects {host} owns: {n} ({counts}); not reported for {owed}",
        "decisions": "The rows that need a decision",
        "decisions_none": "None: every key result and every agency is on track or done.",
        "decision_rule": (
            "Rule: a key result behind, with no data or at risk is one row (its agencies in "
            "trouble counted on it); on the other key results, each agency behind, with no data "
            "or at risk; behind and no data first, then at risk, the largest gap first; the "
            "first {n}. Gap: points below the share of the year gone."
        ),
        "owed": "Reports missing for {period}: {n}; R agencies not bound: {bound}",
        "owed_projects": "Projects of these policies not reported: {n}",
        "projects_owed": "Projects not reported",
        "project_owed_line": "{title} — {owner}: not reported for {owed}; due {due}",
        "owed_none": "Nothing reported for the year yet: no period to chase",
        "number": "#",
        "key_result": "Key result",
        "agency": "Agency",
        "whole": "{n} agencies: {counts}",
        "whole_1": "1 agency: {counts}",
        "allocation": "Allocation",
        "gap": "Gap (points)",
        "policy": "Policy",
        "urgent": "urgent",
        "supporters": "R agencies: {n}",
        "no_okr": "Hosted policies with no key result in FY {fy}: {ids}",
        "city": "City",
        "city_line": (
            "City: {actual} against a target of {target} ({percent}); {expected_label}: "
            "{expected}; {status}. {reported_label}: {reported}"
        ),
        "bands_line": "Districts at target / ≥ 50 % / < 50 % / no report: {bands}",
        "agencies": "Agencies, worst first",
        "not_reported": "Not reported for {period}",
        "not_bound": "R agencies not bound (own OKR not bound to the key result and own target "
        "not entered)",
        "everyone": "everyone has reported",
        "notes_period": "Notes typed with the values for {period}",
        "notes_since": "Notes typed with the values since {day}",
        "notes_none": "none",
        "note_line": "“{text}” — {who} ({values} values; {periods})",
        "more": "and {n} more",
        "projects": "Projects bound",
        "projects_none": "none bound",
        "estimated": (
            "_Estimated: the figures of {count} of {allocated} agencies are built from values "
            "entered as estimates (a published total split among them), not values they "
            "reported._"
        ),
        "project_line": "{title} — {owner}: {status}",
        "okr_projects": "Projects bound to the OKR only",
        "not-started": "not started",
        "in-progress": "in progress",
        "done": "done",
        "cancelled": "cancelled",
        "last_reported": "last reported {period}",
        "none": "none",
        "changes": "Since {day} (the last meeting): {counts}",
        "better": "better",
        "worse": "worse",
        "new": "new",
        "unchanged": "unchanged",
        "since_line": (
            "Since {day}: {actual}; % of target {percent}; {status}. Reported since: {reported}"
        ),
        "trend": "Trend",
        "trend_none": "no value counted yet",
        "then": "Then ({day})",
        "change": "Change",
        "due": "{what}",
    },
    "th": {
        "title": "รายงานการติดตามผล: {host} (H)",
        "summary": "สรุป",
        "period_line": "ปีงบประมาณ {fy} ณ วันที่ {day}: {elapsed} ของปีผ่านไปแล้ว",
        "hosted": "นโยบายที่เป็นหน่วยงานรับผิดชอบหลัก {policies} นโยบาย {key_results}",
        "hosted_1": "นโยบายที่เป็นหน่วยงานรับผิดชอบหลัก 1 นโยบาย {key_results}",
        "key_results_n": "ตัวชี้วัด {n} ตัว",
        "key_results_1": "ตัวชี้วัด 1 ตัว",
        "counts": "ตัวชี้วัดตามสถานะ",
        "host_projects": "โครงการที่ {host} เป็นเจ้าของ: {n} ({counts}); ยังไม่รายงานงวด {owed}",
        "decisions": "รายการที่ต้องตัดสินใจ",
        "decisions_none": "ไม่มี: ทุกตัวชี้วัดและทุกหน่วยงานเป็นไปตามแผนหรือบรรลุแล้ว",
        "decision_rule": (
            "หลักเกณฑ์: ตัวชี้วัดที่ล่าช้า ไม่มีข้อมูล หรือเสี่ยง นับเป็นหนึ่งรายการ "
            "(นับหน่วยงานที่มีปัญหาไว้ในรายการนั้น); ในตัวชี้วัดอื่น แต่ละหน่วยงานที่ล่าช้า "
            "ไม่มีข้อมูล หรือเสี่ยง; เรียงล่าช้าและไม่มีข้อมูลก่อน แล้วจึงเสี่ยง "
            "ส่วนต่างมากก่อน; แสดง {n} รายการแรก. ส่วนต่าง: จุดร้อยละที่ต่ำกว่าสัดส่วนของปีที่ผ่านไป"
        ),
        "owed": "ยังไม่รายงานงวด {period}: {n}; หน่วยงาน R ที่ยังไม่ผูก OKR: {bound}",
        "owed_projects": "โครงการของนโยบายเหล่านี้ที่ยังไม่รายงาน: {n}",
        "projects_owed": "โครงการที่ยังไม่รายงาน",
        "project_owed_line": "{title} — {owner}: ยังไม่รายงานงวด {owed}; กำหนดส่ง {due}",
        "owed_none": "ยังไม่มีการรายงานในปีนี้: ยังไม่มีงวดที่ต้องติดตาม",
        "number": "ลำดับ",
        "key_result": "ตัวชี้วัด",
        "agency": "หน่วยงาน",
        "whole": "{n} หน่วยงาน: {counts}",
        "whole_1": "1 หน่วยงาน: {counts}",
        "allocation": "เป้าหมายที่ได้รับ",
        "gap": "ส่วนต่าง (จุด)",
        "policy": "นโยบาย",
        "urgent": "เร่งด่วน",
        "supporters": "หน่วยงานสนับสนุน (R): {n}",
        "no_okr": "นโยบายที่ไม่มีตัวชี้วัดในปีงบประมาณ {fy}: {ids}",
        "city": "ทั้งเมือง",
        "city_line": (
            "ทั้งเมือง: ผลงาน {actual} เป้าหมาย {target} ({percent}); {expected_label}: "
            "{expected}; {status}. {reported_label}: {reported}"
        ),
        "bands_line": "เขตที่ถึงเป้า / ≥ 50 % / < 50 % / ยังไม่รายงาน: {bands}",
        "agencies": "หน่วยงาน เรียงจากที่ต้องติดตามมากที่สุด",
        "not_reported": "ยังไม่รายงานงวด {period}",
        "not_bound": "หน่วยงาน R ที่ยังไม่ผูก OKR (ยังไม่ได้ผูก OKR ของตนกับตัวชี้วัดและกรอกค่าเป้าหมายของตน)",
        "everyone": "รายงานครบแล้ว",
        "notes_period": "หมายเหตุที่หน่วยงานระบุไว้กับค่าของงวด {period}",
        "notes_since": "หมายเหตุที่หน่วยงานระบุไว้กับค่าตั้งแต่ {day}",
        "notes_none": "ไม่มี",
        "note_line": "“{text}” — {who} ({values} ค่า; {periods})",
        "more": "และอีก {n} หน่วยงาน",
        "projects": "โครงการที่ผูกไว้",
        "projects_none": "ยังไม่มีโครงการผูกไว้",
        "estimated": (
            "_ประมาณการ: ตัวเลขของ {count} จาก {allocated} หน่วยงานสร้างจากค่าที่บันทึกเป็นค่า"
            "ประมาณการ (เช่น ยอดรวมที่เผยแพร่แบ่งให้แต่ละหน่วยงาน) ไม่ใช่ค่าที่หน่วยงานรายงานเอง_"
        ),
        "project_line": "{title} — {owner}: {status}",
        "okr_projects": "โครงการที่ผูกกับ OKR เท่านั้น",
        "not-started": "ยังไม่เริ่ม",
        "in-progress": "กำลังดำเนินการ",
        "done": "แล้วเสร็จ",
        "cancelled": "ยกเลิก",
        "last_reported": "รายงานล่าสุด {period}",
        "none": "ไม่มี",
        "changes": "ตั้งแต่ {day} (การประชุมครั้งก่อน): {counts}",
        "better": "ดีขึ้น",
        "worse": "แย่ลง",
        "new": "ใหม่",
        "unchanged": "คงเดิม",
        "since_line": (
            "ตั้งแต่ {day}: {actual}; % ของเป้า {percent}; {status}. รายงานหลังวันนั้น: {reported}"
        ),
        "trend": "แนวโน้ม",
        "trend_none": "ยังไม่มีค่าที่นับได้",
        "then": "ค่าเดิม ({day})",
        "change": "เปลี่ยนแปลง",
        "due": "{what}",
    },
}

#: How many agency names a note line shows before "and N more".
NAMES_SHOWN = 5


def bw(lang: str, key: str, **values: object) -> str:
    """A word of the brief in ``lang``, filled in."""
    text = BRIEF_WORDS[lang][key]
    return text.format(**values) if values else text


def title_line(brief: Brief, lang: str) -> str:
    return bw(lang, "title", host=brief.host_name)


def period_line(brief: Brief, lang: str) -> str:
    s = brief.scope
    return bw(
        lang,
        "period_line",
        fy=s.fiscal_year,
        day=day_text(s.as_of, lang),
        elapsed=percent(s.elapsed * 100),
    )


def hosted_line(brief: Brief, lang: str) -> str:
    n = len(brief.policies)
    key = "hosted_1" if n == 1 else "hosted"
    k = len(brief.key_results)
    krs = bw(lang, "key_results_1") if k == 1 else bw(lang, "key_results_n", n=k)
    return bw(lang, key, policies=n, key_results=krs)


def counts_text(counts: dict[str, int], lang: str) -> str:
    """``1 done · 2 behind``: the statuses that have any."""
    return " · ".join(f"{n} {status_word(st, lang)}" for st, n in counts.items() if n)


def host_projects_line(brief: Brief, lang: str) -> str | None:
    """The host's own projects by state and how many are not reported, as ``status
    --projects`` counts them; None when it owns none."""
    own = brief.host_projects
    if own is None or not own.total:
        return None
    return bw(
        lang,
        "host_projects",
        host=brief.host,
        n=own.total,
        counts=project_counts_text(own.counts, lang),
        owed=own.owed_text(),
    )


def owed_line(brief: Brief, lang: str) -> str:
    if brief.period is None:
        return bw(lang, "owed_none")
    h = brief.header()
    return bw(lang, "owed", period=brief.period, n=h["reports_missing"], bound=h["not_bound"])


def amount(row: KeyResultRow, x: float | None, decimals: int = 2) -> str:
    """An agency's (or a key result's) figure in the key result's unit: ``68.5 %``, ``1,210.9``."""
    if x is None:
        return "–"
    return f"{number(x, decimals)} %" if row.unit == "percent" else number(x, decimals)


def expected_amount(row: KeyResultRow, x: float | None, target: float) -> str:
    """Expected by now rounded as ``status`` rounds it: whole for a target of 100 or more."""
    return amount(row, x, 0 if abs(target) >= 100 else 1)


def decision_headers(brief: Brief, lang: str) -> list[str]:
    return [
        bw(lang, "number"),
        bw(lang, "key_result"),
        bw(lang, "agency"),
        word(lang, "status"),
        word(lang, "actual"),
        word(lang, "target"),
        word(lang, "percent"),
        expected_header(brief.scope, lang),
        bw(lang, "gap"),
    ]


def decision_cells(n: int, d: Decision, lang: str) -> list[str]:
    row = d.row
    assert row is not None
    if d.kind == "key-result":
        counts = {
            "behind": d.agencies_behind,
            "at-risk": d.agencies_at_risk,
            "no-data": d.agencies_no_data,
        }
        key = "whole_1" if d.allocated == 1 else "whole"
        who = bw(lang, key, n=d.allocated, counts=counts_text(counts, lang) or "–")
        figures = [actual_text(row, lang), target_text(row, lang), percent(row.percent)]
        figures.append(expected_text(row, lang))
    else:
        who = d.name or d.agency or ""
        figures = [amount(row, d.actual), amount(row, d.target), percent(d.percent)]
        figures.append(expected_amount(row, d.expected, d.target))
    return [
        str(n),
        f"{row.title} ({row.key_result})",
        who,
        status_word(d.status, lang),
        *figures,
        number(d.gap, 1),
    ]


def city_line(brief: Brief, row: KeyResultRow, lang: str) -> str:
    s = brief.scope
    return bw(
        lang,
        "city_line",
        actual=actual_text(row, lang),
        target=target_text(row, lang),
        percent=percent(row.percent),
        expected_label=expected_header(s, lang),
        expected=expected_text(row, lang),
        status=status_word(row.status, lang),
        reported_label=reported_header(s, lang),
        reported=reported_text(row, lang),
    )


def bands_line(row: KeyResultRow, lang: str) -> str | None:
    if row.bands is None:
        return None
    return bw(lang, "bands_line", bands="/".join(str(n) for n in row.bands.to_dict().values()))


def agency_headers(brief: Brief, lang: str) -> list[str]:
    s = brief.scope
    since = []
    if brief.since is not None:
        since = [bw(lang, "then", day=day_text(brief.since, lang)), bw(lang, "change")]
    return [
        bw(lang, "agency"),
        word(lang, "zone"),
        bw(lang, "allocation"),
        word(lang, "actual"),
        word(lang, "percent"),
        expected_header(s, lang),
        word(lang, "band"),
        reported_header(s, lang),
        word(lang, "status"),
        *since,
    ]


def agency_cells(brief: Brief, kr: BriefKeyResult, a: AgencyRow, lang: str) -> list[str]:
    row = kr.row
    cells = [
        a.name,
        a.zone_name,
        amount(row, a.target),
        amount(row, a.actual),
        percent(a.percent),
        expected_amount(row, a.expected, a.target),
        band_word(a.band, lang),
        own_report(a, lang),
        agency_status(kr, a, lang),
    ]
    if brief.since is not None:
        cells += agency_change_cells(kr, a, lang)
    return cells


def own_report(a: AgencyRow, lang: str) -> str:
    """The agency's report for the period: its period, ``last reported 2567-04``, or ``–``."""
    if a.reported:
        return a.last_period or word(lang, "yes")
    if a.stale:
        return bw(lang, "last_reported", period=a.last_period)
    return "–"


def missing_names(items: list[MissingItem], period: str, lang: str) -> str:
    """``Bang Rak (last reported 2567-04; 5 Jul 2024 · 15 days overdue), Dusit``: each with its
    last period if stale and its due date (the reporting calendar) if it has one."""
    parts = []
    for i in items:
        more = []
        if i.last_period:
            more.append(bw(lang, "last_reported", period=i.last_period))
        if getattr(i, "due", None) is not None:
            more.append(due_text(i, period, lang))
        parts.append(i.name + (f" ({'; '.join(more)})" if more else ""))
    return ", ".join(parts)


def changes_line(brief: Brief, lang: str) -> str | None:
    """``Since 30 Apr 2024 (the last meeting): 3 better · 3 unchanged`` (key results)."""
    if brief.since is None or brief.changes is None:
        return None
    counts = " · ".join(f"{n} {bw(lang, k)}" for k, n in brief.changes.items() if n)
    return bw(lang, "changes", day=day_text(brief.since, lang), counts=counts or "–")


def since_line(brief: Brief, kr: BriefKeyResult, lang: str) -> str | None:
    """The city row then and now: ``Since 30 Apr 2024: 136,694 → 218,910 (+82,216); …``."""
    s = kr.since
    if s is None or brief.since is None:
        return None
    row = kr.row
    return bw(
        lang,
        "since_line",
        day=day_text(brief.since, lang),
        actual=actual_move(row, s, lang),
        percent=percent_move(row.percent, s),
        status=status_move(row.status, s, lang),
        reported=reported_since_text(s, row.allocated, lang),
    )


def trend_line(kr: BriefKeyResult, lang: str) -> str | None:
    """``Trend: Q1 FY 2567 61,659 on track → Q2 … → Q3 FY 2567 218,910 done``: the running
    figure and status at the end of each period with a value (``okrtool history``)."""
    h = kr.history
    if h is None:
        return None
    steps = [
        f"{period_text(r.period, lang)} {_trend_figure(kr.row, r.actual, lang)} "
        f"{status_word(r.status, lang)}"
        for r in h.counted
        if r.actual is not None and r.status is not None
    ]
    return f"{bw(lang, 'trend')}: " + (" → ".join(steps) or bw(lang, "trend_none"))


def _trend_figure(row: KeyResultRow, actual: float | None, lang: str) -> str:
    if row.is_share and actual is not None:
        return f"{number(actual)} {word(lang, 'of')} {row.allocated}"
    return amount(row, actual)


def sparkline(kr: BriefKeyResult) -> list[str]:
    """The two sparkline lines of ``okrtool history`` (actual and expected, period by period)."""
    return sparkline_lines(kr.history) if kr.history and kr.history.reported else []


def agency_change_cells(kr: BriefKeyResult, a: AgencyRow, lang: str) -> list[str]:
    """With ``--since``: the agency's actual then and the change (``status --since``)."""
    s = kr.agency_since.get(a.agency)
    if s is None:
        return ["", ""]
    if s.new:
        return ["–", bw(lang, "new")]
    change = (
        "–"
        if s.change is None
        else ("+" if round(s.change, 6) > 0 else "") + amount(kr.row, s.change)
    )
    return [amount(kr.row, s.actual), change]


def agency_status(kr: BriefKeyResult, a: AgencyRow, lang: str) -> str:
    """The agency's status, with ``▲ at risk → on track`` when it moved since ``--since``."""
    s = kr.agency_since.get(a.agency)
    return status_move(a.status, s, lang) if s is not None else status_word(a.status, lang)


def note_line(note: NoteGroup, lang: str) -> str:
    shown = note.names[:NAMES_SHOWN]
    more = len(note.names) - len(shown)
    who = ", ".join(shown) + (f" {bw(lang, 'more', n=more)}" if more else "")
    periods = note.periods[0]
    if len(note.periods) > 1:
        periods = f"{note.periods[0]} – {note.periods[-1]}"
    return bw(lang, "note_line", text=note.text, who=who, values=note.values, periods=periods)


def notes_heading(brief: Brief, lang: str) -> str:
    if brief.since is not None:
        return bw(lang, "notes_since", day=day_text(brief.since, lang))
    return bw(lang, "notes_period", period=brief.period or "–")


def project_counts_text(counts: dict[str, int], lang: str) -> str:
    return " · ".join(f"{n} {bw(lang, st)}" for st, n in counts.items())


def project_status(status: str, lang: str) -> str:
    return bw(lang, status)
