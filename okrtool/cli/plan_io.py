"""The planning round trip on the command line: `plan-template` and `import-plan`.

Thin: arguments in, a call into ``io.plan_template``/``imports.plan``, a rendering out. Heavy
modules (openpyxl, ruamel.yaml) are imported inside the commands so that `okrtool --help` and
`validate` stay fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from okrtool.cli.app import DEFAULT_DATA, DataOption, Lang, app, fail
from okrtool.errors import OkrtoolError

if TYPE_CHECKING:
    from okrtool.imports.plan import PlanImportResult


@app.command("plan-template")
def plan_template(
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy", "-p", help="The policy id: its host's workshop sheet.", show_default=False
        ),
    ] = None,
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            help="An agency id: a workshop sheet for every policy it hosts, into the folder -o "
            "(default: workshop-<host>/).",
            show_default=False,
        ),
    ] = None,
    agency: Annotated[
        str | None,
        typer.Option(
            "--agency",
            "-a",
            help="An agency id: its binding sheet (every key result it is H or R of).",
            show_default=False,
        ),
    ] = None,
    fiscal_year: Annotated[
        int | None,
        typer.Option(
            "--fy",
            help="Fiscal year, BE. Default: the policy's latest OKR's year (this year for a "
            "policy with none); for --agency the latest year with OKRs.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The .xlsx to write (a folder with --host). Default: <policy>-<fy>-workshop.xlsx "
            "or <agency>-<fy>-binding.xlsx in the current folder.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write over a workbook already there.")
    ] = False,
    data: DataOption = DEFAULT_DATA,
) -> None:
    """Write a planning workbook: the host's workshop sheet of a policy (its OKR and key
    results, each H and R agency's own target, the projects bound to it), or an agency's
    binding sheet (its own target and its own OKR's title on every key result it is H or R
    of). Fill it in and send it to 'okrtool import-plan'.

    Exit 0 when written; 1 when there is nothing to put on it (or the data has errors); 2 on a
    usage error or an output path that cannot be written (a workbook already there, without
    --force).
    """
    from okrtool.io.plan_template import make_plan_templates

    try:
        written = make_plan_templates(data, policy, host, agency, fiscal_year, output, force)
    except OkrtoolError as exc:
        raise fail(exc) from None
    for path, (rows, blank) in written:
        typer.echo(f"wrote {path} ({_rows_text(rows, blank, agency is None)})")


def _rows_text(rows: int, blank: int, workshop: bool) -> str:
    """What a plan sheet holds: ``17 rows``; ``1 key result, 2 blank rows for new ones``."""
    if not workshop:
        return f"{rows} row{'s' if rows != 1 else ''}"
    held = f"{rows} key result{'s' if rows != 1 else ''}" if rows else "no key result yet"
    return f"{held}, {blank} blank row{'s' if blank != 1 else ''} for new ones"


@app.command("import-plan")
def import_plan(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Workshop or binding sheets (.xlsx), folders of them, or globs.",
            show_default=False,
        ),
    ],
    data: DataOption = DEFAULT_DATA,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", "-n", help="Show the change; write nothing."),
    ] = False,
    lang: Annotated[
        Lang, typer.Option("--lang", help="Thai names with the English beside (th), or English.")
    ] = Lang.th,
    wait: Annotated[
        float,
        typer.Option("--wait", help="Seconds to wait for another import into the same data."),
    ] = 120.0,
) -> None:
    """Check workshop and binding sheets and write what they say into the policy files (their
    comments, key order and layout kept), or refuse them with the sheet, the cell and the
    reason. Every rule of 'okrtool validate' is run over the result first. A refused file
    changes nothing. Prints the change as 'okrtool diff' shows it.

    Exit 0 when every file was written (or would be, with --dry-run); 1 when any was refused;
    2 on a usage error.
    """
    from okrtool.imports.paths import expand
    from okrtool.imports.plan import PlanOptions
    from okrtool.imports.plan import import_plan as run_import

    try:
        paths = expand(files)
        result = run_import(
            data,
            paths,
            PlanOptions(dry_run=dry_run, lock_timeout=wait),
            on_wait=lambda message: typer.echo(message, err=True),
        )
    except OkrtoolError as exc:
        raise fail(exc) from None
    typer.echo(render_plan_import(result, str(data), lang.value), nl=False)
    raise typer.Exit(result.exit_code)


def render_plan_import(result: PlanImportResult, data: str, lang: str) -> str:
    """Notes and refusals, then the change as `okrtool diff` words it, then one line a file."""
    from okrtool.imports.refusal import refusal_text
    from okrtool.progress.diffmodel import PlanDiff, Side
    from okrtool.progress.plancompare import compare_plans
    from okrtool.progress.reportcompare import orphaned_reports
    from okrtool.render.diff import render_diff
    from okrtool.render.text import one_line

    out: list[str] = []
    for f in result.files:
        out += [f"{f.name}: note: {note}" for note in f.notes]  # as import-reports says them
        if f.refused:
            out.append(f"REFUSED {f.name} — nothing of it was written:")
            out += [refusal_text(p) for p in f.refusals]
    policies = compare_plans(result.before, result.after)
    orphans = orphaned_reports(result.before, result.after, data)
    if policies or orphans:
        diff = PlanDiff(data, Side("before", None), Side("after", None), policies, orphans)
        text = render_diff(diff, "text", lang).splitlines()
        out += text[1:]  # its header names git revisions; these are the files before and after
    for f in result.files:
        for agency, kr, title in f.bindings:
            out.append(f"{f.name}: bound {agency} → {kr}: {one_line(title)}")
    verb = "would write" if result.dry_run else "wrote"
    for f in result.files:
        if f.refused:
            state = f"refused ({len(f.refusals)})"
        elif f.changed:
            state = f"{verb} {', '.join(f'{data}/{rel}' for rel in f.changed)}"
        else:
            state = "nothing to change"
        what = f": {f.form} {f.subject}" if f.form else ""
        out.append(f"{f.name}{what}: {state}")
    if result.dry_run:
        out.append("Dry run: nothing was written.")
    return "\n".join(out) + "\n"
