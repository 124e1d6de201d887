"""The Markdown rendering, for meeting notes and wikis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from okrtool.render.text import (
    BAND_WORDS,
    actual_text,
    agency_cells,
    agency_headers,
    by_header,
    city_text,
    definitions_line,
    due_text,
    expected_header,
    expected_text,
    kr_line,
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

if TYPE_CHECKING:
    from okrtool.progress import (
        ByReport,
        MissingReport,
        StatusReport,
    )


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---:" if r else "---" for r in right) + "|")
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def status_markdown(report: StatusReport) -> str:
    """``okrtool status`` as a Markdown table, for meeting notes and wikis."""
    lang = report.scope.lang
    header = status_header(report, lang)
    own = report.agency_name is not None  # one agency's rows: the city column, no district counts
    headers = [
        word(lang, "key_result"),
        word(lang, "target"),
        word(lang, "actual"),
        word(lang, "percent"),
        expected_header(report.scope, lang),
        word(lang, "status"),
        reported_header(report.scope, lang),
        *([word(lang, "city")] if own else [word(lang, b) for b in BAND_WORDS["en"]]),
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
                    else [str(b[k]) if b else "" for k in BAND_WORDS["en"]]
                ),
            ]
        )
    parts = [f"**{header[0]}**", "", *header[1:], ""]
    if rows:
        right = [False, *[True] * 4, False, True, *([False] if own else [True] * 4)]
        parts += [md_table(headers, rows, right), ""]
        parts += [legend_text(lang), "", definitions_line(lang)]
    else:
        parts.append(word(lang, "none"))
    return "\n".join(parts) + "\n"


def by_markdown(report: ByReport) -> str:
    """``okrtool status --by … --format markdown``: a table per key result."""
    lang = report.scope.lang
    s = report.scope
    header = by_header(report, lang)
    parts = [f"**{header[0]}**", *header[1:]]
    for t in report.tables:
        headers = agency_headers(t, s, lang)
        rows = [agency_cells(t, r, lang) for r in t.rows]
        text = {*(word(lang, k) for k in ("zone", "band", "status")), reported_header(s, lang)}
        right = [i > 0 and h not in text for i, h in enumerate(headers)]
        parts += ["", f"**{kr_line(t.key_result, lang)}**", ""]
        parts.append(md_table(headers, rows, right))
        if t.note:  # the departments the rows leave out and the key result counts
            parts += ["", t.note.text(lang)]
    return "\n".join(parts) + "\n"


def missing_markdown(report: MissingReport) -> str:
    """``okrtool missing --format markdown``: one table, the agency named on its first line;
    with a reporting calendar, each item's due date and days overdue."""
    lang = report.scope.lang
    header = missing_header(report, lang)
    headers = [word(lang, "agency"), word(lang, "zone"), word(lang, "what"), word(lang, "host")]
    if report.calendar:
        headers.append(word(lang, "due"))
    rows = []
    for _, group in report.by_agency():
        for n, item in enumerate(group):
            first = n == 0
            row = [
                f"{item.name} ({len(group)})" if first else "",
                item.zone_name if first else "",
                missing_what(item, report.period, lang),
                item.host_name,
            ]
            if report.calendar:
                row.append(due_text(item, report.period, lang))
            rows.append(row)
    if not rows:
        body = word(lang, "nothing_missing")
    else:
        body = md_table(headers, rows, [False] * len(headers))
    return "\n".join([f"**{header[0]}**", *header[1:], "", body]) + "\n"
