"""Renderings of ``okrtool history``: a table ending with a sparkline, JSON, CSV and Markdown.

Rows in (``okrtool.progress.history``), text out; nothing is computed here but the height of a
sparkline's block, which is drawing, not a figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from okrtool.fiscal import THAI_MONTH_ABBR, Period, ce_to_be, day_text
from okrtool.render.csvjson import write_csv, write_json
from okrtool.render.markdown import md_table
from okrtool.render.terminal import (
    DEFAULT_WIDTH,
    STATUS_STYLES,
    Line,
    console_text,
    rich_table,
    styled,
)
from okrtool.render.text import (
    actual_text,
    definitions_line,
    expected_text,
    legend_text,
    number,
    percent,
    row_amount,
    status_word,
    target_text,
    word,
)

if TYPE_CHECKING:
    from okrtool.progress import HistoryByReport, HistoryReport, HistoryRow

#: Eight heights of a sparkline, lowest first.
BLOCKS = "▁▂▃▄▅▆▇█"

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "period": "Period",
        "value": "Reported in the period",
        "running": "Actual at the period's end",
        "percent": "% of target",
        "expected": "Expected by the period's end",
        "status": "Status",
        "reporting": "Agencies reporting",
        "actual": "actual",
        "expected_line": "expected",
        "headline": "{title} ({id}) — {policy} (H: {host})",
        "now": "FY {fy}, as of {day}: {actual} of {target} ({percent}), {status}",
        "now_share": "FY {fy}, as of {day}: {actual} at their target of {target} ({percent}), "
        "{status}",
        "own": "{agency}'s own values against its own allocation",
        "year_line": "FY {fy}: {id}, target {target}",
        "none": "No value reported for {title} in FY {fy} as of {day}: nothing to chart yet.",
        "future": "after {day}: expected only",
        "quarter": "Q{n} FY {fy}",
        "district": "District",
        "agency": "Agency",
        "zone": "Zone",
        "target": "Target",
        "actual_col": "Actual",
        "trend": "Trend",
        "trend_line": (
            "Trend: the actual at the end of each period, {first} to {last}, one block each, "
            "full height at the agency's own target"
        ),
        "note": "note",
    },
    "th": {
        "period": "งวด",
        "value": "ผลงานในงวด",
        "running": "ผลงาน ณ สิ้นงวด",
        "percent": "% ของเป้า",
        "expected": "ควรได้ ณ สิ้นงวด",
        "status": "สถานะ",
        "reporting": "หน่วยงานที่รายงาน",
        "actual": "ผลงาน",
        "expected_line": "ควรได้",
        "headline": "{title} ({id}) — {policy} (H: {host})",
        "now": "ปีงบประมาณ {fy} ณ วันที่ {day}: {actual} จากเป้าหมาย {target} ({percent}) {status}",
        "now_share": "ปีงบประมาณ {fy} ณ วันที่ {day}: ถึงเป้าหมาย {target} แล้ว {actual} ({percent}) "
        "{status}",
        "own": "ค่าของ{agency}เอง เทียบกับเป้าหมายของ{agency}",
        "year_line": "ปีงบประมาณ {fy}: {id} เป้าหมาย {target}",
        "none": "ยังไม่มีค่ารายงานของ {title} ในปีงบประมาณ {fy} ณ วันที่ {day}: ยังไม่มีอะไรให้แสดง",
        "future": "หลัง {day}: แสดงเฉพาะค่าที่ควรได้",
        "quarter": "ไตรมาส {n}/{fy}",
        "district": "เขต",
        "agency": "หน่วยงาน",
        "zone": "กลุ่มเขต",
        "target": "เป้าหมาย",
        "actual_col": "ผลงาน",
        "trend": "แนวโน้ม",
        "trend_line": (
            "แนวโน้ม: ผลงาน ณ สิ้นแต่ละงวด ตั้งแต่ {first} ถึง {last} งวดละหนึ่งช่อง "
            "ช่องเต็มความสูง = ถึงเป้าหมายของหน่วยงานนั้น"
        ),
        "note": "หมายเหตุ",
    },
}


def _w(lang: str, key: str) -> str:
    return _WORDS[lang][key]


def period_text(period: Period, lang: str) -> str:
    """A period as people read it: ``Jun 2024`` or ``มิ.ย. 2567``; ``Q3 FY 2567`` or
    ``ไตรมาส 3/2567``."""
    if period.kind == "quarter":
        return _w(lang, "quarter").format(n=period.quarter, fy=period.fiscal_year)
    if lang == "th":
        return f"{THAI_MONTH_ABBR[period.start.month - 1]} {ce_to_be(period.start.year)}"
    return period.start.strftime("%b %Y")


def spark(values: Sequence[float | None], top: float) -> str:
    """One block per value, its height the value's share of ``top``; a blank for no value."""
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif top <= 0:
            out.append(BLOCKS[0])
        else:
            share = min(max(v / top, 0.0), 1.0)
            out.append(BLOCKS[round(share * (len(BLOCKS) - 1))])
    return "".join(out)


def sparkline_lines(report: HistoryReport) -> list[str]:
    """Two lines, ``actual`` and ``expected``, one block per period, as percent of the target
    (progress, and the share of the year gone: years with other targets stay comparable), on
    one scale, their labels padded to the same width in terminal cells (Thai vowels and tone
    marks take none)."""
    from rich.cells import cell_len

    lang = report.lang
    actual = [None if r.future else r.percent for r in report.rows]
    expected = [r.expected_progress for r in report.rows]
    top = max([100.0, *(x for x in (*actual, *expected) if x is not None)])
    labels = [_w(lang, "actual"), _w(lang, "expected_line")]
    width = max(cell_len(x) for x in labels)
    return [
        f"{label}{' ' * (width - cell_len(label))}  {spark(series, top)}".rstrip()
        for label, series in zip(labels, (actual, expected), strict=True)
    ]


# --- header --------------------------------------------------------------------------------------


def header_lines(report: HistoryReport) -> list[str]:
    lang = report.lang
    c = report.current
    lines = [
        _w(lang, "headline").format(
            title=c.title, id=c.key_result, policy=c.policy_title, host=c.host_name
        )
    ]
    lines.append(
        _w(lang, "now_share" if c.is_share else "now").format(
            fy=report.fiscal_year,
            day=day_text(report.as_of, lang),
            actual=actual_text(c, lang),
            target=target_text(c, lang),
            percent=percent(c.percent),
            status=status_word(c.status, lang),
        )
    )
    if report.agency_name:
        lines.append(_w(lang, "own").format(agency=report.agency_name))
    if len(report.fiscal_years) > 1:
        firsts = {}
        for row in report.rows:
            firsts.setdefault(row.fiscal_year, row)
        for year, row in firsts.items():
            lines.append(
                _w(lang, "year_line").format(
                    fy=year, id=row.key_result, target=row_amount(c, row.target)
                )
            )
    lines += [f"{_w(lang, 'note')}: {n.text(lang)}" for n in report.notes]
    return lines


def _none_line(report: HistoryReport) -> str:
    lang = report.lang
    return _w(lang, "none").format(
        title=report.current.title,
        fy=", ".join(map(str, report.fiscal_years or [report.fiscal_year])),
        day=day_text(report.as_of, lang),
    )


# --- the cells of a row --------------------------------------------------------------------------


def _cells(report: HistoryReport, row: HistoryRow) -> list[str]:
    lang = report.lang
    c = report.current
    if row.future or row.row is None:
        if c.is_share:
            expected = word(lang, "on_track_of").format(n=number(row.expected, 0), of=c.allocated)
        else:
            expected = row_amount(c, row.expected, 0 if abs(c.target) >= 100 else 1)
        return [period_text(row.period, lang), "", "", "", expected, "", ""]
    r = row.row
    if row.value is None:
        value = "–"
    elif c.is_share:  # how many agencies' values of the period are at their target
        value = f"{number(row.value)} {word(lang, 'of')} {row.reported}"
    else:
        value = row_amount(c, row.value)
    return [
        period_text(row.period, lang),
        value,
        actual_text(r, lang),
        percent(r.percent),
        expected_text(r, lang),
        status_word(r.status, lang),
        f"{row.reported}/{row.allocated}",
    ]


def _headers(lang: str) -> list[str]:
    return [
        _w(lang, k)
        for k in ("period", "value", "running", "percent", "expected", "status", "reporting")
    ]


def history_table_text(report: HistoryReport, width: int | None = None, color: bool = False) -> str:
    """``okrtool history`` for people: a row per period, future ones dimmed, then the
    sparkline of actual against expected."""
    lang = report.lang
    width = width or DEFAULT_WIDTH
    parts: list[Any] = list(header_lines(report))
    if not report.reported:
        parts.append(_none_line(report))
        return console_text(parts, width, color)
    headers = _headers(lang)
    lines = []
    year = None
    for row in report.rows:
        styles = {} if row.status is None else {5: STATUS_STYLES[row.status]}
        lines.append(
            Line(
                _cells(report, row),
                style="dim" if row.future else "",
                cell_styles=styles,
                section=row.fiscal_year != year and year is not None,
            )
        )
        year = row.fiscal_year
    right = [False, True, True, True, True, False, True]
    parts.append(rich_table(headers, lines, width, right, flex=0, nowrap=[1, 2, 3, 5, 6]))
    parts += sparkline_lines(report)
    if any(r.future for r in report.rows):
        parts.append(styled(_w(lang, "future").format(day=day_text(report.as_of, lang)), "dim"))
    parts += [styled(legend_text(lang), "dim"), styled(definitions_line(lang), "dim")]
    return console_text(parts, width, color)


_FIELDS = (
    "fiscal_year",
    "period",
    "start",
    "end",
    "key_result",
    "value",
    "reported",
    "allocated",
    "actual",
    "percent",
    "expected",
    "expected_percent",
    "expected_progress",
    "status",
    "future",
)


def history_markdown(report: HistoryReport) -> str:
    """``okrtool history`` as Markdown: the header, the table and the sparkline."""
    header = header_lines(report)
    parts = [f"**{header[0]}**", "", *header[1:], ""]
    if not report.reported:
        return "\n".join([*parts, _none_line(report)]) + "\n"
    rows = [_cells(report, r) for r in report.rows]
    right = [False, True, True, True, True, False, True]
    parts += [
        md_table(_headers(report.lang), rows, right),
        "",
        "```",
        *sparkline_lines(report),
    ]
    parts += ["```", "", legend_text(report.lang), "", definitions_line(report.lang)]
    return "\n".join(parts) + "\n"


def render_history(
    report: HistoryReport, fmt: str, width: int | None = None, color: bool = False
) -> str:
    """``okrtool history`` in one of table, json, csv, markdown."""
    rows = [r.to_dict() for r in report.rows]
    if fmt == "json":
        return write_json(report.header(), "rows", rows)
    if fmt == "csv":
        return write_csv(
            [{**r, "future": "true" if r["future"] else "false"} for r in rows], _FIELDS
        )
    if fmt == "markdown":
        return history_markdown(report)
    return history_table_text(report, width, color)


# --- history --by district -------------------------------------------------------------------


def _trend_line(report: HistoryByReport) -> str:
    lang = report.history.lang
    first, last = report.periods[0], report.periods[-1]
    return _w(lang, "trend_line").format(
        first=period_text(first, lang), last=period_text(last, lang)
    )


def _by_headers(report: HistoryByReport) -> list[str]:
    lang = report.history.lang
    trend = _w(lang, "trend")
    first = _w(lang, "district" if report.by == "district" else "agency")
    return [
        first,
        _w(lang, "zone"),
        _w(lang, "target"),
        _w(lang, "actual_col"),
        _w(lang, "percent"),
        _w(lang, "status"),
        trend,
    ]


def _by_cells(report: HistoryByReport, row: Any) -> list[str]:
    lang = report.history.lang
    c = report.history.current
    a = row.row
    top = max([a.target, *(x for x in row.running if x is not None)])
    return [
        a.name,
        a.zone_name,
        row_amount(c, a.target),
        row_amount(c, a.actual),
        percent(a.percent),
        status_word(a.status, lang),
        spark(row.running, top),
    ]


def render_history_by(
    report: HistoryByReport, fmt: str, width: int | None = None, color: bool = False
) -> str:
    """``okrtool history --by district|agency``: each agency worst first, with a sparkline of
    its running figure period by period against its own target."""
    if fmt == "json":
        return write_json(report.header(), "rows", [r.to_dict() for r in report.rows])
    if fmt == "csv":
        rows = []
        for r in report.rows:
            d = r.to_dict()
            for period, running in zip(report.periods, d.pop("running"), strict=True):
                d[f"running_{period}"] = running
            rows.append(d)
        fields = [
            "agency", "name", "zone", "zone_name", "target", "actual", "percent", "status",
            "band", "report", "last_period", *(f"running_{p}" for p in report.periods),
        ]  # fmt: skip
        return write_csv(rows, fields)
    header = [*header_lines(report.history), _trend_line(report)]
    headers = _by_headers(report)
    cells = [_by_cells(report, r) for r in report.rows]
    right = [False, False, True, True, True, False, False]
    if fmt == "markdown":
        rows_md = [[*c[:-1], f"`{c[-1]}`"] for c in cells]
        body = [md_table(headers, rows_md, right), "", definitions_line(report.history.lang)]
        return "\n".join([f"**{header[0]}**", "", *header[1:], "", *body]) + "\n"
    lines = [
        Line(c, cell_styles={5: STATUS_STYLES[r.row.status]})
        for c, r in zip(cells, report.rows, strict=True)
    ]
    parts: list[Any] = list(header)
    parts.append(rich_table(headers, lines, width or DEFAULT_WIDTH, right, nowrap=[2, 3, 4, 5, 6]))
    parts.append(styled(definitions_line(report.history.lang), "dim"))
    return console_text(parts, width, color)
