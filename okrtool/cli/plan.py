"""`okrtool diff`: what a change to the plan changes, between two git revisions of the data.

Thin: arguments in, ``plandiff.diff_revisions`` returns the diff, ``render_diff`` words it.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from okrtool.cli.app import DEFAULT_DATA, Lang, app, data_path, fail
from okrtool.errors import OkrtoolError


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command("diff")
def diff(
    rev_a: Annotated[
        str | None,
        typer.Argument(
            metavar="REV_A",
            help="The revision before the change. Default: the merge base of HEAD with main.",
            show_default=False,
        ),
    ] = None,
    rev_b: Annotated[
        str | None,
        typer.Argument(
            metavar="REV_B",
            help="The revision after the change. Default: the working tree, as it is now.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            "-f",
            help="text (for people), markdown (for a pull-request comment), json (for machines).",
        ),
    ] = DiffFormat.text,
    lang: Annotated[
        Lang, typer.Option("--lang", help="Thai names with the English beside (th), or English.")
    ] = Lang.th,
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            "-d",
            help="The data folder inside the repository. Default: ./data or $OKRTOOL_DATA.",
            envvar="OKRTOOL_DATA",
            show_default=False,
            parser=data_path,
            metavar="<folder>",
        ),
    ] = DEFAULT_DATA,
) -> None:
    """What a change to the plan changes: per policy, policies, OKRs and key results added,
    removed or renamed; targets, baselines, units, directions and titles changed (old → new, and
    by how much); allocations moved between agencies; H and R added or removed; the stored
    report values added, changed or removed (by file, agency, key result and period); and those
    that would be left with nothing to report on.

    With no revision: the merge base of HEAD with main against the working tree (a change
    request on a branch, uncommitted edits included). One revision: it against the working
    tree. Revisions are read with git (never checked out) and loaded as validate loads them; a
    side that does not validate is compared for what could be read, with its errors
    summarised first; a side whose plan does not load at all is named, with why, and only the
    report values are compared.

    Exit 0 when the comparison was made, changes or not; 1 when it was made but errors were
    found on the new side (its plan, or the report files of the years the change touches —
    every year when the old plan does not load whole: as 'okrtool validate' there would
    fail); 2 outside a git repository, for an unknown revision, without git, or for a usage
    error.
    """
    from okrtool.progress.plandiff import diff_revisions
    from okrtool.render.diff import render_diff

    try:
        result = diff_revisions(data, rev_a, rev_b)
    except OkrtoolError as exc:
        raise fail(exc) from None
    typer.echo(render_diff(result, fmt.value, lang.value), nl=False)
    raise typer.Exit(1 if result.new.errors else 0)
