"""Reading what people type: numbers and periods as officers write them into a spreadsheet."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from okrtool.typed import TypedError, is_not_reported, number, period_of, plain

NUMBER_EXPECTED = "a number (like 1234, 1,234.5, ๑๒๓๔ or 57.05%)"


@pytest.mark.parametrize(
    ("typed", "value", "percent"),
    [
        (1234, 1234.0, False),
        (991.5, 991.5, False),
        ("1234", 1234.0, False),
        ("1,234", 1234.0, False),
        ("1,234,567.25", 1234567.25, False),
        ("๑๒๓๔", 1234.0, False),
        ("๑,๒๓๔.๕", 1234.5, False),
        (" 42 ", 42.0, False),
        ("\u00a012\u00a0345\u00a0", 12345.0, False),  # non-breaking spaces, also as separator
        ("\u200b7", 7.0, False),  # a zero-width space pasted from the web
        ("57.05%", 57.05, True),
        ("57.05 %", 57.05, True),
        ("๕๗%", 57.0, True),
        (".5", 0.5, False),
        ("5.", 5.0, False),
        ("+3", 3.0, False),
        ("-3", -3.0, False),
        ("\u22123", -3.0, False),  # a typographic minus
        (3.0000000000000004, 3.0, False),  # floating-point noise of a formula
    ],
)
def test_numbers_as_people_type_them(typed: object, value: float, percent: bool) -> None:
    assert number(typed) == (value, percent)


def test_a_cell_formatted_as_percent_holds_a_fraction_and_reads_as_its_percentage() -> None:
    assert number(0.5705, "0.00%") == (57.05, True)
    assert number(1, "0%") == (100.0, True)
    assert number(0.5705, '0.00"%"') == (0.5705, False)  # a literal % sign is not a percentage


def test_a_unit_after_the_number_is_allowed_when_it_is_the_key_results_unit() -> None:
    assert number("4,377 ต้น", units=("trees", "ต้น")) == (4377.0, False)
    assert number("12 trees", units=("trees", "ต้น")) == (12.0, False)
    with pytest.raises(TypedError):
        number("12 parks", units=("trees", "ต้น"))


@pytest.mark.parametrize(
    ("typed", "found", "expected"),
    [
        ("abc", "'abc'", NUMBER_EXPECTED),
        ("12,34", "'12,34'", NUMBER_EXPECTED),  # a decimal comma, or a mistyped separator
        ("1.234,5", "'1.234,5'", NUMBER_EXPECTED),
        ("1,2345", "'1,2345'", NUMBER_EXPECTED),
        ("12 34", "'12 34'", NUMBER_EXPECTED),
        (True, "TRUE", NUMBER_EXPECTED),
        ("#DIV/0!", "the Excel error #DIV/0!", "a number: fix the formula or type the number"),
        (
            datetime(2024, 1, 2),
            "the date 2024-01-02",
            "a number; Excel turned what was typed into a date: format the cell as Number and "
            "type the number again",
        ),
    ],
)
def test_what_is_not_a_number_says_what_was_found_and_expected(
    typed: object, found: str, expected: str
) -> None:
    with pytest.raises(TypedError) as info:
        number(typed)
    assert (info.value.found, info.value.expected) == (found, expected)
    assert str(info.value) == f"found {found}, expected {expected}"


@pytest.mark.parametrize("typed", [None, "", "   ", "\u00a0", "-", "–", "—", "--"])
def test_blank_and_dashes_are_not_reported(typed: object) -> None:
    assert is_not_reported(typed)


@pytest.mark.parametrize("typed", [0, "0", "๐", "x"])
def test_zero_is_a_report(typed: object) -> None:
    assert not is_not_reported(typed)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("2567-06", "2567-06"),
        ("FY2567-Q3", "FY2567-Q3"),
        ("มิ.ย. 67", "2567-06"),
        ("มิ.ย.67", "2567-06"),
        ("มิย 2567", "2567-06"),
        ("มิถุนายน 2567", "2567-06"),
        ("เดือนมิถุนายน ๒๕๖๗", "2567-06"),
        ("มิ.ย. พ.ศ. 2567", "2567-06"),
        ("1 มิ.ย. 2567", "2567-06"),
        ("ต.ค. 66", "2566-10"),
        ("June 2024", "2567-06"),
        ("jun 2024", "2567-06"),
        ("Jun-24", "2567-06"),
        ("Sept. 2024", "2567-09"),
        ("June 2567", "2567-06"),
        ("06/2567", "2567-06"),
        ("6/2567", "2567-06"),
        ("๐๖/๒๕๖๗", "2567-06"),
        ("6/67", "2567-06"),
        ("30/6/2567", "2567-06"),
        ("30/06/2024", "2567-06"),
        ("2024-06", "2567-06"),
        ("2024-06-30", "2567-06"),
        ("2567/06", "2567-06"),
        ("Q3/2567", "FY2567-Q3"),
        ("q3 fy2024", "FY2567-Q3"),
        ("FY2024 Q3", "FY2567-Q3"),
        ("ไตรมาส 3/2567", "FY2567-Q3"),
        ("ไตรมาสที่ 3 ปีงบประมาณ 2567", "FY2567-Q3"),
        ("ไตรมาส ๓ ปีงบ ๖๗", "FY2567-Q3"),
    ],
)
def test_periods_in_be_and_ce_thai_and_english(typed: str, canonical: str) -> None:
    assert str(period_of(typed)) == canonical


def test_a_date_cell_is_its_month_whether_its_year_is_be_or_ce() -> None:
    assert str(period_of(datetime(2024, 6, 15))) == "2567-06"
    assert str(period_of(date(2567, 6, 1))) == "2567-06"  # a BE year typed into a date cell


def test_a_quarter_without_its_year_takes_the_fiscal_year_given() -> None:
    assert str(period_of("ไตรมาส 2", 2567)) == "FY2567-Q2"
    with pytest.raises(TypedError) as info:
        period_of("Q2")
    assert "a quarter needs its fiscal year" in str(info.value)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("Smarch 2024", ""),
        ("13/2567", " (month 13 is not 01–12)"),
        ("6/30/2024", " (month 30 is not 01–12)"),  # month-first is not how Thai dates are typed
        ("Q5/2567", ""),
        (2567, ""),
    ],
)
def test_what_is_not_a_period_says_what_is_expected(typed: object, why: str) -> None:
    with pytest.raises(TypedError) as info:
        period_of(typed)
    assert info.value.expected == (
        "a month like 2567-06, มิ.ย. 67, มิถุนายน 2567, June 2024 or 06/2567, "
        "or a fiscal quarter like FY2567-Q3 or ไตรมาส 3/2567" + why
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4377.0, "4377"),
        (991.5, "991.5"),
        (1e-7, "0.0000001"),
        (2e20, "200000000000000000000"),
        (57.050000000000004, "57.05"),
        (-0.0, "0"),
        (-5.0, "-5"),
    ],
)
def test_values_are_written_as_plain_decimals(value: float, text: str) -> None:
    assert plain(value) == text
