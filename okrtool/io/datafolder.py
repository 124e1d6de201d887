"""The walk of a data folder: which data files each of its folders holds (E106 for the rest).

Everything there that is not a data file or cannot be read is an E106, so that nothing in the
data folder goes unchecked unseen.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from okrtool.dataset import AGENCIES_DIR, POLICIES_DIR, REPORTS_DIR
from okrtool.problems import Problem

YAML_SUFFIXES = (".yaml", ".yml")


#: What belongs in each folder of the data folder, as named in the problem about a file that
#: does not belong there (such a file would not be read, and validate would pass without it).
_EXPECTED = {
    AGENCIES_DIR: "only .yaml files are read here; rename it to .yaml, or move it out of the "
    "data folder",
    POLICIES_DIR: "only .yaml files are read here; rename it to .yaml, or move it out of the "
    "data folder",
    REPORTS_DIR: "report files are <agency>.csv (a workbook goes in through okrtool "
    "import-reports); rename it, or move it out of the data folder",
}


#: The folders every data folder has (reports/ comes with the first report).
_REQUIRED = {
    AGENCIES_DIR: "the agency files in it (agencies/*.yaml)",
    POLICIES_DIR: "the policy files in it (policies/<dimension>/<policy id>.yaml)",
}


@dataclass
class DataFiles:
    """The data files found under a folder of the data folder, and whether anything there that
    could have been data was not read (then what it would define is unknown)."""

    paths: list[Path] = field(default_factory=list)
    unread: bool = False


def data_files(
    root: Path, sub: str, suffixes: tuple[str, ...], problems: list[Problem]
) -> DataFiles:
    """The data files under ``root/sub``, sorted; an E106 for everything there that cannot be
    read or is not a data file, so that nothing in the data folder goes unchecked unseen.
    Names starting with '.' are not data (git's, editors', an interrupted import's)."""
    found = DataFiles()
    folder = root / sub
    if sub in _REQUIRED and not os.path.lexists(folder):
        problems.append(Problem("E106", sub, f"no such folder; expected {_REQUIRED[sub]}", 1, 1))
        found.unread = True
    elif os.path.lexists(folder):
        real_root = root.resolve()
        walk = _Walk(root, real_root, suffixes, _EXPECTED[sub.split("/", 1)[0]], problems, found)
        walk.entry(folder, sub, real_root.joinpath(*Path(sub).parent.parts), frozenset(), True)
        found.paths.sort()
    return found


@dataclass
class _Walk:
    """One walk of ``data_files``: what it looks for, where its problems and files go."""

    root: Path
    real_root: Path
    suffixes: tuple[str, ...]
    expected: str
    problems: list[Problem]
    found: DataFiles

    def _problem(self, rel: str, message: str, hint: str = "", unread: bool = True) -> None:
        self.problems.append(Problem("E106", rel, message, 1, 1, hint=hint))
        self.found.unread = self.found.unread or unread

    def entry(
        self, path: Path, rel: str, parent: Path, above: frozenset[Path], is_folder: bool = False
    ) -> None:
        """Take in ``path`` (a folder when ``is_folder``), whose parent really is ``parent``."""
        data_name = not is_folder and path.suffix in self.suffixes
        reached = self._reach(path, rel, parent, data_name)
        if reached is None:
            return
        real, mode = reached
        if stat.S_ISDIR(mode):
            if data_name:
                self._problem(rel, "a folder where a file is expected; nothing in it was read")
            elif real in above or real == self.real_root:
                self._problem(rel, "symbolic link loops back to a folder above it")
            else:
                self._folder(path, rel, real, above | {real})
        elif is_folder:
            self._problem(rel, "a file where a folder is expected; nothing in it was read")
        elif not data_name:
            self._problem(rel, f"not a data file: {self.expected}", unread=False)
        elif not stat.S_ISREG(mode):
            self._problem(rel, "not a regular file (a pipe, socket or device); expected a file")
        elif not os.access(path, os.R_OK):
            self._problem(
                rel,
                "cannot read the file (permission denied)",
                hint="let the user who runs okrtool read it (chmod a+r)",
            )
        else:
            self.found.paths.append(path)

    def _folder(self, folder: Path, rel: str, real: Path, above: frozenset[Path]) -> None:
        try:
            if not os.access(folder, os.R_OK | os.X_OK):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
            names = sorted(entry.name for entry in os.scandir(folder))
        except OSError as exc:
            self._problem(
                rel,
                f"cannot read the folder ({_reason(exc)}); none of its files were checked",
                hint="let the user who runs okrtool read it (chmod a+rX)",
            )
            return
        for name in names:
            if not name.startswith("."):
                self.entry(folder / name, f"{rel}/{name}", real, above)

    def _reach(
        self, path: Path, rel: str, parent: Path, data_name: bool
    ) -> tuple[Path, int] | None:
        """Where ``path`` really is (symbolic links followed) and its file mode; None after an
        E106 when it cannot be reached or a link leads out of the data folder."""
        try:
            st = os.lstat(path)
            if not stat.S_ISLNK(st.st_mode):
                return parent / path.name, st.st_mode
            st = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                message = "symbolic link loops onto itself"
            elif exc.errno == errno.ENOENT and os.path.islink(path):
                message = f"broken symbolic link to {os.readlink(path)}, which does not exist"
            else:
                message = f"cannot read it ({_reason(exc)})"
            self._problem(rel, message, unread=data_name or path.suffix == "")
            return None
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(self.real_root):
            self._problem(
                rel,
                f"symbolic link to {real} points outside the data folder; "
                "expected a file inside it",
                unread=data_name or stat.S_ISDIR(st.st_mode),
            )
            return None
        return real, st.st_mode


def _reason(exc: OSError) -> str:
    """An OSError in a few lower-case words, without the path (the problem names the path)."""
    return (exc.strerror or str(exc)).lower()
