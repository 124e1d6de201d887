"""The tests that run okrtool as uid 65534 work wherever the clone lives: in a private folder
(mode 0700, as /root or ``mktemp -d`` make) its virtual environment is the runner's alone, and
``unprivileged.unprivileged_runtime`` stages what that user needs into a folder it can read."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from unprivileged import NOBODY, reachable, shared_tmp, unprivileged_runtime

VERSION = importlib.metadata.version("okrtool")


def _as_nobody(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: no way to run okrtool as another user")
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    return subprocess.run(
        command,
        env={**os.environ, "NO_COLOR": "1", **env},
        cwd=shared_tmp(),  # the runner's own folder may be closed to that user
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_file_in_a_private_folder_is_not_reachable_by_others() -> None:
    private = Path(tempfile.mkdtemp())  # mode 0700, as mktemp -d makes it
    try:
        (private / "site-packages").mkdir(mode=0o755)
        assert private.stat().st_mode & 0o777 == 0o700
        assert not reachable(private / "site-packages")
        private.chmod(0o755)
        assert reachable(private / "site-packages")
    finally:
        shutil.rmtree(private)


def test_the_staged_runtime_runs_okrtool_as_another_user(tmp_path: Path) -> None:
    started = time.perf_counter()
    runtime = unprivileged_runtime(stage=True)
    assert runtime.stage is not None and reachable(runtime.stage / "lib" / "okrtool")
    # okrtool and every package it imports, and none of the test extras
    staged = {p.name for p in (runtime.stage / "lib").iterdir()}
    assert {"okrtool", "typer", "rich", "pydantic", "pydantic_core", "yaml", "openpyxl"} <= staged
    assert not {"pytest", "playwright", "hypothesis"} & staged
    # hard links where the file is readable to all: on one file system, nothing is copied
    if (
        os.stat(runtime.stage).st_dev
        == os.stat(Path(importlib.util.find_spec("typer").origin)).st_dev
    ):
        assert runtime.copied_bytes == 0
    proc = _as_nobody(runtime.command("--version"), runtime.env())
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"okrtool {VERSION}\n", "")
    # staged once a run, at a cost of about a second (1.1 s for 2,066 files here)
    assert time.perf_counter() - started < 30


def test_the_unprivileged_user_validates_a_dataset_through_the_staged_runtime() -> None:
    runtime = unprivileged_runtime(stage=True)
    work = Path(tempfile.mkdtemp(prefix="okrtool-nobody-", dir=shared_tmp()))
    try:
        work.chmod(0o755)
        data = shutil.copytree(Path(__file__).parent / "fixtures" / "mini", work / "data")
        proc = _as_nobody(
            runtime.command("validate", str(data)), {"OKRTOOL_NO_CACHE": "1", **runtime.env()}
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == (
            "OK: no problems. Read 2 policies, 2 OKRs, 4 key results, 7 agencies, 12 report "
            "values in 9 files.\n"
        )
    finally:
        shutil.rmtree(work)
