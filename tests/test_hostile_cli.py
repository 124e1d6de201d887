"""Every command under hostile and careless arguments: no traceback, no hang, and the exit code
the README's table documents (0, 1 or 2) and the corpus expects.

The invocations are data, in ``tests/hostile/invocations.txt`` (how to read and grow it is at
its top): each bug found becomes a line there. They run in-process through the one place that
turns errors into exit codes (``okrtool.cli.app.invoke``), with typer's test isolation for the
streams, so that a few hundred take seconds; the few that need a real standard output (a full
disk, a reader that went away) run as a subprocess.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner
from xlsx_helpers import fill_template

from okrtool.cli.app import invoke

from helpers import MINI, SHIPPED, copy_dataset, edit

CORPUS = Path(__file__).parent / "hostile" / "invocations.txt"
#: Seconds one invocation may take before it counts as a hang (the slowest, a whole site of the
#: shipped data, takes about 2 s).
HANG = 30
DOCUMENTED = {0, 1, 2}


@dataclass(frozen=True)
class Invocation:
    """One line of the corpus: the exit code expected, how standard output is (``-``: captured;
    ``full``: /dev/full; ``closed``: a pipe nobody reads; ``shut``: no standard output, as
    ``>&-`` leaves it), and the arguments."""

    line: int
    code: int
    stdout: str
    args: tuple[str, ...]

    def __str__(self) -> str:
        return f"{CORPUS.name}:{self.line}: okrtool {shlex.join(self.args)}"


def corpus() -> list[Invocation]:
    """The corpus's invocations, in its order."""
    found = []
    for number, text in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), 1):
        words = shlex.split(text, comments=True)
        if not words:
            continue
        code, stdout, *args = words
        assert stdout in ("-", "full", "closed", "shut"), f"{CORPUS.name}:{number}: {stdout!r}"
        found.append(Invocation(number, int(code), stdout, tuple(map(_escaped, args))))
    return found


def _escaped(word: str) -> str:
    """A word written $'...' as in bash (shlex leaves the $): its \\n, \\t and \\xNN decoded."""
    if not word.startswith("$"):
        return word
    escapes = {"n": "\n", "t": "\t", "\\": "\\"}
    return re.sub(
        r"\\(x[0-9a-fA-F]{2}|[nt\\])",
        lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "x" else escapes[m.group(1)],
        word[1:],
    )


INVOCATIONS = corpus()


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """What the placeholders of the corpus name: {data} a copy of the shipped data, {mini} of the
    mini one, {broken} the mini one with an error, {out} a new path in a scratch folder (each
    use its own), {file} a file that is not a folder, {nothing} a path that is not there,
    {book} a report workbook of bang-rak for 2567-06 with one value, as stored, {notxlsx} a text file named .xlsx."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(SHIPPED, data)
    mini = copy_dataset(root / "mini-root", MINI)
    broken = copy_dataset(root / "broken-root", MINI)
    policy = next((broken / "policies").rglob("*.yaml"))
    edit(policy, "host: ", "host: nobody-at-all-", 1)
    scratch = root / "scratch"
    scratch.mkdir()
    (root / "file.txt").write_text("not a folder\n", encoding="utf-8")
    (root / "not.xlsx").write_text("not a workbook\n", encoding="utf-8")
    book = root / "bang-rak-2567-06.xlsx"
    code, text = _in_process(
        ("report-template", "-d", str(mini), "-a", "bang-rak", "-p", "2567-06", "-o", str(book))
    )
    assert code == 0, text
    fill_template(book, {"trees-planted": 90})  # as stored: an import changes nothing
    cwd = os.getcwd()
    os.chdir(scratch)  # report-template and friends write into the current folder by default
    try:
        yield {
            "data": str(data),
            "mini": str(mini),
            "broken": str(broken),
            "scratch": str(scratch),
            "file": str(root / "file.txt"),
            "nothing": str(root / "not-there"),
            "book": str(book),
            "notxlsx": str(root / "not.xlsx"),
        }
    finally:
        os.chdir(cwd)


_COUNTER = iter(range(1_000_000))


def _expand(args: tuple[str, ...], places: dict[str, str]) -> list[str]:
    out = []
    for arg in args:
        if "{out}" in arg:
            arg = arg.replace("{out}", f"{places['scratch']}/out-{next(_COUNTER)}")
        for name, value in places.items():
            arg = arg.replace("{" + name + "}", value)
        out.append(arg)
    return out


class Hang(Exception):
    """An invocation ran past HANG seconds."""


def _on_alarm(signum: int, frame: object) -> None:
    raise Hang(f"still running after {HANG} s")


def _in_process(args: tuple[str, ...] | list[str]) -> tuple[int, str]:
    """``okrtool ARGS`` in this process, through ``invoke``: the exit code and what it printed,
    stdout and stderr; a traceback (or a hang) comes back as the text of the traceback."""
    runner = CliRunner()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG)
    with runner.isolation(env={"NO_COLOR": "1", "COLUMNS": "100"}) as (_, __, both):
        try:
            code = invoke(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # what the user would see: a traceback
            code = -1
            sys.stderr.write(traceback.format_exc())
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        sys.stdout.flush()
        sys.stderr.flush()
        text = both.getvalue().decode("utf-8", "replace")
    return code, text


def _subprocess(args: list[str], stdout: str) -> tuple[int, str]:
    """``okrtool ARGS`` as a process whose standard output is /dev/full, a pipe whose reader
    has gone, or shut: the exit code and its stderr."""
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "okrtool", *args]
    if stdout == "full":
        with open("/dev/full", "w") as full:
            proc = subprocess.run(
                command, stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=HANG
            )
        return proc.returncode, proc.stderr
    if stdout == "shut":
        proc = subprocess.run(
            command,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=HANG,
            preexec_fn=lambda: os.close(1),  # as the shell's >&-
        )
        return proc.returncode, proc.stderr
    read, write = os.pipe()
    os.close(read)  # the reader went away before okrtool wrote a line (| head -0)
    try:
        proc = subprocess.run(
            command, stdout=write, stderr=subprocess.PIPE, text=True, env=env, timeout=HANG
        )
    finally:
        os.close(write)
    return proc.returncode, proc.stderr


def test_the_readme_documents_exactly_these_exit_codes() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1].split("\n## ", 1)[0]
    cells = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("|")]
    codes = {int(cell) for cell in cells if cell.isdigit()}
    assert codes == DOCUMENTED | {130}  # 130: Ctrl-C, which no invocation here sends


def test_the_corpus_is_large_and_every_expected_code_is_documented() -> None:
    assert len(INVOCATIONS) >= 300
    assert {i.code for i in INVOCATIONS} <= DOCUMENTED
    commands = {i.args[0] for i in INVOCATIONS if i.args and not i.args[0].startswith("-")}
    every = {
        "validate", "rules", "schema", "status", "missing", "brief", "handbook", "history",
        "diff", "report-template", "import-reports", "site",
    }  # fmt: skip
    assert every <= commands, f"commands the corpus never runs: {sorted(every - commands)}"


@pytest.mark.parametrize("invocation", INVOCATIONS, ids=str)
def test_a_hostile_invocation_ends_with_its_documented_code(
    invocation: Invocation, places: dict[str, str]
) -> None:
    args = _expand(invocation.args, places)
    if invocation.stdout == "-":
        code, text = _in_process(args)
    else:
        if not Path("/dev/full").exists() and invocation.stdout == "full":
            pytest.skip("no /dev/full here")
        code, text = _subprocess(args, invocation.stdout)
    assert "Traceback" not in text, text
    assert code in DOCUMENTED, f"exit {code}, not 0, 1 or 2:\n{text}"
    assert code == invocation.code, f"exit {code}, expected {invocation.code}:\n{text}"
