"""Rows: the status table, by key result and by agency, as plain objects for every renderer.

``status_report`` and ``by_report`` build them from ``filters`` and ``figures``; the terminal,
CSV, JSON, markdown and xlsx renderers print these rows and compute nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from okrtool.dataset import Dataset
from okrtool.editions import in_force
from okrtool.fiscal import (
    day_text,
    fiscal_year_bounds,
)
from okrtool.model import Edition, KeyResult, Policy, ReportValue
from okrtool.progress.bands import REPORTED, STALE, STATUSES, Bands, band
from okrtool.progress.figures import (
    CITY_STATUS,
    AgencyActual,
    agency_actual,
    agency_figures,
    aggregate,
    later_values,
    progress,
    reports_by_key_result,
    status_counts,
)
from okrtool.progress.filters import (
    DEFINITIONS,
    By,
    Lang,
    Note,
    Query,
    Scope,
    _filters,
    fiscal_years,
    resolve_scope,
    selected_key_results,
)


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


def _clean(x: float | None) -> float | int | None:
    """A number for JSON and CSV: whole numbers as ints, float noise rounded away."""
    if x is None:
        return None
    x = round(x, 6)
    return int(x) if x == int(x) else x


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
