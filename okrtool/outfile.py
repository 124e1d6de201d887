"""Writing a command's output to a file (``-o FILE``): which format, whether the path can be
written, and writing it atomically.

The same rules as ``report-template``: a file already there is written over only with
``--force``; a folder that does not exist, or cannot be written in, is a usage error (exit 2),
checked before any figure is computed.
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
            f"--output {path}: no folder {folder}/ to write into; make it first, or write "
            "elsewhere"
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


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ending in a newline) at ``path`` through a temporary file beside
    it: a failed write leaves what was there. Raises OSError."""
    if not text.endswith("\n"):
        text += "\n"
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
