"""The figures: how reported values become actuals, and actuals a key result's figure.

The one home of each figure docs/definitions.md defines, each in one function: an agency's actual
by the key result's ``measure`` (``agency_actual``); whether it reported for the period or is stale
(``due_period``, ``report_state``); the agencies combined by the ``aggregate`` rule
(``aggregate``, ``progress``); an agency's own figures (``agency_figures``); and the city row's
status per aggregation rule (``CITY_STATUS``).

Time: a value counts when its period has ended on or before the as-of date, so that a status "as
of 30 June 2024" is the one a meeting on that day could have seen. "Expected by now" is a straight
line from the baseline at the start of the fiscal year to the target at its end.
"""

from __future__ import annotations

import calendar
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from okrtool.dataset import Dataset
from okrtool.fiscal import (
    Period,
    ce_to_be,
    fiscal_year_bounds,
    month,
    quarter,
)
from okrtool.model import KeyResult, ReportValue
from okrtool.progress.bands import (
    BEHIND,
    DONE,
    NO_DATA,
    NO_REPORT,
    ON_TRACK,
    REPORTED,
    STALE,
    STATUSES,
    agency_progress,
    band,
    expected_value,
    meets,
    status,
    status_of_gap,
)
from okrtool.progress.frequency import by_quarter as quarterly_periods

# --- the aggregation rules: the one home of measure and aggregate -------------------------------


@dataclass(frozen=True)
class AgencyActual:
    """One agency's actual on one key result, from its values up to the as-of date."""

    value: float
    last_period: Period
    values: int
    #: The periods of the values counted (``report_state`` asks whether one holds a period).
    periods: tuple[Period, ...] = ()


def reports_by_key_result(
    ds: Dataset, fiscal_year: int, as_of: date
) -> dict[str, dict[str, list[ReportValue]]]:
    """key result → agency → the values counted as of ``as_of`` (periods ended by then)."""
    out: dict[str, dict[str, list[ReportValue]]] = defaultdict(lambda: defaultdict(list))
    for rv in ds.reports:
        if rv.fiscal_year == fiscal_year and rv.period.end <= as_of:
            out[rv.key_result][rv.agency].append(rv)
    return out


def later_values(ds: Dataset, fiscal_year: int, as_of: date) -> int:
    """How many values of the year are for periods that end after ``as_of`` (not counted)."""
    return sum(1 for rv in ds.reports if rv.fiscal_year == fiscal_year and rv.period.end > as_of)


def agency_actual(kr: KeyResult, values: list[ReportValue]) -> AgencyActual | None:
    """An agency's actual by the key result's ``measure``: the sum of its increments, or its
    latest running total or level. None if it has no value."""
    if not values:
        return None
    # latest period last; a value written later in the files wins a tie
    ordered = sorted(values, key=lambda rv: (rv.period.end, rv.period.start))
    last = ordered[-1]
    periods = tuple(rv.period for rv in ordered)
    if kr.measure == "increment":
        total = math.fsum(rv.value for rv in ordered)
        return AgencyActual(total, last.period, len(values), periods)
    return AgencyActual(last.value, last.period, len(values), periods)


def agency_actuals(
    kr: KeyResult, by_agency: Mapping[str, list[ReportValue]]
) -> dict[str, AgencyActual]:
    """agency → its actual (``agency_actual``), for the agencies with a counted value."""
    out = {}
    for agency, values in by_agency.items():
        got = agency_actual(kr, values)
        if got is not None:
            out[agency] = got
    return out


# --- reported for the period: the one definition, for status and missing ------------------------


def due_period(fiscal_year: int, as_of: date) -> Period | None:
    """The period a table as of ``as_of`` asks every agency to have reported for: the latest
    month of the fiscal year that has ended on or before ``as_of`` (the year's last month once
    it is over); None before its first month has ended."""
    start, end = fiscal_year_bounds(fiscal_year)
    day = min(as_of, end)
    if day.day != calendar.monthrange(day.year, day.month)[1]:
        day = day.replace(day=1) - timedelta(days=1)  # this month is not over: the one before
    if day < start:
        return None
    return month(ce_to_be(day.year), day.month)


def covers(value_period: Period, day: date) -> bool:
    """True if a value's period includes ``day``."""
    return value_period.start <= day <= value_period.end


def by_quarter(actual: AgencyActual | None) -> bool:
    """True if an agency reports the key result by quarter, by its values counted by the as-of
    day (``frequency.by_quarter``: some, every one a quarter); with none counted it owes the
    month (a table of that day cannot know better)."""
    return actual is not None and quarterly_periods(actual.periods)


def owed_period(period: Period, actual: AgencyActual | None) -> Period | None:
    """The period an agency owes a report for when a table or chase list asks for ``period``:
    ``period`` itself; for a month and an agency that reports by quarter (``by_quarter``), the
    latest quarter of the fiscal year that has ended by the month's end (its own quarter at a
    quarter's end, else the one before): None in October and November, before the year's first
    quarter has ended."""
    return owed_by_frequency(period, by_quarter(actual))


def owed_by_frequency(period: Period, quarterly: bool) -> Period | None:
    """The period owed when ``period`` is asked of a reporter by quarter (``quarterly``) or
    not: ``period`` itself, or for a month and a quarterly reporter the latest quarter of the
    fiscal year ended by the month's end (``owed_period``'s rule, also the one of projects)."""
    if period.kind != "month" or not quarterly:
        return period
    number = period.quarter  # the quarter holding the month
    if period.end != quarter(period.fiscal_year, number).end:
        number -= 1
    return quarter(period.fiscal_year, number) if number else None


def report_state(actual: AgencyActual | None, period: Period | None) -> str:
    """Whether an agency has reported for ``period``: REPORTED if one of its counted values is
    for a period that holds the period's last day (a quarter holds its three months) or the last
    day of the period it owes (``owed_period``: a quarterly reporter owes only its quarters);
    STALE if its values all ended before the day of the period it owes; NO_REPORT otherwise.
    With no period due yet, or nothing owed yet, any value is reported."""
    if actual is None:
        return NO_REPORT
    owed = owed_period(period, actual) if period is not None else None
    if period is None or owed is None:
        return REPORTED
    if any(covers(p, period.end) or covers(p, owed.end) for p in actual.periods):
        return REPORTED
    return STALE if actual.last_period.end < owed.end else NO_REPORT


@dataclass(frozen=True)
class Aggregated:
    """A figure and what it is judged against: a key result's (the city row), a zone's, or one
    agency's own (its allocation and its share of the baseline)."""

    target: float
    baseline: float
    actual: float | None
    #: For share-at-target the target is the level; the figure compared is a count of agencies.
    count_target: int | None
    #: True for a yearly cap (``is_cap``): past its target it stays past.
    cap: bool = False


def is_cap(kr: KeyResult) -> bool:
    """A yearly cap: a lower-is-better key result whose actual is a running total (``increment``
    or ``cumulative``), which only grows through the year: once past its target, no later report
    can bring it back under. (A ``level`` can fall again, so it is no cap.)"""
    return kr.direction == "lower" and kr.measure in ("increment", "cumulative")


def own_baseline(kr: KeyResult, own: float, allocations: Mapping[str, float]) -> float:
    """An agency's share of the key result's baseline: for ``sum``, the baseline split as the
    allocations split the target (the shares add up to the baseline); for every other rule the
    key result's baseline itself (each agency starts where the city does)."""
    if kr.aggregate != "sum":
        return kr.baseline
    total = math.fsum(allocations.values())
    return kr.baseline * own / total if total else 0.0


def latest_value(reported: Sequence[AgencyActual]) -> float:
    """The ``latest`` rule over agencies' actuals: the value for the period that ends last (of a
    month and a quarter ending the same day, the month); several agencies' values for that same
    period are averaged, so the figure does not depend on the order of the allocations."""
    last = max((r.last_period.end, r.last_period.start) for r in reported)
    tied = [r.value for r in reported if (r.last_period.end, r.last_period.start) == last]
    return math.fsum(tied) / len(tied)


def aggregate(
    kr: KeyResult,
    actuals: Mapping[str, AgencyActual],
    allocations: Mapping[str, float],
    members: Collection[str] | None = None,
) -> Aggregated:
    """Combine the agencies' actuals by the key result's ``aggregate`` rule.

    ``allocations`` are every allocation of the key result; ``members``, if given, the agencies
    of one part of it (a zone), else all of them, whose key result's own target and baseline then
    apply. A part is measured against the sum of its members' allocations and of their shares of
    the baseline (``own_baseline``), for sum and share-at-target.
    """
    part = allocations if members is None else {a: allocations[a] for a in members}
    reported = {a: actuals[a] for a in part if a in actuals}
    cap = is_cap(kr)
    if kr.aggregate == "share-at-target":
        at_target = sum(meets(reported[a].value, part[a], kr.direction) for a in reported)
        return Aggregated(
            kr.target, 0.0, float(at_target) if reported else None, count_target=len(part)
        )
    if kr.aggregate == "sum":
        target, baseline = kr.target, kr.baseline
        if members is not None:
            target = math.fsum(part.values())
            baseline = math.fsum(own_baseline(kr, own, allocations) for own in part.values())
        total = math.fsum(r.value for r in reported.values()) if reported else None
        return Aggregated(target, baseline, total, None, cap)
    if kr.aggregate == "mean":
        mean = math.fsum(r.value for r in reported.values()) / len(reported) if reported else None
        return Aggregated(kr.target, kr.baseline, mean, None, cap)
    latest = latest_value(list(reported.values())) if reported else None
    return Aggregated(kr.target, kr.baseline, latest, None, cap)


def progress(agg: Aggregated, direction: str) -> float | None:
    """How far from the baseline to the target the actual is, 1.0 = reached.

    With no baseline on the far side of the target (a lower-is-better target with baseline 0),
    and for a yearly cap whatever its baseline, progress is 1.0 at or below the target and
    target / actual above it.
    """
    if agg.actual is None:
        return None
    if agg.count_target is not None:
        return agg.actual / agg.count_target if agg.count_target else 1.0
    span = agg.target - agg.baseline
    if not agg.cap and (
        (direction == "higher" and span > 0) or (direction == "lower" and span < 0)
    ):
        return (agg.actual - agg.baseline) / span
    return agency_progress(agg.actual, agg.target, direction)


def expected_by_now(agg: Aggregated, direction: str, elapsed: float) -> float | None:
    """Expected by now (``expected_value``); for a yearly cap, the cap itself: the most the
    running total may be on any day of the year."""
    if agg.cap:
        return agg.target
    return expected_value(agg.target, agg.baseline, direction, elapsed)


def judged(agg: Aggregated, direction: str, elapsed: float) -> str:
    """The status of a figure against the time of year (``status``); a yearly cap past its
    target is behind whatever the day: it cannot come back under."""
    if agg.cap and agg.actual is not None and not meets(agg.actual, agg.target, direction):
        return BEHIND
    return status(progress(agg, direction), elapsed)


@dataclass(frozen=True)
class AgencyFigures:
    """One agency's own figures on one key result: against its allocation, from its share of
    the baseline."""

    agency: str
    target: float
    baseline: float
    actual: float | None
    progress: float | None
    expected: float | None
    status: str
    band: str
    report: str
    last_period: Period | None


def agency_figures(
    kr: KeyResult,
    agency: str,
    allocations: Mapping[str, float],
    got: AgencyActual | None,
    elapsed: float,
    period: Period | None,
) -> AgencyFigures:
    """An agency's progress toward its own target from its share of the baseline, expected by
    now, status, district band and whether it has reported for ``period``: the one rule for
    every per-agency figure (``--agency`` rows, ``--by`` rows, the district counts and the city
    row's status counts). It is the city row's rule applied to the agency's own target."""
    own = allocations[agency]
    figure = Aggregated(
        own, own_baseline(kr, own, allocations), got.value if got else None, None, is_cap(kr)
    )
    done = progress(figure, kr.direction)
    return AgencyFigures(
        agency=agency,
        target=own,
        baseline=figure.baseline,
        actual=figure.actual,
        progress=done,
        expected=expected_by_now(figure, kr.direction, elapsed),
        status=judged(figure, kr.direction, elapsed),
        band=band(done),
        report=report_state(got, period),
        last_period=got.last_period if got else None,
    )


def status_counts(agencies: Sequence[AgencyFigures]) -> dict[str, int]:
    """How many agencies have each status against their own target, in STATUSES order."""
    out = dict.fromkeys(STATUSES, 0)
    for a in agencies:
        out[a.status] += 1
    return out


# --- the city row's status: one function for each aggregation rule -------------------------------
# Each takes the combined figures, the agencies' own figures and the share of the year gone, and
# returns (expected by now, status). docs/definitions.md says the same in words.

CityStatus = tuple[float | None, str]


def _by_combined_actual(agg: Aggregated, direction: str, elapsed: float) -> CityStatus:
    return expected_by_now(agg, direction, elapsed), judged(agg, direction, elapsed)


def city_status_sum(
    agg: Aggregated, agencies: Sequence[AgencyFigures], direction: str, elapsed: float
) -> CityStatus:
    """sum: the total's progress from the baseline to the target, against the time of year."""
    return _by_combined_actual(agg, direction, elapsed)


def city_status_mean(
    agg: Aggregated, agencies: Sequence[AgencyFigures], direction: str, elapsed: float
) -> CityStatus:
    """mean: the mean (of the agencies that reported) from the baseline to the target."""
    return _by_combined_actual(agg, direction, elapsed)


def city_status_latest(
    agg: Aggregated, agencies: Sequence[AgencyFigures], direction: str, elapsed: float
) -> CityStatus:
    """latest: the most recent agency value from the baseline to the target."""
    return _by_combined_actual(agg, direction, elapsed)


def city_status_share_at_target(
    agg: Aggregated, agencies: Sequence[AgencyFigures], direction: str, elapsed: float
) -> CityStatus:
    """share-at-target: from the agencies' own statuses, so that the city row agrees with its
    breakdown. Expected by now: how many agencies are on track or done (every one should be).
    Status: done when every agency is at its target; no data when none has reported; behind
    once the year is over; else by the share of agencies NOT on track or done, in points, with
    the same thresholds as every status (at most 10 points on track, 10–25 at risk)."""
    on_track = sum(a.status in (DONE, ON_TRACK) for a in agencies)
    if agencies and all(a.status == DONE for a in agencies):
        return on_track, DONE
    if all(a.status == NO_DATA for a in agencies):
        return on_track, NO_DATA
    if elapsed >= 1.0:
        return on_track, BEHIND
    return on_track, status_of_gap((1 - on_track / len(agencies)) * 100)


#: The city row's (and a zone row's) status rule of each ``aggregate`` of the model.
CITY_STATUS: dict[str, Callable[..., CityStatus]] = {
    "sum": city_status_sum,
    "share-at-target": city_status_share_at_target,
    "mean": city_status_mean,
    "latest": city_status_latest,
}


# --- missing: the chase list ----------------------------------------------------------------------


def latest_period(ds: Dataset, fiscal_year: int, as_of: date) -> Period | None:
    """The month in which the latest reported period of the year counted by ``as_of`` ends (the
    default for missing: a chase list as of a past day asks for what was due then)."""
    ends = [
        rv.period.end
        for rv in ds.reports
        if rv.fiscal_year == fiscal_year and rv.period.end <= as_of
    ]
    if not ends:
        return None
    last = max(ends)
    return month(ce_to_be(last.year), last.month)
