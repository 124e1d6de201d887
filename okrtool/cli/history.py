"""`okrtool history`: a key result period by period, for the bi-monthly follow-up meeting.

Thin: arguments in, ``okrtool.progress.history_report`` returns the rows, a renderer prints them.
Heavy modules are imported inside the command so that `okrtool --help` stays fast.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from okrtool.cli.app import (
    DEFAULT_DATA,
    AllowErrorsOption,
    AsOfOption,
    DataOption,
    ForceOption,
    FormatOption,
    Lang,
    LangOption,
    OutputFormat,
    OutputOption,
    WidthOption,
    app,
    fail,
    given,
    open_data,
    table_output,
)
from okrtool.errors import OkrtoolError

#: The most fiscal years one history shows: more than any plan has, few enough to answer at once.
MAX_YEARS = 50


class HistoryBy(StrEnum):
    district = "district"
    agency = "agency"


@app.command()
def history(
    key_result: Annotated[
        str,
        typer.Argument(
            metavar="KEY_RESULT",
            help="The key result: its id (env-trees-planted) or its Thai or English title, or "
            "a unique part of one.",
            show_default=False,
            callback=given,
        ),
    ],
    agency: Annotated[
        str | None,
        typer.Option(
            "--agency",
            "-a",
            help="That agency's own values against its own allocation: id, name or abbreviation.",
            show_default=False,
            callback=given,
        ),
    ] = None,
    as_of: AsOfOption = None,
    years: Annotated[
        int,
        typer.Option(
            "--years",
            help=f"Show this many fiscal years, the as-of day's and those before it (the "
            f"policy's key result of each year): 1–{MAX_YEARS}.",
            min=1,
            max=MAX_YEARS,
        ),
    ] = 1,
    by: Annotated[
        HistoryBy | None,
        typer.Option(
            "--by",
            help="Instead, one line per district (or allocated agency) as of the as-of day, "
            "worst first, with its trend period by period.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    force: ForceOption = False,
    lang: LangOption = Lang.th,
    width: WidthOption = None,
    allow_errors: AllowErrorsOption = False,
    data: DataOption = DEFAULT_DATA,
) -> None:
    """A key result period by period: what was reported, the running figure, expected, status.

    One row per reporting period of the fiscal year of --as-of (its quarters if every value
    is for a quarter, else its months): the values reported in the period (the city's combined
    by the key result's aggregation rule), the actual at the period's end by the key result's
    own measure, expected by then (a straight line from the baseline to the target) and the
    status, each exactly what `okrtool status --as-of <the period's last day>` shows. Periods
    after the as-of day show only what is expected. The table ends with a sparkline of actual
    against expected. With -o FILE.xlsx (or --format xlsx -o FILE): a workbook with a line
    chart of the actual against the expected. Exit 1 if the data has errors, 2 for a usage
    error (an unknown key result or agency, --years outside 1–50).
    """
    from okrtool.errors import UsageError
    from okrtool.io.outfile import output_format, write_text
    from okrtool.progress import history_by_report, history_report, history_years, parse_day
    from okrtool.render.history import render_history, render_history_by

    try:
        if by is not None and (agency is not None or years > 1):
            raise UsageError(
                f"--by {by.value} shows every agency of one fiscal year; it does not go with "
                f"{'--agency' if agency is not None else '--years'} (run them apart)"
            )
        fmt_text = output_format(fmt.value, output, force, data)
        if fmt_text == "xlsx" and by is not None:
            raise UsageError(
                f"--by {by.value} has no workbook yet: write it with -o FILE.md (or .csv, .json), "
                "or the key result's history without --by as a workbook"
            )
        day = parse_day(as_of)
        ds = open_data(data, allow_errors, history_years(key_result, day, years))
        auto_width, color = table_output(output)
        if by is None:
            report = history_report(ds, key_result, day, agency, years, lang.value)
            if fmt_text == "xlsx" and output is not None:
                from okrtool.render.history_xlsx import write_history_xlsx

                write_history_xlsx(report, output)
                typer.echo(f"wrote {output}")
                return
            text = render_history(report, fmt_text, width or auto_width, color)
        else:
            by_report = history_by_report(ds, key_result, day, by.value, lang.value)
            text = render_history_by(by_report, fmt_text, width or auto_width, color)
        if output is not None:
            write_text(output, text)
            typer.echo(f"wrote {output}")
            return
    except OkrtoolError as exc:
        raise fail(exc) from None
    typer.echo(text, nl=not text.endswith("\n"))
