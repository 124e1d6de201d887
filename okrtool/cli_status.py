"""`okrtool status` and `okrtool missing`: arguments in, progress rows out, a renderer prints them.

The figures come from ``okrtool.progress``; the text from ``okrtool.render``. Both are imported
inside the commands so that `okrtool --help` stays fast.
"""

from __future__ import annotations

import os
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from okrtool.cli import DEFAULT_DATA, DataOption, Lang, app, fail
from okrtool.errors import OkrtoolError

if TYPE_CHECKING:
    from okrtool.progress import Query


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


class By(StrEnum):
    district = "district"
    zone = "zone"
    agency = "agency"


GroupOption = Annotated[
    str | None,
    typer.Option(
        "--group",
        "-g",
        help="A mission group: its id (budget, quality-of-life, infrastructure) or Thai or "
        "English name, or a unique part of one (คุณภาพชีวิต).",
        show_default=False,
    ),
]
DimensionOption = Annotated[
    str | None,
    typer.Option(
        "--dimension", help="A dimension of the platform: id or name.", show_default=False
    ),
]
AgencyOption = Annotated[
    str | None,
    typer.Option(
        "--agency",
        "-a",
        help="Only policies this agency hosts (H) or supports (R): id, name or abbreviation.",
        show_default=False,
    ),
]
PolicyOption = Annotated[
    str | None,
    typer.Option(
        "--policy",
        "-p",
        help="One policy (id or title), or one key result by its id.",
        show_default=False,
    ),
]
FyOption = Annotated[
    int | None,
    typer.Option(
        "--fy",
        help="Fiscal year, BE (2567 = Oct 2023 – Sep 2024). Default: the year of --as-of, or "
        "the latest earlier year that has OKRs.",
        show_default=False,
    ),
]
UrgentOption = Annotated[
    bool, typer.Option("--urgent", help="Only urgent policies (นโยบายเร่งด่วน).")
]
KeyProjectsOption = Annotated[
    bool, typer.Option("--key-projects", help="Only policies marked as Key Projects.")
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="table (for people), json, csv, markdown (for meeting notes), or xlsx (a "
        "workbook for executives: give its name with -o).",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of printing; a name ending in .xlsx writes a workbook.",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="With -o: write over a file already there.")
]
LangOption = Annotated[
    Lang, typer.Option("--lang", help="Names and headings in Thai (th) or English (en).")
]
WidthOption = Annotated[
    int | None,
    typer.Option(
        "--width",
        help="Table width in characters. Default: the terminal's, or 100 when piped.",
        min=40,
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Judge as of this day, YYYY-MM-DD (a BE year like 2567-06-30 works too). Values "
        "for periods ending after it are not counted. Default: today.",
        show_default=False,
    ),
]
AllowErrorsOption = Annotated[
    bool,
    typer.Option(
        "--allow-errors",
        help="Print even if the data has errors (validate's E codes); figures may be wrong.",
    ),
]


def _output(to_file: Path | None = None) -> tuple[int | None, bool]:
    """Width and colour of the table: colour only on a terminal and without NO_COLOR; written
    ``to_file`` (``-o``), the default width and no colour."""
    if to_file is not None:
        from okrtool.render import DEFAULT_WIDTH

        return DEFAULT_WIDTH, False
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((100, 24)).columns
    return width, color


def _open(data, allow_errors: bool, years):  # -> Dataset
    from okrtool.progress import open_dataset

    ds, errors = open_dataset(data, allow_errors, years)
    if errors:
        typer.echo(
            f"okrtool: warning: {data} has {errors} error(s) (run 'okrtool validate'); "
            "the figures below may be wrong",
            err=True,
        )
    return ds


@app.command()
def status(
    group: GroupOption = None,
    dimension: DimensionOption = None,
    agency: AgencyOption = None,
    policy: PolicyOption = None,
    fy: FyOption = None,
    as_of: AsOfOption = None,
    urgent: UrgentOption = False,
    key_projects: KeyProjectsOption = False,
    by: Annotated[
        By | None,
        typer.Option(
            "--by",
            help="Instead, one table per key result with its districts, zones or agencies, "
            "worst first (use with --policy).",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Beside each row, its figure and status as of this day (the last meeting, "
            "YYYY-MM-DD), the change, a mark where the status moved, and who reported since.",
            show_default=False,
        ),
    ] = None,
    changed_only: Annotated[
        bool,
        typer.Option("--changed-only", help="With --since: only the rows whose status moved."),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    lang: LangOption = Lang.th,
    width: WidthOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    allow_errors: AllowErrorsOption = False,
    data: DataOption = DEFAULT_DATA,
) -> None:
    """Progress of every key result against its target, on track or not for the time of year.

    One row per key result under its policy: target, actual, percent of target, expected by
    now, status (done, on track, at risk, behind, no data), how many allocated agencies have
    reported for the period (and how many are stale), and how many districts are at their own
    target, at 50 % or more, below 50 %, or not reported. With --agency, every row is that
    agency's own (its allocation as the target) and the city's status is in a column of its
    own. With --since DAY, every row also shows its figures and status as of DAY (what
    `status --as-of DAY` printed), the change, and a mark where the status moved (▲ better,
    ▼ worse). The figures are defined in docs/definitions.md. With -o FILE.xlsx (or --format
    xlsx -o FILE): an Excel workbook. Exit 1 if the data has errors, 2 for a usage error.
    """
    from okrtool.outfile import output_format
    from okrtool.progress import Query, by_report, parse_day, status_report, years_for
    from okrtool.render import render_by, render_status, save_report

    try:
        query = Query(
            as_of=parse_day(as_of),
            fiscal_year=fy,
            group=group,
            dimension=dimension,
            agency=agency,
            policy=policy,
            urgent=urgent,
            key_projects=key_projects,
            lang=lang.value,
        )
        if since is not None or changed_only:
            _status_since(
                query, by, since, changed_only, fmt, width, allow_errors, data, output, force
            )
            return
        fmt_text = output_format(fmt.value, output, force)
        ds = _open(data, allow_errors, years_for(query))
        auto_width, color = _output()
        if by is None:
            report = status_report(ds, query)
            text = "" if output else render_status(report, fmt_text, width or auto_width, color)
        else:
            report = by_report(ds, query, by.value)
            text = "" if output else render_by(report, fmt_text, width or auto_width, color)
        if output is not None:
            save_report(report, fmt_text, output, width, _estimated(ds, report, fmt_text))
            text = f"wrote {output}"
    except OkrtoolError as exc:
        raise fail(exc) from None
    typer.echo(text, nl=not text.endswith("\n"))


def _estimated(ds, report, fmt: str):  # -> Estimated | None
    """Which figures a workbook marks as estimated (``progress.estimated``); None otherwise."""
    from okrtool.progress.estimated import estimated_figures

    if fmt != "xlsx":
        return None
    return estimated_figures(ds, report.scope.fiscal_year, report.scope.as_of)


def _status_since(
    query: Query,
    by: By | None,
    since: str | None,
    changed_only: bool,
    fmt: OutputFormat,
    width: int | None,
    allow_errors: bool,
    data,
    output: Path | None = None,
    force: bool = False,
) -> None:
    """``status --since``: the status rows with their change since an earlier day."""
    from okrtool.errors import UsageError
    from okrtool.outfile import output_format, write_text
    from okrtool.progress import change_by_report, change_report, parse_day, years_for
    from okrtool.render import save_changes
    from okrtool.render.changes import render_change_by, render_changes

    try:
        if since is None:
            raise UsageError("--changed-only needs --since DAY: the rows whose status moved since")
        fmt_text = output_format(fmt.value, output, force)
        if fmt_text == "xlsx" and by is not None:
            raise UsageError(
                f"--since with --by {by.value} has no workbook yet: write it with -o FILE.md (or "
                ".csv, .json), or --since without --by as a workbook"
            )
        day = parse_day(since, "--since")
        ds = _open(data, allow_errors, years_for(query))
        auto_width, color = _output(output)
        if by is None:
            report = change_report(ds, query, day, changed_only)
            if fmt_text == "xlsx" and output is not None:
                save_changes(report, output, _estimated(ds, report.now, fmt_text))
                typer.echo(f"wrote {output}")
                return
            text = render_changes(report, fmt_text, width or auto_width, color)
        else:
            by_changes = change_by_report(ds, query, by.value, day, changed_only)
            text = render_change_by(by_changes, fmt_text, width or auto_width, color)
        if output is not None:
            write_text(output, text)
            typer.echo(f"wrote {output}")
            return
    except OkrtoolError as exc:
        raise fail(exc) from None
    typer.echo(text, nl=not text.endswith("\n"))


@app.command()
def missing(
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="The period to chase: a BE month (2567-06) or a quarter (FY2567-Q3). "
            "Default: the month of the latest period anyone reported on.",
            show_default=False,
        ),
    ] = None,
    group: GroupOption = None,
    dimension: DimensionOption = None,
    agency: AgencyOption = None,
    policy: PolicyOption = None,
    fy: FyOption = None,
    as_of: AsOfOption = None,
    urgent: UrgentOption = False,
    key_projects: KeyProjectsOption = False,
    fmt: FormatOption = OutputFormat.table,
    lang: LangOption = Lang.th,
    width: WidthOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    allow_errors: AllowErrorsOption = False,
    data: DataOption = DEFAULT_DATA,
) -> None:
    """The chase list: who has not reported for the period, and who has not bound an OKR.

    Lists, grouped by agency, every agency with an allocation on a key result that has not
    reported for the period (docs/definitions.md: a value whose period holds the period's last
    day; an older one is stale), and every supporting agency R of a policy with no allocation
    on any of its key results (not bound). Exit 1 if no key result of the year passes the
    filters (nothing to report on) or the data has errors, 2 for a usage error. With -o
    FILE.xlsx (or --format xlsx -o FILE): an Excel workbook.
    """
    from okrtool.outfile import output_format
    from okrtool.progress import Query, missing_report, parse_day, years_for
    from okrtool.render import render_missing, save_report

    try:
        fmt_text = output_format(fmt.value, output, force)
        query = Query(
            as_of=parse_day(as_of),
            fiscal_year=fy,
            group=group,
            dimension=dimension,
            agency=agency,
            policy=policy,
            urgent=urgent,
            key_projects=key_projects,
            lang=lang.value,
        )
        ds = _open(data, allow_errors, years_for(query, period))
        report = missing_report(ds, query, period)
        if output is not None:
            save_report(report, fmt_text, output, width)
            text = f"wrote {output}"
        else:
            auto_width, color = _output()
            text = render_missing(report, fmt_text, width or auto_width, color)
    except OkrtoolError as exc:
        raise fail(exc) from None
    typer.echo(text, nl=not text.endswith("\n"))
