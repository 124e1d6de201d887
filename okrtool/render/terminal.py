"""The terminal rendering: rich tables that fit the width, Thai wrapped between words.

rich is imported inside the functions that draw, so that ``okrtool --help`` does not load it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from okrtool.render.text import (
    BAND_WORDS,
    actual_text,
    agency_cells,
    agency_headers,
    bands_text,
    by_header,
    city_text,
    definitions_line,
    due_text,
    expected_header,
    expected_text,
    kr_line,
    kr_title,
    legend_text,
    missing_header,
    missing_what,
    percent,
    reported_header,
    reported_text,
    status_header,
    status_word,
    target_text,
    word,
)

if TYPE_CHECKING:  # rich and the row types only for annotations: import time stays low
    from rich.table import Table

    from okrtool.progress import (
        ByReport,
        MissingReport,
        StatusReport,
    )


#: Table width when output is not a terminal and no width is given.
DEFAULT_WIDTH = 100


#: Below this width the status table leaves out the "expected by now" column ...
NARROW = 100


#: ... below this one the four district counts share one column ...
WIDE = 150


#: ... and below this one they are left out.
TINY = 90


STATUS_STYLES = {
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


def console_text(
    parts: Sequence[Any], width: int | None, color: bool
) -> str:  # parts: str lines or rich renderables
    from rich.console import Console
    from rich.text import Text

    from okrtool.render.thaiwrap import wrap

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
        if isinstance(part, str | Text):  # text (one style, as styled makes it): wrapped here
            text = part if isinstance(part, Text) else Text(part)
            lines = wrap(text.plain, console.width)
            part = Text("\n".join(lines), style=text.style)
        console.print(part, soft_wrap=True)
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip("\n").split("\n"))


@dataclass
class Line:
    """One table row: plain cells, and how to draw them."""

    cells: list[str]
    style: str = ""
    cell_styles: dict[int, str] = field(default_factory=dict)
    section: bool = False  # draw a rule above it


def _longest_word(text: str, thai: bool = False) -> int:
    """The width of the longest word: between spaces, or with ``thai`` Thai words apart."""
    from rich.cells import cell_len

    from okrtool.render.thaiwrap import thai_words

    words = text.split()
    if thai:
        words = [piece for word in words for piece in thai_words(word)]
    return max((cell_len(w) for w in words), default=0)


#: The flexible column (titles) wants this many cells before other columns wrap their cells.
FLEX_WANTED = 36


def fit_widths(
    headers: Sequence[str],
    lines: Sequence[Line],
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
    # (a key result with no district has a table of headers only: its longest word is none)
    need = min(want, max((_longest_word(line.cells[flex]) for line in lines), default=0))
    if room < need:  # (only then is the Thai segmenter needed here)
        need = min(
            need, max((_longest_word(line.cells[flex], thai=True) for line in lines), default=0)
        )
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


def rich_table(
    headers: Sequence[str],
    lines: Sequence[Line],
    width: int,
    right: Sequence[bool],
    flex: int = 0,
    nowrap: Sequence[int] = (),
) -> Table:
    """A rich table with square borders whose columns fit ``width`` (see fit_widths)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from okrtool.render.thaiwrap import wrap

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


def styled(text: str, style: str | None):  # -> rich.text.Text
    from rich.text import Text

    return Text(text, style=style or "")


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
    headers = [word(lang, k) for k in ("key_result", "target", "actual", "percent")]
    if with_expected:
        headers.append(expected_header(report.scope, lang))
    headers += [word(lang, "status"), reported_header(report.scope, lang)]
    with_city = report.agency_name is not None
    if with_city:
        headers.append(word(lang, "city"))
    if has_bands and split_bands:
        headers += [word(lang, b) for b in BAND_WORDS["en"]]
    elif has_bands:
        headers.append(word(lang, "bands"))
    status_column = headers.index(word(lang, "status"))
    lines: list[Line] = []
    policy = None
    for row in report.rows:
        if row.policy != policy:
            policy = row.policy
            title = f"{row.policy_title} ({word(lang, 'host')}: {row.host_name})"
            lines.append(Line([title, *[""] * (len(headers) - 1)], "bold", section=True))
        cells = [kr_title(row), target_text(row, lang), actual_text(row, lang)]
        cells.append(percent(row.percent))
        if with_expected:
            cells.append(expected_text(row, lang))
        cells += [status_word(row.status, lang), reported_text(row, lang)]
        if with_city:
            cells.append(city_text(row, lang))
        if has_bands and split_bands:
            b = row.bands.to_dict() if row.bands else {}
            cells += [str(b[k]) if b else "" for k in BAND_WORDS["en"]]
        elif has_bands:
            cells.append(bands_text(row))
        lines.append(Line(cells, cell_styles={status_column: STATUS_STYLES[row.status]}))
    right = [i not in (0, status_column) for i in range(len(headers))]
    # actual, percent, status stay on one line; "on track 25/50" and "21/51 · 30 stale" may wrap
    nowrap = [2, 3, status_column]
    parts: list[Any] = list(status_header(report, lang))
    if report.rows:
        table = rich_table(headers, lines, width, right, nowrap=nowrap)
        legend = legend_text(lang)
        if any_bands and not has_bands:
            legend += " " + word(lang, "no_bands").format(width=TINY)
        parts += [table, styled(legend, "dim"), styled(definitions_line(lang), "dim")]
    else:
        parts.append(word(lang, "none"))
    return console_text(parts, width, color)


def by_table(report: ByReport, width: int | None = None, color: bool = False) -> str:
    """``okrtool status --by …`` as a table per key result, its agencies (or zones) worst first."""
    lang = report.scope.lang
    s = report.scope
    parts: list[Any] = list(by_header(report, lang))
    if not report.tables:
        parts.append(word(lang, "none"))
    text_columns = {*(word(lang, k) for k in ("zone", "band", "status")), reported_header(s, lang)}
    for t in report.tables:
        headers = agency_headers(t, s, lang)
        status_column = len(headers) - 1
        lines = [
            Line(agency_cells(t, r, lang), cell_styles={status_column: STATUS_STYLES[r.status]})
            for r in t.rows
        ]
        right = [i > 0 and h not in text_columns for i, h in enumerate(headers)]
        parts += ["", styled(kr_line(t.key_result, lang), "bold")]
        nowrap = [i for i, h in enumerate(headers) if i > 0 and h != word(lang, "zone")]
        parts.append(rich_table(headers, lines, width or DEFAULT_WIDTH, right, nowrap=nowrap))
        if t.note:  # the departments the rows leave out and the key result counts
            parts.append(styled(t.note.text(lang), "dim"))
    if report.tables:
        parts.append(styled(definitions_line(lang), "dim"))
    return console_text(parts, width, color)


def missing_table(report: MissingReport, width: int | None = None, color: bool = False) -> str:
    """``okrtool missing`` as a table: what each agency owes, grouped by agency."""
    lang = report.scope.lang
    parts: list[Any] = list(missing_header(report, lang))
    grouped = report.by_agency()
    if not grouped:
        parts.append(word(lang, "nothing_missing"))
        return console_text(parts, width, color)
    headers = [word(lang, "agency"), word(lang, "zone"), word(lang, "what"), word(lang, "host")]
    lines = []
    for _, group in grouped:
        for k, item in enumerate(group):
            first = k == 0
            cells = [
                f"{item.name} ({len(group)})" if first else "",
                item.zone_name if first else "",
                missing_what(item, report.period, lang),
                item.host_name,
            ]
            if report.calendar and item.due is not None:  # under the item, in the wide column
                cells[2] += f"\n{word(lang, 'due')}: {due_text(item, report.period, lang)}"
            lines.append(Line(cells, cell_styles={0: "bold"}, section=first))
    parts.append(rich_table(headers, lines, width or DEFAULT_WIDTH, [False] * 4, flex=2))
    return console_text(parts, width, color)
