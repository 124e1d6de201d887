"""Figures the public site shows that the status rows do not carry: a key result's progress month
by month, where each figure came from, the notes agencies typed, and a district's place in its
zone.

Each is made from the row builders of ``okrtool.progress`` (``status_report``, ``by_report``) or
from the report values they count (``reports_by_key_result``), never by a second aggregation:
the trend is the status table as of each month's end, so its last point is the status row itself.
Rows out, no printing; ``okrtool.site`` renders them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from okrtool.dataset import Dataset
from okrtool.fiscal import ce_to_be, fiscal_month_index, fiscal_year_bounds, month, quarter
from okrtool.progress import (
    AgencyTable,
    Query,
    StatusReport,
    reports_by_key_result,
    resolve_scope,
    selected_policies,
    status_report,
)
from okrtool.progress.frequency import frequencies

#: The sources a report value can have, in the order the site names them (model.REPORT_SOURCES).
SOURCE_ORDER = ("published", "import", "manual", "estimated")


@dataclass(frozen=True)
class TrendPoint:
    """A key result's city figures as the status table showed them at the end of one month."""

    period: str
    day: date
    actual: float | None
    expected: float | None
    percent: float | None
    status: str


def month_ends(fiscal_year: int, as_of: date) -> list[date]:
    """The last day of every month of ``fiscal_year`` that has ended by ``as_of``."""
    start, end = fiscal_year_bounds(fiscal_year)
    out = []
    day = start
    while day <= end:
        last = month(ce_to_be(day.year), day.month).end
        if last > as_of:
            break
        out.append(last)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def trends(ds: Dataset, fiscal_year: int, as_of: date) -> dict[str, list[TrendPoint]]:
    """key result → its figures at the end of each month of the year by ``as_of`` (and on the
    as-of day itself when it is not a month's end): ``status_report`` run as of each day.

    A key result reported by quarter (``Frequencies.key_result_quarterly``) has a point at the
    end of each quarter by ``as_of``, named after the quarter (``FY2567-Q2``): between two
    quarters' reports its actual stands still while the expected climbs, and a month-end point
    would show a drift to "at risk" that no report made."""
    days = month_ends(fiscal_year, as_of)
    if not days or days[-1] != as_of:
        days.append(as_of)
    by_quarter = frequencies(ds, fiscal_year).quarterly_key_results()
    out: dict[str, list[TrendPoint]] = {}
    for day in days:
        report = status_report(ds, Query(as_of=day, fiscal_year=fiscal_year))
        label = str(month(ce_to_be(day.year), day.month))
        quarter_end = day == month(ce_to_be(day.year), day.month).end and day.month % 3 == 0
        quarter_label = str(quarter(fiscal_year, fiscal_month_index(day) // 3 + 1))
        for row in report.rows:
            if row.key_result in by_quarter:
                if not quarter_end:
                    continue
                point = TrendPoint(
                    quarter_label, day, row.actual, row.expected, row.percent, row.status
                )
            else:
                point = TrendPoint(label, day, row.actual, row.expected, row.percent, row.status)
            out.setdefault(row.key_result, []).append(point)
    return out


@dataclass(frozen=True)
class Provenance:
    """Where one agency's figure on one key result came from: the sources of the values counted
    (published, estimated, imported from a workbook, typed by hand), the workbooks and when they
    were recorded, and the notes typed with them."""

    sources: tuple[str, ...]
    values: int
    #: (workbook file, sha256, recorded_at) of imported values, oldest first.
    workbooks: tuple[tuple[str, str, str], ...]
    notes: tuple[str, ...]
    #: The report files (relative to the data folder) the values are stored in.
    files: tuple[str, ...]


def provenance(ds: Dataset, fiscal_year: int, as_of: date) -> dict[str, dict[str, Provenance]]:
    """key result → agency → the provenance of the values counted as of ``as_of``: the values
    ``status`` sums or takes the latest of (``reports_by_key_result``)."""
    out: dict[str, dict[str, Provenance]] = {}
    for kr, by_agency in reports_by_key_result(ds, fiscal_year, as_of).items():
        for agency, values in by_agency.items():
            kinds = {rv.source for rv in values}
            workbooks = sorted(
                {(rv.file, rv.sha256, rv.recorded_at) for rv in values if rv.file},
                key=lambda w: (w[2], w[0]),
            )
            notes = list(dict.fromkeys(rv.note for rv in values if rv.note))
            out.setdefault(kr, {})[agency] = Provenance(
                sources=tuple(s for s in SOURCE_ORDER if s in kinds),
                values=len(values),
                workbooks=tuple(workbooks),
                notes=tuple(notes),
                files=tuple(sorted({rv.origin for rv in values if rv.origin})),
            )
    return out


def source_counts(agencies: Mapping[str, Provenance]) -> dict[str, int]:
    """How many agencies' figures on one key result (``provenance()[key_result]``) rest on each
    source (an agency with values of two sources counts under each), in SOURCE_ORDER."""
    counts: Counter[str] = Counter()
    for p in agencies.values():
        counts.update(p.sources)
    return {s: counts[s] for s in SOURCE_ORDER if counts[s]}


def estimated(prov: Mapping[str, Mapping[str, Provenance]]) -> set[str]:
    """The key results (``provenance()``'s keys) whose city figures count at least one estimated
    value: their actual, percent and status are built from an estimate."""
    return {kr for kr, agencies in prov.items() if any(_est(p) for p in agencies.values())}


def _est(p: Provenance) -> bool:
    return "estimated" in p.sources


def typed_notes(agencies: Mapping[str, Provenance]) -> list[tuple[str, list[str]]]:
    """The notes agencies typed with their values on one key result, each with the agencies
    that typed it, in the order first met (agencies in their report order)."""
    notes: dict[str, list[str]] = {}
    for agency, p in agencies.items():
        for note in p.notes:
            notes.setdefault(note, []).append(agency)
    return list(notes.items())


def subset(ds: Dataset, full: StatusReport, query: Query) -> StatusReport:
    """The status report ``query`` asks for, made from ``full`` (the report of every key result
    of the same day and year) by keeping the rows of the policies the query selects
    (``selected_policies``): a key result's city row does not depend on the filters, so this is
    ``status_report(ds, query)`` without aggregating every report again. Not for ``--agency``
    queries, whose rows are the agency's own."""
    scope = resolve_scope(ds, query)
    chosen = {p.id for p in selected_policies(ds, scope)}
    rows = [r for r in full.rows if r.policy in chosen]
    return StatusReport(scope, full.title, rows, None, full.edition)


@dataclass(frozen=True)
class Place:
    """A district's place among the districts of its zone on one key result (1 = furthest
    along toward its own target; districts that have not reported come last, equal)."""

    place: int | None
    of: int


def zone_places(ds: Dataset, tables: list[AgencyTable]) -> dict[tuple[str, str], Place]:
    """(key result, district) → its place in its zone, from ``by_report``'s per-agency rows
    (the percent of its own target). Equal percents share a place; no report has no place."""
    out: dict[tuple[str, str], Place] = {}
    for table in tables:
        zones: dict[str, list[tuple[str, float | None]]] = {}
        for row in table.rows:
            district = ds.districts.get(row.agency)
            if district is not None:
                zones.setdefault(district.zone, []).append((row.agency, row.percent))
        for members in zones.values():
            ranked = sorted((p for _, p in members if p is not None), reverse=True)
            for agency, percent in members:
                place = None if percent is None else ranked.index(percent) + 1
                out[(table.key_result.key_result, agency)] = Place(place, len(members))
    return out
