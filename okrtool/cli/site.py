"""`okrtool site`: arguments in, the site built as values (``okrtool.site.build``), written out
(``okrtool.site.write``). Jinja2 and the row builders are imported inside the command."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from okrtool.cli.app import (
    DEFAULT_DATA,
    AllowErrorsOption,
    AsOfOption,
    DataOption,
    app,
    fail,
    output_path,
)
from okrtool.errors import OkrtoolError


class SiteLang(StrEnum):
    """The site's language: Thai, English, or Thai with English beside it."""

    th = "th"
    en = "en"
    both = "both"


@app.command()
def site(
    out: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The folder to write the site into. It must be new, empty, or a site okrtool "
            "wrote before (it is replaced whole); anything else needs --force.",
            show_default=False,
            parser=output_path,
            metavar="<path>",
        ),
    ],
    as_of: AsOfOption = None,
    lang: Annotated[
        SiteLang,
        typer.Option("--lang", help="th, en, or both: Thai first with English beside it."),
    ] = SiteLang.both,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace the output folder even if okrtool did not write it."),
    ] = False,
    allow_errors: AllowErrorsOption = False,
    data: DataOption = DEFAULT_DATA,
) -> None:
    """Write the public progress site: static HTML pages and open data, from the same rows as
    status and missing.

    Pages: index.html (the year, urgent goals, mission groups and dimensions with counts by
    status), policies/<id>.html (each key result with target, actual, expected, status, a trend
    and a per-agency chart, where every figure comes from), agencies/<id>.html (what it hosts
    and supports, its own figures, its place in its zone, what it owes), missing.html, and
    data/ (CSV, JSON and datapackage.json). Links are relative and nothing is fetched from the
    network: open index.html from disk or publish the folder on any static host. The same data
    and --as-of give the same bytes. Exit 1 if the data has errors, 2 for a usage error or a
    folder that cannot be written.
    """
    from okrtool.io.outfile import check_replace
    from okrtool.progress import parse_day
    from okrtool.site.build import build_site
    from okrtool.site.write import MARKER, write_site

    try:
        check_replace(out, force, data, MARKER)
        built = build_site(data, parse_day(as_of), lang.value, allow_errors)
        count = write_site(built.pages, out, force, data)
    except OkrtoolError as exc:
        raise fail(exc) from None
    if built.errors:
        typer.echo(
            f"okrtool: warning: {data} has {built.errors} error(s) (run 'okrtool validate'); "
            "the figures on the site may be wrong",
            err=True,
        )
    typer.echo(f"wrote {count} files to {out}; open {out / 'index.html'}")
