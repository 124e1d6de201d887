"""`okrtool handbook`: the Action Plan handbook of one agency, or of every agency into a folder.

The rows come from ``okrtool.progress.handbook``, the Markdown, HTML and workbook from
``okrtool.render``, the files are written by ``okrtool.io.outfile``; each is imported inside the
command so that `okrtool --help` stays fast.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from okrtool.cli.app import DEFAULT_DATA, DataOption, Lang, app, fail, given, output_path
from okrtool.errors import OkrtoolError, UsageError

ALL = "all"


class HandbookFormat(StrEnum):
    md = "md"
    xlsx = "xlsx"
    html = "html"


#: The file name suffixes and the format each means.
SUFFIXES = {".md": "md", ".markdown": "md", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}


def _format_of(output: Path, given: HandbookFormat | None) -> str:
    """The format a file's suffix asks for; UsageError for a suffix that is none or disagrees
    with --format."""
    found = SUFFIXES.get(output.suffix.lower())
    if found is None:
        raise UsageError(
            f"--output {output}: found the suffix {output.suffix or '(none)'!r}, expected .md, "
            ".xlsx or .html (or, with --agency all, a folder)"
        )
    if given is not None and given.value != found:
        raise UsageError(f"--output {output} is .{found}, but --format is {given.value}")
    return found


@app.command()
def handbook(
    agency: Annotated[
        str,
        typer.Option(
            "--agency",
            "-a",
            help="The agency: id, name or abbreviation (bang-rak, บางรัก, สสล.); 'all' for every "
            "agency that hosts or supports a policy, into the folder -o.",
            show_default=False,
            callback=given,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The file to write: .md, .xlsx or .html, by its suffix; with --agency all, the "
            "folder to write one file per agency into. Default: Markdown on stdout.",
            show_default=False,
            parser=output_path,
            metavar="<path>",
        ),
    ] = None,
    fmt: Annotated[
        HandbookFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="md, xlsx or html: the format of the files --agency all writes (default md).",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            "--fy",
            help="Fiscal year, BE (2567). Default: the year of --as-of, or the latest earlier "
            "year that has OKRs.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The day the handbook is made as of, YYYY-MM-DD (picks the fiscal year). "
            "Default: today.",
            show_default=False,
            callback=given,
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option("--lang", help="Which language comes first: Thai (th) or English (en)."),
    ] = Lang.th,
    force: Annotated[bool, typer.Option("--force", help="Write over files already there.")] = False,
    allow_errors: Annotated[
        bool,
        typer.Option(
            "--allow-errors",
            help="Write even if the data has errors (validate's E codes); figures may be wrong.",
        ),
    ] = False,
    data: DataOption = DEFAULT_DATA,
) -> None:
    """The Action Plan handbook (คู่มือปฏิบัติงาน) of an agency: the policies it hosts, with every
    supporting agency's own target and reporting frequency, and the policies it supports, with
    its own target on each key result, unit, baseline, direction, how the value is counted and
    when its report is due; grouped by mission group and dimension, Thai and English.

    Exit 0 when written; 2 for a usage error or an output that cannot be written (a file already
    there, without --force); 1 if the data has errors.
    """
    from okrtool.io.outfile import check_file, check_files, check_folder, write_atomic
    from okrtool.progress import Query, open_dataset, parse_day, years_for
    from okrtool.progress.handbook import all_handbooks
    from okrtool.progress.handbook import handbook as handbook_rows
    from okrtool.render import render_handbook

    if agency.strip().lower() == ALL:  # ALL, All: no agency is named so
        agency = ALL
    try:
        query = Query(
            as_of=parse_day(as_of),
            fiscal_year=year,
            group=None,
            dimension=None,
            agency=None,
            policy=None,
            urgent=False,
            key_projects=False,
            lang=lang.value,
        )
        if agency == ALL:
            if output is None or output.suffix.lower() in SUFFIXES:
                raise UsageError(
                    "--agency all writes one file per agency: give a folder with -o DIR "
                    "(and --format md, xlsx or html)"
                )
            check_folder(output, data)
        elif output is None and fmt not in (None, HandbookFormat.md):
            raise UsageError(f"--format {fmt.value} writes a file: give one with -o FILE")
        chosen = (fmt.value if fmt else "md") if agency == ALL or output is None else ""
        if output is not None and agency != ALL:
            chosen = _format_of(output, fmt)
            check_file(output, force, data)
        ds, errors = open_dataset(data, allow_errors, years_for(query))
        if errors:
            typer.echo(
                f"okrtool: warning: {data} has {errors} error(s) (run 'okrtool validate'); "
                "the handbook may be wrong",
                err=True,
            )
        if agency == ALL:
            assert output is not None
            books = all_handbooks(ds, query)
            targets = [(output / f"{b.agency.id}.{chosen}", b) for b in books]
        else:
            book = handbook_rows(ds, agency, query)
            if output is None:
                typer.echo(render_handbook(book, "md", lang.value).decode("utf-8"), nl=False)
                return
            targets = [(output, book)]
        check_files([path for path, _ in targets], force)
        if agency == ALL:
            assert output is not None
            try:
                output.mkdir(exist_ok=True)
            except OSError as exc:
                raise UsageError(
                    f"--output {output}: cannot make the folder ({exc.strerror})"
                ) from None
        for path, book in targets:
            write_atomic(path, render_handbook(book, chosen, lang.value))
    except OkrtoolError as exc:
        raise fail(exc) from None
    if agency == ALL:
        typer.echo(f"wrote {len(targets)} handbooks into {output}/ ({chosen})")
    else:
        typer.echo(f"wrote {output}")
