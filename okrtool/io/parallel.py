"""CPU-bound work over many files in forked processes, one a core.

Parsing XML (openpyxl) and CSV into Python objects is bound by the CPU and the GIL, so threads do
not help; processes do. They are *forked*, so that what the parent has loaded (the plan of the
dataset) is there in each without being sent, and only each item's result travels back
(pickled). That is done only where a forked process can be made to end with its parent (Linux:
``PR_SET_PDEATHSIG``), so that a killed command leaves nothing behind; elsewhere, and for fewer
than two items or one core, the work runs in the calling process. The results are the same
either way.
"""

from __future__ import annotations

import os
import select
import signal
import struct
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: At most this many worker processes, whatever the number of cores.
MAX_WORKERS = 8

#: What the forked workers do with each item (set by ``fork_map`` just before forking).
_WORK: Callable[[Any], Any] | None = None


def workers_for(items: int) -> int:
    """How many processes ``fork_map`` would use for ``items`` items (1: none, in-process)."""
    if sys.platform != "linux":
        return 1
    return max(1, min(items, cores(), MAX_WORKERS))


def cores() -> int:
    """The cores this process may run on (``taskset``, a container's cpuset), not all the
    machine has: on one core a second process only takes turns with the first."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def fork_map(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[work(item) for item in items]``, in forked processes when there are several cores.

    ``work`` may be a closure: it is inherited, not pickled; its results must pickle. If a
    worker dies (killed, out of memory) the remaining work is done here, one item at a time.
    """
    workers = workers_for(len(items))
    if workers < 2:
        return [work(item) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _WORK
    _WORK = work
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start, initargs=(os.getpid(),)
        ) as pool:
            return list(pool.map(_run, items))
    except BrokenProcessPool:
        return [work(item) for item in items]
    finally:
        _WORK = None


@dataclass
class _Helper:
    """A forked helper of ``Shared``, seen from the parent."""

    pid: int
    records: int  # the pipe it tells on (read end, non-blocking)
    store: int  # the memory file its results are in
    unread: bytes = b""  # the start of a record not read whole yet


class Shared(Generic[T, R]):
    """``work`` over ``items``, shared between this process and forked helpers (one a core
    beyond this one): each takes the next item nobody has taken yet, so that the items get
    done by whichever is free, and ``get(i)`` gives item ``i``'s result as soon as it is done
    (this process does items itself while it waits), so that the caller can go on with item
    0 while item 40 is being read. The results are ``work(item)``'s, the same whichever
    process did each.

    Unlike ``fork_map``'s pool, which leaves the parent idle while its workers work, here the
    parent works too, and between items it does what needs only some of them (on two cores,
    that is half the machine). The queue is a pipe holding each item's index (4 bytes, read
    whole by one reader); a helper puts each result, pickled, in its own memory file and tells
    where through its own pipe (a record of 20 bytes, written whole), so that it never waits
    for the parent. With one core, one item, not on Linux, or more items than the queue
    holds, there is no helper and the items are done here. If a helper dies, what it had
    taken and not told is done here.

    Use it as a context manager: leaving it (an error, Ctrl-C) ends the helpers.
    """

    #: Index bytes a pipe holds without its writer waiting (Linux: 64 KiB).
    PIPE_ITEMS = 65536 // 4
    _RECORD = struct.Struct("<IQQ")  # item index, offset and length of its pickled result

    def __init__(
        self, work: Callable[[T], R], items: Sequence[T], processes: int | None = None
    ) -> None:
        """``processes``: how many, this one included (default: one a core, ``workers_for``;
        on Linux only)."""
        self.work, self.items = work, items
        self.done: dict[int, R] = {}
        #: the helpers' results not yet taken in: index → (helper, offset, length)
        self.told: dict[int, tuple[_Helper, int, int]] = {}
        self.helpers: list[_Helper] = []
        self.stores: list[int] = []  # every helper's memory file, open to the end
        self.queue = -1
        self.next_here = 0  # without helpers: the next item to do here
        helpers = min(processes or workers_for(len(items)), len(items)) - 1
        if helpers < 1 or sys.platform != "linux" or len(items) > self.PIPE_ITEMS:
            return
        self.queue, queue_in = os.pipe()
        os.write(queue_in, b"".join(i.to_bytes(4, "little") for i in range(len(items))))
        os.close(queue_in)  # an empty queue reads as its end
        parent = os.getpid()
        for _ in range(helpers):
            store = _memory_file()
            self.stores.append(store)
            records, records_in = os.pipe()
            pid = os.fork()
            if pid == 0:  # a helper
                code = 1
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent answers Ctrl-C
                    _start(parent)
                    for fd in [records, *(h.records for h in self.helpers)]:
                        os.close(fd)
                    self._help(records_in, store)
                    code = 0
                finally:
                    os._exit(code)
            os.close(records_in)
            os.set_blocking(records, False)
            self.helpers.append(_Helper(pid, records, store))

    def _help(self, records_in: int, store: int) -> None:
        """In a helper: take items until none is left; put each result in the memory file
        ``store`` and tell the parent where."""
        import pickle

        offset = 0
        while (index := self._take()) is not None:
            data = pickle.dumps(self.work(self.items[index]), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(store, view) :]
            os.write(records_in, self._RECORD.pack(index, offset, len(data)))
            offset += len(data)

    def _take(self) -> int | None:
        """The index of the next item nobody has taken, taken; None if none is left."""
        if self.queue < 0:
            if self.next_here >= len(self.items):
                return None
            self.next_here += 1
            return self.next_here - 1
        got = os.read(self.queue, 4)
        return int.from_bytes(got, "little") if got else None

    def get(self, index: int) -> R:
        """Item ``index``'s result: done here if nobody has taken it yet (items before it
        are done here first, as they come in the queue), else taken in from its helper; while
        the helper is still at it, the next items of the queue are done here."""
        while index not in self.done:
            self._read_records(wait=False)
            if index in self.told:
                self.done[index] = self._take_in(index)
            elif (taken := self._take()) is not None:
                self.done[taken] = self.work(self.items[taken])
            elif not self.helpers:  # its helper ended without telling this one
                self.done[index] = self.work(self.items[index])
            else:
                self._read_records(wait=True)
        return self.done[index]

    def results(self) -> list[R]:
        """Every item's result, in the items' order."""
        return [self.get(i) for i in range(len(self.items))]

    def _read_records(self, wait: bool) -> None:
        """Take in what the helpers have told (waiting for one to tell something if
        ``wait``); reap those that have ended."""
        if wait and self.helpers:
            select.select([h.records for h in self.helpers], [], [])
        for helper in list(self.helpers):
            try:
                got = os.read(helper.records, 65536)
            except BlockingIOError:
                continue
            if not got:  # it has ended (its results all told, or it died)
                self._end(helper, kill=False)
                continue
            data = helper.unread + got
            whole = len(data) - len(data) % self._RECORD.size
            for index, offset, length in self._RECORD.iter_unpack(data[:whole]):
                self.told[index] = (helper, offset, length)
            helper.unread = data[whole:]

    def _take_in(self, index: int) -> R:
        import pickle

        helper, offset, length = self.told.pop(index)
        return pickle.loads(os.pread(helper.store, length, offset))

    def _end(self, helper: _Helper, kill: bool) -> None:
        """Reap ``helper`` (killed first if ``kill``) and close its pipe (its memory file
        stays open: results told in it may still be taken in)."""
        self.helpers.remove(helper)
        if kill:
            with suppress(OSError):
                os.kill(helper.pid, signal.SIGKILL)
        with suppress(OSError):
            os.waitpid(helper.pid, 0)
        os.close(helper.records)

    def __enter__(self) -> Shared[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        for helper in list(self.helpers):  # left before they ended (an error, Ctrl-C)
            self._end(helper, kill=True)
        for fd in [self.queue, *self.stores]:
            if fd >= 0:
                with suppress(OSError):
                    os.close(fd)
        self.queue, self.stores = -1, []


def _memory_file() -> int:
    """A file descriptor of a file in memory (Linux: memfd), or else of an unnamed temporary
    file; a forked child shares it."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("okrtool-shared", os.MFD_CLOEXEC)
    import tempfile

    return os.dup(tempfile.TemporaryFile().fileno())


def share_out(
    work: Callable[[list[T]], R], items: Sequence[T], sizes: Sequence[int], min_total: int
) -> list[R]:
    """``work`` over ``items`` dealt into one list a process by ``sizes`` (``chunks``) and run
    by ``fork_map``, when the sizes add up to ``min_total`` or more (below that, forking costs
    more than it saves); else ``work`` over all of them here. One result a list."""
    parts = workers_for(len(items)) if sum(sizes) >= min_total else 1
    return fork_map(work, chunks(items, sizes, parts))


def chunks(items: Sequence[T], sizes: Sequence[int], parts: int) -> list[list[T]]:
    """``items`` dealt into at most ``parts`` lists of about equal total ``sizes`` (largest
    first, each to the lightest list), for ``fork_map`` over lists of files."""
    order = sorted(range(len(items)), key=lambda i: -sizes[i])
    bins: list[list[int]] = [[] for _ in range(max(1, min(parts, len(items))))]
    loads = [0] * len(bins)
    for i in order:
        lightest = loads.index(min(loads))
        bins[lightest].append(i)
        loads[lightest] += sizes[i]
    return [[items[i] for i in sorted(b)] for b in bins if b]


def _start(parent: int) -> None:
    """A worker is killed when its parent ends (PR_SET_PDEATHSIG), so that a command killed
    mid-way leaves no worker behind, and writes nothing where its parent writes (a pipe held
    open by a worker would keep whoever reads the command's output waiting)."""
    import ctypes

    pr_set_pdeathsig = 1
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)


def _run(item: Any) -> Any:
    assert _WORK is not None
    return _WORK(item)
