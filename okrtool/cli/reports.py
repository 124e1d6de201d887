"""The reporting round trip on the command line: `report-template` and `import-reports`.

Thin: arguments in, a call into ``io.template_xlsx``/``imports.reports``, a rendering out. Heavy
modules are imported inside the commands so that `okrtool --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from okrtool.cli.app import DEFAULT_DATA, DataOption, app, fail, given, output_path
from okrtool.errors import OkrtoolError

if TYPE_CHECKING:
    from rich.console import Console

    from okrtool.imports.results import FileResult, ImportResult

#: `--agency all`: a template for every agency with a key result allocated that year.
ALL = "all"


#: The longest --wait for another import: a day.
MAX_WAIT = 86_400


def _seconds(value: float) -> float:
    """--wait's callback: a number of seconds from 0 to MAX_WAIT (not -1, nan or inf)."""
    if not 0 <= value <= MAX_WAIT:  # False for nan too
        raise typer.BadParameter(f"{value:g} is not a number of seconds from 0 to {MAX_WAIT:,}")
    return value


def _console() -> Console:
    from rich.console import Console

    # colour only on a terminal; a wide page when printing to a file or a pipe
    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)


@app.command("report-template")
def report_template(
    agency: Annotated[
        str,
        typer.Option(
            "--agency",
            "-a",
            help="The agency: id, name or abbreviation (bang-rak, บางรัก, สสล.), or 'all' for "
            "every agency with a key result allocated in the period's fiscal year.",
            show_default=False,
            callback=given,
        ),
    ],
    period: Annotated[
        str,
        typer.Option(
            "--period",
            "-p",
            help="The reporting period: 2567-06 or FY2567-Q3 (also มิ.ย. 67, June 2024, Q3/2567).",
            show_default=False,
            callback=given,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The .xlsx to write; with --agency all, the folder to write into. "
            "Default: <agency>-<period>.xlsx in the current folder.",
            show_default=False,
            parser=output_path,
            metavar="<path>",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write over a workbook already there (it may have been filled in)."
        ),
    ] = False,
    data: DataOption = DEFAULT_DATA,
) -> None:
    """Write the report workbook an agency fills in for one period: a row for every key result
    allocated to it, its own target, what it reported so far and a column to fill in.

    Exit 0 when written; 1 when the agency has nothing to report on or the data has errors; 2
    on a usage error or an output path that cannot be written (a workbook already there,
    without --force).
    """
    from okrtool.io.template_xlsx import make_templates

    if agency.strip().lower() == ALL:  # ALL, All: no agency is named so
        agency = ALL
    try:
        written = make_templates(data, agency, period, output, every=agency == ALL, force=force)
    except OkrtoolError as exc:
        raise fail(exc) from None
    for path, rows in written:
        typer.echo(f"wrote {path} ({rows} key result{'s' if rows != 1 else ''})")


@app.command("import-reports")
def import_reports(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Workbooks (.xlsx), folders of workbooks, or globs like 'inbox/*.xlsx'.",
            show_default=False,
        ),
    ],
    data: DataOption = DEFAULT_DATA,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Change values already stored when a file says otherwise."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            "-n",
            help="Show what would be added, changed and left unchanged; write nothing.",
        ),
    ] = False,
    agency: Annotated[
        str | None,
        typer.Option(
            "--agency",
            "-a",
            help="The agency of a sheet that does not say (no template record, Agency column "
            "or 'หน่วยงาน:' line).",
            show_default=False,
            callback=given,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            help="The period of rows that do not say (no Period column or 'งวด:' line).",
            show_default=False,
            callback=given,
        ),
    ] = None,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            help="Seconds to wait for another import into the same data: 0 (do not wait) to "
            f"{MAX_WAIT:,}.",
            callback=_seconds,
        ),
    ] = 120.0,
) -> None:
    """Check report workbooks and merge them into data/reports/, or refuse them with the sheet,
    the cell and the reason. A refused file changes nothing.

    Exit 0 when every file was merged (or would be, with --dry-run); 1 when any was refused;
    2 on a usage error.
    """
    from okrtool.imports.paths import expand
    from okrtool.imports.reports import Options
    from okrtool.imports.reports import import_reports as run_import

    try:
        paths = expand(files)
        result = run_import(
            data,
            paths,
            Options(
                replace=replace, dry_run=dry_run, agency=agency, period=period, lock_timeout=wait
            ),
            on_wait=lambda message: typer.echo(message, err=True),
        )
    except OkrtoolError as exc:
        raise fail(exc) from None
    _render_import(result, _console())
    raise typer.Exit(result.exit_code)


def _render_import(result: ImportResult, console: Console) -> None:
    from rich.markup import escape
    from rich.table import Table

    from okrtool.imports.refusal import refusal_text

    for f in result.files:
        for note in f.notes:
            typer.echo(f"{f.name}: note: {note}")
        if f.refused:
            console.print(f"[bold red]REFUSED[/] {escape(f.name)} — nothing of it was written:")
            for p in f.refusals:
                typer.echo(refusal_text(p))
            continue
        for line in _change_lines(f, result.dry_run):
            typer.echo(line)
    table = Table(
        title="Dry run (nothing written)" if result.dry_run else "Import", title_justify="left"
    )
    headings = ("file", "agency", "period", "rows", "blank", "added", "changed", "unchanged")
    for heading in headings:
        table.add_column(heading, justify="right" if heading not in ("file", "agency") else "left")
    table.add_column("result")
    for f in result.files:
        counts = [str(len(f.added)), str(len(f.changed)), str(len(f.unchanged))]
        if f.refused:
            counts = ["-", "-", "-"]
        status = (
            f"[red]refused ({len(f.refusals)})[/]" if f.refused else _verdict(f, result.dry_run)
        )
        table.add_row(
            escape(f.name),
            ", ".join(f.agencies),
            ", ".join(f.periods),
            str(f.rows_read),
            str(f.not_reported),
            *counts,
            status,
        )
    console.print(table)
    console.print(_summary(result))


def _verdict(f: FileResult, dry_run: bool) -> str:
    if f.refused:
        return f"[red]refused ({len(f.refusals)})[/]"
    if not f.added and not f.changed:
        return "nothing to change"
    return "[green]would merge[/]" if dry_run else "[green]merged[/]"


def _change_lines(f: FileResult, dry_run: bool) -> list[str]:
    """Changes are always shown (old → new); additions and unchanged values on a dry run."""
    lines = []
    if dry_run:
        lines += [f"{f.name}: + {c.agency} {c.key_result} {c.period} = {c.new}" for c in f.added]
    lines += [
        f"{f.name}: ~ {c.agency} {c.key_result} {c.period}: {c.old} → {c.new}" for c in f.changed
    ]
    if dry_run:
        lines += [f"{f.name}: = {c.agency} {c.key_result} {c.period} {c.new}" for c in f.unchanged]
    return lines


def _summary(result: ImportResult) -> str:
    merged = [f for f in result.files if not f.refused]
    refused = len(result.files) - len(merged)
    added = sum(len(f.added) for f in merged)
    changed = sum(len(f.changed) for f in merged)
    unchanged = sum(len(f.unchanged) for f in merged)
    verb = "Would merge" if result.dry_run else "Merged"
    text = (
        f"{verb} {len(merged):,} of {len(result.files):,} "
        f"file{'s' if len(result.files) != 1 else ''}: "
        f"{added:,} added, {changed:,} changed, {unchanged:,} unchanged."
    )
    if merged and not added and not changed:
        text += " Nothing to change: these values are stored already."
    whole = sum(f.refused_whole for f in result.files)
    if refused and not whole:
        text += f" Refused {refused}: fix the cells shown and import again."
    elif refused and refused == whole:
        which = "the file" if refused == 1 else "each file"
        text += (
            f" Refused {refused}: {which} as a whole, for the reason shown above; fix "
            f"{'it' if refused == 1 else 'them'} and import again."
        )
    elif refused:
        text += (
            f" Refused {refused}: fix the cells shown ({refused - whole} "
            f"file{'s' if refused - whole != 1 else ''}) and the files refused whole ({whole}), "
            "and import again."
        )
    dropped = sum(f.notes_not_stored for f in merged)
    if dropped:
        text += (
            f" {dropped} note{'s' if dropped != 1 else ''} on rows with no value "
            f"{'were' if dropped != 1 else 'was'} not stored."
        )
    if result.dry_run:
        text += " Dry run: nothing was written."
    return text
