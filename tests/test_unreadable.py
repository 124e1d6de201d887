"""A folder or file of the data folder that cannot be read fails validate with an E106 naming it.

Permissions mean nothing to root, and CI runs the suite as root: so validate runs here as a
user without privileges, uid 65534 (``setpriv``) when the suite runs as root, or as the user
the suite runs as otherwise, on a copy of the mini dataset and of the package that this user
can read, as a real subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from unprivileged import shared_tmp, unprivileged_runtime

import okrtool

from helpers import MINI

#: The user validate runs as when the suite runs as root ("nobody" on most systems).
NOBODY = 65534
PACKAGE = Path(okrtool.__file__).parent


@dataclass
class Unprivileged:
    """A folder readable by an unprivileged user, holding ``data/`` and ``lib/okrtool``."""

    work: Path
    prefix: list[str]
    env: dict[str, str]
    locked: list[Path] = field(default_factory=list)
    #: The interpreter and its flags (``unprivileged.unprivileged_runtime``).
    python: list[str] = field(default_factory=lambda: [sys.executable])

    def lock(self, rel: str, mode: int = 0o000) -> None:
        """Take away permissions on ``data/<rel>``; skip if they still do not stop this user."""
        path = self.work / "data" / rel
        path.chmod(mode)
        self.locked.append(path)
        if not self.prefix and os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):
            pytest.skip(f"uid {os.geteuid()} reads {rel} whatever its permissions")

    def validate(self, *args: str) -> tuple[int, list[str]]:
        proc = subprocess.run(
            [*self.prefix, *self.python, "-m", "okrtool", "validate", *args],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return proc.returncode, (proc.stdout + proc.stderr).splitlines()


@pytest.fixture
def nobody() -> Iterator[Unprivileged]:
    work = Path(tempfile.mkdtemp(prefix="okrtool-unreadable-", dir=shared_tmp()))
    sandbox = Unprivileged(work, [], {})
    try:
        work.chmod(0o755)
        shutil.copytree(MINI, work / "data")
        shutil.copytree(PACKAGE, work / "lib/okrtool", ignore=shutil.ignore_patterns("__pycache__"))
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("running as root without setpriv (util-linux): cannot drop privileges")
            sandbox.prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        runtime = unprivileged_runtime()  # readable by that user wherever the clone lives
        sandbox.python = [runtime.python, *runtime.flags]
        sandbox.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            **runtime.env(before=(str(work / "lib"),)),
            "PYTHONDONTWRITEBYTECODE": "1",
            "HOME": str(work),
            "OKRTOOL_NO_CACHE": "1",
            "NO_COLOR": "1",
        }
        probe = subprocess.run(
            [*sandbox.prefix, *sandbox.python, "-c", "import okrtool.cli; print(okrtool.__file__)"],
            cwd=work,
            env=sandbox.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        # the interpreter and its site-packages must be readable by that user: a failure here
        # is a broken test environment, not a reason to let these tests pass unseen
        assert probe.returncode == 0, f"cannot run okrtool as an unprivileged user: {probe.stderr}"
        assert probe.stdout.strip() == str(work / "lib/okrtool/__init__.py")
        yield sandbox
    finally:
        for path in sandbox.locked:
            path.chmod(0o755)
        shutil.rmtree(work)


def _summary(policies: int, okrs: int, krs: int, agencies: int, values: int, files: int) -> str:
    return (
        f"FAILED: 1 error, 0 warnings. Read {policies} policies, {okrs} OKRs, {krs} key results, "
        f"{agencies} agencies, {values} report values in {files} files."
    )


FOLDER_HINT = "    hint: let the user who runs okrtool read it (chmod a+rX)"
FILE_HINT = "    hint: let the user who runs okrtool read it (chmod a+r)"
NOT_READ = "cannot read the folder (permission denied); none of its files were checked"

# what is locked → (its mode, every line validate prints)
CASES: dict[str, tuple[str, int, list[str]]] = {
    "a report year folder": (
        "reports/2567",
        0o000,
        [f"data/reports/2567:1:1: E106 {NOT_READ}", FOLDER_HINT, _summary(2, 2, 4, 7, 0, 4)],
    ),
    "a report year folder that lists but does not open": (
        "reports/2567",
        0o644,
        [f"data/reports/2567:1:1: E106 {NOT_READ}", FOLDER_HINT, _summary(2, 2, 4, 7, 0, 4)],
    ),
    "the reports folder": (
        "reports",
        0o000,
        [f"data/reports:1:1: E106 {NOT_READ}", FOLDER_HINT, _summary(2, 2, 4, 7, 0, 4)],
    ),
    "a policy folder": (
        "policies/safety",
        0o000,
        [f"data/policies/safety:1:1: E106 {NOT_READ}", FOLDER_HINT, _summary(1, 1, 3, 7, 12, 8)],
    ),
    "the agencies folder": (
        "agencies",
        0o000,
        [f"data/agencies:1:1: E106 {NOT_READ}", FOLDER_HINT, _summary(2, 2, 4, 0, 12, 7)],
    ),
    "a policy file": (
        "policies/safety/canals.yaml",
        0o000,
        [
            "data/policies/safety/canals.yaml:1:1: E106 cannot read the file (permission denied)",
            FILE_HINT,
            _summary(1, 1, 3, 7, 12, 8),
        ],
    ),
    "an agency file": (
        "agencies/places.yaml",
        0o000,
        [
            "data/agencies/places.yaml:1:1: E106 cannot read the file (permission denied)",
            FILE_HINT,
            _summary(2, 2, 4, 0, 12, 8),
        ],
    ),
    "a report file": (
        "reports/2567/dusit.csv",
        0o000,
        [
            "data/reports/2567/dusit.csv:1:1: E106 cannot read the file (permission denied)",
            FILE_HINT,
            _summary(2, 2, 4, 7, 9, 8),
        ],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_what_cannot_be_read_is_an_error_naming_it(nobody: Unprivileged, name: str) -> None:
    rel, mode, expected = CASES[name]
    assert nobody.validate("data")[0] == 0  # readable, the copy is clean
    nobody.lock(rel, mode)
    code, lines = nobody.validate("data")
    assert code == 1
    assert lines == expected


def test_a_data_folder_that_cannot_be_read_is_a_usage_error(nobody: Unprivileged) -> None:
    nobody.lock(".")
    assert nobody.validate("data") == (
        2,
        ["okrtool: data: cannot read the folder (permission denied)"],
    )
