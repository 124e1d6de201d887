"""The Thai fiscal year (1 October – 30 September, named by its Buddhist Era year) and periods.

This module is the one home of the period grammar used in the data files:

- ``2567-06``   a calendar month, BE year and month (June BE 2567 = June 2024), in FY 2567;
- ``FY2567-Q3`` a quarter of the fiscal year (Q1 = Oct–Dec, ..., Q3 = Apr–Jun).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import NamedTuple

BE_OFFSET = 543
#: Years below this are taken for CE years typed by mistake.
MIN_BE_YEAR = 2400
MAX_BE_YEAR = 2700

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_RE = re.compile(r"^FY(\d{4})-Q([1-4])$")

#: Thai month names, January first: in full, and abbreviated as written (มิ.ย. 67).
THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
THAI_MONTH_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip


def day_text(d: date, lang: str) -> str:
    """A date as people read it: ``30 Jun 2024``, or ``30 มิ.ย. 2567`` (Buddhist Era) in Thai."""
    if lang == "th":
        return f"{d.day} {THAI_MONTH_ABBR[d.month - 1]} {d.year + BE_OFFSET}"
    return f"{d.day} {d.strftime('%b')} {d.year}"


class PeriodError(ValueError):
    """A period or fiscal year off the grammar; the message says what is expected."""


def be_to_ce(year: int) -> int:
    """BE year → CE year."""
    return year - BE_OFFSET


def ce_to_be(year: int) -> int:
    """CE year → BE year."""
    return year + BE_OFFSET


def check_fiscal_year(year: int) -> int:
    """Return ``year`` if it is a plausible BE year, else raise PeriodError with a hint."""
    if MIN_BE_YEAR <= year <= MAX_BE_YEAR:
        return year
    if 1900 <= year < MIN_BE_YEAR:
        raise PeriodError(
            f"fiscal year {year} looks like a CE year; fiscal years are BE, "
            f"did you mean {ce_to_be(year)}?"
        )
    raise PeriodError(f"fiscal year {year} is not a BE year ({MIN_BE_YEAR}–{MAX_BE_YEAR})")


def fiscal_year_of(day: date) -> int:
    """The BE fiscal year that ``day`` falls in (October starts the next fiscal year)."""
    return ce_to_be(day.year + (1 if day.month >= 10 else 0))


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of fiscal year ``year`` (BE)."""
    ce = be_to_ce(year)
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def elapsed_fraction(year: int, as_of: date) -> float:
    """How much of fiscal year ``year`` has passed by the end of ``as_of``, from 0.0 to 1.0."""
    start, end = fiscal_year_bounds(year)
    if as_of < start:
        return 0.0
    if as_of >= end:
        return 1.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)


#: The first and last day okrtool can judge, those of the fiscal years JUDGED: FY 2400 itself
#: starts in October of BE 2399, a month no period of the grammar can name.
JUDGED = (MIN_BE_YEAR + 1, MAX_BE_YEAR)
FIRST_DAY = fiscal_year_bounds(JUDGED[0])[0]
LAST_DAY = fiscal_year_bounds(JUDGED[1])[1]


class Period(NamedTuple):
    """A reporting period: a month or a quarter of one fiscal year.

    A named tuple, not a dataclass: report rules hash millions of periods, and a tuple hashes
    in C (measured: the dataclass's Python-level __hash__ was 10 % of validate on 240,000 values).
    """

    fiscal_year: int
    start: date
    end: date
    kind: str  # "month" | "quarter"

    def __str__(self) -> str:
        text = _PERIOD_TEXTS.get(self)
        if text is None:  # a few hundred periods, each written out many thousand times
            if self.kind == "quarter":
                text = f"FY{self.fiscal_year}-Q{self.quarter}"
            else:
                text = f"{ce_to_be(self.start.year)}-{self.start.month:02d}"
            _PERIOD_TEXTS[self] = text
        return text

    @property
    def quarter(self) -> int:
        """Fiscal quarter 1–4 in which the period starts."""
        return fiscal_month_index(self.start) // 3 + 1

    @property
    def months(self) -> int:
        """How many months the period covers."""
        return 3 if self.kind == "quarter" else 1


#: Each period's text, made once (``Period.__str__``; measured: 0.9 µs a time, 60,000 times an
#: import of 50 workbooks)
_PERIOD_TEXTS: dict[Period, str] = {}


def fiscal_month_index(day: date) -> int:
    """0 for October, 1 for November, ..., 11 for September."""
    return (day.month - 10) % 12


def month(be_year: int, month_number: int) -> Period:
    """The period for calendar month ``month_number`` of BE year ``be_year``."""
    check_fiscal_year(be_year)
    if not 1 <= month_number <= 12:
        raise PeriodError(f"month {month_number} is not 01–12")
    ce = be_to_ce(be_year)
    last = calendar.monthrange(ce, month_number)[1]
    start = date(ce, month_number, 1)
    return Period(fiscal_year_of(start), start, date(ce, month_number, last), "month")


def quarter(fiscal_year: int, number: int) -> Period:
    """The period for quarter ``number`` (1–4) of fiscal year ``fiscal_year`` (BE)."""
    check_fiscal_year(fiscal_year)
    if not 1 <= number <= 4:
        raise PeriodError(f"quarter {number} is not 1–4")
    fy_start, _ = fiscal_year_bounds(fiscal_year)
    first_month = (fy_start.month - 1 + 3 * (number - 1)) % 12 + 1
    year = fy_start.year + (1 if first_month < 10 else 0)
    last_month = first_month + 2
    last = calendar.monthrange(year, last_month)[1]
    return Period(fiscal_year, date(year, first_month, 1), date(year, last_month, last), "quarter")


def parse_period(text: str) -> Period:
    """Parse the canonical period grammar (``2567-06`` or ``FY2567-Q3``); raise PeriodError."""
    text = text.strip()
    m = _MONTH_RE.match(text)
    if m:
        year, mon = int(m.group(1)), int(m.group(2))
        if year < MIN_BE_YEAR:
            raise PeriodError(
                f"period {text!r} has a CE year; periods are BE, did you mean "
                f"'{ce_to_be(year)}-{mon:02d}'?"
            )
        return month(year, mon)
    m = _QUARTER_RE.match(text)
    if m:
        return quarter(int(m.group(1)), int(m.group(2)))
    raise PeriodError(
        f"period {text!r} is not a period; expected a BE month like '2567-06' "
        "or a fiscal quarter like 'FY2567-Q3'"
    )
