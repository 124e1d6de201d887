"""`okrtool history`: a key result period by period on the shipped data, every period equal to
`status` as of its last day, in every format and both languages, and what it refuses."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from okrtool.progress import Query, history_report, open_dataset, status_report

from helpers import SHIPPED, run

JUNE = ("--as-of", "2024-06-30")
GENERATE = Path(__file__).resolve().parents[1] / "bench" / "generate.py"


def history(*args: str) -> tuple[int, str]:
    return run("history", "--data", str(SHIPPED), *args)


def as_json(*args: str) -> dict:
    code, out = history(*args, "--format", "json")
    assert code == 0, out
    return json.loads(out)


@pytest.fixture(scope="module")
def shipped():  # -> Dataset
    return open_dataset(SHIPPED)[0]


# --- the trees of the June 2024 meeting ----------------------------------------------------------


TREES = [
    # period, value, running, percent, expected, status
    ("FY2567-Q1", 61659, 61659, 30.8295, 50273.224044, "on-track"),
    ("FY2567-Q2", 75035, 136694, 68.347, 100000, "on-track"),
    ("FY2567-Q3", 82216, 218910, 109.455, 149726.775956, "done"),
    ("FY2567-Q4", None, None, None, 200000, None),
]


def test_trees_every_quarter_in_json() -> None:
    doc = as_json("env-trees-planted", *JUNE)
    got = [
        (r["period"], r["value"], r["actual"], r["percent"], r["expected"], r["status"])
        for r in doc["rows"]
    ]
    assert got == TREES
    assert [r["future"] for r in doc["rows"]] == [False, False, False, True]
    assert [r["reported"] for r in doc["rows"]] == [50, 50, 50, 0]
    h = doc["header"]
    assert (h["key_result"], h["actual"], h["target"], h["status"]) == (
        "env-trees-planted",
        218910,
        200000,
        "done",
    )
    assert (h["measure"], h["aggregate"], h["fiscal_year"]) == ("increment", "sum", 2567)


def test_trees_csv_carries_the_json_figures() -> None:
    code, out = history("env-trees-planted", *JUNE, "--format", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [
        (r["period"], r["value"], r["actual"], r["expected"], r["status"], r["future"])
        for r in rows
    ] == [
        ("FY2567-Q1", "61659", "61659", "50273.224044", "on-track", "false"),
        ("FY2567-Q2", "75035", "136694", "100000", "on-track", "false"),
        ("FY2567-Q3", "82216", "218910", "149726.775956", "done", "false"),
        ("FY2567-Q4", "", "", "200000", "", "true"),
    ]


def test_trees_table_ends_at_218_910_with_a_sparkline() -> None:
    code, out = history("env-trees-planted", *JUNE, "--lang", "en", "--width", "100")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[2] == "FY 2567, as of 30 Jun 2024: 218,910 of 200,000 trees (109.5 %), done"
    rows = [line for line in lines if line.startswith("│ Q")]
    assert rows == [
        "│ Q1 FY 2567 │   61,659 │   61,659 │  30.8 % │   50,273 │ on track │     50/50 │",
        "│ Q2 FY 2567 │   75,035 │  136,694 │  68.3 % │  100,000 │ on track │     50/50 │",
        "│ Q3 FY 2567 │   82,216 │  218,910 │ 109.5 % │  149,727 │ done     │     50/50 │",
        "│ Q4 FY 2567 │          │          │         │  200,000 │          │           │",
    ]
    at = lines.index("actual    ▃▅█")
    assert lines[at + 1] == "expected  ▃▄▆▇"
    assert lines[at + 2] == "after 30 Jun 2024: expected only"


def test_thai_table_names_periods_and_days_in_thai_and_aligns_the_sparkline() -> None:
    code, out = history("env-trees-planted", *JUNE, "--width", "100")
    assert code == 0, out
    assert "ปีงบประมาณ 2567 ณ วันที่ 30 มิ.ย. 2567: 218,910 จากเป้าหมาย 200,000 ต้น" in out
    assert "│ ไตรมาส 3/2567 │     82,216 │ 218,910 │ 109.5 % │" in out
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("ผลงาน "))
    # the labels take 5 and 5 cells (Thai vowels and tone marks take none): blocks line up
    assert lines[at] == "ผลงาน  ▃▅█"
    assert lines[at + 1] == "ควรได้  ▃▄▆▇"
    assert lines[at + 2] == "หลัง 30 มิ.ย. 2567: แสดงเฉพาะค่าที่ควรได้"


def test_months_of_a_monthly_key_result_keep_the_running_figure_between_reports() -> None:
    doc = as_json("env-parks-15min-opened", *JUNE)
    got = [(r["period"], r["value"], r["actual"], r["status"]) for r in doc["rows"]]
    assert got == [
        ("2566-10", None, None, "no-data"),
        ("2566-11", None, None, "no-data"),
        ("2566-12", None, None, "no-data"),
        ("2567-01", None, None, "no-data"),
        ("2567-02", 8, 8, "behind"),
        ("2567-03", None, 8, "behind"),
        ("2567-04", 36, 36, "behind"),
        ("2567-05", None, 36, "behind"),
        ("2567-06", 89, 89, "at-risk"),
        ("2567-07", None, None, None),
        ("2567-08", None, None, None),
        ("2567-09", None, None, None),
    ]


def test_markdown_has_the_table_and_the_sparkline() -> None:
    code, out = history("env-trees-planted", *JUNE, "--lang", "en", "--format", "markdown")
    assert code == 0, out
    assert "| Q3 FY 2567 | 82,216 | 218,910 | 109.5 % | 149,727 | done | 50/50 |" in out
    assert "```\nactual    ▃▅█\nexpected  ▃▄▆▇\n```" in out


# --- one agency, the districts ----------------------------------------------------------------


def test_agency_history_is_its_own_values_against_its_allocation() -> None:
    doc = as_json("env-trees-planted", *JUNE, "--agency", "bang-rak")
    got = [(r["period"], r["value"], r["actual"], r["expected"], r["status"]) for r in doc["rows"]]
    assert got == [
        ("FY2567-Q1", 731, 731, 583.169399, "on-track"),
        ("FY2567-Q2", 890, 1621, 1160, "on-track"),
        ("FY2567-Q3", 886, 2507, 1736.830601, "done"),
        ("FY2567-Q4", None, None, 2320, None),
    ]
    assert (doc["header"]["agency"], doc["header"]["target"]) == ("bang-rak", 2320)


def test_by_district_is_worst_first_with_each_trend() -> None:
    code, out = history("env-trees-planted", *JUNE, "--lang", "en", "--by", "district")
    assert code == 0, out
    rows = [line for line in out.splitlines() if line.startswith("│ ") and " % │" in line]
    assert len(rows) == 50
    assert rows[0].split("│")[1:8] == [
        " Yan Nawa             ",
        " South Bangkok   ",
        "  3,050 ",
        "  2,374 ",
        "  77.8 % ",
        " on track ",
        " ▃▄▆   ",
    ]
    doc = as_json("env-trees-planted", *JUNE, "--by", "district")
    first = doc["rows"][0]
    assert (first["agency"], first["running"]) == ("yan-nawa", [727, 1446, 2374, None])
    assert doc["header"]["trend_periods"] == ["FY2567-Q1", "FY2567-Q2", "FY2567-Q3", "FY2567-Q4"]
    percents = [r["percent"] for r in doc["rows"]]
    assert percents == sorted(percents)


# --- what it refuses, what it says when there is nothing -----------------------------------------


def test_unknown_key_result_exits_2_naming_the_closest() -> None:
    code, out = history("env-tres-planted", *JUNE)
    assert code == 2
    assert (
        "okrtool: unknown key result 'env-tres-planted'; did you mean 'env-trees-planted'?" in out
    )


def test_agency_without_an_allocation_exits_2() -> None:
    code, out = history("env-trees-planted", *JUNE, "--agency", "health")
    assert code == 2
    assert "agency 'health' has no allocation on key result 'env-trees-planted'" in out


@pytest.mark.parametrize(
    ("extra", "other"), [(("--agency", "bang-rak"), "--agency"), (("--years", "2"), "--years")]
)
def test_by_district_does_not_go_with_agency_or_years(extra: tuple[str, str], other: str) -> None:
    code, out = history("env-trees-planted", *JUNE, "--by", "district", *extra)
    assert code == 2
    assert (
        f"okrtool: --by district shows every agency of one fiscal year; it does not go with "
        f"{other} (run them apart)"
    ) in out


def test_a_key_result_with_no_report_says_so_in_one_line() -> None:
    code, out = history("env-waste-points-set", *JUNE, "--lang", "en", "--width", "120")
    assert code == 0, out
    assert out.splitlines()[-1] == (
        "No value reported for Central waste points set up in housing estates in FY 2567 as of "
        "30 Jun 2024: nothing to chart yet."
    )
    assert "┌" not in out


# --- every period is status as of its last day ---------------------------------------------------


def test_every_period_of_every_key_result_is_the_status_row_of_its_last_day(shipped) -> None:
    checked = 0
    for kr_id in shipped.key_results:
        report = history_report(shipped, kr_id, date(2024, 9, 30), lang="en")
        for row in report.rows:
            assert not row.future
            status = status_report(shipped, Query(as_of=row.period.end, policy=kr_id, lang="en"))
            (expected,) = [r for r in status.rows if r.key_result == kr_id]
            assert row.row is not None
            assert row.row.to_dict() == expected.to_dict(), (kr_id, str(row.period))
            assert (row.actual, row.percent, row.expected, row.status) == (
                expected.actual,
                expected.percent,
                expected.expected,
                expected.status,
            )
            checked += 1
    assert checked == 12 * 15 + 4 * 4  # months of 15 key results, quarters of 4


@pytest.mark.parametrize("agency", ["bang-rak", "env", "nong-chok"])
def test_every_period_of_an_agency_is_its_status_agency_row_of_that_day(shipped, agency) -> None:
    checked = 0
    for kr_id in shipped.key_results:
        if agency not in shipped.allocations(kr_id):
            continue
        report = history_report(shipped, kr_id, date(2024, 6, 30), agency=agency, lang="en")
        for row in report.counted:
            status = status_report(
                shipped,
                Query(as_of=row.period.end, policy=kr_id, agency=agency, lang="en"),
            )
            (expected,) = [r for r in status.rows if r.key_result == kr_id]
            assert row.row is not None
            assert row.row.to_dict() == expected.to_dict(), (kr_id, str(row.period))
            checked += 1
    assert checked > 0


# --- earlier years: the policy's key result of each year ------------------------------------------


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> Path:
    """A generated city of FY 2566 and 2567 (bench/generate.py), reports up to July 2024."""
    out = tmp_path_factory.mktemp("city") / "data"
    subprocess.run(
        [sys.executable, str(GENERATE), "--years", "2", "--last-year", "2567", "--policies", "2",
         "--seed", "7", "--until", "2567-07", "--out", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    return out


def test_years_2_shows_the_year_before_with_its_own_key_result(two_years: Path) -> None:
    code, out = run(
        "history", "safety-001-2567-k1", "--years", "2", "--as-of", "2024-06-30",
        "--data", str(two_years), "--format", "json",
    )  # fmt: skip
    assert code == 0, out
    doc = json.loads(out)
    rows = doc["rows"]
    assert doc["header"]["fiscal_years"] == [2566, 2567]
    assert [r["fiscal_year"] for r in rows] == [2566] * 12 + [2567] * 12
    assert {r["key_result"] for r in rows[:12]} == {"safety-001-2566-k1"}
    assert {r["key_result"] for r in rows[12:]} == {"safety-001-2567-k1"}
    assert [r["future"] for r in rows].count(True) == 3  # Jul–Sep 2024
    # the last month of FY 2566 is status --fy 2566 as of its last day
    code, out = run(
        "status", "--policy", "safety-001-2566-k1", "--fy", "2566", "--as-of", "2023-09-30",
        "--data", str(two_years), "--format", "json",
    )  # fmt: skip
    (then,) = [r for r in json.loads(out)["rows"] if r["key_result"] == "safety-001-2566-k1"]
    assert (rows[11]["actual"], rows[11]["status"], rows[11]["target"]) == (
        then["actual"],
        then["status"],
        then["target"],
    )
    code, text = run(
        "history", "safety-001-2567-k1", "--years", "2", "--as-of", "2024-06-30",
        "--data", str(two_years), "--lang", "en",
    )  # fmt: skip
    assert f"FY 2566: safety-001-2566-k1, target {then['target']:,}" in text


# --- the documentation shows the real output -----------------------------------------------------


def test_meeting_doc_examples_are_the_real_output() -> None:
    """Each `$ okrtool history|status …` example in docs/meeting-history.md is what the command
    prints at 100 columns on the shipped data (``…`` lines stand for lines left out)."""
    import re

    doc = (SHIPPED.parent / "docs" / "meeting-history.md").read_text(encoding="utf-8")
    examples = re.findall(r"```\n\$ okrtool ((?:history|status)[^\n]*)\n(.*?)```", doc, re.S)
    assert len(examples) == 4
    for command, shown in examples:
        _, out = run(*command.split(), "--data", str(SHIPPED), "--width", "100")
        got = out.rstrip("\n").splitlines()
        want = [line for line in shown.rstrip("\n").splitlines() if line != "…"]
        starts = [i for i, line in enumerate(got) if line == want[0]]
        assert any(got[i : i + len(want)] == want for i in starts), command


def test_share_at_target_counts_agencies_period_by_period() -> None:
    doc = as_json("mgmt-budget-disbursed", *JUNE)
    got = [
        (r["period"], r["value"], r["actual"], r["expected"], r["expected_progress"], r["status"])
        for r in doc["rows"]
    ]
    assert got == [
        ("FY2567-Q1", 0, 0, 50, 100, "on-track"),
        ("FY2567-Q2", 0, 0, 50, 100, "on-track"),
        ("FY2567-Q3", 0, 0, 48, 96, "on-track"),
        ("FY2567-Q4", None, None, 50, 100, None),
    ]
    code, out = history("mgmt-budget-disbursed", *JUNE, "--lang", "en", "--width", "100")
    assert code == 0, out
    assert (
        "FY 2567, as of 30 Jun 2024: 0 of 50 at their target of 95 % in each (0.0 %), on track"
        in out
    )
    assert (
        "│ Q3 FY 2567 │  0 of 50 │  0 of 50 │  0.0 % │ on track 48/50 │ on track │     50/50 │"
        in out
    )
    assert (
        "│ Q4 FY 2567 │          │          │        │ on track 50/50 │          │           │"
        in out
    )


def test_by_district_csv_has_a_running_column_per_period() -> None:
    code, out = history("env-trees-planted", *JUNE, "--by", "district", "--format", "csv")
    assert code == 0, out
    first = next(csv.DictReader(io.StringIO(out)))
    assert (first["agency"], first["status"], first["target"], first["actual"]) == (
        "yan-nawa",
        "on-track",
        "3050",
        "2374",
    )
    assert [first[f"running_FY2567-Q{n}"] for n in (1, 2, 3, 4)] == ["727", "1446", "2374", ""]
