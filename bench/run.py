"""Time okrtool's commands as a user runs them, beside the floors and a peer, in one run.

Every figure is a whole command in a fresh process (``subprocess``), the median of ``--runs``
runs, with the peak resident memory of each run read from ``os.wait4`` on the child
(``ru_maxrss``). No extra packages: check-jsonschema is used when installed
(``pip install -e '.[bench]'``) and reported as missing otherwise.

What runs, on the shipped ``data/`` and on synthetic cities of 1, 3 and 10 fiscal years
(``bench/generate.py``, cached under ``bench/out/``):

- ``okrtool --help``;
- ``okrtool validate``, ``okrtool status --group quality-of-life`` and ``okrtool missing``,
  with okrtool's YAML parse cache (in ``bench/out/cache``, filled by the first run), and
  validate and status again without it (``(cold)``: every YAML file parsed, as in CI);
- floors: a bare ``python -c`` parse of the same YAML files with ``yaml.CSafeLoader``, and
  ``csv.reader`` over the same report CSVs;
- the peer: ``check-jsonschema --schemafile schema/policy.schema.json`` over the same policy
  files (okrtool's own exported schema);
- ``okrtool import-reports`` of the 50 district workbooks of 2567-06 into a fresh copy of the
  1-year city reported through 2567-05, beside bare openpyxl read-only iteration of the same
  workbooks (when okrtool has the command).

It prints a table of figures and the targets of issue 5 with their ratios, and writes both as
JSON with ``--json FILE``. ``--quick`` (1 and 3 years, 2 runs, the peer on the shipped data and
1 year only) finishes in under 3 minutes.

Usage: ``python bench/run.py [--quick] [--runs N] [--json FILE]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
SHIPPED = REPO / "data"
POLICY_SCHEMA = REPO / "schema" / "policy.schema.json"
PERIOD = "2567-06"
AS_OF = "2567-06-30"
GROUP = "quality-of-life"
GIB = 1024**3
#: A command taking longer than this is stopped and recorded as timed out.
TIMEOUT_S = 600

YAML_FLOOR = """
import sys, yaml
n = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        yaml.load(f.read(), Loader=yaml.CSafeLoader)
    n += 1
print(n, "YAML files")
"""
CSV_FLOOR = """
import csv, sys
n = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            n += 1
print(n, "CSV rows")
"""
OPENPYXL_FLOOR = """
import sys, openpyxl
n = 0
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            n += 1
    wb.close()
print(n, "rows")
"""


@dataclass
class Row:
    """One measured command: medians over the runs, and the peak memory of the largest run."""

    name: str
    dataset: str
    command: str
    runs: int = 0
    median_s: float | None = None
    min_s: float | None = None
    peak_mib: float | None = None
    exit_codes: list[int] = field(default_factory=list)
    note: str = ""


@dataclass
class Target:
    """One target of issue 5: the figure, the limit, and whether it is met."""

    target: str
    figure: str
    limit: str
    ratio: float | None
    met: bool | None
    note: str = ""


def run_once(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, int, int]:
    """Run ``cmd`` once; return (wall seconds, peak RSS in KiB, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = start + TIMEOUT_S
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.002)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, proc.returncode


def measure(
    name: str,
    dataset: str,
    cmd: list[str],
    runs: int,
    *,
    setup: Callable[[], list[str]] | None = None,
    note: str = "",
    cwd: Path = REPO,
    env: dict[str, str] | None = None,
) -> Row:
    """Median wall time and peak memory of ``cmd`` over ``runs`` runs; ``setup()`` (untimed)
    runs before each and may return the command to run."""
    shown = " ".join(cmd if len(cmd) < 12 else [*cmd[:8], f"... ({len(cmd) - 8} more args)"])
    row = Row(name, dataset, shown, note=note)
    times: list[float] = []
    peaks: list[int] = []
    for _ in range(runs):
        actual = setup() if setup else None
        wall, peak, rc = run_once(actual or cmd, cwd, env)
        times.append(wall)
        peaks.append(peak)
        row.exit_codes.append(rc)
    row.runs = runs
    row.median_s = round(statistics.median(times), 3)
    row.min_s = round(min(times), 3)
    row.peak_mib = round(max(peaks) / 1024, 1)
    status = "" if set(row.exit_codes) <= {0} else f" exit {sorted(set(row.exit_codes))}"
    print(
        f"  {name:<34} {dataset:<9} {row.median_s:8.2f} s  {row.peak_mib:8.1f} MiB{status}",
        flush=True,
    )
    return row


def ensure_city(years: int, until: str | None = None, workbooks: bool = False) -> Path:
    """The synthetic city of ``years`` fiscal years under bench/out/, generated if missing."""
    name = f"y{years}" + (f"-until-{until}" if until else "")
    out = OUT / name
    stamp = out / ".generated"
    args = [
        sys.executable,
        str(REPO / "bench" / "generate.py"),
        "--years",
        str(years),
        "--out",
        str(out),
    ]
    if until:
        args += ["--until", until]
    if workbooks:
        args += ["--workbooks", str(OUT / f"{name}-workbooks"), "--period", PERIOD]
    key = " ".join(args[2:]) + f" {(REPO / 'bench' / 'generate.py').stat().st_mtime}"
    if stamp.exists() and stamp.read_text() == key:
        return out
    print(f"generating {name} ...", flush=True)
    subprocess.run(args, check=True)
    stamp.write_text(key)
    return out


def files(root: Path, sub: str, suffixes: tuple[str, ...]) -> list[str]:
    """The data files under ``root/sub`` with these suffixes, sorted."""
    return sorted(str(p) for p in (root / sub).rglob("*") if p.suffix in suffixes)


def has_command(name: str) -> bool:
    """Whether ``okrtool`` has the subcommand ``name``."""
    done = subprocess.run(["okrtool", name, "--help"], capture_output=True, text=True)
    return done.returncode == 0


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "okrtool"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "okrtool_commit": commit + (" (+ uncommitted changes in okrtool/)" if dirty else ""),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def bench_dataset(label: str, root: Path, runs: int, peer: bool) -> list[Row]:
    """validate, status and missing on one data folder, beside the parse floors and the peer."""
    py = sys.executable
    yaml_files = files(root, "agencies", (".yaml", ".yml")) + files(
        root, "policies", (".yaml", ".yml")
    )
    policy_files = files(root, "policies", (".yaml", ".yml"))
    csv_files = files(root, "reports", (".csv",))
    status = ["okrtool", "status", "--group", GROUP, "--as-of", AS_OF, "--data", str(root)]
    cold = {**os.environ, "OKRTOOL_NO_CACHE": "1"}
    rows = [
        measure("okrtool validate", label, ["okrtool", "validate", str(root)], runs),
        measure(
            "okrtool validate (cold)",
            label,
            ["okrtool", "validate", str(root)],
            runs,
            env=cold,
            note="OKRTOOL_NO_CACHE=1: every YAML file parsed, as in CI",
        ),
        measure(f"okrtool status --group {GROUP}", label, status, runs),
        measure(
            f"okrtool status --group {GROUP} (cold)",
            label,
            status,
            runs,
            env=cold,
            note="OKRTOOL_NO_CACHE=1",
        ),
        measure(
            "okrtool missing",
            label,
            ["okrtool", "missing", "--period", PERIOD, "--data", str(root)],
            runs,
        ),
        measure(
            "floor: CSafeLoader YAML",
            label,
            [py, "-c", YAML_FLOOR, *yaml_files],
            runs,
            note=f"{len(yaml_files)} YAML files",
        ),
        measure(
            "floor: csv.reader CSV",
            label,
            [py, "-c", CSV_FLOOR, *csv_files],
            runs,
            note=f"{len(csv_files)} CSV files",
        ),
    ]
    if peer:
        exe = shutil.which("check-jsonschema")
        if exe:
            rows.append(
                measure(
                    "peer: check-jsonschema policies",
                    label,
                    [exe, "--schemafile", str(POLICY_SCHEMA), *policy_files],
                    runs,
                    note=f"{len(policy_files)} policy files",
                )
            )
        else:
            rows.append(
                Row(
                    "peer: check-jsonschema policies",
                    label,
                    "",
                    note="not installed: pip install -e '.[bench]'",
                )
            )
    return rows


def bench_import(runs: int) -> list[Row]:
    """import-reports of the 50 workbooks into a fresh copy, beside bare openpyxl."""
    if not has_command("import-reports") or not has_command("report-template"):
        note = "okrtool has no import-reports / report-template command yet"
        print(f"  import: skipped ({note})")
        return [Row("okrtool import-reports", "50 wb", "", note=note)]
    base = ensure_city(1, until="2567-05", workbooks=True)
    books_dir = OUT / f"{base.name}-workbooks"
    books = sorted(str(p) for p in books_dir.glob("*.xlsx"))
    tmp = Path(tempfile.mkdtemp(prefix="okrtool-bench-"))

    def fresh_copy() -> list[str]:
        target = tmp / "data"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(base, target)
        return ["okrtool", "import-reports", *books, "--data", str(target)]

    try:
        rows = [
            measure(
                "okrtool import-reports",
                "50 wb",
                ["okrtool", "import-reports", "..."],
                runs,
                setup=fresh_copy,
                note=f"{len(books)} workbooks into a fresh copy",
            ),
            measure(
                "floor: openpyxl read-only",
                "50 wb",
                [sys.executable, "-c", OPENPYXL_FLOOR, *books],
                runs,
                note="read_only=True, data_only=True, values_only=True",
            ),
        ]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def find(rows: list[Row], name: str, dataset: str) -> Row | None:
    """The measured row of this name and dataset, if it was measured."""
    for r in rows:
        if r.name == name and r.dataset == dataset and r.median_s is not None:
            return r
    return None


def targets(rows: list[Row]) -> list[Target]:
    """The targets of issue 5, evaluated on the measured rows."""
    out: list[Target] = []

    def ratio_target(text: str, a: Row | None, b: Row | None, limit: float) -> None:
        if a is None or b is None or not a.median_s or not b.median_s:
            out.append(Target(text, "not measured", f"≤ {limit:g}×", None, None))
            return
        ratio = a.median_s / b.median_s
        out.append(
            Target(
                text,
                f"{a.median_s:.2f} s / {b.median_s:.2f} s",
                f"≤ {limit:g}×",
                round(ratio, 2),
                ratio <= limit,
            )
        )

    def abs_target(text: str, a: Row | None, limit: float) -> None:
        if a is None or a.median_s is None:
            out.append(Target(text, "not measured", f"≤ {limit:g} s", None, None))
            return
        out.append(
            Target(
                text,
                f"{a.median_s:.2f} s",
                f"≤ {limit:g} s",
                round(a.median_s / limit, 2),
                a.median_s <= limit,
            )
        )

    abs_target("okrtool --help", find(rows, "okrtool --help", "-"), 0.25)
    ratio_target(
        "validate (shipped) vs check-jsonschema (same policy files)",
        find(rows, "okrtool validate", "shipped"),
        find(rows, "peer: check-jsonschema policies", "shipped"),
        1.0,
    )
    abs_target("10 years: validate", find(rows, "okrtool validate", "10y"), 10.0)
    abs_target(
        "10 years: validate, no parse cache", find(rows, "okrtool validate (cold)", "10y"), 10.0
    )
    abs_target("10 years: status", find(rows, f"okrtool status --group {GROUP}", "10y"), 3.0)
    abs_target(
        "10 years: status, no parse cache",
        find(rows, f"okrtool status --group {GROUP} (cold)", "10y"),
        3.0,
    )
    peaks = [
        r
        for r in rows
        if r.dataset == "10y" and r.name.startswith("okrtool") and r.peak_mib is not None
    ]
    if peaks:
        worst = max(peaks, key=lambda r: r.peak_mib or 0)
        peak = worst.peak_mib or 0
        out.append(
            Target(
                "10 years: peak memory",
                f"{peak:.0f} MiB ({worst.name})",
                "≤ 1024 MiB",
                round(peak / 1024, 2),
                peak <= 1024,
            )
        )
    else:
        out.append(Target("10 years: peak memory", "not measured", "≤ 1024 MiB", None, None))
    for cmd in ("okrtool validate", f"okrtool status --group {GROUP}", "okrtool missing"):
        ratio_target(
            f"linear: {cmd} 10y vs 1y", find(rows, cmd, "10y"), find(rows, cmd, "1y"), 11.0
        )
    ratio_target(
        "import-reports vs bare openpyxl (50 workbooks)",
        find(rows, "okrtool import-reports", "50 wb"),
        find(rows, "floor: openpyxl read-only", "50 wb"),
        1.5,
    )
    return out


def print_table(rows: list[Row], tgts: list[Target]) -> None:
    """The figures and the targets as Markdown tables on stdout."""
    print("\n| command | data | median s | min s | peak MiB | runs | exit | note |")
    print("|---|---|---:|---:|---:|---:|---|---|")
    for r in rows:
        med = "–" if r.median_s is None else f"{r.median_s:.3f}"
        mn = "–" if r.min_s is None else f"{r.min_s:.3f}"
        pk = "–" if r.peak_mib is None else f"{r.peak_mib:.0f}"
        codes = ",".join(str(c) for c in sorted(set(r.exit_codes))) or "–"
        print(f"| {r.name} | {r.dataset} | {med} | {mn} | {pk} | {r.runs} | {codes} | {r.note} |")
    print("\n| target | figure | limit | ratio to limit | met |")
    print("|---|---|---|---:|---|")
    for t in tgts:
        met = {True: "yes", False: "**NO**", None: "–"}[t.met]
        ratio = "–" if t.ratio is None else f"{t.ratio:.2f}"
        print(f"| {t.target} | {t.figure} | {t.limit} | {ratio} | {met} |")


def main(argv: list[str] | None = None) -> int:
    """Generate what is missing, measure everything, print and optionally save the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--quick", action="store_true", help="1 and 3 years only, 2 runs each (under 3 minutes)"
    )
    ap.add_argument("--runs", type=int, help="runs per command (default 5; 2 with --quick)")
    ap.add_argument("--years", default=None, help="synthetic sizes, e.g. 1,3,10 (default)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--no-import", action="store_true", help="skip the workbook import")
    args = ap.parse_args(argv)
    runs = args.runs or (2 if args.quick else 5)
    sizes = [int(x) for x in (args.years or ("1,3" if args.quick else "1,3,10")).split(",")]
    t0 = time.perf_counter()
    # okrtool's YAML parse cache for these runs: its own folder, filled by each command's
    # first run; the "(cold)" rows run without it
    os.environ["OKRTOOL_CACHE_DIR"] = str(OUT / "cache")
    os.environ.pop("OKRTOOL_NO_CACHE", None)
    info = machine()
    print(f"okrtool bench: {info}", flush=True)

    cities = {n: ensure_city(n) for n in sizes}
    rows: list[Row] = [measure("okrtool --help", "-", ["okrtool", "--help"], max(runs, 5))]
    rows += bench_dataset("shipped", SHIPPED, max(runs, 5), peer=True)
    for n, root in cities.items():
        # The 10-year figures are the slow ones: 3 runs are plenty for a median there.
        rows += bench_dataset(
            f"{n}y", root, min(runs, 3) if n >= 10 else runs, peer=not args.quick or n == 1
        )
    if not args.no_import:
        rows += bench_import(runs)
    tgts = targets(rows)
    print_table(rows, tgts)
    elapsed = time.perf_counter() - t0
    print(f"\n{len(rows)} commands measured in {elapsed:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "runs": runs,
                    "elapsed_s": round(elapsed, 1),
                    "rows": [asdict(r) for r in rows],
                    "targets": [asdict(t) for t in tgts],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
