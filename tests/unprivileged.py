"""A Python that uid 65534 can run with okrtool and its dependencies importable, wherever the
clone and its virtual environment live.

CI runs the suite as root, and the tests of unreadable or unwritable folders drop to uid 65534
(setpriv). That user must be able to read the interpreter, okrtool and every package okrtool
imports. In a clone inside a private folder (mode 0700, as /root or ``mktemp -d`` make) the
virtual environment is the runner's alone: then okrtool's package and the distributions it needs
(the closure of its requirements, nothing of the test extras) are staged once per run into a
world-readable temporary folder, hard-linked where the file is world-readable already (no copy,
no space) and copied otherwise, and the interpreter is one of the same version that user can
run. The folder goes at the end of the run.
"""

from __future__ import annotations

import atexit
import importlib.metadata as metadata
import os
import re
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import okrtool

#: The user the tests drop to when they run as root ("nobody" on most systems).
NOBODY = 65534
PACKAGE = Path(okrtool.__file__).parent


@dataclass(frozen=True)
class Runtime:
    """How to start okrtool's Python as uid 65534: the interpreter, its flags, and the folders
    to put first on PYTHONPATH (none when the runner's own environment is readable to all)."""

    python: str
    flags: tuple[str, ...] = ()
    path: tuple[str, ...] = ()
    #: The staged folder, if one was made; what it holds and what it cost, for the tests.
    stage: Path | None = None
    files: int = 0
    copied_bytes: int = 0

    def command(self, *args: str) -> list[str]:
        """``python -m okrtool ARGS`` with this runtime's interpreter and flags."""
        return [self.python, *self.flags, "-m", "okrtool", *args]

    def env(self, before: tuple[str, ...] = ()) -> dict[str, str]:
        """The environment variables it needs: PYTHONPATH with ``before`` first."""
        entries = [*before, *self.path]
        return {"PYTHONPATH": os.pathsep.join(entries)} if entries else {}


def reachable(path: Path) -> bool:
    """True if a user who is neither the owner nor in the group can read ``path`` (and list it,
    for a folder): every folder above it lets others through (o+x)."""
    try:
        path = path.resolve()
        for folder in path.parents:
            if not folder.stat().st_mode & stat.S_IXOTH:
                return False
        mode = path.stat().st_mode
    except OSError:
        return False
    wanted = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(mode) else 0)
    return mode & wanted == wanted


def distributions() -> list[metadata.Distribution]:
    """okrtool's distribution and those its requirements need, without extras (the tests')."""
    found: dict[str, metadata.Distribution] = {}
    todo = ["okrtool"]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:  # for another platform (colorama on Windows)
            continue
        found[key] = dist
        for requirement in dist.requires or []:
            if "extra ==" not in requirement:
                todo.append(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))
    return list(found.values())


def shared_tmp() -> str:
    """A temporary folder that uid 65534 can enter: $TMPDIR if it can (a private one, as
    ``mktemp -d`` makes, it cannot), else /tmp or /var/tmp."""
    for folder in (tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm"):
        if reachable(Path(folder)):
            return folder
    return tempfile.gettempdir()


_STAGED: Runtime | None = None


def unprivileged_runtime(stage: bool = False) -> Runtime:
    """The runtime ``run_unprivileged`` uses: the runner's own interpreter when uid 65534 can
    read it and every package okrtool needs; else (or with ``stage``) a staged copy, made once
    per run. Skips the test when no interpreter of this version is readable to that user."""
    global _STAGED
    needed = [Path(sys.executable), PACKAGE, *(Path(d.locate_file("")) for d in distributions())]
    if not stage and all(reachable(p) for p in needed):
        return Runtime(sys.executable)
    if _STAGED is None:
        _STAGED = _stage()
    return _STAGED


def _interpreter() -> str | None:
    """A Python of this version that others can run: this one, its base, or the system's."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [
        sys.executable,
        getattr(sys, "_base_executable", sys.executable),
        f"/usr/bin/{version}",
        f"/usr/local/bin/{version}",
        shutil.which(version) or "",
    ]
    for candidate in candidates:
        if candidate and reachable(Path(candidate)) and reachable(Path(candidate).resolve()):
            return str(Path(candidate).resolve())
    return None


def _stage() -> Runtime:
    import pytest

    python = _interpreter()
    if python is None:
        pytest.skip(
            f"no python{sys.version_info.major}.{sys.version_info.minor} that uid {NOBODY} can "
            f"run ({sys.executable} is in a folder others cannot enter)"
        )
    stage = Path(tempfile.mkdtemp(prefix="okrtool-runtime-", dir=shared_tmp()))
    atexit.register(shutil.rmtree, stage, ignore_errors=True)
    lib = stage / "lib"
    counts = [0, 0]  # files, bytes copied (hard links cost none)

    def place(source: Path, target: Path) -> None:
        if target.exists():  # listed twice (the package and its distribution's record)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        counts[0] += 1
        if source.stat().st_mode & stat.S_IROTH:
            try:
                os.link(source, target)
                return
            except OSError:  # another file system, or links not allowed
                pass
        shutil.copy2(source, target)
        target.chmod(target.stat().st_mode | stat.S_IROTH)
        counts[1] += target.stat().st_size

    for dist in distributions():
        for file in dist.files or []:
            source = Path(dist.locate_file(file))
            if file.parts[:1] == ("..",) or not source.is_file():
                continue  # scripts in bin/, or the editable install's own path files
            place(source, lib / file)
    for source in PACKAGE.rglob("*"):  # okrtool itself (installed editable: from the clone)
        if source.is_file():
            place(source, lib / "okrtool" / source.relative_to(PACKAGE))
    for folder in [stage, *(p for p in stage.rglob("*") if p.is_dir())]:
        folder.chmod(0o755)
    return Runtime(
        python,
        flags=("-S", "-s"),  # no site-packages but ours: the system's may hold other releases
        path=(str(lib),),
        stage=stage,
        files=counts[0],
        copied_bytes=counts[1],
    )
