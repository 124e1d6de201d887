"""Renderings of the progress rows: a rich table, CSV, JSON and Markdown of the same data.

A renderer takes rows from ``okrtool.progress`` and returns text; it never reads a file and never
computes a figure. Human formats (table, Markdown) print numbers with thousands separators and
percentages to one decimal; machine formats (JSON, CSV) carry the raw numbers and ids.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from okrtool.cells import csv_text
from okrtool.fiscal import day_text

if TYPE_CHECKING:  # rich and the row types only for annotations: import time stays low
    from rich.table import Table

    from okrtool.progress import (
        AgencyRow,
        AgencyTable,
        ByReport,
        KeyResultRow,
        MissingReport,
        StatusReport,
    )

FORMATS = ("table", "json", "csv", "markdown")
#: Table width when output is not a terminal and no width is given.
DEFAULT_WIDTH = 100
#: Below this width the status table leaves out the "expected by now" column ...
NARROW = 100
#: ... below this one the four district counts share one column ...
WIDE = 150
#: ... and below this one they are left out.
TINY = 90

# --- words --------------------------------------------------------------------------------------

_WORDS: dict[str, dict[str, str]] = {
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
        "no-report": "no report for",
        "not-bound": "not bound (no OKR target)",
        "chase": "Chase list for",
        "agencies": "agencies",
        "agencies_1": "agency",
        "reports_missing": "reports missing",
        "report_missing": "report missing",
        "as_of_day": "as of {day}",
        "not_bound": "not bound",
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
        "no-report": "ยังไม่รายงานงวด",
        "not-bound": "ยังไม่ผูก OKR",
        "chase": "รายการติดตามงวด",
        "agencies": "หน่วยงาน",
        "agencies_1": "หน่วยงาน",
        "reports_missing": "ยังไม่รายงาน",
        "report_missing": "ยังไม่รายงาน",
        "as_of_day": "ณ วันที่ {day}",
        "not_bound": "ยังไม่ผูก OKR",
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

_STATUS_WORDS = {
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
_BAND_WORDS = {
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
_STATUS_STYLES = {
    "done": "bold green",
    "on-track": "green",
    "at-risk": "yellow",
    "behind": "bold red",
    "no-data": "dim",
    "at-target": "green",
    "half-or-more": "yellow",
    "below-half": "red",
    "not-reported": "dim",
}


def _w(lang: str, key: str) -> str:
    return _WORDS[lang][key]


def count(n: int, lang: str, key: str) -> str:
    """``n`` things, the noun in the singular for one (``1 key result``, ``2 key results``);
    ``key`` names the plural, ``<singular key>_1`` the singular (Thai has one form)."""
    return f"{n:,} {_w(lang, key + '_1' if n == 1 else key)}"


def expected_header(scope: Any, lang: str) -> str:
    """ "Expected by now" on the day itself, else "Expected by 30 Jun 2024" (a past as-of)."""
    if scope.today is not None and scope.as_of == scope.today:
        return _w(lang, "expected")
    return _w(lang, "expected_by").format(day=day_text(scope.as_of, lang))


def reported_header(scope: Any, lang: str) -> str:
    """ "Reported for 2567-06": the period every agency should have reported for."""
    if scope.period is None:
        return _w(lang, "reported")
    return _w(lang, "reported_for").format(period=scope.period)


def reported_text(row: KeyResultRow, lang: str) -> str:
    """How many agencies reported for the period, and how many are stale: ``21/51 · 30 stale``;
    on one agency's row (``--agency``) ``yes``, ``last reported 2567-04`` or ``–``."""
    if row.agency is not None:
        return _own_report(row.reported > 0, row.stale > 0, row.last_period, lang)
    text = f"{row.reported}/{row.allocated}"
    return text + (f" · {row.stale} {_w(lang, 'stale')}" if row.stale else "")


def _own_report(reported: bool, stale: bool, last: str | None, lang: str) -> str:
    if reported:
        return last or _w(lang, "yes")
    if stale:
        return _w(lang, "last_reported").format(period=last)
    return "–"


def notes(scope: Any, lang: str) -> list[str]:
    """The scope's notes in ``lang``, each as a ``note:`` line."""
    return [f"{_w(lang, 'note')}: {n.text(lang)}" for n in scope.notes]


def legend_text(lang: str) -> str:
    """The status thresholds in a sentence, from the constants that decide them."""
    from okrtool.progress import AT_RISK_GAP, ON_TRACK_GAP

    return _w(lang, "legend").format(on=f"{ON_TRACK_GAP:g}", risk=f"{AT_RISK_GAP:g}")


def definitions_line(lang: str) -> str:
    """The footer that names the page where every figure is defined."""
    from okrtool.progress import DEFINITIONS

    return _w(lang, "definitions").format(page=DEFINITIONS)


# --- numbers and dates --------------------------------------------------------------------------


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


def _amount(row: KeyResultRow, x: float | None, decimals: int = 2) -> str:
    if row.unit == "percent" and x is not None:
        return f"{number(x, decimals)} %"
    return number(x, decimals)


def target_text(row: KeyResultRow, lang: str) -> str:
    """The target as a reader says it: ``200,000 trees``, ``100 % in each``, ``≤ 20 cases``."""
    sign = "≤ " if row.direction == "lower" else ""
    if row.is_share:
        return f"{sign}{_amount(row, row.target)} {_w(lang, 'each')}"
    if row.unit == "percent":
        return f"{sign}{_amount(row, row.target)}"
    return f"{sign}{number(row.target)} {row.unit_name}"


def actual_text(row: KeyResultRow, lang: str) -> str:
    """The actual: a number, or for share-at-target ``31 of 50`` agencies."""
    if row.actual is None:
        return "–"
    if row.is_share:
        return f"{number(row.actual)} {_w(lang, 'of')} {row.allocated}"
    return _amount(row, row.actual)


def expected_text(row: KeyResultRow, lang: str) -> str:
    """Where the time of year says the actual should be, rounded as a reader would; for
    share-at-target how many agencies are on track or done: ``on track 48/50``."""
    if row.is_share:
        return _w(lang, "on_track_of").format(n=number(row.expected, 0), of=row.allocated)
    return _amount(row, row.expected, 0 if abs(row.target) >= 100 else 1)


def city_text(row: KeyResultRow, lang: str) -> str:
    """The city row's figures beside an agency's own row: ``at risk, 57.1 %``."""
    if row.city is None:
        return ""
    return f"{status_word(row.city.status, lang)}, {percent(row.city.percent)}"


def status_word(status: str, lang: str) -> str:
    """A status in words (``on track``, ``ตามแผน``)."""
    return _STATUS_WORDS[lang][status]


def band_word(band: str, lang: str) -> str:
    """A district band in words (``at target``, ``ถึงเป้า``)."""
    return _BAND_WORDS[lang][band]


# --- header lines -------------------------------------------------------------------------------


def _status_header(report: StatusReport, lang: str) -> list[str]:
    s = report.scope
    h = report.header()
    start, end = (
        date.fromisoformat(h["fiscal_year_start"]),
        date.fromisoformat(h["fiscal_year_end"]),
    )
    counts = " · ".join(f"{n} {status_word(st, lang)}" for st, n in report.counts.items() if n)
    lines = [
        f"{report.title} — {_w(lang, 'fy')} {s.fiscal_year} ({day_text(start, lang)} – "
        f"{day_text(end, lang)}), {_w(lang, 'as_of')} {day_text(s.as_of, lang)}: "
        f"{percent(s.elapsed * 100)} {_w(lang, 'elapsed')}",
        count(len(report.rows), lang, "key_results")
        + (_w(lang, "own").format(agency=report.agency_name) if report.agency_name else "")
        + (f": {counts}" if counts else ""),
    ]
    e = report.edition
    if e is not None:
        name = e.name_th if lang == "th" else e.name_en
        lines.append(_w(lang, "edition").format(name=name, id=e.id, year=e.first_year))
    return lines + notes(s, lang)


# --- the rich table -----------------------------------------------------------------------------


def _console_text(
    parts: Sequence[Any], width: int | None, color: bool
) -> str:  # parts: str lines or rich renderables
    from rich.console import Console
    from rich.text import Text

    from okrtool.thaiwrap import wrap

    out = io.StringIO()
    console = Console(
        file=out,
        width=width or DEFAULT_WIDTH,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    for part in parts:
        if isinstance(part, str | Text):  # text (one style, as _styled makes it): wrapped here
            text = part if isinstance(part, Text) else Text(part)
            lines = wrap(text.plain, console.width)
            part = Text("\n".join(lines), style=text.style)
        console.print(part, soft_wrap=True)
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip("\n").split("\n"))


@dataclass
class _Line:
    """One table row: plain cells, and how to draw them."""

    cells: list[str]
    style: str = ""
    cell_styles: dict[int, str] = field(default_factory=dict)
    section: bool = False  # draw a rule above it


def _longest_word(text: str, thai: bool = False) -> int:
    """The width of the longest word: between spaces, or with ``thai`` Thai words apart."""
    from rich.cells import cell_len

    from okrtool.thaiwrap import thai_words

    words = text.split()
    if thai:
        words = [piece for word in words for piece in thai_words(word)]
    return max((cell_len(w) for w in words), default=0)


#: The flexible column (titles) wants this many cells before other columns wrap their cells.
FLEX_WANTED = 36


def fit_widths(
    headers: Sequence[str],
    lines: Sequence[_Line],
    width: int,
    flex: int = 0,
    nowrap: Sequence[int] = (),
    flex_min: int = 16,
) -> list[int]:
    """Column widths (without padding) that fit ``width`` with square borders: every column as
    wide as its content and its header's longest word, the ``flex`` column takes what is left;
    if that is too little, the other columns wrap their cells at spaces first, and if the
    flexible column still cannot hold its longest word, every column wraps between words."""
    from rich.cells import cell_len

    n = len(headers)
    avail = width - (3 * n + 1)  # a border and two spaces of padding a column, one border more
    natural, least = [], []
    for i, header in enumerate(headers):
        cells = [line.cells[i] for line in lines]
        natural.append(max([_longest_word(header), *(cell_len(c) for c in cells)]))
        wrap = _longest_word if i not in nowrap else cell_len
        least.append(max([_longest_word(header), *(wrap(c) for c in cells)]))
    # the flexible column may take up to half the room, or what it needs if less
    flex_natural = natural[flex]
    want = min(flex_natural, max(flex_min, min(avail // 2, FLEX_WANTED)))
    natural[flex] = least[flex] = 0
    widths = list(natural)
    # narrow the columns that gain most by wrapping, until the flexible column has its room
    for i in sorted(range(n), key=lambda i: least[i] - natural[i]):
        short = want - (avail - sum(widths))
        if short <= 0:
            break
        widths[i] = max(least[i], widths[i] - short)
    # a title folded mid-word is worse than a figure on two lines: narrow every other column to
    # its longest word (Thai words apart) until the flexible column holds its own longest word
    room = avail - sum(widths)
    need = min(want, max(_longest_word(line.cells[flex]) for line in lines))
    if room < need:  # (only then is the Thai segmenter needed here)
        need = min(need, max(_longest_word(line.cells[flex], thai=True) for line in lines))
    if room < need:
        fewest = [
            max([_longest_word(h, thai=True), *(_longest_word(x.cells[i], True) for x in lines)])
            for i, h in enumerate(headers)
        ]
        for i in sorted(set(range(n)) - {flex}, key=lambda i: fewest[i] - widths[i]):
            short = need - (avail - sum(widths))
            if short <= 0:
                break
            widths[i] = max(fewest[i], widths[i] - short)
    widths[flex] = max(min(avail - sum(widths), flex_natural), 4)
    # narrower than the columns' longest words: the widest columns give up what is missing and
    # fold their words (wrap does, at syllables), or rich would squeeze and fold them anywhere
    while sum(widths) > avail and max(widths) > 1:
        widths[widths.index(max(widths))] -= 1
    return widths


def _table(
    headers: Sequence[str],
    lines: Sequence[_Line],
    width: int,
    right: Sequence[bool],
    flex: int = 0,
    nowrap: Sequence[int] = (),
) -> Table:
    """A rich table with square borders whose columns fit ``width`` (see fit_widths)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from okrtool.thaiwrap import wrap

    widths = fit_widths(headers, lines, width, flex, nowrap)
    table = Table(box=box.SQUARE, header_style="bold")
    for i, header in enumerate(headers):
        table.add_column(
            "\n".join(wrap(header, widths[i])),
            width=widths[i],
            justify="right" if right[i] else "left",
            overflow="fold",
        )
    for line in lines:
        if line.section and table.row_count:
            table.add_section()
        table.add_row(
            *(
                Text("\n".join(wrap(cell, widths[i])), style=line.cell_styles.get(i, line.style))
                for i, cell in enumerate(line.cells)
            )
        )
    return table


def _styled(text: str, style: str | None):  # -> rich.text.Text
    from rich.text import Text

    return Text(text, style=style or "")


def _kr_title(row: KeyResultRow) -> str:
    return f"  └ {row.title}" if row.parent else f"  {row.title}"


def bands_text(row: KeyResultRow) -> str:
    """The district bands of a row as ``31/7/12/0``; empty if no district is allocated."""
    if row.bands is None:
        return ""
    return "/".join(str(n) for n in row.bands.to_dict().values())


def status_table(report: StatusReport, width: int | None = None, color: bool = False) -> str:
    """``okrtool status`` as a table: a row for each policy, its key results beneath it.

    The table always fits ``width``. Narrower than WIDE, the four district counts share one
    column; narrower than NARROW, "expected by now" is left out (the header gives the time of
    year); narrower than TINY, the district counts too (``--by district`` shows them).
    """
    lang = report.scope.lang
    width = width or DEFAULT_WIDTH
    with_expected = width >= NARROW
    any_bands = any(r.bands for r in report.rows)
    has_bands = width >= TINY and any_bands
    split_bands = width >= WIDE
    headers = [_w(lang, k) for k in ("key_result", "target", "actual", "percent")]
    if with_expected:
        headers.append(expected_header(report.scope, lang))
    headers += [_w(lang, "status"), reported_header(report.scope, lang)]
    with_city = report.agency_name is not None
    if with_city:
        headers.append(_w(lang, "city"))
    if has_bands and split_bands:
        headers += [_w(lang, b) for b in _BAND_WORDS["en"]]
    elif has_bands:
        headers.append(_w(lang, "bands"))
    status_column = headers.index(_w(lang, "status"))
    lines: list[_Line] = []
    policy = None
    for row in report.rows:
        if row.policy != policy:
            policy = row.policy
            title = f"{row.policy_title} ({_w(lang, 'host')}: {row.host_name})"
            lines.append(_Line([title, *[""] * (len(headers) - 1)], "bold", section=True))
        cells = [_kr_title(row), target_text(row, lang), actual_text(row, lang)]
        cells.append(percent(row.percent))
        if with_expected:
            cells.append(expected_text(row, lang))
        cells += [status_word(row.status, lang), reported_text(row, lang)]
        if with_city:
            cells.append(city_text(row, lang))
        if has_bands and split_bands:
            b = row.bands.to_dict() if row.bands else {}
            cells += [str(b[k]) if b else "" for k in _BAND_WORDS["en"]]
        elif has_bands:
            cells.append(bands_text(row))
        lines.append(_Line(cells, cell_styles={status_column: _STATUS_STYLES[row.status]}))
    right = [i not in (0, status_column) for i in range(len(headers))]
    # actual, percent, status stay on one line; "on track 25/50" and "21/51 · 30 stale" may wrap
    nowrap = [2, 3, status_column]
    parts: list[Any] = list(_status_header(report, lang))
    if report.rows:
        table = _table(headers, lines, width, right, nowrap=nowrap)
        legend = legend_text(lang)
        if any_bands and not has_bands:
            legend += " " + _w(lang, "no_bands").format(width=TINY)
        parts += [table, _styled(legend, "dim"), _styled(definitions_line(lang), "dim")]
    else:
        parts.append(_w(lang, "none"))
    return _console_text(parts, width, color)


# --- status: CSV, JSON, Markdown ---------------------------------------------------------------


_ROW_FIELDS = (
    "policy",
    "key_result",
    "parent",
    "title",
    "host",
    "unit",
    "direction",
    "measure",
    "aggregate",
    "baseline",
    "target",
    "actual",
    "percent",
    "expected",
    "expected_percent",
    "status",
    "reported",
    "allocated",
    "districts_at_target",
    "districts_half_or_more",
    "districts_below_half",
    "districts_not_reported",
    "last_period",
    "period",
    "stale",
    "agency",
)


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    out = dict(d)
    districts = out.pop("districts", None) or {}
    for band in _BAND_WORDS["en"]:
        out["districts_" + band.replace("-", "_")] = districts.get(band, "")
    return out


def _csv(rows: list[dict[str, Any]], fields: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(fields), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        # names come from the data: a title '=HYPERLINK(…)' must not run when opened (cells.py)
        writer.writerow({k: "" if row.get(k) is None else csv_text(row[k]) for k in fields})
    return out.getvalue()


def _json(header: dict[str, Any], key: str, rows: list[dict[str, Any]]) -> str:
    return json.dumps({"header": header, key: rows}, ensure_ascii=False, indent=2)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---:" if r else "---" for r in right) + "|")
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def status_markdown(report: StatusReport) -> str:
    """``okrtool status`` as a Markdown table, for meeting notes and wikis."""
    lang = report.scope.lang
    header = _status_header(report, lang)
    own = report.agency_name is not None  # one agency's rows: the city column, no district counts
    headers = [
        _w(lang, "key_result"),
        _w(lang, "target"),
        _w(lang, "actual"),
        _w(lang, "percent"),
        expected_header(report.scope, lang),
        _w(lang, "status"),
        reported_header(report.scope, lang),
        *([_w(lang, "city")] if own else [_w(lang, b) for b in _BAND_WORDS["en"]]),
    ]
    rows = []
    for row in report.rows:
        b = row.bands.to_dict() if row.bands else {}
        title = f"└ {row.title}" if row.parent else f"**{row.policy_title}**: {row.title}"
        rows.append(
            [
                title,
                target_text(row, lang),
                actual_text(row, lang),
                percent(row.percent),
                expected_text(row, lang),
                status_word(row.status, lang),
                reported_text(row, lang),
                *(
                    [city_text(row, lang)]
                    if own
                    else [str(b[k]) if b else "" for k in _BAND_WORDS["en"]]
                ),
            ]
        )
    parts = [f"**{header[0]}**", "", *header[1:], ""]
    if rows:
        right = [False, *[True] * 4, False, True, *([False] if own else [True] * 4)]
        parts += [_md_table(headers, rows, right), ""]
        parts += [legend_text(lang), "", definitions_line(lang)]
    else:
        parts.append(_w(lang, "none"))
    return "\n".join(parts) + "\n"


def render_status(
    report: StatusReport, fmt: str, width: int | None = None, color: bool = False
) -> str:
    """``okrtool status`` in one of FORMATS."""
    rows = [r.to_dict() for r in report.rows]
    if fmt == "json":
        return _json(report.header(), "rows", rows)
    if fmt == "csv":
        return _csv([_flat(r) for r in rows], _ROW_FIELDS)
    if fmt == "markdown":
        return status_markdown(report)
    return status_table(report, width, color)


# --- status --by --------------------------------------------------------------------------------


def _by_header(report: ByReport, lang: str) -> list[str]:
    s = report.scope
    lines = [
        f"{report.title} — {_w(lang, 'fy')} {s.fiscal_year}, {_w(lang, 'as_of')} "
        f"{day_text(s.as_of, lang)}: {percent(s.elapsed * 100)} {_w(lang, 'elapsed')}"
    ]
    return lines + notes(s, lang)


def _kr_line(row: KeyResultRow, lang: str) -> str:
    return (
        f"{row.title} ({row.key_result}) — {_w(lang, 'target').lower()} "
        f"{target_text(row, lang)}, {_w(lang, 'actual').lower()} {actual_text(row, lang)} "
        f"({percent(row.percent)}), {status_word(row.status, lang)}; "
        f"{_w(lang, 'host')}: {row.host_name}; {_w(lang, 'reported_in')} "
        f"{reported_text(row, lang)}"
    )


def _agency_cells(table: AgencyTable, row: AgencyRow, lang: str) -> list[str]:
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
        stale = f" · {row.stale} {_w(lang, 'stale')}" if row.stale else ""
        cells.append(f"{row.reported}/{row.allocated}{stale}")
        cells += [str(b.get(k, "")) for k in _BAND_WORDS["en"]]
    else:
        report = _own_report(row.reported > 0, row.stale > 0, row.last_period, lang)
        cells += [band_word(row.band, lang), report]
    cells.append(status_word(row.status, lang))
    return cells


def _agency_headers(table: AgencyTable, scope: Any, lang: str) -> list[str]:
    first = _w(lang, "zone" if table.by == "zone" else table.by)
    headers = [first]
    if table.by != "zone":
        headers.append(_w(lang, "zone"))
    target = _w(lang, "target")
    if table.by == "zone" and table.key_result.is_share:
        target = f"{_w(lang, 'target')} ({_w(lang, 'agencies')})"
    headers += [target, _w(lang, "actual"), _w(lang, "percent")]
    if table.by == "zone":
        headers += [reported_header(scope, lang), *[_w(lang, b) for b in _BAND_WORDS["en"]]]
    else:
        headers += [_w(lang, "band"), reported_header(scope, lang)]
    headers.append(_w(lang, "status"))
    return headers


def render_by(
    report: ByReport,
    fmt: str,
    width: int | None = None,
    color: bool = False,
) -> str:
    """``okrtool status --by district|zone|agency`` in one of FORMATS: for each key result its
    agencies (or zones), worst first."""
    lang = report.scope.lang
    if fmt == "json":
        tables = [
            {"key_result": t.key_result.to_dict(), "rows": [r.to_dict() for r in t.rows]}
            for t in report.tables
        ]
        return _json(report.header(), "tables", tables)
    if fmt == "csv":
        rows = []
        for t in report.tables:
            for r in t.rows:
                rows.append({"key_result": t.key_result.key_result, **_flat(r.to_dict())})
        fields = [
            "key_result",
            "agency",
            "name",
            "zone",
            "zone_name",
            "target",
            "actual",
            "percent",
            "band",
            "status",
            "reported",
            "allocated",
            "last_period",
            *("districts_" + b.replace("-", "_") for b in _BAND_WORDS["en"]),
            "report",
            "stale",
            "expected",
            "count_target",
        ]
        return _csv(rows, fields)
    header = _by_header(report, lang)
    s = report.scope
    if fmt == "markdown":
        parts = [f"**{header[0]}**", *header[1:]]
        for t in report.tables:
            headers = _agency_headers(t, report.scope, lang)
            rows = [_agency_cells(t, r, lang) for r in t.rows]
            text = {*(_w(lang, k) for k in ("zone", "band", "status")), reported_header(s, lang)}
            right = [i > 0 and h not in text for i, h in enumerate(headers)]
            parts += ["", f"**{_kr_line(t.key_result, lang)}**", ""]
            parts.append(_md_table(headers, rows, right))
        return "\n".join(parts) + "\n"
    parts_t: list[Any] = list(header)
    if not report.tables:
        parts_t.append(_w(lang, "none"))
    text_columns = {*(_w(lang, k) for k in ("zone", "band", "status")), reported_header(s, lang)}
    for t in report.tables:
        headers = _agency_headers(t, s, lang)
        status_column = len(headers) - 1
        lines = [
            _Line(
                _agency_cells(t, r, lang),
                cell_styles={status_column: _STATUS_STYLES[r.status]},
            )
            for r in t.rows
        ]
        right = [i > 0 and h not in text_columns for i, h in enumerate(headers)]
        parts_t += ["", _styled(_kr_line(t.key_result, lang), "bold")]
        nowrap = [i for i, h in enumerate(headers) if i > 0 and h != _w(lang, "zone")]
        table = _table(headers, lines, width or DEFAULT_WIDTH, right, nowrap=nowrap)
        parts_t.append(table)
    if report.tables:
        parts_t.append(_styled(definitions_line(lang), "dim"))
    return _console_text(parts_t, width, color)


# --- missing ------------------------------------------------------------------------------------


_MISSING_FIELDS = (
    "agency",
    "name",
    "zone",
    "zone_name",
    "reason",
    "policy",
    "key_result",
    "title",
    "policy_title",
    "host",
    "host_name",
    "last_period",
)


def _missing_header(report: MissingReport, lang: str) -> list[str]:
    h = report.header()
    missing = _w(lang, "reports_missing" if h["no_report"] != 1 else "report_missing")
    stale = f" ({h['stale']} {_w(lang, 'stale')})" if h["stale"] else ""
    s = report.scope
    as_of = ""
    if s.today is None or s.as_of != s.today:
        as_of = ", " + _w(lang, "as_of_day").format(day=day_text(s.as_of, lang))
    lines = [
        f"{_w(lang, 'chase')} {report.period} ({_w(lang, 'fy')} {h['fiscal_year']}{as_of}) — "
        f"{report.title}: {count(h['agencies'], lang, 'agencies')}; "
        f"{h['no_report']} {missing}{stale}, {h['not_bound']} {_w(lang, 'not_bound')}"
    ]
    return lines + notes(s, lang)


def _missing_what(item: Any, period: str, lang: str) -> str:
    if item.reason == "no-report":
        last = ""
        if item.last_period:
            last = f" ({_w(lang, 'last_reported').format(period=item.last_period)})"
        return f"{_w(lang, 'no-report')} {period}: {item.title}{last}"
    return f"{_w(lang, 'not-bound')}: {item.policy_title}"


def render_missing(
    report: MissingReport,
    fmt: str,
    width: int | None = None,
    color: bool = False,
) -> str:
    """``okrtool missing`` in one of FORMATS: what each agency owes, grouped by agency."""
    lang = report.scope.lang
    items = [i.to_dict() for i in report.items]
    if fmt == "json":
        return _json(report.header(), "items", items)
    if fmt == "csv":
        return _csv(items, _MISSING_FIELDS)
    header = _missing_header(report, lang)
    headers = [_w(lang, "agency"), _w(lang, "zone"), _w(lang, "what"), _w(lang, "host")]
    grouped = report.by_agency()
    if fmt == "markdown":
        rows = []
        for _, group in grouped:
            for n, item in enumerate(group):
                first = n == 0
                rows.append(
                    [
                        f"{item.name} ({len(group)})" if first else "",
                        item.zone_name if first else "",
                        _missing_what(item, report.period, lang),
                        item.host_name,
                    ]
                )
        body = _md_table(headers, rows, [False] * 4) if rows else _w(lang, "nothing_missing")
        return "\n".join([f"**{header[0]}**", *header[1:], "", body]) + "\n"
    parts: list[Any] = list(header)
    if not grouped:
        parts.append(_w(lang, "nothing_missing"))
        return _console_text(parts, width, color)
    lines = []
    for _, group in grouped:
        for k, item in enumerate(group):
            first = k == 0
            lines.append(
                _Line(
                    [
                        f"{item.name} ({len(group)})" if first else "",
                        item.zone_name if first else "",
                        _missing_what(item, report.period, lang),
                        item.host_name,
                    ],
                    cell_styles={0: "bold"},
                    section=first,
                )
            )
    parts.append(_table(headers, lines, width or DEFAULT_WIDTH, [False] * 4, flex=2))
    return _console_text(parts, width, color)
