"""okrtool.io.parallel: work shared out to forked processes gives what one process gives."""

from __future__ import annotations

import os
import subprocess
import sys

from okrtool.io.parallel import chunks, fork_map, workers_for


def test_chunks_balance_the_sizes_and_keep_the_order() -> None:
    items = ["a", "b", "c", "d", "e", "f"]
    sizes = [50, 10, 40, 30, 20, 10]
    parts = chunks(items, sizes, 2)
    assert parts == [["a", "b", "e"], ["c", "d", "f"]]
    assert [sum(sizes[items.index(i)] for i in p) for p in parts] == [80, 80]
    assert chunks(items, sizes, 1) == [items]
    assert chunks(["x"], [1], 4) == [["x"]]
    assert chunks([], [], 2) == []


def test_fork_map_runs_a_closure_and_keeps_the_order() -> None:
    known = {n: n * n for n in range(40)}  # inherited by the workers, not sent
    got = fork_map(lambda n: (known[n], os.getpid()), list(range(40)))
    assert [square for square, _ in got] == [n * n for n in range(40)]
    pids = {pid for _, pid in got}
    if workers_for(40) > 1:
        assert os.getpid() not in pids
    else:
        assert pids == {os.getpid()}


def test_workers_write_nothing_where_the_parent_writes() -> None:
    script = (
        "from okrtool.io.parallel import fork_map\n"
        "print(fork_map(lambda n: print('from a worker') or n + 1, [1, 2, 3, 4]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    expected = "[2, 3, 4, 5]\n"
    if workers_for(4) < 2:  # no processes here: the work ran in the parent
        expected = "from a worker\n" * 4 + expected
    assert done.stdout == expected
