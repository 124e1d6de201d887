"""Progress against targets: the aggregation rules and the status of every key result.

Pure functions over a loaded ``Dataset``; rows out, no printing (``render.py`` prints them).
This module is the one home of the figures that docs/definitions.md defines, each in one function:

- how an agency's reported values become its actual (``measure``: increment, cumulative, level:
  ``agency_actual``),
- whether an agency has reported for the period, or is stale (``report_state``, for ``status``
  and ``missing`` alike; the period a table asks for is ``due_period``),
- how the agencies' actuals become the key result's actual (``aggregate``: sum, share-at-target,
  mean, latest: ``aggregate``),
- progress, expected by now (``expected_value``) and the status bands (``status``,
  ``STATUS_RULES``); an agency's own figures (``agency_figures``); and the city row's status
  for each aggregation rule (``CITY_STATUS``).

Time: a value counts when its period has ended on or before the as-of date, so that a status "as
of 30 June 2024" is the one a meeting on that day could have seen. "Expected by now" is a straight
line from the baseline at the start of the fiscal year to the target at its end.
"""

from __future__ import annotations

import calendar
import difflib
import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from okrtool.dataset import Dataset
from okrtool.editions import in_force
from okrtool.errors import OkrtoolError, UsageError
from okrtool.fiscal import (
    MIN_BE_YEAR,
    Period,
    PeriodError,
    be_to_ce,
    ce_to_be,
    check_fiscal_year,
    day_text,
    elapsed_fraction,
    fiscal_year_bounds,
    fiscal_year_of,
    month,
    parse_period,
)
from okrtool.model import Edition, KeyResult, Policy, ReportValue

if TYPE_CHECKING:
    from okrtool.validate import YearsWanted

Lang = Literal["th", "en"]
By = Literal["district", "zone", "agency"]

#: Where every figure below is defined in words; the tables name it in their footer.
DEFINITIONS = "docs/definitions.md"

# --- statuses and their thresholds ------------------------------------------------------------

DONE, ON_TRACK, AT_RISK, BEHIND, NO_DATA = "done", "on-track", "at-risk", "behind", "no-data"
#: Every status, best first; the order of the header counts.
STATUSES = (DONE, ON_TRACK, AT_RISK, BEHIND, NO_DATA)
#: A key result at most this many percentage points behind the time of year is on track ...
ON_TRACK_GAP = 10.0
#: ... at most this many points behind is at risk; further behind, it is behind.
AT_RISK_GAP = 25.0
#: The rules in words, for help texts and the README.
STATUS_RULES = (
    ("done", "the actual has reached the target"),
    ("on track", f"at most {ON_TRACK_GAP:g} percentage points below the expected progress"),
    ("at risk", f"{ON_TRACK_GAP:g} to {AT_RISK_GAP:g} points below the expected progress"),
    ("behind", f"more than {AT_RISK_GAP:g} points below it, or the fiscal year is over"),
    ("no data", "no allocated agency has reported a value yet"),
)

# District bands: how BMA's meetings count districts against their own targets.
AT_TARGET, HALF_OR_MORE, BELOW_HALF = "at-target", "half-or-more", "below-half"
NOT_REPORTED = "not-reported"
BANDS = (AT_TARGET, HALF_OR_MORE, BELOW_HALF, NOT_REPORTED)
HALF = 0.5

# Whether an agency has reported for the period (report_state).
REPORTED, STALE, NO_REPORT = "reported", "stale", "none"

#: Numbers this close count as equal (floating-point sums of decimal report values).
EPSILON = 1e-9


class DataError(OkrtoolError):
    """The data folder has errors: figures computed from it could be wrong."""


class NothingToReport(OkrtoolError):
    """The chase list has no key result to chase: an all-clear would be false (exit 1)."""


@dataclass(frozen=True)
class Note:
    """A line under a header, in both languages (JSON carries the English)."""

    en: str
    th: str

    def text(self, lang: Lang) -> str:
        """The note in ``lang``."""
        return self.th if lang == "th" else self.en


# --- the query: which key results, which year, which day ---------------------------------------


@dataclass(frozen=True)
class Query:
    """What to show: filters as typed on the command line (ids or names), the year and the day."""

    as_of: date
    fiscal_year: int | None = None
    group: str | None = None
    dimension: str | None = None
    agency: str | None = None
    policy: str | None = None
    urgent: bool = False
    key_projects: bool = False
    lang: Lang = "th"


@dataclass(frozen=True)
class Scope:
    """A query resolved against the dataset: ids, not names, and a fiscal year."""

    fiscal_year: int
    as_of: date
    elapsed: float
    group: str | None
    dimension: str | None
    agency: str | None
    policy: str | None
    key_result: str | None
    urgent: bool
    key_projects: bool
    lang: Lang
    notes: tuple[Note, ...] = ()
    #: The period every agency should have reported for by the as-of day (``due_period``).
    period: Period | None = None
    #: The day the command runs: an as-of day before it is in the past (labels name the date).
    today: date | None = None


# --- rows out ------------------------------------------------------------------------------------


@dataclass
class Bands:
    """How many districts are at their own target, at 50 % of it or more, below, not reported."""

    at_target: int = 0
    half_or_more: int = 0
    below_half: int = 0
    not_reported: int = 0

    def add(self, band: str) -> None:
        """Count one district in ``band``."""
        name = band.replace("-", "_")
        setattr(self, name, getattr(self, name) + 1)

    def to_dict(self) -> dict[str, int]:
        """The four counts by name."""
        return {
            AT_TARGET: self.at_target,
            HALF_OR_MORE: self.half_or_more,
            BELOW_HALF: self.below_half,
            NOT_REPORTED: self.not_reported,
        }


@dataclass
class KeyResultRow:
    """One key result's progress: target, actual, percent of target, expected, status."""

    policy: str
    policy_title: str
    key_result: str
    title: str
    parent: str | None
    unit: str
    unit_name: str
    direction: str
    measure: str
    aggregate: str
    host: str
    host_name: str
    baseline: float
    #: The key result's target; for share-at-target, each agency's own level (see ``agencies``).
    target: float
    #: The aggregated actual; for share-at-target, how many agencies reached their target.
    actual: float | None
    #: Percent of the way from the baseline to the target (100 = reached).
    percent: float | None
    #: Where the time of year says the actual should be by now, in the key result's units
    #: (for share-at-target: how many agencies are on track or done), and the share of the
    #: year gone, in percent.
    expected: float | None
    expected_percent: float
    status: str
    #: How many allocated agencies have reported for ``period`` (``report_state``) ...
    reported: int
    allocated: int
    bands: Bands | None
    last_period: str | None
    #: ... and how many have values, all older than ``period``.
    stale: int = 0
    period: str | None = None
    #: How many allocated agencies have each status against their own target, STATUSES order.
    status_counts: dict[str, int] = field(default_factory=dict)
    #: share-at-target only: how many agencies the count of those at target is out of (the
    #: ``target`` stays the level each must reach).
    count_target: int | None = None
    #: Set when the row is one agency's own (``status --agency``); ``city`` is then the key
    #: result's city row, for the column labelled as the city's.
    agency: str | None = None
    city: KeyResultRow | None = None

    @property
    def is_share(self) -> bool:
        """True if the actual counts agencies at their own target (never on an agency's row)."""
        return self.aggregate == "share-at-target" and self.agency is None

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-able data."""
        return {
            "policy": self.policy,
            "policy_title": self.policy_title,
            "key_result": self.key_result,
            "title": self.title,
            "parent": self.parent,
            "host": self.host,
            "host_name": self.host_name,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "direction": self.direction,
            "measure": self.measure,
            "aggregate": self.aggregate,
            "baseline": _clean(self.baseline),
            "target": _clean(self.target),
            "actual": _clean(self.actual),
            "percent": _clean(self.percent),
            "expected": _clean(self.expected),
            "expected_percent": _clean(self.expected_percent),
            "status": self.status,
            "reported": self.reported,
            "allocated": self.allocated,
            "districts": self.bands.to_dict() if self.bands else None,
            "last_period": self.last_period,
            "period": self.period,
            "stale": self.stale,
            "status_counts": self.status_counts,
            "count_target": self.count_target,
            "agency": self.agency,
            "city": self.city.to_dict() if self.city else None,
        }


@dataclass
class StatusReport:
    """The rows of ``okrtool status`` and what they are about (the header)."""

    scope: Scope
    title: str
    rows: list[KeyResultRow]
    #: With ``--agency``: its name; every row is then its own (``own_row``).
    agency_name: str | None = None
    #: The edition of the plan in force in the fiscal year shown (None: no editions listed).
    edition: Edition | None = None

    @property
    def counts(self) -> dict[str, int]:
        """How many key results have each status, in the order of STATUSES."""
        out = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            out[row.status] += 1
        return out

    def header(self) -> dict[str, Any]:
        """The header as JSON-able data."""
        s = self.scope
        start, end = fiscal_year_bounds(s.fiscal_year)
        return {
            "title": self.title,
            "fiscal_year": s.fiscal_year,
            "fiscal_year_start": start.isoformat(),
            "fiscal_year_end": end.isoformat(),
            "as_of": s.as_of.isoformat(),
            "elapsed_percent": _clean(s.elapsed * 100),
            "filters": _filters(s),
            "key_results": len(self.rows),
            "counts": self.counts,
            "notes": [n.en for n in s.notes],
            "period": str(s.period) if s.period else None,
            "agency": s.agency,
            "edition": edition_dict(self.edition),
            "definitions": DEFINITIONS,
        }


@dataclass
class AgencyRow:
    """One agency's (or one zone's) progress on one key result."""

    agency: str
    name: str
    zone: str | None
    zone_name: str
    target: float
    actual: float | None
    percent: float | None
    band: str
    status: str
    reported: int = 1
    allocated: int = 1
    last_period: str | None = None
    bands: Bands | None = None
    #: REPORTED, STALE or NO_REPORT for the period; None for a zone (see reported, stale).
    report: str | None = None
    stale: int = 0
    expected: float | None = None
    status_counts: dict[str, int] = field(default_factory=dict)
    #: A share-at-target zone: how many districts its count is out of (``target``: the level).
    count_target: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-able data."""
        return {
            "agency": self.agency,
            "name": self.name,
            "zone": self.zone,
            "zone_name": self.zone_name,
            "target": _clean(self.target),
            "actual": _clean(self.actual),
            "percent": _clean(self.percent),
            "band": self.band,
            "status": self.status,
            "reported": self.reported,
            "allocated": self.allocated,
            "last_period": self.last_period,
            "districts": self.bands.to_dict() if self.bands else None,
            "report": self.report,
            "stale": self.stale,
            "expected": _clean(self.expected),
            "status_counts": self.status_counts,
            "count_target": self.count_target,
        }


@dataclass
class AgencyTable:
    """``status --by``: one key result and its agencies (or zones), worst first."""

    key_result: KeyResultRow
    by: str
    rows: list[AgencyRow]


@dataclass
class ByReport:
    """The per-agency tables of ``okrtool status --by``."""

    scope: Scope
    title: str
    by: str
    tables: list[AgencyTable]

    def header(self) -> dict[str, Any]:
        """The header as JSON-able data."""
        s = self.scope
        return {
            "title": self.title,
            "by": self.by,
            "fiscal_year": s.fiscal_year,
            "as_of": s.as_of.isoformat(),
            "elapsed_percent": _clean(s.elapsed * 100),
            "filters": _filters(s),
            "notes": [n.en for n in s.notes],
            "period": str(s.period) if s.period else None,
            "definitions": DEFINITIONS,
        }


@dataclass
class MissingItem:
    """One thing an agency owes: a report for the period, or binding its OKR to a policy."""

    agency: str
    name: str
    zone: str | None
    zone_name: str
    reason: Literal["no-report", "not-bound"]
    policy: str
    policy_title: str
    key_result: str | None
    title: str | None
    host: str
    host_name: str
    #: For a report not in: the agency's latest period before it, if any (stale).
    last_period: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The item as JSON-able data."""
        return {
            "agency": self.agency,
            "name": self.name,
            "zone": self.zone,
            "zone_name": self.zone_name,
            "reason": self.reason,
            "policy": self.policy,
            "policy_title": self.policy_title,
            "key_result": self.key_result,
            "title": self.title,
            "host": self.host,
            "host_name": self.host_name,
            "last_period": self.last_period,
        }


@dataclass
class MissingReport:
    """The chase list of ``okrtool missing``: items grouped by agency, in dataset order."""

    scope: Scope
    title: str
    period: str
    items: list[MissingItem] = field(default_factory=list)

    def by_agency(self) -> list[tuple[str, list[MissingItem]]]:
        """The items grouped by agency, agencies in the order they first appear."""
        groups: dict[str, list[MissingItem]] = {}
        for item in self.items:
            groups.setdefault(item.agency, []).append(item)
        return list(groups.items())

    def header(self) -> dict[str, Any]:
        """The header as JSON-able data."""
        s = self.scope
        return {
            "title": self.title,
            "period": self.period,
            "fiscal_year": s.fiscal_year,
            "filters": _filters(s),
            "agencies": len(self.by_agency()),
            "no_report": sum(i.reason == "no-report" for i in self.items),
            "not_bound": sum(i.reason == "not-bound" for i in self.items),
            "notes": [n.en for n in s.notes],
            "as_of": s.as_of.isoformat(),
            "stale": sum(i.last_period is not None for i in self.items),
            "definitions": DEFINITIONS,
        }


def _clean(x: float | None) -> float | int | None:
    """A number for JSON and CSV: whole numbers as ints, float noise rounded away."""
    if x is None:
        return None
    x = round(x, 6)
    return int(x) if x == int(x) else x


def _filters(s: Scope) -> dict[str, Any]:
    return {
        k: v
        for k, v in {
            "group": s.group,
            "dimension": s.dimension,
            "agency": s.agency,
            "policy": s.policy,
            "key_result": s.key_result,
            "urgent": s.urgent or None,
            "key_projects": s.key_projects or None,
        }.items()
        if v is not None
    }


def today() -> date:
    """Today's date: the default as-of day."""
    return date.today()


def parse_day(text: str | None) -> date:
    """An as-of day typed as YYYY-MM-DD, CE or BE (a year of 2400 or more is BE); None is today."""
    if text is None:
        return today()
    try:
        year, rest = text.strip().split("-", 1)
        ce = be_to_ce(int(year)) if int(year) >= MIN_BE_YEAR else int(year)
        return date.fromisoformat(f"{ce:04d}-{rest}")
    except ValueError:
        raise UsageError(
            f"--as-of {text!r} is not a date; expected YYYY-MM-DD, like 2024-06-30 "
            "(or in BE, 2567-06-30)"
        ) from None


# --- loading ------------------------------------------------------------------------------------


def open_dataset(
    root: Path, allow_errors: bool = False, years: YearsWanted | None = None
) -> tuple[Dataset, int]:
    """Load and check the data folder; raise DataError if it has errors (unless allowed).

    Returns the dataset and how many errors it has. Warnings (an R agency not bound, a key result
    not reported yet) are what the status and chase list are for, so they never stop it. With
    ``years`` (see ``validate.load_checked``), only the reports of the fiscal years it names are
    read and checked: errors in other years' reports do not change this year's figures.
    """
    from okrtool.validate import load_checked

    ds, errors = load_checked(root, years)
    if errors and not allow_errors:
        first = errors[0]
        raise DataError(
            f"{root} has {len(errors)} error{'s' if len(errors) > 1 else ''} "
            f"(first: {first.file}:{first.line}: {first.code} {first.message}); "
            "figures from it could be wrong. Run 'okrtool validate' to see them all, or pass "
            "--allow-errors to print anyway."
        )
    return ds, len(errors)


def years_for(query: Query, period: str | None = None) -> Callable[[Dataset], set[int]]:
    """The fiscal years whose reports ``query`` (and the chase list's ``period``) needs, as a
    function of the plan: the year it will show, nothing more."""

    def needed(ds: Dataset) -> set[int]:
        if period:
            try:
                return {parse_period(period).fiscal_year}
            except PeriodError:
                pass  # missing_report says what is wrong with it
        return {pick_fiscal_year(ds, query)[0]}

    return needed


# --- resolving filters --------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def resolve(kind: str, text: str, options: Mapping[str, Any]) -> str:
    """The id in ``options`` that ``text`` names: an id, a Thai or English name or abbreviation,
    or a unique part of a name. Raise UsageError listing the choices otherwise."""
    if text in options:
        return text
    wanted = _norm(text)
    names: dict[str, list[str]] = {}
    for key, obj in options.items():
        for attr in ("name_th", "name_en", "abbr_th", "abbr_en", "title_th", "title_en"):
            value = getattr(obj, attr, None)
            if value:
                names.setdefault(key, []).append(_norm(value))
    exact = [k for k, ns in names.items() if wanted in ns or _norm(k) == wanted]
    if len(exact) == 1:
        return exact[0]
    partial = [k for k, ns in names.items() if any(wanted in n for n in ns)]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise UsageError(f"{kind} {text!r} is ambiguous: it could be {', '.join(partial)}")
    near = difflib.get_close_matches(text, list(options), n=1, cutoff=0.6)
    hint = f"did you mean '{near[0]}'? " if near else ""
    shown = ", ".join(list(options)[:12]) + (" ..." if len(options) > 12 else "")
    raise UsageError(f"unknown {kind} {text!r}; {hint}expected one of: {shown}")


def fiscal_years(ds: Dataset) -> list[int]:
    """The fiscal years that have OKRs, oldest first."""
    return sorted({okr.fiscal_year for okr in ds.okrs.values()})


def pick_fiscal_year(ds: Dataset, query: Query) -> tuple[int, list[Note]]:
    """The fiscal year ``query`` shows and a note on how it was chosen: ``query.fiscal_year`` if
    given, else the one the as-of date falls in; if no OKR is for that year, the latest earlier
    year that has OKRs. Raise UsageError for a year that is not a BE fiscal year."""
    notes: list[Note] = []
    years = fiscal_years(ds)
    if query.fiscal_year is not None:
        try:
            fy = check_fiscal_year(query.fiscal_year)
        except PeriodError as exc:
            raise UsageError(str(exc)) from None
        if fy not in years:
            notes.append(
                Note(
                    f"no OKR is for FY {fy}; years with OKRs: {_years(years)}",
                    f"ไม่มี OKR ของปีงบประมาณ {fy}; ปีที่มี OKR: {_years(years)}",
                )
            )
    else:
        fy = fiscal_year_of(query.as_of)
        if fy not in years and years:
            earlier = [y for y in years if y < fy]
            chosen = earlier[-1] if earlier else years[0]
            which = ("latest", "ล่าสุด") if earlier else ("first", "แรก")
            notes.append(
                Note(
                    f"no OKR is for FY {fy} (the year of {query.as_of.isoformat()}); "
                    f"showing FY {chosen}, the {which[0]} with OKRs",
                    f"ไม่มี OKR ของปีงบประมาณ {fy} (ปีของวันที่ {query.as_of.isoformat()}); "
                    f"แสดงปีงบประมาณ {chosen} ซึ่งเป็นปี{which[1]}ที่มี OKR",
                )
            )
            fy = chosen
    return fy, notes


def resolve_scope(ds: Dataset, query: Query) -> Scope:
    """Turn names into ids and pick the fiscal year; raise UsageError for what names nothing.

    The fiscal year is ``query.fiscal_year`` if given, else the one the as-of date falls in;
    if no OKR is for that year, the latest earlier year that has OKRs (with a note).
    """
    fy, notes = pick_fiscal_year(ds, query)
    group = resolve("group", query.group, ds.groups) if query.group else None
    dimension = resolve("dimension", query.dimension, ds.dimensions) if query.dimension else None
    agency = resolve("agency", query.agency, ds.agencies) if query.agency else None
    if dimension is not None:
        notes.extend(_tagged_note(ds, dimension, fy))
    policy = key_result = None
    if query.policy:
        if query.policy in ds.key_results:
            key_result = query.policy
            policy = ds.kr_policy[key_result]
        else:
            policy = resolve("policy or key result", query.policy, ds.policies)
    return Scope(
        fiscal_year=fy,
        as_of=query.as_of,
        elapsed=elapsed_fraction(fy, query.as_of),
        group=group,
        dimension=dimension,
        agency=agency,
        policy=policy,
        key_result=key_result,
        urgent=query.urgent,
        key_projects=query.key_projects,
        lang=query.lang,
        notes=tuple(notes),
        period=due_period(fy, query.as_of),
        today=today(),
    )


def _tagged_note(ds: Dataset, dimension: str, fy: int) -> list[Note]:
    """A note naming the policies of other dimensions counted under ``dimension`` by their tags
    (those with an OKR of ``fy``: a policy with none gives no row)."""
    tagged = [
        p.id
        for p in ds.policies.values()
        if dimension in p.tags and any(okr.fiscal_year == fy for okr in p.okrs)
    ]
    if not tagged:
        return []
    names = ", ".join(tagged)
    return [
        Note(
            f"a policy counts under each of its dimensions: {names} "
            + (
                f"is here by its tag '{dimension}'"
                if len(tagged) == 1
                else f"are here by their tag '{dimension}'"
            ),
            f"นโยบายนับในทุกด้านที่ติดแท็กไว้: {names} อยู่ที่นี่ด้วยแท็ก '{dimension}'",
        )
    ]


def _years(years: list[int]) -> str:
    return ", ".join(map(str, years)) or "none"


def selected_policies(ds: Dataset, scope: Scope) -> list[Policy]:
    """The policies that pass every filter of the scope, in dataset order."""
    out = []
    for policy in ds.policies.values():
        if scope.group and policy.group != scope.group:
            continue
        if scope.dimension and scope.dimension not in (policy.dimension, *policy.tags):
            continue
        if scope.policy and policy.id != scope.policy:
            continue
        if scope.urgent and not policy.urgent:
            continue
        if scope.key_projects and not policy.key_project:
            continue
        if scope.agency and not (
            policy.host == scope.agency or scope.agency in ds.supporters(policy)
        ):
            continue
        out.append(policy)
    return out


def selected_key_results(ds: Dataset, scope: Scope) -> Iterator[tuple[Policy, KeyResult]]:
    """Every key result of the scope's fiscal year under the selected policies, sub-targets
    right after their parent."""
    for policy in selected_policies(ds, scope):
        for okr, kr in ds.iter_key_results(policy):
            if okr.fiscal_year != scope.fiscal_year:
                continue
            if scope.key_result and scope.key_result not in (kr.id, ds.kr_parent.get(kr.id)):
                continue
            yield policy, kr


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


def report_state(actual: AgencyActual | None, period: Period | None) -> str:
    """Whether an agency has reported for ``period``: REPORTED if one of its counted values is
    for a period that holds the period's last day (a quarter holds its three months); STALE if
    its values are all for periods that ended before it; NO_REPORT otherwise. With no period
    due yet, any value is reported."""
    if actual is None:
        return NO_REPORT
    if period is None or any(covers(p, period.end) for p in actual.periods):
        return REPORTED
    return STALE if actual.last_period.end < period.end else NO_REPORT


def meets(value: float, target: float, direction: str) -> bool:
    """True if ``value`` is at or past ``target`` in the better direction."""
    if direction == "lower":
        return value <= target + EPSILON
    return value >= target - EPSILON


def agency_progress(actual: float, target: float, direction: str) -> float:
    """An agency's progress toward its own target, 1.0 = reached (agencies have no baseline)."""
    if meets(actual, target, direction):
        return max(1.0, actual / target) if direction == "higher" and target > 0 else 1.0
    if direction == "lower":
        return target / actual if actual > 0 else 0.0
    return actual / target if target > 0 else 0.0


def band(progress: float | None) -> str:
    """The district band of a progress: at target, 50 % or more, below 50 %, not reported."""
    if progress is None:
        return NOT_REPORTED
    if progress >= 1.0 - EPSILON:
        return AT_TARGET
    return HALF_OR_MORE if progress >= HALF - EPSILON else BELOW_HALF


@dataclass(frozen=True)
class Aggregated:
    """A key result's (or a zone's) figures from its agencies' actuals."""

    target: float
    baseline: float
    actual: float | None
    #: For share-at-target the target is the level; the figure compared is a count of agencies.
    count_target: int | None


def aggregate(
    kr: KeyResult,
    actuals: Mapping[str, AgencyActual],
    allocations: Mapping[str, float],
    whole: bool = True,
) -> Aggregated:
    """Combine the agencies' actuals by the key result's ``aggregate`` rule.

    ``allocations`` are the agencies taken together (all of them, or one zone's); ``whole`` says
    it is the whole key result, whose own target and baseline then apply. A part (a zone) is
    measured against the sum of its allocations, from zero, for sum and share-at-target.
    """
    reported = {a: actuals[a] for a in allocations if a in actuals}
    if kr.aggregate == "share-at-target":
        at_target = sum(meets(reported[a].value, allocations[a], kr.direction) for a in reported)
        return Aggregated(
            kr.target, 0.0, float(at_target) if reported else None, count_target=len(allocations)
        )
    if kr.aggregate == "sum":
        target = kr.target if whole else math.fsum(allocations.values())
        baseline = kr.baseline if whole else 0.0
        total = math.fsum(r.value for r in reported.values()) if reported else None
        return Aggregated(target, baseline, total, None)
    if kr.aggregate == "mean":
        mean = math.fsum(r.value for r in reported.values()) / len(reported) if reported else None
        return Aggregated(kr.target, kr.baseline, mean, None)
    # latest: the most recent value of any agency (the period that ends last, of two ending the
    # same day the shorter); between agencies tied so, max keeps the first in the allocations
    latest = None
    if reported:
        latest = max(reported.values(), key=lambda r: (r.last_period.end, r.last_period.start))
    return Aggregated(kr.target, kr.baseline, latest.value if latest else None, None)


def progress(agg: Aggregated, direction: str) -> float | None:
    """How far from the baseline to the target the actual is, 1.0 = reached.

    With no baseline on the far side of the target (a lower-is-better target with baseline 0),
    progress is 1.0 at or below the target and target / actual above it.
    """
    if agg.actual is None:
        return None
    if agg.count_target is not None:
        return agg.actual / agg.count_target if agg.count_target else 1.0
    span = agg.target - agg.baseline
    if (direction == "higher" and span > 0) or (direction == "lower" and span < 0):
        return (agg.actual - agg.baseline) / span
    return agency_progress(agg.actual, agg.target, direction)


def expected_value(target: float, baseline: float, direction: str, elapsed: float) -> float | None:
    """Expected by now: the value whose progress equals the share of the year gone, i.e. a
    straight line from the baseline on the first day of the fiscal year to the target on its
    last. Lower-is-better with no baseline above the target (progress = target / actual):
    target / elapsed, None on the first day (any value is on track then)."""
    span = target - baseline
    if (direction == "higher" and span > 0) or (direction == "lower" and span < 0):
        return baseline + span * elapsed
    if direction == "lower":
        return target / elapsed if elapsed > 0 else None
    return target * elapsed  # higher with a baseline above the target: progress = actual/target


def status(done_fraction: float | None, elapsed: float) -> str:
    """The status of a progress at a time of year (see STATUS_RULES)."""
    if done_fraction is None:
        return NO_DATA
    if done_fraction >= 1.0 - EPSILON:
        return DONE
    if elapsed >= 1.0:
        return BEHIND
    return status_of_gap((elapsed - done_fraction) * 100)


def status_of_gap(gap: float) -> str:
    """On track, at risk or behind for a gap in percentage points (see STATUS_RULES)."""
    if gap <= ON_TRACK_GAP + EPSILON:
        return ON_TRACK
    return AT_RISK if gap <= AT_RISK_GAP + EPSILON else BEHIND


# --- status -------------------------------------------------------------------------------------


def _name(obj: Any, lang: Lang, attr: str = "name") -> str:
    return getattr(obj, f"{attr}_{lang}")


def agency_name(ds: Dataset, agency: str | None, lang: Lang) -> str:
    """An agency's name in ``lang``, or its id if it is unknown; for no agency (a host not
    assigned yet, shown only with --allow-errors) words that say so."""
    if agency is None:
        return "ยังไม่กำหนด" if lang == "th" else "not assigned"
    return ds.agency_name(agency, lang)


def _zone_of(ds: Dataset, agency: str) -> str | None:
    district = ds.districts.get(agency)
    return district.zone if district else None


def _zone_name(ds: Dataset, zone: str | None, lang: Lang) -> str:
    if zone is None:
        return ""
    return _name(ds.zones[zone], lang) if zone in ds.zones else zone


@dataclass(frozen=True)
class AgencyFigures:
    """One agency's own figures on one key result: against its allocation, from zero."""

    agency: str
    target: float
    actual: float | None
    progress: float | None
    expected: float | None
    status: str
    band: str
    report: str
    last_period: Period | None


def agency_figures(
    kr: KeyResult, agency: str, own: float, got: AgencyActual | None, scope: Scope
) -> AgencyFigures:
    """An agency's progress toward its own target, expected by now, status, district band and
    whether it has reported for the scope's period: the one rule for every per-agency figure
    (``--agency`` rows, ``--by`` rows, the district counts and the city row's status counts)."""
    done = agency_progress(got.value, own, kr.direction) if got else None
    return AgencyFigures(
        agency=agency,
        target=own,
        actual=got.value if got else None,
        progress=done,
        expected=expected_value(own, 0.0, kr.direction, scope.elapsed),
        status=status(done, scope.elapsed),
        band=band(done),
        report=report_state(got, scope.period),
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
    expected = expected_value(agg.target, agg.baseline, direction, elapsed)
    return expected, status(progress(agg, direction), elapsed)


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


def key_result_row(
    ds: Dataset,
    policy: Policy,
    kr: KeyResult,
    actuals: Mapping[str, AgencyActual],
    scope: Scope,
) -> KeyResultRow:
    """One key result's city row from its agencies' actuals."""
    allocations = ds.allocations(kr.id)
    agg = aggregate(kr, actuals, allocations)
    done = progress(agg, kr.direction)
    agencies = [agency_figures(kr, a, own, actuals.get(a), scope) for a, own in allocations.items()]
    expected, verdict = CITY_STATUS[kr.aggregate](agg, agencies, kr.direction, scope.elapsed)
    bands = None
    if any(a in ds.districts for a in allocations):
        bands = Bands()
        for figures in agencies:
            if figures.agency in ds.districts:
                bands.add(figures.band)
    periods = [a.last_period for a in agencies if a.last_period]
    last = max(periods, key=lambda p: p.end, default=None)
    return KeyResultRow(
        **_kr_names(ds, policy, kr, scope.lang),
        baseline=agg.baseline,
        target=agg.target,
        actual=agg.actual,
        percent=None if done is None else done * 100,
        expected=expected,
        expected_percent=scope.elapsed * 100,
        status=verdict,
        reported=sum(a.report == REPORTED for a in agencies),
        allocated=len(allocations),
        bands=bands,
        last_period=str(last) if last else None,
        stale=sum(a.report == STALE for a in agencies),
        period=str(scope.period) if scope.period else None,
        status_counts=status_counts(agencies),
        count_target=agg.count_target,
    )


def _kr_names(ds: Dataset, policy: Policy, kr: KeyResult, lang: Lang) -> dict[str, Any]:
    return {
        "policy": policy.id,
        "policy_title": _name(policy, lang, "title"),
        "key_result": kr.id,
        "title": _name(kr, lang, "title"),
        "parent": ds.kr_parent.get(kr.id),
        "unit": kr.unit,
        "unit_name": (kr.unit_th or kr.unit) if lang == "th" else kr.unit,
        "direction": kr.direction,
        "measure": kr.measure,
        "aggregate": kr.aggregate,
        "host": policy.host,
        "host_name": agency_name(ds, policy.host, lang),
    }


def own_row(
    ds: Dataset,
    policy: Policy,
    kr: KeyResult,
    actuals: Mapping[str, AgencyActual],
    scope: Scope,
    agency: str,
) -> KeyResultRow:
    """One agency's own row on a key result it has an allocation on (``status --agency``):
    its allocation as the target, its own actual, expected by now and status; the city row
    rides along in ``city``."""
    a = agency_figures(kr, agency, ds.allocations(kr.id)[agency], actuals.get(agency), scope)
    return KeyResultRow(
        **_kr_names(ds, policy, kr, scope.lang),
        baseline=0.0,
        target=a.target,
        actual=a.actual,
        percent=None if a.progress is None else a.progress * 100,
        expected=a.expected,
        expected_percent=scope.elapsed * 100,
        status=a.status,
        reported=int(a.report == REPORTED),
        allocated=1,
        bands=None,
        last_period=str(a.last_period) if a.last_period else None,
        stale=int(a.report == STALE),
        period=str(scope.period) if scope.period else None,
        status_counts=status_counts([a]),
        agency=agency,
        city=key_result_row(ds, policy, kr, actuals, scope),
    )


def _actuals(kr: KeyResult, by_agency: Mapping[str, list[ReportValue]]) -> dict[str, AgencyActual]:
    out = {}
    for agency, values in by_agency.items():
        got = agency_actual(kr, values)
        if got is not None:
            out[agency] = got
    return out


def _title(ds: Dataset, scope: Scope) -> str:
    lang = scope.lang
    parts = []
    if scope.group:
        parts.append(_name(ds.groups[scope.group], lang))
    if scope.dimension:
        parts.append(_name(ds.dimensions[scope.dimension], lang))
    if scope.key_result:
        parts.append(_name(ds.key_results[scope.key_result], lang, "title"))
    elif scope.policy:
        parts.append(_name(ds.policies[scope.policy], lang, "title"))
    if scope.agency:
        parts.append(agency_name(ds, scope.agency, lang))
    if scope.urgent:
        parts.append("นโยบายเร่งด่วน" if lang == "th" else "urgent")
    if scope.key_projects:
        parts.append("Key Projects")
    if not parts:
        parts.append("ทุกกลุ่มภารกิจ" if lang == "th" else "all groups")
    return " · ".join(parts)


def _time_notes(ds: Dataset, scope: Scope) -> tuple[Note, ...]:
    notes = list(scope.notes)
    later = later_values(ds, scope.fiscal_year, scope.as_of)
    if later:
        ends = [rv.period.end for rv in ds.reports if rv.fiscal_year == scope.fiscal_year]
        last = max(ends)
        notes.append(
            Note(
                f"{later:,} value{'s' if later > 1 else ''} for periods ending after "
                f"{day_text(scope.as_of, 'en')} not counted (latest period ends "
                f"{day_text(last, 'en')})",
                f"ไม่นับ {later:,} ค่าของงวดที่สิ้นสุดหลังวันที่ {day_text(scope.as_of, 'th')} "
                f"(งวดล่าสุดสิ้นสุด {day_text(last, 'th')})",
            )
        )
    _, fy_end = fiscal_year_bounds(scope.fiscal_year)
    if scope.as_of > fy_end and scope.fiscal_year in fiscal_years(ds):
        ends = [
            rv.period.end
            for rv in ds.reports
            if rv.fiscal_year == scope.fiscal_year and rv.period.end <= scope.as_of
        ]
        en = f"FY {scope.fiscal_year} ended on {day_text(fy_end, 'en')}: short of target is behind"
        th = (
            f"ปีงบประมาณ {scope.fiscal_year} สิ้นสุดแล้ววันที่ {day_text(fy_end, 'th')}: ที่ยังไม่ถึงเป้าถือว่าล่าช้า"
        )
        if ends and max(ends) < fy_end:
            last = max(ends)
            en += (
                f"; the latest report is for a period ending {day_text(last, 'en')} "
                f"(--as-of {last.isoformat()} shows the year as it stood then)"
            )
            th += (
                f"; รายงานล่าสุดเป็นของงวดที่สิ้นสุด {day_text(last, 'th')} "
                f"(--as-of {last.isoformat()} แสดงสถานะ ณ วันนั้น)"
            )
        notes.append(Note(en, th))
    return tuple(notes)


def _with_notes(scope: Scope, notes: tuple[Note, ...]) -> Scope:
    from dataclasses import replace

    return replace(scope, notes=notes)


def status_report(ds: Dataset, query: Query) -> StatusReport:
    """``okrtool status``: one row per key result of the selected policies, sub-targets right
    after their parent."""
    scope = resolve_scope(ds, query)
    scope = _with_notes(scope, _time_notes(ds, scope))
    reports = reports_by_key_result(ds, scope.fiscal_year, scope.as_of)
    rows = []
    unallocated = 0
    for policy, kr in selected_key_results(ds, scope):
        actuals = _actuals(kr, reports.get(kr.id, {}))
        if scope.agency is None:
            rows.append(key_result_row(ds, policy, kr, actuals, scope))
        elif scope.agency in ds.allocations(kr.id):
            rows.append(own_row(ds, policy, kr, actuals, scope, scope.agency))
        else:
            unallocated += 1
    if unallocated:
        scope = _with_notes(scope, (*scope.notes, _unallocated_note(ds, scope, unallocated)))
    name = agency_name(ds, scope.agency, scope.lang) if scope.agency else None
    return StatusReport(scope, _title(ds, scope), rows, name, in_force(ds, scope.fiscal_year))


def edition_dict(edition: Edition | None) -> dict[str, Any] | None:
    """An edition of the plan as a status header shows it."""
    if edition is None:
        return None
    return {
        "id": edition.id,
        "name_th": edition.name_th,
        "name_en": edition.name_en,
        "kind": edition.kind,
        "first_year": edition.first_year,
        "status": edition.status,
    }


def _unallocated_note(ds: Dataset, scope: Scope, n: int) -> Note:
    en_name, th_name = (agency_name(ds, scope.agency or "", lang) for lang in ("en", "th"))
    plural = "key result" if n == 1 else "key results"
    return Note(
        f"{n} {plural} of the policies {en_name} hosts or supports "
        f"{'has' if n == 1 else 'have'} no allocation for it: not shown "
        "(okrtool status without --agency shows the city's figures)",
        f"ไม่แสดง {n} ตัวชี้วัดของนโยบายที่{th_name}เป็น H หรือ R แต่ไม่มีเป้าหมายของ{th_name} "
        "(okrtool status โดยไม่ใส่ --agency แสดงผลของทั้งเมือง)",
    )


# --- status --by district | zone | agency ---------------------------------------------------------


def _worst_first(row: AgencyRow) -> tuple[int, float, str]:
    # not reported first (they are the ones to chase), then the least progress
    return (0 if row.percent is None else 1, row.percent or 0.0, row.name)


def agency_rows(
    ds: Dataset,
    kr: KeyResult,
    actuals: Mapping[str, AgencyActual],
    by: By,
    scope: Scope,
) -> list[AgencyRow]:
    """Each allocated agency (or each zone) on one key result, worst first."""
    allocations = ds.allocations(kr.id)
    lang = scope.lang
    rows = []
    figures = {
        a: agency_figures(kr, a, own, actuals.get(a), scope) for a, own in allocations.items()
    }
    if by == "zone":
        zones: dict[str, dict[str, float]] = {}
        for agency, own in allocations.items():
            zone = _zone_of(ds, agency)
            if zone is not None:
                zones.setdefault(zone, {})[agency] = own
        for zone, members in zones.items():
            agg = aggregate(kr, actuals, members, whole=False)
            done = progress(agg, kr.direction)
            of_zone = [figures[a] for a in members]
            expected, verdict = CITY_STATUS[kr.aggregate](agg, of_zone, kr.direction, scope.elapsed)
            bands = Bands()
            for a in of_zone:
                bands.add(a.band)
            last = max(
                (a.last_period for a in of_zone if a.last_period), key=lambda p: p.end, default=None
            )
            rows.append(
                AgencyRow(
                    agency=zone,
                    name=_zone_name(ds, zone, lang),
                    zone=zone,
                    zone_name=_zone_name(ds, zone, lang),
                    target=agg.target,
                    actual=agg.actual,
                    percent=None if done is None else done * 100,
                    band=band(done),
                    status=verdict,
                    reported=sum(a.report == REPORTED for a in of_zone),
                    allocated=len(members),
                    last_period=str(last) if last else None,
                    bands=bands,
                    stale=sum(a.report == STALE for a in of_zone),
                    expected=expected,
                    status_counts=status_counts(of_zone),
                    count_target=agg.count_target,
                )
            )
    else:
        for agency, a in figures.items():
            if by == "district" and agency not in ds.districts:
                continue
            rows.append(
                AgencyRow(
                    agency=agency,
                    name=agency_name(ds, agency, lang),
                    zone=_zone_of(ds, agency),
                    zone_name=_zone_name(ds, _zone_of(ds, agency), lang),
                    target=a.target,
                    actual=a.actual,
                    percent=None if a.progress is None else a.progress * 100,
                    band=a.band,
                    status=a.status,
                    reported=int(a.report == REPORTED),
                    last_period=str(a.last_period) if a.last_period else None,
                    report=a.report,
                    stale=int(a.report == STALE),
                    expected=a.expected,
                    status_counts=status_counts([a]),
                )
            )
    return sorted(rows, key=_worst_first)


def by_report(ds: Dataset, query: Query, by: By) -> ByReport:
    """``okrtool status --by``: for each selected key result, its agencies worst first."""
    scope = resolve_scope(ds, query)
    scope = _with_notes(scope, _time_notes(ds, scope))
    reports = reports_by_key_result(ds, scope.fiscal_year, scope.as_of)
    tables = []
    for policy, kr in selected_key_results(ds, scope):
        actuals = _actuals(kr, reports.get(kr.id, {}))
        tables.append(
            AgencyTable(
                key_result_row(ds, policy, kr, actuals, scope),
                by,
                agency_rows(ds, kr, actuals, by, scope),
            )
        )
    return ByReport(scope, _title(ds, scope), by, tables)


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


def missing_report(ds: Dataset, query: Query, period: str | None = None) -> MissingReport:
    """``okrtool missing``: agencies with an allocation that have not reported for the period
    (``report_state``, with values counted as of ``query.as_of``, as ``status`` counts them),
    and R agencies bound to none of a policy's key results, grouped by agency.

    The period defaults to the month of the latest period of the fiscal year reported by the
    as-of day. Raise NothingToReport when no key result of the year is selected: "everyone has
    reported" would be a false all-clear.
    """
    chosen: Period | None = None
    if period:
        try:
            chosen = parse_period(period)
        except PeriodError as exc:
            raise UsageError(str(exc)) from None
        if query.fiscal_year is None:
            query = Query(**{**query.__dict__, "fiscal_year": chosen.fiscal_year})
    scope = resolve_scope(ds, query)
    if chosen is None:
        chosen = latest_period(ds, scope.fiscal_year, scope.as_of)
        if chosen is None:
            raise UsageError(
                f"nothing is reported for FY {scope.fiscal_year} by {scope.as_of.isoformat()} "
                "yet; pass --period, like --period 2567-06"
            )
    elif chosen.fiscal_year != scope.fiscal_year:
        raise UsageError(
            f"period {chosen} is in FY {chosen.fiscal_year}, not FY {scope.fiscal_year}"
        )
    if chosen.end > scope.as_of:
        raise UsageError(
            f"period {chosen} ends on {chosen.end.isoformat()}, after --as-of "
            f"{scope.as_of.isoformat()}: nothing can be reported for it by then"
        )
    reports = reports_by_key_result(ds, scope.fiscal_year, scope.as_of)
    lang = scope.lang
    items: list[MissingItem] = []

    def item(
        agency: str,
        reason: Any,
        policy: Policy,
        kr: KeyResult | None,
        last: Period | None = None,
    ) -> MissingItem:
        return MissingItem(
            agency=agency,
            name=agency_name(ds, agency, lang),
            zone=_zone_of(ds, agency),
            zone_name=_zone_name(ds, _zone_of(ds, agency), lang),
            reason=reason,
            policy=policy.id,
            policy_title=_name(policy, lang, "title"),
            key_result=kr.id if kr else None,
            title=_name(kr, lang, "title") if kr else None,
            host=policy.host,
            host_name=agency_name(ds, policy.host, lang),
            last_period=str(last) if last else None,
        )

    chased = 0
    for policy in selected_policies(ds, scope):
        krs = [
            kr for okr, kr in ds.iter_key_results(policy) if okr.fiscal_year == scope.fiscal_year
        ]
        if scope.key_result:
            krs = [kr for kr in krs if scope.key_result in (kr.id, ds.kr_parent.get(kr.id))]
        if not krs:
            continue
        chased += len(krs)
        bound: set[str] = set()
        for kr in krs:
            allocations = ds.allocations(kr.id)
            bound.update(allocations)
            actuals = _actuals(kr, reports.get(kr.id, {}))
            for agency in allocations:
                got = actuals.get(agency)
                state = report_state(got, chosen)
                if state != REPORTED:
                    last = got.last_period if got and state == STALE else None
                    items.append(item(agency, "no-report", policy, kr, last))
        if not scope.key_result:
            for agency in ds.supporters(policy):
                if agency not in bound and agency in ds.agencies:
                    items.append(item(agency, "not-bound", policy, None))
    if not chased:
        raise NothingToReport(_nothing_to_chase(ds, scope, chosen))
    if scope.agency:
        items = [i for i in items if i.agency == scope.agency]
    order = {agency: n for n, agency in enumerate(ds.agencies)}
    items.sort(key=lambda i: order.get(i.agency, len(order)))  # stable: policy order kept
    title = _title(ds, scope)
    return MissingReport(scope, title, str(chosen), items)


def _nothing_to_chase(ds: Dataset, scope: Scope, period: Period) -> str:
    years = fiscal_years(ds)
    if scope.fiscal_year not in years:
        return (
            f"nothing to report on for {period}: no key result is for FY {scope.fiscal_year} "
            f"(years with key results: {_years(years)}); pass --period in one of those years"
        )
    return (
        f"nothing to report on for {period}: no key result of FY {scope.fiscal_year} passes "
        f"the filters ({_describe_filters(scope)}); 'okrtool status --fy {scope.fiscal_year}' "
        "lists the year's key results"
    )


def _describe_filters(scope: Scope) -> str:
    return ", ".join(f"--{k.replace('_', '-')} {v}" for k, v in _filters(scope).items())
