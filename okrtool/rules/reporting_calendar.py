"""Rules on the reporting calendar (E501, E503–E506, W706): due dates after each period."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from okrtool.dataset import Dataset, Where
from okrtool.fiscal import Period, PeriodError, check_fiscal_year, parse_period
from okrtool.io.load import Locator
from okrtool.model import FREQUENCY, LAST_SAFE_DAY, DueRule
from okrtool.problems import Problem
from okrtool.rules.common import problem_at


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
            yield problem_at(
                where,
                "E503",
                f"{frequency}: found {found} of day_of_next_month and days_after; expected "
                "exactly one",
                *path,
            )
        elif day is not None and not 1 <= day <= LAST_SAFE_DAY:
            yield problem_at(
                where,
                "E503",
                f"{frequency}: day_of_next_month {day} is not a day of every month; expected "
                f"1 to {LAST_SAFE_DAY}",
                *path,
                "day_of_next_month",
                hint="February has 28 days; name an exception for a month whose due day moves",
            )
        elif days is not None and days < 1:
            yield problem_at(
                where,
                "E504",
                f"{frequency}: days_after {days} makes the report due on or before the "
                "period's last day; expected 1 or more",
                *path,
                "days_after",
            )
        elif days is not None and days > 366:
            yield problem_at(
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
        yield problem_at(
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
            yield problem_at(
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
            yield problem_at(where, "E501", str(exc), "years", i, "fiscal_year")
            continue
        if year.fiscal_year in years:
            yield problem_at(
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
            yield problem_at(where, "E501", str(exc), "exceptions", i, "period")
            continue
        if period in periods:
            yield problem_at(
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
            yield problem_at(
                where,
                "E504",
                f"due {exception.due.isoformat()} for {period}, which ends on "
                f"{period.end.isoformat()}; expected a day after the period ends",
                "exceptions",
                i,
                "due",
            )
        yield from no_okrs(period.fiscal_year, "exceptions", i, "period")
