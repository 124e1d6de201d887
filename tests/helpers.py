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
