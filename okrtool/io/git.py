"""A data folder as it stands at a git revision, read with git itself (never a checkout).

``Repository.extract`` lists the folder's files at a commit (``git ls-tree``) and writes their
blobs (``git cat-file --batch``) into a folder of ours, so that the loader validate uses can
read a revision exactly as it reads the working tree. Every git failure a person can cause — no
git, not a repository, an unknown revision — is a ``UsageError`` (exit 2) saying so in one line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from okrtool.errors import UsageError

#: The branch a change request is compared with when no revision is named.
MAIN_BRANCH = "main"

_BLOB_MODES = {"100644", "100755"}
_SYMLINK_MODE = "120000"


def _git_env() -> dict[str, str]:
    # no pager, no prompt for credentials, messages we can quote in English, and the data
    # folder's name taken as written (a folder named like a glob is not a pattern)
    return {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_PAGER": "cat",
        "LC_ALL": "C",
        "GIT_LITERAL_PATHSPECS": "1",
    }


def _run_git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise UsageError(
            "git is not installed (or not on PATH); okrtool diff reads revisions with it"
        )
    result = subprocess.run([git, *args], cwd=cwd, capture_output=True, env=_git_env(), check=False)
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]} failed in {cwd}: {message[-1] if message else '?'}")
    return result


@dataclass(frozen=True)
class Revision:
    """A commit, as the person named it and as git knows it."""

    name: str
    commit: str

    @property
    def short(self) -> str:
        return self.commit[:10]


@dataclass(frozen=True)
class Repository:
    """The git repository holding a data folder, and that folder's path inside it."""

    top: Path
    #: the data folder relative to ``top``, in git's spelling (``data``, ``plans/data``; ``""``
    #: when the repository holds the data folder's contents at its top)
    data: str

    @classmethod
    def of(cls, data: Path) -> Repository:
        """The repository that holds the data folder ``data`` (which need not exist)."""
        absolute = Path(os.path.abspath(data))
        probe = absolute
        while not probe.is_dir() and probe != probe.parent:
            probe = probe.parent
        found = _run_git(probe, "rev-parse", "--show-toplevel", check=False)
        if found.returncode != 0:
            said = found.stderr.decode("utf-8", "replace").strip().splitlines()
            # git's own reason when it is not the usual one (a repository of another owner…)
            why = "" if not said or "not a git repository" in said[0] else f" ({said[0]})"
            raise UsageError(
                f"{probe} is not inside a git repository{why}; okrtool diff compares revisions "
                "of a data folder kept in git"
            )
        top = Path(found.stdout.decode("utf-8").strip())
        try:
            rel = absolute.resolve().relative_to(top.resolve())
        except ValueError:
            raise UsageError(f"{data}: not inside the repository {top}") from None
        return cls(top, "" if rel == Path(".") else rel.as_posix())

    def inside(self, path: str) -> str:
        """``path`` (relative to the data folder) relative to the top of the repository."""
        return f"{self.data}/{path}" if self.data else path

    @property
    def working_data(self) -> Path:
        """The data folder in the working tree."""
        return self.top / self.data

    def revision(self, name: str) -> Revision:
        """The commit ``name`` names; UsageError if git knows no such revision."""
        found = _run_git(
            self.top,
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{name}^{{commit}}",
            check=False,
        )
        if found.returncode != 0 or not name:
            raise UsageError(
                f"unknown revision '{name}' in {self.top}; expected a commit, branch or tag"
            )
        return Revision(name, found.stdout.decode().strip())

    def merge_base(self, branch: str = MAIN_BRANCH) -> Revision:
        """Where HEAD left ``branch`` (or ``origin/<branch>``, as a CI checkout has it): what a
        change request on HEAD is compared with."""
        head = self.revision("HEAD")
        for name in (branch, f"origin/{branch}"):
            try:
                base = self.revision(name)
                break
            except UsageError:
                continue
        else:
            raise UsageError(
                f"no branch '{branch}' (nor 'origin/{branch}') in {self.top} to compare HEAD "
                "with; name the revision to compare: okrtool diff REV_A [REV_B]"
            )
        found = _run_git(self.top, "merge-base", head.commit, base.commit, check=False)
        if found.returncode != 0:
            raise UsageError(
                f"HEAD and '{base.name}' have no common commit in {self.top} (a shallow clone? "
                "fetch the history); name the revisions: okrtool diff REV_A [REV_B]"
            )
        return Revision(base.name, found.stdout.decode().strip())

    def changed(self, old: Revision, new: Revision | None, part: str) -> list[str]:
        """The files under ``part`` of the data folder (like ``reports``) that differ between
        ``old`` and ``new`` (None: the working tree, files not yet added included, ignored ones
        not), relative to the data folder, sorted."""
        spec = self.inside(part)
        revisions = [old.commit, new.commit] if new is not None else [old.commit]
        listed = _run_git(
            self.top, "diff", "--no-renames", "--name-only", "-z", *revisions, "--", spec
        ).stdout.split(b"\0")
        if new is None:
            others = ("ls-files", "-z", "--others", "--exclude-standard", "--full-name")
            listed += _run_git(self.top, *others, "--", spec).stdout.split(b"\0")
        names = set()
        for raw in listed:
            if raw:
                rel = PurePosixPath(raw.decode("utf-8", "surrogateescape"))
                names.add((rel.relative_to(self.data) if self.data else rel).as_posix())
        return sorted(names)

    def extract(
        self, rev: Revision, root: Path, parts: tuple[str, ...] = (), files: bool = False
    ) -> Path:
        """Write the data folder as it is at ``rev`` (only its sub-folders ``parts``, like
        ``policies`` or ``reports/2567``, if given; with ``files``, ``parts`` are files, and one
        the revision lacks is left out) into ``root``, which may hold other parts already;
        return ``root``. UsageError if ``rev`` has no such folder."""
        specs = [self.inside(p) for p in parts] if parts else [self.data or "."]
        listing = _run_git(self.top, "ls-tree", "-r", "-z", "--full-tree", rev.commit, "--", *specs)
        entries: list[tuple[str, str, str]] = []  # (mode, object, path inside the data folder)
        for record in listing.stdout.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            mode, kind, obj = meta.decode().split(" ")
            rel = PurePosixPath(raw_path.decode("utf-8", "surrogateescape"))
            rel = rel.relative_to(self.data) if self.data else rel
            if kind != "blob" or not rel.parts or ".." in rel.parts or rel.is_absolute():
                continue  # a submodule, 'data' itself a file, or a path no checkout would write
            entries.append((mode, obj, rel.as_posix()))
        if not entries and not self._has_folder(rev):
            raise UsageError(
                f"{rev.name} ({rev.short}) has no folder '{self.data or '.'}'; expected the data "
                "folder there (--data names it)"
            )
        root.mkdir(parents=True, exist_ok=True)
        for part in () if files else parts:  # a folder the revision lacks is read as empty
            (root / part).mkdir(parents=True, exist_ok=True)
        blobs = self._blobs([e[1] for e in entries])
        for (mode, _, rel), content in zip(entries, blobs, strict=True):
            path = root / rel
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if mode == _SYMLINK_MODE:
                    # as a checkout would: the loader then refuses links out of the folder (E106)
                    os.symlink(os.fsdecode(content), path)
                elif mode in _BLOB_MODES:
                    path.write_bytes(content)
            except OSError as exc:
                raise UsageError(
                    f"cannot write {rel} of {rev.name} into the temporary folder {root}: "
                    f"{exc.strerror}; expected room in {root.parent.parent} (set TMPDIR to "
                    "another folder)"
                ) from None
        return root

    def _has_folder(self, rev: Revision) -> bool:
        found = _run_git(self.top, "cat-file", "-t", f"{rev.commit}:{self.data}", check=False)
        return found.returncode == 0 and found.stdout.strip() == b"tree"

    def _blobs(self, objects: list[str]) -> list[bytes]:
        """The contents of ``objects``, in order, from one ``git cat-file --batch``."""
        if not objects:
            return []
        git = shutil.which("git") or "git"
        proc = subprocess.Popen(
            [git, "cat-file", "--batch", "--buffer"],
            cwd=self.top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_git_env(),
        )
        assert proc.stdin is not None and proc.stdout is not None
        stdin = proc.stdin

        def feed() -> None:  # in a thread: git answers while we still ask (no pipe dead-lock)
            with stdin:
                stdin.write("".join(f"{o}\n" for o in objects).encode())

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        out = []
        for obj in objects:
            header = proc.stdout.readline().split()
            if len(header) != 3:
                proc.kill()
                raise UsageError(f"git cat-file could not read object {obj} in {self.top}")
            size = int(header[2])
            out.append(proc.stdout.read(size))
            proc.stdout.read(1)  # the newline after each object
        writer.join()
        proc.stdout.close()
        proc.wait()
        return out
