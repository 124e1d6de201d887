"""Profile one okrtool command in-process: where the time goes (cProfile), how much of it is the
garbage collector, and the peak memory.

Usage: ``python bench/profile_cmd.py [--top 25] [--sort tottime] -- validate bench/out/y10``

Prints the top functions, the collector's share (timed with ``gc.callbacks``) and the peak RSS.
The command's own output goes to /dev/null.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import os
import pstats
import resource
import sys
import time


def main(argv: list[str] | None = None) -> int:
    """Run ``okrtool ARGS`` under cProfile and print the profile."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--top", type=int, default=25, help="how many functions to list")
    ap.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative)")
    ap.add_argument("--no-profile", action="store_true", help="only time it and the collector")
    ap.add_argument("args", nargs=argparse.REMAINDER, help="the okrtool arguments, after --")
    ns = ap.parse_args(argv)
    args = ns.args[1:] if ns.args[:1] == ["--"] else ns.args

    gc_time = [0.0]
    gc_runs = [0, 0, 0]
    started = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            gc_time[0] += time.perf_counter() - started[0]
            gc_runs[info["generation"]] += 1

    gc.callbacks.append(on_gc)
    from okrtool.cli import main as okrtool_main

    sys.argv = ["okrtool", *args]
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    code: object = 0
    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
        if not ns.no_profile:
            profiler.enable()
        try:
            okrtool_main()
        except SystemExit as exc:
            code = exc.code
        finally:
            profiler.disable()
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"okrtool {' '.join(args)}: exit {code}, {wall:.2f} s wall"
        f"{' under cProfile' if not ns.no_profile else ''}, peak RSS {peak:.0f} MiB"
    )
    print(
        f"garbage collector: {gc_time[0]:.2f} s in {sum(gc_runs)} collections "
        f"(gen0 {gc_runs[0]}, gen1 {gc_runs[1]}, gen2 {gc_runs[2]})"
    )
    if not ns.no_profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(ns.sort).print_stats(ns.top)
        text = out.getvalue()
        print(text[text.find("   ncalls") :] if "   ncalls" in text else text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
