"""The Thai fiscal year and the period grammar."""

from __future__ import annotations

from datetime import date

import pytest

from okrtool.fiscal import (
    PeriodError,
    check_fiscal_year,
    elapsed_fraction,
    fiscal_year_bounds,
    fiscal_year_of,
    parse_period,
)


def test_fiscal_year_2567_runs_october_2023_to_september_2024() -> None:
    assert fiscal_year_bounds(2567) == (date(2023, 10, 1), date(2024, 9, 30))
    assert fiscal_year_of(date(2023, 9, 30)) == 2566
    assert fiscal_year_of(date(2023, 10, 1)) == 2567
    assert fiscal_year_of(date(2024, 9, 30)) == 2567


@pytest.mark.parametrize(
    ("text", "start", "end", "fy"),
    [
        ("2567-06", date(2024, 6, 1), date(2024, 6, 30), 2567),
        ("2566-10", date(2023, 10, 1), date(2023, 10, 31), 2567),
        ("2567-02", date(2024, 2, 1), date(2024, 2, 29), 2567),
        ("FY2567-Q1", date(2023, 10, 1), date(2023, 12, 31), 2567),
        ("FY2567-Q3", date(2024, 4, 1), date(2024, 6, 30), 2567),
        ("FY2567-Q4", date(2024, 7, 1), date(2024, 9, 30), 2567),
    ],
)
def test_periods_parse_to_their_days_and_back(text: str, start: date, end: date, fy: int) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.fiscal_year) == (start, end, fy)
    assert str(period) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-06", "period '2024-06' has a CE year; periods are BE, did you mean '2567-06'?"),
        ("2567-13", "month 13 is not 01–12"),
        (
            "FY2567-Q5",
            "period 'FY2567-Q5' is not a period; expected a BE month like '2567-06' or a fiscal quarter like 'FY2567-Q3'",
        ),
        (
            "มิ.ย. 67",
            "period 'มิ.ย. 67' is not a period; expected a BE month like '2567-06' or a fiscal quarter like 'FY2567-Q3'",
        ),
    ],
)
def test_bad_periods_say_what_is_expected(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    assert str(err.value) == message


def test_ce_fiscal_year_gets_a_hint() -> None:
    with pytest.raises(PeriodError, match="did you mean 2567"):
        check_fiscal_year(2024)


@pytest.mark.parametrize(
    ("day", "fraction"),
    [
        (date(2023, 9, 1), 0.0),
        (date(2023, 10, 1), 1 / 366),
        (date(2024, 3, 31), 183 / 366),
        (date(2024, 9, 30), 1.0),
        (date(2025, 1, 1), 1.0),
    ],
)
def test_elapsed_fraction_of_the_fiscal_year(day: date, fraction: float) -> None:
    assert elapsed_fraction(2567, day) == pytest.approx(fraction)
