"""The report template of one agency for one period, as values: a row for every key result it
reports on, with its own target and what it reported before.

``template_for`` builds it from the dataset; ``template_xlsx`` writes it as a workbook.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrtool.dataset import Dataset
from okrtool.fiscal import Period, quarter
from okrtool.model import STARTING_STATE, Contact, ReportValue
from okrtool.progress.frequency import by_quarter


@dataclass
class TemplateRow:
    """One key result an agency reports on, as the template shows it."""

    policy_th: str
    policy_en: str
    key_result: str
    title_th: str
    title_en: str
    unit: str
    unit_th: str
    percent: bool
    target: float
    so_far: float | None
    measure: str
    #: the period this row reports: the template's, or the quarter holding it when the agency
    #: reports this key result by quarter (see ``template_for``)
    period: Period | None = None


@dataclass
class TemplateProject:
    """One project the agency owns, as the template's Projects sheet shows it: its state and
    percent complete before the template's period (the latest reported, else its starting
    state)."""

    project: str
    title_th: str
    title_en: str
    key_result: str
    state: str
    percent: float | None


@dataclass
class Template:
    """What one agency's report workbook for one period holds."""

    agency: str
    agency_th: str
    agency_en: str
    period: Period
    rows: list[TemplateRow]
    dataset: str
    made_at: str
    #: when each period of the rows is due (the template's period first), from the reporting
    #: calendar: (period, due date); empty without a calendar
    due: list[tuple[str, date]] = field(default_factory=list)
    #: whom to ask (the calendar's contact), if the dataset names one
    contact: Contact | None = None
    #: the projects the agency owns that year (the Projects sheet); empty: no such sheet
    projects: list[TemplateProject] = field(default_factory=list)


def dataset_fingerprint(ds: Dataset) -> str:
    """SHA-256 of the agency and policy files (names and bytes): which plan a template is for."""
    digest = hashlib.sha256()
    for kind in ("agencies", "policies"):
        for rel in sorted(ds.files.get(kind, [])):
            digest.update(rel.encode() + b"\0" + (ds.root / rel).read_bytes() + b"\0")
    return digest.hexdigest()


def allocated_key_results(ds: Dataset, agency: str, fiscal_year: int) -> Iterator[str]:
    """Ids of the key results of ``fiscal_year`` on which ``agency`` has a target (H or R)."""
    for policy in ds.policies.values():
        for okr, kr in ds.iter_key_results(policy):
            if okr.fiscal_year == fiscal_year and agency in ds.allocations(kr.id):
                yield kr.id


def _actual(actual: Any) -> float | None:
    return None if actual is None else actual.value


def _row_period(period: Period, stored: list[ReportValue]) -> Period:
    """The period a template row of ``period`` asks for: ``period``, or, for a monthly template
    and a key result the agency has reported by quarter this year, the quarter that holds the
    month (``progress.frequency.by_quarter`` of its values of the year)."""
    if period.kind != "month" or not by_quarter(rv.period for rv in stored):
        return period
    months_in = (period.start.month - 10) % 12  # October is the first month of the fiscal year
    return quarter(period.fiscal_year, months_in // 3 + 1)


def template_for(ds: Dataset, agency: str, period: Period, made_at: str) -> Template:
    """The rows of ``agency``'s report for ``period``: every key result allocated to it that
    year, with its own target and its actual from the periods before the row's (increments
    added up, running totals and levels at their latest). A key result the agency reports by
    quarter gets the quarter that holds a monthly template's month (``_row_period``)."""
    from okrtool.progress import agency_actual, due_date  # the one home of each figure
    from okrtool.progress.projects import latest_report, owned_projects

    this_year: dict[str, list[ReportValue]] = {}
    for rv in ds.reports:
        if rv.agency == agency and rv.fiscal_year == period.fiscal_year:
            this_year.setdefault(rv.key_result, []).append(rv)
    rows = []
    for kr_id in allocated_key_results(ds, agency, period.fiscal_year):
        kr = ds.key_results[kr_id]
        policy = ds.policies[ds.kr_policy[kr_id]]
        values = this_year.get(kr_id, [])
        row_period = _row_period(period, values)
        before = [rv for rv in values if rv.period.end < row_period.start]
        rows.append(
            TemplateRow(
                policy.title_th,
                policy.title_en,
                kr.id,
                kr.title_th,
                kr.title_en,
                kr.unit,
                kr.unit_th or "",
                kr.is_percent,
                ds.allocations(kr_id)[agency],
                _actual(agency_actual(kr, before)),
                kr.measure,
                row_period,
            )
        )
    due = []
    for owed in dict.fromkeys([period, *(r.period for r in rows if r.period is not None)]):
        when = due_date(ds.calendar, owed)
        if when is not None:
            due.append((str(owed), when.date))
    projects = []
    for _, project in owned_projects(ds, agency, period.fiscal_year):
        last = latest_report(ds, agency, project.id, period.end, before=period)
        projects.append(
            TemplateProject(
                project.id,
                project.title_th,
                project.title_en,
                project.key_result or "",
                last.status if last is not None else STARTING_STATE[project.status],
                last.percent if last is not None else None,
            )
        )
    return Template(
        agency,
        ds.agency_name(agency, "th"),
        ds.agency_name(agency, "en"),
        period,
        rows,
        dataset_fingerprint(ds),
        made_at,
        due,
        ds.calendar.contact if ds.calendar else None,
        projects,
    )
