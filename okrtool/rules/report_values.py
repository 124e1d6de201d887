"""Rules on report values (E502, E601–E604): every reported value fits the plan."""

from __future__ import annotations

import math
from collections.abc import Iterator

from okrtool.dataset import Dataset
from okrtool.fiscal import Period
from okrtool.model import KeyResult, ReportValue
from okrtool.problems import Problem
from okrtool.rules.common import check_amount, missing, num, unknown_id


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
        if missing(ds, agency, ds.agencies):
            msg, hint = unknown_id("agency", agency, ds.agencies)
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
        if rv.agency not in agencies and missing(ds, rv.agency, agencies):
            continue  # the file's name is reported (report_file_names)
        plan = plans.get(kr_id)
        if plan is None and kr_id in krs:
            kr = krs[kr_id]
            year = ds.okrs[ds.kr_okr[kr_id]].fiscal_year
            high = 100.0 if kr.is_percent else math.inf
            plan = plans[kr_id] = (kr, year, ds.allocations(kr_id), high)
        if plan is None and not _unchecked(ds, kr_id):
            msg, hint = unknown_id("key result", kr_id, [*krs, *ds.unverified_key_results])
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
            bad = check_amount(plan[0], rv.value, "value")
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
                    f"is {num(rv.value)} {unit}, below {num(highest.value)} for "
                    f"{highest.period} ({_place(highest, rv)}): looks like {this} amount, "
                    "not the running total",
                    hint=f"type the total so far ({num(highest.value)} plus {this} "
                    f"amount); if {num(highest.value)} for {highest.period} is what is wrong, "
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
