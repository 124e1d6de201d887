"""`okrtool --help` builds no command (issue 16: start-up ≤ 0.1 s): the command line runs a group
whose commands typer builds from their functions only when one is run or its own --help is asked
for (``okrtool.cli.app.command_group``). What it prints must be what typer's own group prints,
byte for byte: the group typer builds of ``app`` the usual way (``app()``: every command built)
is the reference.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from okrtool.cli import app
from okrtool.cli.app import command_group, invoke
from okrtool.cli.group import LazyCommands

COMMANDS = [
    "validate",
    "rules",
    "schema",
    "status",
    "missing",
    "brief",
    "handbook",
    "history",
    "diff",
    "report-template",
    "import-reports",
    "plan-template",
    "import-plan",
    "site",
]


def typers_own(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of typer's own group (every command built first), run as
    typer runs it."""
    try:
        app(args=list(args), prog_name="okrtool")
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def lazily(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of the command line as the console script runs it."""
    code = invoke(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_list_of_commands_builds_none_and_keeps_their_order(capsys) -> None:
    group = command_group()
    assert isinstance(group.commands, LazyCommands)
    assert group.main(["--help"], prog_name="okrtool", standalone_mode=False) == 0
    assert "\nCommands:\n  validate " in capsys.readouterr().out
    assert list(group.commands) == COMMANDS
    assert group.commands.built == {}


def test_a_command_is_built_when_it_is_asked_for(capsys) -> None:
    group = command_group()
    assert group.main(["rules", "--help"], prog_name="okrtool", standalone_mode=False) == 0
    assert capsys.readouterr().out.startswith("Usage: okrtool rules [OPTIONS]")
    assert list(group.commands.built) == ["rules"]


@pytest.mark.parametrize("args", [["--help"], ["-h"], []])
def test_the_help_is_typers_own_byte_for_byte(capsys, args: list[str]) -> None:
    assert lazily(capsys, *args) == typers_own(capsys, *args)


@pytest.mark.parametrize("name", COMMANDS)
def test_each_commands_help_is_typers_own_byte_for_byte(capsys, name: str) -> None:
    code, out, err = lazily(capsys, name, "--help")
    assert (code, out, err) == typers_own(capsys, name, "--help")
    assert out.startswith(f"Usage: okrtool {name} [OPTIONS]")


def test_a_mistyped_command_is_answered_with_the_nearest(capsys) -> None:
    code, out, err = lazily(capsys, "statsu")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == "Error: No such command 'statsu'. Did you mean 'status'?"
    assert (code, out, err) == typers_own(capsys, "statsu")


def test_the_console_script_lists_the_commands_from_their_help_texts() -> None:
    def run(code: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", code, "--help"]
        return subprocess.run(command, capture_output=True, text=True, timeout=60)

    ours = run("from okrtool.__main__ import main; main()")
    own = run("from okrtool.cli import app; app(prog_name='okrtool')")
    assert (ours.returncode, ours.stdout, ours.stderr) == (own.returncode, own.stdout, "")
    out = ours.stdout
    listed = out.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == COMMANDS
    assert (
        listed[0] == "  validate         Check the whole dataset and report every problem with..."
    )


def test_the_help_imports_nothing_heavy() -> None:
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import io, sys, contextlib\nfrom okrtool.cli.app import invoke\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    code = invoke(['--help'])\n"
            "heavy = ('pydantic', 'openpyxl', 'yaml', 'rich', 'jinja2', 'typer._adapters')\n"
            "print(code, sorted(m for m in heavy if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.stdout.splitlines()[-1] == "0 []", probe.stderr
