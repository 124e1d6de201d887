"""Renderings of the progress rows: one module per format, fed by the same row objects.

- ``text``: the words and numbers every human format shares (Thai and English);
- ``terminal``: rich tables that fit the terminal;
- ``markdown``: tables for meeting notes;
- ``csvjson``: CSV and JSON, raw numbers and ids;
- ``xlsx``: the workbook model and writer every command uses; ``sheets``: the status and
  missing reports as sheets.

A renderer takes rows from ``okrtool.progress`` and returns text; it never reads a file and never
computes a figure. Human formats (table, Markdown) print numbers with thousands separators and
percentages to one decimal; machine formats (JSON, CSV) carry the raw numbers and ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from okrtool.render import csvjson, markdown, terminal
from okrtool.render.terminal import DEFAULT_WIDTH
from okrtool.render.text import number, percent

if TYPE_CHECKING:
    from okrtool.progress import ByReport, MissingReport, StatusReport
    from okrtool.progress.changes import ChangeReport
    from okrtool.progress.estimated import Estimated
    from okrtool.progress.handbook import Handbook


__all__ = [
    "DEFAULT_WIDTH",
    "FORMATS",
    "number",
    "percent",
    "render_by",
    "render_handbook",
    "render_missing",
    "render_status",
    "save_changes",
    "save_report",
]

FORMATS = ("table", "json", "csv", "markdown", "xlsx")


def render_status(
    report: StatusReport, fmt: str, width: int | None = None, color: bool = False
) -> str:
    """``okrtool status`` in one of FORMATS."""
    if fmt == "json":
        return csvjson.status_json(report)
    if fmt == "csv":
        return csvjson.status_csv(report)
    if fmt == "markdown":
        return markdown.status_markdown(report)
    return terminal.status_table(report, width, color)


def render_by(report: ByReport, fmt: str, width: int | None = None, color: bool = False) -> str:
    """``okrtool status --by district|zone|agency`` in one of FORMATS: for each key result its
    agencies (or zones), worst first."""
    if fmt == "json":
        return csvjson.by_json(report)
    if fmt == "csv":
        return csvjson.by_csv(report)
    if fmt == "markdown":
        return markdown.by_markdown(report)
    return terminal.by_table(report, width, color)


def render_missing(
    report: MissingReport, fmt: str, width: int | None = None, color: bool = False
) -> str:
    """``okrtool missing`` in one of FORMATS: what each agency owes, grouped by agency."""
    if fmt == "json":
        return csvjson.missing_json(report)
    if fmt == "csv":
        return csvjson.missing_csv(report)
    if fmt == "markdown":
        return markdown.missing_markdown(report)
    return terminal.missing_table(report, width, color)


def render_handbook(book: Handbook, fmt: str, lang: str) -> bytes:
    """An agency's Action Plan handbook as the bytes of a file: ``md``, ``html`` or ``xlsx``."""
    if fmt == "xlsx":
        from okrtool.render.handbook_xlsx import handbook_xlsx

        return handbook_xlsx(book, lang)
    if fmt == "html":
        from okrtool.render.handbook_html import handbook_html

        return handbook_html(book, lang).encode("utf-8")
    from okrtool.render.handbook_md import handbook_markdown

    return handbook_markdown(book, lang).encode("utf-8")


def save_report(
    report: StatusReport | ByReport | MissingReport,
    fmt: str,
    path: Path,
    width: int | None,
    estimated: Estimated | None = None,
) -> None:
    """Write ``report`` (of ``status``, ``status --by`` or ``missing``) to ``path`` in one of
    FORMATS: a workbook for ``xlsx``, else the text the command would print (a table
    ``width`` wide, default DEFAULT_WIDTH, without colour). The path was checked
    (``okrtool.io.outfile.output_format``); UsageError if writing fails all the same. A workbook
    marks the figures ``estimated`` names (``progress.estimated``)."""
    from okrtool.io.outfile import write_text
    from okrtool.progress import ByReport, MissingReport

    if fmt == "xlsx":
        from okrtool.render.sheets import by_sheets, missing_sheet, status_sheet
        from okrtool.render.xlsx_write import write_workbook

        if isinstance(report, ByReport):
            sheets = by_sheets(report, estimated)
        elif isinstance(report, MissingReport):
            sheets = [missing_sheet(report)]
        else:
            sheets = [status_sheet(report, estimated=estimated)]
        write_workbook(sheets, path, as_of=report.scope.as_of, title=report.title)
        return
    width = width or DEFAULT_WIDTH
    if isinstance(report, ByReport):
        text = render_by(report, fmt, width)
    elif isinstance(report, MissingReport):
        text = render_missing(report, fmt, width)
    else:
        text = render_status(report, fmt, width)
    write_text(path, text)


def save_changes(report: ChangeReport, path: Path, estimated: Estimated | None = None) -> None:
    """Write ``status --since`` (without ``--by``) as a workbook at ``path``: the status sheet
    with each row's figures on the since day and the change. UsageError if writing fails."""
    from okrtool.render.sheets import status_sheet
    from okrtool.render.xlsx_write import write_workbook

    sheet = status_sheet(report.now, report, estimated)
    write_workbook([sheet], path, as_of=report.scope.as_of, title=report.now.title)
