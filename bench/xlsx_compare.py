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


def timed(code: Path, args: list[str], folder: Path) -> float:
    out = folder / "out.xlsx"
    full = [sys.executable, "-c", MAIN, str(code), *args, "--data", str(SHIPPED), "-o", str(out)]
    start = time.perf_counter()
    subprocess.run([*full, "--force"], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


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
        print(f"{'workbook':32} {options.rev:>9} {'now':>7} {'ratio':>6}  target {TARGET_S} s")
        for name, args in COMMANDS.items():
            timed(old, args, folder)  # the parse cache warm
            timed(ROOT, args, folder)
            before, after = [], []
            for _ in range(options.runs):
                before.append(timed(old, args, folder))
                after.append(timed(ROOT, args, folder))
            b, a = statistics.median(before), statistics.median(after)
            verdict = "ok" if a <= TARGET_S and a <= 1.2 * b else "OVER"
            print(f"{name:32} {b:8.2f}s {a:6.2f}s {a / b:6.2f}  {verdict}")


if __name__ == "__main__":
    main()
