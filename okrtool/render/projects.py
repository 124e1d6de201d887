"""``okrtool status --projects`` rendered: a table, Markdown, CSV or JSON of the same rows.

Per agency: the OKRs it is bound to, its projects, their counts by state and how many are not
reported for the period; under the table, which ones. Rows come from ``progress.projects``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from okrtool.fiscal import day_text
from okrtool.model import PROJECT_STATE_WORDS, PROJECT_STATES
from okrtool.render.csvjson import write_csv, write_json

if TYPE_CHECKING:
    from okrtool.progress.projects import AgencyProjects, ProjectsReport

WORDS = {
    "en": {
        "title": "Projects by agency — FY {fy}, as of {day}",
        "period": "reports asked for: {period}",
        "no_period": "no period due yet",
        "agency": "Agency",
        "okrs": "OKRs bound",
        "projects": "Projects",
        "not_reported": "Not reported",
        "owes": "{agency}: not reported for {period}: {ids}",
        "none": "No agency owns a project in FY {fy}.",
        "note": "A project's state is the latest its owner reported by the day, else the "
        "state its policy file starts it in; a project done or cancelled is not asked for "
        'reports (docs/reporting.md, "Projects").',
    },
    "th": {
        "title": "โครงการรายหน่วยงาน — ปีงบประมาณ {fy} ณ วันที่ {day}",
        "period": "งวดที่ต้องรายงาน: {period}",
        "no_period": "ยังไม่ถึงงวดรายงาน",
        "agency": "หน่วยงาน",
        "okrs": "OKR ที่ผูก",
        "projects": "โครงการ",
        "not_reported": "ยังไม่รายงาน",
        "owes": "{agency}: ยังไม่รายงานงวด {period}: {ids}",
        "none": "ไม่มีหน่วยงานใดเป็นเจ้าของโครงการในปีงบประมาณ {fy}",
        "note": "สถานะโครงการคือสถานะล่าสุดที่เจ้าของรายงานถึงวันนั้น ถ้ายังไม่รายงานใช้สถานะตั้งต้นใน"
        "ไฟล์นโยบาย; โครงการที่เสร็จแล้วหรือยกเลิกไม่ต้องรายงานต่อ",
    },
}


def state_word(state: str, lang: str) -> str:
    """A project state in ``lang``: ``กำลังดำเนินการ`` / ``in progress``."""
    th, en = PROJECT_STATE_WORDS.get(state, (state, state))
    return th if lang == "th" else en


def counts_text(counts: dict[str, int], lang: str) -> str:
    """``5 done · 92 in progress``: the states with a project, in ``PROJECT_STATES`` order."""
    parts = [f"{counts[s]} {state_word(s, lang)}" for s in PROJECT_STATES if counts.get(s)]
    return " · ".join(parts) or "0"


def _w(lang: str, key: str) -> str:
    return WORDS["th" if lang == "th" else "en"][key]


def _header(report: ProjectsReport) -> list[str]:
    lang = report.lang
    period = (
        _w(lang, "period").format(period=report.period) if report.period else _w(lang, "no_period")
    )
    title = _w(lang, "title").format(fy=report.fiscal_year, day=day_text(report.as_of, lang))
    return [f"{title}; {period}", *(n.text(lang) for n in report.notes)]  # type: ignore[arg-type]


def _name(a: AgencyProjects, lang: str) -> str:
    return a.name_th if lang == "th" else a.name_en


def _headers(lang: str) -> list[str]:
    return [
        _w(lang, "agency"),
        _w(lang, "okrs"),
        _w(lang, "projects"),
        *(state_word(s, lang) for s in PROJECT_STATES),
        _w(lang, "not_reported"),
    ]


def _cells(a: AgencyProjects, lang: str) -> list[str]:
    return [
        f"{_name(a, lang)} ({a.agency})",
        str(a.okrs_bound),
        str(a.total),
        *(str(a.counts[s]) for s in PROJECT_STATES),
        str(len(a.not_reported)),
    ]


def _owed(report: ProjectsReport) -> list[str]:
    """A line per agency and period owed: the period asked, then a quarter owed by projects
    whose key result is reported by quarter (``AgencyProjects.owed_by_period``)."""
    return [
        _w(report.lang, "owes").format(agency=a.agency, period=period, ids=", ".join(ids))
        for a in report.agencies
        for period, ids in a.owed_by_period()
    ]


def projects_table(report: ProjectsReport, width: int | None = None, color: bool = False) -> str:
    """The table: a row per agency, then the projects each has not reported."""
    from okrtool.render.terminal import DEFAULT_WIDTH, Line, console_text, rich_table

    lang = report.lang
    parts: list[Any] = _header(report)
    if not report.agencies:
        parts.append(_w(lang, "none").format(fy=report.fiscal_year))
        return console_text(parts, width, color)
    headers = _headers(lang)
    lines = [Line(_cells(a, lang)) for a in report.agencies]
    right = [i > 0 for i in range(len(headers))]
    parts.append(rich_table(headers, lines, width or DEFAULT_WIDTH, right))
    parts += _owed(report)
    parts.append(_w(lang, "note"))
    return console_text(parts, width, color)


def projects_markdown(report: ProjectsReport) -> str:
    """The Markdown table and the projects not reported, for meeting notes."""
    lang = report.lang
    lines = [f"**{line}**" for line in _header(report)[:1]] + _header(report)[1:]
    if not report.agencies:
        return "\n".join([*lines, "", _w(lang, "none").format(fy=report.fiscal_year)]) + "\n"
    headers = _headers(lang)
    lines += ["", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for a in report.agencies:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in _cells(a, lang)) + " |")
    owed = _owed(report)
    if owed:
        lines += ["", *(f"- {line}" for line in owed)]
    return "\n".join([*lines, "", _w(lang, "note")]) + "\n"


PROJECT_FIELDS = (
    "agency",
    "name_th",
    "name_en",
    "okrs_bound",
    "projects",
    *(s.replace("-", "_") for s in PROJECT_STATES),
    "not_reported",
    "not_reported_projects",
    "not_reported_periods",
)


def projects_csv(report: ProjectsReport) -> str:
    """A CSV row per agency: ids, raw counts, the projects not reported separated by spaces and
    the period each owes, in the same order (``2567-06`` or, on a key result reported by
    quarter, ``FY2567-Q3``: JSON's ``owed``)."""
    rows = []
    for a in report.agencies:
        row: dict[str, Any] = {
            "agency": a.agency,
            "name_th": a.name_th,
            "name_en": a.name_en,
            "okrs_bound": a.okrs_bound,
            "projects": a.total,
            "not_reported": len(a.not_reported),
            "not_reported_projects": " ".join(a.not_reported),
            "not_reported_periods": " ".join(str(p.owed) for p in a.projects if p.owed),
        }
        row.update({s.replace("-", "_"): a.counts[s] for s in PROJECT_STATES})
        rows.append(row)
    return write_csv(rows, PROJECT_FIELDS)


def projects_json(report: ProjectsReport) -> str:
    """The header and a row per agency with its projects, as ``to_dict`` gives them."""
    data = report.to_dict()
    rows = data.pop("agencies")
    return write_json(data, "agencies", rows)


def render_projects(
    report: ProjectsReport, fmt: str, width: int | None = None, color: bool = False
) -> str:
    """``okrtool status --projects`` in table, json, csv or markdown."""
    if fmt == "json":
        return projects_json(report)
    if fmt == "csv":
        return projects_csv(report)
    if fmt == "markdown":
        return projects_markdown(report)
    return projects_table(report, width, color)
