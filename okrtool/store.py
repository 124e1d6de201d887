"""Writing report files: deterministic, atomic, one import at a time.

``data/reports/<fiscal year>/<agency>.csv`` is rewritten whole: rows sorted by key result then
period (a stable sort), the columns of ``REPORT_COLUMNS``, values as plain decimals. Rows that an
import does not touch keep their text, so a git diff shows exactly the values that changed. Each
agency has its own file, so two districts importing on two branches never touch the same file.

A write goes to a temporary file in the same folder, then ``os.replace`` puts it in place: a
reader sees the old file or the new one, never half of one. ``import_lock`` makes two imports
into one data folder wait for each other.
"""

from __future__ import annotations

import csv
import io
import operator
import os
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from okrtool.dataset import REPORTS_DIR
from okrtool.errors import OkrtoolError
from okrtool.model import REPORT_COLUMNS, ReportValue
from okrtool.typed import plain

LOCK_NAME = ".okrtool-import.lock"
#: Seconds an import waits for another one before it gives up.
LOCK_TIMEOUT = 120.0


def report_file(fiscal_year: int, agency: str) -> str:
    """The report file of an agency and fiscal year, relative to the data folder."""
    return f"{REPORTS_DIR}/{fiscal_year}/{agency}.csv"


def row_of(rv: ReportValue) -> list[str]:
    """A report value as the row of a report file, in ``REPORT_COLUMNS`` order."""
    return [
        rv.key_result,
        str(rv.period),
        plain(rv.value),
        rv.source,
        rv.note,
        rv.file,
        rv.sha256,
        rv.cell,
        rv.recorded_at,
    ]


@dataclass
class PendingWrite:
    """The new text of one report file, not yet written."""

    path: Path
    text: str


def _read_rows(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    header = next(reader, None)
    if header is not None and tuple(header) != REPORT_COLUMNS:
        raise OkrtoolError(
            f"{path}: header is {','.join(header)!r}; expected {','.join(REPORT_COLUMNS)!r}"
        )
    return [row for row in reader if row]


_sort_key = operator.itemgetter(0, 1)  # key result, then period


def render(rows: Iterable[list[str]]) -> str:
    """The text of a report file holding ``rows``: header, then rows sorted by key result and
    period, ``\\n`` line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    writer.writerows(sorted(rows, key=_sort_key))
    return out.getvalue()


def prepare(root: Path, fiscal_year: int, agency: str, values: list[ReportValue]) -> PendingWrite:
    """The report file of ``agency`` with ``values`` put in: each replaces the row of its key
    result and period, or is added; every other row keeps its text."""
    path = root / report_file(fiscal_year, agency)
    rows = {(row[0], row[1]): row for row in _read_rows(path)}
    for rv in values:
        rows[(rv.key_result, str(rv.period))] = row_of(rv)
    return PendingWrite(path, render(rows.values()))


def commit(writes: list[PendingWrite]) -> None:
    """Write every pending file: all temporary files first, then each renamed into place, so a
    failure while writing leaves every report file as it was."""
    temps: list[tuple[str, Path]] = []
    try:
        for w in writes:
            w.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{w.path.name}.", suffix=".tmp", dir=w.path.parent)
            temps.append((temp, w.path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(w.text)
                f.flush()
                os.fsync(f.fileno())
    except BaseException:
        for temp, _ in temps:
            Path(temp).unlink(missing_ok=True)
        raise
    for temp, path in temps:
        os.replace(temp, path)


# --- one import at a time ---------------------------------------------------------------


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() or "another import"
    except OSError:
        return "another import"


def _is_stale(holder: str) -> bool:
    """True if the lock was left by a process of this machine that no longer runs."""
    parts = holder.split()
    # "import by pid 123 on host since ..."
    if len(parts) < 6 or parts[:3] != ["import", "by", "pid"] or parts[5] != socket.gethostname():
        return False
    try:
        os.kill(int(parts[3]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError, OSError):
        return False
    return False


@contextmanager
def import_lock(
    root: Path,
    timeout: float = LOCK_TIMEOUT,
    on_wait: Callable[[str], None] | None = None,
    poll: float = 0.2,
) -> Iterator[None]:
    """Hold the import lock of the data folder ``root`` (a lock file in it) while the block
    runs; wait up to ``timeout`` seconds for another import, telling ``on_wait`` once."""
    path = root / LOCK_NAME
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _holder(path)
            if _is_stale(holder):
                path.unlink(missing_ok=True)
                continue
            if time.monotonic() >= deadline:
                raise OkrtoolError(
                    f"{path}: {holder} still holds the import lock after {timeout:g} s; "
                    "try again when it has finished, or delete the lock file if no import "
                    "is running"
                ) from None
            if not told and on_wait is not None:
                on_wait(f"waiting for the {holder} to finish (lock file {path}) …")
                told = True
            time.sleep(poll)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            since = datetime.now().astimezone().isoformat(timespec="seconds")
            f.write(f"import by pid {os.getpid()} on {socket.gethostname()} since {since}\n")
        break
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
