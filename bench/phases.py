"""Time the phases of loading a whole data folder and checking it, in one process: loading
(YAML, CSV), each rule, locating, with the garbage collector's time, and the memory that the
report values hold. This is the path of status, missing and the importer for the years they
read (``validate.load_checked``); validate itself checks report files one at a time in worker
processes and keeps no values (``validate.check_reports``).

Usage: ``python bench/phases.py bench/out/y10 [--gc-off-rules]``

``--gc-off-rules`` runs the rules with the collector disabled, to show what that would save.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path


def rss_mib() -> float:
    """Current resident memory, MiB (from /proc/self/statm)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1024 / 1024


def main(argv: list[str] | None = None) -> int:
    """Load the data folder, run every rule, print a line per phase."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--gc-off-rules", action="store_true")
    ns = ap.parse_args(argv)

    gc_time = [0.0, 0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_time[1] = time.perf_counter()
        else:
            gc_time[0] += time.perf_counter() - gc_time[1]

    gc.callbacks.append(on_gc)
    t = time.perf_counter()
    from okrtool.io import loaddata
    from okrtool.io.loaddata import load_dataset, locate
    from okrtool.rules.check import RULES

    print(f"{'imports':<28} {time.perf_counter() - t:6.2f} s   rss {rss_mib():6.0f} MiB")

    # time the three kinds of file separately by wrapping the readers
    spent: dict[str, float] = {}
    for name in ("read_agency_file", "read_policy_file", "read_report_file"):
        original = getattr(loaddata, name)

        def timed(*a: object, _f: object = original, _n: str = name) -> object:
            t0 = time.perf_counter()
            try:
                return _f(*a)  # type: ignore[operator]
            finally:
                spent[_n] = spent.get(_n, 0.0) + time.perf_counter() - t0

        setattr(loaddata, name, timed)

    base = rss_mib()
    t = time.perf_counter()
    ds, problems = load_dataset(ns.data)
    load = time.perf_counter() - t
    for name, s in spent.items():
        print(f"  {name:<26} {s:6.2f} s")
    after = rss_mib()
    print(
        f"{'load_dataset':<28} {load:6.2f} s   rss {after:6.0f} MiB "
        f"({(after - base) * 1024 * 1024 / max(1, len(ds.reports)):.0f} B per report value, "
        f"{len(ds.reports):,} values)"
    )
    if ns.gc_off_rules:
        gc.disable()
    for rule in RULES:
        g0 = gc_time[0]
        t = time.perf_counter()
        found = list(rule(ds))
        problems.extend(found)
        print(
            f"  rule {rule.__name__:<21} {time.perf_counter() - t:6.2f} s   "
            f"gc {gc_time[0] - g0:5.2f} s   rss {rss_mib():6.0f} MiB   {len(found)} problems"
        )
    t = time.perf_counter()
    locate(problems, ns.data)
    print(f"{'locate':<28} {time.perf_counter() - t:6.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"garbage collector in all: {gc_time[0]:.2f} s; peak RSS {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
