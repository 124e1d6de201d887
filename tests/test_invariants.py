"""Every figure ``okrtool status`` and ``okrtool missing`` print, checked against the stored
values (read again by ``oracle.py``, which does not import okrtool) and against each other:

1. a summed key result's city actual is the sum of its agencies' actuals, and its target the sum
   of its allocations; every key result's actual is its agencies' actuals combined by its rule;
2. ``status --by agency`` and ``status --agency A`` rows are each agency's own target and actual;
3. ``missing --period P``: for every key result, the allocated agencies are exactly those that
   reported for P and those the chase list names, never both; ``status``'s "reported" agrees;
4. the city row's district counts and status agree with the ``--by district`` rows, for every
   aggregation rule.

They run on the shipped data at several days, on a city made by ``bench/generate.py``, and on
small generated cities drawn by hypothesis. A case that fails because of a known bug is marked
``xfail(strict=True)`` with the bug: remove the mark once the fix lands.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from oracle import (
    STATUS_RANK,
    City,
    KeyResult,
    band_of,
    elapsed,
    fiscal_year_of,
    month_ending,
    months_of,
    parse_period,
    periods_of,
    status_of,
)
from typer.testing import CliRunner

from okrtool.cli import app

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "data"
GENERATE = REPO / "bench" / "generate.py"

#: Days the shipped data is judged on: quarter ends (where "reported for the month" is the same
#: for monthly and quarterly reporters), a day inside a month, and the last day of the year.
SHIPPED_DAYS = ("2023-12-31", "2024-03-31", "2024-05-15", "2024-06-30", "2024-09-30")
#: The generated city: reports stop after this month; judged before, at and after it.
BENCH_UNTIL = "2567-07"
BENCH_ARGS = ("--policies", "6", "--years", "1", "--seed", "7", "--until", BENCH_UNTIL)
BENCH_DAYS = ("2024-03-31", "2024-05-15", "2024-07-31", "2024-09-30")
#: The generator has every allocated agency report every month; these report nothing on the
#: summed and mean key results, so that a mean over reporters, a "not reported" band and a
#: missing department are put to the test. (On share-at-target every agency keeps reporting, so
#: that the city status is bounded by reported agencies only.)
BENCH_SILENT = ("dusit", "bang-khae", "pwd")

#: The known bugs (being fixed on other branches), as xfail reasons.
BUG_AGENCY = "status --agency prints city-wide figures, not the agency's own target and actual"
BUG_SHARE = (
    "a share-at-target key result's city (and zone) status counts agencies at their year-end "
    "target (0 of 50: behind) instead of the per-agency comparison the district rows use"
)
BUG_STALE = (
    "status counts an agency whose latest value is older than the period as reported "
    "(missing --period lists it; its value is stale)"
)


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


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

    def by(self, what: str) -> dict[str, dict[str, Any]]:
        """key result → ``--by what`` table (its city row and its agency rows)."""
        out = self.run(self.root, "status", "--as-of", self.day, "--by", what)
        return {t["key_result"]["key_result"]: t for t in out["tables"]}

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
        return self.run(self.root, "missing", "--period", period)


def same(a: float | None, b: float | None) -> bool:
    """Equal as JSON prints them: None alike, numbers to the 6 decimals okrtool keeps."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 + 1e-9 * abs(b)


def total(values: list[float | None]) -> float | None:
    """The sum of the numbers, None if there are none."""
    numbers = [v for v in values if v is not None]
    return sum(numbers) if numbers else None


# --- the invariants: each returns what disagrees, with the numbers ---------------------------------


def check_header(city: City, v: Views) -> list[str]:
    """The year's share gone and the status counts of ``status``'s header."""
    header = v.status["header"]
    fy = fiscal_year_of(v.as_of)
    bad = []
    share = elapsed(fy, v.as_of) * 100
    if not same(header["elapsed_percent"], share):
        bad.append(f"elapsed_percent {header['elapsed_percent']} != {share}")
    tally = Counter(row["status"] for row in v.status["rows"])
    counts = {k: n for k, n in header["counts"].items() if n}
    if counts != dict(tally):
        bad.append(f"header counts {counts} != row statuses {dict(tally)}")
    wanted = [kr.id for kr in city.key_results_of(fy)]
    if sorted(v.rows) != sorted(wanted):
        bad.append(f"rows {sorted(v.rows)} != key results of FY {fy} {sorted(wanted)}")
    later = city.later_values(fy, v.as_of)
    notes = [n for n in header["notes"] if "not counted" in n]
    if later:
        want = f"{later:,} value{'s' if later > 1 else ''} for periods ending after {v.day}"
        if len(notes) != 1 or not notes[0].startswith(want):
            bad.append(f"notes {notes} do not say {want!r}")
    elif notes:
        bad.append(f"notes {notes} but every value of FY {fy} ends by {v.day}")
    return bad


def check_city_figures(city: City, v: Views, kr: KeyResult) -> list[str]:
    """Invariant 1: the city row against the stored values and the per-agency rows."""
    row, as_of = v.rows[kr.id], v.as_of
    bad = []
    if not same(row["target"], kr.target):
        bad.append(f"target {row['target']} != stored target {kr.target}")
    if row["allocated"] != len(kr.allocations):
        bad.append(f"allocated {row['allocated']} != {len(kr.allocations)} allocations")
    want = city.city_actual(kr, as_of)
    if not same(row["actual"], want):
        bad.append(f"actual {row['actual']} != {kr.aggregate} of the stored values {want}")
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
    if kr.direction == "higher" and kr.target > kr.baseline:
        fy = fiscal_year_of(as_of)
        done = None if want is None else (want - kr.baseline) / (kr.target - kr.baseline)
        if not same(row["percent"], None if done is None else done * 100):
            bad.append(f"percent {row['percent']} != {None if done is None else done * 100}")
        expected = kr.baseline + (kr.target - kr.baseline) * elapsed(fy, as_of)
        if not same(row["expected"], expected):
            bad.append(f"expected {row['expected']} != {expected}")
        if row["status"] != status_of(done, elapsed(fy, as_of)):
            bad.append(f"status {row['status']} != {status_of(done, elapsed(fy, as_of))}")
    return bad


def check_agency_rows(city: City, v: Views, kr: KeyResult) -> list[str]:
    """Invariant 2, per key result: each ``--by agency`` row is the agency's own figures."""
    rows = {r["agency"]: r for r in v.by_agency[kr.id]["rows"]}
    bad = []
    if sorted(rows) != sorted(kr.allocations):
        bad.append(f"--by agency lists {sorted(rows)}, allocated {sorted(kr.allocations)}")
    share = elapsed(fiscal_year_of(v.as_of), v.as_of)
    for agency, row in rows.items():
        if agency not in kr.allocations:
            continue
        own = city.own_actual(kr, agency, v.as_of)
        progress = city.agency_progress(kr, agency, v.as_of)
        want = {
            "target": kr.allocations[agency],
            "actual": own,
            "percent": None if progress is None else progress * 100,
            "last_period": city.own_last_period(kr, agency, v.as_of),
            "band": band_of(progress),
            "status": status_of(progress, share),
        }
        for key, value in want.items():
            got = row[key]
            ok = same(got, value) if key in ("target", "actual", "percent") else got == value
            if not ok:
                bad.append(f"{agency}: {key} {got} != {value}")
    return bad


def check_zone_rows(city: City, v: Views, kr: KeyResult) -> list[str]:
    """Invariant 1 for zones: each ``--by zone`` row combines the zone's districts by the key
    result's rule; a summed zone's target is the sum of its districts' allocations."""
    rows = {r["agency"]: r for r in v.by_zone[kr.id]["rows"]}
    members = city.zone_members(kr)
    bad = []
    if sorted(rows) != sorted(members):
        bad.append(f"--by zone lists {sorted(rows)}, zones allocated {sorted(members)}")
    for zone, districts in members.items():
        row = rows.get(zone)
        if row is None:
            continue
        want = city.city_actual(kr, v.as_of, districts)
        if not same(row["actual"], want):
            bad.append(f"zone {zone}: actual {row['actual']} != {kr.aggregate} {want}")
        if row["allocated"] != len(districts):
            bad.append(f"zone {zone}: allocated {row['allocated']} != {len(districts)}")
        bands = city.bands(kr, v.as_of, districts)
        if row["districts"] != bands:
            bad.append(f"zone {zone}: districts {row['districts']} != {bands}")
        if kr.aggregate == "sum":
            target = sum(kr.allocations[a] for a in districts)
            if not same(row["target"], target):
                bad.append(f"zone {zone}: target {row['target']} != allocations {target}")
    return bad


def check_agency_filter(city: City, v: Views, agency: str) -> list[str]:
    """Invariant 2: ``status --agency A`` rows are A's own allocation and actual."""
    out = v.agency(agency)
    fy = fiscal_year_of(v.as_of)
    bad = []
    shown = {row["key_result"]: row for row in out["rows"]}
    tally = Counter(row["status"] for row in out["rows"])
    counts = {k: n for k, n in out["header"]["counts"].items() if n}
    if counts != dict(tally):
        bad.append(f"header counts {counts} != row statuses {dict(tally)}")
    for kr in city.key_results_of(fy):
        if agency in kr.allocations and kr.id not in shown:
            bad.append(f"{kr.id}: {agency} has an allocation but no row")
    for kr_id, row in shown.items():
        kr = city.key_results[kr_id]
        own = city.own_actual(kr, agency, v.as_of)
        if not same(row["actual"], own):
            bad.append(f"{kr_id}: actual {row['actual']} != {agency}'s own {own}")
        if agency not in kr.allocations:
            continue
        if not same(row["target"], kr.allocations[agency]):
            bad.append(
                f"{kr_id}: target {row['target']} != {agency}'s allocation {kr.allocations[agency]}"
            )
        ref = next(r for r in v.by_agency[kr_id]["rows"] if r["agency"] == agency)
        if row["status"] != ref["status"]:
            bad.append(f"{kr_id}: status {row['status']} != --by agency {ref['status']}")
    return bad


def check_missing(city: City, v: Views, period: str) -> list[str]:
    """Invariant 3: expected = reported for ``period`` ∪ chase list, disjoint, per key result;
    and the supporters bound to none of a policy's key results are listed as not bound."""
    out = v.missing(period)
    chosen = parse_period(period)
    fiscal_year = fiscal_year_of(chosen.end)
    bad = []
    if out["header"]["period"] != period:
        bad.append(f"header period {out['header']['period']} != {period}")
    listed: dict[str, list[str]] = {}
    not_bound: dict[str, list[str]] = {}
    for item in out["items"]:
        if item["reason"] == "no-report":
            listed.setdefault(item["key_result"], []).append(item["agency"])
        else:
            not_bound.setdefault(item["policy"], []).append(item["agency"])
    for kr in city.key_results_of(fiscal_year):
        reported = city.reported_for(kr, chosen)
        chased = listed.pop(kr.id, [])
        if len(chased) != len(set(chased)):
            bad.append(f"{kr.id}: listed twice: {sorted(a for a in chased if chased.count(a) > 1)}")
        both = reported & set(chased)
        if both:
            bad.append(f"{kr.id}: reported for {period} and listed missing: {sorted(both)}")
        gap = set(kr.allocations) - reported - set(chased)
        if gap:
            bad.append(f"{kr.id}: not reported for {period} and not listed: {sorted(gap)}")
        extra = set(chased) - set(kr.allocations)
        if extra:
            bad.append(f"{kr.id}: listed but not allocated: {sorted(extra)}")
    if listed:
        bad.append(f"listed key results of no FY {fiscal_year} OKR: {sorted(listed)}")
    for policy in city.policies.values():
        want = city.not_bound(policy, fiscal_year)
        got = not_bound.pop(policy.id, [])
        if sorted(got) != sorted(want):
            bad.append(f"{policy.id}: not bound {sorted(got)} != {sorted(want)}")
    if not_bound:
        bad.append(f"not bound on policies with no FY {fiscal_year} OKR: {sorted(not_bound)}")
    header = out["header"]
    items = out["items"]
    counts = {
        "agencies": len({i["agency"] for i in items}),
        "no_report": sum(i["reason"] == "no-report" for i in items),
        "not_bound": sum(i["reason"] == "not-bound" for i in items),
    }
    for key, n in counts.items():
        if header[key] != n:
            bad.append(f"header {key} {header[key]} != {n} in the items")
    return bad


def check_reported(city: City, v: Views, kr: KeyResult) -> list[str]:
    """Invariant 3, on ``status``: "reported" on a day that ends a quarter is the allocated
    agencies less those ``missing`` names for the month that ends on it.

    The status JSON does not say which period its "reported" counts, so the period is taken to
    be the month that ends on the as-of day; on a quarter's last day a monthly and a quarterly
    value for it both end that day, so every reading of "a value for the period" agrees."""
    period = month_ending(v.as_of)
    row = v.rows[kr.id]
    chased = {
        i["agency"]
        for i in v.missing(period)["items"]
        if i["reason"] == "no-report" and i["key_result"] == kr.id
    }
    fresh = city.reported_for(kr, parse_period(period))
    bad = []
    if row["reported"] != len(fresh):
        stale = sorted(city.stale(kr, v.as_of))
        bad.append(
            f"reported {row['reported']}/{row['allocated']} != {len(fresh)} with a value for "
            f"{period} (stale: {len(stale)}, last periods "
            f"{sorted({city.own_last_period(kr, a, v.as_of) for a in stale})})"
        )
    if row["reported"] != row["allocated"] - len(chased):
        bad.append(
            f"reported {row['reported']}/{row['allocated']} but missing --period {period} "
            f"lists {len(chased)}"
        )
    return bad


def check_district_rows(city: City, v: Views, kr: KeyResult, with_status: bool = True) -> list[str]:
    """Invariant 4: the city row's district counts, share count and status against the
    ``--by district`` and ``--by agency`` rows."""
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
    tally = Counter(r["band"] for r in table["rows"])
    want = city.bands(kr, v.as_of)
    got = row["districts"]
    if want is None:
        if got is not None:
            bad.append(f"districts {got} on a key result no district is allocated")
    else:
        if got is None or {k: n for k, n in got.items() if n} != dict(tally):
            bad.append(f"districts {got} != --by district bands {dict(tally)}")
        if got != want:
            bad.append(f"districts {got} != stored values' bands {want}")
    agencies = v.by_agency[kr.id]["rows"]
    if kr.aggregate == "share-at-target" and row["actual"] is not None:
        at_target = sum(r["band"] == "at-target" for r in agencies)
        if not same(row["actual"], at_target):
            bad.append(f"actual {row['actual']} != {at_target} --by agency rows at target")
    if with_status:
        bad += check_status_bounds(city, v, kr)
    return bad


def check_status_bounds(city: City, v: Views, kr: KeyResult) -> list[str]:
    """The city status, and each ``--by zone`` row's, lies between the worst and the best
    status of its agencies: its progress is a (weighted) mean of theirs — for sum,
    share-at-target, mean and latest alike — when there is no baseline and every agency's own
    target is the key result's (for mean and latest). An agency that has not reported counts as
    progress 0 where its share counts (sum, share-at-target) and is left out where it does not
    (mean, latest)."""
    if kr.baseline != 0:
        return []
    if kr.aggregate in ("mean", "latest") and set(kr.allocations.values()) != {kr.target}:
        return []
    if kr.aggregate == "sum" and kr.direction == "lower":
        return []
    share = elapsed(fiscal_year_of(v.as_of), v.as_of)

    def within(name: str, status: str, agencies: list[str]) -> list[str]:
        statuses = []
        for agency in agencies:
            progress = city.agency_progress(kr, agency, v.as_of)
            if progress is None and kr.aggregate in ("sum", "share-at-target"):
                progress = 0.0
            if progress is not None:
                statuses.append(status_of(progress, share))
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


def cases(days: tuple[str, ...], known: dict[tuple[str, str], str]) -> list[Any]:
    """(day, key result) cases; the known bugs marked xfail."""
    out = []
    for day in days:
        for kr in SHIPPED_KRS:
            reason = known.get((day, kr))
            marks = [xfail(reason)] if reason else []
            out.append(pytest.param(day, kr, id=f"{day}-{kr}", marks=marks))
    return out


@pytest.mark.parametrize("day", SHIPPED_DAYS)
def test_shipped_header_counts_and_year_share_match_the_rows(day: str) -> None:
    agree(check_header(SHIPPED_CITY, views(day)))


@pytest.mark.parametrize(("day", "kr"), cases(SHIPPED_DAYS, {}))
def test_shipped_city_row_is_its_agencies_combined(day: str, kr: str) -> None:
    agree(check_city_figures(SHIPPED_CITY, views(day), SHIPPED_CITY.key_results[kr]))


@pytest.mark.parametrize(("day", "kr"), cases(SHIPPED_DAYS, {}))
def test_shipped_by_agency_rows_are_each_agencys_own(day: str, kr: str) -> None:
    agree(check_agency_rows(SHIPPED_CITY, views(day), SHIPPED_CITY.key_results[kr]))


#: (day, agency): a district, the host of canals and drains (allocated on them), a host carrying
#: one whole target (pwd: street lights, LED), a supporting department. By 31 March nothing pwd
#: is shown on had been reported, so city and own figures are both empty and agree.
AGENCY_CASES = [
    pytest.param(
        day, agency, marks=[] if (day, agency) == ("2024-03-31", "pwd") else xfail(BUG_AGENCY)
    )
    for day in ("2024-03-31", "2024-06-30")
    for agency in ("bang-rak", "dds", "pwd", "medical")
]


@pytest.mark.parametrize(("day", "agency"), AGENCY_CASES)
def test_shipped_agency_filter_shows_the_agencys_own_figures(day: str, agency: str) -> None:
    agree(check_agency_filter(SHIPPED_CITY, views(day), agency))


@xfail(BUG_AGENCY)
def test_shipped_agency_filter_bang_rak_canals_dredged_is_its_own() -> None:
    """The bug named plainly: bang-rak's own canal target and value, not the city's."""
    kr = SHIPPED_CITY.key_results["infra-canals-dredged"]
    row = next(
        r for r in views("2024-06-30").agency("bang-rak")["rows"] if r["key_result"] == kr.id
    )
    own = SHIPPED_CITY.own_actual(kr, "bang-rak", date(2024, 6, 30))
    assert (row["target"], row["actual"]) == (kr.allocations["bang-rak"], own)


@pytest.mark.parametrize("agency", ["bang-rak", "dds", "pwd", "medical"])
def test_shipped_agency_filter_selects_the_policies_it_hosts_or_supports(agency: str) -> None:
    rows = views("2024-06-30").agency(agency)["rows"]
    want = [
        kr.id
        for kr in SHIPPED_CITY.key_results_of(2567)
        if agency == kr.host or agency in SHIPPED_CITY.supporters(SHIPPED_CITY.policies[kr.policy])
    ]
    assert [r["key_result"] for r in rows] == want


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


def _item_key(item: dict[str, Any]) -> tuple[str, str, str, str]:
    return (item["agency"], item["reason"], item["policy"], item["key_result"] or "")


@pytest.mark.parametrize("period", ["2567-01", "FY2567-Q2", "2567-06"])
def test_shipped_groups_and_agencies_split_the_chase_list(period: str) -> None:
    full = sorted(map(_item_key, views("2024-06-30").missing(period)["items"]))
    parts = sorted(
        _item_key(item)
        for group in GROUPS
        for item in cached_json(SHIPPED, "missing", "--period", period, "--group", group)["items"]
    )
    assert parts == full
    for agency in ("bang-rak", "dds", "pwd", "medical"):
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


#: Stale values counted as reported: every park value of 31 March is for 2567-02, every canal
#: length of 30 June for 2567-04, and on 30 September nobody has a value for 2567-09 (the latest
#: are for 2567-06 or FY2567-Q3); only env-waste-points-set, reported by nobody, agrees then.
def test_shipped_missing_chases_the_latest_reported_month_by_default() -> None:
    out = cached_json(SHIPPED, "missing")
    assert out["header"]["period"] == SHIPPED_CITY.latest_month(2567) == "2567-06"


STALE_SHIPPED = {
    ("2024-03-31", "env-parks-15min-opened"): BUG_STALE,
    ("2024-06-30", "infra-canals-dredged"): BUG_STALE,
    **{("2024-09-30", kr): BUG_STALE for kr in SHIPPED_KRS if kr != "env-waste-points-set"},
}


@pytest.mark.parametrize(("day", "kr"), cases(QUARTER_ENDS, STALE_SHIPPED))
def test_shipped_reported_count_agrees_with_missing(day: str, kr: str) -> None:
    agree(check_reported(SHIPPED_CITY, views(day), SHIPPED_CITY.key_results[kr]))


#: The budget disbursed (a level of 95 % by the year's end): all 50 districts on track or at risk,
#: the city row and every zone behind. On 30 September the year is over and all say behind.
#: Zones alone: on 31 March the north zone's waste collection is behind with its 7 districts
#: done, on track or at risk; on 30 June Thonburi North's OKR binding is at risk with its 8
#: districts done or on track.
SHARE_SHIPPED = {
    **{
        (day, "mgmt-budget-disbursed"): BUG_SHARE
        for day in ("2023-12-31", "2024-03-31", "2024-05-15", "2024-06-30")
    },
    ("2024-03-31", "env-waste-collection-buildings"): BUG_SHARE,
    ("2024-06-30", "mgmt-okrs-bound"): BUG_SHARE,
}


@pytest.mark.parametrize(("day", "kr"), cases(SHIPPED_DAYS, SHARE_SHIPPED))
def test_shipped_city_row_agrees_with_district_rows(day: str, kr: str) -> None:
    agree(check_district_rows(SHIPPED_CITY, views(day), SHIPPED_CITY.key_results[kr]))


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
    krs = city.key_results_of(fiscal_year_of(v.as_of)) if krs is None else krs
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
    """Every rule's district counts; the status bounds of sum and mean (share-at-target below)."""
    city, root = bench
    v = Views(root, day)
    fy = fiscal_year_of(v.as_of)
    agree(
        every_key_result(check_district_rows, city, v, share_key_results(city, fy, False))
        + every_key_result(
            lambda c, w, kr: check_district_rows(c, w, kr, with_status=False),
            city,
            v,
            share_key_results(city, fy, True),
        )
    )


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(day, marks=[] if day == "2024-09-30" else xfail(BUG_SHARE))
        for day in BENCH_DAYS
    ],
)
def test_bench_share_at_target_city_status_lies_within_its_agencies(
    bench: tuple[City, Path], day: str
) -> None:
    """Before the year's end every synthetic share-at-target key result has its agencies on
    track or done and its city row behind; on 30 September all short of 100 % are behind."""
    city, root = bench
    v = Views(root, day)
    share = share_key_results(city, fiscal_year_of(v.as_of), True)
    assert len(share) == 4
    agree(every_key_result(check_status_bounds, city, v, share))


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


@pytest.mark.parametrize(
    "day",
    [
        "2024-03-31",
        "2024-06-30",
        # reports stop at 2567-07: on 30 September every value is stale
        pytest.param("2024-09-30", marks=xfail(BUG_STALE)),
    ],
)
def test_bench_reported_count_agrees_with_missing(bench: tuple[City, Path], day: str) -> None:
    city, root = bench
    agree(every_key_result(check_reported, city, Views(root, day)))


@pytest.mark.parametrize("role", ["district", "host", "supporting department"])
@xfail(BUG_AGENCY)
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
        st.sampled_from(QUARTER_ENDS).map(date.fromisoformat), st.dates(FY_START, FY_END)
    ),
    period=st.sampled_from(periods_of(FY)),
    silent=st.integers(0, 4),
)
def test_generated_cities_keep_the_invariants(
    seed: int, policies: int, until: str, day: date, period: str, silent: int
) -> None:
    """Invariants 1, 2 (``--by agency``), 3 and 4 on a small city whose reports stop after
    ``until`` and where ``silent`` agencies report nothing. Left out, as the known bugs break
    them and the fixed cases above pin them: ``--agency``, share-at-target city status, and
    "reported" on a day after the last report (stale values)."""
    with tempfile.TemporaryDirectory(prefix="okrtool-invariants-") as tmp:
        root = Path(tmp) / "data"
        argv = ["--out", str(root), "--policies", str(policies), "--years", "1"]
        GENERATOR.main([*argv, "--seed", str(seed), "--until", until])
        agencies = sorted(p.stem for p in (root / "reports" / str(FY)).glob("*.csv"))
        silence(root, random.Random(seed).sample(agencies, min(silent, len(agencies))))
        city = City(root)
        v = Views(root, day.isoformat(), run=cli_json)
        bad = (
            check_header(city, v)
            + every_key_result(check_city_figures, city, v)
            + every_key_result(check_agency_rows, city, v)
            + every_key_result(check_district_rows, city, v, share_key_results(city, FY, False))
            + every_key_result(
                lambda c, w, kr: check_district_rows(c, w, kr, with_status=False),
                city,
                v,
                share_key_results(city, FY, True),
            )
            + check_missing(city, v, period)
        )
        if day.isoformat() in QUARTER_ENDS and day <= parse_period(until).end:
            bad += every_key_result(check_reported, city, v)
        agree(bad)
