"""Renderings of ``okrtool status --since``: each status row beside its figures on the since day.

Rows in (``okrtool.progress.changes``), text out. The table, Markdown and CSV show the same rows
as the JSON, where each row of ``status`` carries a ``since`` object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from okrtool.fiscal import day_text
from okrtool.render.csvjson import STATUS_FIELDS, flat_row, write_csv, write_json
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
    BAND_WORDS,
    definitions_line,
    kr_line,
    kr_title,
    notes,
    number,
    percent,
    row_amount,
    status_header,
    status_word,
    target_text,
)

if TYPE_CHECKING:
    from okrtool.progress import (
        ChangeByReport,
        ChangedTable,
        ChangeReport,
        KeyResultRow,
        Since,
    )

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "fy": "FY",
        "actual": "Actual {since} → {now} (change)",
        "percent": "% of target (change in points)",
        "status": "Status",
        "reported_since": "Reported since {day}",
        "new": "new",
        "yes": "yes",
        "points": "pts",
        "of": "of",
        "summary": (
            "Since {since}: {moved} moved ({better} better, {worse} worse), {new} new, "
            "{same} unchanged"
        ),
        "changed_only": "Only the rows whose status moved since {since}.",
        "nothing": "No status moved since {since}.",
        "key_result": "Key result",
        "target": "Target",
        "agency": "Agency",
        "district": "District",
        "zone": "Zone",
        "city": "City",
        "note": "note",
        "legend": (
            "Then ({since}): what `okrtool status --as-of {iso}` shows; change: now minus then "
            "(the actual, and the percent of target in points); ▲ better, ▼ worse by the "
            "order done, on track, at risk, behind, no data; new: no such row then. Reported "
            "since: a value for a period that ended after {since}."
        ),
    },
    "th": {
        "fy": "ปีงบประมาณ",
        "actual": "ผลงาน {since} → {now} (เปลี่ยนแปลง)",
        "percent": "% ของเป้า (เปลี่ยนแปลง จุด)",
        "status": "สถานะ",
        "reported_since": "รายงานหลัง {day}",
        "new": "ใหม่",
        "yes": "แล้ว",
        "points": "จุด",
        "of": "จาก",
        "summary": (
            "ตั้งแต่ {since}: สถานะเปลี่ยน {moved} (ดีขึ้น {better}, แย่ลง {worse}), ใหม่ {new}, คงเดิม {same}"
        ),
        "changed_only": "เฉพาะแถวที่สถานะเปลี่ยนตั้งแต่ {since}",
        "nothing": "ไม่มีสถานะใดเปลี่ยนตั้งแต่ {since}",
        "key_result": "ตัวชี้วัด",
        "target": "เป้าหมาย",
        "agency": "หน่วยงาน",
        "district": "เขต",
        "zone": "กลุ่มเขต",
        "city": "ทั้งเมือง",
        "note": "หมายเหตุ",
        "legend": (
            "ค่าเดิม ({since}): ผลงานและสถานะที่ `okrtool status --as-of {iso}` แสดง; เปลี่ยนแปลง: "
            "ค่าปัจจุบันลบค่าเดิม (ผลงาน และร้อยละของเป้าเป็นจุด); ▲ ดีขึ้น ▼ แย่ลง ตามลำดับ "
            "บรรลุแล้ว ตามแผน เสี่ยง ล่าช้า ไม่มีข้อมูล; ใหม่: ไม่มีแถวนี้ในวันนั้น. "
            "รายงานหลัง: มีค่าของงวดที่สิ้นสุดหลัง {since}"
        ),
    },
}

_ARROWS = {"better": "▲", "worse": "▼"}
#: Which columns of a change table are right-aligned (the figures).
_RIGHT = [False, True, True, True, False, True]


def _w(lang: str, key: str) -> str:
    return _WORDS[lang][key]


# --- cells -------------------------------------------------------------------------------------


def _figure(row: KeyResultRow, actual: float | None, lang: str) -> str:
    """An actual in the row's units (``31 of 50`` agencies for a share)."""
    if actual is None:
        return "–"
    if row.is_share:
        return f"{number(actual)} {_w(lang, 'of')} {row.allocated}"
    return row_amount(row, actual)


def _signed(x: float | None, text: Callable[[float], str]) -> str:
    """``+53``, ``-2``, ``0``: a change with its sign; ``–`` for none."""
    if x is None:
        return "–"
    return ("+" if round(x, 6) > 0 else "") + text(x)


def percent_move(now: float | None, s: Since) -> str:
    """``23.1 → 57.1 % (+34.0)``: the percent of target then and now, and the change in
    points; the percent alone for a new row."""
    if s.new:
        return percent(now)
    then = "–" if s.percent is None else f"{s.percent:,.1f}"
    points = "" if s.change_points is None else f" ({_signed(s.change_points, _one)})"
    return f"{then} → {percent(now)}{points}"


def _one(x: float) -> str:
    return f"{x:,.1f}"


def actual_move(row: KeyResultRow, s: Since, lang: str) -> str:
    """``36 → 89 (+53)``: the actual then and now and the change, in the row's units; for a
    new row the actual and ``(new)``."""
    now = _figure(row, row.actual, lang)
    if s.new:
        return f"{now} ({_w(lang, 'new')})"
    amount = number if row.is_share else (lambda v: row_amount(row, v))
    change = "" if s.change is None else f" ({_signed(s.change, amount)})"
    return f"{_figure(row, s.actual, lang)} → {now}{change}"


def status_move(now: str, s: Since, lang: str) -> str:
    """``▼ on track → at risk`` when the status moved, the status alone when it did not,
    ``on track (new)`` for a row that did not exist then."""
    if s.new:
        return f"{status_word(now, lang)} ({_w(lang, 'new')})"
    if s.moved is None or s.status is None:
        return status_word(now, lang)
    return f"{_ARROWS[s.moved]} {status_word(s.status, lang)} → {status_word(now, lang)}"


def reported_since_text(s: Since, allocated: int, lang: str) -> str:
    """``yes`` or ``–`` for an agency, ``21/51`` for a city or zone row."""
    if s.reported_since is not None:
        return _w(lang, "yes") if s.reported_since else "–"
    if s.agencies_reported_since is not None:
        return f"{s.agencies_reported_since}/{allocated}"
    return ""


def _status_style(now: str, s: Since) -> str:
    style = STATUS_STYLES[now]
    return f"{style} reverse" if s.moved == "worse" else style


def _summary(report: Any, lang: str) -> str:
    c = report.counts
    return _w(lang, "summary").format(
        since=day_text(report.since, lang),
        moved=c["better"] + c["worse"],
        better=c["better"],
        worse=c["worse"],
        new=c["new"],
        same=c["unchanged"],
    )


def _legend(report: Any, lang: str) -> str:
    return _w(lang, "legend").format(
        since=day_text(report.since, lang), iso=report.since.isoformat()
    )


def _headers(report: Any, lang: str, first: str) -> list[str]:
    s = report.scope
    return [
        first,
        _w(lang, "target"),
        _w(lang, "actual").format(since=day_text(report.since, lang), now=day_text(s.as_of, lang)),
        _w(lang, "percent"),
        _w(lang, "status"),
        _w(lang, "reported_since").format(day=day_text(report.since, lang)),
    ]


def _row_cells(row: KeyResultRow, s: Since, lang: str, title: str) -> list[str]:
    return [
        title,
        target_text(row, lang),
        actual_move(row, s, lang),
        percent_move(row.percent, s),
        status_move(row.status, s, lang),
        reported_since_text(s, row.allocated, lang),
    ]


def _header_lines(report: ChangeReport, lang: str) -> list[str]:
    lines = status_header(report.now, lang)
    lines.append(_summary(report, lang))
    if report.changed_only:
        lines.append(_w(lang, "changed_only").format(since=day_text(report.since, lang)))
    lines += [f"{_w(lang, 'note')}: {n.text(lang)}" for n in report.notes]
    return lines


# --- status --since ------------------------------------------------------------------------------

_SINCE_FIELDS = (
    "since_as_of",
    "since_new",
    "since_actual",
    "since_percent",
    "since_status",
    "since_change",
    "since_change_points",
    "since_moved",
    "since_reported_since",
    "since_agencies_reported_since",
)


def _since_csv_row(d: dict[str, Any]) -> dict[str, Any]:
    since = d.pop("since")
    out = flat_row(d)
    for k, v in since.items():
        out[f"since_{k}"] = str(v).lower() if isinstance(v, bool) else v
    return out


def render_changes(
    report: ChangeReport, fmt: str, width: int | None = None, color: bool = False
) -> str:
    """``okrtool status --since`` (and ``--agency``) in one of table, json, csv, markdown."""
    lang = report.scope.lang
    rows = [r.to_dict() for r in report.rows]
    if fmt == "json":
        return write_json(report.header(), "rows", rows)
    if fmt == "csv":
        return write_csv([_since_csv_row(r) for r in rows], (*STATUS_FIELDS, *_SINCE_FIELDS))
    header = _header_lines(report, lang)
    headers = _headers(report, lang, _w(lang, "key_result"))
    nothing = _w(lang, "nothing").format(since=day_text(report.since, lang))
    if fmt == "markdown":
        body = []
        for r in report.rows:
            row = r.row
            title = f"└ {row.title}" if row.parent else f"**{row.policy_title}**: {row.title}"
            body.append(_row_cells(row, r.since, lang, title))
        parts = [f"**{header[0]}**", "", *header[1:], ""]
        if body:
            parts += [md_table(headers, body, _RIGHT), "", _legend(report, lang), ""]
            parts.append(definitions_line(lang))
        else:
            parts.append(nothing)
        return "\n".join(parts) + "\n"
    lines: list[Line] = []
    policy = None
    for r in report.rows:
        row = r.row
        if row.policy != policy:
            policy = row.policy
            title = f"{row.policy_title} (H: {row.host_name})"
            lines.append(Line([title, *[""] * (len(headers) - 1)], "bold", section=True))
        cells = _row_cells(row, r.since, lang, kr_title(row))
        lines.append(Line(cells, cell_styles={4: _status_style(row.status, r.since)}))
    parts: list[Any] = list(header)
    if report.rows:
        parts.append(rich_table(headers, lines, width or DEFAULT_WIDTH, _RIGHT, nowrap=[4]))
        parts += [styled(_legend(report, lang), "dim"), styled(definitions_line(lang), "dim")]
    else:
        parts.append(nothing)
    return console_text(parts, width, color)


# --- status --by --since -------------------------------------------------------------------------


def _agency_cells(table: ChangedTable, r: Any, lang: str) -> list[str]:
    row, s = r.row, r.since
    kr = table.key_result.row
    unit = " %" if kr.unit == "percent" and not (kr.is_share and table.by == "zone") else ""
    target = row.count_target if row.count_target is not None else row.target

    def amount(x: float | None) -> str:
        return "–" if x is None else f"{number(x)}{unit}"

    if s.new:
        actual = f"{amount(row.actual)} ({_w(lang, 'new')})"
    else:
        change = "" if s.change is None else f" ({_signed(s.change, amount)})"
        actual = f"{amount(s.actual)} → {amount(row.actual)}{change}"
    return [
        row.name,
        amount(target),
        actual,
        percent_move(row.percent, s),
        status_move(row.status, s, lang),
        reported_since_text(s, row.allocated, lang),
    ]


def _city_line(table: ChangedTable, lang: str) -> str:
    kr, s = table.key_result.row, table.key_result.since
    return (
        f"{_w(lang, 'city')}: {actual_move(kr, s, lang)}, {percent_move(kr.percent, s)}, "
        f"{status_move(kr.status, s, lang)}"
    )


def render_change_by(
    report: ChangeByReport, fmt: str, width: int | None = None, color: bool = False
) -> str:
    """``okrtool status --by … --since`` in one of table, json, csv, markdown."""
    lang = report.scope.lang
    if fmt == "json":
        tables = [
            {"key_result": t.key_result.to_dict(), "rows": [r.to_dict() for r in t.rows]}
            for t in report.tables
        ]
        return write_json(report.header(), "tables", tables)
    if fmt == "csv":
        rows = []
        for t in report.tables:
            for r in t.rows:
                rows.append(
                    {"key_result": t.key_result.row.key_result, **_since_csv_row(r.to_dict())}
                )
        fields = [
            "key_result", "agency", "name", "zone", "zone_name", "target", "actual", "percent",
            "band", "status", "reported", "allocated", "last_period",
            *("districts_" + b.replace("-", "_") for b in BAND_WORDS["en"]),
            "report", "stale", "expected", "count_target", *_SINCE_FIELDS,
        ]  # fmt: skip
        return write_csv(rows, fields)
    s = report.scope
    header = [
        f"{report.now.title} — {_w(lang, 'fy')} {s.fiscal_year}, {day_text(report.since, lang)} → "
        f"{day_text(s.as_of, lang)}",
        *notes(s, lang),
        _summary(report, lang),
        *([_w(lang, "changed_only").format(since=day_text(report.since, lang))]
          if report.changed_only else []),
        *[f"{_w(lang, 'note')}: {n.text(lang)}" for n in report.notes],
    ]  # fmt: skip
    first = _w(lang, "zone" if report.now.by == "zone" else report.now.by)
    headers = _headers(report, lang, first)
    right = _RIGHT
    nothing = _w(lang, "nothing").format(since=day_text(report.since, lang))
    if fmt == "markdown":
        parts = [f"**{header[0]}**", *header[1:]]
        for t in report.tables:
            parts += ["", f"**{kr_line(t.key_result.row, lang)}**", "", _city_line(t, lang), ""]
            parts.append(md_table(headers, [_agency_cells(t, r, lang) for r in t.rows], right))
        if not report.tables:
            parts += ["", nothing]
        return "\n".join(parts) + "\n"
    parts_t: list[Any] = list(header)
    for t in report.tables:
        lines = [
            Line(_agency_cells(t, r, lang), cell_styles={4: _status_style(r.row.status, r.since)})
            for r in t.rows
        ]
        parts_t += ["", styled(kr_line(t.key_result.row, lang), "bold"), _city_line(t, lang)]
        if lines:
            parts_t.append(rich_table(headers, lines, width or DEFAULT_WIDTH, right, nowrap=[4]))
    if report.tables:
        parts_t += [styled(_legend(report, lang), "dim"), styled(definitions_line(lang), "dim")]
    else:
        parts_t.append(nothing)
    return console_text(parts_t, width, color)
