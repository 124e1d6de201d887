"""Projects reported each period: each figure of ``status --projects`` is one function here.

A project's state in its policy file is where it starts (``STARTING_STATE``); its current state
as of a day is the latest state its owner reported for a period ended by then. An agency is
asked to report every project it owns that is not over (done or cancelled) for the period due
(``figures.due_period``), or, for a project bound to a key result reported by quarter, for the
latest quarter ended by then (``owed_report``: the one rule of what a project owes, read by
``status --projects``, ``missing``, the brief, the handbook and the site). Pure functions over a
loaded ``Dataset``; rows out, nothing printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrtool.dataset import Dataset
from okrtool.fiscal import Period
from okrtool.model import (
    FINISHED_STATES,
    PROJECT_STATES,
    STARTING_STATE,
    Okr,
    Project,
    ProjectReport,
)
from okrtool.progress.figures import covers, due_period, owed_by_frequency
from okrtool.progress.filters import Note, Query, pick_fiscal_year, resolve
from okrtool.progress.frequency import Frequencies, frequencies


def owned_projects(ds: Dataset, agency: str, fiscal_year: int) -> list[tuple[Okr, Project]]:
    """The projects ``agency`` owns under the OKRs of ``fiscal_year``, in dataset order."""
    return [
        (okr, project)
        for okr in ds.okrs.values()
        if okr.fiscal_year == fiscal_year
        for project in okr.projects
        if project.owner == agency
    ]


def okrs_bound(ds: Dataset, agency: str, fiscal_year: int) -> list[str]:
    """The OKRs of ``fiscal_year`` that ``agency`` is bound to: those it owns (each written
    under its policy) and those on whose key results it holds a target of its own (as R)."""
    out = []
    for okr_id, okr in ds.okrs.items():
        if okr.fiscal_year != fiscal_year:
            continue
        if okr.owner == agency or any(
            agency in ds.allocations(kr.id) for kr in okr.all_key_results()
        ):
            out.append(okr_id)
    return out


def latest_report(
    ds: Dataset, agency: str, project: str, as_of: date, before: Period | None = None
) -> ProjectReport | None:
    """The latest report of ``agency`` on ``project`` for a period ended by ``as_of`` (and,
    with ``before``, ended before that period starts); None if there is none."""
    best: ProjectReport | None = None
    for pr in ds.project_reports:
        if pr.project != project or pr.agency != agency or pr.period.end > as_of:
            continue
        if before is not None and pr.period.end >= before.start:
            continue
        if best is None or pr.period.end > best.period.end:
            best = pr
    return best


def current_state(ds: Dataset, project: Project, as_of: date, before: Period | None = None) -> str:
    """The state of ``project`` as of ``as_of``: the latest its owner reported, else the state
    its policy file starts it in."""
    pr = latest_report(ds, project.owner, project.id, as_of, before)
    return pr.status if pr is not None else STARTING_STATE[project.status]


@dataclass(frozen=True)
class ProjectState:
    """A project's state as of a day: the latest its owner reported, with the period it was
    reported for and its percent complete (None when not given); else the state its policy file
    starts it in (``period`` and ``percent`` None)."""

    state: str
    period: Period | None = None
    percent: float | None = None


def state_as_of(ds: Dataset, project: Project, as_of: date) -> ProjectState:
    """``project``'s state as of ``as_of`` (``current_state``) with the report it comes from."""
    latest = latest_report(ds, project.owner, project.id, as_of)
    if latest is None:
        return ProjectState(STARTING_STATE[project.status])
    return ProjectState(latest.status, latest.period, latest.percent)


def state_counts(states: list[str]) -> dict[str, int]:
    """How many of ``states`` are in each project state, in ``PROJECT_STATES`` order."""
    out = dict.fromkeys(PROJECT_STATES, 0)
    for state in states:
        out[state] = out.get(state, 0) + 1
    return out


def owed_report(
    ds: Dataset, project: Project, period: Period | None, as_of: date, freq: Frequencies
) -> Period | None:
    """The period ``project`` owes a report for when ``period`` is asked, None if it owes none.
    It owes ``period``, or, when its key result is reported by quarter
    (``Frequencies.project_quarterly``), the latest quarter ended by then
    (``figures.owed_by_frequency``: none in October and November).
    It owes nothing when its owner reported it for a period holding the last day of ``period``
    or of the one owed (counted by ``as_of``), or it was over (done or cancelled) before
    ``period``, or no period is due yet."""
    if period is None:
        return None
    owed = owed_by_frequency(period, freq.project_quarterly(project))
    if owed is None:
        return None
    for pr in ds.project_reports:
        if pr.project != project.id or pr.agency != project.owner or pr.period.end > as_of:
            continue
        if covers(pr.period, period.end) or covers(pr.period, owed.end):
            return None
    if current_state(ds, project, as_of, before=period) in FINISHED_STATES:
        return None
    return owed


@dataclass
class ProjectLine:
    """One project of an agency as ``status --projects`` lists it."""

    project: str
    title_th: str
    title_en: str
    okr: str
    key_result: str | None
    state: str
    percent: float | None
    #: the period it owes a report for (``owed_report``), None when it owes none
    owed: Period | None = None

    @property
    def reported(self) -> bool:
        """True if it owes no report (reported, over, or nothing due yet)."""
        return self.owed is None

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["owed"] = str(self.owed) if self.owed else None
        out["reported"] = self.reported
        return out


@dataclass
class AgencyProjects:
    """One agency's projects: the OKRs it is bound to, its projects by state, who owes."""

    agency: str
    name_th: str
    name_en: str
    okrs_bound: int
    counts: dict[str, int]
    projects: list[ProjectLine] = field(default_factory=list)
    #: the period each project is asked to be reported for (``figures.due_period``)
    period: Period | None = None

    @property
    def total(self) -> int:
        return len(self.projects)

    @property
    def not_reported(self) -> list[str]:
        """The projects that owe a report (``owed_report``)."""
        return [p.project for p in self.projects if not p.reported]

    def owed_by_period(self) -> list[tuple[Period, list[str]]]:
        """The projects that owe a report, by the period owed: the period asked first, then
        the quarters owed by projects whose key result is reported by quarter."""
        groups: dict[Period, list[str]] = {}
        for p in self.projects:
            if p.owed is not None:
                groups.setdefault(p.owed, []).append(p.project)
        return sorted(groups.items(), key=lambda g: (g[0] != self.period, g[0].end))

    def owed_counts(self) -> list[tuple[str, int]]:
        """How many projects owe a report per period owed (``owed_by_period``): the period
        asked first, even at 0 (``–`` before any is due), then each quarter owed."""
        groups = dict(self.owed_by_period())
        asked = self.period
        out = [(str(asked) if asked else "–", len(groups.pop(asked, [])) if asked else 0)]
        return out + [(str(p), len(ids)) for p, ids in groups.items()]

    def owed_text(self) -> str:
        """``2567-05: 3, FY2567-Q2: 3`` (``owed_counts``), for a "not reported for" line."""
        return ", ".join(f"{p}: {n}" for p, n in self.owed_counts())

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "name_th": self.name_th,
            "name_en": self.name_en,
            "okrs_bound": self.okrs_bound,
            "period": str(self.period) if self.period else None,
            "projects": self.total,
            "counts": self.counts,
            "not_reported": self.not_reported,
            "rows": [p.to_dict() for p in self.projects],
        }


@dataclass
class ProjectsReport:
    """``status --projects``: per agency, as of a day, for the period due then."""

    fiscal_year: int
    as_of: date
    period: Period | None
    lang: str
    agencies: list[AgencyProjects]
    notes: list[Note] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fiscal_year": self.fiscal_year,
            "as_of": self.as_of.isoformat(),
            "period": str(self.period) if self.period else None,
            "agencies": [a.to_dict() for a in self.agencies],
            "notes": [n.en for n in self.notes],
        }


def agency_projects(
    ds: Dataset,
    agency: str,
    fiscal_year: int,
    as_of: date,
    freq: Frequencies | None = None,
    period: Period | None = None,
) -> AgencyProjects:
    """The projects figures of one agency for ``fiscal_year`` as of ``as_of``; ``freq`` is
    ``frequencies(ds, fiscal_year)``, worked out here when not given (a caller that asks for
    many agencies gives it once: it reads every value of the year). The reports owed are for
    ``period``, by default the one ``status`` asks for (``due_period``); the brief gives the
    one its chase list is for, so that both name the same month."""
    period = period or due_period(fiscal_year, as_of)
    owned = owned_projects(ds, agency, fiscal_year)
    if freq is None:
        freq = frequencies(ds, fiscal_year) if owned else Frequencies({})
    lines = []
    for okr, project in owned:
        now = state_as_of(ds, project, as_of)
        lines.append(
            ProjectLine(
                project.id,
                project.title_th,
                project.title_en,
                okr.id,
                project.key_result,
                now.state,
                now.percent,
                owed_report(ds, project, period, as_of, freq),
            )
        )
    return AgencyProjects(
        agency,
        ds.agency_name(agency, "th"),
        ds.agency_name(agency, "en"),
        len(okrs_bound(ds, agency, fiscal_year)),
        state_counts([line.state for line in lines]),
        lines,
        period,
    )


def hosted_agencies(ds: Dataset, host: str, fiscal_year: int) -> list[str]:
    """The host and every agency bound to the OKRs of the policies ``host`` hosts, host first."""
    out: dict[str, None] = {host: None}
    for policy in ds.policies.values():
        if policy.host != host:
            continue
        for okr in policy.okrs:
            if okr.fiscal_year != fiscal_year:
                continue
            out.setdefault(okr.owner, None)
            for project in okr.projects:
                out.setdefault(project.owner, None)
            for kr in okr.all_key_results():
                for agency in ds.allocations(kr.id):
                    out.setdefault(agency, None)
    return list(out)


def projects_report(ds: Dataset, query: Query, host: str | None = None) -> ProjectsReport:
    """``status --projects``: every agency that owns a project that year (or ``query.agency``,
    or the agencies bound to what ``host`` hosts), with its figures as of ``query.as_of``."""
    fiscal_year, notes = pick_fiscal_year(ds, query)
    if query.agency:
        agencies = [resolve("agency", query.agency, ds.agencies)]
    elif host:
        agencies = hosted_agencies(ds, resolve("agency", host, ds.agencies), fiscal_year)
    else:
        owners = {p.owner for _, p in _year_projects(ds, fiscal_year)}
        agencies = [a for a in ds.agencies if a in owners]
    freq = frequencies(ds, fiscal_year)
    return ProjectsReport(
        fiscal_year,
        query.as_of,
        due_period(fiscal_year, query.as_of),
        query.lang,
        [agency_projects(ds, a, fiscal_year, query.as_of, freq) for a in agencies],
        notes,
    )


def _year_projects(ds: Dataset, fiscal_year: int) -> list[tuple[Okr, Project]]:
    return [(o, p) for o in ds.okrs.values() if o.fiscal_year == fiscal_year for p in o.projects]
