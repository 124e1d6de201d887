"""The words and numbers of every rendering: Thai and English labels, figures as people read them.

Shared by the terminal, Markdown and workbook renderers so that a label or a number reads the same
in each. Nothing here computes a figure: it words the figures the rows carry.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from okrtool.fiscal import day_text

if TYPE_CHECKING:
    from okrtool.progress import (
        AgencyRow,
        AgencyTable,
        ByReport,
        KeyResultRow,
        MissingReport,
        StatusReport,
    )


WORDS: dict[str, dict[str, str]] = {
    "en": {
        "key_result": "Key result",
        "edition": "Plan edition {id}: {name}, in force from FY {year}",
        "target": "Target",
        "actual": "Actual",
        "percent": "% of target",
        "expected": "Expected by now",
        "expected_by": "Expected by {day}",
        "status": "Status",
        "reported": "Reported",
        "reported_for": "Reported for {period}",
        "reported_in": "reported",
        "stale": "stale",
        "yes": "yes",
        "last_reported": "last reported {period}",
        "on_track_of": "on track {n}/{of}",
        "city": "City: status, % of target",
        "at-target": "Districts at target",
        "half-or-more": "≥ 50 %",
        "below-half": "< 50 %",
        "not-reported": "No report",
        "bands": "Districts at target / ≥ 50 % / < 50 % / no report",
        "host": "H",
        "each": "in each",
        "of": "of",
        "fy": "FY",
        "as_of": "as of",
        "elapsed": "of the year gone",
        "key_results": "key results",
        "key_results_1": "key result",
        "own": " with an allocation for {agency}, each against it",
        "note": "note",
        "none": "No key result matches.",
        "agency": "Agency",
        "district": "District",
        "zone": "Zone",
        "last_period": "Last period",
        "band": "Own target",
        "what": "What is missing",
        "due": "Due",
        "overdue": "overdue",
        "days_overdue": "{n} days overdue",
        "days_overdue_1": "1 day overdue",
        "due_in": "due in {n} days",
        "due_in_1": "due in 1 day",
        "due_today": "due today",
        "no-report": "no report for",
        "not-bound": "not bound (own OKR and target not entered)",
        "no-project-report": "project not reported for",
        "projects_missing": "projects not reported",
        "project_missing": "project not reported",
        "chase": "Chase list for",
        "agencies": "agencies",
        "agencies_1": "agency",
        "reports_missing": "reports not in",
        "report_missing": "report not in",
        "none_overdue": "none overdue",
        "as_of_day": "as of {day}",
        "not_bound": "not bound",
        "binding": "Bound: {bound} of {targets} R agencies' own targets have their OKR bound "
        "(on the key results that record bindings: {krs})",
        "binding_all": "all bound",
        "no_bands": "District counts are left out below {width} columns: see --by district.",
        "nothing_missing": "Nothing missing: every allocated agency has reported.",
        "legend": (
            "Expected: a straight line from the baseline on 1 October to the target on "
            "30 September. On track: at most {on} percentage points below expected; at risk: "
            "{on}–{risk} points below; behind: more than {risk} below, or the year is over. "
            "Districts: against their own target."
        ),
        "definitions": (
            "Definitions: {page} — reported for the period, stale, expected by now, progress, "
            "status, the city row of each aggregation rule."
        ),
    },
    "th": {
        "key_result": "ตัวชี้วัด",
        "edition": "ฉบับของแผน {id}: {name} ใช้ตั้งแต่ปีงบประมาณ {year}",
        "target": "เป้าหมาย",
        "actual": "ผลงาน",
        "percent": "% ของเป้า",
        "expected": "ควรได้ ณ วันนี้",
        "expected_by": "ควรได้ ณ {day}",
        "status": "สถานะ",
        "reported": "รายงาน แล้ว",
        "reported_for": "รายงาน งวด {period}",
        "reported_in": "รายงานแล้ว",
        "stale": "ค้างรายงาน",
        "yes": "แล้ว",
        "last_reported": "รายงานล่าสุด {period}",
        "on_track_of": "ตามแผน {n}/{of}",
        "city": "ทั้งเมือง: สถานะ, % ของเป้า",
        "at-target": "เขตที่ถึงเป้า",
        "half-or-more": "≥ 50 %",
        "below-half": "< 50 %",
        "not-reported": "ยังไม่รายงาน",
        "bands": "เขตที่ถึงเป้า / ≥ 50 % / < 50 % / ยังไม่รายงาน",
        "host": "H",
        "each": "ทุกหน่วย",
        "of": "จาก",
        "fy": "ปีงบประมาณ",
        "as_of": "ณ วันที่",
        "elapsed": "ของปีผ่านไปแล้ว",
        "key_results": "ตัวชี้วัด",
        "key_results_1": "ตัวชี้วัด",
        "own": " ที่{agency}มีเป้าหมาย เทียบกับเป้าหมายของ{agency}เอง",
        "note": "หมายเหตุ",
        "none": "ไม่มีตัวชี้วัดที่ตรงกับเงื่อนไข",
        "agency": "หน่วยงาน",
        "district": "เขต",
        "zone": "กลุ่มเขต",
        "last_period": "งวดล่าสุด",
        "band": "เทียบเป้าของตน",
        "what": "สิ่งที่ยังขาด",
        "due": "กำหนดส่ง",
        "overdue": "เกินกำหนด",
        "days_overdue": "เกินกำหนด {n} วัน",
        "days_overdue_1": "เกินกำหนด 1 วัน",
        "due_in": "อีก {n} วันถึงกำหนด",
        "due_in_1": "อีก 1 วันถึงกำหนด",
        "due_today": "ครบกำหนดวันนี้",
        "no-report": "ยังไม่รายงานงวด",
        "not-bound": "ยังไม่ผูก OKR (ยังไม่ได้ผูก OKR ของตนและกรอกค่าเป้าหมาย)",
        "no-project-report": "โครงการยังไม่รายงานงวด",
        "projects_missing": "โครงการยังไม่รายงาน",
        "project_missing": "โครงการยังไม่รายงาน",
        "chase": "รายการติดตามงวด",
        "agencies": "หน่วยงาน",
        "agencies_1": "หน่วยงาน",
        "reports_missing": "ยังไม่รายงาน",
        "report_missing": "ยังไม่รายงาน",
        "none_overdue": "ยังไม่มีที่เกินกำหนด",
        "as_of_day": "ณ วันที่ {day}",
        "not_bound": "ยังไม่ผูก OKR",
        "binding": "ผูก OKR แล้ว: {bound} จาก {targets} เป้าหมายของหน่วยงาน R "
        "(ตัวชี้วัดที่บันทึกการผูก {krs} ตัว)",
        "binding_all": "ผูกครบแล้ว",
        "no_bands": "จอแคบกว่า {width} ตัวอักษรจึงไม่แสดงจำนวนเขต ดู --by district",
        "nothing_missing": "ครบถ้วน: ทุกหน่วยงานที่มีเป้าหมายรายงานแล้ว",
        "definitions": (
            "นิยาม: {page} — รายงานแล้วของงวด, ค้างรายงาน, ควรได้ ณ วันนี้, ความคืบหน้า, สถานะ, "
            "แถวทั้งเมืองของแต่ละวิธีรวมผล"
        ),
        "legend": (
            "ควรได้: เส้นตรงจากค่าฐานวันที่ 1 ต.ค. ถึงเป้าหมายวันที่ 30 ก.ย. "
            "ตามแผน: ต่ำกว่าที่ควรได้ไม่เกิน {on} จุดร้อยละ; เสี่ยง: ต่ำกว่า {on}–{risk} จุด; "
            "ล่าช้า: ต่ำกว่าเกิน {risk} จุด หรือสิ้นปีงบประมาณแล้ว. เขต: เทียบกับเป้าหมายของแต่ละเขต"
        ),
    },
}


STATUS_WORDS = {
    "en": {
        "done": "done",
        "on-track": "on track",
        "at-risk": "at risk",
        "behind": "behind",
        "no-data": "no data",
    },
    "th": {
        "done": "บรรลุแล้ว",
        "on-track": "ตามแผน",
        "at-risk": "เสี่ยง",
        "behind": "ล่าช้า",
        "no-data": "ไม่มีข้อมูล",
    },
}


BAND_WORDS = {
    "en": {
        "at-target": "at target",
        "half-or-more": "≥ 50 %",
        "below-half": "< 50 %",
        "not-reported": "not reported",
    },
    "th": {
        "at-target": "ถึงเป้า",
        "half-or-more": "≥ 50 %",
        "below-half": "< 50 %",
        "not-reported": "ยังไม่รายงาน",
    },
}


def word(lang: str, key: str) -> str:
    return WORDS[lang][key]


def count(n: int, lang: str, key: str) -> str:
    """``n`` things, the noun in the singular for one (``1 key result``, ``2 key results``);
    ``key`` names the plural, ``<singular key>_1`` the singular (Thai has one form)."""
    return f"{n:,} {word(lang, key + '_1' if n == 1 else key)}"


def expected_header(scope: Any, lang: str) -> str:
    """ "Expected by now" on the day itself, else "Expected by 30 Jun 2024" (a past as-of)."""
    if scope.today is not None and scope.as_of == scope.today:
        return word(lang, "expected")
    return word(lang, "expected_by").format(day=day_text(scope.as_of, lang))


def reported_header(scope: Any, lang: str) -> str:
    """ "Reported for 2567-06": the period every agency should have reported for."""
    if scope.period is None:
        return word(lang, "reported")
    return word(lang, "reported_for").format(period=scope.period)


def reported_text(row: KeyResultRow, lang: str) -> str:
    """How many agencies reported for the period, and how many are stale: ``21/51 · 30 stale``;
    on one agency's row (``--agency``) ``yes``, ``last reported 2567-04`` or ``–``."""
    if row.agency is not None:
        return own_report_text(row, lang)
    text = f"{row.reported}/{row.allocated}"
    return text + (f" · {row.stale} {word(lang, 'stale')}" if row.stale else "")


def own_report_text(row: Any, lang: str) -> str:
    """An agency's own row (``--agency``, ``--by district``): the period it reported for,
    ``last reported 2567-04`` when stale, or ``–``."""
    return _own_report(row.reported > 0, row.stale > 0, row.last_period, lang)


def _own_report(reported: bool, stale: bool, last: str | None, lang: str) -> str:
    if reported:
        return last or word(lang, "yes")
    if stale:
        return word(lang, "last_reported").format(period=last)
    return "–"


def notes(scope: Any, lang: str) -> list[str]:
    """The scope's notes in ``lang``, each as a ``note:`` line."""
    return [f"{word(lang, 'note')}: {n.text(lang)}" for n in scope.notes]


def legend_text(lang: str) -> str:
    """The status thresholds in a sentence, from the constants that decide them."""
    from okrtool.progress import AT_RISK_GAP, ON_TRACK_GAP

    return word(lang, "legend").format(on=f"{ON_TRACK_GAP:g}", risk=f"{AT_RISK_GAP:g}")


def definitions_line(lang: str) -> str:
    """The footer that names the page where every figure is defined."""
    from okrtool.progress import DEFINITIONS

    return word(lang, "definitions").format(page=DEFINITIONS)


def one_line(text: str) -> str:
    """Free text on one line: a line break inside it (Alt+Enter in a cell) shown as ``\\n``."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def number(x: float | None, decimals: int = 2) -> str:
    """A number with thousands separators: whole numbers bare, others to at most ``decimals``."""
    if x is None:
        return "–"
    x = round(x, decimals)
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:,.{decimals}f}".rstrip("0").rstrip(".")


def percent(x: float | None) -> str:
    """A percentage to one decimal, like ``109.5 %``."""
    return "–" if x is None else f"{x:,.1f} %"


def row_amount(row: KeyResultRow, x: float | None, decimals: int = 2) -> str:
    """A value of ``row``'s key result: a number, with `` %`` when its unit is percent."""
    if row.unit == "percent" and x is not None:
        return f"{number(x, decimals)} %"
    return number(x, decimals)


def target_text(row: KeyResultRow, lang: str) -> str:
    """The target as a reader says it: ``200,000 trees``, ``100 % in each``, ``≤ 20 cases``."""
    sign = "≤ " if row.direction == "lower" else ""
    if row.is_share:
        return f"{sign}{row_amount(row, row.target)} {word(lang, 'each')}"
    if row.unit == "percent":
        return f"{sign}{row_amount(row, row.target)}"
    return f"{sign}{number(row.target)} {row.unit_name}"


def actual_text(row: KeyResultRow, lang: str) -> str:
    """The actual: a number, or for share-at-target ``31 of 50`` agencies."""
    if row.actual is None:
        return "–"
    if row.is_share:
        return f"{number(row.actual)} {word(lang, 'of')} {row.allocated}"
    return row_amount(row, row.actual)


def expected_text(row: KeyResultRow, lang: str) -> str:
    """Where the time of year says the actual should be, rounded as a reader would; for
    share-at-target how many agencies are on track or done: ``on track 48/50``."""
    if row.is_share:
        return word(lang, "on_track_of").format(n=number(row.expected, 0), of=row.allocated)
    return row_amount(row, row.expected, 0 if abs(row.target) >= 100 else 1)


def city_text(row: KeyResultRow, lang: str) -> str:
    """The city row's figures beside an agency's own row: ``at risk, 57.1 %``."""
    if row.city is None:
        return ""
    return f"{status_word(row.city.status, lang)}, {percent(row.city.percent)}"


def status_word(status: str, lang: str) -> str:
    """A status in words (``on track``, ``ตามแผน``)."""
    return STATUS_WORDS[lang][status]


def band_word(band: str, lang: str) -> str:
    """A district band in words (``at target``, ``ถึงเป้า``)."""
    return BAND_WORDS[lang][band]


def status_header(report: StatusReport, lang: str) -> list[str]:
    s = report.scope
    h = report.header()
    start, end = (
        date.fromisoformat(h["fiscal_year_start"]),
        date.fromisoformat(h["fiscal_year_end"]),
    )
    counts = " · ".join(f"{n} {status_word(st, lang)}" for st, n in report.counts.items() if n)
    lines = [
        f"{report.title} — {word(lang, 'fy')} {s.fiscal_year} ({day_text(start, lang)} – "
        f"{day_text(end, lang)}), {word(lang, 'as_of')} {day_text(s.as_of, lang)}: "
        f"{percent(s.elapsed * 100)} {word(lang, 'elapsed')}",
        count(len(report.rows), lang, "key_results")
        + (word(lang, "own").format(agency=report.agency_name) if report.agency_name else "")
        + (f": {counts}" if counts else ""),
    ]
    e = report.edition
    if e is not None:
        name = e.name_th if lang == "th" else e.name_en
        lines.append(word(lang, "edition").format(name=name, id=e.id, year=e.first_year))
    b = report.binding
    if b is not None:
        line = word(lang, "binding").format(bound=b.bound, targets=b.own_targets, krs=b.key_results)
        lines.append(line + (f": {word(lang, 'binding_all')}" if b.bound == b.own_targets else ""))
    return lines + notes(s, lang)


def kr_title(row: KeyResultRow) -> str:
    return f"  └ {row.title}" if row.parent else f"  {row.title}"


def bands_text(row: KeyResultRow) -> str:
    """The district bands of a row as ``31/7/12/0``; empty if no district is allocated."""
    if row.bands is None:
        return ""
    return "/".join(str(n) for n in row.bands.to_dict().values())


def by_header(report: ByReport, lang: str) -> list[str]:
    s = report.scope
    lines = [
        f"{report.title} — {word(lang, 'fy')} {s.fiscal_year}, {word(lang, 'as_of')} "
        f"{day_text(s.as_of, lang)}: {percent(s.elapsed * 100)} {word(lang, 'elapsed')}"
    ]
    return lines + notes(s, lang)


def kr_line(row: KeyResultRow, lang: str) -> str:
    return (
        f"{row.title} ({row.key_result}) — {word(lang, 'target').lower()} "
        f"{target_text(row, lang)}, {word(lang, 'actual').lower()} {actual_text(row, lang)} "
        f"({percent(row.percent)}), {status_word(row.status, lang)}; "
        f"{word(lang, 'host')}: {row.host_name}; {word(lang, 'reported_in')} "
        f"{reported_text(row, lang)}"
    )


def agency_cells(table: AgencyTable, row: AgencyRow, lang: str) -> list[str]:
    kr = table.key_result
    unit = " %" if kr.unit == "percent" and not (kr.is_share and table.by == "zone") else ""
    cells = [row.name]
    if table.by != "zone":
        cells.append(row.zone_name)
    # a share-at-target zone counts districts: its target column is how many it counts
    target = row.count_target if row.count_target is not None else row.target
    cells += [
        f"{number(target)}{unit}",
        "–" if row.actual is None else f"{number(row.actual)}{unit}",
        percent(row.percent),
    ]
    if table.by == "zone":
        b = row.bands.to_dict() if row.bands else {}
        stale = f" · {row.stale} {word(lang, 'stale')}" if row.stale else ""
        cells.append(f"{row.reported}/{row.allocated}{stale}")
        cells += [str(b.get(k, "")) for k in BAND_WORDS["en"]]
    else:
        report = own_report_text(row, lang)
        cells += [band_word(row.band, lang), report]
    cells.append(status_word(row.status, lang))
    return cells


def agency_headers(table: AgencyTable, scope: Any, lang: str) -> list[str]:
    first = word(lang, "zone" if table.by == "zone" else table.by)
    headers = [first]
    if table.by != "zone":
        headers.append(word(lang, "zone"))
    target = word(lang, "target")
    if table.by == "zone" and table.key_result.is_share:
        target = f"{word(lang, 'target')} ({word(lang, 'agencies')})"
    headers += [target, word(lang, "actual"), word(lang, "percent")]
    if table.by == "zone":
        headers += [reported_header(scope, lang), *[word(lang, b) for b in BAND_WORDS["en"]]]
    else:
        headers += [word(lang, "band"), reported_header(scope, lang)]
    headers.append(word(lang, "status"))
    return headers


def missing_header(report: MissingReport, lang: str) -> list[str]:
    h = report.header()
    missing = word(lang, "reports_missing" if h["no_report"] != 1 else "report_missing")
    late = [f"{h['stale']} {word(lang, 'stale')}"] if h["stale"] else []
    if h["overdue"]:
        late.append(f"{h['overdue']} {word(lang, 'overdue')}")
    elif h["no_report"]:  # not in yet, and not late either: each row says when it is due
        late.append(word(lang, "none_overdue"))
    stale = f" ({', '.join(late)})" if late else ""
    s = report.scope
    as_of = ""
    if s.today is None or s.as_of != s.today:
        as_of = ", " + word(lang, "as_of_day").format(day=day_text(s.as_of, lang))
    lines = [
        f"{word(lang, 'chase')} {report.period} ({word(lang, 'fy')} {h['fiscal_year']}{as_of}) — "
        f"{report.title}: {count(h['agencies'], lang, 'agencies')}; "
        f"{h['no_report']} {missing}{stale}, {h['not_bound']} {word(lang, 'not_bound')}"
        + _projects_missing(h.get("no_project_report", 0), h.get("projects_overdue", 0), lang)
    ]
    return lines + notes(s, lang)


def _projects_missing(n: int, overdue: int, lang: str) -> str:
    """``, 9 projects not reported (2 overdue)`` after the chase list's counts; empty when no
    project is owed."""
    if not n:
        return ""
    late = f" ({overdue} {word(lang, 'overdue')})" if overdue else ""
    return f", {n} {word(lang, 'project_missing' if n == 1 else 'projects_missing')}{late}"


def due_text(item: Any, period: str, lang: str) -> str:
    """The due cell of a chase-list item: ``5 Jul 2024 · 26 days overdue``, ``due in 3 days``;
    the period owed after the date when it is not the chase list's (a quarterly reporter:
    ``10 Jul 2024 (FY2567-Q3)``); ``–`` for an item with no due date (not bound, no calendar)."""
    if item.due is None:
        return "–"
    owed = f" ({item.owed})" if item.owed and item.owed != period else ""
    if item.days_overdue:
        n = item.days_overdue
        when = word(lang, "days_overdue_1" if n == 1 else "days_overdue").format(n=n)
    elif item.due_in_days:
        n = item.due_in_days
        when = word(lang, "due_in_1" if n == 1 else "due_in").format(n=n)
    else:
        when = word(lang, "due_today")
    return f"{day_text(item.due, lang)}{owed} · {when}"


def missing_what(item: Any, period: str, lang: str) -> str:
    if item.reason == "no-report":
        last = ""
        if item.last_period:
            last = f" ({word(lang, 'last_reported').format(period=item.last_period)})"
        return f"{word(lang, 'no-report')} {period}: {item.title}{last}"
    if item.reason == "no-project-report":
        return f"{word(lang, 'no-project-report')} {period}: {item.title}"
    return f"{word(lang, 'not-bound')}: {item.policy_title}"
