"""Every figure ``okrtool status`` and ``okrtool missing`` print, checked against the stored
values (read again by ``oracle.py``, which does not import okrtool but docs/definitions.md)
and against each other:

1. every city row (and ``--by zone`` row) is its agencies' actuals combined by the key result's
   rule, with the progress, expected by now and status that rule's definition gives, and the
   status counts of its agencies' own statuses; a summed key result's actual is the sum of its
   agencies' and its target the sum of its allocations;
2. ``status --by agency`` and ``status --agency A`` rows are each agency's own allocation,
   actual, expected by now, status and report for the period (``--agency`` rows carry the city
   row unchanged);
3. ``missing --period P``: for every key result, the allocated agencies are exactly those that
   reported for P and those the chase list names, never both, the stale ones with their last
   period; ``status``'s "reported" and "stale" agree with ``missing`` for the status's period,
   on every day;
4. the city row's district counts and status counts agree with the ``--by district`` rows, for
   every aggregation rule.

They run on the shipped data at several days, on a city made by ``bench/generate.py``, and on
small generated cities drawn by hypothesis.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import json
import math
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from oracle import (
    DEFINITIONS,
    REPORTED,
    STALE,
    STATUS_RANK,
    STATUSES,
    City,
    KeyResult,
    band_of,
    day_en,
    due_period,
    elapsed,
    fiscal_year_of,
    is_cap,
    judge,
    months_of,
    parse_period,
    periods_of,
    share_city_status,
)
from typer.testing import CliRunner

from okrtool.cli import app

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data"
GENERATE = REPO / "bench" / "generate.py"

#: Days the shipped data is judged on: quarter ends, a day inside a month, the year's last day.
SHIPPED_DAYS = ("2023-12-31", "2024-03-31", "2024-05-15", "2024-06-30", "2024-09-30")
#: The generated city: reports stop after this month; judged before, at and after it.
BENCH_UNTIL = "2567-07"
BENCH_ARGS = ("--policies", "6", "--years", "1", "--seed", "7", "--until", BENCH_UNTIL)
BENCH_DAYS = ("2024-03-31", "2024-05-15", "2024-07-31", "2024-09-30")
#: The generator has every allocated agency report every month; these report nothing on the
#: summed and mean key results, so that a mean over reporters, a "not reported" band and a
#: missing department are put to the test. (On share-at-target every agency keeps reporting.)
BENCH_SILENT = ("dusit", "bang-khae", "pwd")
#: ``missing`` without ``--as-of`` counts every value stored (its default day is today).
TODAY = date.today()


def agree(disagreements: list[str]) -> None:
    """Fail with every disagreement found, one a line, with its numbers."""
    assert not disagreements, "\n".join(disagreements)


# --- running the CLI -----------------------------------------------------------------------------


def cli_json(root: Path, *args: str) -> Any:
    """Run the real CLI in-process on ``root`` with ``--format json``; its parsed output."""
    result = CliRunner().invoke(app, [*args, "--data", str(root), "--format", "json"])
    assert result.exit_code == 0, f"okrtool {' '.join(args)} exited {result.exit_code}:\n" + (
        result.output
    )
    return json.loads(result.stdout)


@functools.cache
def cached_json(root: Path, *args: str) -> Any:
    """``cli_json`` run once a test session for the fixed datasets."""
    return cli_json(root, *args)


class Views:
    """What okrtool prints about one dataset on one day, each command run once."""

    def __init__(self, root: Path, day: str, run: Callable[..., Any] = cached_json) -> None:
        self.root, self.day, self.as_of, self.run = root, day, date.fromisoformat(day), run

    @functools.cached_property
    def status(self) -> dict[str, Any]:
        return self.run(self.root, "status", "--as-of", self.day)

    @functools.cached_property
    def rows(self) -> dict[str, dict[str, Any]]:
        """The city row of each key result."""
        return {row["key_result"]: row for row in self.status["rows"]}

    @functools.cached_property
    def period(self) -> str | None:
        """The period the status table asks every agency to have reported for."""
        return self.status["header"]["period"]

    def by(self, what: str) -> dict[str, dict[str, Any]]:
        """key result → ``--by what`` table (its city row and its agency rows)."""
        out = self.run(self.root, "status", "--as-of", self.day, "--by", what)
        return {t["key_result"]["key_result"]: t for t in out["tables"]}

    def by_header(self, what: str) -> dict[str, Any]:
        """The header of ``status --by what``."""
        return self.run(self.root, "status", "--as-of", self.day, "--by", what)["header"]

    @functools.cached_property
    def by_agency(self) -> dict[str, dict[str, Any]]:
        return self.by("agency")

    @functools.cached_property
    def by_district(self) -> dict[str, dict[str, Any]]:
        return self.by("district")

    @functools.cached_property
    def by_zone(self) -> dict[str, dict[str, Any]]:
        return self.by("zone")

    def agency(self, agency: str) -> dict[str, Any]:
        return self.run(self.root, "status", "--as-of", self.day, "--agency", agency)

    def missing(self, period: str) -> dict[str, Any]:
        """The chase list for ``period`` as of today (every value counted)."""
        return self.run(self.root, "missing", "--period", period)

    def missing_now(self) -> dict[str, Any]:
        """The chase list for the status table's period, as it stood on the as-of day."""
        assert self.period is not None
        return self.run(self.root, "missing", "--period", self.period, "--as-of", self.day)


def same(a: float | None, b: float | None) -> bool:
    """Equal as JSON prints them: None alike, numbers to the 6 decimals okrtool keeps."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 + 1e-9 * abs(b)


def total(values: list[float | None]) -> float | None:
    """The sum of the numbers, None if there are none."""
    numbers = [v for v in values if v is not None]
    return sum(numbers) if numbers else None


def equal(got: Any, want: Any) -> bool:
    """Numbers as ``same`` compares them; anything else exactly."""

    def number(x: Any) -> bool:
        return isinstance(x, int | float) and not isinstance(x, bool)

    if number(want) and number(got):
        return same(got, want)
    return type(got) is type(want) and bool(got == want)


def differences(name: str, row: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """Each key of ``want`` whose value in ``row`` differs."""
    return [
        f"{name}: {key} {row[key]!r} != {value!r}"
        for key, value in want.items()
        if not equal(row[key], value)
    ]


def tally(statuses: Iterable[str]) -> dict[str, int]:
    """How many of each status, every status named (the JSON ``status_counts``)."""
    counts = Counter(statuses)
    return {s: counts[s] for s in STATUSES}


# --- the invariants: each returns what disagrees, with the numbers ---------------------------------


def check_header(city: City, v: Views) -> list[str]:
    """The year's share gone, the period, the status counts and the notes of the header."""
    header = v.status["header"]
    fy = city.shown_year(v.as_of)
    bad = differences(
        "header",
        header,
        {
            "fiscal_year": fy,
            "elapsed_percent": elapsed(fy, v.as_of) * 100,
            "period": due_period(fy, v.as_of),
            "agency": None,
            "definitions": DEFINITIONS,
            "counts": tally(row["status"] for row in v.status["rows"]),
        },
    )
    bad += differences(
        "--by agency header",
        v.by_header("agency"),
        {
            "period": header["period"],
            "definitions": DEFINITIONS,
            "elapsed_percent": header["elapsed_percent"],
            "notes": header["notes"],
        },
    )
    wanted = [kr.id for kr in city.key_results_of(fy)]
    if sorted(v.rows) != sorted(wanted):
        bad.append(f"rows {sorted(v.rows)} != key results of FY {fy} {sorted(wanted)}")
    later = city.later_values(fy, v.as_of)
    notes = [n for n in header["notes"] if "not counted" in n]
    if later:
        last = city.latest_month(fy)
        assert last is not None
        want = (
            f"{later:,} value{'s' if later > 1 else ''} for periods ending after "
            f"{day_en(v.as_of)} not counted (latest period ends {day_en(parse_period(last).end)})"
        )
        if notes != [want]:
            bad.append(f"notes {notes} do not say {want!r}")
    elif notes:
        bad.append(f"notes {notes} but every value of FY {fy} ends by {v.day}")
    return bad


def check_city_figures(city: City, v: Views, kr: KeyResult) -> list[str]:
    """Invariant 1: the city row against the stored values, its rule's definition and the
    per-agency rows."""
    row, as_of = v.rows[kr.id], v.as_of
    states = city.states(kr, v.period, as_of)
    bad = differences(
        "city",
        row,
        {
            **city.combined(kr, as_of),
            "allocated": len(kr.allocations),
            "period": v.period,
            "reported": sum(s == REPORTED for s in states.values()),
            "stale": sum(s == STALE for s in states.values()),
            "status_counts": city.status_counts(kr, as_of, list(kr.allocations)),
            "agency": None,
            "city": None,
        },
    )
    ends = [city.counted(kr, a, as_of)[-1].period.end for a in city.actuals(kr, as_of)]
    last = row["last_period"] and parse_period(row["last_period"]).end
    if last != max(ends, default=None):
        bad.append(f"last period {row['last_period']} does not end {max(ends, default=None)}")
    bad += check_zone_rows(city, v, kr)
    if kr.aggregate != "sum":
        return bad
    if kr.allocated_in_file and not same(row["target"], sum(kr.allocations.values())):
        bad.append(f"target {row['target']} != sum of allocations {sum(kr.allocations.values())}")
    agencies = v.by_agency[kr.id]["rows"]
    by_actual = total([r["actual"] for r in agencies])
    if not same(row["actual"], by_actual):
        bad.append(f"actual {row['actual']} != sum of --by agency actuals {by_actual}")
    by_target = total([r["target"] for r in agencies])
    if not same(row["target"], by_target):
        bad.append(f"target {row['target']} != sum of --by agency targets {by_target}")
    # zones hold the districts; the departments stand beside them
    departments = [r for r in agencies if r["agency"] not in city.zone_of]
    zones = v.by_zone[kr.id]["rows"]
    parts = total([r["actual"] for r in zones] + [r["actual"] for r in departments])
    if not same(row["actual"], parts):
        bad.append(f"actual {row['actual']} != zones + departments {parts}")
    return bad


def own_figures(city: City, v: Views, kr: KeyResult, agency: str) -> dict[str, Any]:
    """docs/definitions.md: an agency's own figures on ``kr``, as its rows print them."""
    progress = city.agency_progress(kr, agency, v.as_of)
    state = city.report_state(kr, agency, v.period, v.as_of)
    status = city.own_status(kr, agency, v.as_of)
    return {
        "target": kr.allocations[agency],
        "actual": city.own_actual(kr, agency, v.as_of),
        "percent": None if progress is None else progress * 100,
        "expected": city.own_expected(kr, agency, v.as_of),
        "status": status,
        "last_period": city.own_last_period(kr, agency, v.as_of),
        "reported": int(state == REPORTED),
        "stale": int(state == STALE),
        "allocated": 1,
        "status_counts": tally([status]),
    }


def check_agency_rows(city: City, v: Views, kr: KeyResult) -> list[str]:
    """Invariant 2, per key result: each ``--by agency`` row is the agency's own figures, and
    the city row counts their statuses."""
    rows = {r["agency"]: r for r in v.by_agency[kr.id]["rows"]}
    bad = []
    if sorted(rows) != sorted(kr.allocations):
        bad.append(f"--by agency lists {sorted(rows)}, allocated {sorted(kr.allocations)}")
    for agency, row in rows.items():
        if agency not in kr.allocations:
            continue
        progress = city.agency_progress(kr, agency, v.as_of)
        want = {
            **own_figures(city, v, kr, agency),
            "band": band_of(progress),
            "report": city.report_state(kr, agency, v.period, v.as_of),
            "count_target": None,
        }
        bad += differences(agency, row, want)
    counts = tally(r["status"] for r in rows.values())
    if v.rows[kr.id]["status_counts"] != counts:
        bad.append(f"status_counts {v.rows[kr.id]['status_counts']} != --by agency {counts}")
    return bad


def check_zone_rows(city: City, v: Views, kr: KeyResult) -> list[str]:
    """Invariant 1 for zones: each ``--by zone`` row combines the zone's districts by the key
    result's rule (a summed zone against the sum of its districts' allocations) and counts their
    bands, reports and statuses as the ``--by district`` rows show them."""
    rows = {r["agency"]: r for r in v.by_zone[kr.id]["rows"]}
    members = city.zone_members(kr)
    districts = {r["agency"]: r for r in v.by_district[kr.id]["rows"]}
    bad = []
    if sorted(rows) != sorted(members):
        bad.append(f"--by zone lists {sorted(rows)}, zones allocated {sorted(members)}")
    for zone, of_zone in members.items():
        row = rows.get(zone)
        if row is None:
            continue
        states = [city.report_state(kr, a, v.period, v.as_of) for a in of_zone]
        want = {
            **city.combined(kr, v.as_of, of_zone),
            "allocated": len(of_zone),
            "districts": city.bands(kr, v.as_of, of_zone),
            "reported": states.count(REPORTED),
            "stale": states.count(STALE),
            "report": None,
            "status_counts": city.status_counts(kr, v.as_of, of_zone),
        }
        bad += differences(f"zone {zone}", row, want)
        ends = [
            city.counted(kr, a, v.as_of)[-1].period.end for a in city.actuals(kr, v.as_of, of_zone)
        ]
        last = row["last_period"] and parse_period(row["last_period"]).end
        if last != max(ends, default=None):
            bad.append(
                f"zone {zone}: last period {row['last_period']} does not end {max(ends, default=None)}"
            )
        shown = tally(districts[a]["status"] for a in of_zone if a in districts)
        if row["status_counts"] != shown:
            bad.append(
                f"zone {zone}: status_counts {row['status_counts']} != --by district {shown}"
            )
    return bad


def check_agency_filter(city: City, v: Views, agency: str) -> list[str]:
    """Invariant 2: ``status --agency A`` shows a row for each key result of the policies A
    hosts or supports on which A has an allocation — A's own figures, the city row beside it —
    and says how many others it leaves out."""
    out = v.agency(agency)
    fy = city.shown_year(v.as_of)
    bad = differences(
        "header",
        out["header"],
        {
            "agency": agency,
            "period": v.period,
            "counts": tally(row["status"] for row in out["rows"]),
        },
    )
    of_policies = [
        kr
        for kr in city.key_results_of(fy)
        if agency == kr.host or agency in city.supporters(city.policies[kr.policy])
    ]
    want = [kr.id for kr in of_policies if agency in kr.allocations]
    shown = [row["key_result"] for row in out["rows"]]
    if shown != want:
        bad.append(f"rows {shown} != key results with an allocation for {agency} {want}")
    left_out = len(of_policies) - len(want)
    notes = [n for n in out["header"]["notes"] if "no allocation for it: not shown" in n]
    if [n.split(" ", 1)[0] for n in notes] != ([str(left_out)] if left_out else []):
        bad.append(f"notes {notes} do not say {left_out} key results are not shown")
    for row in out["rows"]:
        kr = city.key_results.get(row["key_result"])
        if kr is None or agency not in kr.allocations:
            continue
        want_row = {
            **own_figures(city, v, kr, agency),
            "period": v.period,
            "agency": agency,
            "baseline": city.own_baseline(kr, agency),
            "count_target": None,
            "city": v.rows[kr.id],
        }
        bad += differences(f"{kr.id}", row, want_row)
    return bad


def check_missing(city: City, v: Views, period: str) -> list[str]:
    """Invariant 3: allocated = reported for ``period`` + chase list, disjoint, per key result,
    a stale agency with its last period; and the supporters bound to none of a policy's key
    results are listed as not bound. ``missing`` counts every value stored (as of today)."""
    out = v.missing(period)
    fiscal_year = fiscal_year_of(parse_period(period).end)
    bad = differences(
        "header",
        out["header"],
        {"period": period, "as_of": TODAY.isoformat(), "definitions": DEFINITIONS},
    )
    listed: dict[str, dict[str, str | None]] = {}
    not_bound: dict[str, list[str]] = {}
    for item in out["items"]:
        if item["reason"] == "no-report":
            chased = listed.setdefault(item["key_result"], {})
            if item["agency"] in chased:
                bad.append(f"{item['key_result']}: {item['agency']} listed twice")
            chased[item["agency"]] = item["last_period"]
        elif item["reason"] == "no-project-report":
            continue  # projects owed are checked by tests/test_projects_views.py
        else:
            not_bound.setdefault(item["policy"], []).append(item["agency"])
            if item["last_period"] is not None:
                bad.append(f"{item['policy']}: not bound {item['agency']} with a last period")
    for kr in city.key_results_of(fiscal_year):
        states = city.states(kr, period, TODAY)
        want = {
            a: city.own_last_period(kr, a, TODAY) if state == STALE else None
            for a, state in states.items()
            if state != REPORTED
        }
        got = listed.pop(kr.id, {})
        if got != want:
            reported = {a for a, s in states.items() if s == REPORTED}
            bad.append(
                f"{kr.id}: chased {sorted(got.items())} != not reported for {period} "
                f"{sorted(want.items())} (reported and chased: {sorted(reported & set(got))})"
            )
    if listed:
        bad.append(f"listed key results of no FY {fiscal_year} OKR: {sorted(listed)}")
    for policy in city.policies.values():
        want_bound = city.not_bound(policy, fiscal_year)
        got_bound = not_bound.pop(policy.id, [])
        if sorted(got_bound) != sorted(want_bound):
            bad.append(f"{policy.id}: not bound {sorted(got_bound)} != {sorted(want_bound)}")
    if not_bound:
        bad.append(f"not bound on policies with no FY {fiscal_year} OKR: {sorted(not_bound)}")
    items = out["items"]
    counts = {
        "agencies": len({i["agency"] for i in items}),
        "no_report": sum(i["reason"] == "no-report" for i in items),
        "not_bound": sum(i["reason"] == "not-bound" for i in items),
        "stale": sum(i["last_period"] is not None for i in items),
    }
    bad += differences("header", out["header"], counts)
    return bad


def check_status_against_missing(city: City, v: Views) -> list[str]:
    """Invariant 3, on ``status``, on any day: for each key result, reported + the agencies
    ``missing --period <the status's period> --as-of <the day>`` lists = allocated, and its
    stale ones are the status's stale count; ``missing --as-of <the day>`` chases the month of
    the latest period reported by then."""
    bad = []
    latest = city.latest_month(city.shown_year(v.as_of), v.as_of)
    if latest is not None:
        chosen = v.run(v.root, "missing", "--as-of", v.day)["header"]["period"]
        if chosen != latest:
            bad.append(f"missing --as-of {v.day} chases {chosen}, latest reported by then {latest}")
    if v.period is None:
        return bad  # the year's first month is not over: nothing can be counted yet
    items = v.missing_now()["items"]
    for kr_id, row in v.rows.items():
        chased = [i for i in items if i["reason"] == "no-report" and i["key_result"] == kr_id]
        if row["reported"] + len(chased) != row["allocated"]:
            bad.append(
                f"{kr_id}: reported {row['reported']}/{row['allocated']} but missing --period "
                f"{v.period} --as-of {v.day} lists {len(chased)}"
            )
        stale = sum(i["last_period"] is not None for i in chased)
        if row["stale"] != stale:
            bad.append(f"{kr_id}: stale {row['stale']} but missing lists {stale} stale")
    return bad


def check_district_rows(city: City, v: Views, kr: KeyResult) -> list[str]:
    """Invariant 4: the city row's district counts, share count and status counts against the
    ``--by district`` and ``--by agency`` rows; the city status within its agencies' (sum, mean,
    latest) or exactly their rule's (share-at-target)."""
    row = v.rows[kr.id]
    table = v.by_district[kr.id]
    bad = []
    districts = sorted(a for a in kr.allocations if a in city.zone_of)
    if sorted(r["agency"] for r in table["rows"]) != districts:
        bad.append(
            f"--by district lists {len(table['rows'])} districts, allocated {len(districts)}"
        )
    if table["key_result"] != row:
        bad.append("--by district's key result row differs from status's row")
    bands = Counter(r["band"] for r in table["rows"])
    want = city.bands(kr, v.as_of)
    got = row["districts"]
    if want is None:
        if got is not None:
            bad.append(f"districts {got} on a key result no district is allocated")
    else:
        if got is None or {k: n for k, n in got.items() if n} != dict(bands):
            bad.append(f"districts {got} != --by district bands {dict(bands)}")
        if got != want:
            bad.append(f"districts {got} != stored values' bands {want}")
    bad += check_beside(city, v, kr, table)
    shown = tally(r["status"] for r in table["rows"])
    of_districts = city.status_counts(kr, v.as_of, districts)
    if shown != of_districts:
        bad.append(f"--by district statuses {shown} != the districts' own {of_districts}")
    agencies = v.by_agency[kr.id]["rows"]
    departments = Counter(r["status"] for r in agencies if r["agency"] not in city.zone_of)
    of_city = {k: n - departments[k] for k, n in row["status_counts"].items()}
    if of_city != shown:
        bad.append(
            f"status_counts {row['status_counts']} less the departments' {dict(departments)} "
            f"!= --by district statuses {shown}"
        )
    if kr.aggregate == "share-at-target":
        if row["actual"] is not None:
            at_target = sum(r["band"] == "at-target" for r in agencies)
            if not same(row["actual"], at_target):
                bad.append(f"actual {row['actual']} != {at_target} --by agency rows at target")
        on, verdict = share_city_status(
            [r["status"] for r in agencies], elapsed(kr.fiscal_year, v.as_of)
        )
        if (row["expected"], row["status"]) != (on, verdict):
            bad.append(
                f"expected, status {row['expected']}, {row['status']} != {on}, {verdict} from "
                f"the --by agency statuses {tally(r['status'] for r in agencies)}"
            )
        return bad
    return bad + check_status_bounds(city, v, kr)


def check_beside(city: City, v: Views, kr: KeyResult, table: dict[str, Any]) -> list[str]:
    """The departments a ``--by district`` table leaves out stand beside it, each with its own
    figures, named in a line under it; for a sum, the districts' rows and those add up to the
    key result's actual (docs/definitions.md "status --by")."""
    departments = [a for a in kr.allocations if a not in city.zone_of]
    beside = {r["agency"]: r for r in table["beside"]}
    if sorted(beside) != sorted(departments) or bool(table["note"]) != bool(departments):
        return [f"--by district leaves out {departments} without a word: beside {sorted(beside)}"]
    bad = []
    for agency, row in beside.items():
        bad += differences(f"beside {agency}", row, own_figures(city, v, kr, agency))
    parts = total([r["actual"] for r in table["rows"]] + [r["actual"] for r in beside.values()])
    if kr.aggregate == "sum" and not same(table["key_result"]["actual"], parts):
        bad.append(f"actual {table['key_result']['actual']} != districts + beside {parts}")
    return bad


def check_status_bounds(city: City, v: Views, kr: KeyResult) -> list[str]:
    """The city status of a sum, mean or latest, and each ``--by zone`` row's, lies between the
    worst and the best status of its agencies: its progress is a (weighted) mean of theirs when
    every agency's own target is the key result's (for mean and latest), a baseline or not (an
    agency's share of it makes it so). An agency that has not reported counts as an actual of 0
    where its share counts (sum) and is left out where it does not (mean, latest); a cap past
    its target is behind, and so is the city or zone that counts it. (share-at-target:
    check_district_rows.)"""
    if kr.aggregate == "share-at-target":
        return []
    if kr.aggregate in ("mean", "latest") and set(kr.allocations.values()) != {kr.target}:
        return []
    if kr.aggregate == "sum" and kr.direction == "lower":
        return []
    share = elapsed(city.shown_year(v.as_of), v.as_of)

    def within(name: str, status: str, agencies: list[str]) -> list[str]:
        statuses = []
        for agency in agencies:
            if city.own_actual(kr, agency, v.as_of) is not None:
                statuses.append(city.own_status(kr, agency, v.as_of))
            elif kr.aggregate == "sum":
                own, base = kr.allocations[agency], city.own_baseline(kr, agency)
                cap = is_cap(kr.direction, kr.measure)
                statuses.append(judge(0.0, own, base, kr.direction, cap, share)[1])
        if all(city.own_actual(kr, a, v.as_of) is None for a in agencies):
            return [] if status == "no-data" else [f"{name} status {status}, nobody reported"]
        ranks = [STATUS_RANK[s] for s in statuses]
        if status in STATUS_RANK and min(ranks) <= STATUS_RANK[status] <= max(ranks):
            return []
        return [f"{name} status {status} outside its agencies' statuses {dict(Counter(statuses))}"]

    bad = within("city", v.rows[kr.id]["status"], list(kr.allocations))
    zones = {r["agency"]: r["status"] for r in v.by_zone[kr.id]["rows"]}
    for zone, districts in city.zone_members(kr).items():
        if zone in zones:
            bad += within(f"zone {zone}", zones[zone], districts)
    return bad


# --- (a) the shipped data --------------------------------------------------------------------------

SHIPPED_CITY = City(SHIPPED)
SHIPPED_KRS = [kr.id for kr in SHIPPED_CITY.key_results_of(2567)]
QUARTER_ENDS = ("2023-12-31", "2024-03-31", "2024-06-30", "2024-09-30")


def views(day: str) -> Views:
    return Views(SHIPPED, day)


def cases(days: tuple[str, ...]) -> list[Any]:
    """(day, key result) cases."""
    return [pytest.param(day, kr, id=f"{day}-{kr}") for day in days for kr in SHIPPED_KRS]


#: Days ``okrtool history`` is checked on: inside a quarter, a quarter's end, the year's end.
HISTORY_DAYS = ("2024-05-15", "2024-06-30", "2024-09-30")


def check_history(city: City, v: Views, kr: KeyResult) -> list[str]:
    """Invariant 5: ``okrtool history`` as of a day ends at ``status``'s actual of that day, and
    the running figure of every period ended by then is the stored values combined by the
    key result's rule as of the period's last day (read by the oracle, not okrtool)."""
    doc = v.run(v.root, "history", kr.id, "--as-of", v.day)
    counted = [r for r in doc["rows"] if not r["future"]]
    bad = []
    last = counted[-1]["actual"] if counted else None
    if last != v.rows[kr.id]["actual"]:
        bad.append(
            f"{kr.id} {v.day}: history ends at {last}, status says {v.rows[kr.id]['actual']}"
        )
    for row in counted:
        end = date.fromisoformat(row["end"])
        want = city.city_actual(kr, end)
        if not equal(row["actual"], want):
            bad.append(f"{kr.id} {row['period']}: history {row['actual']}, oracle {want}")
    future = [r for r in doc["rows"] if r["future"]]
    if any(date.fromisoformat(r["end"]) <= v.as_of for r in future) or any(
        date.fromisoformat(r["end"]) > v.as_of for r in counted
    ):
        bad.append(f"{kr.id} {v.day}: a period is on the wrong side of the as-of day")
    return bad


@pytest.mark.parametrize(("day", "kr"), cases(HISTORY_DAYS))
def test_shipped_history_ends_at_the_status_actual(day: str, kr: str) -> None:
    agree(check_history(SHIPPED_CITY, views(day), SHIPPED_CITY.key_results[kr]))


@pytest.mark.parametrize("day", SHIPPED_DAYS)
def test_shipped_header_counts_and_year_share_match_the_rows(day: str) -> None:
    agree(check_header(SHIPPED_CITY, views(day)))


@pytest.mark.parametrize(("day", "kr"), cases(SHIPPED_DAYS))
def test_shipped_city_row_is_its_agencies_combined(day: str, kr: str) -> None:
    agree(check_city_figures(SHIPPED_CITY, views(day), SHIPPED_CITY.key_results[kr]))


@pytest.mark.parametrize(("day", "kr"), cases(SHIPPED_DAYS))
def test_shipped_by_agency_rows_are_each_agencys_own(day: str, kr: str) -> None:
    agree(check_agency_rows(SHIPPED_CITY, views(day), SHIPPED_CITY.key_results[kr]))


#: A district, the host of canals and drains (allocated on them), a host carrying one whole
#: target (pwd: street lights, LED), a supporting department.
SHIPPED_AGENCIES = ("bang-rak", "dds", "pwd", "medical")


@pytest.mark.parametrize("day", ("2024-03-31", "2024-05-15", "2024-06-30"))
@pytest.mark.parametrize("agency", SHIPPED_AGENCIES)
def test_shipped_agency_filter_shows_the_agencys_own_figures(day: str, agency: str) -> None:
    agree(check_agency_filter(SHIPPED_CITY, views(day), agency))


def test_shipped_agency_filter_bang_rak_canals_dredged_is_its_own() -> None:
    """Bang Rak's own canal target and value, stale since April, and the city's beside it."""
    kr = SHIPPED_CITY.key_results["infra-canals-dredged"]
    row = next(
        r for r in views("2024-06-30").agency("bang-rak")["rows"] if r["key_result"] == kr.id
    )
    own = SHIPPED_CITY.own_actual(kr, "bang-rak", date(2024, 6, 30))
    assert (row["target"], row["actual"]) == (kr.allocations["bang-rak"], own) == (1063, 298)
    assert (row["reported"], row["stale"], row["last_period"]) == (0, 1, "2567-04")
    assert row["city"]["actual"] == 93715


def test_shipped_missing_chases_the_latest_reported_month_by_default() -> None:
    out = cached_json(SHIPPED, "missing")
    assert out["header"]["period"] == SHIPPED_CITY.latest_month(2567) == "2567-06"


GROUPS = ("infrastructure", "budget", "quality-of-life")


def test_shipped_groups_split_the_status_rows_without_changing_them() -> None:
    day = "2024-06-30"
    parts = [
        row
        for group in GROUPS
        for row in cached_json(SHIPPED, "status", "--as-of", day, "--group", group)["rows"]
    ]
    assert sorted(parts, key=lambda r: r["key_result"]) == sorted(
        views(day).status["rows"], key=lambda r: r["key_result"]
    )


def _item_key(item: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return (
        item["agency"],
        item["reason"],
        item["policy"],
        item["key_result"] or "",
        item["last_period"] or "",
    )


@pytest.mark.parametrize("period", ["2567-01", "FY2567-Q2", "2567-06"])
def test_shipped_groups_and_agencies_split_the_chase_list(period: str) -> None:
    full = sorted(map(_item_key, views("2024-06-30").missing(period)["items"]))
    parts = sorted(
        _item_key(item)
        for group in GROUPS
        for item in cached_json(SHIPPED, "missing", "--period", period, "--group", group)["items"]
    )
    assert parts == full
    for agency in SHIPPED_AGENCIES:
        out = cached_json(SHIPPED, "missing", "--period", period, "--agency", agency)
        assert sorted(map(_item_key, out["items"])) == [k for k in full if k[0] == agency]


def test_shipped_status_csv_carries_the_json_figures() -> None:
    day = "2024-06-30"
    result = CliRunner().invoke(
        app, ["status", "--as-of", day, "--data", str(SHIPPED), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    figures = ("target", "actual", "percent", "expected", "status", "reported", "allocated")
    assert [{k: r[k] for k in ("key_result", *figures)} for r in rows] == [
        {k: "" if r[k] is None else str(r[k]) for k in ("key_result", *figures)}
        for r in views(day).status["rows"]
    ]


@pytest.mark.parametrize("period", periods_of(2567))
def test_shipped_missing_and_reported_make_up_the_allocated(period: str) -> None:
    agree(check_missing(SHIPPED_CITY, views("2024-06-30"), period))


@pytest.mark.parametrize("day", SHIPPED_DAYS)
def test_shipped_reported_count_agrees_with_missing(day: str) -> None:
    """On every day, quarter-end or not: canal lengths of 30 June are stale (2567-04), and on
    30 September nobody has a value for 2567-09 (the latest are for 2567-06 or FY2567-Q3)."""
    agree(check_status_against_missing(SHIPPED_CITY, views(day)))


@pytest.mark.parametrize(("day", "kr"), cases(SHIPPED_DAYS))
def test_shipped_city_row_agrees_with_district_rows(day: str, kr: str) -> None:
    agree(check_district_rows(SHIPPED_CITY, views(day), SHIPPED_CITY.key_results[kr]))


def test_shipped_a_day_after_the_year_judges_the_year_by_its_last_month() -> None:
    """31 December 2024: no key result is for FY 2568, so FY 2567 is shown, all of it gone, its
    period 2567-09, which nobody reported for (the latest values are for June or the third
    quarter)."""
    city, v = SHIPPED_CITY, views("2024-12-31")
    assert (v.status["header"]["fiscal_year"], v.period) == (2567, "2567-09")
    agree(
        check_header(city, v)
        + check_status_against_missing(city, v)
        + every_key_result(check_city_figures, city, v)
    )


def test_shipped_budget_city_row_is_on_track_with_48_of_50_districts() -> None:
    """The bug the share-at-target rule fixed, named plainly: no district at 95 % yet, 48 on
    track and 2 at risk for the time of year, so the city row is on track, not behind."""
    kr = SHIPPED_CITY.key_results["mgmt-budget-disbursed"]
    row = views("2024-06-30").rows[kr.id]
    assert (row["actual"], row["target"], row["count_target"]) == (0, 95, 50)
    assert (row["expected"], row["status"]) == (48, "on-track")


# --- (b) a city made by bench/generate.py ------------------------------------------------------------


@pytest.fixture(scope="session")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[City, Path]:
    """Six synthetic policies (24 key results: sum of increments with a sub-target, sum of
    running totals, share-at-target, mean, lower-is-better mean), reports until BENCH_UNTIL."""
    root = tmp_path_factory.mktemp("bench") / "data"
    done = subprocess.run(
        [sys.executable, str(GENERATE), "--out", str(root), *BENCH_ARGS],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    summed = {kr.id for kr in City(root).key_results_of(2567) if kr.aggregate != "share-at-target"}
    silence(root, BENCH_SILENT, summed)
    return City(root), root


_TARGET = re.compile(r"^(\s*)target: (\S+)\n(\s*direction: )", re.MULTILINE)


_SUMMED = re.compile(r"direction: higher\n(\s*)measure: (increment|cumulative)\n")


def reshape(root: Path, baseline: float | None, latest: bool, caps: bool = False) -> None:
    """Give every key result of the city's plan a baseline of ``baseline`` times its target
    (0.2: below it; 1.5: above it, the far side for higher-is-better), and, with ``latest``,
    make its mean key results ``latest`` ones; with ``caps``, make its summed running totals
    lower-is-better and double their values (yearly caps, past their target by the spring for
    most agencies): the shapes bench/generate.py does not write. A baseline above a target of 100 or less stops at 100 (a percentage's ceiling)."""

    def with_baseline(m: re.Match[str]) -> str:
        target = float(m[2])
        assert baseline is not None
        value = round(min(target * baseline, max(target, 100.0)), 2)
        return f"{m[1]}target: {m[2]}\n{m[1]}baseline: {value}\n{m[3]}"

    for path in (root / "policies").glob("**/*.yaml"):
        text = path.read_text(encoding="utf-8")
        if baseline is not None:
            text = _TARGET.sub(with_baseline, text)
        if latest:
            text = text.replace("aggregate: mean\n", "aggregate: latest\n")
        if caps:
            text = _SUMMED.sub(lambda m: f"direction: lower\n{m[1]}measure: {m[2]}\n", text)
        path.write_text(text, encoding="utf-8")
    if caps:  # twice the values: past the cap by the spring for most agencies, not before
        capped = {
            kr.id
            for kr in City(root).key_results.values()
            if is_cap(kr.direction, kr.measure) and kr.aggregate == "sum"
        }
        for path in (root / "reports").glob("*/*.csv"):
            with path.open(encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            for row in rows[1:]:
                if row[0] in capped:
                    row[2] = str(float(row[2]) * 2).removesuffix(".0")
            with path.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f, lineterminator="\n").writerows(rows)


def report_by_quarter(root: Path, agencies: Iterable[str]) -> None:
    """Make ``agencies`` report by quarter: each quarter whose three months they reported
    becomes one value (the months' sum for an increment, the last month's value otherwise),
    and the months of a quarter not complete are dropped, as a quarterly reporter sends none."""
    city = City(root)
    for agency in agencies:
        path = root / "reports" / "2567" / f"{agency}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        quarters: dict[tuple[str, str], list[tuple[str, float]]] = {}
        for kr, period, value, *_ in rows[1:]:
            year, number = map(int, period.split("-"))
            fy = year + 1 if number >= 10 else year
            key = (kr, f"FY{fy}-Q{(number - 10) % 12 // 3 + 1}")
            quarters.setdefault(key, []).append((period, float(value)))
        out = [rows[0]]
        for (kr, quarter), months in quarters.items():
            if len(months) != 3:
                continue
            values = [v for _, v in sorted(months)]
            increment = city.key_results[kr].measure == "increment"
            value = math.fsum(values) if increment else values[-1]
            text = str(int(value)) if value == int(value) else repr(value)
            out.append([kr, quarter, text, "manual", "", "", "", "", ""])
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(out)


def silence(root: Path, agencies: Iterable[str], key_results: set[str] | None = None) -> None:
    """Remove what ``agencies`` reported (on ``key_results`` only, if given): they have
    reported nothing there."""
    for agency in agencies:
        path = root / "reports" / "2567" / f"{agency}.csv"
        if key_results is None:
            path.unlink(missing_ok=True)
            continue
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(
                [rows[0], *(r for r in rows[1:] if r[0] not in key_results)]
            )


def every_key_result(
    check: Callable[..., list[str]], city: City, v: Views, krs: list[KeyResult] | None = None
) -> list[str]:
    """``check`` on each key result of the year, each disagreement prefixed by its key result."""
    krs = city.key_results_of(city.shown_year(v.as_of)) if krs is None else krs
    return [f"{kr.id}: {line}" for kr in krs for line in check(city, v, kr)]


def share_key_results(city: City, fy: int, share: bool) -> list[KeyResult]:
    """The key results of ``fy`` whose rule is share-at-target (or, ``share=False``, is not)."""
    return [kr for kr in city.key_results_of(fy) if (kr.aggregate == "share-at-target") == share]


@pytest.mark.parametrize("day", BENCH_DAYS)
def test_bench_city_rows_are_their_agencies_combined(bench: tuple[City, Path], day: str) -> None:
    city, root = bench
    v = Views(root, day)
    agree(
        check_header(city, v)
        + every_key_result(check_city_figures, city, v)
        + every_key_result(check_agency_rows, city, v)
    )


@pytest.mark.parametrize("day", BENCH_DAYS)
def test_bench_city_row_agrees_with_district_rows(bench: tuple[City, Path], day: str) -> None:
    """Every rule's district and status counts; the status bounds of sum and mean, the exact
    share-at-target rule."""
    city, root = bench
    agree(every_key_result(check_district_rows, city, Views(root, day)))


@pytest.mark.parametrize("day", BENCH_DAYS)
def test_bench_share_at_target_city_status_follows_its_agencies(
    bench: tuple[City, Path], day: str
) -> None:
    """Every synthetic share-at-target city row takes its status from its agencies' own: on
    track or done as long as they are (before 30 September), behind once the year is over
    short of every target."""
    city, root = bench
    v = Views(root, day)
    share = share_key_results(city, city.shown_year(v.as_of), True)
    assert len(share) == 4
    bad = []
    for kr in share:
        row = v.rows[kr.id]
        statuses = [city.own_status(kr, a, v.as_of) for a in kr.allocations]
        want = share_city_status(statuses, elapsed(kr.fiscal_year, v.as_of))
        if (row["expected"], row["status"]) != want:
            bad.append(f"{kr.id}: {row['expected']}, {row['status']} != {want} ({tally(statuses)})")
    agree(bad)


@pytest.mark.parametrize("period", periods_of(2567))
def test_bench_missing_and_reported_make_up_the_allocated(
    bench: tuple[City, Path], period: str
) -> None:
    city, root = bench
    agree(check_missing(city, Views(root, "2024-06-30"), period))


def test_bench_missing_chases_the_latest_reported_month_by_default(
    bench: tuple[City, Path],
) -> None:
    city, root = bench
    out = cached_json(root, "missing")
    assert out["header"]["period"] == city.latest_month(2567) == BENCH_UNTIL


@pytest.mark.parametrize("day", BENCH_DAYS)
def test_bench_reported_count_agrees_with_missing(bench: tuple[City, Path], day: str) -> None:
    """Reports stop at 2567-07: on 30 September every value is stale."""
    city, root = bench
    v = Views(root, day)
    agree(check_status_against_missing(city, v))
    if day == "2024-09-30":
        assert {(row["reported"], row["stale"] > 0) for row in v.rows.values()} == {(0, True)}


@pytest.mark.parametrize("role", ["district", "host", "supporting department"])
def test_bench_agency_filter_shows_the_agencys_own_figures(
    bench: tuple[City, Path], role: str
) -> None:
    city, root = bench
    policies = list(city.policies.values())
    agency = {
        "district": "bang-rak",
        "host": policies[0].host,
        "supporting department": next(
            s for p in policies for s in p.supporters if s in city.departments
        ),
    }[role]
    agree(check_agency_filter(city, Views(root, "2024-06-30"), agency))


# --- (c) small generated cities, drawn by hypothesis ---------------------------------------------------


def _generator() -> Any:
    """bench/generate.py as a module, to write a city without starting a process."""
    spec = importlib.util.spec_from_file_location("okrtool_bench_generate", GENERATE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
FY = 2567
FY_START, FY_END = date(2023, 10, 1), date(2024, 9, 30)


@settings(
    max_examples=10,
    deadline=None,
    database=None,
    # an example writes a city and runs the CLI seven times: shrinking a failure would take
    # minutes, and the example as drawn (seed, policies, until, day, period) is small already
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 10**6),
    policies=st.integers(1, 2),
    until=st.sampled_from(months_of(FY)),
    day=st.one_of(
        st.sampled_from(QUARTER_ENDS).map(date.fromisoformat),
        st.dates(FY_START, FY_END + timedelta(days=92)),
    ),
    period=st.sampled_from(periods_of(FY)),
    silent=st.integers(0, 4),
    baseline=st.sampled_from([None, 0.2, 1.5]),
    latest=st.booleans(),
    caps=st.booleans(),
    quarterly=st.integers(0, 3),
)
def test_generated_cities_keep_the_invariants(
    seed: int,
    policies: int,
    until: str,
    day: date,
    period: str,
    silent: int,
    baseline: float | None,
    latest: bool,
    caps: bool,
    quarterly: int,
) -> None:
    """Invariants 1, 2 (``--by agency`` and ``--agency`` for one allocated agency), 3 (on the
    drawn period, and status against missing on the drawn day) and 4 on a small city whose
    reports stop after ``until``, where ``silent`` agencies report nothing and ``quarterly``
    ones by quarter, and whose key results may have a baseline (on either side of the target),
    a ``latest`` rule (agencies tied on the latest month) and yearly caps."""
    with tempfile.TemporaryDirectory(prefix="okrtool-invariants-") as tmp:
        root = Path(tmp) / "data"
        argv = ["--out", str(root), "--policies", str(policies), "--years", "1"]
        GENERATOR.main([*argv, "--seed", str(seed), "--until", until])
        agencies = sorted(p.stem for p in (root / "reports" / str(FY)).glob("*.csv"))
        silence(root, random.Random(seed).sample(agencies, min(silent, len(agencies))))
        report_by_quarter(root, random.Random(seed + 1).sample(agencies, quarterly))
        reshape(root, baseline, latest, caps)
        city = City(root)
        v = Views(root, day.isoformat(), run=cli_json)
        allocated = sorted({a for kr in city.key_results_of(FY) for a in kr.allocations})
        agency = random.Random(seed).choice(allocated)
        agree(
            check_header(city, v)
            + every_key_result(check_city_figures, city, v)
            + every_key_result(check_agency_rows, city, v)
            + every_key_result(check_district_rows, city, v)
            + check_missing(city, v, period)
            + check_status_against_missing(city, v)
            + check_agency_filter(city, v, agency)
        )
