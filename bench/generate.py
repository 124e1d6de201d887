"""Generate a synthetic city in okrtool's data format (docs/data-format.md), for the benchmarks.

Deterministic: the same arguments and ``--seed`` give byte-identical files.

What it writes under ``--out DIR``:

- ``agencies/*.yaml``: copied verbatim from the repository's ``data/agencies/`` (the real
  50 districts, 6 zones, 19 departments, 10 section roles, 3 mission groups, the dimensions),
  all but ``editions.yaml`` (a 10-year city starts before any edition of the plan);
- ``policies/<dimension>/<id>.yaml``: ``--policies`` policies (default 110) spread round-robin
  over the 9 dimensions, each in the mission group of its dimension, hosted by a department of
  that group, supported by ``all-districts`` (85 %) or one zone (15 %) and sometimes one more
  department. Every policy has, for every fiscal year, 2 OKRs with 4 key results in all
  (110 policies → 440 key results a year): a summed ``increment`` count with a sub-target
  (each agency's sub-allocation at most its parent allocation), and two more drawn from a
  ``cumulative``/``sum`` count, a ``percent``/``level``/``share-at-target`` (every agency's own
  target 100), a ``percent``/``level``/``mean`` and a ``lower``-is-better ``mean`` in minutes.
  Every supporting agency and the host get an allocation; summed allocations are integers that
  add up to the target exactly;
- ``reports/<fy>/<agency>.csv``: one value a month for every allocated agency and key result,
  sorted by key result then period, as ``okrtool import-reports`` records them
  (``source=import`` with the workbook's file name, a SHA-256, the cell and a time) — or lean
  rows with ``--lean`` (``source=manual``, the provenance columns empty).

Fiscal years: ``--years N`` gives the N fiscal years that end with ``--last-year`` (default
2567, the shipped data's year), i.e. 2558–2567 for 10 years. ``--until 2567-05`` stops the
reports of the last year after that month (for an import benchmark that adds the next month).

``--workbooks DIR --period 2567-06`` also writes the 50 district workbooks for that period, made
with okrtool's own template writer (``okrtool report-template --agency all``) and filled in
with openpyxl — only once okrtool has that command.

Usage: ``python bench/generate.py --years 10 --out bench/out/y10``
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from okrtool.model import REPORT_COLUMNS

REPO = Path(__file__).resolve().parents[1]
AGENCIES = REPO / "data" / "agencies"

#: The mission group of each dimension's policies.
DIMENSION_GROUP = {
    "travel": "infrastructure",
    "safety": "infrastructure",
    "governance": "budget",
    "management": "budget",
    "environment": "quality-of-life",
    "health": "quality-of-life",
    "society": "quality-of-life",
    "learning": "quality-of-life",
    "economy": "quality-of-life",
}

#: Summed things a district counts, (unit, Thai unit, Thai noun, English noun, per-agency range).
COUNTS = [
    ("trees", "ต้น", "ต้นไม้ที่ปลูก", "Trees planted", (500, 9000)),
    ("tonnes", "ตัน", "มูลฝอยที่คัดแยก", "Waste separated", (200, 3000)),
    ("km", "กิโลเมตร", "ท่อระบายน้ำที่ลอก", "Drains cleaned", (5, 120)),
    ("points", "จุด", "จุดเสี่ยงที่แก้ไข", "Risk spots fixed", (3, 60)),
    ("people", "คน", "ผู้เข้ารับการอบรม", "People trained", (100, 4000)),
    ("lamps", "ดวง", "ไฟฟ้าส่องสว่างที่ซ่อม", "Street lights repaired", (50, 1500)),
    ("households", "ครัวเรือน", "ครัวเรือนที่ได้รับการเยี่ยม", "Households visited", (300, 6000)),
    ("metres", "เมตร", "ทางเท้าที่ปรับปรุง", "Footpath repaired", (200, 5000)),
]
MONTHS_OF_FY = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)


@dataclass
class Kr:
    """One key result as written, and how its reports are made."""

    id: str
    kind: str  # increment | cumulative | share | mean | lower
    title_th: str
    title_en: str
    unit: str
    unit_th: str
    target: int | float
    direction: str
    measure: str
    aggregate: str
    allocations: dict[str, int | float]
    decimals: bool = False
    sub_targets: list[Kr] = field(default_factory=list)


def load_agencies(folder: Path) -> dict[str, Any]:
    """The agency lists of the real dataset, merged from every file of ``folder``."""
    merged: dict[str, list[Any]] = defaultdict(list)
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        for key, items in data.items():
            if key != "sources":
                merged[key].extend(items)
    return dict(merged)


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def num(x: float) -> str:
    """A number as the data files write it: integers without a decimal point."""
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def month_period(fy: int, m: int) -> str:
    """The BE month period string of fiscal-year month ``m`` (10, 11, 12, 1, ..., 9)."""
    return f"{fy - 1 if m >= 10 else fy}-{m:02d}"


class City:
    """Everything generated, from a seed: policies, their key results per year, and reports."""

    def __init__(self, years: list[int], n_policies: int, seed: int) -> None:
        self.years = years
        self.rng = random.Random(seed)
        ag = load_agencies(AGENCIES)
        # the nine of BMA's 2024 list, in their order: the 2022 platform's own two (creative,
        # city-structure) have no mission group here, and keeping these nine keeps cities the same
        self.dimensions = [d for d in ag["dimensions"] if d["id"] in DIMENSION_GROUP]
        self.districts = [d["id"] for d in ag["districts"]]
        self.zone_of = {d["id"]: d["zone"] for d in ag["districts"]}
        self.zones = [z["id"] for z in ag["zones"]]
        self.groups = {g["id"]: g for g in ag["groups"]}
        self.policies = [self._policy(i) for i in range(n_policies)]

    def _policy(self, i: int) -> dict[str, Any]:
        rng = self.rng
        dim = self.dimensions[i % len(self.dimensions)]
        group = self.groups[DIMENSION_GROUP[dim["id"]]]
        members = [d for d in group["departments"] if d != group["secretary"]]
        host = rng.choice(members)
        if rng.random() < 0.85:
            supporters = ["all-districts"]
            districts = list(self.districts)
        else:
            zone = rng.choice(self.zones)
            supporters = [f"zone:{zone}"]
            districts = [d for d in self.districts if self.zone_of[d] == zone]
        departments = [host]
        if rng.random() < 0.3:
            other = rng.choice([d for d in members if d != host])
            supporters.append(other)
            departments.append(other)
        orders = [o["id"] for o in group.get("standing_orders", [])]
        pid = f"{dim['id']}-{i // len(self.dimensions) + 1:03d}"
        return {
            "id": pid,
            "n": i + 1,
            "dimension": dim,
            "group": group["id"],
            "standing_order": rng.choice(orders) if orders and rng.random() < 0.5 else None,
            "urgent": rng.random() < 0.2,
            "key_project": rng.random() < 0.1,
            "host": host,
            "supporters": supporters,
            "district_section": rng.choice(group["district_sections"]),
            "agencies": departments + districts,
        }

    def key_results(self, policy: dict[str, Any], fy: int) -> list[list[Kr]]:
        """The key results of the policy's two OKRs in fiscal year ``fy`` (4 with sub-targets)."""
        rng = random.Random(f"{policy['id']}/{fy}")
        agencies: list[str] = policy["agencies"]
        base = f"{policy['id']}-{fy}"
        unit, unit_th, noun_th, noun_en, (lo, hi) = COUNTS[(policy["n"] + fy) % len(COUNTS)]
        alloc = {a: rng.randint(lo, hi) for a in agencies}
        parent = Kr(
            f"{base}-k1",
            "increment",
            f"จำนวน{noun_th}",
            noun_en,
            unit,
            unit_th,
            sum(alloc.values()),
            "higher",
            "increment",
            "sum",
            alloc,
        )
        frac = rng.uniform(0.4, 0.9)
        sub_alloc = {a: int(v * frac) for a, v in alloc.items()}
        parent.sub_targets.append(
            Kr(
                f"{base}-k1-s1",
                "increment",
                f"จำนวน{noun_th} (ในชุมชน)",
                f"{noun_en} (in communities)",
                unit,
                unit_th,
                sum(sub_alloc.values()),
                "higher",
                "increment",
                "sum",
                sub_alloc,
            )
        )
        second = [
            self._other(rng, f"{base}-k{j}", agencies, k)
            for j, k in enumerate(rng.sample(range(4), 2), 2)
        ]
        return [[parent], second]

    def _other(self, rng: random.Random, kid: str, agencies: list[str], k: int) -> Kr:
        if k == 0:
            unit, unit_th, noun_th, noun_en, (lo, hi) = rng.choice(COUNTS)
            alloc = {a: rng.randint(lo, hi) // 4 + 1 for a in agencies}
            return Kr(
                kid,
                "cumulative",
                f"จำนวน{noun_th}สะสม",
                f"{noun_en}, running total",
                unit,
                unit_th,
                sum(alloc.values()),
                "higher",
                "cumulative",
                "sum",
                alloc,
            )
        if k == 1:
            return Kr(
                kid,
                "share",
                "ร้อยละของงานที่แล้วเสร็จตามแผน",
                "Share of planned work done",
                "percent",
                "ร้อยละ",
                100,
                "higher",
                "level",
                "share-at-target",
                dict.fromkeys(agencies, 100),
            )
        if k == 2:
            return Kr(
                kid,
                "mean",
                "ร้อยละความพึงพอใจของประชาชน",
                "Residents satisfied",
                "percent",
                "ร้อยละ",
                80,
                "higher",
                "level",
                "mean",
                dict.fromkeys(agencies, 80),
                decimals=True,
            )
        return Kr(
            kid,
            "lower",
            "เวลาเฉลี่ยในการแก้ไขเรื่องร้องเรียน",
            "Average time to resolve a complaint",
            "minutes",
            "นาที",
            30,
            "lower",
            "level",
            "mean",
            dict.fromkeys(agencies, 30),
        )

    # -- YAML -----------------------------------------------------------------------------

    def policy_yaml(self, p: dict[str, Any]) -> str:
        """The policy file's text, every fiscal year's OKRs in it."""
        dim = p["dimension"]
        title_th = f"นโยบายสังเคราะห์ด้าน{dim['name_th']} ข้อ {p['n']}"
        title_en = f"Synthetic policy {p['n']} ({dim['name_en']})"
        out = [
            "# SYNTHETIC: generated by bench/generate.py for the benchmarks; nothing here is real.",
            f"id: {p['id']}",
            f"title_th: {q(title_th)}",
            f"title_en: {q(title_en)}",
            f"dimension: {dim['id']}",
            f"group: {p['group']}",
        ]
        if p["standing_order"]:
            out.append(f"standing_order: {p['standing_order']}")
        out += [
            f"urgent: {str(p['urgent']).lower()}",
            f"key_project: {str(p['key_project']).lower()}",
            f"host: {p['host']}",
            f"supporters: [{', '.join(q(s) if ':' in s else s for s in p['supporters'])}]",
            f"district_section: {p['district_section']}",
            "sources:",
            "  - title: bench/generate.py (synthetic data)",
            "okrs:",
        ]
        for fy in self.years:
            for o, krs in enumerate(self.key_results(p, fy), 1):
                okr_id = f"{p['id']}-{fy}-o{o}"
                out += [
                    f"  - id: {okr_id}",
                    f"    fiscal_year: {fy}",
                    f"    owner: {p['host']}",
                    f"    objective_th: {q(f'วัตถุประสงค์ที่ {o} ปีงบประมาณ {fy}')}",
                    f"    objective_en: {q(f'Objective {o}, FY {fy}')}",
                    "    key_results:",
                ]
                for kr in krs:
                    out += kr_yaml(kr, "      ")
                out += [
                    "    projects:",
                    f"      - id: {okr_id}-p1",
                    f"        title_th: {q(f'โครงการที่ 1 ของวัตถุประสงค์ที่ {o}')}",
                    f"        title_en: {q(f'Project 1 of objective {o}')}",
                    f"        owner: {p['host']}",
                    f"        key_result: {krs[0].id}",
                    f"        status: {'done' if fy < self.years[-1] else 'in-progress'}",
                ]
        return "\n".join(out) + "\n"

    # -- reports --------------------------------------------------------------------------

    def report_rows(self, fy: int, months: int) -> dict[str, list[tuple[str, ...]]]:
        """Every agency's rows for fiscal year ``fy``'s first ``months`` months, sorted."""
        rows: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for p in self.policies:
            for krs in self.key_results(p, fy):
                for kr in krs:
                    for k in (kr, *kr.sub_targets):
                        self._values(k, fy, months, rows)
        for agency_rows in rows.values():
            agency_rows.sort(key=lambda r: (r[0], r[1]))
        return rows

    def _values(self, kr: Kr, fy: int, months: int, rows: dict[str, list[tuple[str, ...]]]) -> None:
        for agency, own in kr.allocations.items():
            # One generator per agency and key result: the first months do not depend on how
            # many months are written (--until), so a workbook's month matches a full year's.
            rng = random.Random(f"{kr.id}/{agency}")
            pace = rng.uniform(0.6, 1.3)
            running = 0.0
            start = rng.uniform(20, 60)
            for i, m in enumerate(MONTHS_OF_FY[:months]):
                done = (i + 1) / 12
                if kr.kind == "increment":
                    value: float = round(own / 12 * pace * rng.uniform(0.5, 1.5))
                elif kr.kind == "cumulative":
                    running += own / 12 * pace * rng.uniform(0.5, 1.5)
                    value = round(running)
                elif kr.kind == "share":
                    value = round(min(100.0, start + (100 - start) * done * pace * 1.2))
                elif kr.kind == "mean":
                    value = round(min(100.0, start + (own - start) * done * pace), 1)
                else:
                    value = round(90 - (90 - own) * done * pace)
                rows[agency].append((kr.id, month_period(fy, m), num(value)))


def kr_yaml(kr: Kr, ind: str) -> list[str]:
    """A key result's YAML lines at indent ``ind`` (the list item's dash included)."""
    out = [
        f"{ind}- id: {kr.id}",
        f"{ind}  title_th: {q(kr.title_th)}",
        f"{ind}  title_en: {q(kr.title_en)}",
        f"{ind}  unit: {kr.unit}",
        f"{ind}  unit_th: {kr.unit_th}",
        f"{ind}  target: {num(kr.target)}",
        f"{ind}  direction: {kr.direction}",
        f"{ind}  measure: {kr.measure}",
        f"{ind}  aggregate: {kr.aggregate}",
        f"{ind}  allocations:",
    ]
    out += [f"{ind}    {a}: {num(v)}" for a, v in kr.allocations.items()]
    if kr.sub_targets:
        out.append(f"{ind}  sub_targets:")
        for sub in kr.sub_targets:
            out += kr_yaml(sub, ind + "    ")
    return out


def provenance(agency: str, period: str, lean: bool) -> tuple[str, str, str, str, str]:
    """source, note, file, sha256 and recorded_at of a row as an import records it."""
    if lean:
        return ("manual", "", "", "", "")
    year, month = int(period[:4]) - 543, int(period[5:])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    name = f"{agency}-{period}.xlsx"
    sha = hashlib.sha256(name.encode()).hexdigest()
    return ("import", "", name, sha, f"{year}-{month:02d}-05T09:30:00+07:00")


def write_reports(city: City, out: Path, until: str | None, lean: bool) -> int:
    """Write every report file; return how many values were written."""
    total = 0
    for fy in city.years:
        months = 12
        if until and fy == city.years[-1]:
            months = [month_period(fy, m) for m in MONTHS_OF_FY].index(until) + 1
        folder = out / "reports" / str(fy)
        folder.mkdir(parents=True, exist_ok=True)
        for agency, rows in sorted(city.report_rows(fy, months).items()):
            cache: dict[str, tuple[str, ...]] = {}
            cells: dict[str, int] = {}
            with (folder / f"{agency}.csv").open("w", encoding="utf-8", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(REPORT_COLUMNS)
                for kr, period, value in rows:
                    prov = cache.get(period)
                    if prov is None:
                        prov = cache[period] = provenance(agency, period, lean)
                    source, note, file, sha, at = prov
                    cell = "" if lean else f"Report!F{cells.setdefault(kr, len(cells) + 7)}"
                    w.writerow((kr, period, value, source, note, file, sha, cell, at))
            total += len(rows)
    return total


def period_values(city: City, period: str) -> dict[str, dict[str, str]]:
    """agency → key result → the value the city reports for ``period`` (a month of the last
    fiscal year): what a filled workbook for that month holds."""
    fy = city.years[-1]
    months = [month_period(fy, m) for m in MONTHS_OF_FY].index(period) + 1
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for agency, rows in city.report_rows(fy, months).items():
        for kr, p, value in rows:
            if p == period:
                out[agency][kr] = value
    return out


def fill_workbooks(city: City, data: Path, folder: Path, period: str) -> int:
    """Write the district workbooks for ``period`` with okrtool's own template writer
    (``okrtool report-template --agency all``), and fill every value cell with the value the
    city reports for that month; return how many workbooks were filled."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    cmd = [
        "okrtool",
        "report-template",
        "--agency",
        "all",
        "--period",
        period,
        "--data",
        str(data),
        "--output",
        str(folder),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"generate: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    import openpyxl  # only here: the workbooks are optional

    from okrtool.io.report_sheet import HEADER_SCAN_ROWS, KEY_RESULT, VALUE, match_header

    values = period_values(city, period)
    count = 0
    for path in sorted(folder.glob("*.xlsx")):
        if path.name.removesuffix(f"-{period}.xlsx") not in city.districts:
            path.unlink()  # departments' workbooks: the benchmark is the 50 districts'
            continue
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        for row in ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS):
            cols = match_header((c.column, c.value) for c in row)
            if KEY_RESULT in cols and VALUE in cols:
                header_row = row[0].row
                break
        else:
            sys.exit(f"generate: no report table header in {path}")
        mine = values[path.name.removesuffix(f"-{period}.xlsx")]
        for r in range(header_row + 1, ws.max_row + 1):
            kr = ws.cell(r, cols[KEY_RESULT]).value
            if isinstance(kr, str) and kr in mine:
                text = mine[kr]
                ws.cell(r, cols[VALUE]).value = float(text) if "." in text else int(text)
        wb.save(path)
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, write the city, print what was written."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--years", type=int, default=1, help="how many fiscal years (default 1)")
    ap.add_argument("--last-year", type=int, default=2567, help="the last fiscal year, BE")
    ap.add_argument("--out", type=Path, required=True, help="the data folder to write")
    ap.add_argument("--policies", type=int, default=110, help="policies (4 key results/year)")
    ap.add_argument("--seed", type=int, default=2567)
    ap.add_argument("--until", help="last reported month of the last year, e.g. 2567-05")
    ap.add_argument("--lean", action="store_true", help="report rows without provenance")
    ap.add_argument("--workbooks", type=Path, help="also write filled district workbooks here")
    ap.add_argument("--period", default="2567-06", help="the workbooks' period")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    years = list(range(args.last_year - args.years + 1, args.last_year + 1))
    if args.out.exists():
        shutil.rmtree(args.out)
    # without the editions of the plan: a synthetic city spans years before any edition was in
    # force (2558–), whose OKRs the editions' rules would refuse (E904)
    shutil.copytree(AGENCIES, args.out / "agencies", ignore=shutil.ignore_patterns("editions.yaml"))
    city = City(years, args.policies, args.seed)
    n_krs = 0
    for p in city.policies:
        folder = args.out / "policies" / p["dimension"]["id"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{p['id']}.yaml").write_text(city.policy_yaml(p), encoding="utf-8")
    n_krs = sum(
        1 + len(k.sub_targets)
        for p in city.policies
        for krs in city.key_results(p, years[-1])
        for k in krs
    )
    values = write_reports(city, args.out, args.until, args.lean)
    print(
        f"{args.out}: FY {years[0]}–{years[-1]}, {len(city.policies)} policies, "
        f"{n_krs} key results a year, {values:,} report values "
        f"({time.perf_counter() - t0:.1f} s)"
    )
    if args.workbooks:
        n = fill_workbooks(city, args.out, args.workbooks, args.period)
        print(f"{args.workbooks}: {n} filled workbooks for {args.period}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
