"""What an import is given: the workbooks the command line names, and the data folder.

Files, folders and globs are expanded, and the data folder checked, before anything is taken or
read.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
from pathlib import Path

from okrtool.dataset import REPORTS_DIR
from okrtool.errors import UsageError
from okrtool.io.report_sheet import WORKBOOK_SUFFIXES


def expand(args: list[str]) -> list[Path]:
    """Files from the command line: files as given, folders for the workbooks in them, globs.
    Raises UsageError for a name that matches nothing or cannot be looked at."""
    out: dict[Path, None] = {}
    for arg in args:
        if not arg:  # Path("") is the current folder: an unset shell variable would import it
            raise UsageError(
                "'': an empty file name; expected a workbook (.xlsx), a folder of workbooks or "
                "a glob like 'inbox/*.xlsx' (is a shell variable in the command empty?)"
            )
        path = Path(arg)
        try:
            info = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UsageError(f"{arg}: a symbolic link that loops onto itself") from None
            if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
                raise UsageError(f"{arg}: cannot be read ({exc.strerror})") from None
            info = None
        try:
            if info is not None and stat.S_ISDIR(info.st_mode):
                found = [
                    p
                    for p in sorted(path.rglob("*"))
                    if p.is_file()
                    and p.suffix.lower() in WORKBOOK_SUFFIXES
                    and not p.name.startswith(("~$", ".~lock", "."))
                ]
                if not found:
                    raise UsageError(f"{arg}: no workbooks (.xlsx) in this folder")
                out.update(dict.fromkeys(found))
            elif info is not None:
                out[path] = None  # not a regular file: refused as such when read (E801)
            elif glob.has_magic(arg):
                found = sorted(Path(m) for m in glob.glob(arg, recursive=True) if Path(m).is_file())
                if not found:
                    raise UsageError(f"{arg}: no file matches")
                out.update(dict.fromkeys(found))
            else:
                raise UsageError(f"{arg}: no such file")
        except OSError as exc:  # a folder in it that cannot be looked at
            raise UsageError(f"{exc.filename or arg}: cannot be read ({exc.strerror})") from None
    return list(out)


def check_data_folder(root: Path, write: bool) -> None:
    """Raise UsageError unless ``root`` is a data folder an import can read (and, if ``write``,
    write into: its lock file, report files): checked before anything is taken or read."""
    from okrtool.rules.validate import check_data_folder as check_is_data_folder

    try:
        info = os.stat(root)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(
                f"--data {root}: a symbolic link that loops onto itself; expected the data "
                "folder (like data/)"
            ) from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise UsageError(f"--data {root}: no such folder") from None
        raise UsageError(f"--data {root}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"--data {root}: not a folder; expected the data folder (like data/)")
    if not os.access(root, os.R_OK | os.X_OK):
        raise UsageError(f"--data {root}: cannot read this folder (permission denied)")
    check_is_data_folder(root)
    if write:
        check_writable(root, root, "its lock file")
        reports = root / REPORTS_DIR
        if reports.is_dir():
            check_writable(root, reports, "report files")


def check_writable(root: Path, folder: Path, what: str) -> None:
    """Raise UsageError unless files can be made in ``folder`` (the nearest one that exists):
    an import writes ``what`` there."""
    while not folder.exists() and folder != root:
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(
            f"{folder}: cannot write in this folder (permission denied), and an import writes "
            f"{what} there; nothing was imported (import as a user who may write there; "
            "--dry-run writes nothing)"
        )


def outside_data(paths: list[Path], root: Path) -> None:
    """Raise UsageError if a workbook to import is in the data folder ``root``: what is there
    is the data itself (``okrtool import-reports data/`` refused every report file, one by
    one), never a workbook sent in."""
    home = os.path.realpath(root)
    for path in paths:
        real = os.path.realpath(path)
        if real == home or real.startswith(home.rstrip(os.sep) + os.sep):
            raise UsageError(
                f"{path}: inside the data folder {root}/, which holds the data itself; give the "
                "workbooks sent in (like inbox/*.xlsx)"
            )
