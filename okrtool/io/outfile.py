"""A command's output targets: checked before the first is written, each written whole.

Every command with ``--output`` checks its targets here, before it computes anything, and every
refusal is a UsageError (exit 2) worded the same for the same situation, naming the path and what
to do: ``check_file`` (one file), ``check_folder`` and ``check_files`` (files written into a
folder), ``check_replace`` (a folder replaced whole: the site). No output goes into the data
folder or a folder inside it, with or without ``--force``, and no folder holding the data or the
current folder is replaced; those refusals come first, so that none suggests ``--force`` in vain.

A file is written to a temporary file beside it and renamed over it (``os.replace``), so a failed
write leaves what was there; a file already there is written over only with ``force``.
``output_format`` checks ``--format`` against ``-o`` for the commands that print or write
(``status``, ``missing``, ``history``).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from okrtool.dataset import AGENCIES_DIR, POLICIES_DIR, REPORTS_DIR
from okrtool.errors import UsageError

#: Formats that are files, never printed to a terminal.
BINARY_FORMATS = ("xlsx",)
#: The format a file name's suffix means when --format is left at its default (-o status.csv).
SUFFIX_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".md": "markdown"}


def output_format(
    fmt: str, output: Path | None, force: bool, data: Path | None, default: str = "table"
) -> str:
    """The format to write, after checking ``--format`` against ``-o``: a workbook needs a file
    name ending in .xlsx; ``-o NAME.xlsx`` with the default format means a workbook, and
    ``.csv``, ``.json`` and ``.md`` their formats likewise (SUFFIX_FORMATS). Raises
    UsageError (exit 2) for a combination that cannot be meant, or a path that cannot be
    written (``check_file``; ``data`` is the data folder), before anything is computed."""
    if output is None:
        if fmt in BINARY_FORMATS:
            raise UsageError(
                f"--format {fmt} writes a workbook, which is not printed to a terminal: "
                f"give its file name with -o FILE.{fmt}"
            )
        return fmt
    suffix = output.suffix.lower()
    named = SUFFIX_FORMATS.get(suffix)
    if named and fmt == default:
        fmt = named
    if fmt == "xlsx":
        xlsx_name(output)
    if named and fmt != named:
        if named == "xlsx":
            raise UsageError(
                f"--output {output}: a .xlsx name for --format {fmt}; use --format xlsx for a "
                "workbook, or another name"
            )
        raise UsageError(
            f"--output {output}: a {suffix} name for --format {fmt}; leave --format out to "
            f"write {named} there, or name it like {output.stem}.{_suffix_of(fmt)}"
        )
    check_file(output, force, data)
    return fmt


def _suffix_of(fmt: str) -> str:
    for suffix, named in SUFFIX_FORMATS.items():
        if named == fmt:
            return suffix[1:]
    return "txt"


def xlsx_name(output: Path) -> None:
    """Raise UsageError unless ``output`` is named like a workbook (``.xlsx``)."""
    if output.suffix.lower() != ".xlsx":
        raise UsageError(
            f"--output {output}: a workbook's name ends in .xlsx (found "
            f"'{output.suffix or 'no extension'}'); name it like {output.stem or 'status'}.xlsx"
        )


def _real(path: Path) -> Path:
    """``path`` absolute, with its links followed (a link loop is left as it is, not raised)."""
    return Path(os.path.realpath(path))


def _refuse_data(given: Path, data: Path | None) -> None:
    """UsageError if ``given`` is the data folder ``data`` or inside it, or inside any folder
    that is plainly a data folder (``_data_folder_of``): run from inside the data folder, the
    default ./data is not the one written into (``cd data; okrtool schema -o schemas``)."""
    target = _real(given)
    if data is not None:
        home = _real(data)
        if target == home or home in target.parents:
            where = "the data folder" if target == home else f"inside the data folder {data}/"
            raise UsageError(
                f"--output {given}: {where}, where only import-reports writes; write elsewhere"
            )
    found = _data_folder_of(target)
    if found is not None:
        where = "a data folder" if found == target else f"inside the data folder {found}/"
        raise UsageError(
            f"--output {given}: {where} (it holds {AGENCIES_DIR}/, {POLICIES_DIR}/ and "
            f"{REPORTS_DIR}/), where only import-reports writes; write elsewhere"
        )


def _data_folder_of(target: Path) -> Path | None:
    """The folder holding ``target`` (or ``target`` itself) that has agencies/, policies/ and
    reports/ in it: a data folder, whichever --data says; or None."""
    for folder in (target, *target.parents):
        if all(os.path.isdir(folder / sub) for sub in (AGENCIES_DIR, POLICIES_DIR, REPORTS_DIR)):
            return folder
    return None


def _folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def check_folder(
    folder: Path, data: Path | None, may_create: bool = True, given: Path | None = None
) -> None:
    """Raise UsageError unless files can be written into ``folder``: outside the data folder
    ``data``, a folder (or, ``may_create``, one that can be made: its parent is a folder), and
    writable. ``given`` is the path the user typed, if it is a file in ``folder``."""
    shown = given or folder
    _refuse_data(shown, data)
    where = folder
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        if not may_create:
            raise UsageError(
                f"--output {shown}: no folder {folder}/ to write into; make it first, or write "
                "elsewhere"
            ) from None
        where = _folder_of(folder)
        try:
            info = os.stat(where)
        except OSError:
            raise UsageError(
                f"--output {shown}: no folder {where}/ to make it in; make it first, or write "
                "elsewhere"
            ) from None
    except OSError as exc:
        raise UsageError(f"--output {shown}: cannot be used ({exc.strerror})") from None
    if not stat.S_ISDIR(info.st_mode):
        what = "not a folder" if where == shown else f"{where} is not a folder"
        raise UsageError(f"--output {shown}: {what}; expected a folder to write into")
    if not os.access(where, os.W_OK | os.X_OK):
        raise UsageError(
            f"--output {shown}: cannot write in the folder {where}/ (permission denied); "
            "write elsewhere"
        )


def is_device(path: Path) -> bool:
    """True if ``path`` is (or links to) a character device, like /dev/null or a terminal's
    /dev/stdout: written as it is, never replaced, and no --force needed."""
    try:
        return stat.S_ISCHR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _kind(path: Path, mode: int) -> str:
    """What is at ``path`` (``mode``: its lstat's), other than a file or a device."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:  # a link to nothing, or a loop: say it is a link
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops onto itself"
    if stat.S_ISFIFO(mode):
        return "a pipe (leave -o out to print)"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(os.lstat(path).st_mode):
        return "a symbolic link (write to the file it names)"
    return "not a file"


def check_files(paths: list[Path], force: bool) -> None:
    """Raise UsageError if a file to write is there already (unless ``force``) or is not a file:
    checked for every file before the first is written (``check_folder`` checks their folder).
    A character device (/dev/null) is written as it is."""
    there = []
    for path in paths:
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise UsageError(f"--output {path}: cannot be used ({exc.strerror})") from None
        if is_device(path):
            continue
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(
                f"--output {path}: already there and {_kind(path, info.st_mode)}; write elsewhere"
            )
        there.append(path)
    if there and not force:
        more = (
            f" (and {len(there) - 1} more of the {len(paths)} to write)" if len(there) > 1 else ""
        )
        raise UsageError(
            f"--output {there[0]}: already exists{more}; pass --force to write over it, or "
            "write elsewhere"
        )


def check_file(path: Path, force: bool, data: Path | None) -> None:
    """Raise UsageError unless the file ``path`` can be written: outside the data folder
    ``data``, in a writable folder that is there, and not there already (unless ``force``)."""
    _refuse_data(path, data)
    if is_device(path):
        return
    check_folder(_folder_of(path), None, may_create=False, given=path)
    check_files([path], force)


def check_replace(folder: Path, force: bool, data: Path | None, marker: str) -> None:
    """Raise UsageError unless ``folder`` can be replaced whole by a new one: not the data folder
    ``data``, inside it, or holding it or the current folder; a folder, or new with a parent to
    make it in; and empty or holding the file ``marker`` (what okrtool wrote there), unless
    ``force``."""
    _refuse_data(folder, data)
    target = _real(folder)
    for held, what in ((Path.cwd(), "the current folder"), (data, f"the data folder {data}/")):
        if held is not None and (target == _real(held) or target in _real(held).parents):
            raise UsageError(
                f"--output {folder}: replacing it would remove {what}; give a folder of its "
                "own, like --output public"
            )
    if not os.path.lexists(folder):
        check_folder(folder, None, may_create=True)
        return
    if not os.path.isdir(folder):
        raise UsageError(f"--output {folder}: not a folder; expected a folder to write into")
    # the new folder takes the old one's place by a rename in their parent: that is written in
    check_folder(_folder_of(folder), None, may_create=False, given=folder)
    if force:
        return
    try:
        entries = os.listdir(folder)
    except OSError as exc:
        raise UsageError(f"--output {folder}: cannot be used ({exc.strerror})") from None
    if entries and marker not in entries:
        what = "1 entry" if len(entries) == 1 else f"{len(entries)} entries"
        raise UsageError(
            f"--output {folder}: the folder holds {what} and no {marker} (not a folder okrtool "
            "wrote); give an empty or new folder, or --force to replace it"
        )


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, renamed over it: a failed
    write (a full disk) leaves what was there and no temporary file, and is a UsageError naming
    the path. A character device (/dev/null) is written as it is."""
    if is_device(path):
        try:
            with open(path, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise UsageError(f"--output {path}: cannot write ({exc.strerror})") from None
        return
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
