"""The typer app, the options commands share, and the one place that turns errors into exit codes.

Every command module imports this one; this one imports none of them.

Heavy modules (pydantic, openpyxl, rich tables) are imported inside the commands that need them,
so that `okrtool --help` starts fast.
"""

from __future__ import annotations

import os
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from okrtool.errors import OkrtoolError

app = typer.Typer(
    name="okrtool",
    help=(
        "Policies, OKRs and who-does-what (host H, supporters R) for a city administration, "
        "kept as YAML and CSV files in git.\n\n"
        "Exit codes: 0 all well; 1 problems found or an input refused; 2 usage error or "
        "unreadable path."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: The data folder every command works on, unless told otherwise.
DEFAULT_DATA = Path(os.environ.get("OKRTOOL_DATA", "data"))

DataOption = Annotated[
    Path,
    typer.Option(
        "--data",
        "-d",
        help="The data folder (agencies/, policies/, reports/). Default: ./data or $OKRTOOL_DATA.",
        envvar="OKRTOOL_DATA",
        show_default=False,
    ),
]


class Lang(StrEnum):
    """The language of a table or account: Thai (the default) or English."""

    th = "th"
    en = "en"


def console(stderr: bool = False):  # -> rich.console.Console
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def fail(exc: OkrtoolError) -> typer.Exit:
    """Print a user error on stderr; return the Exit carrying its code."""
    typer.echo(f"okrtool: {exc}", err=True)
    return typer.Exit(exc.exit_code)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


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


def output_path(text: str) -> Path:
    """The value of ``--output`` as a path. An empty one is a usage error, not the current folder
    (``Path("")`` is ``.``): an unset shell variable must not send files into the working folder."""
    if not text:
        raise typer.BadParameter("an empty path; give a file or folder name ('.' for this folder)")
    return Path(text)


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of printing; a name ending in .xlsx writes a workbook.",
        show_default=False,
        parser=output_path,
        metavar="<path>",
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


def table_output(to_file: Path | None = None) -> tuple[int | None, bool]:
    """Width and colour of the table: colour only on a terminal and without NO_COLOR; written
    ``to_file`` (``-o``), the default width and no colour."""
    if to_file is not None:
        from okrtool.render import DEFAULT_WIDTH

        return DEFAULT_WIDTH, False
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((100, 24)).columns
    return width, color


def open_data(data, allow_errors: bool, years):  # -> Dataset
    from okrtool.progress import open_dataset

    ds, errors = open_dataset(data, allow_errors, years)
    if errors:
        typer.echo(
            f"okrtool: warning: {data} has {errors} error(s) (run 'okrtool validate'); "
            "the figures below may be wrong",
            err=True,
        )
    return ds


def main() -> None:
    """The console script: run the app, turning stray user errors into exit codes."""
    try:
        app()
    except OkrtoolError as exc:
        typer.echo(f"okrtool: {exc}", err=True)
        sys.exit(exc.exit_code)
