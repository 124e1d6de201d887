"""The generated site in headless Chromium: how fast the home page renders, how heavy pages are.

Targets (issue 11): the home page renders in < 1 s, measured by the browser's navigation timing
(``loadEventEnd`` of the navigation entry: from the start of navigation to the end of the load
event, everything the page asks for loaded); no page over 300 KB with its assets.

The site is built from data/ with ``okrtool site -o <tmp> --as-of 2024-06-30``, or taken as it
is from ``--site DIR`` (e.g. one built from a ``bench/generate.py`` city). The home page is
opened ``--runs`` times, each in a fresh browser context (no cache); then every page once, and
its weight is the bytes of the page and of every file it asked for (stylesheets, scripts,
images, fonts, data), as the browser recorded them.

Usage: ``python bench/site_browser_bench.py [--site DIR] [--runs 7]``
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
sys.path.insert(0, str(ROOT / "tests"))

from browser import file_of, open_browser  # noqa: E402
from site_checks import html_pages  # noqa: E402

AS_OF = "2024-06-30"
HOME_LIMIT_MS = 1000
PAGE_LIMIT = 300 * 1024


def build(folder: Path) -> float:
    """Build the site of data/ into ``folder``; return the seconds it took."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "okrtool", "site", "-o", str(folder), "--as-of", AS_OF],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - start


def _weight(requests: list[str]) -> int:
    """The bytes of every file a page asked for (itself included), each counted once."""
    files = {file_of(url) for url in requests if url.startswith("file:")}
    return sum(path.stat().st_size for path in files if path.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--site", type=Path, help="a built site; default: build one of data/")
    parser.add_argument("--runs", type=int, default=7, help="loads of the home page (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okrtool-site-bench-") as work:
        site = args.site
        if site is None:
            site = Path(work) / "site"
            print(f"built the site of data/ in {build(site):.2f} s")
        home = site / "index.html"
        pages = html_pages(site)
        with open_browser() as browser:
            print(f"Chromium {browser.version}, {len(pages)} pages in {site}")
            loads = [browser.visit(home).load_ms for _ in range(args.runs)]
            start = time.perf_counter()
            visits = browser.visit_all(pages)
            every = time.perf_counter() - start
        # read while the files are there (a site built here goes with the temporary folder)
        weights = sorted((_weight(visit.requests), visit.path) for visit in visits)
    median = statistics.median(loads)
    met = "met" if median < HOME_LIMIT_MS else "NOT MET"
    print(
        f"home page render (navigation start → load event end): median {median:.0f} ms, "
        f"min {min(loads):.0f}, max {max(loads):.0f} over {args.runs} loads "
        f"(target < {HOME_LIMIT_MS} ms: {met})"
    )
    heaviest, heaviest_page = weights[-1]
    name = heaviest_page.relative_to(site.resolve()).as_posix()
    middle = weights[len(weights) // 2][0]
    met = "met" if heaviest <= PAGE_LIMIT else "NOT MET"
    print(
        f"largest page with its assets: {name}, {heaviest / 1024:,.1f} KB "
        f"(limit {PAGE_LIMIT // 1024} KB: {met}); median page {middle / 1024:,.1f} KB"
    )
    print(f"every page opened once in {every:.1f} s ({every / len(pages) * 1000:.0f} ms a page)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
