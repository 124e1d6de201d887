"""``okrtool brief -o FILE.xlsx``: the brief's rows as sheets of the common workbook writer
(``render/xlsx.py``): a summary sheet, a sheet per key result, and the reports owed.

The numbers are the rows' own (as ``--format json`` gives them); the words are those of
``brief_text.py`` and ``text.py``; the look is the writer's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrtool.fiscal import day_text
from okrtool.render.brief_text import (
    agency_status,
    bands_line,
    bw,
    changes_line,
    city_line,
    counts_text,
    host_projects_line,
    hosted_line,
    notes_heading,
    owed_line,
    own_report,
    period_line,
    since_line,
    title_line,
    trend_line,
)
from okrtool.render.history_xlsx import history_table
from okrtool.render.sheets import estimated_cell, estimated_header, estimated_line
from okrtool.render.text import (
    BAND_WORDS,
    STATUS_WORDS,
    band_word,
    definitions_line,
    due_text,
    expected_header,
    legend_text,
    notes,
    reported_header,
    status_word,
    word,
)
from okrtool.render.xlsx import Chart, Column, Mark, Number, Row, Sheet, Table
from okrtool.render.xlsx_write import write_workbook

if TYPE_CHECKING:
    from okrtool.progress import AgencyRow, Brief, BriefKeyResult, KeyResultRow

#: Words only the brief's workbook uses.
XLSX_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "summary_sheet": "Summary",
        "owed_sheet": "Owed",
        "key_results": "Key results",
        "policy": "Policy",
        "id": "Id",
        "count": "Key results",
        "by_status": "Key results by status",
        "legend": "Status colours",
        "chart_worst": "% of own target: the {n} furthest behind of {of} (all in the table)",
        "chart_all": "% of own target, furthest behind first",
        "reason": "What is owed",
        "owed_title_projects": "Key result or project",
        "last_period": "Last period",
        "values": "Values",
        "periods": "Periods",
        "note": "Note",
        "agencies": "Agencies",
        "project": "Project",
        "owner": "Owner",
        "reported": "Reported",
        "due": "Due",
        "estimated": "estimated",
    },
    "th": {
        "summary_sheet": "สรุป",
        "owed_sheet": "ยังไม่รายงาน",
        "key_results": "ตัวชี้วัด",
        "policy": "นโยบาย",
        "id": "รหัส",
        "count": "จำนวนตัวชี้วัด",
        "by_status": "ตัวชี้วัดตามสถานะ",
        "legend": "ความหมายของสี",
        "chart_worst": "% ของเป้าของตน: {n} หน่วยงานที่ตามหลังที่สุด จาก {of} (ครบในตาราง)",
        "chart_all": "% ของเป้าของตน ตามหลังที่สุดก่อน",
        "reason": "สิ่งที่ยังขาด",
        "owed_title_projects": "ตัวชี้วัดหรือโครงการ",
        "last_period": "งวดล่าสุด",
        "values": "จำนวนค่า",
        "periods": "งวด",
        "note": "หมายเหตุ",
        "agencies": "หน่วยงาน",
        "project": "โครงการ",
        "owner": "หน่วยงานเจ้าของ",
        "reported": "รายงานแล้ว",
        "due": "กำหนดส่ง",
        "estimated": "ประมาณการ",
    },
}


def _x(lang: str, key: str, **values: object) -> str:
    text = XLSX_WORDS[lang][key]
    return text.format(**values) if values else text


def write_brief_xlsx(brief: Brief, path: Path) -> None:
    """Write the brief as a workbook at ``path`` (atomically, by the common writer)."""
    write_workbook(
        brief_sheets(brief),
        path,
        as_of=brief.scope.as_of,
        title=title_line(brief, brief.scope.lang),
    )


def brief_sheets(brief: Brief) -> list[Sheet]:
    """The summary sheet, a sheet per key result (named by its id), and the reports owed."""
    sheets = [_summary_sheet(brief)]
    sheets += [_key_result_sheet(brief, kr) for kr in brief.key_results]
    sheets.append(_owed_sheet(brief))
    return sheets


def _page_header(brief: Brief) -> str:
    s = brief.scope
    lang = s.lang
    return (
        f"{title_line(brief, lang)} — {word(lang, 'fy')} {s.fiscal_year} — "
        f"{word(lang, 'as_of')} {day_text(s.as_of, lang)}"
    )


def _legend(lang: str) -> list[tuple[str, str]]:
    return list(STATUS_WORDS[lang].items())


def _unit(row: KeyResultRow) -> str:
    return "%" if row.unit == "percent" else row.unit_name


def _mark(status: str, lang: str) -> Mark:
    return Mark(status, status_word(status, lang))


def _decimals(target: float) -> int:
    # expected by now, rounded as status rounds it (text.expected_text)
    return 0 if abs(target) >= 100 else 1


def _city_cells(row: KeyResultRow, lang: str) -> list[Any]:
    """Target, actual, % of target, expected by now: in the key result's unit; share-at-target
    counts agencies (``31 of 50``, ``on track 48/50``)."""
    d = row.to_dict()
    prefix = "≤ " if row.direction == "lower" else None
    if row.is_share:
        on_track = word(lang, "on_track_of").split("{n}")[0]
        return [
            Number(d["target"], unit=f"% {word(lang, 'each')}", prefix=prefix),
            Number(d["actual"], unit=f"{word(lang, 'of')} {row.allocated}", decimals=0),
            d["percent"],
            Number(d["expected"], prefix=on_track, unit=f"/{row.allocated}", decimals=0),
        ]
    unit = _unit(row)
    return [
        Number(d["target"], unit=unit, prefix=prefix),
        Number(d["actual"], unit=unit),
        d["percent"],
        Number(d["expected"], unit=unit, decimals=_decimals(row.target)),
    ]


def _summary_sheet(brief: Brief) -> Sheet:
    lang = brief.scope.lang
    s = brief.scope
    header = [
        title_line(brief, lang),
        period_line(brief, lang),
        hosted_line(brief, lang),
        f"{bw(lang, 'counts')}: {counts_text(brief.counts, lang) or '–'}",
        owed_line(brief, lang),
        *([own] if (own := host_projects_line(brief, lang)) else []),
        *([changes] if (changes := changes_line(brief, lang)) else []),
        *notes(s, lang),
    ]
    decisions = Table(
        [
            Column(bw(lang, "number"), "number"),
            Column(bw(lang, "key_result"), width=34),
            Column(word(lang, "status"), "status"),
            Column(word(lang, "actual"), "number"),
            Column(word(lang, "target"), "number"),
            Column(word(lang, "percent"), "percent"),
            Column(expected_header(s, lang), "number"),
            Column(bw(lang, "gap"), "number", decimals=1),
            Column(bw(lang, "agency"), width=18),
            Column(_x(lang, "id"), printed=False),
        ],
        [_decision_row(n, d, lang) for n, d in enumerate(brief.decisions, 1)],
        caption=bw(lang, "decisions"),
        freeze_columns=2,
    )
    key_results = Table(
        [
            Column(bw(lang, "number"), "number"),
            Column(word(lang, "key_result"), width=34),
            Column(word(lang, "status"), "status"),
            Column(word(lang, "actual"), "number"),
            Column(word(lang, "target"), "number"),
            Column(word(lang, "percent"), "percent"),
            Column(expected_header(s, lang), "number"),
            Column(reported_header(s, lang), "number"),
            Column(estimated_header(lang), "number"),
            Column(word(lang, "stale"), "number", printed=False),
            Column(_x(lang, "id"), printed=False),
            Column(_x(lang, "policy"), printed=False),
            *[Column(word(lang, b), "number", printed=False) for b in BAND_WORDS["en"]],
        ],
        [_key_result_row(brief, n, kr, lang) for n, kr in enumerate(brief.key_results, 1)],
        caption=_x(lang, "key_results"),
        title_column=1,
    )
    counts = Table(
        [Column(word(lang, "status"), "status"), Column(_x(lang, "count"), "number")],
        [Row([_mark(st, lang), n]) for st, n in brief.counts.items()],
        caption=_x(lang, "by_status"),
        charts=[Chart("bar", _x(lang, "by_status"), categories=0, series=[1])],
    )
    footer = [
        bw(lang, "decision_rule", n=5),
        legend_text(lang),
        estimated_line(lang),
        definitions_line(lang),
    ]
    return Sheet(
        name=_x(lang, "summary_sheet"),
        header=header,
        tables=[decisions, key_results, counts],
        legend=_legend(lang),
        legend_title=_x(lang, "legend"),
        footer=footer,
        page_header=_page_header(brief),
        lang=lang,
    )


def _city_order(cells: list[Any]) -> list[Any]:
    """``_city_cells`` (target, actual, %, expected) in the summary's order: actual first."""
    target, actual, percent, expected = cells
    return [actual, target, percent, expected]


def _decision_row(n: int, d: Any, lang: str) -> Row:
    row = d.row
    if d.kind == "key-result":
        counts = {"behind": d.agencies_behind, "at-risk": d.agencies_at_risk}
        counts["no-data"] = d.agencies_no_data
        key = "whole_1" if d.allocated == 1 else "whole"
        who = bw(lang, key, n=d.allocated, counts=counts_text(counts, lang) or "–")
        target, actual, percent, expected = _city_cells(row, lang)
    else:
        who = d.name or d.agency
        unit = _unit(row)
        values = d.to_dict()
        actual = Number(values["actual"], unit=unit)
        target = Number(values["target"], unit=unit)
        percent = values["percent"]
        expected = Number(values["expected"], unit=unit, decimals=_decimals(d.target))
    return Row(
        [
            n,
            row.title,
            _mark(d.status, lang),
            actual,
            target,
            percent,
            expected,
            d.to_dict()["gap"],
            who,
            row.key_result,
        ]
    )


def _key_result_row(brief: Brief, n: int, kr: BriefKeyResult, lang: str) -> Row:
    row = kr.row
    bands = row.bands.to_dict() if row.bands else {}
    return Row(
        [
            n,
            f"└ {row.title}" if row.parent else row.title,
            _mark(row.status, lang),
            *_city_order(_city_cells(row, lang)),
            Number(row.reported, unit=f"/{row.allocated}"),
            estimated_cell(brief.estimated, row, lang),
            row.stale,
            row.key_result,
            row.policy_title,
            *[bands.get(b) for b in BAND_WORDS["en"]],
        ],
        "child" if row.parent else "data",
    )


def _key_result_sheet(brief: Brief, kr: BriefKeyResult) -> Sheet:
    lang = brief.scope.lang
    s = brief.scope
    row = kr.row
    unit = _unit(row)
    decimals = _decimals(row.target)
    header = [
        f"{row.title} ({row.key_result})",
        f"{_x(lang, 'policy')}: {row.policy_title} ({row.policy})",
        city_line(brief, row, lang),
    ]
    for extra in (since_line(brief, kr, lang), bands_line(row, lang), trend_line(kr, lang)):
        if extra:
            header.append(extra)
    header.append(period_line(brief, lang))
    agencies = Table(
        [
            Column(bw(lang, "agency"), width=20),
            Column(bw(lang, "allocation"), "number", unit=unit),
            Column(word(lang, "actual"), "number", unit=unit),
            Column(word(lang, "percent"), "percent"),
            Column(expected_header(s, lang), "number", unit=unit, decimals=decimals),
            Column(reported_header(s, lang), width=12),
            Column(word(lang, "status"), "status", width=14),
            *_since_columns(brief, unit, lang)[1:],
            Column(estimated_header(lang)),
            *_since_columns(brief, unit, lang)[:1],
            Column(word(lang, "zone"), printed=False),
            Column(word(lang, "band"), "status", printed=False),
        ],
        [_agency_row(brief, kr, a, lang) for a in kr.agencies],
        caption=bw(lang, "agencies"),
        charts=[_agencies_chart(len(kr.agencies), lang)] if kr.agencies else [],
    )
    tables = [agencies]
    if kr.history is not None and kr.history.rows:
        share_of = row.allocated if row.is_share else None
        tables.append(
            history_table(kr.history.rows, row.title, unit, decimals, lang, share_of=share_of)
        )
    owed = [m for m in kr.missing if m.reason == "no-report"]
    if owed:
        tables.append(
            Table(
                [
                    Column(bw(lang, "agency"), width=20),
                    Column(_x(lang, "last_period")),
                    Column(_x(lang, "due"), width=16),
                    Column(word(lang, "zone"), printed=False),
                ],
                [
                    Row([m.name, m.last_period, due_text(m, brief.period or "", lang), m.zone_name])
                    for m in owed
                ],
                caption=bw(lang, "not_reported", period=brief.period),
            )
        )
    if kr.notes:
        # each note with who typed it, how many values and when, across the page
        tables.append(
            Table(
                [Column(_x(lang, "note"))],
                [
                    Row(
                        [
                            f"{n.text} — {', '.join(n.names)} "
                            f"({n.values} {_x(lang, 'values')}; {', '.join(n.periods)})"
                        ]
                    )
                    for n in kr.notes
                ],
                caption=notes_heading(brief, lang),
                across=True,
            )
        )
    if kr.projects:
        tables.append(
            Table(
                [Column(f"{_x(lang, 'project')} — {_x(lang, 'owner')} — {word(lang, 'status')}")],
                [Row([f"{p.title} — {p.owner_name} — {bw(lang, p.status)}"]) for p in kr.projects],
                caption=f"{bw(lang, 'projects')}: {_project_counts(kr, lang)}",
                across=True,
            )
        )
    return Sheet(
        name=row.key_result,
        header=header,
        tables=tables,
        legend=_legend(lang),
        legend_title=_x(lang, "legend"),
        footer=[legend_text(lang), estimated_line(lang), definitions_line(lang)],
        page_header=_page_header(brief),
        lang=lang,
    )


def _agency_row(brief: Brief, kr: BriefKeyResult, a: AgencyRow, lang: str) -> Row:
    d = a.to_dict()
    cells: list[Any] = [
        a.name,
        d["target"],
        d["actual"],
        d["percent"],
        d["expected"],
        own_report(a, lang),
        Mark(a.status, agency_status(kr, a, lang)),
    ]
    if brief.since is not None:
        since = kr.agency_since.get(a.agency)
        then = since.to_dict() if since is not None else {}
        cells.append(then.get("change"))
    estimated = brief.estimated.of(kr.row.key_result, a.agency)
    cells.append(XLSX_WORDS[lang]["estimated"] if estimated else None)
    if brief.since is not None:
        cells.append(then.get("actual"))
    cells += [a.zone_name, Mark(a.band, band_word(a.band, lang))]
    return Row(cells)


#: The agencies a key result sheet's chart shows: the furthest behind; the table has them all.
WORST = 15


def _agencies_chart(agencies: int, lang: str) -> Chart:
    """One bar per agency, its % of its own target, the worst first: the ``WORST`` furthest
    behind when there are more (the title says how many the table holds)."""
    shown = min(agencies, WORST)
    words = "worst" if agencies > WORST else "all"
    return Chart(
        "bar",
        _x(lang, f"chart_{words}", n=shown, of=agencies),
        categories=0,
        series=[3],
        rows=(0, shown),
        horizontal=True,
    )


def _since_columns(brief: Brief, unit: str, lang: str) -> list[Column]:
    """With ``--since``: the actual on the since day (on the sheet only) and the change."""
    if brief.since is None:
        return []
    return [
        Column(
            bw(lang, "then", day=day_text(brief.since, lang)), "number", unit=unit, printed=False
        ),
        Column(bw(lang, "change"), "number", unit=unit, signed=True),
    ]


def _project_counts(kr: BriefKeyResult, lang: str) -> str:
    return " · ".join(f"{n} {bw(lang, st)}" for st, n in kr.project_counts.items())


def _owed_sheet(brief: Brief) -> Sheet:
    lang = brief.scope.lang
    period = brief.period or "–"
    reasons = {
        "no-report": f"{word(lang, 'no-report')} {period}",
        "not-bound": word(lang, "not-bound"),
    }
    projects = brief.header()["projects_missing"]
    if projects:  # beside the values, as missing lists them (the reason says "project")
        reasons["no-project-report"] = f"{word(lang, 'no-project-report')} {period}"
    ids = {"no-report": "key_result", "no-project-report": "project", "not-bound": "policy"}
    rows = [
        Row(
            [
                m.name,
                Mark(m.reason, reasons[m.reason]),
                m.policy_title if m.reason == "not-bound" else m.title,
                m.last_period,
                due_text(m, brief.period or "", lang),
                m.zone_name,
                getattr(m, ids[m.reason]),
            ]
        )
        for m in brief.missing
    ]
    header = [title_line(brief, lang), owed_line(brief, lang)]
    if projects:
        header.append(bw(lang, "owed_projects", n=projects))
    return Sheet(
        name=_x(lang, "owed_sheet"),
        header=header,
        tables=[
            Table(
                [
                    Column(bw(lang, "agency"), width=18),
                    # "project not reported for 2567-06" on one line
                    Column(_x(lang, "reason"), "status", width=30 if projects else 24),
                    Column(
                        _x(lang, "owed_title_projects") if projects else bw(lang, "key_result"),
                        width=36,
                    ),
                    Column(_x(lang, "last_period")),
                    Column(_x(lang, "due"), width=16),
                    Column(word(lang, "zone"), printed=False),
                    Column(_x(lang, "id"), printed=False),
                ],
                rows,
            )
        ],
        legend=list(reasons.items()),
        legend_title=_x(lang, "legend"),
        footer=[definitions_line(lang)],
        page_header=_page_header(brief),
        lang=lang,
    )
