"""`okrtool validate`, `rules` and `schema`: the CI gate and what it checks."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from okrtool.cli.app import app, console, data_path, default_data, fail, output_path
from okrtool.errors import OkrtoolError, UsageError


class ProblemFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The data folder to check (or --data). Default: ./data or $OKRTOOL_DATA.",
            show_default=False,
            readable=False,  # validate says what it cannot read, in its own words
            parser=data_path,
        ),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            "-d",
            help="The data folder, as every command takes it; the same as PATH.",
            show_default=False,
            readable=False,
            parser=data_path,
            metavar="<folder>",
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too (W7xx), not only on errors.")
    ] = False,
    show_warnings: Annotated[
        bool,
        typer.Option(
            "--show-warnings",
            help="List every warning. By default (text and github formats, without --strict) "
            "a warning code with more than 3 warnings is one line or annotation: its count and "
            "first 3 places. json always lists every warning.",
        ),
    ] = False,
    fmt: Annotated[
        ProblemFormat,
        typer.Option(
            "--format",
            "-f",
            help="text: 'file:line:col: CODE message'; json: one document; "
            "github: GitHub Actions annotations. Files are named from the current folder.",
        ),
    ] = ProblemFormat.text,
) -> None:
    """Check the whole dataset and report every problem with its file and line (the CI gate).

    Every file and folder in the data folder (names starting with . aside) is read or named
    in an error (E106): one that cannot be read, or that is not a data file. Files are named
    from the current folder.
    In text and github formats, a warning code with more than 3 warnings is one line (one
    annotation), its count and first places (--show-warnings or --strict list each; json
    lists each always); errors are always listed one by one.
    Exit 0 when there is no error (and, with --strict, no warning); 1 when there are
    problems; 2 when the path is not a readable data folder, or PATH and --data differ.
    """
    from okrtool.problems import render_github, render_json, render_text
    from okrtool.rules.validate import validate as run_validate

    try:
        result = run_validate(_one_folder(path, data), strict=strict)
    except OkrtoolError as exc:
        raise fail(exc) from None
    if fmt is ProblemFormat.json:
        typer.echo(render_json(result.problems, result.summary()))
    elif fmt is ProblemFormat.github:
        if result.problems:
            typer.echo(render_github(result.problems, every_warning=show_warnings or strict))
        typer.echo(result.summary_line())
    else:
        if result.problems:
            typer.echo(render_text(result.problems, every_warning=show_warnings or strict))
        style = "red" if result.exit_code else "green"
        console().print(result.summary_line(), style=style)
    raise typer.Exit(result.exit_code)


def _one_folder(path: Path | None, data: Path | None) -> Path:
    """The data folder given as PATH or --data (the default if neither); both, naming two
    folders, is a usage error."""
    if path is not None and data is not None and os.path.abspath(path) != os.path.abspath(data):
        raise fail(UsageError(f"two data folders given: PATH {path} and --data {data}; give one"))
    return path or data or default_data()


@app.command("rules")
def rules_command(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the Markdown page docs/rules.md.")
    ] = False,
) -> None:
    """List every rule code that validate and import-reports use, with its title and fix."""
    from okrtool.problems import CODES, rules_markdown

    if markdown:
        typer.echo(rules_markdown(), nl=False)
        return
    for code in CODES.values():
        typer.echo(f"{code.code}  {code.severity:<7}  {code.title}. {code.fix}")


class SchemaKind(StrEnum):
    policy = "policy"
    agencies = "agencies"
    calendar = "calendar"
    all = "all"


@app.command()
def schema(
    kind: Annotated[
        SchemaKind | None,
        typer.Option(
            "--kind",
            "-k",
            help="Print the schema of this file kind; 'all' (with --output) for every kind.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write <kind>.schema.json files (every kind unless --kind) into this folder "
            "instead of printing.",
            parser=output_path,
            metavar="<path>",
        ),
    ] = None,
) -> None:
    """Print or write the JSON Schema of the data files, made from the models validate uses.

    Without options: list the file kinds and the command that prints each. For editors: put
    '# yaml-language-server: $schema=<path>/policy.schema.json' at the top of a YAML file. A
    schema checks one file's shape; cross-file rules are validate's.
    """
    from okrtool.io.outfile import check_folder
    from okrtool.schema import KINDS, kinds_text, schema_text, write_schemas

    if out is None:
        if kind is None:
            typer.echo(kinds_text(), nl=False)
        elif kind is SchemaKind.all:
            raise fail(
                UsageError(
                    "--kind all writes one file a kind: add --output DIR, or pick "
                    f"--kind {' or '.join(KINDS)}"
                )
            )
        else:
            typer.echo(schema_text(kind.value), nl=False)
        return
    kinds = list(KINDS) if kind in (None, SchemaKind.all) else [kind.value]
    try:
        check_folder(out, default_data())
        written = write_schemas(out, kinds)
    except OkrtoolError as exc:
        raise fail(exc) from None
    for path in written:
        typer.echo(f"wrote {path}")
