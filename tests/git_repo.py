"""A git repository of the shipped data for the tests of `okrtool diff` and `import-plan`: a copy
in ``tmp_path``, with no git configuration but its own, the plan as issued committed on `main`
(and, if asked, checked out on a branch), the tests run in it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import SHIPPED


def plan_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, branch: str | None = None) -> Path:
    """The repository (its root holds ``data/``); ``branch``: checked out on a new branch."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "OKRTOOL_DATA"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "plan"
    shutil.copytree(SHIPPED, root / "data")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "SED data team")
    git(root, "config", "user.email", "sed@example.org")
    commit(root, "the plan as issued")
    if branch:
        git(root, "checkout", "-q", "-b", branch)
    monkeypatch.chdir(root)
    return root


def git(root: Path, *args: str) -> str:
    """What ``git ARGS`` prints in ``root``, without the blanks around it; an error if it fails."""
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(root: Path, message: str) -> str:
    """Commit every change in ``root``; the commit's id."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def short(root: Path, rev: str) -> str:
    """The first ten characters of ``rev``'s id, as diff names a revision."""
    return git(root, "rev-parse", rev)[:10]
