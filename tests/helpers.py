"""Small helpers shared by the tests: copy a dataset, edit a file in it, find a line, run the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from okrtool.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
SHIPPED = Path(__file__).parent.parent / "data"


def copy_dataset(tmp_path: Path, source: Path = MINI) -> Path:
    """A writable copy of a dataset under tmp_path; returns its root."""
    root = tmp_path / "data"
    shutil.copytree(source, root)
    return root


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a file; fail loudly if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based line on which ``needle`` stands (its n-th occurrence)."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


def run(*args: str) -> tuple[int, str]:
    """Run the real CLI in-process; return (exit code, stdout and stderr)."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, to prove that nothing changed."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- running okrtool as a user without privileges ----------------------------------------------
# CI runs as root, and root may write anywhere: a test of an unwritable folder runs okrtool as
# uid/gid 65534 through setpriv, in a folder that user can reach (pytest's tmp_path is the
# runner's alone).

NOBODY = 65534


def unprivileged_folder() -> Path:
    """A new folder, readable by uid 65534, for ``run_unprivileged``; the caller removes it.
    Skips the test when running as root without setpriv."""
    import os
    import tempfile

    import pytest

    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: no way to run okrtool as another user")
    from unprivileged import shared_tmp

    folder = Path(tempfile.mkdtemp(prefix="okrtool-nobody-", dir=shared_tmp()))
    folder.chmod(0o755)
    return folder


def run_unprivileged(*args: str) -> tuple[int, str]:
    """``okrtool ARGS`` as uid 65534 (setpriv) when the tests run as root, else as the runner:
    the exit code and stdout + stderr. The interpreter and packages are ones that user can read
    wherever the clone lives (``unprivileged.unprivileged_runtime``)."""
    import os
    import subprocess

    from unprivileged import unprivileged_runtime

    runtime = unprivileged_runtime()
    command = runtime.command(*args)
    if os.geteuid() == 0:
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    env = {**os.environ, "NO_COLOR": "1", "OKRTOOL_NO_CACHE": "1", **runtime.env()}
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    return proc.returncode, proc.stdout + proc.stderr
