"""bench/generate.py writes cities that okrtool accepts: the benchmarks and the invariant tests
build on them, so a change to the shipped agencies must not break them unseen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import run

ROOT = Path(__file__).parent.parent


def test_a_generated_city_over_every_dimension_and_before_any_edition_validates(
    tmp_path: Path,
) -> None:
    out = tmp_path / "city"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench/generate.py"), "--years", "9", "--policies", "10",
         "--last-year", "2567", "--lean", "--out", str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{out}: FY 2559–2567, 10 policies, 40 key results a year")
    code, text = run("validate", str(out))
    assert code == 0, text
    assert text.splitlines()[-1].startswith(
        "OK: no problems. Read 10 policies, 180 OKRs, 360 key results, 69 agencies"
    )
