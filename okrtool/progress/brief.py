"""The host's follow-up brief (``okrtool brief --host A``): the rows a host agency H brings to its
bi-monthly meeting with its R agencies, and the summary an executive reads first.

Every figure comes from the rows ``status`` and ``missing`` print (``by_report``,
``missing_report``): the brief selects and orders them, it does not compute them again. What
is its own (which rows need a decision, which notes are shown) is said in docs/meeting-brief.md,
"How the brief chooses".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from okrtool.dataset import Dataset
from okrtool.errors import OkrtoolError
from okrtool.fiscal import parse_period
from okrtool.model import Policy, Project, ReportValue
from okrtool.progress.bands import AT_RISK, BEHIND, DONE, NO_DATA, ON_TRACK, STATUSES
from okrtool.progress.changes import (
    ChangeByReport,
    ChangedTable,
    Since,
    change_by_report,
    change_counts,
)
from okrtool.progress.estimated import Estimated, estimated_figures
from okrtool.progress.figures import covers, latest_period
from okrtool.progress.filters import DEFINITIONS, Query, Scope, pick_fiscal_year, resolve
from okrtool.progress.history import HistoryReport, history_report, reports_index
from okrtool.progress.missing import MissingItem, NothingToReport, missing_report
from okrtool.progress.names import agency_name
from okrtool.progress.projects import (
    AgencyProjects,
    agency_projects,
    current_state,
    state_counts,
)
from okrtool.progress.rows import AgencyRow, KeyResultRow, clean_number
from okrtool.progress.tables import by_report

#: How many rows the summary names as needing a decision.
DECISIONS = 5
#: The statuses that need a decision, the more urgent first (their rank in the order).
DECISION_RANK = {BEHIND: 0, NO_DATA: 0, AT_RISK: 1}


class NoHostedPolicy(OkrtoolError):
    """The agency hosts no policy (or none with a key result in the year): no brief to make."""


@dataclass
class ProjectRow:
    """A project or activity bound to a key result (or only to its OKR) of a hosted policy."""

    project: str
    title: str
    owner: str
    owner_name: str
    status: str
    key_result: str | None

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-able data."""
        return {
            "project": self.project,
            "title": self.title,
            "owner": self.owner,
            "owner_name": self.owner_name,
            "status": self.status,
            "key_result": self.key_result,
        }


@dataclass
class NoteGroup:
    """One note text agencies typed beside their values, and who typed it for which periods."""

    text: str
    values: int
    agencies: list[str]
    names: list[str]
    periods: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The group as JSON-able data."""
        return {
            "note": self.text,
            "values": self.values,
            "agencies": self.agencies,
            "names": self.names,
            "periods": self.periods,
        }


@dataclass
class BriefKeyResult:
    """One key result of a hosted policy: its city row, its agencies worst first, who owes a
    report, the notes typed with the values, and the projects bound to it."""

    row: KeyResultRow
    agencies: list[AgencyRow]
    missing: list[MissingItem]
    notes: list[NoteGroup]
    projects: list[ProjectRow]
    #: The trend: the key result period by period (``okrtool history``).
    history: HistoryReport | None = None
    #: With ``--since``: the city row's change (``status --since``) and each agency's, by id.
    since: Since | None = None
    agency_since: dict[str, Since] = field(default_factory=dict)

    @property
    def project_counts(self) -> dict[str, int]:
        """How many of its projects are in each state (not started, in progress, done,
        cancelled), as of the brief's day."""
        return project_counts(self.projects)

    def to_dict(self) -> dict[str, Any]:
        """The key result as JSON-able data."""
        return {
            "key_result": self.row.to_dict(),
            "agencies": [a.to_dict() for a in self.agencies],
            "missing": [m.to_dict() for m in self.missing],
            "notes": [n.to_dict() for n in self.notes],
            "projects": [p.to_dict() for p in self.projects],
            "project_counts": self.project_counts,
            "history": [r.to_dict() for r in self.history.rows] if self.history else None,
            "since": self.since.to_dict() if self.since else None,
            "agency_since": {a: s.to_dict() for a, s in self.agency_since.items()},
        }


@dataclass
class BriefPolicy:
    """A policy the host hosts, its key results of the year, its R agencies not bound, and the
    projects bound to it that owe a report (as ``missing`` lists them)."""

    policy: str
    title: str
    urgent: bool
    supporters: int
    key_results: list[BriefKeyResult]
    not_bound: list[MissingItem] = field(default_factory=list)
    #: Projects bound to one of the policy's OKRs but to none of its key results.
    projects: list[ProjectRow] = field(default_factory=list)
    #: The projects of its OKRs that owe a report (``projects.owed_report``), as missing's items.
    projects_owed: list[MissingItem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The policy as JSON-able data."""
        return {
            "policy": self.policy,
            "title": self.title,
            "urgent": self.urgent,
            "supporters": self.supporters,
            "key_results": [k.to_dict() for k in self.key_results],
            "not_bound": [m.to_dict() for m in self.not_bound],
            "projects": [p.to_dict() for p in self.projects],
            "projects_owed": [m.to_dict() for m in self.projects_owed],
        }


@dataclass
class Decision:
    """A row the summary names as needing a decision: a key result in trouble as a whole, or
    one agency's own row on a key result that is not (docs/meeting-brief.md)."""

    kind: Literal["key-result", "agency"]
    policy: str
    key_result: str
    title: str
    agency: str | None
    name: str | None
    status: str
    actual: float | None
    target: float
    expected: float | None
    percent: float | None
    #: How many percentage points the row is below where the time of year says it should be.
    gap: float
    #: A key result's row: how many of its agencies are behind, at risk, or have no data.
    agencies_behind: int = 0
    agencies_at_risk: int = 0
    agencies_no_data: int = 0
    allocated: int = 1
    #: The key result row it is about (for the unit and the wording of its figures).
    row: KeyResultRow | None = None

    def to_dict(self) -> dict[str, Any]:
        """The decision row as JSON-able data."""
        return {
            "kind": self.kind,
            "policy": self.policy,
            "key_result": self.key_result,
            "title": self.title,
            "agency": self.agency,
            "name": self.name,
            "status": self.status,
            "actual": clean_number(self.actual),
            "target": clean_number(self.target),
            "expected": clean_number(self.expected),
            "percent": clean_number(self.percent),
            "gap": clean_number(self.gap),
            "agencies_behind": self.agencies_behind,
            "agencies_at_risk": self.agencies_at_risk,
            "agencies_no_data": self.agencies_no_data,
            "allocated": self.allocated,
        }


@dataclass
class Brief:
    """The host's follow-up brief: the summary, then every hosted policy and key result."""

    scope: Scope
    host: str
    host_name: str
    #: The chase list's period (``missing``'s default: the month of the latest period anyone
    #: reported on by the as-of day); None when nothing is reported for the year yet.
    period: str | None
    policies: list[BriefPolicy]
    decisions: list[Decision]
    since: date | None = None
    #: Hosted policies with no key result in the fiscal year shown.
    without_key_results: list[str] = field(default_factory=list)
    #: Which agencies' figures rest on estimated values (``progress.estimated``).
    estimated: Estimated = field(default_factory=Estimated)
    #: The projects the host owns that year, as ``status --projects --agency HOST`` counts them.
    host_projects: AgencyProjects | None = None

    @property
    def key_results(self) -> list[BriefKeyResult]:
        """Every key result of the brief, policy by policy."""
        return [k for p in self.policies for k in p.key_results]

    @property
    def counts(self) -> dict[str, int]:
        """How many of the host's key results have each status (city rows), STATUSES order."""
        out = dict.fromkeys(STATUSES, 0)
        for k in self.key_results:
            out[k.row.status] += 1
        return out

    @property
    def changes(self) -> dict[str, int] | None:
        """With ``--since``: how many of the host's key results got better, worse, are new or
        kept their status (``change_counts`` of ``status --since``)."""
        sinces = [k.since for k in self.key_results if k.since is not None]
        return change_counts(sinces) if self.since is not None else None

    @property
    def missing(self) -> list[MissingItem]:
        """Every report owed, every project owed a report and every R agency not bound, policy
        by policy."""
        out: list[MissingItem] = []
        for p in self.policies:
            for k in p.key_results:
                out += k.missing
            out += p.projects_owed
            out += p.not_bound
        return out

    def header(self) -> dict[str, Any]:
        """The header as JSON-able data."""
        s = self.scope
        return {
            "host": self.host,
            "host_name": self.host_name,
            "fiscal_year": s.fiscal_year,
            "as_of": s.as_of.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "elapsed_percent": clean_number(s.elapsed * 100),
            "period": str(s.period) if s.period else None,
            "missing_period": self.period,
            "policies": len(self.policies),
            "key_results": len(self.key_results),
            "counts": self.counts,
            "changes": self.changes,
            "reports_missing": sum(m.reason == "no-report" for m in self.missing),
            "not_bound": sum(m.reason == "not-bound" for m in self.missing),
            "projects_missing": sum(m.reason == "no-project-report" for m in self.missing),
            "without_key_results": self.without_key_results,
            "host_projects": self.host_projects.to_dict() if self.host_projects else None,
            "notes": [n.en for n in s.notes],
            "definitions": DEFINITIONS,
        }

    def to_dict(self) -> dict[str, Any]:
        """The whole brief as JSON-able data."""
        return {
            "header": self.header(),
            "decisions": [d.to_dict() for d in self.decisions],
            "policies": [p.to_dict() for p in self.policies],
        }


def project_counts(projects: Iterable[ProjectRow]) -> dict[str, int]:
    """How many projects are in each state (``progress.projects.state_counts``)."""
    return state_counts([p.status for p in projects])


def hosted_policies(ds: Dataset, host: str) -> list[Policy]:
    """The policies ``host`` hosts (H), in dataset order."""
    return [p for p in ds.policies.values() if p.host == host]


def brief_report(ds: Dataset, query: Query, host: str, since: date | None = None) -> Brief:
    """``okrtool brief --host A``: for each policy A hosts, its key results of the year with
    their city row (as ``status``), every allocated agency's own row worst first (as ``status
    --by agency``), the reports owed (as ``missing``), the notes typed with the values and the
    projects bound; and the rows that need a decision.

    Raise UsageError for an agency that names nothing (with the closest id), NoHostedPolicy for
    one that hosts no policy, or none with a key result in the year.
    """
    host_id = resolve("agency", host, ds.agencies)
    lang = query.lang
    name = agency_name(ds, host_id, lang)
    policies = hosted_policies(ds, host_id)
    if not policies:
        hosts = sorted({p.host for p in ds.policies.values() if p.host})
        shown = ", ".join(hosts[:12]) + (" ..." if len(hosts) > 12 else "")
        raise NoHostedPolicy(
            f"{agency_name(ds, host_id, 'en')} ({host_id}) hosts no policy: no policy file "
            f"names it in 'host:', so there is no meeting to brief. Agencies that host one: "
            f"{shown or 'none'}"
        )
    # the rows of status --by agency and missing over the host's policies only: the same rows
    # as over every policy (each key result's rows depend on its own values), far fewer to make
    hosted = replace(ds, policies={p.id: p for p in policies})
    changed: dict[str, ChangedTable] = {}
    if since is not None:
        change: ChangeByReport = change_by_report(hosted, query, "agency", since)
        by = change.now
        changed = {t.key_result.row.key_result: t for t in change.tables}
    else:
        by = by_report(hosted, query, "agency")
    scope = by.scope
    tables = {t.key_result.key_result: t for t in by.tables}
    if not tables:
        raise NoHostedPolicy(
            f"{agency_name(ds, host_id, 'en')} ({host_id}) hosts {len(policies)} "
            f"polic{'y' if len(policies) == 1 else 'ies'} ({_ids(policies)}), none with a key "
            f"result for FY {scope.fiscal_year}; 'okrtool status --agency {host_id}' lists the "
            "years with OKRs"
        )
    period, owed = _owed(ds, hosted, query, host_id)
    values = _counted_values(ds, scope, set(tables))
    index = reports_index(ds, set(tables))
    out: list[BriefPolicy] = []
    without: list[str] = []
    for policy in policies:
        krs = [
            kr.id
            for okr, kr in ds.iter_key_results(policy)
            if okr.fiscal_year == scope.fiscal_year and kr.id in tables
        ]
        if not krs:
            without.append(policy.id)
            continue
        projects = _projects(ds, policy, scope)
        items = []
        for kr in krs:
            t = tables[kr]
            c = changed.get(kr)
            items.append(
                BriefKeyResult(
                    row=t.key_result,
                    agencies=t.rows,
                    missing=[
                        m
                        for m in owed
                        if m.reason == "no-report" and m.key_result == kr and m.policy == policy.id
                    ],
                    notes=_notes(ds, values.get(kr, []), period, since, lang),
                    projects=[p for p in projects if p.key_result == kr],
                    history=history_report(hosted, kr, query.as_of, lang=lang, index=index),
                    since=c.key_result.since if c else None,
                    agency_since={r.row.agency: r.since for r in c.rows} if c else {},
                )
            )
        out.append(
            BriefPolicy(
                policy=policy.id,
                title=policy.title_th if lang == "th" else policy.title_en,
                urgent=policy.urgent,
                supporters=len(ds.supporters(policy)),
                key_results=items,
                not_bound=[m for m in owed if m.reason == "not-bound" and m.policy == policy.id],
                projects_owed=[
                    m for m in owed if m.reason == "no-project-report" and m.policy == policy.id
                ],
                projects=[p for p in projects if p.key_result not in krs],
            )
        )
    decisions = decisions_needed([k for p in out for k in p.key_results], scope)
    estimated = estimated_figures(ds, scope.fiscal_year, scope.as_of)
    # the host's own projects owe the period its chase list is for (as missing's), not status's
    chased = parse_period(period) if period else None
    own = agency_projects(ds, host_id, scope.fiscal_year, scope.as_of, period=chased)
    return Brief(scope, host_id, name, period, out, decisions, since, without, estimated, own)


def _ids(policies: list[Policy]) -> str:
    ids = [p.id for p in policies]
    return ", ".join(ids[:5]) + (" ..." if len(ids) > 5 else "")


def _owed(
    ds: Dataset, hosted: Dataset, query: Query, host: str
) -> tuple[str | None, list[MissingItem]]:
    """The chase list of ``missing`` kept to the host's policies (``hosted``), for the period
    ``missing`` chases by default: the month of the latest period anyone reported on (in
    ``ds``, every policy's values)."""
    fiscal_year = pick_fiscal_year(ds, query)[0]
    period = latest_period(ds, fiscal_year, query.as_of)
    if period is None:
        return None, []  # nothing reported for the year by the as-of day: nothing to chase
    try:
        report = missing_report(hosted, query, str(period), projects=True)
    except NothingToReport:
        return None, []
    return report.period, [i for i in report.items if i.host == host]


def _counted_values(
    ds: Dataset, scope: Scope, key_results: set[str]
) -> dict[str, list[ReportValue]]:
    out: dict[str, list[ReportValue]] = {}
    for rv in ds.reports:
        if (
            rv.fiscal_year == scope.fiscal_year
            and rv.period.end <= scope.as_of
            and rv.key_result in key_results
        ):
            out.setdefault(rv.key_result, []).append(rv)
    return out


def _notes(
    ds: Dataset,
    values: list[ReportValue],
    period: str | None,
    since: date | None,
    lang: str,
) -> list[NoteGroup]:
    """The notes typed with the values of the period (``since``: of every period that ended
    after it), one group per text, in the order first typed."""

    due = parse_period(period) if period else None
    groups: dict[str, NoteGroup] = {}
    for rv in sorted(values, key=lambda v: (v.period.end, v.period.start)):
        text = " ".join(rv.note.split())
        if not text:
            continue
        if since is not None:
            if rv.period.end <= since:
                continue
        elif due is None or not covers(rv.period, due.end):
            continue
        g = groups.setdefault(text, NoteGroup(text, 0, [], [], []))
        g.values += 1
        if rv.agency not in g.agencies:
            g.agencies.append(rv.agency)
            g.names.append(agency_name(ds, rv.agency, lang))  # type: ignore[arg-type]
        if str(rv.period) not in g.periods:
            g.periods.append(str(rv.period))
    return list(groups.values())


def _projects(ds: Dataset, policy: Policy, scope: Scope) -> list[ProjectRow]:
    rows = []
    for okr in policy.okrs:
        if okr.fiscal_year != scope.fiscal_year:
            continue
        for p in okr.projects:
            rows.append(_project_row(ds, p, scope))
    return rows


def _project_row(ds: Dataset, p: Project, scope: Scope) -> ProjectRow:
    return ProjectRow(
        project=p.id,
        title=p.title_th if scope.lang == "th" else p.title_en,
        owner=p.owner,
        owner_name=agency_name(ds, p.owner, scope.lang),
        status=current_state(ds, p, scope.as_of),
        key_result=p.key_result,
    )


# --- the rows that need a decision ---------------------------------------------------------------


def _gap(percent: float | None, expected_percent: float) -> float:
    """Points below where the time of year says the row should be (no value: progress 0)."""
    return expected_percent - (percent or 0.0)


def _share_gap(row: KeyResultRow) -> float:
    # share-at-target is judged by the share of agencies NOT on track or done (CITY_STATUS)
    on_track = row.status_counts.get(DONE, 0) + row.status_counts.get(ON_TRACK, 0)
    return (1 - on_track / row.allocated) * 100 if row.allocated else 0.0


def decisions_needed(
    key_results: list[BriefKeyResult], scope: Scope, limit: int = DECISIONS
) -> list[Decision]:
    """The rows that need a decision, the most urgent first (docs/meeting-brief.md):

    1. each key result whose city row is behind, no data or at risk, as one row (its agencies
       in trouble are counted on it, not listed: a key result in trouble is one decision);
    2. on the other key results, each agency whose own row is behind, no data or at risk;
    3. ordered behind and no data first, then at risk; within, the largest gap first (points
       below the share of the year gone; no value counts as progress 0); key results before
       agencies at an equal gap; then by key result and agency id. The first ``limit``.
    """
    elapsed = scope.elapsed * 100
    rows: list[Decision] = []
    for k in key_results:
        r = k.row
        if r.status in DECISION_RANK:
            gap = _share_gap(r) if r.is_share else _gap(r.percent, r.expected_percent)
            rows.append(
                Decision(
                    kind="key-result",
                    policy=r.policy,
                    key_result=r.key_result,
                    title=r.title,
                    agency=None,
                    name=None,
                    status=r.status,
                    actual=r.actual,
                    target=r.target,
                    expected=r.expected,
                    percent=r.percent,
                    gap=gap,
                    agencies_behind=r.status_counts.get(BEHIND, 0),
                    agencies_at_risk=r.status_counts.get(AT_RISK, 0),
                    agencies_no_data=r.status_counts.get(NO_DATA, 0),
                    allocated=r.allocated,
                    row=r,
                )
            )
            continue
        for a in k.agencies:
            if a.status in DECISION_RANK:
                rows.append(
                    Decision(
                        kind="agency",
                        policy=r.policy,
                        key_result=r.key_result,
                        title=r.title,
                        agency=a.agency,
                        name=a.name,
                        status=a.status,
                        actual=a.actual,
                        target=a.target,
                        expected=a.expected,
                        percent=a.percent,
                        gap=_gap(a.percent, elapsed),
                        row=r,
                    )
                )
    rows.sort(
        key=lambda d: (
            DECISION_RANK[d.status],
            -round(d.gap, 6),
            d.kind != "key-result",
            d.key_result,
            d.agency or "",
        )
    )
    return rows[:limit]
