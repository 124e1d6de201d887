"""Compare chart options for `okrtool site` on the shipped data's charts (19 key results: a trend
of actual against expected per month, and one bar per allocated agency).

Options measured:

- ``svg``: what the site uses, hand-made SVG drawn by the Jinja templates from
  ``okrtool.site.charts`` (text kept as ``<text>``, ``role="img"``, ``<title>``/``<desc>``, the
  table beside it);
- ``pygal`` (PyPI, ``pip install pygal``): server-side SVG, the same two charts;
- ``chart.js`` and ``uPlot`` vendored from npm (``npm pack chart.js@4.6.1 uplot@1.6.32`` and
  unpack each into ``--npm DIR/chartjs`` and ``--npm DIR/uplot``): client-side, drawn on a
  canvas; measured by the library's size and the JSON each page would carry.

Figures: bytes the charts add to the trees page (and gzip), time to make all 19 key results'
charts, whether text stays text in the page (searchable, read by screen readers, shaped by the
browser's Thai fonts), whether the output references the network by default, and whether two
runs give the same bytes.

Usage: ``python bench/site_charts.py [--npm /tmp/npmc] [--runs 5]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from okrtool.progress import Query, open_dataset, years_for
from okrtool.site.build import _environment, _policy, render_site
from okrtool.site.gather import Gathered, gather

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2024, 6, 30)
TREES = "env-trees-planted"


def _timed(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


def svg_option(g: Gathered, runs: int) -> dict[str, object]:
    """Ours: the SVG of the trees key result, and the time of drawing every key result's two
    charts (geometry and template macros, as the policy pages call them)."""
    env = _environment("both", g.status["th"].scope.fiscal_year, g.as_of)
    charts = env.get_template("charts.html.j2").make_module({"ds": g.ds, "g": g})
    krs = [k for p in g.ds.policies.values() for k in _policy(g, p)["krs"]]

    def draw() -> list[str]:
        return [str(charts.trend_figure(k, k["row"])) + str(charts.bars_figure(k)) for k in krs]

    drawn = draw()
    trees = next(d for k, d in zip(krs, drawn, strict=True) if k["id"] == TREES).encode()
    page = render_site(g, "both")["policies/env-trees.html"].decode()
    return {
        "bytes": len(trees),
        "gzip": _gz(trees),
        "time_s": _timed(draw, runs),
        "what_time": "19 key results' two charts",
        "text_as_text": "<text" in trees.decode(),
        # what the page loads (src, <link href>), not where its links lead (a policy's sources)
        "network_by_default": bool(re.search(r"(src=|<link[^>]*href=)\"(https?:)?//", page)),
        "deterministic": draw() == drawn,
    }


def pygal_option(g: Gathered, runs: int) -> dict[str, object] | None:
    """pygal: a Line chart of the trend and a HorizontalBar of the agencies, per key result."""
    try:
        import pygal
    except ImportError:
        return None
    ds = g.ds

    def charts(kr_id: str, js: list[str] | None = None) -> bytes:
        trend = g.trend.get(kr_id, [])
        cfg = {"disable_xml_declaration": True}
        if js is not None:
            cfg["js"] = js
        line = pygal.Line(title=ds.key_results[kr_id].title_th, **cfg)
        line.x_labels = [p.period for p in trend]
        line.add("ผลงาน actual", [p.actual for p in trend])
        line.add("ควรได้ expected", [p.expected for p in trend])
        bars = pygal.HorizontalBar(title=ds.key_results[kr_id].title_th, **cfg)
        table = g.tables.get(kr_id)
        for row in table.rows if table else []:
            bars.add(ds.agency_name(row.agency, "th"), row.percent)
        return (line.render() + bars.render()).encode()

    default = charts(TREES)
    offline = charts(TREES, js=[])
    t = _timed(lambda: [charts(kr, js=[]) for kr in g.rows["th"]], runs)
    return {
        "bytes": len(offline),
        "gzip": _gz(offline),
        "time_s": t,
        "what_time": "19 key results' two charts",
        "text_as_text": "<text" in offline.decode(),
        "network_by_default": "//kozea.github.io" in default.decode(),
        "deterministic": charts(TREES, js=[]) == offline,
        "version": pygal.__version__,
    }


def canvas_option(g: Gathered, lib: Path, name: str) -> dict[str, object] | None:
    """A client-side library: its minified file plus the JSON the trees page would carry."""
    if not lib.is_file():
        return None
    code = lib.read_bytes()
    trend = g.trend[TREES]
    table = g.tables[TREES]
    data = {
        "labels": [p.period for p in trend],
        "actual": [p.actual for p in trend],
        "expected": [p.expected for p in trend],
        "agencies": [g.ds.agency_name(r.agency, "th") for r in table.rows],
        "percent": [r.percent for r in table.rows],
    }
    payload = json.dumps(data, ensure_ascii=False).encode()
    return {
        "bytes": len(payload),
        "gzip": _gz(payload),
        "library_bytes": len(code),
        "library_gzip": _gz(code),
        "time_s": 0.0,
        "what_time": "JSON only; drawn in the browser on every view",
        "text_as_text": False,
        "network_by_default": False,
        "deterministic": True,
        "library": f"{name} {lib}",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--npm", type=Path, default=Path("/tmp/npmc"), help="unpacked npm packages")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    ds, _ = open_dataset(ROOT / "data", False, years_for(Query(as_of=AS_OF)))
    g = gather(ds, AS_OF)
    options = {
        "svg (ours)": svg_option(g, args.runs),
        "pygal": pygal_option(g, args.runs),
        "chart.js": canvas_option(g, args.npm / "chartjs/dist/chart.umd.min.js", "chart.js"),
        "uPlot": canvas_option(g, args.npm / "uplot/dist/uPlot.iife.min.js", "uPlot"),
    }
    page = render_site(g, "both")["policies/env-trees.html"]
    print(f"trees page without any library: {len(page):,} bytes ({_gz(page):,} gzip)")
    for name, figures in options.items():
        if figures is None:
            print(f"{name}: not installed (see the docstring)")
            continue
        print(f"{name}:")
        for key, value in figures.items():
            shown = f"{value:.3f}" if isinstance(value, float) else value
            print(f"  {key}: {shown}")


if __name__ == "__main__":
    main()
