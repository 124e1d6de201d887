"""`okrtool status --since`: the change since the last meeting on the shipped data, the figures
"then" equal to `status --as-of` that day in every view, --changed-only, and what it refuses."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from okrtool.progress import BETTER, WORSE, moved, since_of

from helpers import SHIPPED, run

NOW = ("--as-of", "2024-06-30")
SINCE = ("--since", "2024-04-30")
QOL = ("--group", "quality-of-life")


def status(*args: str) -> tuple[int, str]:
    return run("status", "--data", str(SHIPPED), *args)


def as_json(*args: str) -> dict:
    code, out = status(*args, "--format", "json")
    assert code == 0, out
    return json.loads(out)


# --- the quality-of-life meeting of 30 June 2024, since the one of 30 April ----------------------

QOL_CHANGES = {
    # key result: (actual then, status then, actual now, status now, change, points, moved)
    "env-parks-15min-opened": (36, "behind", 89, "at-risk", 53, 33.974359, "better"),
    "env-trees-planted": (136694, "on-track", 218910, "done", 82216, 41.108, "better"),
    "env-trees-perennial": (28508, "behind", 45719, "behind", 17211, 10.922972, None),
    "env-waste-collection-buildings": (19, "behind", 31, "behind", 12, 24, None),
    "env-waste-points-set": (None, "no-data", None, "no-data", None, None, None),
    "env-waste-separated": (30566.7, "at-risk", 49574, "on-track", 19007.3, 25.966257, "better"),
    "health-centres-upgraded": (12, "behind", 24, "behind", 12, 17.391304, None),
    "health-zones-networked": (None, "no-data", 3, "behind", None, None, "better"),
    "society-child-centres-assessed": (None, "no-data", 59, "behind", None, None, "better"),
}


def test_quality_of_life_since_april_every_row() -> None:
    doc = as_json(*QOL, *SINCE, *NOW)
    got = {
        r["key_result"]: (
            r["since"]["actual"],
            r["since"]["status"],
            r["actual"],
            r["status"],
            r["since"]["change"],
            r["since"]["change_points"],
            r["since"]["moved"],
        )
        for r in doc["rows"]
    }
    assert got == QOL_CHANGES
    assert all(r["since"]["as_of"] == "2024-04-30" for r in doc["rows"])
    assert doc["header"]["since"] == "2024-04-30"
    assert doc["header"]["changes"] == {"better": 5, "worse": 0, "new": 0, "unchanged": 4}
    reported = {r["key_result"]: r["since"]["agencies_reported_since"] for r in doc["rows"]}
    assert reported["env-waste-points-set"] == 0
    assert reported["society-child-centres-assessed"] == 20
    assert reported["env-trees-planted"] == 50


def test_quality_of_life_table_marks_the_rows_that_moved() -> None:
    code, out = status(*QOL, *SINCE, *NOW, "--lang", "en", "--width", "100")
    assert code == 0, out
    assert "Since 30 Apr 2024: 5 moved (5 better, 0 worse), 0 new, 4 unchanged" in out
    assert (
        "│   15-minute parks opened     │     156 │     36 → 89 │  23.1 → │ ▲ behind → at risk   "
        "│    50/50 │"
    ) in out
    assert (
        "│   Trees planted              │ 200,000 │   136,694 → │  68.3 → │ ▲ on track → done    "
        "│    50/50 │"
    ) in out
    assert "│   └ Perennial trees planted  │ 157,567 │    28,508 → │  18.1 → │ behind " in out


def test_thai_table_names_the_days_in_thai() -> None:
    code, out = status(*QOL, *SINCE, *NOW, "--width", "120")
    assert code == 0, out
    assert "ตั้งแต่ 30 เม.ย. 2567: สถานะเปลี่ยน 5 (ดีขึ้น 5, แย่ลง 0), ใหม่ 0, คงเดิม 4" in out
    assert "▲ ล่าช้า → เสี่ยง" in out


def test_changed_only_lists_the_rows_that_moved() -> None:
    doc = as_json(*QOL, *SINCE, *NOW, "--changed-only")
    assert [r["key_result"] for r in doc["rows"]] == [
        "env-parks-15min-opened",
        "env-trees-planted",
        "env-waste-separated",
        "health-zones-networked",
        "society-child-centres-assessed",
    ]
    assert doc["header"]["changes"] == {"better": 5, "worse": 0, "new": 0, "unchanged": 4}
    _code, out = status(*QOL, *SINCE, *NOW, "--changed-only", "--lang", "en")
    assert "Only the rows whose status moved since 30 Apr 2024." in out
    assert "Perennial" not in out


def test_csv_carries_the_since_figures() -> None:
    code, out = status(*QOL, *SINCE, *NOW, "--format", "csv")
    assert code == 0, out
    rows = {r["key_result"]: r for r in csv.DictReader(io.StringIO(out))}
    parks = rows["env-parks-15min-opened"]
    assert (parks["since_actual"], parks["since_status"], parks["since_change"]) == (
        "36",
        "behind",
        "53",
    )
    assert (parks["since_moved"], parks["since_new"]) == ("better", "false")


def test_markdown_has_the_change_table() -> None:
    code, out = status(*QOL, *SINCE, *NOW, "--format", "markdown", "--lang", "en")
    assert code == 0, out
    assert (
        "| **15-minute parks across the city**: 15-minute parks opened | 156 parks | 36 → 89 (+53)"
        " | 23.1 → 57.1 % (+34.0) | ▲ behind → at risk | 50/50 |"
    ) in out


# --- one agency: its own figures, and whether it reported since ----------------------------------


def test_agency_rows_say_whether_it_reported_since() -> None:
    doc = as_json("--agency", "bang-rak", *SINCE, *NOW)
    got = {
        r["key_result"]: (r["since"]["status"], r["status"], r["since"]["reported_since"])
        for r in doc["rows"]
    }
    assert got["env-trees-planted"] == ("on-track", "done", True)
    assert got["infra-canals-dredged"] == ("behind", "behind", False)
    assert got["mgmt-okrs-bound"] == ("no-data", "done", True)
    assert all(r["since"]["agencies_reported_since"] is None for r in doc["rows"])


def test_by_district_rows_carry_their_change() -> None:
    doc = as_json("--policy", "env-trees-planted", "--by", "district", *SINCE, *NOW)
    (trees, _perennial) = doc["tables"]
    assert trees["key_result"]["since"]["moved"] == "better"
    yan_nawa = next(r for r in trees["rows"] if r["agency"] == "yan-nawa")
    assert (yan_nawa["since"]["actual"], yan_nawa["actual"], yan_nawa["since"]["change"]) == (
        1446,
        2374,
        928,
    )
    assert (yan_nawa["since"]["status"], yan_nawa["status"]) == ("at-risk", "on-track")
    assert yan_nawa["since"]["reported_since"] is True
    assert doc["header"]["changes"] == {"better": 37, "worse": 0, "new": 0, "unchanged": 63}


# --- the figures then are status as of that day, in every view -----------------------------------


def _key(row: dict) -> tuple:
    return (row["key_result"], row.get("agency"))


@pytest.mark.parametrize(
    "view",
    [
        (),
        QOL,
        ("--group", "infrastructure"),
        ("--agency", "bang-rak"),
        ("--agency", "env"),
        ("--urgent",),
        ("--dimension", "environment"),
    ],
)
def test_since_figures_are_status_as_of_that_day(view: tuple[str, ...]) -> None:
    doc = as_json(*view, *SINCE, *NOW)
    then = {_key(r): r for r in as_json(*view, "--as-of", "2024-04-30")["rows"]}
    now = {_key(r): r for r in as_json(*view, *NOW)["rows"]}
    assert len(doc["rows"]) == len(then) == len(now)
    for row in doc["rows"]:
        s, old = row["since"], then[_key(row)]
        assert (s["actual"], s["percent"], s["status"]) == (
            old["actual"],
            old["percent"],
            old["status"],
        )
        bare = {k: v for k, v in row.items() if k != "since"}
        assert bare == now[_key(row)]


@pytest.mark.parametrize("by", ["district", "zone", "agency"])
def test_since_figures_of_by_tables_are_status_by_as_of_that_day(by: str) -> None:
    doc = as_json("--by", by, *QOL, *SINCE, *NOW)
    then = as_json("--by", by, *QOL, "--as-of", "2024-04-30")
    old_tables = {t["key_result"]["key_result"]: t for t in then["tables"]}
    for table in doc["tables"]:
        old = old_tables[table["key_result"]["key_result"]]
        assert table["key_result"]["since"]["status"] == old["key_result"]["status"]
        assert table["key_result"]["since"]["actual"] == old["key_result"]["actual"]
        old_rows = {r["agency"]: r for r in old["rows"]}
        for row in table["rows"]:
            o = old_rows[row["agency"]]
            assert (row["since"]["actual"], row["since"]["percent"], row["since"]["status"]) == (
                o["actual"],
                o["percent"],
                o["status"],
            )


# --- what it refuses, what it says ---------------------------------------------------------------


def test_since_after_as_of_is_a_usage_error() -> None:
    code, out = status(*QOL, "--since", "2024-07-31", *NOW)
    assert code == 2
    assert (
        "okrtool: --since 2024-07-31 is after --as-of 2024-06-30; expected the day of the last "
        "meeting, on or before the as-of day"
    ) in out


def test_since_that_is_not_a_date_names_the_option() -> None:
    code, out = status(*QOL, "--since", "30/04/2024", *NOW)
    assert code == 2
    assert "okrtool: --since '30/04/2024' is not a date" in out


def test_changed_only_needs_since() -> None:
    code, out = status(*QOL, "--changed-only", *NOW)
    assert code == 2
    assert "--changed-only needs --since DAY" in out


def test_since_before_the_fiscal_year_compares_with_nothing_counted_and_says_so() -> None:
    doc = as_json(*QOL, "--since", "2023-09-30", *NOW)
    assert {r["since"]["status"] for r in doc["rows"]} == {"no-data"}
    assert doc["header"]["since_notes"] == [
        "--since 30 Sep 2023 is before FY 2567 began (1 Oct 2023): the figures then are FY "
        "2567's key results on that day, with no value counted yet"
    ]
    assert doc["header"]["changes"] == {"better": 8, "worse": 0, "new": 0, "unchanged": 1}


def test_a_since_equal_to_as_of_changes_nothing() -> None:
    doc = as_json(*QOL, "--since", "2024-06-30", *NOW)
    assert {r["since"]["moved"] for r in doc["rows"]} == {None}
    assert {r["since"]["agencies_reported_since"] for r in doc["rows"]} == {0}


# --- the rule of a move, and a row that did not exist ----------------------------------------


def test_a_move_is_better_or_worse_by_the_order_of_statuses() -> None:
    assert moved("on-track", "at-risk") == WORSE
    assert moved("no-data", "behind") == BETTER
    assert moved("behind", "done") == BETTER
    assert moved("at-risk", "at-risk") is None
    assert moved(None, "done") is None


def test_a_row_that_did_not_exist_then_is_new() -> None:
    s = since_of(5.0, 50.0, "on-track", None, date(2024, 4, 30))
    assert (s.new, s.actual, s.status, s.change, s.moved) == (True, None, None, None, None)
    assert s.to_dict()["new"] is True


def test_a_status_that_got_worse_is_marked_down() -> None:
    doc = as_json("--since", "2024-03-31", "--as-of", "2024-05-31", "--changed-only")
    worse = {r["key_result"]: (r["since"]["status"], r["status"]) for r in doc["rows"]}
    assert doc["header"]["changes"] == {"better": 1, "worse": 4, "new": 0, "unchanged": 14}
    assert len(worse) == 5
    assert worse["mgmt-budget-disbursed"] == ("on-track", "behind")
    assert worse["env-waste-separated"] == ("on-track", "at-risk")
    code, out = status(
        "--policy", "env-waste-separated", "--since", "2024-03-31", "--as-of", "2024-05-31",
        "--lang", "en", "--width", "100",
    )  # fmt: skip
    assert code == 0, out
    assert "│ ▼ on track → at risk │" in out


def test_by_zone_markdown_and_csv_carry_the_change() -> None:
    args = ("--policy", "env-parks-15min", "--by", "zone", *SINCE, *NOW)
    code, out = status(*args, "--lang", "en", "--format", "markdown")
    assert code == 0, out
    assert "City: 36 → 89 (+53), 23.1 → 57.1 % (+34.0), ▲ behind → at risk" in out
    assert (
        "| Central Bangkok | 20 | 1 → 10 (+9) | 5.0 → 50.0 % (+45.0) | ▲ behind → at risk | 9/9 |"
    ) in out
    code, out = status(*args, "--format", "csv")
    rows = {r["agency"]: r for r in csv.DictReader(io.StringIO(out))}
    central = rows["central"]
    assert (central["since_actual"], central["actual"], central["since_moved"]) == (
        "1",
        "10",
        "better",
    )
    assert (central["since_agencies_reported_since"], central["since_reported_since"]) == ("9", "")
