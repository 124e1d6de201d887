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
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any, TypeVar

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
