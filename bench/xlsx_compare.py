"""Time every workbook kind with this checkout's okrtool against another revision's, interleaved
(issue 17: no workbook slower than before by more than 20 %, each ≤ 1.5 s).

The machine is shared and its load moves: each round runs the old and the new code one after
the other, so both meet the same load; the figures are medians over the rounds. The other
revision is taken with ``git archive`` into a temporary folder and run with it first on
``sys.path`` (the same Python, the same installed libraries).

Usage: ``python bench/xlsx_compare.py [--rev a16f4e8] [--runs 5]``
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
SHIPPED = ROOT / "data"
TARGET_S = 1.5
AS_OF = ("--as-of", "2024-06-30")
COMMANDS = {
    "status": ["status", *AS_OF],
    "status --since 2024-04-30": ["status", "--since", "2024-04-30", *AS_OF],
    "status --by district": ["status", "--by", "district", *AS_OF],
    "missing": ["missing", *AS_OF],
    "history infra-risk-spots-fixed": ["history", "infra-risk-spots-fixed", *AS_OF],
    "brief --host env": ["brief", "--host", "env", *AS_OF],
    "handbook --agency env": ["handbook", "--agency", "env", *AS_OF],
}
MAIN = "import sys; sys.path.insert(0, sys.argv.pop(1)); from okrtool.cli import main; main()"


def timed(code: Path, args: list[str], folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run: on a loaded machine the CPU time is
    the steadier measure of the work done."""
    out = folder / "out.xlsx"
    full = [sys.executable, "-c", MAIN, str(code), *args, "--data", str(SHIPPED), "-o", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*full, "--force"], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="a16f4e8", help="the revision to compare with")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", options.rev, "okrtool"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        folder = Path(tmp)
        print(
            f"{'workbook':32} {'wall ' + options.rev:>13} {'now':>6} {'ratio':>6}"
            f" {'cpu ' + options.rev:>13} {'now':>6} {'ratio':>6}  target {TARGET_S} s"
        )
        for name, args in COMMANDS.items():
            timed(old, args, folder)  # the parse cache warm
            timed(ROOT, args, folder)
            before, after = [], []
            for _ in range(options.runs):
                before.append(timed(old, args, folder))
                after.append(timed(ROOT, args, folder))
            b, a = (statistics.median(w for w, _ in t) for t in (before, after))
            cb, ca = (statistics.median(c for _, c in t) for t in (before, after))
            verdict = "ok" if a <= TARGET_S and ca <= 1.2 * cb else "OVER"
            print(
                f"{name:32} {b:12.2f}s {a:5.2f}s {a / b:6.2f} {cb:12.2f}s {ca:5.2f}s"
                f" {ca / cb:6.2f}  {verdict}"
            )


if __name__ == "__main__":
    main()
