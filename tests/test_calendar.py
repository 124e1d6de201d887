"""The reporting calendar: due dates from data/agencies/calendar.yaml, and validate's rules for it."""

from __future__ import annotations

from contextlib import chdir
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from okrtool.fiscal import parse_period
from okrtool.io.loaddata import load_dataset
from okrtool.progress import days_overdue, due_date

from helpers import SHIPPED, copy_dataset, line_of, run

CALENDAR = "agencies/calendar.yaml"
GOOD = """\
calendar:
  contact:
    name_th: สำนักยุทธศาสตร์และประเมินผล
    name_en: Strategy and Evaluation Department
    phone: "0 2000 0000"
    email: sed@example.org
  due:
    monthly: {day_of_next_month: 5}
    quarterly: {days_after: 10}
  years:
    - fiscal_year: 2567
      due:
        quarterly: {days_after: 15}
  exceptions:
    - period: 2567-03
      due: 2024-04-17
      reason_th: วันหยุดสงกรานต์
      reason_en: Songkran holidays
"""


def with_calendar(tmp_path: Path, text: str) -> Path:
    root = copy_dataset(tmp_path)
    (root / CALENDAR).write_text(text, encoding="utf-8")
    return root


def validate(root: Path) -> tuple[int, list[str]]:
    with chdir(root):
        code, out = run("validate", ".")
    return code, [line for line in out.splitlines() if ": E" in line or ": W" in line]


def test_shipped_calendar_gives_the_issue_due_dates() -> None:
    ds, problems = load_dataset(SHIPPED, reports=False)
    assert not [p for p in problems if p.code.startswith("E")]
    may = due_date(ds.calendar, parse_period("2567-05"))
    q3 = due_date(ds.calendar, parse_period("FY2567-Q3"))
    september = due_date(ds.calendar, parse_period("2567-09"))
    assert may is not None and may.date == date(2024, 6, 5)
    assert may.rule_en == "the 5th of the next month"
    assert may.rule_th == "วันที่ 5 ของเดือนถัดไป"
    assert q3 is not None and q3.date == date(2024, 7, 10)
    assert q3.rule_en == "10 days after the period ends"
    assert september is not None and september.date == date(2024, 10, 5)


def test_days_overdue_count_from_the_day_after_the_due_date() -> None:
    ds, _ = load_dataset(SHIPPED, reports=False)
    june = due_date(ds.calendar, parse_period("2567-06"))  # due 5 Jul 2024
    assert days_overdue(june, date(2024, 7, 4)) == 0
    assert days_overdue(june, date(2024, 7, 5)) == 0
    assert days_overdue(june, date(2024, 7, 6)) == 1
    assert days_overdue(june, date(2024, 7, 31)) == 26
    assert days_overdue(None, date(2024, 7, 31)) is None


def test_a_year_of_its_own_and_a_named_exception_come_first(tmp_path: Path) -> None:
    root = with_calendar(tmp_path, GOOD)
    assert validate(root) == (0, [])
    ds, _ = load_dataset(root, reports=False)
    q3 = due_date(ds.calendar, parse_period("FY2567-Q3"))
    assert q3 is not None and (q3.date, q3.rule_en) == (
        date(2024, 7, 15),
        "15 days after the period ends",
    )
    march = due_date(ds.calendar, parse_period("2567-03"))
    assert march is not None and (march.date, march.rule_th, march.rule_en) == (
        date(2024, 4, 17),
        "วันหยุดสงกรานต์",
        "Songkran holidays",
    )
    # the year's own rule names quarters only: its months keep the calendar's rule
    april = due_date(ds.calendar, parse_period("2567-04"))
    assert april is not None and april.date == date(2024, 5, 5)
    # another year keeps the calendar's quarterly rule
    q1 = due_date(ds.calendar, parse_period("FY2568-Q1"))
    assert q1 is not None and q1.date == date(2025, 1, 10)


def test_without_a_calendar_nothing_is_due(tmp_path: Path) -> None:
    ds, _ = load_dataset(copy_dataset(tmp_path), reports=False)
    assert ds.calendar is None
    assert due_date(ds.calendar, parse_period("2567-05")) is None


@pytest.mark.parametrize(
    ("old", "new", "needle", "code", "message"),
    [
        (
            "monthly: {day_of_next_month: 5}",
            "monthly: {day_of_next_month: 31}",
            "day_of_next_month: 31",
            "E503",
            "monthly: day_of_next_month 31 is not a day of every month; expected 1 to 28",
        ),
        (
            "monthly: {day_of_next_month: 5}",
            "monthly: {day_of_next_month: 5, days_after: 3}",
            "{day_of_next_month: 5, days_after: 3}",
            "E503",
            "monthly: found both of day_of_next_month and days_after; expected exactly one",
        ),
        (
            "quarterly: {days_after: 10}",
            "quarterly: {days_after: 0}",
            "days_after: 0",
            "E504",
            "quarterly: days_after 0 makes the report due on or before the period's last "
            "day; expected 1 or more",
        ),
        (
            "due: 2024-04-17",
            "due: 2024-03-31",
            "due: 2024-03-31",
            "E504",
            "due 2024-03-31 for 2567-03, which ends on 2024-03-31; expected a day after the "
            "period ends",
        ),
        (
            "quarterly: {days_after: 10}",
            "quartely: {days_after: 10}",
            "quartely",
            "E505",
            "unknown reporting frequency 'quartely'; expected one of monthly, quarterly "
            "(periods are months or quarters)",
        ),
        (
            "    - period: 2567-03",
            "    - period: 2567-13",
            "period: 2567-13",
            "E501",
            "month 13 is not 01–12",
        ),
        (
            "    - fiscal_year: 2567\n",
            "    - fiscal_year: 2566\n",
            "fiscal_year: 2566",
            "W706",
            "FY 2566 has no OKRs (years with OKRs: 2567); nothing is due in it",
        ),
    ],
)
def test_a_broken_calendar_is_reported_at_its_line(
    tmp_path: Path, old: str, new: str, needle: str, code: str, message: str
) -> None:
    expected = f"{code} {message}"
    assert old in GOOD
    root = with_calendar(tmp_path, GOOD.replace(old, new))
    exit_code, lines = validate(root)
    line = line_of(root / CALENDAR, needle)
    text = (root / CALENDAR).read_text(encoding="utf-8").splitlines()[line - 1]
    # at the value, but an unknown frequency at its key
    if expected.startswith("E505"):
        at = needle.split(":")[0]
    else:
        at = needle if needle.startswith("{") else needle.split(": ", 1)[-1]
    column = text.index(at, text.index(needle)) + 1
    assert lines == [f"{CALENDAR}:{line}:{column}: {expected}"]
    assert exit_code == (0 if code.startswith("W") else 1)


def test_the_same_year_or_period_twice_and_a_second_calendar(tmp_path: Path) -> None:
    text = GOOD.replace(
        "  exceptions:\n",
        "    - fiscal_year: 2567\n      due:\n        monthly: {day_of_next_month: 6}\n"
        "  exceptions:\n    - period: 2567-03\n      due: 2024-04-18\n",
    )
    root = with_calendar(tmp_path, text)
    (root / "agencies/later.yaml").write_text(
        "calendar:\n  due:\n    monthly: {day_of_next_month: 7}\n", encoding="utf-8"
    )
    code, lines = validate(root)
    year = line_of(root / CALENDAR, "fiscal_year: 2567", 2)
    period = line_of(root / CALENDAR, "period: 2567-03", 2)
    assert code == 1
    assert lines == [
        f"{CALENDAR}:{year}:20: E506 FY 2567 given twice under years (first as entry 1); "
        "expected one entry per year",
        f"{CALENDAR}:{period}:15: E506 period 2567-03 given twice under exceptions (first as "
        "entry 1); expected one exception per period",
        "agencies/later.yaml:2:3: E506 a second reporting calendar (the first is at "
        "agencies/calendar.yaml:2); expected one",
    ]


# --- the report template ------------------------------------------------------------------------


def test_the_template_prints_the_due_date_and_the_contact_and_still_imports(
    tmp_path: Path,
) -> None:
    from xlsx_helpers import fill_template, import_

    root = with_calendar(tmp_path, GOOD)
    out = tmp_path / "br.xlsx"
    code, output = run(
        "report-template", "--data", str(root), "-a", "bang-rak", "-p", "2567-07", "-o", str(out)
    )
    assert code == 0, output
    wb = openpyxl.load_workbook(out)
    due = (
        "กำหนดส่ง / Due: 5 ส.ค. 2567 / 5 Aug 2024   ·   ติดต่อ / Contact: "
        "สำนักยุทธศาสตร์และประเมินผล / Strategy and Evaluation Department — "
        "โทร / phone 0 2000 0000, sed@example.org"
    )
    assert wb["Report"]["A4"].value == due
    assert [c.value for c in wb["Instructions"]["A"]][-2:] == due.split("   ·   ")
    # the line above the table is not read as the agency or the period: the import goes through
    filled = fill_template(out, {"trees-planted": 40})
    code, output = import_(root, str(filled))
    assert code == 0, output
    assert "Merged 1 of 1 file: 1 added, 0 changed, 0 unchanged." in output
    assert "trees-planted,2567-07,40,import," in (root / "reports/2567/bang-rak.csv").read_text(
        encoding="utf-8"
    )


def test_a_quarterly_row_names_each_period_s_due_date(tmp_path: Path) -> None:
    root = with_calendar(tmp_path, GOOD)
    # bang-rak reports canals-dredged by quarter from now on: its row asks for FY2567-Q4
    csv = root / "reports/2567/bang-rak.csv"
    csv.write_text(
        csv.read_text(encoding="utf-8").replace(
            "canals-dredged,2567-06,5,manual", "canals-dredged,FY2567-Q3,5,manual"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "br.xlsx"
    code, output = run(
        "report-template", "--data", str(root), "-a", "bang-rak", "-p", "2567-07", "-o", str(out)
    )
    assert code == 0, output
    assert openpyxl.load_workbook(out)["Report"]["A4"].value.split("   ·   ")[0] == (
        "กำหนดส่ง / Due: 5 ส.ค. 2567 / 5 Aug 2024 (2567-07); 15 ต.ค. 2567 / 15 Oct 2024 (FY2567-Q4)"
    )


def test_without_a_calendar_the_template_has_no_due_line(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    out = tmp_path / "br.xlsx"
    code, _ = run(
        "report-template", "--data", str(root), "-a", "bang-rak", "-p", "2567-07", "-o", str(out)
    )
    assert code == 0
    assert openpyxl.load_workbook(out)["Report"]["A4"].value is None


# --- okrtool missing ----------------------------------------------------------------------------


def _missing_json(root: Path, *args: str) -> dict:
    import json

    code, out = run("missing", "-d", str(root), "-f", "json", *args)
    assert code == 0, out
    return json.loads(out)


def test_shipped_missing_items_carry_due_date_and_days_overdue() -> None:
    doc = _missing_json(
        SHIPPED, "--period", "2567-06", "--policy", "infra-canals", "--as-of", "2024-07-20"
    )
    assert doc["header"]["calendar"] is True
    assert (doc["header"]["no_report"], doc["header"]["overdue"]) == (81, 81)
    assert {(i["owed"], i["due"], i["days_overdue"], i["due_in_days"]) for i in doc["items"]} == {
        ("2567-06", "2024-07-05", 15, 0)
    }
    # on the due day itself nothing is overdue yet, and the days to go say so
    doc = _missing_json(
        SHIPPED, "--period", "2567-06", "--policy", "infra-canals", "--as-of", "2024-07-03"
    )
    assert doc["header"]["overdue"] == 0
    assert {(i["days_overdue"], i["due_in_days"]) for i in doc["items"]} == {(0, 2)}
    code, out = run(
        "missing", "-d", str(SHIPPED), "--period", "2567-06", "--policy", "infra-canals-dredged",
        "--as-of", "2024-07-04", "--lang", "en", "--width", "100",
    )  # fmt: skip
    assert code == 0
    assert "│ Due: 5 Jul 2024 · due in 1 day" in out
    code, out = run(
        "missing", "-d", str(SHIPPED), "--period", "2567-06", "--policy", "infra-canals-dredged",
        "--as-of", "2024-07-06", "--width", "100",
    )  # fmt: skip
    assert "│ กำหนดส่ง: 5 ก.ค. 2567 · เกินกำหนด 1 วัน" in out


def test_most_days_overdue_first_then_most_overdue_reports(tmp_path: Path) -> None:
    # quarters due the day after they end: a quarterly reporter's FY2567-Q3 is 7 days overdue on
    # 8 July, a monthly reporter's June 3 days
    root = with_calendar(
        tmp_path, GOOD.replace("quarterly: {days_after: 15}", "quarterly: {days_after: 1}")
    )
    reports = root / "reports/2567"
    with open(reports / "bang-rak.csv", "a", encoding="utf-8") as f:
        f.write("trees-perennial,FY2567-Q2,10,manual,,,,,\n")
    doc = _missing_json(root, "--period", "2567-06", "--as-of", "2024-07-08")
    # Bang Rak's one report is 7 days overdue, Pathum Wan's four 3 days: Bang Rak first
    assert [(i["agency"], i["key_result"], i["owed"], i["days_overdue"]) for i in doc["items"]] == [
        ("bang-rak", "trees-perennial", "FY2567-Q3", 7),
        ("pathum-wan", "trees-planted", "2567-06", 3),
        ("pathum-wan", "trees-perennial", "2567-06", 3),
        ("pathum-wan", "trees-waste-collected", "2567-06", 3),
        ("pathum-wan", "canals-dredged", "2567-06", 3),
        # an agency that owes only a project report comes after every agency that owes values
        ("env", "trees-planted", "2567-06", 3),
    ]
    # both 7 days at most: the one with more overdue reports first; within it, most days first
    with open(reports / "pathum-wan.csv", "a", encoding="utf-8") as f:
        f.write("canals-dredged,FY2567-Q2,1,manual,,,,,\n")
    doc = _missing_json(root, "--period", "2567-06", "--as-of", "2024-07-08")
    assert [(i["agency"], i["key_result"], i["owed"], i["days_overdue"]) for i in doc["items"]] == [
        ("pathum-wan", "canals-dredged", "FY2567-Q3", 7),
        ("pathum-wan", "trees-planted", "2567-06", 3),
        ("pathum-wan", "trees-perennial", "2567-06", 3),
        ("pathum-wan", "trees-waste-collected", "2567-06", 3),
        ("bang-rak", "trees-perennial", "FY2567-Q3", 7),
        ("env", "trees-planted", "2567-06", 3),
    ]
    _, out = run(
        "missing", "-d", str(root), "--period", "2567-06", "--as-of", "2024-07-08", "--lang",
        "en", "-f", "markdown",
    )  # fmt: skip
    assert (
        "| Bang Rak (1) | Southern Bangkok | no report for 2567-06: Perennial trees (last "
        "reported FY2567-Q2) | Environment Department | 1 Jul 2024 (FY2567-Q3) · 7 days overdue |"
    ) in out.splitlines()


def test_without_a_calendar_missing_says_why_it_shows_no_due_dates(tmp_path: Path) -> None:
    code, out = run(
        "missing", "-d", str(copy_dataset(tmp_path)), "--period", "2567-06", "--as-of",
        "2024-07-20", "--lang", "en", "--width", "100",
    )  # fmt: skip
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("note:")] == [
        "note: no reporting calendar (data/agencies/calendar.yaml), so no due dates or days overdue"
    ]
    assert "Due:" not in out
