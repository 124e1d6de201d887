"""The reporting calendar: when a period's report is due, and how many days it is overdue.

The one home of both definitions (docs/definitions.md, "Due and overdue"). The rules are data,
in ``data/agencies/calendar.yaml`` (``ReportingCalendar``): a rule per reporting frequency, a
fiscal year's own rules in place of those, and named exceptions (a holiday moving a due date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from okrtool.fiscal import Period, PeriodError, fiscal_year_bounds, parse_period
from okrtool.model import FREQUENCY, LAST_SAFE_DAY, DueRule, ReportingCalendar


@dataclass(frozen=True)
class Due:
    """The due date of one period's report and the rule it comes from, in words for the tables
    (``5th of the next month``, ``Songkran``)."""

    period: str
    date: date
    rule_th: str
    rule_en: str

    def rule(self, lang: str) -> str:
        return self.rule_th if lang == "th" else self.rule_en


def rule_words(rule: DueRule) -> tuple[str, str]:
    """A due rule in Thai and English: ``วันที่ 5 ของเดือนถัดไป`` / ``the 5th of the next month``."""
    if rule.day_of_next_month is not None:
        n = rule.day_of_next_month
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"วันที่ {n} ของเดือนถัดไป", f"the {n}{suffix} of the next month"
    days = rule.days_after or 0
    return (
        f"{days} วันหลังสิ้นงวด",
        f"{days} day{'s' if days != 1 else ''} after the period ends",
    )


def rule_for(calendar: ReportingCalendar, period: Period) -> DueRule | None:
    """The due rule of ``period``: its fiscal year's own, else the calendar's; None if the
    calendar names none for the period's frequency."""
    frequency = FREQUENCY[period.kind]
    for year in calendar.years:
        if year.fiscal_year == period.fiscal_year and frequency in year.due:
            return year.due[frequency]
    return calendar.due.get(frequency)


def apply_rule(rule: DueRule, period: Period) -> date | None:
    """The date ``rule`` makes due for ``period``; None for a rule that gives none (E503)."""
    if rule.day_of_next_month is not None and rule.days_after is None:
        if not 1 <= rule.day_of_next_month <= LAST_SAFE_DAY:
            return None
        after = period.end + timedelta(days=1)
        return after.replace(day=rule.day_of_next_month)
    if rule.days_after is not None and rule.day_of_next_month is None:
        return period.end + timedelta(days=rule.days_after)
    return None


def due_date(calendar: ReportingCalendar | None, period: Period) -> Due | None:
    """When the report of ``period`` is due: a named exception for the period, else the rule
    for its frequency (its fiscal year's own first); None without a calendar or a rule."""
    if calendar is None:
        return None
    for exception in calendar.exceptions:
        if _same_period(exception.period, period):
            base_th, base_en = "ตามประกาศ", "set by SED"
            return Due(
                str(period),
                exception.due,
                exception.reason_th or exception.reason_en or base_th,
                exception.reason_en or exception.reason_th or base_en,
            )
    rule = rule_for(calendar, period)
    when = apply_rule(rule, period) if rule is not None else None
    if rule is None or when is None:
        return None
    th, en = rule_words(rule)
    return Due(str(period), when, th, en)


def binding_due(calendar: ReportingCalendar | None, fiscal_year: int) -> Due | None:
    """When R agencies must have bound their OKRs for ``fiscal_year`` (the workshop's due date):
    the year's own date, else so many days after the year starts on 1 October; None without a
    calendar or a ``binding`` rule."""
    rule = calendar.binding if calendar is not None else None
    if rule is None:
        return None
    start, _ = fiscal_year_bounds(fiscal_year)
    own = rule.years.get(fiscal_year)
    if own is not None:
        return Due(f"FY{fiscal_year}", own, "ตามประกาศ", "set by SED")
    days = rule.days_after_year_start
    return Due(
        f"FY{fiscal_year}",
        start + timedelta(days=days),
        f"{days} วันหลังเริ่มปีงบประมาณ",
        f"{days} day{'s' if days != 1 else ''} after the fiscal year starts",
    )


def _same_period(text: str, period: Period) -> bool:
    try:
        return parse_period(text) == period
    except PeriodError:
        return False


def days_overdue(due: Due | None, as_of: date) -> int | None:
    """Days from the due date to the as-of day, 0 when not yet due (the due day itself is not
    late); None without a due date. For a report not in: "overdue" is a positive count."""
    if due is None:
        return None
    return max(0, (as_of - due.date).days)


def days_to_go(due: Due | None, as_of: date) -> int | None:
    """Days left until the due date (0 on the day or after it); None without a due date."""
    if due is None:
        return None
    return max(0, (due.date - as_of).days)


__all__ = [
    "FREQUENCY",
    "LAST_SAFE_DAY",
    "Due",
    "apply_rule",
    "binding_due",
    "days_overdue",
    "days_to_go",
    "due_date",
    "rule_for",
    "rule_words",
]
