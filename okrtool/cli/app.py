"""The typer app, the options commands share, and the one place that turns errors into exit codes.

Every command module imports this one; this one imports none of them.

Heavy modules (pydantic, openpyxl, rich tables) are imported inside the commands that need them,
and ``invoke`` runs ``command_group``, whose commands are built only when used (``cli/group.py``),
so that `okrtool --help` starts fast.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from okrtool.cli.group import LazyCommands, LazyGroup, command_name
from okrtool.errors import OkrtoolError

app = typer.Typer(
    cls=LazyGroup,
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


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"okrtool {version('okrtool')}")
        raise typer.Exit()


@app.callback()
def _options(
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print okrtool's version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Policies, OKRs and who-does-what (host H, supporters R) for a city administration."""


#: The data folder every command works on, unless told otherwise: ./data, or $OKRTOOL_DATA as
#: written (an empty one is refused by ``data_path``, as click takes an empty variable as unset).
DEFAULT_DATA = os.environ.get("OKRTOOL_DATA", "data")


def data_path(text: str | Path) -> Path:
    """The value of ``--data`` (or of PATH, or $OKRTOOL_DATA) as a path. An empty one is a usage
    error, not the current folder (``Path("")`` is ``.``): an unset shell variable or an empty
    $OKRTOOL_DATA must not make the working folder the data."""
    if isinstance(text, str) and not text.strip():
        raise typer.BadParameter(
            "an empty path; give the data folder, like data/ ('.' for this folder; is "
            "$OKRTOOL_DATA or a shell variable empty?)"
        )
    return Path(text)


def default_data() -> Path:
    """The default data folder as a path, for a command that has no --data option of its own
    (schema) or makes it optional (validate): UsageError if $OKRTOOL_DATA is set and empty."""
    from okrtool.errors import UsageError

    if not DEFAULT_DATA.strip():
        raise UsageError(
            "$OKRTOOL_DATA is set and empty; set it to the data folder (like data/), or unset it"
        )
    return Path(DEFAULT_DATA)


DataOption = Annotated[
    Path,
    typer.Option(
        "--data",
        "-d",
        help="The data folder (agencies/, policies/, reports/). Default: ./data or $OKRTOOL_DATA.",
        envvar="OKRTOOL_DATA",
        show_default=False,
        parser=data_path,
        metavar="<folder>",
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


def given(param: typer.CallbackParam, value: str | None) -> str | None:
    """The callback of every option whose value names something: an empty value is refused, as
    it would otherwise mean no filter at all (``--group ''``) or match all (``--host ''``)."""
    if value is not None and not value.strip():
        optional = param.param_type_name == "option" and not param.required
        raise typer.BadParameter(
            "the value is empty: give one" + (", or leave the option out" if optional else "")
        )
    return value


GroupOption = Annotated[
    str | None,
    typer.Option(
        "--group",
        "-g",
        help="A mission group: its id (budget, quality-of-life, infrastructure) or Thai or "
        "English name, or a unique part of one (คุณภาพชีวิต).",
        show_default=False,
        callback=given,
    ),
]
DimensionOption = Annotated[
    str | None,
    typer.Option(
        "--dimension",
        help="A dimension of the platform: id or name.",
        show_default=False,
        callback=given,
    ),
]
AgencyOption = Annotated[
    str | None,
    typer.Option(
        "--agency",
        "-a",
        help="Only policies this agency hosts (H) or supports (R): id, name or abbreviation.",
        show_default=False,
        callback=given,
    ),
]
PolicyOption = Annotated[
    str | None,
    typer.Option(
        "--policy",
        "-p",
        help="One policy (id or title), or one key result by its id.",
        show_default=False,
        callback=given,
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
    (``Path("")`` is ``.``): an unset shell variable must not send files into the working folder.
    ``-`` is refused too, for every command alike: a command prints when -o is left out, and
    some -o name a folder or a workbook, which standard output cannot be."""
    if not text:
        raise typer.BadParameter("an empty path; give a file or folder name ('.' for this folder)")
    if text == "-":  # not standard output: some -o write a folder or a workbook
        raise typer.BadParameter(
            "'-' is not standard output here; leave -o out to print, or write ./- for a file "
            "named '-'"
        )
    return Path(text)


def output_file(text: str) -> Path:
    """The value of an ``--output`` that names one file (status, missing, history, brief): as
    ``output_path``, and a name ending in '/' is refused, as it names a folder (``Path`` would
    drop the slash and write a file of that name)."""
    path = output_path(text)
    if text.endswith(("/", os.sep)):
        raise typer.BadParameter(
            f"{text} names a folder (it ends in '/'); this command writes one file: give a "
            f"file name in it, like {text}NAME"
        )
    return path


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of printing; a name ending in .xlsx writes a workbook, "
        ".csv, .json or .md that format.",
        show_default=False,
        parser=output_file,
        metavar="<path>",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="With -o: write over a file already there.")
]
LangOption = Annotated[
    Lang, typer.Option("--lang", help="Names and headings in Thai (th) or English (en).")
]
#: The narrowest table: --width's least, and the floor under a terminal's (or $COLUMNS') width.
MIN_WIDTH = 40

WidthOption = Annotated[
    int | None,
    typer.Option(
        "--width",
        help="Table width in characters. Default: the terminal's, or 100 when piped.",
        min=MIN_WIDTH,
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Judge as of this day, YYYY-MM-DD (a BE year like 2567-06-30 works too). Values "
        "for periods ending after it are not counted. Default: today. Days of the fiscal years "
        "2401–2700 BE (1857-10-01 to 2157-09-30).",
        show_default=False,
        callback=given,
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
    """Width and colour of the table: the terminal's width (or $COLUMNS), at least MIN_WIDTH;
    colour only on a terminal and without NO_COLOR; written ``to_file`` (``-o``), the default
    width and no colour."""
    if to_file is not None:
        from okrtool.render import DEFAULT_WIDTH

        return DEFAULT_WIDTH, False
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    # $COLUMNS=5 (or a terminal that narrow) would break every word onto its own line
    width = max(MIN_WIDTH, shutil.get_terminal_size((100, 24)).columns)
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


def command_group() -> LazyGroup:
    """The app as a click group whose commands are built when first used (``LazyGroup``): the
    group typer makes of ``app`` without its commands, given their records."""
    import copy

    from typer.main import get_group

    # typer builds every registered command into the group it makes: a shallow copy of the
    # app without them gives the group alone (its help, --version, settings), then the records
    bare = copy.copy(app)
    bare.registered_commands = []
    group = get_group(bare)
    infos = {command_name(info): info for info in app.registered_commands}
    group.commands = LazyCommands(infos, group.rich_markup_mode, app.pretty_exceptions_short)
    return group


def invoke(argv: list[str] | None = None) -> int:
    """Run the app on ``argv`` (default: the command line) and return its exit code: the one
    place that turns errors into exit codes. A user error (OkrtoolError) is one line on stderr
    with its code; an output that cannot be written (a full disk, ``> /dev/full``), or another
    path a command did not word itself, is one line and 2; a reader that closed the pipe
    (``okrtool rules | head -1``) is 0, quietly, as other Unix tools do; a standard output
    closed from the start (``>&-``) is one line and 2; Ctrl-C is 130, as the shell's. Anything
    else is a bug and keeps its traceback."""
    if sys.stdout is None:  # started with standard output closed (>&-): Python's None
        typer.echo("okrtool: cannot write the output: standard output is closed", err=True)
        return 2
    try:
        try:
            code = command_group()(args=argv, prog_name="okrtool", standalone_mode=False)
            sys.stdout.flush()  # a full stdout must fail here, not at exit where no one hears
        except typer.TyperException as exc:  # click's usage errors: their own text
            exc.show()
            return exc.exit_code
        except SystemExit as exc:
            # typer answers a closed pipe itself, with exit 1; a reader that went away is 0 here
            if exc.code == 1 and _reader_gone():
                _discard_stdout()
                return 0
            raise
        except typer.Abort:
            typer.echo("Aborted!", err=True)
            return 1
        except OkrtoolError as exc:
            typer.echo(f"okrtool: {exc}", err=True)
            return exc.exit_code
        except KeyboardInterrupt:  # Ctrl-C before typer's own handler is in place
            return 130
    except OSError as exc:
        _discard_stdout()
        if exc.errno == errno.EPIPE:
            return 0
        # a path a command did not turn into its own message, or (no file name) standard output
        where = exc.filename if exc.filename else "cannot write the output"
        typer.echo(f"okrtool: {where}: {exc.strerror or exc}", err=True)
        return 2
    return code if isinstance(code, int) else 0


def _reader_gone() -> bool:
    """True when standard output is a pipe whose reader has closed it (poll says POLLERR)."""
    import select

    try:
        poll = select.poll()
        poll.register(sys.__stdout__.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poll.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll, or no file descriptor
        return False


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so that what is left in its buffer is dropped at exit
    instead of failing a second time there (Python's advice for a broken pipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (an in-process test's stream)
        pass


def main() -> None:
    """The console script: run the app and exit with its code."""
    sys.exit(invoke())
