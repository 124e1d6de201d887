"""An independent reading of a data folder, to check the figures okrtool prints.

Nothing here imports okrtool: the plan is read with ``yaml.safe_load``, the report files with
the ``csv`` module, and the rules are written down again from docs/definitions.md (values
counted, reported for the period and stale, progress, expected by now, the status bands, an
agency's own figures, the city row of each aggregation rule) and docs/data-format.md. A figure
okrtool prints is right when this small second implementation agrees with it.

Terms (docs/data-format.md): an agency's *actual* on a key result comes from its values by the
key result's ``measure`` (increment: their sum; cumulative and level: the latest one); the key
result's actual combines the agencies' actuals by its ``aggregate`` (sum, mean, latest, or
share-at-target: how many agencies reached their own target). A key result without
``allocations`` is carried by its host alone, with the whole target.
"""

from __future__ import annotations

import calendar
import csv
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

BE_OFFSET = 543
#: The page that defines every figure; status and missing name it in their JSON header.
DEFINITIONS = "docs/definitions.md"
#: docs/definitions.md "Status bands": on track at most 10 points below the expected progress, at risk up to 25.
ON_TRACK_GAP = 10.0
AT_RISK_GAP = 25.0
EPSILON = 1e-9
#: Statuses worst first, so that a rank compares them; "no-data" stands apart.
STATUS_RANK = {"behind": 0, "at-risk": 1, "on-track": 2, "done": 3}
BANDS = ("at-target", "half-or-more", "below-half", "not-reported")
#: Every status, in the order of the JSON ``counts`` and ``status_counts``.
STATUSES = ("done", "on-track", "at-risk", "behind", "no-data")
#: docs/definitions.md "Reported for the period": the three states of an agency.
REPORTED, STALE, NOT_REPORTED = "reported", "stale", "none"
_MONTH_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^FY(\d{4})-Q([1-4])$")


# --- time ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A reporting period as written in a report file, with its first and last day."""

    text: str
    start: date
    end: date

    def covers(self, day: date) -> bool:
        """True if ``day`` falls in the period."""
        return self.start <= day <= self.end


def _month(ce_year: int, number: int, text: str) -> Period:
    last = calendar.monthrange(ce_year, number)[1]
    return Period(text, date(ce_year, number, 1), date(ce_year, number, last))


def parse_period(text: str) -> Period:
    """``2567-06`` (June BE 2567) or ``FY2567-Q3`` (April–June 2024)."""
    m = _MONTH.match(text)
    if m:
        return _month(int(m.group(1)) - BE_OFFSET, int(m.group(2)), text)
    m = _QUARTER.match(text)
    if not m:
        raise ValueError(f"not a period: {text!r}")
    fy, q = int(m.group(1)), int(m.group(2))
    first = (10, 1, 4, 7)[q - 1]
    ce = fy - BE_OFFSET - (1 if first == 10 else 0)
    start = date(ce, first, 1)
    return Period(text, start, date(ce, first + 2, calendar.monthrange(ce, first + 2)[1]))


def fiscal_year_of(day: date) -> int:
    """The BE fiscal year of ``day`` (October starts the next one)."""
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """1 October before to 30 September of BE fiscal year ``fy``."""
    ce = fy - BE_OFFSET
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def elapsed(fy: int, day: date) -> float:
    """Share of the fiscal year gone by the end of ``day``."""
    start, end = fiscal_year_bounds(fy)
    if day < start:
        return 0.0
    if day >= end:
        return 1.0
    return ((day - start).days + 1) / ((end - start).days + 1)


def months_of(fy: int) -> list[str]:
    """The twelve month periods of fiscal year ``fy``, October first."""
    return [f"{fy - 1 if m >= 10 else fy}-{m:02d}" for m in (10, 11, 12, *range(1, 10))]


def quarters_of(fy: int) -> list[Period]:
    """The four quarters of fiscal year ``fy``."""
    return [parse_period(f"FY{fy}-Q{q}") for q in range(1, 5)]


def periods_of(fy: int) -> list[str]:
    """Every period of fiscal year ``fy``: its twelve months and four quarters."""
    return months_of(fy) + [f"FY{fy}-Q{q}" for q in range(1, 5)]


def month_ending(day: date) -> str:
    """The BE month period whose last day is ``day`` (``day`` must end a month)."""
    assert day.day == calendar.monthrange(day.year, day.month)[1], f"{day} ends no month"
    return f"{day.year + BE_OFFSET}-{day.month:02d}"


def due_period(fy: int, as_of: date) -> str | None:
    """The period of a status table: the latest month of the fiscal year that has ended on or
    before the as-of day (the year's last month once it is over); None before its first has."""
    ended = [m for m in months_of(fy) if parse_period(m).end <= as_of]
    return ended[-1] if ended else None


def day_en(day: date) -> str:
    """A day as the English notes write it: ``31 Mar 2024``."""
    return f"{day.day} {_MONTH_EN[day.month - 1]} {day.year}"


# --- status rules (docs/definitions.md "Status bands") ------------------------------------------


def status_of(progress: float | None, elapsed_share: float) -> str:
    """done / on-track / at-risk / behind / no-data for a progress (1.0 = target reached)."""
    if progress is None:
        return "no-data"
    if progress >= 1.0 - EPSILON:
        return "done"
    if elapsed_share >= 1.0:
        return "behind"
    gap = (elapsed_share - progress) * 100
    if gap <= ON_TRACK_GAP + EPSILON:
        return "on-track"
    return "at-risk" if gap <= AT_RISK_GAP + EPSILON else "behind"


def gap_status(points: float) -> str:
    """on-track / at-risk / behind for a gap in percentage points (the bands' thresholds)."""
    if points <= ON_TRACK_GAP + EPSILON:
        return "on-track"
    return "at-risk" if points <= AT_RISK_GAP + EPSILON else "behind"


def share_city_status(statuses: list[str], elapsed_share: float) -> tuple[int, str]:
    """docs/definitions.md, the share-at-target city (or zone) row from its agencies' own
    statuses: (how many are on track or done, the row's status)."""
    on = sum(s in ("done", "on-track") for s in statuses)
    if statuses and all(s == "done" for s in statuses):
        return on, "done"
    if all(s == "no-data" for s in statuses):
        return on, "no-data"
    if elapsed_share >= 1.0:
        return on, "behind"
    return on, gap_status((1 - on / len(statuses)) * 100)


def progress_of(
    actual: float, target: float, baseline: float, direction: str, cap: bool = False
) -> float:
    """docs/definitions.md "Progress" of a figure, 1.0 = reached: from the baseline to the
    target; with no baseline on the far side of the target, or for a yearly cap, target ÷ actual
    past the target (lower-is-better) or actual ÷ target (higher)."""
    span = target - baseline
    if not cap and ((direction == "higher" and span > 0) or (direction == "lower" and span < 0)):
        return (actual - baseline) / span
    return own_progress(actual, target, direction)


def expected_of(
    target: float, baseline: float, direction: str, share: float, cap: bool = False
) -> float | None:
    """docs/definitions.md "Expected by now": the straight line from the baseline to the target
    at the share of the year gone; a yearly cap: the cap; lower-is-better with no baseline above
    the target: target / share (none on a day before the year starts)."""
    if cap:
        return target
    span = target - baseline
    if (direction == "higher" and span > 0) or (direction == "lower" and span < 0):
        return baseline + span * share
    if direction == "lower":
        return target / share if share > 0 else None
    return target * share


def judge(
    actual: float | None, target: float, baseline: float, direction: str, cap: bool, share: float
) -> tuple[float | None, str]:
    """docs/definitions.md: (progress, status) of a figure; a yearly cap past its target is
    behind on any day."""
    if actual is None:
        return None, "no-data"
    progress = progress_of(actual, target, baseline, direction, cap)
    if cap and actual > target + EPSILON:
        return progress, "behind"
    return progress, status_of(progress, share)


def is_cap(direction: str, measure: str) -> bool:
    """docs/definitions.md "Yearly caps": lower-is-better, its actual a running total."""
    return direction == "lower" and measure in ("increment", "cumulative")


def meets(value: float, target: float, direction: str) -> bool:
    """True if ``value`` is at or past ``target`` in the better direction."""
    if direction == "lower":
        return value <= target + EPSILON
    return value >= target - EPSILON


def own_progress(value: float, target: float, direction: str) -> float:
    """An agency's progress toward its own target (agencies have no baseline), 1.0 = reached."""
    if direction == "lower":
        if value <= target + EPSILON:
            return 1.0
        return target / value if value > 0 else 0.0
    return value / target if target > 0 else (1.0 if value >= target else 0.0)


def band_of(progress: float | None) -> str:
    """docs/status.md "Districts": at target / 50 % of it or more / below 50 % / not reported."""
    if progress is None:
        return "not-reported"
    if progress >= 1.0 - EPSILON:
        return "at-target"
    return "half-or-more" if progress >= 0.5 - EPSILON else "below-half"


# --- the plan and the values -----------------------------------------------------------------


@dataclass
class KeyResult:
    """A key result as stored, with the agencies expected to report on it."""

    id: str
    policy: str
    host: str
    fiscal_year: int
    target: float
    baseline: float
    direction: str
    measure: str
    aggregate: str
    #: Each agency's own target: the stored ``allocations``, or the host with the whole target.
    allocations: dict[str, float]
    #: True if the file names allocations (False: the host carries the whole target).
    allocated_in_file: bool


@dataclass
class Policy:
    """A policy: its host, its supporters as written, its key results of every year."""

    id: str
    host: str
    supporters: list[str]
    key_results: list[KeyResult] = field(default_factory=list)


@dataclass(frozen=True)
class Value:
    """One stored report value; ``order`` is its place in the files (later wins a tie)."""

    agency: str
    key_result: str
    period: Period
    value: float
    order: int


class City:
    """A data folder read directly: districts and zones, policies, report values."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.zone_of: dict[str, str] = {}
        self.departments: list[str] = []
        for path in sorted((root / "agencies").glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for d in data.get("districts", []):
                self.zone_of[d["id"]] = d["zone"]
            self.departments += [d["id"] for d in data.get("departments", [])]
        self.policies: dict[str, Policy] = {}
        self.key_results: dict[str, KeyResult] = {}
        for path in sorted((root / "policies").glob("**/*.yaml")):
            self._read_policy(yaml.safe_load(path.read_text(encoding="utf-8")))
        #: (key result, agency) → its values, in file order.
        self.values: dict[tuple[str, str], list[Value]] = {}
        order = 0
        for path in sorted((root / "reports").glob("*/*.csv")):
            with path.open(encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    order += 1
                    v = Value(
                        path.stem,
                        row["key_result"],
                        parse_period(row["period"]),
                        float(row["value"]),
                        order,
                    )
                    self.values.setdefault((v.key_result, v.agency), []).append(v)

    def _read_policy(self, data: dict[str, Any]) -> None:
        if not data.get("okrs"):
            return  # no OKR, no key result (the 2022 platform's policies have no host yet)
        policy = Policy(data["id"], data["host"], list(data.get("supporters", [])))
        self.policies[policy.id] = policy

        def add(kr: dict[str, Any], fy: int) -> None:
            allocations = {a: float(v) for a, v in (kr.get("allocations") or {}).items()}
            self.key_results[kr["id"]] = k = KeyResult(
                id=kr["id"],
                policy=policy.id,
                host=policy.host,
                fiscal_year=fy,
                target=float(kr["target"]),
                baseline=float(kr.get("baseline", 0)),
                direction=kr.get("direction", "higher"),
                measure=kr["measure"],
                aggregate=kr["aggregate"],
                allocations=allocations or {policy.host: float(kr["target"])},
                allocated_in_file=bool(allocations),
            )
            policy.key_results.append(k)
            for sub in kr.get("sub_targets") or []:
                add(sub, fy)

        for okr in data.get("okrs") or []:
            for kr in okr["key_results"]:
                add(kr, okr["fiscal_year"])

    # -- who --

    @property
    def districts(self) -> list[str]:
        """Every district id."""
        return list(self.zone_of)

    def supporters(self, policy: Policy) -> set[str]:
        """The R agencies, ``all-districts`` and ``zone:<id>`` expanded."""
        out: set[str] = set()
        for entry in policy.supporters:
            if entry == "all-districts":
                out.update(self.zone_of)
            elif entry.startswith("zone:"):
                zone = entry.removeprefix("zone:")
                out.update(d for d, z in self.zone_of.items() if z == zone)
            else:
                out.add(entry)
        return out

    def key_results_of(self, fy: int) -> list[KeyResult]:
        """Every key result of fiscal year ``fy``, in file order."""
        return [kr for kr in self.key_results.values() if kr.fiscal_year == fy]

    def shown_year(self, as_of: date) -> int:
        """The fiscal year ``status --as-of`` shows: the day's, if a key result is for it; else
        the latest earlier year that has key results (the first, if none is earlier)."""
        fy = fiscal_year_of(as_of)
        years = sorted({kr.fiscal_year for kr in self.key_results.values()})
        if fy in years or not years:
            return fy
        earlier = [y for y in years if y < fy]
        return earlier[-1] if earlier else years[0]

    def not_bound(self, policy: Policy, fy: int) -> set[str]:
        """Supporters of ``policy`` with no allocation on any of its key results of ``fy``."""
        krs = [kr for kr in policy.key_results if kr.fiscal_year == fy]
        if not krs:
            return set()
        bound = {a for kr in krs for a in kr.allocations}
        known = set(self.zone_of) | set(self.departments)
        return {a for a in self.supporters(policy) - bound if a in known}

    # -- values --

    def counted(self, kr: KeyResult, agency: str, as_of: date) -> list[Value]:
        """The agency's values on ``kr`` whose period has ended by ``as_of``, oldest first."""
        values = [v for v in self.values.get((kr.id, agency), []) if v.period.end <= as_of]
        return sorted(values, key=lambda v: (v.period.end, v.period.start, v.order))

    def own_actual(self, kr: KeyResult, agency: str, as_of: date) -> float | None:
        """The agency's actual by the key result's measure; None if it reported nothing."""
        values = self.counted(kr, agency, as_of)
        if not values:
            return None
        if kr.measure == "increment":
            return math.fsum(v.value for v in values)
        return values[-1].value

    def own_last_period(self, kr: KeyResult, agency: str, as_of: date) -> str | None:
        """The period of the agency's latest counted value."""
        values = self.counted(kr, agency, as_of)
        return values[-1].period.text if values else None

    def actuals(
        self, kr: KeyResult, as_of: date, agencies: list[str] | None = None
    ) -> dict[str, float]:
        """Each allocated agency (of ``agencies``, if given) that reported by ``as_of`` → its
        actual."""
        out = {}
        for agency in kr.allocations if agencies is None else agencies:
            got = self.own_actual(kr, agency, as_of)
            if got is not None:
                out[agency] = got
        return out

    def city_actual(
        self, kr: KeyResult, as_of: date, agencies: list[str] | None = None
    ) -> float | None:
        """The key result's actual by its aggregate rule (over ``agencies`` only, if given:
        a zone); None if no agency reported."""
        actuals = self.actuals(kr, as_of, agencies)
        if not actuals:
            return None
        if kr.aggregate == "sum":
            return math.fsum(actuals.values())
        if kr.aggregate == "mean":
            return math.fsum(actuals.values()) / len(actuals)
        if kr.aggregate == "share-at-target":
            return float(sum(meets(v, kr.allocations[a], kr.direction) for a, v in actuals.items()))
        # docs/definitions.md: the period that ends last, of two ending the same day the
        # shorter; the values of the agencies tied so, averaged (whatever their order)
        lasts = [self.counted(kr, a, as_of)[-1] for a in actuals]
        last = max((v.period.end, v.period.start) for v in lasts)
        tied = [actuals[v.agency] for v in lasts if (v.period.end, v.period.start) == last]
        return math.fsum(tied) / len(tied)

    def zone_members(self, kr: KeyResult) -> dict[str, list[str]]:
        """zone → its districts allocated on ``kr``."""
        out: dict[str, list[str]] = {}
        for agency in kr.allocations:
            if agency in self.zone_of:
                out.setdefault(self.zone_of[agency], []).append(agency)
        return out

    def own_baseline(self, kr: KeyResult, agency: str) -> float:
        """docs/definitions.md: an agency's share of the baseline: for a sum, the baseline times
        its allocation over the sum of the allocations; else the key result's baseline."""
        if kr.aggregate != "sum":
            return kr.baseline
        total = math.fsum(kr.allocations.values())
        return kr.baseline * kr.allocations[agency] / total if total else 0.0

    def agency_progress(self, kr: KeyResult, agency: str, as_of: date) -> float | None:
        """The agency's progress toward its own target from its share of the baseline; None if
        it reported nothing."""
        got = self.own_actual(kr, agency, as_of)
        if got is None:
            return None
        own, base = kr.allocations[agency], self.own_baseline(kr, agency)
        return progress_of(got, own, base, kr.direction, is_cap(kr.direction, kr.measure))

    def bands(
        self, kr: KeyResult, as_of: date, districts: list[str] | None = None
    ) -> dict[str, int] | None:
        """How many allocated districts (of ``districts``, if given) fall in each band; None if
        no district is allocated."""
        if districts is None:
            districts = [a for a in kr.allocations if a in self.zone_of]
        if not districts:
            return None
        out = dict.fromkeys(BANDS, 0)
        for a in districts:
            out[band_of(self.agency_progress(kr, a, as_of))] += 1
        return out

    def report_state(self, kr: KeyResult, agency: str, period: str | None, as_of: date) -> str:
        """docs/definitions.md "Reported for the period": REPORTED if a counted value's period
        holds the period's last day; STALE if every counted value's period ended before that
        day; NOT_REPORTED otherwise (nothing counted, or only values for later periods). With
        no period yet (the year's first month not over) nothing can be counted."""
        values = self.counted(kr, agency, as_of)
        if not values:
            return NOT_REPORTED
        if period is None:
            return REPORTED
        last_day = parse_period(period).end
        owed_day = last_day
        if _MONTH.match(period) and _QUARTER.match(values[-1].period.text):
            # a quarterly reporter owes only its quarters: the last one ended by the month's end
            ended = [p for p in quarters_of(fiscal_year_of(last_day)) if p.end <= last_day]
            if not ended:
                return REPORTED  # October, November: no quarter of the year has ended
            owed_day = ended[-1].end
        if any(v.period.covers(last_day) or v.period.covers(owed_day) for v in values):
            return REPORTED
        return STALE if all(v.period.end < owed_day for v in values) else NOT_REPORTED

    def states(self, kr: KeyResult, period: str | None, as_of: date) -> dict[str, str]:
        """Each allocated agency → its ``report_state``."""
        return {a: self.report_state(kr, a, period, as_of) for a in kr.allocations}

    def own_status(self, kr: KeyResult, agency: str, as_of: date) -> str:
        """The agency's status against its own allocation (and its share of the baseline)."""
        _, verdict = judge(
            self.own_actual(kr, agency, as_of),
            kr.allocations[agency],
            self.own_baseline(kr, agency),
            kr.direction,
            is_cap(kr.direction, kr.measure),
            elapsed(kr.fiscal_year, as_of),
        )
        return verdict

    def own_expected(self, kr: KeyResult, agency: str, as_of: date) -> float | None:
        """The agency's expected by now: from its share of the baseline to its allocation."""
        share = elapsed(kr.fiscal_year, as_of)
        own, base = kr.allocations[agency], self.own_baseline(kr, agency)
        return expected_of(own, base, kr.direction, share, is_cap(kr.direction, kr.measure))

    def status_counts(self, kr: KeyResult, as_of: date, agencies: list[str]) -> dict[str, int]:
        """How many of ``agencies`` have each status against their own target."""
        out = dict.fromkeys(STATUSES, 0)
        for a in agencies:
            out[self.own_status(kr, a, as_of)] += 1
        return out

    def combined(
        self, kr: KeyResult, as_of: date, agencies: list[str] | None = None
    ) -> dict[str, Any]:
        """The city row (``agencies`` None) or a zone row (its districts) by the key result's
        aggregate: target, actual, percent, expected and status (docs/definitions.md "The city
        row, for each aggregation rule"). A zone of a summed key result is measured against the
        sum of its districts' allocations, from zero."""
        members = list(kr.allocations) if agencies is None else agencies
        share = elapsed(kr.fiscal_year, as_of)
        actual = self.city_actual(kr, as_of, members)
        if kr.aggregate == "share-at-target":
            on, verdict = share_city_status([self.own_status(kr, a, as_of) for a in members], share)
            done = None if actual is None else actual / len(members)
            return {
                "target": kr.target,
                "count_target": len(members),
                "actual": actual,
                "percent": None if done is None else done * 100,
                "expected": on,
                "status": verdict,
            }
        target, baseline = kr.target, kr.baseline
        if kr.aggregate == "sum" and agencies is not None:
            target = math.fsum(kr.allocations[a] for a in members)
            baseline = math.fsum(self.own_baseline(kr, a) for a in members)
        cap = is_cap(kr.direction, kr.measure)
        done, verdict = judge(actual, target, baseline, kr.direction, cap, share)
        return {
            "target": target,
            "count_target": None,
            "actual": actual,
            "percent": None if done is None else done * 100,
            "expected": expected_of(target, baseline, kr.direction, share, cap),
            "status": verdict,
        }

    def later_values(self, fy: int, as_of: date) -> int:
        """How many values of fiscal year ``fy`` are for periods ending after ``as_of``."""
        start, end = fiscal_year_bounds(fy)
        return sum(
            start <= v.period.start and v.period.end <= end and v.period.end > as_of
            for values in self.values.values()
            for v in values
        )

    def latest_month(self, fy: int, as_of: date | None = None) -> str | None:
        """The month in which the latest period reported in fiscal year ``fy`` ends (counting
        only the values counted by ``as_of``, if given)."""
        start, end = fiscal_year_bounds(fy)
        ends = [
            v.period.end
            for values in self.values.values()
            for v in values
            if start <= v.period.start
            and v.period.end <= end
            and (as_of is None or v.period.end <= as_of)
        ]
        return month_ending(max(ends)) if ends else None
