"""Time `okrtool --help` (issue 16: ≤ 0.1 s) and one command's --help with this checkout's okrtool
against another revision's, interleaved.

The machine is shared and its load moves: each round runs the old and the new code one after
the other, so both meet the same load. Printed per variant: best and median wall time over the
runs, and best and median CPU time (user + system), the steadier measure on a loaded machine.
The other revision is taken with ``git archive`` into a temporary folder and run with it first
on ``sys.path`` (the same Python, the same installed libraries); a run starts in that folder, so
that the working folder's okrtool is not the one imported.

Usage: ``python bench/help_bench.py [--rev HEAD~1] [--runs 20]``
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 0.1
COMMANDS = {"--help": ["--help"], "status --help": ["status", "--help"]}
MAIN = "import sys; sys.path.insert(0, sys.argv.pop(1)); from okrtool.__main__ import main; main()"


def timed(code: Path, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run."""
    full = [sys.executable, "-c", MAIN, str(code), *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(full, cwd=code, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="HEAD", help="the revision to compare with")
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = subprocess.run(
            ["git", "archive", options.rev, "okrtool"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        variants = {options.rev: old, "this checkout": ROOT}
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(options.runs):
            for name, args in COMMANDS.items():
                for label, code in variants.items():
                    times.setdefault((name, label), []).append(timed(code, args))
    print(f"{options.runs} runs each, interleaved; wall and CPU in ms (target ≤ {TARGET_S} s)")
    for (name, label), runs in times.items():
        wall = [w * 1000 for w, _ in runs]
        cpu = [c * 1000 for _, c in runs]
        print(
            f"okrtool {name:14} {label:14} wall best {min(wall):5.1f} median "
            f"{statistics.median(wall):5.1f}   CPU best {min(cpu):5.1f} median "
            f"{statistics.median(cpu):5.1f}"
        )


if __name__ == "__main__":
    main()
