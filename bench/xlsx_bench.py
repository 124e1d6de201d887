"""Time the Excel pack on the shipped data (target of issue 10: ≤ 1.5 s wall each).

The median (and min, max) of ``--runs`` runs, each a new process as a user runs it, with the
parse cache warm (one untimed run first), of:

- ``okrtool status --as-of 2024-06-30 -o status.xlsx`` (one sheet, 19 key results);
- ``okrtool status --as-of 2024-06-30 --by district -o district.xlsx`` (a sheet and a bar chart
  per key result: 19 sheets, 50 districts each);
- ``okrtool missing --as-of 2024-06-30 -o missing.xlsx``;
- ``status --since 2024-04-30``, ``history infra-risk-spots-fixed``, ``brief --host env`` and
  ``handbook --agency env``, each ``-o`` a workbook (issue 17: no slower than before by 20 %);
- ``okrtool status --as-of 2024-06-30 --format json``, the same rows without a workbook.

Usage: ``python bench/xlsx_bench.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import shutil
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
    "status -o status.xlsx": ["status", *AS_OF, "-o", "status.xlsx"],
    "status --by district -o district.xlsx": ["status", *AS_OF, "--by", "district", "-o", "d.xlsx"],
    "missing -o missing.xlsx": ["missing", *AS_OF, "-o", "missing.xlsx"],
    "status --since -o since.xlsx": ["status", "--since", "2024-04-30", *AS_OF, "-o", "s.xlsx"],
    "history infra-risk-spots-fixed -o h.xlsx": [
        "history",
        "infra-risk-spots-fixed",
        *AS_OF,
        "-o",
        "history.xlsx",
    ],
    "brief --host env -o brief.xlsx": ["brief", "--host", "env", *AS_OF, "-o", "brief.xlsx"],
    "handbook --agency env -o hb.xlsx": ["handbook", "--agency", "env", *AS_OF, "-o", "hb.xlsx"],
    "status --format json (no workbook)": ["status", *AS_OF, "--format", "json"],
}


def okrtool() -> str:
    found = shutil.which("okrtool", path=str(Path(sys.executable).parent))
    if found is None:
        sys.exit("okrtool is not installed in this Python's environment")
    return found


def timed(args: list[str], folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=folder, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    exe = okrtool()
    print(f"{'command':42} {'median':>8} {'min':>7} {'max':>7}  target {TARGET_S} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, args in COMMANDS.items():
            full = [exe, *args, "--data", str(SHIPPED)]
            if "-o" in args:
                full.append("--force")
            timed(full, folder)  # the parse cache warm, as for a user's second command
            times = [timed(full, folder) for _ in range(runs)]
            median = statistics.median(times)
            verdict = "ok" if median <= TARGET_S else "OVER"
            print(f"{name:42} {median:7.2f}s {min(times):6.2f}s {max(times):6.2f}s  {verdict}")


if __name__ == "__main__":
    main()
