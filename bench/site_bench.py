"""Time `okrtool site` (targets: ≤ 3 s on the shipped data, ≤ 30 s on the latest year of a
10-year generated city of 110 policies and 50 districts) and find the largest page with its
assets (target: ≤ 300 KB).

Each is the median (min, max) wall time of ``--runs`` runs of ``okrtool site -o DIR --as-of
2024-06-30`` as a user runs it (a new process, the parse cache warm after a first run that is not
counted), then, in-process, where one build's time goes: loading and checking the data, the
rows (status, by agency, missing, the month-by-month trend), rendering the pages, writing.

Usage: ``python bench/site_bench.py [--runs 3] [--city DIR]`` (without ``--city``, a 10-year
city is generated into a temporary folder with bench/generate.py, about 15 s).
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from okrtool.progress import Query, open_dataset, years_for
from okrtool.site.build import render_site
from okrtool.site.gather import gather
from okrtool.site.write import write_site

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2024-06-30"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wall(data: Path, out: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU times (user + system) of `okrtool site` runs, after one uncounted run that
    warms the parse cache. CPU time changes much less than wall time on a shared machine."""
    cmd = [sys.executable, "-m", "okrtool", "site", "-o", str(out), "--as-of", AS_OF, "-d"]
    subprocess.run([*cmd, str(data)], check=True, capture_output=True)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), _cpu()
        subprocess.run([*cmd, str(data)], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        cpu.append(_cpu() - start_cpu)
    return times, cpu


def phases(data: Path, out: Path) -> dict[str, float]:
    """Where one build's time goes, in-process."""
    day = date.fromisoformat(AS_OF)
    t0 = time.perf_counter()
    ds, _ = open_dataset(data, False, years_for(Query(as_of=day)))
    t1 = time.perf_counter()
    g = gather(ds, day)
    t2 = time.perf_counter()
    pages = render_site(g, "both")
    t3 = time.perf_counter()
    write_site(pages, out, force=True)
    t4 = time.perf_counter()
    return {"load": t1 - t0, "rows": t2 - t1, "render": t3 - t2, "write": t4 - t3}


def largest_page(site: Path) -> tuple[int, str, int]:
    """The largest page with the files it links as assets (stylesheets, scripts, images):
    (bytes, page, pages)."""
    best = (0, "", 0)
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assets = re.findall(r'<(?:link[^>]*href|script[^>]*src|img[^>]*src)="([^"#]+)"', html)
        size = len(html.encode()) + sum((page.parent / a).stat().st_size for a in set(assets))
        best = max(best, (size, str(page.relative_to(site)), len(pages)))
    return best


def report(name: str, data: Path, runs: int, target: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        times, cpu = wall(data, out, runs)
        split = phases(data, Path(tmp) / "site2")
        size, page, count = largest_page(out)
        files = sum(1 for p in out.rglob("*") if p.is_file())
        total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    med = statistics.median(times)
    print(
        f"{name}: {med:.2f} s median of {runs} (min {min(times):.2f}, max {max(times):.2f}); "
        f"target ≤ {target:g} s: {'ok' if med <= target else 'OVER'}; "
        f"CPU {statistics.median(cpu):.2f} s"
    )
    print("  in-process: " + ", ".join(f"{k} {v:.2f} s" for k, v in split.items()))
    print(f"  {files:,} files, {total / 1e6:.1f} MB; {count} pages")
    print(
        f"  largest page with its assets: {page}, {size / 1000:.1f} KB; target ≤ 300 KB: "
        f"{'ok' if size <= 300_000 else 'OVER'}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--city", type=Path, help="a generated city (default: generate a 10-year one)")
    args = ap.parse_args()
    report("shipped data", ROOT / "data", args.runs, 3)
    if args.city:
        report(f"10-year city {args.city}", args.city, args.runs, 30)
        return
    with tempfile.TemporaryDirectory() as tmp:
        city = Path(tmp) / "city"
        subprocess.run(
            [sys.executable, str(ROOT / "bench/generate.py"), "--years", "10", "--out", str(city)],
            check=True,
            capture_output=True,
        )
        report("10-year city (latest year, FY 2567)", city, args.runs, 30)


if __name__ == "__main__":
    main()
