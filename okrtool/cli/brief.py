"""`okrtool brief`: arguments in, the host's brief (``okrtool.progress.brief``) out, written by the
renderer its file's suffix names."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from okrtool.cli.app import (
    DEFAULT_DATA,
    AllowErrorsOption,
    AsOfOption,
    DataOption,
    Lang,
    LangOption,
    app,
    fail,
    given,
    open_data,
    output_file,
)
from okrtool.errors import OkrtoolError


@app.command()
def brief(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="The host agency H whose policies the brief covers: id, name or abbreviation.",
            show_default=False,
            callback=given,
        ),
    ],
    as_of: AsOfOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="The day of the last meeting, YYYY-MM-DD (or BE): each row's change since "
            "then, and the notes typed since then. Default: no change, the notes of the period "
            "chased.",
            show_default=False,
            callback=given,
        ),
    ] = None,
    lang: LangOption = Lang.th,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the brief to this file: .md (Markdown), .xlsx (a workbook) or .json. "
            "Default: Markdown on standard output.",
            show_default=False,
            parser=output_file,
            metavar="<path>",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write over a file already there at -o FILE.")
    ] = False,
    allow_errors: AllowErrorsOption = False,
    data: DataOption = DEFAULT_DATA,
) -> None:
    """The host's follow-up brief for its bi-monthly meeting with its R agencies.

    Opens with a summary an executive reads in a minute: the host's key results by status and
    the five rows that need a decision. Then, per hosted policy and key result: the city figure
    and status (as status), its trend period by period (as history), every allocated agency's
    own figure against its own target and expected by now, worst first (as status --by
    agency), who has not reported for the period with days overdue (as missing), the notes
    typed with the values, and the projects bound with their status counts; with --since, each
    row's change since the last meeting (as status --since). The rules are in
    docs/meeting-brief.md. Exit 1 if the agency hosts no policy or the data has errors, 2 for a
    usage error (an unknown agency, an -o FILE that cannot be written).
    """
    from okrtool.io.outfile import check_file
    from okrtool.progress import Query, brief_report, parse_day, years_for
    from okrtool.render.brief import brief_suffix, render_brief, write_brief

    try:
        brief_suffix(output)  # a file okrtool cannot write is refused before any figure
        if output is not None:
            check_file(output, force, data)
        query = Query(as_of=parse_day(as_of), lang=lang.value)
        since_day = parse_day(since, "--since") if since is not None else None
        ds = open_data(data, allow_errors, years_for(query))
        report = brief_report(ds, query, host, since_day)
        if output is None:
            text = render_brief(report, ".md")
            typer.echo(text, nl=not text.endswith("\n"))
            return
        write_brief(report, output)
    except OkrtoolError as exc:
        raise fail(exc) from None
    typer.echo(f"wrote {output}", err=True)
