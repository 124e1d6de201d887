"""``okrtool history -o FILE.xlsx``: a key result period by period as a workbook, with a line
chart of the actual against the expected; the same table serves the brief's key result sheets.

The rows are ``okrtool.progress.history``'s, as the terminal, Markdown and JSON get them; the
workbook only lays them out (``render.xlsx`` writes it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from okrtool.render.history import header_lines, period_text
from okrtool.render.sheets import page_header, status_legend
from okrtool.render.text import definitions_line, legend_text, status_word, word
from okrtool.render.xlsx import Chart, Column, Mark, Number, Row, Sheet, Table
from okrtool.render.xlsx_write import write_workbook

if TYPE_CHECKING:
    from pathlib import Path

    from okrtool.progress import HistoryReport, HistoryRow, KeyResultRow

WORDS = {
    "en": {
        "sheet": "History",
        "history": "Period by period (okrtool history)",
        "period": "Period",
        "value": "Reported in the period",
        "running": "Actual",
        "expected": "Expected",
        "reporting": "Agencies reporting",
        "trend_chart": "{title}: actual and expected, period by period",
        "agencies": "agencies",
    },
    "th": {
        "sheet": "รายงวด",
        "history": "รายงวด (okrtool history)",
        "period": "งวด",
        "value": "ค่าที่รายงานในงวด",
        "running": "ผลงาน",
        "expected": "ควรได้",
        "reporting": "หน่วยงานที่รายงาน",
        "trend_chart": "{title}: ผลงานและที่ควรได้ รายงวด",
        "agencies": "หน่วยงาน",
    },
}


def _h(lang: str, key: str, **values: object) -> str:
    text = WORDS[lang][key]
    return text.format(**values) if values else text


def unit_of(row: KeyResultRow) -> str:
    """The unit a workbook writes beside a key result's numbers."""
    return "%" if row.unit == "percent" else row.unit_name


def expected_decimals(target: float) -> int:
    """Expected figures rounded as ``status`` rounds them (``text.expected_text``)."""
    return 0 if abs(target) >= 100 else 1


def history_table(
    rows: list[HistoryRow],
    title: str,
    unit: str,
    decimals: int,
    lang: str,
    reporting: bool = False,
    share_of: int | None = None,
) -> Table:
    """The periods of a key result, oldest first, with a line chart of the actual (running
    figure) and the expected against the target; ``reporting`` adds how many agencies reported
    in each. A share-at-target key result (``share_of``: its allocated agencies) counts
    agencies: ``20 of 50``, ``on track 28/50``, the target all ``50``."""
    on_track = word(lang, "on_track_of").split("{n}")[0]
    body = []
    for r in rows:
        d = r.to_dict()
        status = Mark(r.status, status_word(r.status, lang)) if r.status else None
        if share_of is not None:
            cells = [
                period_text(r.period, lang),
                Number(d["value"], unit=f"{word(lang, 'of')} {r.reported}", decimals=0),
                Number(d["actual"], unit=f"{word(lang, 'of')} {r.allocated}", decimals=0),
                Number(d["expected"], prefix=on_track, unit=f"/{r.allocated}", decimals=0),
                status,
                Number(r.allocated, unit=_h(lang, "agencies")),
            ]
        else:
            cells = [
                period_text(r.period, lang),
                d["value"],
                d["actual"],
                d["expected"],
                status,
                d["target"],
            ]
        if reporting:
            cells.append(None if r.future else Number(r.reported, unit=f"/{r.allocated}"))
        body.append(Row(cells))
    count = _h(lang, "agencies") if share_of is not None else None
    columns = [
        Column(_h(lang, "period")),
        Column(_h(lang, "value"), "number", unit=unit),
        Column(_h(lang, "running"), "number", unit=count or unit),
        Column(_h(lang, "expected"), "number", unit=count or unit, decimals=decimals),
        Column(word(lang, "status"), "status"),
        Column(word(lang, "target"), "number", unit=count or unit),
    ]
    if reporting:
        columns.append(Column(_h(lang, "reporting"), "number"))
    chart = Chart(
        "line",
        _h(lang, "trend_chart", title=title),
        categories=0,
        series=[2, 3],
        target=5,
        y_title=count or unit,
    )
    return Table(columns, body, caption=_h(lang, "history"), charts=[chart])


def history_sheet(report: HistoryReport) -> Sheet:
    """``okrtool history`` as one sheet: the header lines of the terminal table, the periods,
    the line chart, the status legend."""
    lang = report.lang
    c = report.current
    table = history_table(
        report.rows,
        c.title,
        unit_of(c),
        expected_decimals(c.target),
        lang,
        reporting=True,
        share_of=c.allocated if c.is_share else None,
    )
    return Sheet(
        name=_h(lang, "sheet"),
        header=header_lines(report),
        tables=[table],
        legend=status_legend(lang),
        footer=[legend_text(lang), definitions_line(lang)],
        page_header=page_header(
            f"{c.title} ({c.key_result})", report.fiscal_year, report.as_of, lang
        ),
        lang=lang,
    )


def write_history_xlsx(report: HistoryReport, path: Path) -> None:
    """Write ``okrtool history`` as a workbook at ``path`` (atomically; UsageError if it fails)."""
    write_workbook([history_sheet(report)], path, as_of=report.as_of, title=header_lines(report)[0])
