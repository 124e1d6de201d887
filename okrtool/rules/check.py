"""The cross-file rules: each a small function that reads the dataset and yields Problems.

This is the one home of every rule that relates objects to one another; ``okrtool validate`` and
``okrtool import-reports`` both run ``check`` (the codes are catalogued in ``problems.py``).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Iterator

from okrtool.dataset import Dataset, Where
from okrtool.editions import allowed_dimensions, covers, in_force, policy_edition
from okrtool.fiscal import Period, PeriodError, check_fiscal_year, parse_period
from okrtool.io.load import Locator
from okrtool.model import (
    ALL_DISTRICTS,
    FREQUENCY,
    LAST_SAFE_DAY,
    ZONE_PREFIX,
    DueRule,
    Edition,
    KeyResult,
    Policy,
    ReportValue,
)
from okrtool.problems import Problem

Rule = Callable[[Dataset], Iterator[Problem]]
#: Allocations may differ from a summed target by this much (floating point), no more.
TOLERANCE = 1e-6
#: How many names a message lists before it says "+N more".
LIST_NAMES = 5


def _at(where: Where, code: str, message: str, *extra: object, hint: str = "") -> Problem:
    return Problem(code, where.file, message, path=where.path + tuple(extra), hint=hint)


def _unknown(kind: str, value: str, known: Iterable[str]) -> tuple[str, str]:
    """Message and hint for a reference to an id that does not exist."""
    near = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    hint = f"did you mean '{near[0]}'?" if near else ""
    return f"unknown {kind} '{value}'", hint


def _missing(ds: Dataset, value: str, known: Iterable[str]) -> bool:
    """True if ``value`` names nothing in ``known`` (agencies, zones, groups and the rest of the
    agency files); an id written in an agency file that failed to load is not missing, nor is
    any id while an agency file cannot be read at all: that file's problem is reported already."""
    return value not in known and value not in ds.unverified_ids and not ds.agencies_unreadable


def _num(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}".rstrip("0")


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:LIST_NAMES])
    return shown + (f" (+{len(ids) - LIST_NAMES} more)" if len(ids) > LIST_NAMES else "")


def duplicate_ids(ds: Dataset) -> Iterator[Problem]:
    """E201: an id written twice within its kind, anywhere in the dataset."""
    for kind, obj_id, where in ds.duplicates:
        first = ds.where[(kind, obj_id)]
        yield _at(
            where,
            "E201",
            f"duplicate {kind} id '{obj_id}' (first at {ds.shown(first.file)}:{ds.line_of(first)})",
            "id",
        )
    codes: dict[str, str] = {}
    for district in ds.districts.values():
        if district.code in codes:
            yield _at(
                ds.where[("agency", district.id)],
                "E201",
                f"district code {district.code} is used by '{codes[district.code]}' too",
                "code",
            )
        codes.setdefault(district.code, district.id)


def agency_references(ds: Dataset) -> Iterator[Problem]:
    """E202: zones of districts, group members and secretaries exist."""
    for district in ds.districts.values():
        if _missing(ds, district.zone, ds.zones):
            msg, hint = _unknown("zone", district.zone, ds.zones)
            yield _at(ds.where[("agency", district.id)], "E202", msg, "zone", hint=hint)
    for group in ds.groups.values():
        where = ds.where[("group", group.id)]
        if _missing(ds, group.secretary, ds.departments):
            msg, hint = _unknown("department", group.secretary, ds.departments)
            yield _at(where, "E202", msg, "secretary", hint=hint)
        for i, dep in enumerate(group.departments):
            if _missing(ds, dep, ds.departments):
                msg, hint = _unknown("department", dep, ds.departments)
                yield _at(where, "E202", msg, "departments", i, hint=hint)
        for i, sec in enumerate(group.district_sections):
            if _missing(ds, sec, ds.sections):
                msg, hint = _unknown("section role", sec, ds.sections)
                yield _at(where, "E202", msg, "district_sections", i, hint=hint)


def policy_references(ds: Dataset) -> Iterator[Problem]:
    """E202/E203/E204/E303/E304/E406: what a policy, its OKRs and projects name exists and fits."""
    for policy in ds.policies.values():
        where = ds.where[("policy", policy.id)]
        folder, _, name = where.file.removeprefix("policies/").rpartition("/")
        stem = name.rsplit(".", 1)[0]
        if stem != policy.id:
            yield _at(
                where,
                "E203",
                f"policy id '{policy.id}' is in a file named '{name}'",
                "id",
                hint=f"rename the file to {policy.id}.yaml",
            )
        if _missing(ds, policy.dimension, ds.dimensions):
            msg, hint = _unknown("dimension", policy.dimension, ds.dimensions)
            yield _at(where, "E202", msg, "dimension", hint=hint)
        elif folder != policy.dimension:
            yield _at(
                where,
                "E203",
                f"policy of dimension '{policy.dimension}' is in folder 'policies/{folder}'",
                "dimension",
                hint=f"move it to policies/{policy.dimension}/",
            )
        yield from _tags(ds, policy, where)
        group = ds.groups.get(policy.group) if policy.group is not None else None
        if policy.group is not None and _missing(ds, policy.group, ds.groups):
            msg, hint = _unknown("mission group", policy.group, ds.groups)
            yield _at(where, "E202", msg, "group", hint=hint)
        if policy.standing_order is not None:
            orders = {o.id: g.id for g in ds.groups.values() for o in g.standing_orders}
            if _missing(ds, policy.standing_order, orders):
                msg, hint = _unknown("standing order", policy.standing_order, orders)
                yield _at(where, "E202", msg, "standing_order", hint=hint)
            elif (
                group is not None
                and policy.standing_order in orders
                and orders[policy.standing_order] != group.id
            ):
                yield _at(
                    where,
                    "E303",
                    f"standing order '{policy.standing_order}' belongs to group "
                    f"'{orders[policy.standing_order]}', not to '{group.id}'",
                    "standing_order",
                )
        if policy.district_section is not None and _missing(
            ds, policy.district_section, ds.sections
        ):
            msg, hint = _unknown("section role", policy.district_section, ds.sections)
            yield _at(where, "E202", msg, "district_section", hint=hint)
        if policy.host is not None and _missing(ds, policy.host, ds.agencies):
            msg, hint = _unknown("agency", policy.host, ds.agencies)
            yield _at(where, "E202", msg, "host", hint=hint)
        if policy.okrs and (policy.host is None or policy.group is None):
            lacking = " and ".join(
                what
                for what, value in (
                    ("host agency (host)", policy.host),
                    ("mission group (group)", policy.group),
                )
                if value is None
            )
            yield _at(
                where,
                "E304",
                f"policy '{policy.id}' has {len(policy.okrs)} OKR(s) but no {lacking}",
                "okrs",
                hint="name the host and the group, or take the OKRs out",
            )
        for i, entry in enumerate(policy.supporters):
            if entry == ALL_DISTRICTS:
                continue
            if entry.startswith(ZONE_PREFIX):
                zone = entry[len(ZONE_PREFIX) :]
                if _missing(ds, zone, ds.zones):
                    msg, hint = _unknown("zone", zone, ds.zones)
                    yield _at(where, "E202", msg, "supporters", i, hint=hint)
            elif _missing(ds, entry, ds.agencies):
                msg, hint = _unknown("agency", entry, ds.agencies)
                if not hint:
                    hint = f"write an agency id, '{ALL_DISTRICTS}' or 'zone:<zone id>'"
                yield _at(where, "E202", msg, "supporters", i, hint=hint)
        for o, okr in enumerate(policy.okrs):
            if _missing(ds, okr.owner, ds.agencies):
                msg, hint = _unknown("agency", okr.owner, ds.agencies)
                yield _at(where, "E202", msg, "okrs", o, "owner", hint=hint)
            own_krs = {kr.id for kr in okr.all_key_results()}
            for j, project in enumerate(okr.projects):
                if _missing(ds, project.owner, ds.agencies):
                    msg, hint = _unknown("agency", project.owner, ds.agencies)
                    yield _at(where, "E202", msg, "okrs", o, "projects", j, "owner", hint=hint)
                kr_id = project.key_result
                if kr_id is None or kr_id in own_krs:
                    continue
                if kr_id in ds.key_results:
                    yield _at(
                        where,
                        "E406",
                        f"project '{project.id}' is bound to key result '{kr_id}' of OKR "
                        f"'{ds.kr_okr[kr_id]}', not of its own OKR '{okr.id}'",
                        "okrs",
                        o,
                        "projects",
                        j,
                        "key_result",
                    )
                else:
                    msg, hint = _unknown("key result", kr_id, own_krs)
                    yield _at(where, "E202", msg, "okrs", o, "projects", j, "key_result", hint=hint)


def _tags(ds: Dataset, policy: Policy, where: Where) -> Iterator[Problem]:
    """E202/E204: each further dimension tag exists, and is neither the primary one nor a repeat."""
    seen = {policy.dimension}
    for i, tag in enumerate(policy.tags):
        if tag in seen:
            what = "the policy's own dimension" if tag == policy.dimension else "listed twice"
            yield _at(where, "E204", f"dimension tag '{tag}' is {what}", "tags", i)
        elif _missing(ds, tag, ds.dimensions):
            msg, hint = _unknown("dimension", tag, ds.dimensions)
            yield _at(where, "E202", msg, "tags", i, hint=hint)
        seen.add(tag)


def host_and_supporters(ds: Dataset) -> Iterator[Problem]:
    """E301/E302: H is not also R, and no R agency is listed twice."""
    for policy in ds.policies.values():
        where = ds.where[("policy", policy.id)]
        seen: dict[str, int] = {}
        for i, entry in enumerate(policy.supporters):
            for agency in ds.expand_supporter(entry):
                if agency == policy.host:
                    via = "" if agency == entry else f" (through '{entry}')"
                    yield _at(
                        where,
                        "E301",
                        f"host '{policy.host}' is also listed as a supporter{via}",
                        "supporters",
                        i,
                    )
                elif agency in seen:
                    yield _at(
                        where,
                        "E302",
                        f"supporter '{agency}' is listed twice (entries {seen[agency] + 1} "
                        f"and {i + 1} of supporters)",
                        "supporters",
                        i,
                    )
                else:
                    seen[agency] = i


def _check_amount(kr: KeyResult, value: float, what: str) -> tuple[str, str] | None:
    if kr.is_percent and not 0 <= value <= 100:
        return "E404", f"{what} {_num(value)} is outside 0–100 for a percentage"
    if value < 0:
        return "E405", f"{what} {_num(value)} is negative; expected 0 or more {kr.unit}"
    return None


def targets_and_allocations(ds: Dataset) -> Iterator[Problem]:
    """E401–E405 and E501: allocations go to H or R and add up; amounts are in range."""
    for policy in ds.policies.values():
        bound = {policy.host, *ds.supporters(policy)}
        for okr in policy.okrs:
            okr_where = ds.where[("okr", okr.id)]
            try:
                check_fiscal_year(okr.fiscal_year)
            except PeriodError as exc:
                yield _at(okr_where, "E501", str(exc), "fiscal_year")
            for kr in okr.all_key_results():
                where = ds.where.get(("key result", kr.id))
                if where is None or ds.key_results[kr.id] is not kr:
                    continue  # a second key result with this id: reported as E201
                for field_name in ("target", "baseline"):
                    bad = _check_amount(kr, getattr(kr, field_name), field_name)
                    if bad:
                        yield _at(where, bad[0], bad[1], field_name)
                for agency, amount in kr.allocations.items():
                    if _missing(ds, agency, ds.agencies):
                        msg, hint = _unknown("agency", agency, ds.agencies)
                        yield _at(where, "E202", msg, "allocations", agency, hint=hint)
                    elif (
                        agency in ds.agencies and agency not in bound and policy.host in ds.agencies
                    ):
                        yield _at(
                            where,
                            "E401",
                            f"allocation to '{agency}', which is neither the host "
                            f"'{policy.host}' nor a supporter of policy '{policy.id}'",
                            "allocations",
                            agency,
                            hint=f"add '{agency}' to the policy's supporters, or remove it",
                        )
                    bad = _check_amount(kr, amount, f"allocation to '{agency}'")
                    if bad:
                        yield _at(where, bad[0], bad[1], "allocations", agency)
                if kr.aggregate == "sum" and kr.allocations:
                    total = sum(kr.allocations.values())
                    if abs(total - kr.target) > TOLERANCE * max(1.0, abs(kr.target)):
                        diff = total - kr.target
                        side = "over" if diff > 0 else "short"
                        yield _at(
                            where,
                            "E402",
                            f"allocations of '{kr.id}' add up to {_num(total)} {kr.unit}; "
                            f"the target is {_num(kr.target)} ({_num(abs(diff))} {side})",
                            "allocations",
                        )
                parent_id = ds.kr_parent.get(kr.id)
                if parent_id is not None:
                    yield from _sub_target_within_parent(ds, kr, ds.key_results[parent_id], where)


def _sub_target_within_parent(
    ds: Dataset, kr: KeyResult, parent: KeyResult, where: Where
) -> Iterator[Problem]:
    if kr.target > parent.target:
        yield _at(
            where,
            "E403",
            f"sub-target '{kr.id}' ({_num(kr.target)}) is above its parent "
            f"'{parent.id}' ({_num(parent.target)})",
            "target",
        )
    parent_alloc = ds.allocations(parent.id)
    for agency, amount in kr.allocations.items():
        if agency in parent_alloc and amount > parent_alloc[agency]:
            yield _at(
                where,
                "E403",
                f"allocation to '{agency}' on sub-target '{kr.id}' ({_num(amount)}) is above "
                f"its allocation on '{parent.id}' ({_num(parent_alloc[agency])})",
                "allocations",
                agency,
            )


def _at_row(rv: ReportValue, code: str, message: str, hint: str = "") -> Problem:
    return Problem(code, rv.origin, message, rv.line, 1, hint=hint)


def _place(first: ReportValue, here: ReportValue) -> str:
    """Where ``first`` stands, seen from ``here``: a line of the same file, else its file (an
    import checks a workbook's values beside the stored ones)."""
    if first.origin == here.origin:
        return f"line {first.line}"
    return f"{first.origin}:{first.line}" if first.line else first.origin


def report_values(ds: Dataset) -> Iterator[Problem]:
    """E202/E404/E405/E502/E601/E602/E603: every reported value fits what was planned."""
    yield from report_file_names(ds)
    yield from value_problems(ds, ds.reports, {})


def report_file_names(ds: Dataset) -> Iterator[Problem]:
    """E202: a report file is named after an agency."""
    for file, agency in ds.report_file_agency.items():
        if _missing(ds, agency, ds.agencies):
            msg, hint = _unknown("agency", agency, ds.agencies)
            yield Problem("E202", file, f"{msg} (the file's name)", 1, 1, hint=hint)


#: Per key result, what its values are checked against: (key result, its fiscal year,
#: allocations, highest allowed value); built once per key result and kept by the caller.
Plans = dict[str, tuple[KeyResult, int, dict[str, float], float]]


def value_problems(ds: Dataset, reports: list[ReportValue], plans: Plans) -> Iterator[Problem]:
    """E202/E404/E405/E502/E601/E602/E603 over ``reports``, which hold every value of each
    agency and fiscal year they hold any of (a report file, all of ds.reports, or a workbook
    beside the stored values)."""
    # E602 and E603 compare the values of one agency and fiscal year: those stand together in
    # the dataset (one report file), so each run of them is checked with dicts of its own that
    # go when it ends (at ten years, one dict of every value was 258 MiB and 40 % of the time).
    mixed: set[tuple[str, str]] = set()
    krs = ds.key_results
    agencies = ds.agencies
    run_agency, run_year = "", 0
    ended: set[tuple[str, int]] = set()
    seen: dict[tuple[str, Period], ReportValue] = {}
    first_kind: dict[str, ReportValue] = {}
    for i, rv in enumerate(reports):
        kr_id = rv.key_result
        if rv.agency not in agencies and _missing(ds, rv.agency, agencies):
            continue  # the file's name is reported (report_file_names)
        plan = plans.get(kr_id)
        if plan is None and kr_id in krs:
            kr = krs[kr_id]
            year = ds.okrs[ds.kr_okr[kr_id]].fiscal_year
            high = 100.0 if kr.is_percent else math.inf
            plan = plans[kr_id] = (kr, year, ds.allocations(kr_id), high)
        if plan is None and not _unchecked(ds, kr_id):
            msg, hint = _unknown("key result", kr_id, [*krs, *ds.unverified_key_results])
            yield _at_row(rv, "E202", msg, hint)
            continue
        # plan None: a key result of a policy file that failed to load (reported already); what
        # needs its plan waits, what compares this file's values with one another does not
        period = rv.period
        if period.fiscal_year != rv.fiscal_year:
            yield _at_row(
                rv,
                "E502",
                f"period {period} is in FY {period.fiscal_year}, not in this file's "
                f"FY {rv.fiscal_year}",
            )
            continue
        if plan is not None:
            kr, kr_year, alloc, high = plan
            if rv.fiscal_year != kr_year:
                yield _at_row(
                    rv,
                    "E502",
                    f"period {period} is in FY {rv.fiscal_year}, but key result '{kr_id}' "
                    f"is for FY {kr_year}",
                )
                continue
            if rv.agency not in alloc:
                yield _at_row(
                    rv,
                    "E601",
                    f"'{rv.agency}' reports on '{kr_id}' but has no allocation on it",
                    hint="bind the agency with an allocation first, or fix the key result",
                )
        if rv.agency != run_agency or rv.fiscal_year != run_year:
            ended.add((run_agency, run_year))
            run_agency, run_year = rv.agency, rv.fiscal_year
            seen, first_kind = {}, {}
            if (run_agency, run_year) in ended:
                # this agency and year had values earlier (an import checks a workbook after
                # the stored values): take those in again, as the loop did
                for old in reports[:i]:
                    if old.agency == run_agency and old.fiscal_year == run_year:
                        old_plan = plans.get(old.key_result)
                        if old.period.fiscal_year == run_year and (
                            old_plan[1] == run_year if old_plan else _unchecked(ds, old.key_result)
                        ):
                            seen.setdefault((old.key_result, old.period), old)
                            first_kind.setdefault(old.key_result, old)
        first = seen.setdefault((kr_id, period), rv)
        if first is not rv:
            yield _at_row(
                rv,
                "E602",
                f"'{kr_id}' for {period} is reported twice (first at {_place(first, rv)})",
            )
        first_of_kr = first_kind.setdefault(kr_id, rv)
        kind = first_of_kr.period.kind
        if kind != period.kind and (rv.agency, kr_id) not in mixed:
            mixed.add((rv.agency, kr_id))
            yield _at_row(
                rv,
                "E603",
                f"'{kr_id}' is reported by {period.kind} here and by {kind} at "
                f"{_place(first_of_kr, rv)}",
            )
        if plan is not None and not 0 <= rv.value <= plan[3]:
            bad = _check_amount(plan[0], rv.value, "value")
            if bad:
                yield _at_row(rv, *bad)
    yield from cumulative_goes_down(ds, reports)


def cumulative_goes_down(ds: Dataset, reports: list[ReportValue]) -> Iterator[Problem]:
    """E604: a cumulative key result's value below one an agency reported for an earlier period
    of the same fiscal year. A running total since 1 October cannot go down: such a value is
    almost always the period's own amount typed into a cumulative row. The problem stands at
    the later, lower value. (validate runs it on each report file; import-reports on a
    workbook's values beside the stored ones, so the two decide alike.)"""
    krs = ds.key_results
    cumulative = {kr_id for kr_id, kr in krs.items() if kr.measure == "cumulative"}
    series: dict[tuple[str, int, str], list[ReportValue]] = {}
    for rv in reports:
        if rv.key_result in cumulative and rv.period.fiscal_year == rv.fiscal_year:
            series.setdefault((rv.agency, rv.fiscal_year, rv.key_result), []).append(rv)
    for (_, _, kr_id), values in series.items():
        if len(values) < 2:
            continue
        values.sort(key=lambda rv: (rv.period.end, rv.period.start))
        highest = values[0]
        for rv in values[1:]:
            if rv.value < highest.value and rv.period.end > highest.period.end:
                unit = krs[kr_id].unit
                this = "this month's" if rv.period.kind == "month" else "this quarter's"
                yield _at_row(
                    rv,
                    "E604",
                    f"'{kr_id}' is a running total since 1 October (cumulative), but {rv.period} "
                    f"is {_num(rv.value)} {unit}, below {_num(highest.value)} for "
                    f"{highest.period} ({_place(highest, rv)}): looks like {this} amount, "
                    "not the running total",
                    hint=f"type the total so far ({_num(highest.value)} plus {this} "
                    f"amount); if {_num(highest.value)} for {highest.period} is what is wrong, "
                    "correct it",
                )
            elif rv.value > highest.value:
                highest = rv


def _unchecked(ds: Dataset, kr_id: str) -> bool:
    """True if key result ``kr_id`` is not known but may be defined in a policy file that failed
    to load: its values are not reported as unknown, and their plan cannot be checked."""
    return kr_id not in ds.key_results and (
        ds.policies_unreadable or kr_id in ds.unverified_key_results
    )


def warnings(ds: Dataset) -> Iterator[Problem]:
    """W701–W703, W705: a policy with no OKR, an R agency not bound, a key result not yet
    reported, a policy with no host assigned yet."""
    reported = {rv.key_result for rv in ds.reports} | ds.key_results_reported_let_go
    for policy in ds.policies.values():
        where = ds.where[("policy", policy.id)]
        if policy.host is None:
            yield _at(
                where,
                "W705",
                f"policy '{policy.id}' has no host agency assigned yet"
                + (" (nor a mission group)" if policy.group is None else ""),
                "id",
            )
        if not policy.okrs:
            yield _at(where, "W701", f"policy '{policy.id}' has no OKR bound to it", "id")
            continue
        bound: set[str] = set()
        for _, kr in ds.iter_key_results(policy):
            bound.update(kr.allocations)
        for i, entry in enumerate(policy.supporters):
            agencies = [a for a in ds.expand_supporter(entry) if a in ds.agencies]
            unbound = [a for a in agencies if a not in bound and a != policy.host]
            if not unbound:
                continue
            if entry in (ALL_DISTRICTS,) or entry.startswith(ZONE_PREFIX):
                msg = (
                    f"{len(unbound)} of {len(agencies)} agencies of '{entry}' are not bound "
                    f"(no allocation on any key result): {_names(unbound)}"
                )
            else:
                msg = f"supporter '{entry}' is not bound (no allocation on any key result)"
            yield _at(where, "W702", msg, "supporters", i)
        if ds.reports_unreadable:
            continue  # W703 would name key results whose reports are in what was not read
        for _, kr in ds.iter_key_results(policy):
            if kr.id not in reported and ("key result", kr.id) in ds.where:
                yield _at(
                    ds.where[("key result", kr.id)],
                    "W703",
                    f"key result '{kr.id}' has no report yet",
                    "id",
                )


# --- editions of the plan ----------------------------------------------------------------------


def edition_references(ds: Dataset) -> Iterator[Problem]:
    """E202/E501: what an edition names exists (its previous edition, its dimensions and those of
    its development issues), its first year is a fiscal year; a policy's edition exists."""
    for edition in ds.editions.values():
        where = ds.where[("edition", edition.id)]
        try:
            check_fiscal_year(edition.first_year)
        except PeriodError as exc:
            yield _at(where, "E501", str(exc), "first_year")
        if edition.previous is not None and _missing(ds, edition.previous, ds.editions):
            msg, hint = _unknown("edition", edition.previous, ds.editions)
            yield _at(where, "E202", msg, "previous", hint=hint)
        for i, dim in enumerate(edition.dimensions):
            if _missing(ds, dim, ds.dimensions):
                msg, hint = _unknown("dimension", dim, ds.dimensions)
                yield _at(where, "E202", msg, "dimensions", i, hint=hint)
        for i, issue in enumerate(edition.development_issues):
            if issue.dimension is not None and _missing(ds, issue.dimension, ds.dimensions):
                msg, hint = _unknown("dimension", issue.dimension, ds.dimensions)
                yield _at(where, "E202", msg, "development_issues", i, "dimension", hint=hint)
    for policy in ds.policies.values():
        if policy.edition is not None and _missing(ds, policy.edition, ds.editions):
            msg, hint = _unknown("edition", policy.edition, ds.editions)
            yield _at(ds.where[("policy", policy.id)], "E202", msg, "edition", hint=hint)


def previous_edition_earlier(ds: Dataset) -> Iterator[Problem]:
    """E901: an edition's previous edition comes into force before it does."""
    for edition in ds.editions.values():
        previous = ds.editions.get(edition.previous) if edition.previous else None
        if previous is not None and previous.first_year >= edition.first_year:
            yield _at(
                ds.where[("edition", edition.id)],
                "E901",
                f"edition '{edition.id}' (in force from FY {edition.first_year}) follows "
                f"'{previous.id}', which is in force from FY {previous.first_year}, not earlier",
                "previous",
                hint="name an earlier edition as previous, or fix one of the first years",
            )


def editions_first_years(ds: Dataset) -> Iterator[Problem]:
    """E902: no two editions come into force in the same fiscal year."""
    first: dict[int, str] = {}
    for edition in ds.editions.values():
        other = first.setdefault(edition.first_year, edition.id)
        if other != edition.id:
            yield _at(
                ds.where[("edition", edition.id)],
                "E902",
                f"editions '{other}' and '{edition.id}' are both in force from "
                f"FY {edition.first_year}",
                "first_year",
                hint="each edition ends where the next begins: give each its own first year",
            )


def _edition_why(policy: Policy, edition: Edition) -> str:
    """How ``policy`` came to belong to ``edition``, for a message."""
    if policy.edition is not None:
        return f"edition '{edition.id}'"
    if policy.okrs:
        year = min(okr.fiscal_year for okr in policy.okrs)
        return f"edition '{edition.id}' (in force in FY {year}, its first OKR's year)"
    return f"edition '{edition.id}' (the first edition: the policy has no OKR)"


def dimensions_in_edition(ds: Dataset) -> Iterator[Problem]:
    """E903: a policy's dimension and tags, and a development issue's dimension, are among the
    dimensions of their edition (or of the editions of the same plan it renames)."""
    allowed_of = {e.id: allowed_dimensions(ds, e) for e in ds.editions.values()}
    for policy in ds.policies.values():
        edition = policy_edition(ds, policy)
        if edition is None:
            continue
        allowed = allowed_of[edition.id]
        where = ds.where[("policy", policy.id)]
        named = [
            (policy.dimension, ("dimension",)),
            *((t, ("tags", i)) for i, t in enumerate(policy.tags)),
        ]
        for dim, path in named:
            if dim in ds.dimensions and dim not in allowed:
                yield _at(
                    where,
                    "E903",
                    f"dimension '{dim}' is not one of {_edition_why(policy, edition)}: "
                    f"expected one of {', '.join(allowed) or '(none listed yet)'}",
                    *path,
                    hint="name a dimension of the policy's edition, or set the policy's `edition`",
                )
    for edition in ds.editions.values():
        allowed = allowed_dimensions(ds, edition)
        for i, issue in enumerate(edition.development_issues):
            if issue.dimension in ds.dimensions and issue.dimension not in allowed:
                yield _at(
                    ds.where[("edition", edition.id)],
                    "E903",
                    f"development issue '{issue.id}' names dimension '{issue.dimension}', "
                    f"not one of edition '{edition.id}': expected one of "
                    f"{', '.join(allowed) or '(none listed yet)'}",
                    "development_issues",
                    i,
                    "dimension",
                )


def okr_years_in_edition(ds: Dataset) -> Iterator[Problem]:
    """E904: an OKR's fiscal year is one in which its policy's edition (or a renaming of it) is
    in force: a 2569 OKR bound to a policy of the 2022 platform counts under a plan that has
    ended."""
    for policy in ds.policies.values():
        edition = policy_edition(ds, policy)
        if edition is None:
            continue
        for okr in policy.okrs:
            if covers(ds, edition, okr.fiscal_year):
                continue
            current = in_force(ds, okr.fiscal_year)
            now = (
                f"edition '{current.id}' is in force then"
                if current is not None
                else "no edition is in force then"
            )
            yield _at(
                ds.where[("okr", okr.id)],
                "E904",
                f"OKR '{okr.id}' is for FY {okr.fiscal_year}, but its policy '{policy.id}' "
                f"belongs to {_edition_why(policy, edition)}; {now}",
                "fiscal_year",
                hint="bind the OKR to a policy of the edition in force that year (`continues` "
                "names the one it carries on)",
            )


def continues_previous_edition(ds: Dataset) -> Iterator[Problem]:
    """E202/E905: the policy a policy or a development-strategy goal ``continues`` exists and
    belongs to the previous edition of its own edition."""
    for policy in ds.policies.values():
        if policy.continues is None:
            continue
        edition = policy_edition(ds, policy)
        yield from _continues(
            ds,
            ds.where[("policy", policy.id)],
            ("continues",),
            f"policy '{policy.id}'",
            policy.continues,
            edition,
        )
    for edition in ds.editions.values():
        for i, issue in enumerate(edition.development_issues):
            for j, goal in enumerate(issue.goals):
                if goal.continues is not None:
                    yield from _continues(
                        ds,
                        ds.where[("edition", edition.id)],
                        ("development_issues", i, "goals", j, "continues"),
                        f"goal '{goal.id}'",
                        goal.continues,
                        edition,
                    )


def _continues(
    ds: Dataset,
    where: Where,
    path: tuple[object, ...],
    what: str,
    continued: str,
    edition: Edition | None,
) -> Iterator[Problem]:
    if continued not in ds.policies:
        if not ds.policies_unreadable:
            msg, hint = _unknown("policy", continued, ds.policies)
            yield _at(where, "E202", msg, *path, hint=hint)
        return
    if edition is None or (edition.previous is not None and edition.previous not in ds.editions):
        return  # an unknown previous edition is reported (E202)
    previous = ds.editions.get(edition.previous) if edition.previous else None
    of = policy_edition(ds, ds.policies[continued])
    if previous is None or of is None or of.id != previous.id:
        expected = (
            f"a policy of '{previous.id}'"
            if previous is not None
            else f"nothing: edition '{edition.id}' has no previous edition"
        )
        yield _at(
            where,
            "E905",
            f"{what} of edition '{edition.id}' continues '{continued}', which belongs to "
            f"'{of.id if of else 'no edition'}'; expected {expected}",
            *path,
            hint="name the policy of the previous edition that this one carries on",
        )


# --- the reporting calendar ------------------------------------------------------------------


def _at_key(ds: Dataset, where: Where, code: str, message: str, *extra: object) -> Problem:
    """A problem at the key (not the value) ``extra`` names under ``where``: an unknown
    frequency is the key itself."""
    path = where.path + tuple(extra)
    line, column = Locator(ds.root).locate(where.file, path, at_key=True)
    return Problem(code, where.file, message, line, column, path=path)


def _due_rules(
    ds: Dataset, where: Where, rules: dict[str, DueRule], *at: object
) -> Iterator[Problem]:
    """E503, E504, E505 for one ``due`` mapping of the calendar (its own or a year's)."""
    known = list(FREQUENCY.values())
    for frequency, rule in rules.items():
        if frequency not in known:
            near = difflib.get_close_matches(frequency, known, n=1, cutoff=0.6)
            problem = _at_key(
                ds,
                where,
                "E505",
                f"unknown reporting frequency '{frequency}'; expected one of "
                f"{', '.join(known)} (periods are months or quarters)",
                *at,
                frequency,
            )
            if near:
                problem.hint = f"did you mean '{near[0]}'?"
            yield problem
            continue
        path = (*at, frequency)
        day, days = rule.day_of_next_month, rule.days_after
        if (day is None) == (days is None):
            found = "both" if day is not None else "neither"
            yield _at(
                where,
                "E503",
                f"{frequency}: found {found} of day_of_next_month and days_after; expected "
                "exactly one",
                *path,
            )
        elif day is not None and not 1 <= day <= LAST_SAFE_DAY:
            yield _at(
                where,
                "E503",
                f"{frequency}: day_of_next_month {day} is not a day of every month; expected "
                f"1 to {LAST_SAFE_DAY}",
                *path,
                "day_of_next_month",
                hint="February has 28 days; name an exception for a month whose due day moves",
            )
        elif days is not None and days < 1:
            yield _at(
                where,
                "E504",
                f"{frequency}: days_after {days} makes the report due on or before the "
                "period's last day; expected 1 or more",
                *path,
                "days_after",
            )
        elif days is not None and days > 366:
            yield _at(
                where,
                "E503",
                f"{frequency}: days_after {days} is more than a year; expected at most 366",
                *path,
                "days_after",
            )


def reporting_calendar(ds: Dataset) -> Iterator[Problem]:
    """E501, E503–E506 and W706: the reporting calendar's rules give a due date after each
    period ends, for months and quarters, once per fiscal year and per period."""
    for where in ds.calendar_duplicates:
        first = ds.calendar_where
        assert first is not None
        yield _at(
            where,
            "E506",
            "a second reporting calendar (the first is at "
            f"{ds.shown(first.file)}:{ds.line_of(first)}); expected one",
        )
    calendar, where = ds.calendar, ds.calendar_where
    if calendar is None or where is None:
        return
    okr_years = {okr.fiscal_year for okr in ds.okrs.values()}
    unknown_years = ds.policies_unreadable or bool(ds.unverified_key_results)

    def no_okrs(year: int, *path: object) -> Iterator[Problem]:
        if year not in okr_years and not unknown_years:
            yield _at(
                where,
                "W706",
                f"FY {year} has no OKRs (years with OKRs: "
                f"{', '.join(map(str, sorted(okr_years))) or 'none'}); nothing is due in it",
                *path,
            )

    yield from _due_rules(ds, where, calendar.due, "due")
    years: dict[int, int] = {}
    for i, year in enumerate(calendar.years):
        try:
            check_fiscal_year(year.fiscal_year)
        except PeriodError as exc:
            yield _at(where, "E501", str(exc), "years", i, "fiscal_year")
            continue
        if year.fiscal_year in years:
            yield _at(
                where,
                "E506",
                f"FY {year.fiscal_year} given twice under years (first as entry "
                f"{years[year.fiscal_year] + 1}); expected one entry per year",
                "years",
                i,
                "fiscal_year",
            )
        years.setdefault(year.fiscal_year, i)
        yield from _due_rules(ds, where, year.due, "years", i, "due")
        yield from no_okrs(year.fiscal_year, "years", i, "fiscal_year")
    periods: dict[Period, int] = {}
    for i, exception in enumerate(calendar.exceptions):
        try:
            period = parse_period(exception.period)
        except PeriodError as exc:
            yield _at(where, "E501", str(exc), "exceptions", i, "period")
            continue
        if period in periods:
            yield _at(
                where,
                "E506",
                f"period {period} given twice under exceptions (first as entry "
                f"{periods[period] + 1}); expected one exception per period",
                "exceptions",
                i,
                "period",
            )
        periods.setdefault(period, i)
        if exception.due <= period.end:
            yield _at(
                where,
                "E504",
                f"due {exception.due.isoformat()} for {period}, which ends on "
                f"{period.end.isoformat()}; expected a day after the period ends",
                "exceptions",
                i,
                "due",
            )
        yield from no_okrs(period.fiscal_year, "exceptions", i, "period")


RULES: list[Rule] = [
    duplicate_ids,
    agency_references,
    policy_references,
    host_and_supporters,
    targets_and_allocations,
    edition_references,
    previous_edition_earlier,
    editions_first_years,
    dimensions_in_edition,
    okr_years_in_edition,
    continues_previous_edition,
    reporting_calendar,
    report_values,
    warnings,
]


def check(ds: Dataset) -> list[Problem]:
    """Run every rule over the dataset; return the problems (lines not yet resolved).

    While a data file does not load, what it defines is unknown: references to the ids written
    in it are not reported (``_missing``, ``value_problems``), everything else is.
    """
    out: list[Problem] = []
    for rule in RULES:
        out.extend(rule(ds))
    return out
