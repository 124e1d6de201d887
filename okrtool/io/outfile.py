"""Writing a command's output files: checked before the first is written, each written whole.

A file is written to a temporary file beside it and renamed over it (``os.replace``), so a failed
write leaves what was there; a file already there is written over only with ``force``. Every
refusal is a UsageError (exit 2) naming the path and what to do. ``output_format`` checks
``--format`` against ``-o`` for the commands that print or write (``status``, ``missing``).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from okrtool.errors import UsageError

#: Formats that are files, never printed to a terminal.
BINARY_FORMATS = ("xlsx",)


def output_format(fmt: str, output: Path | None, force: bool, default: str = "table") -> str:
    """The format to write, after checking ``--format`` against ``-o``: a workbook needs a file
    name ending in .xlsx; ``-o NAME.xlsx`` with the default format means a workbook. Raises
    UsageError (exit 2) for a combination that cannot be meant, or a path that cannot be
    written, before anything is computed."""
    if output is None:
        if fmt in BINARY_FORMATS:
            raise UsageError(
                f"--format {fmt} writes a workbook, which is not printed to a terminal: "
                f"give its file name with -o FILE.{fmt}"
            )
        return fmt
    is_xlsx = output.suffix.lower() == ".xlsx"
    if is_xlsx and fmt == default:
        fmt = "xlsx"
    if fmt == "xlsx" and not is_xlsx:
        raise UsageError(
            f"--output {output}: a workbook's name ends in .xlsx (found "
            f"'{output.suffix or 'no extension'}'); name it like {output.stem or 'status'}.xlsx"
        )
    if fmt != "xlsx" and is_xlsx:
        raise UsageError(
            f"--output {output}: a .xlsx name for --format {fmt}; use --format xlsx for a "
            "workbook, or another name"
        )
    check_target(output, force)
    return fmt


def check_target(path: Path, force: bool) -> None:
    """Raise UsageError unless ``path`` can be written: its folder exists and is writable, and
    the file is not there already (unless ``force``) and is a file if it is."""
    folder = path.parent
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        raise UsageError(
            f"--output {path}: no folder {folder}/ to write into; make it first, or write elsewhere"
        ) from None
    except OSError as exc:
        raise UsageError(f"--output {path}: cannot be used ({exc.strerror})") from None
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"--output {path}: {folder} is not a folder; expected a folder")
    if os.path.lexists(path):
        if path.is_symlink() or not path.is_file():
            raise UsageError(f"--output {path}: already there and not a file; write elsewhere")
        if not force:
            raise UsageError(
                f"--output {path}: already exists; pass --force to write over it, or write "
                "elsewhere"
            )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(
            f"--output {path}: cannot write in the folder {folder}/ (permission denied); "
            "write elsewhere"
        )


def check_folder(folder: Path, may_create: bool = True, given: Path | None = None) -> None:
    """UsageError unless files can be written into ``folder`` (made at writing time if it does
    not exist, ``may_create``, and its parent is a writable folder); ``given`` is the path the
    user typed, if it is a file in ``folder``."""
    where = folder
    if not os.path.lexists(folder):
        if not may_create:
            raise UsageError(
                f"--output {given or folder}: no folder {folder}/ to write into; make it first, "
                "or write elsewhere"
            )
        where = folder.parent if str(folder.parent) else Path(".")
        if not where.is_dir():
            raise UsageError(f"--output {folder}: no folder {where}/ to make it in; make it first")
    elif not folder.is_dir():
        raise UsageError(f"--output {folder}: not a folder; expected a folder to write into")
    if not os.access(where, os.W_OK | os.X_OK):
        raise UsageError(
            f"--output {where}: cannot write in this folder (permission denied); write elsewhere"
        )


def check_targets(paths: list[Path], force: bool) -> None:
    """UsageError if a file to write is there already (unless ``force``) or is not a file:
    checked for every file before the first is written (``check_folder`` checks the folder)."""
    for path in paths:
        if os.path.lexists(path):
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
                raise UsageError(f"--output {path}: already there and not a file; write elsewhere")
    there = [p for p in paths if os.path.lexists(p)]
    if there and not force:
        more = f" (and {len(there) - 1} more of the {len(paths)})" if len(there) > 1 else ""
        raise UsageError(
            f"--output {there[0]}: already exists{more}; pass --force to write over it, or "
            "write elsewhere"
        )


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, renamed over it: a failed
    write (a full disk) leaves what was there and no temporary file, and is a UsageError naming
    the path."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"--output {path}: cannot write the file ({exc.strerror})") from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)  # mkstemp makes it 0600: an output is meant to be shared
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise UsageError(f"--output {path}: cannot write the file ({exc.strerror})") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ending in a newline) at ``path`` as ``write_atomic`` does."""
    write_atomic(path, (text if text.endswith("\n") else text + "\n").encode("utf-8"))
