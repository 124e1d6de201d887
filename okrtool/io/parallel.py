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
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
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
    return max(1, min(items, os.cpu_count() or 1, MAX_WORKERS))


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


class Shared(Generic[T, R]):
    """``work`` over ``items``, shared between this process and one forked helper: each takes
    the next item nobody has taken yet, so the items get done by whichever is free, and this
    process may do other work between two items of its own (``here``). ``results`` gives
    ``[work(item) for item in items]``, the same whichever process did each.

    Made for two cores, where ``fork_map``'s pool leaves the parent idle while its workers
    read: here the parent reads too, and between two items it does what does not need them
    all. The queue is a pipe holding each item's index (4 bytes, read whole by one reader);
    the helper sends its results back pickled, once, when the queue is empty. With one core,
    one item, not on Linux, or more items than the pipe holds, there is no helper and the
    items are done here. If the helper dies, what it had taken is done here.

    Use it as a context manager: leaving it (an error, Ctrl-C) ends the helper.
    """

    #: Index bytes a pipe holds without its writer waiting (Linux: 64 KiB).
    PIPE_ITEMS = 65536 // 4

    def __init__(self, work: Callable[[T], R], items: Sequence[T]) -> None:
        self.work, self.items = work, items
        self.done: dict[int, R] = {}
        self.helper: int | None = None
        self.queue = self.answers = -1
        self.next_here = 0  # without a helper: the next item to do here
        if len(items) < 2 or workers_for(len(items)) < 2 or len(items) > self.PIPE_ITEMS:
            return
        self.queue, queue_in = os.pipe()
        os.write(queue_in, b"".join(i.to_bytes(4, "little") for i in range(len(items))))
        os.close(queue_in)  # an empty queue reads as its end
        self.answers, answers_in = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the helper: take items until none is left, send the results, end
            code = 1
            try:
                os.close(self.answers)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent answers Ctrl-C
                _start(parent)
                import pickle

                mine = {}
                while (index := self._take()) is not None:
                    mine[index] = work(items[index])
                data = pickle.dumps(mine, protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(answers_in, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(answers_in)
        self.helper = pid

    def _take(self) -> int | None:
        """The index of the next item nobody has taken, taken; None if none is left."""
        if self.queue < 0:
            if self.next_here >= len(self.items):
                return None
            self.next_here += 1
            return self.next_here - 1
        got = os.read(self.queue, 4)
        return int.from_bytes(got, "little") if got else None

    def here(self) -> Iterator[R]:
        """Take items and do them here, one at a time, yielding each result as it is done;
        ends when no item is left. Stop iterating to do other work; call again to go on."""
        while (index := self._take()) is not None:
            self.done[index] = result = self.work(self.items[index])
            yield result

    def results(self) -> list[R]:
        """Every item's result, in the items' order: the items left are done here, then the
        helper's results are taken in (what it had taken and did not send is done here)."""
        for _ in self.here():
            pass
        if self.helper is not None:
            self.done.update(self._answers())
        return [
            self.done[i] if i in self.done else self.work(self.items[i])
            for i in range(len(self.items))
        ]

    def _answers(self) -> dict[int, R]:
        import pickle

        with os.fdopen(self.answers, "rb") as answers:
            self.answers = -1
            data = answers.read()
        _, status = os.waitpid(self._reap(), 0)
        if status != 0:
            return {}
        try:
            return pickle.loads(data)
        except Exception:  # a helper cut short: what it took is done here
            return {}

    def _reap(self) -> int:
        pid, self.helper = self.helper, None
        assert pid is not None
        return pid

    def __enter__(self) -> Shared[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.helper is not None:  # left early (an error, Ctrl-C): end the helper
            pid = self._reap()
            with suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with suppress(OSError):
                os.waitpid(pid, 0)
        for fd in (self.queue, self.answers):
            if fd >= 0:
                with suppress(OSError):
                    os.close(fd)
        self.queue = self.answers = -1


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
