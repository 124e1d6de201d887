"""Who has not reported: the chase list of ``okrtool missing``, by the period rule of status."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from okrtool.dataset import Dataset
from okrtool.errors import OkrtoolError, UsageError
from okrtool.fiscal import Period, ce_to_be, fiscal_year_bounds, month
from okrtool.model import KeyResult, Policy, Project
from okrtool.progress.bands import REPORTED, STALE
from okrtool.progress.binding import unbound_supporters
from okrtool.progress.calendar import Due, binding_due, days_overdue, days_to_go, due_date
from okrtool.progress.figures import (
    agency_actuals,
    due_period,
    latest_period,
    owed_period,
    report_state,
    reports_by_key_result,
)
from okrtool.progress.filters import (
    DEFINITIONS,
    Note,
    Query,
    Scope,
    describe_filters,
    fiscal_years,
    parse_period_option,
    resolve_scope,
    scope_filters,
    selected_policies,
    years_text,
)
from okrtool.progress.frequency import frequencies
from okrtool.progress.names import agency_name, name_in, table_title, zone_name, zone_of
from okrtool.progress.projects import owed_report


class NothingToReport(OkrtoolError):
    """The chase list has no key result to chase: an all-clear would be false (exit 1)."""


@dataclass
class MissingItem:
    """One thing an agency owes: a report for the period, or binding its OKR to a policy."""

    agency: str
    name: str
    zone: str | None
    zone_name: str
    reason: Literal["no-report", "not-bound", "no-project-report"]
    policy: str
    policy_title: str
    key_result: str | None
    title: str | None
    host: str
    host_name: str
    #: For a report not in: the agency's latest period before it, if any (stale).
    last_period: str | None = None
    #: For a report not in: the period it is owed for (the chase period, or for an agency that
    #: reports the key result by quarter the quarter holding it), its due date (None without a
    #: calendar), the days it is overdue as of the as-of day (0 while not yet due) and the days
    #: left until it is due (0 once due). A supporter not bound owes no report: all None.
    owed: str | None = None
    due: date | None = None
    days_overdue: int | None = None
    due_in_days: int | None = None
    #: For a project not reported ("no-project-report"): its id (``title`` is its title and
    #: ``key_result`` the key result it is bound to, if any).
    project: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The item as JSON-able data (``project`` only on a project's item)."""
        out = {
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
            "owed": self.owed,
            "due": self.due.isoformat() if self.due else None,
            "days_overdue": self.days_overdue,
            "due_in_days": self.due_in_days,
        }
        if self.project is not None:
            out["project"] = self.project
        return out


@dataclass
class MissingReport:
    """The chase list of ``okrtool missing``: items grouped by agency, the agency with the most
    days overdue first (``order_by_overdue``)."""

    scope: Scope
    title: str
    period: str
    items: list[MissingItem] = field(default_factory=list)
    #: whether the dataset has a reporting calendar (due dates and days overdue)
    calendar: bool = False

    def by_agency(self) -> list[tuple[str, list[MissingItem]]]:
        """The items grouped by agency, agencies in the order they first appear (the items are
        sorted by ``order_by_overdue``)."""
        groups: dict[str, list[MissingItem]] = {}
        for item in self.items:
            groups.setdefault(item.agency, []).append(item)
        return list(groups.items())

    def header(self) -> dict[str, Any]:
        """The header as JSON-able data."""
        s = self.scope
        projects = [i for i in self.items if i.reason == "no-project-report"]
        values = [i for i in self.items if i.reason != "no-project-report"]
        return {
            "title": self.title,
            "period": self.period,
            "fiscal_year": s.fiscal_year,
            "filters": scope_filters(s),
            "agencies": len(self.by_agency()),
            "no_report": sum(i.reason == "no-report" for i in self.items),
            "not_bound": sum(i.reason == "not-bound" for i in self.items),
            # only when a project is owed, so a chase list of values keeps its shape
            **({"no_project_report": len(projects)} if projects else {}),
            **(
                {"projects_overdue": sum(bool(i.days_overdue) for i in projects)}
                if projects
                else {}
            ),
            "notes": [n.en for n in s.notes],
            "as_of": s.as_of.isoformat(),
            "stale": sum(i.last_period is not None for i in self.items),
            "overdue": sum(bool(i.days_overdue) for i in values if i.reason == "no-report"),
            "calendar": self.calendar,
            "definitions": DEFINITIONS,
        }


def missing_report(
    ds: Dataset, query: Query, period: str | None = None, projects: bool = False
) -> MissingReport:
    """``okrtool missing``: agencies with an allocation that have not reported for the period
    (``report_state``, with values counted as of ``query.as_of``, as ``status`` counts them),
    and R agencies bound to none of a policy's key results, grouped by agency. With
    ``projects``, also the projects owed a report (``projects.owed_report``: for the period,
    or the quarter for a project whose key result is reported by quarter; not reported for it,
    not done or cancelled before it), each due by the calendar's date for the period it owes.

    The period defaults to the month of the latest period of the fiscal year reported by the
    as-of day. Raise NothingToReport when no key result of the year is selected: "everyone has
    reported" would be a false all-clear.
    """
    chosen: Period | None = None
    if period:
        chosen = parse_period_option(period)
        if query.fiscal_year is None:
            query = Query(**{**query.__dict__, "fiscal_year": chosen.fiscal_year})
    scope = resolve_scope(ds, query)
    if chosen is None:
        chosen = latest_period(ds, scope.fiscal_year, scope.as_of)
        if chosen is None:
            _no_default_period(ds, scope)
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
        due: Due | None = None,
        owed: Period | None = None,
        project: Project | None = None,
    ) -> MissingItem:
        return MissingItem(
            agency=agency,
            name=agency_name(ds, agency, lang),
            zone=zone_of(ds, agency),
            zone_name=zone_name(ds, zone_of(ds, agency), lang),
            reason=reason,
            policy=policy.id,
            policy_title=name_in(policy, lang, "title"),
            key_result=kr.id if kr else None,
            title=name_in(project or kr, lang, "title") if (project or kr) else None,
            host=policy.host,
            host_name=agency_name(ds, policy.host, lang),
            last_period=str(last) if last else None,
            owed=str(owed) if owed else None,
            due=due.date if due else None,
            days_overdue=days_overdue(due, scope.as_of),
            due_in_days=days_to_go(due, scope.as_of),
            project=project.id if project else None,
        )

    freq = frequencies(ds, scope.fiscal_year) if projects else None
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
        for kr in krs:
            allocations = ds.allocations(kr.id)
            actuals = agency_actuals(kr, reports.get(kr.id, {}))
            for agency in allocations:
                got = actuals.get(agency)
                state = report_state(got, chosen)
                if state != REPORTED:
                    last = got.last_period if got and state == STALE else None
                    owed = owed_period(chosen, got) or chosen
                    due = due_date(ds.calendar, owed)
                    items.append(item(agency, "no-report", policy, kr, last, due, owed))
        if freq is not None:
            chosen_krs = {kr.id for kr in krs}
            for okr in policy.okrs:
                if okr.fiscal_year != scope.fiscal_year:
                    continue
                for project in okr.projects:
                    if scope.key_result and project.key_result not in chosen_krs:
                        continue
                    if project.owner not in ds.agencies:
                        continue
                    owed = owed_report(ds, project, chosen, scope.as_of, freq)
                    if owed is not None:
                        bound_kr = ds.key_results.get(project.key_result or "")
                        due = due_date(ds.calendar, owed)
                        items.append(
                            item(
                                project.owner,
                                "no-project-report",
                                policy,
                                bound_kr,
                                None,
                                due,
                                owed,
                                project,
                            )
                        )
        if not scope.key_result:
            due = binding_due(ds.calendar, scope.fiscal_year)
            for agency in unbound_supporters(ds, policy, krs):
                items.append(item(agency, "not-bound", policy, None, due=due))
    if not chased:
        raise NothingToReport(_nothing_to_chase(ds, scope, chosen))
    if scope.agency:
        items = [i for i in items if i.agency == scope.agency]
    if ds.calendar is None:
        scope = dataclasses.replace(scope, notes=(*scope.notes, NO_CALENDAR))
    title = table_title(ds, scope)
    items = order_by_overdue(ds, items)
    return MissingReport(scope, title, str(chosen), items, ds.calendar is not None)


#: The note under the chase list of a dataset without a reporting calendar.
NO_CALENDAR = Note(
    en="no reporting calendar (data/agencies/calendar.yaml), so no due dates or days overdue",
    th="ไม่มีปฏิทินการรายงาน (data/agencies/calendar.yaml) จึงไม่แสดงกำหนดส่งและจำนวนวันที่เกินกำหนด",
)


def order_by_overdue(ds: Dataset, items: list[MissingItem]) -> list[MissingItem]:
    """The chase list's order: agencies by their most days overdue (most first), then by how
    many of their reports are overdue, then in dataset order; within an agency, its reports by
    days overdue (most first), then in policy order, and its bindings last. Projects do not move
    the values: an agency is placed by its values and bindings, its projects after them (in the
    same order); an agency that owes only projects comes after every other, placed likewise."""
    order = {agency: n for n, agency in enumerate(ds.agencies)}
    worst: dict[tuple[str, bool], tuple[int, int]] = {}
    values = {i.agency for i in items if i.reason != "no-project-report"}
    for i in items:
        group = (i.agency, i.reason == "no-project-report")
        most, count = worst.get(group, (0, 0))
        late = i.days_overdue or 0
        worst[group] = (max(most, late), count + (late > 0))

    def key(i: MissingItem) -> tuple[int, int, int, int, int, int]:
        project = i.reason == "no-project-report"
        only_projects = i.agency not in values
        most, count = worst[(i.agency, only_projects)]
        late = -1 if i.days_overdue is None or i.reason == "not-bound" else i.days_overdue
        return (only_projects, -most, -count, order.get(i.agency, len(order)), project, -late)

    return sorted(items, key=key)  # stable: policy order kept among equals


def month_of(day: date) -> Period:
    """The month ``day`` falls in."""
    return month(ce_to_be(day.year), day.month)


def _no_default_period(ds: Dataset, scope: Scope) -> None:
    """Nothing is reported for the year by the as-of day, so there is no default period: with
    no key result for the year, or no period of it over yet, nothing to report on (exit 1);
    else a usage error suggesting the period due by then, which --period takes."""
    day = scope.as_of.isoformat()
    years = fiscal_years(ds)
    if scope.fiscal_year not in years:
        raise NothingToReport(
            f"nothing to report on for FY {scope.fiscal_year}: no key result is for it (years "
            f"with key results: {years_text(years)}); pass --fy or --period in one of those years"
        )
    due = due_period(scope.fiscal_year, scope.as_of)
    if due is None:
        first = month_of(fiscal_year_bounds(scope.fiscal_year)[0])
        raise NothingToReport(
            f"nothing to report on for FY {scope.fiscal_year} by {day}: no period of it has "
            f"ended yet (the first, {first}, ends on {first.end.isoformat()})"
        )
    raise UsageError(
        f"nothing is reported for FY {scope.fiscal_year} by {day} yet; pass --period, like "
        f"--period {due}"
    )


def _nothing_to_chase(ds: Dataset, scope: Scope, period: Period) -> str:
    years = fiscal_years(ds)
    if scope.fiscal_year not in years:
        return (
            f"nothing to report on for {period}: no key result is for FY {scope.fiscal_year} "
            f"(years with key results: {years_text(years)}); pass --period in one of those years"
        )
    return (
        f"nothing to report on for {period}: no key result of FY {scope.fiscal_year} passes "
        f"the filters ({describe_filters(scope)}); 'okrtool status --fy {scope.fiscal_year}' "
        "lists the year's key results"
    )
