"""`okrtool missing`: the chase list of reports not in and supporting agencies not bound."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from progress_data import key_result, policy, write_dataset

from okrtool.errors import UsageError
from okrtool.progress import Query, missing_report, open_dataset

from helpers import MINI, SHIPPED, run

TODAY = date(2024, 7, 15)


def chase(root: Path, period: str | None = None, **filters: object) -> list[tuple[str, str, str]]:
    ds, _ = open_dataset(root)
    report = missing_report(ds, Query(as_of=TODAY, lang="en", **filters), period)  # type: ignore[arg-type]
    return [(i.agency, i.reason, i.key_result or i.policy) for i in report.items]


def test_mini_fixture_for_the_latest_period() -> None:
    # the latest period anyone reported is June 2567; pathum-wan reported nothing at all
    assert chase(MINI) == [
        ("bang-rak", "no-report", "trees-perennial"),
        ("pathum-wan", "no-report", "trees-planted"),
        ("pathum-wan", "no-report", "trees-perennial"),
        ("pathum-wan", "no-report", "trees-waste-collected"),
        ("pathum-wan", "no-report", "canals-dredged"),
    ]


def test_an_earlier_month_asks_for_values_of_that_month() -> None:
    # only phra-nakhon reported trees-planted for October 2566
    items = chase(MINI, "2566-10", policy="trees-planted")
    assert [a for a, _, kr in items if kr == "trees-planted"] == ["dusit", "bang-rak", "pathum-wan"]


@pytest.fixture
def quarterly(tmp_path: Path) -> Path:
    allocations = {"phra-nakhon": 5, "dusit": 5}
    return write_dataset(
        tmp_path,
        [
            policy(
                "p", [key_result("q", 10, allocations=allocations)], supporters=["zone:central"]
            ),
            policy(
                "r",
                [key_result("unbound", 10, allocations={"bang-rak": 10})],
                supporters=["zone:south", "dds"],
            ),
        ],
        {
            "phra-nakhon": [("q", "FY2567-Q3", 3)],
            "dusit": [("q", "2567-04", 1), ("q", "2567-05", 1)],
            "bang-rak": [("unbound", "2567-06", 2)],
        },
    )


def test_a_quarter_covers_its_months_and_a_month_does_not_cover_a_quarter(quarterly: Path) -> None:
    assert ("dusit", "no-report", "q") not in chase(quarterly, "2567-05")
    assert ("phra-nakhon", "no-report", "q") not in chase(quarterly, "2567-05")
    # the quarter ends in June: dusit's May value does not cover it
    assert ("dusit", "no-report", "q") in chase(quarterly, "FY2567-Q3")
    assert ("phra-nakhon", "no-report", "q") not in chase(quarterly, "FY2567-Q3")


def test_supporters_with_no_allocation_are_not_bound(quarterly: Path) -> None:
    assert chase(quarterly, "2567-06", policy="r") == [
        ("dds", "not-bound", "r"),  # departments come first, in the order of the agency files
        ("pathum-wan", "not-bound", "r"),
    ]


def test_filter_by_agency(quarterly: Path) -> None:
    assert chase(quarterly, "FY2567-Q3", agency="ดุสิต") == [("dusit", "no-report", "q")]


def test_a_period_of_another_year_than_asked_is_refused(quarterly: Path) -> None:
    with pytest.raises(UsageError, match="period 2566-06 is in FY 2566, not FY 2567"):
        chase(quarterly, "2566-06", fiscal_year=2567)


def test_the_shipped_waste_points_goal_has_no_district_bound() -> None:
    items = chase(SHIPPED, "2567-06", policy="env-waste-points")
    # every district first, 243 days past the calendar's binding day (15 November 2023) on
    # 15 July 2024; then the host, which carries the key result alone, its report 10 days late
    assert items[-1] == ("env", "no-report", "env-waste-points-set")
    assert len([i for i in items if i[1] == "not-bound"]) == 50
    assert {i[0] for i in items[:-1]} == {d for d in open_dataset(SHIPPED)[0].districts}


# --- the command --------------------------------------------------------------------------------


def test_table_is_grouped_by_agency() -> None:
    # wide enough for the agency column (Environment Department) and the item on one line
    code, out = run("missing", "-d", str(MINI), "--lang", "en", "--width", "140")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == (
        "Chase list for 2567-06 (FY 2567) — all groups: 3 agencies; 5 reports not in (none overdue), 0 not bound, "
        "1 project not reported"
    )
    names = [line.split("│")[1].strip() for line in lines if line.startswith("│ ")]
    # env owes only its project (tests/test_projects_views.py): after the agencies owing values
    assert [n for n in names if n] == [
        "Agency", "Bang Rak (1)", "Pathum Wan (4)", "Environment Department (1)",
    ]  # fmt: skip
    assert any("no report for 2567-06: Canals dredged" in line for line in lines)


def test_json_and_csv() -> None:
    code, out = run("missing", "-d", str(MINI), "--period", "2567-06", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["header"] == {
        "title": "ทุกกลุ่มภารกิจ",
        "period": "2567-06",
        "fiscal_year": 2567,
        "filters": {},
        "agencies": 3,
        "no_report": 5,
        "not_bound": 0,
        "no_project_report": 1,
        "projects_overdue": 0,
        "notes": doc["header"]["notes"],
        "as_of": doc["header"]["as_of"],  # today
        "stale": 0,
        "overdue": 0,
        "calendar": False,
        "definitions": "docs/definitions.md",
    }
    assert doc["header"]["notes"][-1] == (
        "no reporting calendar (data/agencies/calendar.yaml), so no due dates or days overdue"
    )
    assert doc["items"][0] == {
        "agency": "bang-rak",
        "name": "บางรัก",
        "zone": "south",
        "zone_name": "กรุงเทพใต้",
        "reason": "no-report",
        "policy": "trees",
        "policy_title": "ปลูกต้นไม้ล้านต้น",
        "key_result": "trees-perennial",
        "title": "ไม้ยืนต้น",
        "host": "env",
        "host_name": "สำนักสิ่งแวดล้อม",
        "last_period": None,
        "owed": "2567-06",
        "due": None,
        "days_overdue": None,
        "due_in_days": None,
    }
    code, out = run("missing", "-d", str(MINI), "--period", "2567-06", "-f", "csv", "--lang", "en")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["agency"], r["key_result"]) for r in rows][-2] == ("pathum-wan", "canals-dredged")
    assert rows[-2]["host_name"] == "Drainage and Sewerage Department"
    assert (rows[-1]["reason"], rows[-1]["project"]) == ("no-project-report", "trees-nursery")


def test_markdown() -> None:
    code, out = run(
        "missing", "-d", str(MINI), "--period", "2567-06", "-f", "markdown", "--lang", "en"
    )
    assert code == 0
    assert (
        "| Pathum Wan (4) | Southern Bangkok | no report for 2567-06: Trees planted | Environment Department |"
        in out
    )


def test_nothing_missing_is_said(tmp_path: Path) -> None:
    root = write_dataset(
        tmp_path,
        [policy("p", [key_result("k", 5, allocations={"dusit": 5})], supporters=["dusit"])],
        {"dusit": [("k", "2567-06", 5)]},
    )
    code, out = run("missing", "-d", str(root), "--lang", "en")
    assert code == 0
    assert "Nothing missing: every allocated agency has reported." in out


def test_a_bad_period_is_a_usage_error() -> None:
    code, out = run("missing", "-d", str(MINI), "--period", "2567-13")
    assert code == 2
    assert out.startswith("okrtool: --period 2567-13: found '2567-13', expected a month like ")
    assert out.endswith(" (month 13 is not 01–12)\n")


# --- one definition of "reported for the period", shared with status ---------------------------

FY2567_MONTHS = [f"2566-{m:02d}" for m in (10, 11, 12)] + [f"2567-{m:02d}" for m in range(1, 10)]


def _json(*args: str) -> dict:
    code, out = run(*args, "--data", str(SHIPPED), "--format", "json")
    assert code == 0, out
    return json.loads(out)


@pytest.mark.parametrize("period", FY2567_MONTHS)
def test_reported_and_missing_add_up_to_the_allocated_agencies(period: str) -> None:
    end = last_day(period)
    status_rows = _json("status", "--as-of", end)["rows"]
    chase_doc = _json("missing", "--period", period, "--as-of", end)
    missing: dict[str, int] = {}
    stale: dict[str, int] = {}
    for item in chase_doc["items"]:
        if item["reason"] == "no-report":
            missing[item["key_result"]] = missing.get(item["key_result"], 0) + 1
            stale[item["key_result"]] = stale.get(item["key_result"], 0) + (
                item["last_period"] is not None
            )
    assert status_rows
    for row in status_rows:
        kr = row["key_result"]
        assert row["period"] == period
        assert row["reported"] + missing.get(kr, 0) == row["allocated"], kr
        assert row["stale"] == stale.get(kr, 0), kr


def last_day(period: str) -> str:
    from okrtool.fiscal import parse_period

    return parse_period(period).end.isoformat()


def test_canals_dredged_in_april_are_stale_for_june_in_both_commands() -> None:
    status_row = _json("status", "--as-of", "2024-06-30", "--policy", "infra-canals-dredged")
    assert (status_row["rows"][0]["reported"], status_row["rows"][0]["stale"]) == (0, 51)
    doc = _json("missing", "--period", "2567-06", "--policy", "infra-canals-dredged")
    assert (doc["header"]["no_report"], doc["header"]["stale"]) == (51, 51)
    values = [i for i in doc["items"] if i["reason"] == "no-report"]
    assert {i["last_period"] for i in values} == {"2567-04"}
    code, out = run(
        "missing", "-d", str(SHIPPED), "--period", "2567-06", "--policy", "infra-canals-dredged",
        "--lang", "en", "-f", "markdown", "--as-of", "2024-07-20",
    )  # fmt: skip
    assert code == 0, out
    assert out.splitlines()[0] == (
        "**Chase list for 2567-06 (FY 2567, as of 20 Jul 2024) — Canal length dredged: "
        "51 agencies; 51 reports not in (51 stale, 51 overdue), 0 not bound, "
        "1 project not reported (1 overdue)**"
    )
    assert (
        "| Bang Rak (1) | South Bangkok | no report for 2567-06: Canal length dredged "
        "(last reported 2567-04) | Drainage and Sewerage Department | 5 Jul 2024 · 15 days "
        "overdue |"
    ) in out


def test_the_chase_list_as_it_stood_on_a_day(quarterly: Path) -> None:
    # on 31 May the third quarter is not over: phra-nakhon's Q3 value did not exist yet
    code, out = run(
        "missing", "-d", str(quarterly), "--period", "2567-05", "--as-of", "2024-05-31",
        "--policy", "p", "--lang", "en", "-f", "markdown",
    )  # fmt: skip
    assert code == 0, out
    assert out.splitlines()[0] == (
        "**Chase list for 2567-05 (FY 2567, as of 31 May 2024) — Policy p: 1 agency; "
        "1 report not in (none overdue), 0 not bound**"
    )
    assert "| Phra Nakhon (1) | Central Bangkok | no report for 2567-05: Key result q |" in out
    code, out = run("missing", "-d", str(quarterly), "--period", "2567-06", "--as-of", "2024-06-15")
    assert code == 2
    assert out == (
        "okrtool: period 2567-06 ends on 2024-06-30, after --as-of 2024-06-15: nothing can be "
        "reported for it by then\n"
    )


def test_the_default_period_is_the_latest_reported_by_the_as_of_day() -> None:
    # on 31 March the latest values counted are for 2567-03 (June's were not in yet)
    code, out = run("missing", "-d", str(SHIPPED), "--as-of", "2024-03-31", "-f", "json")
    assert code == 0, out
    assert json.loads(out)["header"]["period"] == "2567-03"
    code, out = run("missing", "-d", str(SHIPPED), "--as-of", "2023-10-15", "--lang", "en")
    assert (code, out) == (
        1,
        "okrtool: nothing to report on for FY 2567 by 2023-10-15: no period of it has ended yet "
        "(the first, 2566-10, ends on 2023-10-31)\n",
    )


def test_one_agency_is_one_agency(quarterly: Path) -> None:
    code, out = run(
        "missing", "-d", str(quarterly), "--period", "2567-06", "--agency", "dusit", "--lang", "en"
    )
    assert code == 0, out
    above = [line for line in out.split("┌")[0].splitlines() if not line.startswith("note:")]
    header = " ".join(" ".join(above).split())  # the header's lines above the table, as one
    assert header == (
        "Chase list for 2567-06 (FY 2567) — Dusit: 1 agency; 1 report not in (1 stale, none "
        "overdue), 0 not bound"
    )


# --- nothing to report on is not an all-clear -----------------------------------------------------


def test_a_year_with_no_key_result_is_not_an_all_clear() -> None:
    code, out = run("missing", "-d", str(SHIPPED), "--period", "2568-01")
    assert code == 1
    assert out == (
        "okrtool: nothing to report on for 2568-01: no key result is for FY 2568 (years with key "
        "results: 2567); pass --period in one of those years\n"
    )


def test_filters_that_leave_no_key_result_are_not_an_all_clear(quarterly: Path) -> None:
    code, out = run("missing", "-d", str(quarterly), "--period", "2567-06", "--dimension", "safety")
    assert code == 1
    assert out == (
        "okrtool: nothing to report on for 2567-06: no key result of FY 2567 passes the filters "
        "(--dimension safety); 'okrtool status --fy 2567' lists the year's key results\n"
    )


def test_a_policy_with_okrs_and_no_host_shown_with_allow_errors_says_not_assigned(
    tmp_path: Path,
) -> None:
    """E304 refuses such a policy; with --allow-errors the tables still print (they failed
    with a traceback) and name the host as not assigned."""
    import shutil

    root = tmp_path / "data"
    shutil.copytree(SHIPPED, root)
    canals = root / "policies/safety/infra-canals.yaml"
    canals.write_text(
        "".join(
            line
            for line in canals.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("host: ")
        ),
        encoding="utf-8",
    )
    common = ["--data", str(root), "--allow-errors", "--as-of", "2024-06-30"]
    common += ["--policy", "infra-canals", "--lang", "en", "--format", "json"]
    code, out = run("missing", *common)
    assert code == 0, out
    items = json.loads(out[out.index("{") :])["items"]
    assert {item["host_name"] for item in items} == {"not assigned"}
    code, out = run("status", *common)
    assert code == 0, out
    assert json.loads(out[out.index("{") :])["rows"][0]["host"] is None
