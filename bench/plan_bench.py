"""Time `okrtool import-plan`: one policy's workshop sheet, and 50 districts' binding sheets.

On a copy of the shipped data (not timed):

- ``workshop``: the workshop sheet of env-waste-points (made by `okrtool plan-template`),
  filled with openpyxl with own targets for its 50 districts adding up to 2,473, then imported;
- ``binding``: after that import, the 50 districts' binding sheets (FY 2567), each with the
  title of its own OKR typed on the env-waste-points row, imported in one run.

For each, the median of ``--runs`` runs, each into a fresh copy of the data: ``okrtool
import-plan`` in a new process (wall time, and the CPU time of the process, since a shared
machine's wall time is mostly waiting), and the same import called in-process. Targets
(issue 19): one policy's sheet <= 1 s; 50 binding sheets <= 10 s.

Usage: ``python bench/plan_bench.py [--runs 3]``
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data"
POLICY = "env-waste-points"
KEY_RESULT = "env-waste-points-set"


def okrtool(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "okrtool", *args], check=True, capture_output=True)


def filled_workshop(data: Path, work: Path) -> Path:
    """The workshop sheet of the policy, own targets for the 50 districts adding up to 2,473."""
    import openpyxl

    sheet = work / "workshop.xlsx"
    okrtool("plan-template", "--data", str(data), "--policy", POLICY, "-o", str(sheet))
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Targets"]
    rows = [
        r
        for r in range(6, ws.max_row + 1)
        if ws.cell(r, 2).value == KEY_RESULT and ws.cell(r, 7).value == "R"
    ]
    each, extra = divmod(2473, len(rows))
    for i, r in enumerate(rows):
        ws.cell(r, 8).value = each + (1 if i < extra else 0)
    wb.save(sheet)
    return sheet


def filled_bindings(data: Path, work: Path) -> list[Path]:
    """Every district's binding sheet of FY 2567, its own OKR's title typed on the policy's row."""
    import openpyxl
    import yaml

    districts = yaml.safe_load((data / "agencies/districts.yaml").read_text(encoding="utf-8"))
    out = []
    folder = work / "bindings"
    folder.mkdir()
    for district in (d["id"] for d in districts["districts"]):
        sheet = folder / f"{district}.xlsx"
        okrtool(
            "plan-template", "--data", str(data), "-a", district, "--fy", "2567", "-o", str(sheet)
        )
        wb = openpyxl.load_workbook(sheet)
        ws = wb["Binding"]
        for r in range(6, ws.max_row + 1):
            if ws.cell(r, 3).value == KEY_RESULT:
                ws.cell(r, 9).value = f"จุดรวมมูลฝอยของเขต {district}"
        wb.save(sheet)
        out.append(sheet)
    return out


def timed_process(data: Path, files: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds of `okrtool import-plan` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    okrtool("import-plan", "--data", str(data), *map(str, files))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def timed_in_process(data: Path, files: list[Path]) -> float:
    from okrtool.imports.plan import import_plan

    start = time.perf_counter()
    result = import_plan(data, files)
    assert result.exit_code == 0, [p.message for f in result.files for p in f.refusals]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okrtool-plan-bench-") as tmp:
        work = Path(tmp)
        base = work / "base"
        shutil.copytree(SHIPPED, base)
        workshop = filled_workshop(base, work)
        allocated = work / "allocated"
        shutil.copytree(base, allocated)
        okrtool("import-plan", "--data", str(allocated), str(workshop))
        bindings = filled_bindings(allocated, work)
        cases = [
            ("workshop (1 policy)", base, [workshop]),
            ("binding (50 sheets)", allocated, bindings),
        ]
        for name, source, files in cases:
            walls, cpus, inner = [], [], []
            for run in range(args.runs):
                data = work / f"run-{name[:7]}-{run}"
                shutil.copytree(source, data)
                wall, cpu = timed_process(data, files)
                walls.append(wall)
                cpus.append(cpu)
                data2 = work / f"run-{name[:7]}-{run}-in"
                shutil.copytree(source, data2)
                inner.append(timed_in_process(data2, files))
            print(
                f"{name}: okrtool import-plan {statistics.median(walls):.2f} s wall, "
                f"{statistics.median(cpus):.2f} s CPU; in-process {statistics.median(inner):.2f} s "
                f"(median of {args.runs})"
            )


if __name__ == "__main__":
    main()
