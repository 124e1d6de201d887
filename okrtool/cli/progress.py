"""`okrtool status` and `okrtool missing`: arguments in, progress rows out, a renderer prints them.

The figures come from ``okrtool.progress``; the text from ``okrtool.render``. Both are imported
inside the commands so that `okrtool --help` stays fast.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from okrtool.cli.app import (
    DEFAULT_DATA,
    AgencyOption,
    AllowErrorsOption,
    AsOfOption,
    DataOption,
    DimensionOption,
    ForceOption,
    FormatOption,
    FyOption,
    GroupOption,
    KeyProjectsOption,
    Lang,
    LangOption,
    OutputFormat,
    OutputOption,
    PolicyOption,
    UrgentOption,
    WidthOption,
    app,
    fail,
    given,
    open_data,
    table_output,
)
from okrtool.errors import OkrtoolError, UsageError

if TYPE_CHECKING:
    from okrtool.progress import Query


def filter_query(
    *,
    as_of: str | None,
    fy: int | None,
    group: str | None,
    dimension: str | None,
    agency: str | None,
    policy: str | None,
    urgent: bool,
    key_projects: bool,
    lang: Lang,
) -> Query:
    """The Query of the options ``status`` and ``missing`` share: the filters as typed, the
    fiscal year, the as-of day read by ``parse_day`` (today when not given), the language.
    UsageError for a day that is not one."""
    from okrtool.progress import Query, parse_day

    return Query(
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


class By(StrEnum):
    district = "district"
    zone = "zone"
    agency = "agency"


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
            callback=given,
        ),
    ] = None,
    changed_only: Annotated[
        bool,
        typer.Option("--changed-only", help="With --since: only the rows whose status moved."),
    ] = False,
    projects: Annotated[
        bool,
        typer.Option(
            "--projects",
            help="Instead, per agency: the OKRs bound, its projects by state (not started, in "
            "progress, done, cancelled) and those not reported for the period (with --agency "
            "or --host).",
        ),
    ] = False,
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            help="With --projects: the host and every agency bound to the policies it hosts.",
            show_default=False,
        ),
    ] = None,
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
    from okrtool.io.outfile import output_format
    from okrtool.progress import by_report, status_report, years_for
    from okrtool.render import render_by, render_status, save_report

    try:
        query = filter_query(
            as_of=as_of,
            fy=fy,
            group=group,
            dimension=dimension,
            agency=agency,
            policy=policy,
            urgent=urgent,
            key_projects=key_projects,
            lang=lang,
        )
        if projects or host is not None:
            if by is not None or since is not None or changed_only:
                raise UsageError("--projects takes no --by, --since or --changed-only")
            _status_projects(query, host, fmt, width, allow_errors, data, output, force)
            return
        if since is not None or changed_only:
            _status_since(
                query, by, since, changed_only, fmt, width, allow_errors, data, output, force
            )
            return
        fmt_text = output_format(fmt.value, output, force, data)
        ds = open_data(data, allow_errors, years_for(query))
        auto_width, color = table_output()
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


def _status_projects(
    query: Query,
    host: str | None,
    fmt: OutputFormat,
    width: int | None,
    allow_errors: bool,
    data: Path,
    output: Path | None,
    force: bool,
) -> None:
    """``status --projects``: per agency, its projects by state and those not reported."""
    from okrtool.io.outfile import output_format, write_text
    from okrtool.progress import years_for
    from okrtool.progress.projects import projects_report
    from okrtool.render.projects import render_projects

    if host is not None and query.agency is not None:
        raise UsageError("--projects takes --agency A or --host A, not both")
    fmt_text = output_format(fmt.value, output, force, data)
    if fmt_text == "xlsx":
        raise UsageError("status --projects has no workbook: write it with -o FILE.md, .csv, .json")
    ds = open_data(data, allow_errors, years_for(query))
    auto_width, color = table_output(output)
    text = render_projects(projects_report(ds, query, host), fmt_text, width or auto_width, color)
    if output is not None:
        write_text(output, text)
        text = f"wrote {output}"
    typer.echo(text, nl=not text.endswith("\n"))


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
    from okrtool.io.outfile import output_format, write_text
    from okrtool.progress import change_by_report, change_report, parse_day, years_for
    from okrtool.render import save_changes
    from okrtool.render.changes import render_change_by, render_changes

    try:
        if since is None:
            raise UsageError("--changed-only needs --since DAY: the rows whose status moved since")
        fmt_text = output_format(fmt.value, output, force, data)
        if fmt_text == "xlsx" and by is not None:
            raise UsageError(
                f"--since with --by {by.value} has no workbook yet: write it with -o FILE.md (or "
                ".csv, .json), or --since without --by as a workbook"
            )
        day = parse_day(since, "--since")
        ds = open_data(data, allow_errors, years_for(query))
        auto_width, color = table_output(output)
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
            callback=given,
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
    on any of its key results, or with no OKR of its own bound where the key result records
    bindings (not bound; due by the calendar's binding date). Exit 1 if no key result of the
    year passes the filters (nothing to report on) or the data has errors, 2 for a usage
    error. With -o FILE.xlsx (or --format xlsx -o FILE): an Excel workbook.
    """
    from okrtool.io.outfile import output_format
    from okrtool.progress import missing_report, years_for
    from okrtool.render import render_missing, save_report

    try:
        fmt_text = output_format(fmt.value, output, force, data)
        query = filter_query(
            as_of=as_of,
            fy=fy,
            group=group,
            dimension=dimension,
            agency=agency,
            policy=policy,
            urgent=urgent,
            key_projects=key_projects,
            lang=lang,
        )
        ds = open_data(data, allow_errors, years_for(query, period))
        report = missing_report(ds, query, period, projects=True)
        if output is not None:
            save_report(report, fmt_text, output, width)
            text = f"wrote {output}"
        else:
            auto_width, color = table_output()
            text = render_missing(report, fmt_text, width or auto_width, color)
    except OkrtoolError as exc:
        raise fail(exc) from None
    typer.echo(text, nl=not text.endswith("\n"))
