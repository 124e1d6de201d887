"""Time `okrtool import-reports` of 50 district workbooks against bare openpyxl reading them.

Two cases, each with one workbook per district (made by okrtool's own template writer) and
every allocated key result filled in:

- ``shipped``: the shipped plan (``data/`` policies and agencies; its report files left out, so
  that a month can be added to every key result whatever rhythm the shipped values have),
  the 50 district workbooks of 2567-07;
- ``city``: a synthetic city of one fiscal year from ``bench/generate.py`` (440 key results,
  reported monthly through 2567-05, about 184,000 stored values) and its 50 district workbooks
  of 2567-06, filled with the city's own values.

For each case, the median of ``--runs`` runs, each into a fresh copy of the data folder (the
copy is not timed):

- ``okrtool import-reports`` as a user runs it: a new process, wall time;
- the same import called in-process (``imports.reports.import_reports``): no interpreter start-up;
- bare openpyxl: ``load_workbook(read_only=True, data_only=True)`` and every row of every sheet
  with ``values_only=True``, in a new process and in-process.

Usage: ``python bench/import_bench.py [--runs 5] [--case shipped|city|both]``
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data"

BARE = """
import sys, openpyxl
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            pass
    wb.close()
"""


def shipped_case(work: Path) -> tuple[Path, list[Path]]:
    """The shipped plan without its reports, and 50 filled district workbooks of 2567-07."""
    import openpyxl

    from okrtool.io.loaddata import load_dataset
    from okrtool.io.template import template_for
    from okrtool.io.template_xlsx import write_template
    from okrtool.typed import period_of

    data = work / "shipped"
    shutil.copytree(SHIPPED, data, ignore=shutil.ignore_patterns("reports"))
    (data / "reports").mkdir()
    ds, _ = load_dataset(data)
    period = period_of("2567-07")
    books = []
    for district in ds.districts:
        template = template_for(ds, district, period, datetime.now().isoformat())
        path = work / "shipped-books" / f"{district}-{period}.xlsx"
        write_template(template, path)
        wb = openpyxl.load_workbook(path)
        ws = wb["Report"]
        for i, row in enumerate(template.rows):
            value = 50 if row.percent else max(1, round(row.target / 12))
            ws.cell(6 + i, 9, value)
        wb.save(path)
        books.append(path)
    return data, books


def city_case(work: Path) -> tuple[Path, list[Path]]:
    """A one-year synthetic city reported through 2567-05 and its 50 workbooks of 2567-06."""
    data, books = work / "city", work / "city-books"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/generate.py"),
            "--years",
            "1",
            "--until",
            "2567-05",
            "--out",
            str(data),
            "--workbooks",
            str(books),
            "--period",
            "2567-06",
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"bench/generate.py failed:\n{done.stdout}{done.stderr}")
    return data, sorted(books.glob("*.xlsx"))


def median_time(run: Callable[[], None], prepare: Callable[[], None], runs: int) -> float:
    """Median wall time of ``run`` over ``runs`` runs, ``prepare`` (untimed) before each."""
    times = []
    for _ in range(runs):
        prepare()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(name: str, data: Path, books: list[Path], work: Path, runs: int) -> list[str]:
    """The four figures of one case, as printable lines."""
    from okrtool.imports.reports import Options, import_reports

    target = work / f"{name}-target"

    def fresh() -> None:
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(data, target)

    def cli() -> None:
        cmd = ["okrtool", "import-reports", "--data", str(target), *map(str, books)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"import failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr}")

    def in_process() -> None:
        result = import_reports(target, books, Options())
        if result.exit_code:
            sys.exit("in-process import refused a file")

    def bare_process() -> None:
        subprocess.run([sys.executable, "-c", BARE, *map(str, books)], check=True)

    def bare_in_process() -> None:
        import openpyxl

        for path in books:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            for ws in wb.worksheets:
                for _ in ws.iter_rows(values_only=True):
                    pass
            wb.close()

    def nothing() -> None:
        pass

    fresh()
    warm = import_reports(target, books, Options())  # warm the file cache and the imports once
    values = sum(len(f.added) + len(f.changed) for f in warm.files)
    figures = {
        "okrtool import-reports (new process)": median_time(cli, fresh, runs),
        "import_reports() in-process": median_time(in_process, fresh, runs),
        "bare openpyxl read-only (new process)": median_time(bare_process, nothing, runs),
        "bare openpyxl read-only in-process": median_time(bare_in_process, nothing, runs),
    }
    lines = [f"{name}: {len(books)} workbooks, {values:,} values per import, median of {runs} runs"]
    base = figures["bare openpyxl read-only (new process)"]
    base_in = figures["bare openpyxl read-only in-process"]
    for label, seconds in figures.items():
        ref = base if "new process" in label else base_in
        lines.append(f"  {label:<40} {seconds:6.2f} s   ×{seconds / ref:4.1f} of bare openpyxl")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Build the cases, time them, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    ap.add_argument("--case", choices=("shipped", "city", "both"), default="both")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="okrtool-import-bench-") as tmp:
        work = Path(tmp)
        cases = []
        if args.case in ("shipped", "both"):
            cases.append(("shipped", *shipped_case(work)))
        if args.case in ("city", "both"):
            cases.append(("city", *city_case(work)))
        for name, data, books in cases:
            print("\n".join(measure(name, data, books, work, args.runs)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
