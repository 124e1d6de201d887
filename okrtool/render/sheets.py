"""The workbooks of ``status`` and ``missing``: their rows as ``xlsx.Sheet`` objects.

The numbers are the rows' own, as ``to_dict`` (and so ``--format json``) gives them; the words
are those of ``text.py``. The look of the workbook is ``xlsx.py``'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from okrtool.fiscal import day_text
from okrtool.render.changes import status_move
from okrtool.render.text import (
    BAND_WORDS,
    STATUS_WORDS,
    agency_headers,
    band_word,
    by_header,
    definitions_line,
    due_text,
    expected_header,
    kr_line,
    legend_text,
    missing_header,
    own_report_text,
    reported_header,
    reported_text,
    status_header,
    status_word,
    word,
)
from okrtool.render.xlsx import Chart, Column, Mark, Number, Row, Sheet, Table

if TYPE_CHECKING:
    from okrtool.progress import (
        AgencyRow,
        AgencyTable,
        ByReport,
        KeyResultRow,
        MissingItem,
        MissingReport,
        StatusReport,
    )
    from okrtool.progress.changes import ChangeReport, Since
    from okrtool.progress.estimated import Estimated

#: Words only the workbooks use.
SHEET_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "policy": "Policy",
        "id": "Id",
        "host": "Host (H)",
        "allocated": "Allocated",
        "stale": "Stale",
        "city_status": "City: status",
        "city_percent": "City: % of target",
        "legend": "Status colours",
        "status_sheet": "Status",
        "missing_sheet": "Missing",
        "agency_id": "Agency id",
        "reason": "What is missing",
        "title": "Key result or policy",
        "title_projects": "Key result, project or policy",
        "distribution": "Districts by their own target",
        "districts": "Districts",
        "reported_agency": "Reported",
        "reasons": "Colours",
        "days_overdue_column": "Days overdue",
        "due_in_column": "Days until due",
        "when": "Due or overdue",
        "then_actual": "Actual on {day}",
        "then_percent": "% of target on {day}",
        "then_status": "Status on {day}",
        "change": "Change",
        "change_points": "Change (points)",
        "points": "pts",
        "estimated": "Estimated",
        "estimated_word": "estimated",
        "estimated_line": (
            "Estimated: a figure built from values entered as estimates (source 'estimated' in "
            "data/reports, such as a published city total split among the districts), not values "
            "the agencies reported themselves; the column counts the agencies whose figure rests "
            "on one (48/50: 48 of the 50)."
        ),
        "moved": "Status moved",
        "new": "new",
    },
    "th": {
        "policy": "นโยบาย",
        "id": "รหัส",
        "host": "หน่วยงานรับผิดชอบหลัก (H)",
        "allocated": "หน่วยงานที่มีเป้าหมาย",
        "stale": "ค้างรายงาน",
        "city_status": "ทั้งเมือง: สถานะ",
        "city_percent": "ทั้งเมือง: % ของเป้า",
        "legend": "ความหมายของสี",
        "status_sheet": "สถานะ",
        "missing_sheet": "ยังไม่รายงาน",
        "agency_id": "รหัสหน่วยงาน",
        "reason": "สิ่งที่ยังขาด",
        "title": "ตัวชี้วัดหรือนโยบาย",
        "title_projects": "ตัวชี้วัด โครงการ หรือนโยบาย",
        "distribution": "จำนวนเขตเทียบเป้าหมายของตน",
        "districts": "เขต",
        "reported_agency": "รายงาน",
        "reasons": "ความหมายของสี",
        "days_overdue_column": "เกินกำหนด (วัน)",
        "due_in_column": "อีกกี่วันถึงกำหนด",
        "when": "ถึงกำหนดหรือเกินกำหนด",
        "then_actual": "ผลงาน ณ {day}",
        "then_percent": "% ของเป้า ณ {day}",
        "then_status": "สถานะ ณ {day}",
        "change": "เปลี่ยนแปลง",
        "change_points": "เปลี่ยนแปลง (จุด)",
        "points": "จุด",
        "estimated": "ประมาณการ",
        "estimated_word": "ประมาณการ",
        "estimated_line": (
            "ประมาณการ: ตัวเลขที่สร้างจากค่าที่บันทึกเป็นค่าประมาณการ (source 'estimated' ใน "
            "data/reports เช่น ยอดรวมของเมืองที่เผยแพร่แล้วนำมาแบ่งให้แต่ละเขต) ไม่ใช่ค่าที่หน่วยงาน"
            "รายงานเอง; คอลัมน์นี้นับหน่วยงานที่ตัวเลขมาจากค่าประมาณการ (48/50: 48 จาก 50)"
        ),
        "moved": "สถานะเปลี่ยน",
        "new": "ใหม่",
    },
}


def _w(lang: str, key: str) -> str:
    return SHEET_WORDS[lang][key]


def page_header(title: str, fiscal_year: int, as_of: Any, lang: str) -> str:
    """The printed page's header: group (or filters), fiscal year, as-of day."""
    return (
        f"{title} — {word(lang, 'fy')} {fiscal_year} — "
        f"{word(lang, 'as_of')} {day_text(as_of, lang)}"
    )


def status_legend(lang: str) -> list[tuple[str, str]]:
    """One legend cell per status, in its colour."""
    return [(key, text) for key, text in STATUS_WORDS[lang].items()]


def _unit(row: KeyResultRow) -> str:
    return "%" if row.unit == "percent" else row.unit_name


def _target(row: KeyResultRow, d: dict[str, Any], lang: str) -> Number:
    """The target in the words of ``text.target_text``: ``≤ 20 ราย``, ``100 % ทุกหน่วย``."""
    prefix = "≤ " if row.direction == "lower" else None
    unit = _unit(row) + (f" {word(lang, 'each')}" if row.is_share else "")
    return Number(d["target"], unit=unit, prefix=prefix)


def _actual(row: KeyResultRow, d: dict[str, Any], lang: str) -> Number:
    """The actual: in the key result's unit, or for share-at-target ``31 จาก 50``."""
    if row.is_share:
        return Number(d["actual"], unit=f"{word(lang, 'of')} {row.allocated}", decimals=0)
    return Number(d["actual"], unit=_unit(row))


def _expected(row: KeyResultRow, d: dict[str, Any], lang: str) -> Number:
    """Expected by now, rounded as ``text.expected_text`` rounds it; share-at-target: how many
    agencies are on track or done, ``ตามแผน 48/50``."""
    if row.is_share:
        on_track = word(lang, "on_track_of").split("{n}")[0]
        return Number(d["expected"], prefix=on_track, unit=f"/{row.allocated}", decimals=0)
    decimals = 0 if abs(row.target) >= 100 else 1
    return Number(d["expected"], unit=_unit(row), decimals=decimals)


def status_sheet(
    report: StatusReport, changes: ChangeReport | None = None, estimated: Estimated | None = None
) -> Sheet:
    """``status`` (every key result, or one agency's own rows with ``--agency``) as a sheet: one
    row per key result, the policy in a column of its own so that filtering keeps it. With
    ``changes`` (``status --since``): its rows only (``--changed-only`` may leave some out), each
    with its actual, percent and status on the since day, the change and ▲/▼ where it moved."""
    lang = report.scope.lang
    s = report.scope
    own = report.agency_name is not None
    since = {id(c.row): c.since for c in changes.rows} if changes is not None else {}
    then = day_text(changes.since, lang) if changes is not None else ""
    # (column, cell of a row): the printed columns first, the rest right of the print area
    fields: list[tuple[Column, Any]] = [
        (Column(word(lang, "key_result"), width=34), _title),
    ]
    if changes is None and not own:
        fields.append((Column(_w(lang, "host"), width=16), lambda r, d: r.host_name))
    if changes is None:
        fields += [
            (Column(word(lang, "target"), "number"), lambda r, d: _target(r, d, lang)),
        ]
    fields += [
        (Column(word(lang, "actual"), "number"), lambda r, d: _actual(r, d, lang)),
        (Column(word(lang, "percent"), "percent"), lambda r, d: d["percent"]),
    ]
    if changes is None:
        fields.append(
            (Column(expected_header(s, lang), "number"), lambda r, d: _expected(r, d, lang))
        )
    fields.append(
        (Column(word(lang, "status"), "status"), lambda r, d: _mark(r.status, lang)),
    )
    if changes is not None:
        fields += [
            (
                Column(_w(lang, "then_percent").format(day=then), "percent"),
                lambda r, d: since[id(r)].to_dict()["percent"],
            ),
            (
                Column(_w(lang, "change"), "number", signed=True),
                lambda r, d: _change(r, since[id(r)], lang),
            ),
            (
                Column(_w(lang, "change_points"), "number", decimals=1, signed=True),
                lambda r, d: _points(since[id(r)], lang),
            ),
            (Column(_w(lang, "moved"), width=18), lambda r, d: _moved(r, since[id(r)], lang)),
        ]
    # an agency's own rows: the city's status and % of target beside them (on the sheet only
    # with --since, whose change columns fill the page)
    city: list[tuple[Column, Any]] = [
        (
            Column(_w(lang, "city_status"), "status", printed=changes is None),
            lambda r, d: _mark(r.city.status, lang) if r.city else None,
        ),
        (
            Column(_w(lang, "city_percent"), "percent", printed=changes is None),
            lambda r, d: r.city.to_dict()["percent"] if r.city else None,
        ),
    ]
    if own:
        fields.append(
            (Column(reported_header(s, lang), width=12), lambda r, d: reported_text(r, lang))
        )
        if changes is None:
            fields += city
    elif changes is None:
        fields.append((Column(reported_header(s, lang), "number"), lambda r, d: d["reported"]))
    if estimated is not None:
        fields.append(
            (
                Column(estimated_header(lang), "number" if not own else "text"),
                lambda r, d: estimated_cell(estimated, r, lang),
            )
        )
    if own and changes is not None:
        fields += city
    # on the sheet, not on the printed page
    fields += [
        (Column(_w(lang, "policy"), printed=False), lambda r, d: r.policy_title),
        (Column(_w(lang, "id"), printed=False), lambda r, d: r.key_result),
    ]
    if changes is not None or own:
        fields.append((Column(_w(lang, "host"), printed=False), lambda r, d: r.host_name))
    if changes is not None:
        fields += [
            (
                Column(word(lang, "target"), "number", printed=False),
                lambda r, d: _target(r, d, lang),
            ),
            (
                Column(expected_header(s, lang), "number", printed=False),
                lambda r, d: _expected(r, d, lang),
            ),
            (
                Column(_w(lang, "then_actual").format(day=then), "number", printed=False),
                lambda r, d: _then_actual(r, since[id(r)], lang),
            ),
            (
                Column(_w(lang, "then_status").format(day=then), "status", printed=False),
                lambda r, d: _then_status(since[id(r)], lang),
            ),
        ]
        if not own:
            fields.append(
                (
                    Column(reported_header(s, lang), "number", printed=False),
                    lambda r, d: d["reported"],
                )
            )
    if not own:
        fields += [
            (Column(_w(lang, "allocated"), "number", printed=False), lambda r, d: d["allocated"]),
            (Column(_w(lang, "stale"), "number", printed=False), lambda r, d: d["stale"]),
            *[
                (
                    Column(word(lang, b), "number", printed=False),
                    lambda r, d, b=b: (d["districts"] or {}).get(b),
                )
                for b in BAND_WORDS["en"]
            ],
        ]
    columns = [column for column, _ in fields]
    rows = []
    for row in report.rows if changes is None else [c.row for c in changes.rows]:
        d = row.to_dict()
        cells = [cell(row, d) for _, cell in fields]
        rows.append(Row(cells, "child" if row.parent else "data"))
    h = report.header()
    return Sheet(
        name=_w(lang, "status_sheet"),
        header=status_header(report, lang),
        tables=[Table(columns, rows, freeze_columns=1, title_column=0)],
        legend=status_legend(lang),
        legend_title=_w(lang, "legend"),
        footer=[
            *([] if rows else [word(lang, "none")]),
            legend_text(lang),
            *([estimated_line(lang)] if estimated is not None else []),
            definitions_line(lang),
        ],
        page_header=page_header(report.title, h["fiscal_year"], s.as_of, lang),
        lang=lang,
    )


def estimated_header(lang: str) -> str:
    """The header of the column that marks figures resting on estimated values."""
    return _w(lang, "estimated")


def estimated_line(lang: str) -> str:
    """What the estimated column means, under the table."""
    return _w(lang, "estimated_line")


def estimated_cell(estimated: Estimated, row: Any, lang: str) -> Any:
    """A city or zone row: how many of its agencies' figures rest on an estimated value
    (``48/50``); an agency's own row: ``estimated`` or nothing."""
    kr = row.key_result if isinstance(row.key_result, str) else row.key_result.key_result
    agency = getattr(row, "agency", None)
    if agency:
        return _w(lang, "estimated_word") if estimated.of(kr, agency) else None
    return Number(estimated.count(kr), unit=f"/{row.allocated}")


def _title(row: KeyResultRow, d: dict[str, Any]) -> str:
    return f"└ {row.title}" if row.parent else row.title


def _mark(status: str, lang: str) -> Mark:
    return Mark(status, status_word(status, lang))


def _change(row: KeyResultRow, s: Since, lang: str) -> Number | None:
    """The change of the actual since the day, signed, in the key result's unit (agencies for
    share-at-target)."""
    if s.new:
        return None
    unit = word(lang, "agencies") if row.is_share else _unit(row)
    return Number(s.to_dict()["change"], unit=unit, signed=True)


def _points(s: Since, lang: str) -> Number | None:
    if s.new:
        return None
    return Number(s.to_dict()["change_points"], unit=_w(lang, "points"), signed=True)


def _moved(row: KeyResultRow, s: Since, lang: str) -> str:
    if s.new:
        return _w(lang, "new")
    return status_move(row.status, s, lang) if s.moved else ""


def _then_actual(row: KeyResultRow, s: Since, lang: str) -> Number | None:
    if s.new:
        return None
    d = s.to_dict()
    if row.is_share:
        return Number(d["actual"], unit=f"{word(lang, 'of')} {row.allocated}", decimals=0)
    return Number(d["actual"], unit=_unit(row))


def _then_status(s: Since, lang: str) -> Mark | None:
    return _mark(s.status, lang) if s.status and not s.new else None


def _agency_number(table: AgencyTable, value: Any, share_zone: bool) -> Number:
    kr = table.key_result
    unit = "%" if kr.unit == "percent" and not share_zone else kr.unit_name
    if share_zone:
        unit = ""
    return Number(value, unit=unit or None)


def _agency_cells(table: AgencyTable, row: AgencyRow, lang: str) -> list[Any]:
    """A row of ``status --by``: the numbers of ``AgencyRow.to_dict``, the words of
    ``text.agency_cells``."""
    d = row.to_dict()
    share_zone = table.by == "zone" and table.key_result.is_share
    # a share-at-target zone counts districts: its target column is how many it counts
    target = d["count_target"] if d["count_target"] is not None else d["target"]
    cells: list[Any] = [row.name]
    if table.by != "zone":
        cells.append(row.zone_name)
    cells += [
        _agency_number(table, target, share_zone),
        _agency_number(table, d["actual"], share_zone),
        d["percent"],
    ]
    if table.by == "zone":
        bands = d["districts"] or {}
        cells += [d["reported"], d["allocated"], d["stale"]]
        cells += [bands.get(b) for b in BAND_WORDS["en"]]
    else:
        report = own_report_text(row, lang)
        cells += [Mark(row.band, band_word(row.band, lang)), report]
    cells.append(Mark(row.status, status_word(row.status, lang)))
    return cells


def _agency_columns(table: AgencyTable, scope: Any, lang: str) -> list[Column]:
    headers = agency_headers(table, scope, lang)
    kinds: list[Any]
    if table.by == "zone":
        # zone, target, actual, %, reported, allocated, stale, 4 bands, status
        kinds = ["text", "number", "number", "percent", "number", "number", "number"]
        kinds += ["number"] * 4 + ["status"]
        headers = [*headers[:5], _w(lang, "allocated"), _w(lang, "stale"), *headers[5:]]
    else:
        # name, zone, target, actual, %, band, reported, status
        kinds = ["text", "text", "number", "number", "percent", "status", "text", "status"]
    return [Column(h, k) for h, k in zip(headers, kinds, strict=True)]


def by_sheets(report: ByReport, estimated: Estimated | None = None) -> list[Sheet]:
    """``status --by district|zone|agency``: a sheet per key result, worst first, and with
    ``--by district`` a bar chart of how many districts are in each band; with ``estimated``
    each district's or agency's figure resting on an estimated value is marked."""
    lang = report.scope.lang
    s = report.scope
    head = by_header(report, lang)
    sheets = []
    for table in report.tables:
        kr = table.key_result
        columns = _agency_columns(table, s, lang)
        rows = [_agency_cells(table, r, lang) for r in table.rows]
        marked = estimated is not None and table.by != "zone"
        if marked:
            assert estimated is not None
            columns.append(Column(estimated_header(lang)))
            for cells, r in zip(rows, table.rows, strict=True):
                cells.append(
                    _w(lang, "estimated_word") if estimated.of(kr.key_result, r.agency) else None
                )
        tables = [Table(columns, [Row(cells) for cells in rows])]
        if table.by == "district" and kr.bands is not None:
            counts = kr.bands.to_dict()
            tables.append(
                Table(
                    [Column(word(lang, "band")), Column(_w(lang, "districts"), "number")],
                    [Row([Mark(b, band_word(b, lang)), counts[b]]) for b in BAND_WORDS["en"]],
                    caption=_w(lang, "distribution"),
                    charts=[
                        Chart(
                            "bar",
                            f"{kr.title}: {_w(lang, 'distribution')}",
                            categories=0,
                            series=[1],
                            y_title=_w(lang, "districts"),
                        )
                    ],
                )
            )
        sheets.append(
            Sheet(
                name=kr.key_result,
                header=[head[0], kr_line(kr, lang), *head[1:]],
                tables=tables,
                legend=status_legend(lang),
                legend_title=_w(lang, "legend"),
                footer=[*([estimated_line(lang)] if marked else []), definitions_line(lang)],
                page_header=page_header(report.title, s.fiscal_year, s.as_of, lang),
                lang=lang,
            )
        )
    return sheets


def missing_sheet(report: MissingReport) -> Sheet:
    """``missing``: one row per thing an agency owes, agencies in the chase list's order; the
    reason filled (no report: red, not bound: yellow)."""
    lang = report.scope.lang
    s = report.scope
    projects = any(i.reason == "no-project-report" for i in report.items)
    columns = [
        Column(word(lang, "agency"), width=18),
        Column(_w(lang, "reason"), "status", width=24),
        Column(_w(lang, "title_projects" if projects else "title"), width=36),
        Column(word(lang, "last_period")),
        Column(word(lang, "due"), "date"),
        Column(_w(lang, "when"), width=18),
        # on the sheet, not on the printed page
        Column(_w(lang, "agency_id"), printed=False),
        Column(word(lang, "zone"), printed=False),
        Column(_w(lang, "id"), printed=False),
        Column(_w(lang, "days_overdue_column"), "number", decimals=0, printed=False),
        Column(_w(lang, "due_in_column"), "number", decimals=0, printed=False),
        Column(_w(lang, "host"), printed=False),
    ]
    reasons = {
        "no-report": f"{word(lang, 'no-report')} {report.period}",
        "not-bound": word(lang, "not-bound"),
    }
    if projects:
        reasons["no-project-report"] = f"{word(lang, 'no-project-report')} {report.period}"
    rows = []
    for item in report.items:
        d = item.to_dict()
        rows.append(
            Row(
                [
                    d["name"],
                    Mark(item.reason, reasons[item.reason]),
                    d["policy_title"] if item.reason == "not-bound" else d["title"],
                    d["last_period"],
                    item.due,
                    _when(item, report.period, lang),
                    d["agency"],
                    d["zone_name"],
                    _item_id(item),
                    item.days_overdue or None,
                    item.due_in_days,
                    d["host_name"],
                ]
            )
        )
    return Sheet(
        name=_w(lang, "missing_sheet"),
        header=missing_header(report, lang),
        tables=[Table(columns, rows)],
        legend=list(reasons.items()),
        legend_title=_w(lang, "reasons"),
        footer=[*([] if rows else [word(lang, "nothing_missing")]), definitions_line(lang)],
        page_header=page_header(
            f"{word(lang, 'chase')} {report.period} — {report.title}",
            s.fiscal_year,
            s.as_of,
            lang,
        ),
        lang=lang,
    )


def _item_id(item: MissingItem) -> str | None:
    """The id a row names: the key result, the project or the policy not bound."""
    return {"no-report": item.key_result, "no-project-report": item.project}.get(
        item.reason, item.policy
    )


def _when(item: MissingItem, period: str, lang: str) -> str:
    """Due or overdue, in words (``due in 5 days``, ``26 days overdue``), as the terminal's
    chase list says it, without the date (a column of its own); empty without a due date."""
    text = due_text(item, period, lang)
    return "" if item.due is None else text.split(" · ", 1)[-1]
