"""The progress computation on small real datasets: each aggregation rule, lower-is-better,
the time of year, the status thresholds, sub-targets, district bands and every filter."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import get_args

import pytest
from progress_data import key_result, policy, write_dataset

from okrtool.dataset import Dataset
from okrtool.errors import UsageError
from okrtool.model import Aggregate, Measure
from okrtool.progress import (
    CITY_STATUS,
    DataError,
    KeyResultRow,
    Query,
    by_report,
    due_period,
    open_dataset,
    parse_day,
    status,
    status_report,
)

from helpers import MINI, copy_dataset, edit

JUNE_30 = date(2024, 6, 30)  # FY 2567: 274 of 366 days gone
ALL_FOUR = {"phra-nakhon": 25, "dusit": 25, "bang-rak": 25, "pathum-wan": 25}
LEVEL_100 = {"phra-nakhon": 100, "dusit": 100, "bang-rak": 100, "pathum-wan": 100}


def load(root: Path) -> Dataset:
    ds, errors = open_dataset(root)
    assert errors == 0
    return ds


def rows(root: Path, as_of: date = JUNE_30, **filters: object) -> dict[str, KeyResultRow]:
    report = status_report(load(root), Query(as_of=as_of, lang="en", **filters))  # type: ignore[arg-type]
    return {r.key_result: r for r in report.rows}


def one(tmp_path: Path, kr: dict, reports: dict, as_of: date = JUNE_30) -> KeyResultRow:
    root = write_dataset(tmp_path, [policy("p", [kr])], reports)
    return rows(root, as_of)[kr["id"]]


# --- measure and aggregate ------------------------------------------------------------------


def test_increments_are_summed_over_periods_and_agencies(tmp_path: Path) -> None:
    row = one(
        tmp_path,
        key_result("k", 100, "increment", "sum", ALL_FOUR),
        {
            "phra-nakhon": [("k", "2567-01", 10), ("k", "2567-02", 20)],
            "dusit": [("k", "FY2567-Q2", 15.5)],
        },
    )
    assert row.actual == 45.5
    assert row.percent == pytest.approx(45.5)
    # as of 30 June both have values, neither for June: stale, not reported for the period
    assert (row.period, row.reported, row.stale, row.allocated) == ("2567-06", 0, 2, 4)


def test_running_totals_take_each_agencys_latest_value(tmp_path: Path) -> None:
    row = one(
        tmp_path,
        key_result("k", 100, "cumulative", "sum", ALL_FOUR),
        {
            "phra-nakhon": [("k", "2567-05", 12), ("k", "2567-02", 5)],  # order in the file
            "dusit": [("k", "2567-03", 7)],
        },
    )
    assert row.actual == 19
    assert row.last_period == "2567-05"


def test_share_at_target_counts_agencies_at_their_own_target(tmp_path: Path) -> None:
    row = one(
        tmp_path,
        key_result("k", 100, "level", "share-at-target", LEVEL_100, unit="percent"),
        {
            "phra-nakhon": [("k", "2567-03", 40), ("k", "2567-06", 100)],
            "dusit": [("k", "2567-06", 50)],
            "bang-rak": [("k", "2567-06", 49.9)],
        },
    )
    assert row.actual == 1  # phra-nakhon only; its March level is superseded by June
    assert row.percent == 25.0  # 1 of 4 allocated agencies
    assert row.bands is not None
    assert row.bands.to_dict() == {
        "at-target": 1,
        "half-or-more": 1,
        "below-half": 1,
        "not-reported": 1,
    }


def test_mean_is_over_the_agencies_that_reported(tmp_path: Path) -> None:
    row = one(
        tmp_path,
        key_result("k", 80, "level", "mean", {"phra-nakhon": 80, "dusit": 80}, unit="percent"),
        {"phra-nakhon": [("k", "2567-06", 60)], "dusit": [("k", "2567-06", 70)]},
    )
    assert row.actual == 65
    assert row.percent == pytest.approx(65 / 80 * 100)


def test_latest_is_the_most_recent_value_of_any_agency(tmp_path: Path) -> None:
    row = one(
        tmp_path,
        key_result("k", 90, "level", "latest", {"phra-nakhon": 90, "dusit": 90}, unit="percent"),
        {"phra-nakhon": [("k", "2567-05", 55)], "dusit": [("k", "2567-03", 70)]},
    )
    assert row.actual == 55


def test_a_key_result_without_allocations_is_its_hosts(tmp_path: Path) -> None:
    row = one(tmp_path, key_result("k", 10), {"env": [("k", "2567-06", 4)]})
    assert (row.actual, row.reported, row.allocated, row.bands) == (4, 1, 1, None)


def test_values_for_periods_after_the_as_of_day_are_not_counted(tmp_path: Path) -> None:
    root = write_dataset(
        tmp_path,
        [policy("p", [key_result("k", 100, allocations=ALL_FOUR)])],
        {"dusit": [("k", "2567-01", 10), ("k", "2567-03", 20), ("k", "2567-06", 30)]},
    )
    assert rows(root, date(2024, 3, 30))["k"].actual == 10  # March not over yet
    assert rows(root, date(2024, 3, 31))["k"].actual == 30
    report = status_report(load(root), Query(as_of=date(2024, 3, 31)))
    assert [n.en for n in report.scope.notes] == [
        "1 value for periods ending after 31 Mar 2024 not counted (latest period ends 30 Jun 2024)",
    ]
    assert [n.th for n in report.scope.notes] == [
        "ไม่นับ 1 ค่าของงวดที่สิ้นสุดหลังวันที่ 31 มี.ค. 2567 (งวดล่าสุดสิ้นสุด 30 มิ.ย. 2567)",
    ]


def test_baseline_counts_from_where_the_year_started(tmp_path: Path) -> None:
    row = one(
        tmp_path,
        key_result("k", 80, "level", "mean", {"dusit": 80}, unit="percent", baseline=60),
        {"dusit": [("k", "2567-06", 70)]},
    )
    assert row.percent == 50.0  # half the way from 60 to 80
    assert row.expected == pytest.approx(60 + 20 * 274 / 366)


# --- lower is better ------------------------------------------------------------------------


def test_lower_is_better_from_a_baseline(tmp_path: Path) -> None:
    kr = key_result(
        "k", 20, "level", "mean", {"dusit": 20}, direction="lower", baseline=100, unit="cases"
    )
    row = one(tmp_path, kr, {"dusit": [("k", "2567-06", 60)]})
    assert row.percent == 50.0  # 100 → 60 is half the way to 20
    assert row.expected == pytest.approx(100 - 80 * 274 / 366)
    assert row.status == "at-risk"  # 50 % done where 74.9 % is expected: 24.9 points behind


def test_lower_is_better_reached_is_done(tmp_path: Path) -> None:
    kr = key_result("k", 20, "level", "mean", {"dusit": 20}, direction="lower", baseline=100)
    assert one(tmp_path, kr, {"dusit": [("k", "2567-06", 20)]}).status == "done"


def test_lower_is_better_without_a_baseline_above_the_target(tmp_path: Path) -> None:
    kr = key_result(
        "k", 20, "level", "share-at-target", {"dusit": 10, "bang-rak": 10}, direction="lower"
    )
    row = one(tmp_path, kr, {"dusit": [("k", "2567-06", 12.5)], "bang-rak": [("k", "2567-06", 4)]})
    assert row.actual == 1  # bang-rak is at or below its 10; dusit is above it
    assert row.bands is not None
    assert row.bands.to_dict()["half-or-more"] == 1  # dusit: 10 / 12.5 = 80 % of the way
    kr_sum = key_result("s", 20, "level", "latest", {"dusit": 20}, direction="lower")
    root = write_dataset(tmp_path / "b", [policy("p", [kr_sum])], {"dusit": [("s", "2567-06", 40)]})
    assert rows(root)["s"].percent == 50.0  # target / actual


# --- the time of year and the status thresholds ---------------------------------------------


@pytest.mark.parametrize(
    ("done", "elapsed", "expected"),
    [
        (None, 0.5, "no-data"),
        (1.0, 0.1, "done"),
        (1.2, 0.1, "done"),
        (0.40, 0.50, "on-track"),  # 10 points behind: the edge of on track
        (0.399, 0.50, "at-risk"),
        (0.25, 0.50, "at-risk"),  # 25 points behind: the edge of at risk
        (0.249, 0.50, "behind"),
        (0.0, 1 / 366, "on-track"),  # the first day of the year
        (0.99, 1.0, "behind"),  # the year is over: short of the target is behind
    ],
)
def test_status_thresholds(done: float | None, elapsed: float, expected: str) -> None:
    assert status(done, elapsed) == expected


@pytest.mark.parametrize(
    ("as_of", "actual", "elapsed", "expected_value", "verdict"),
    [
        # start of FY 2567: October is over on its 31st, 31 of 366 days
        (date(2023, 10, 31), 0, 31 / 366, 1000 * 31 / 366, "on-track"),
        # the middle: 31 March 2024 is day 183 of 366, exactly half
        (date(2024, 3, 31), 400, 0.5, 500, "on-track"),
        (date(2024, 3, 31), 399, 0.5, 500, "at-risk"),
        (date(2024, 3, 31), 250, 0.5, 500, "at-risk"),
        (date(2024, 3, 31), 249, 0.5, 500, "behind"),
        # the end of the year
        (date(2024, 9, 30), 999, 1.0, 1000, "behind"),
        (date(2024, 9, 30), 1000, 1.0, 1000, "done"),
    ],
)
def test_on_track_at_fixed_as_of_dates(
    tmp_path: Path,
    as_of: date,
    actual: float,
    elapsed: float,
    expected_value: float,
    verdict: str,
) -> None:
    row = one(
        tmp_path,
        key_result("k", 1000, "cumulative", "sum", {"dusit": 1000}),
        {"dusit": [("k", "2566-10", actual)]},
        as_of,
    )
    assert row.expected_percent == pytest.approx(elapsed * 100)
    assert row.expected == pytest.approx(expected_value)
    assert row.status == verdict


def test_nothing_reported_by_the_first_day_is_no_data(tmp_path: Path) -> None:
    row = one(
        tmp_path,
        key_result("k", 1000, "cumulative", "sum", {"dusit": 1000}),
        {"dusit": [("k", "2566-10", 5)]},
        date(2023, 10, 1),
    )
    assert (row.status, row.actual, row.reported) == ("no-data", None, 0)
    assert row.expected_percent == pytest.approx(100 / 366)


def test_after_the_year_the_header_says_so_and_points_at_the_last_report(tmp_path: Path) -> None:
    root = write_dataset(
        tmp_path,
        [policy("p", [key_result("k", 10, allocations={"dusit": 10})])],
        {"dusit": [("k", "2567-06", 4)]},
    )
    report = status_report(load(root), Query(as_of=date(2026, 11, 23)))
    assert report.scope.fiscal_year == 2567
    assert [n.en for n in report.scope.notes] == [
        "no OKR is for FY 2570 (the year of 2026-11-23); showing FY 2567, the latest with OKRs",
        "FY 2567 ended on 30 Sep 2024: short of target is behind; the latest report is for a "
        "period ending 30 Jun 2024 (--as-of 2024-06-30 shows the year as it stood then)",
    ]
    assert report.scope.notes[0].th == (
        "ไม่มี OKR ของปีงบประมาณ 2570 (ปีของวันที่ 2026-11-23); แสดงปีงบประมาณ 2567 ซึ่งเป็นปีล่าสุดที่มี OKR"
    )
    assert report.rows[0].status == "behind"


# --- sub-targets and bands --------------------------------------------------------------------


def test_sub_targets_come_right_after_their_parent() -> None:
    report = status_report(load(MINI), Query(as_of=JUNE_30, lang="en"))
    assert [(r.key_result, r.parent) for r in report.rows] == [
        ("trees-planted", None),
        ("trees-perennial", "trees-planted"),
        ("trees-waste-collected", None),
        ("canals-dredged", None),
    ]
    planted, perennial = report.rows[0], report.rows[1]
    assert (planted.actual, planted.target, planted.status) == (540, 1000, "at-risk")
    assert (perennial.actual, perennial.target, perennial.status) == (100, 400, "behind")
    assert report.counts == {"done": 0, "on-track": 0, "at-risk": 2, "behind": 2, "no-data": 0}


def test_district_bands_count_districts_only(tmp_path: Path) -> None:
    row = rows(MINI)["canals-dredged"]  # dds 7 of 15 is not a district
    assert row.bands is not None
    assert row.bands.to_dict() == {
        "at-target": 1,  # bang-rak 5 of 5
        "half-or-more": 1,  # phra-nakhon 3 of 5
        "below-half": 0,
        "not-reported": 1,  # pathum-wan
    }
    assert (row.actual, row.reported, row.allocated) == (15, 3, 4)


# --- filters ----------------------------------------------------------------------------------


@pytest.fixture
def three_policies(tmp_path: Path) -> Path:
    return write_dataset(
        tmp_path,
        [
            policy("trees", [key_result("t", 100, allocations=ALL_FOUR)], urgent=True),
            policy(
                "canals",
                [key_result("c", 10, allocations={"dds": 5, "bang-rak": 5})],
                group="infrastructure",
                dimension="safety",
                host="dds",
                supporters=["zone:south"],
                key_project=True,
            ),
            policy(
                "okr-binding",
                [key_result("b", 100, allocations={"sed": 100})],
                group="budget",
                dimension="management",
                host="sed",
                supporters=[],
                fiscal_year=2568,
            ),
        ],
        {"dds": [("c", "2567-03", 2)]},
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["t", "c"]),
        ({"group": "infrastructure"}, ["c"]),
        ({"group": "กลุ่มภารกิจด้านโครงสร้างพื้นฐานและความปลอดภัย"}, ["c"]),
        ({"group": "คุณภาพชีวิต"}, ["t"]),  # a unique part of a Thai name
        ({"group": "quality of life"}, ["t"]),  # an English name, any case
        ({"dimension": "safety"}, ["c"]),
        ({"dimension": "สิ่งแวดล้อมดี"}, ["t"]),
        ({"agency": "dds"}, ["c"]),  # host, with an allocation
        # supporter through all-districts and zone:south, but no allocation on c: not shown
        ({"agency": "pathum-wan"}, ["t"]),
        ({"agency": "dusit"}, ["t"]),
        ({"agency": "bang-rak"}, ["t", "c"]),
        ({"agency": "สสล."}, []),  # an abbreviation; env hosts t, the districts carry it
        ({"policy": "canals"}, ["c"]),
        ({"policy": "t"}, ["t"]),  # a key result id
        ({"urgent": True}, ["t"]),
        ({"key_projects": True}, ["c"]),
        ({"fiscal_year": 2568}, ["b"]),
        ({"fiscal_year": 2568, "group": "budget"}, ["b"]),
        ({"group": "budget"}, []),  # its only policy is for FY 2568
    ],
)
def test_filters(three_policies: Path, filters: dict, expected: list[str]) -> None:
    assert list(rows(three_policies, **filters)) == expected


def test_default_fiscal_year_is_the_as_of_days(three_policies: Path) -> None:
    assert list(rows(three_policies, date(2024, 10, 1))) == ["b"]  # FY 2568 starts


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            {"group": "infrastruktur"},
            "unknown group 'infrastruktur'; did you mean 'infrastructure'?",
        ),
        ({"group": "roads"}, "unknown group 'roads'; expected one of: budget, quality-of-life"),
        ({"group": "กลุ่มภารกิจ"}, "group 'กลุ่มภารกิจ' is ambiguous"),
        ({"agency": "dusitt"}, "did you mean 'dusit'?"),
        ({"policy": "nope"}, "unknown policy or key result 'nope'"),
        ({"fiscal_year": 2024}, "fiscal year 2024 looks like a CE year"),
    ],
)
def test_unknown_filters_are_usage_errors(
    three_policies: Path, filters: dict, message: str
) -> None:
    with pytest.raises(UsageError) as info:
        rows(three_policies, **filters)
    assert message in str(info.value)


def test_a_year_with_no_okr_is_said(three_policies: Path) -> None:
    report = status_report(load(three_policies), Query(as_of=JUNE_30, fiscal_year=2569))
    assert report.rows == []
    assert report.scope.notes[0].en == "no OKR is for FY 2569; years with OKRs: 2567, 2568"


def test_names_follow_the_language() -> None:
    ds = load(MINI)
    th = status_report(ds, Query(as_of=JUNE_30, lang="th")).rows[0]
    en = status_report(ds, Query(as_of=JUNE_30, lang="en")).rows[0]
    assert (th.title, th.host_name) == ("จำนวนต้นไม้ที่ปลูก", "สำนักสิ่งแวดล้อม")
    assert (en.title, en.host_name) == ("Trees planted", "Environment Department")


# --- by agency, zone, district -----------------------------------------------------------------


def test_by_district_is_worst_first_with_the_silent_on_top() -> None:
    report = by_report(
        load(MINI), Query(as_of=JUNE_30, lang="en", policy="trees-planted"), "district"
    )
    table, sub_target = report.tables  # a key result comes with its sub-targets
    assert sub_target.key_result.key_result == "trees-perennial"
    assert [(r.agency, r.actual, r.percent, r.band) for r in table.rows] == [
        ("pathum-wan", None, None, "not-reported"),
        ("bang-rak", 90, 36.0, "below-half"),
        ("dusit", 150, 60.0, "half-or-more"),
        ("phra-nakhon", 300, 120.0, "at-target"),
    ]


def test_by_zone_aggregates_with_the_key_results_own_rule() -> None:
    ds = load(MINI)
    planted, _ = by_report(ds, Query(as_of=JUNE_30, policy="trees-planted"), "zone").tables
    assert [(r.agency, r.target, r.actual, r.reported, r.allocated) for r in planted.rows] == [
        ("south", 500, 90, 1, 2),
        ("central", 500, 450, 2, 2),
    ]
    [share] = by_report(ds, Query(as_of=JUNE_30, policy="trees-waste-collected"), "zone").tables
    # phra-nakhon 100 %, dusit 80 %: 1 of 2 at target in central; bang-rak 30 %: 0 of 2 south;
    # the target is the level each must reach, the count is out of count_target
    assert [(r.agency, r.target, r.count_target, r.actual) for r in share.rows] == [
        ("south", 100, 2, 0),
        ("central", 100, 2, 1),
    ]


def test_by_agency_includes_departments() -> None:
    [table] = by_report(load(MINI), Query(as_of=JUNE_30, policy="canals-dredged"), "agency").tables
    assert [(r.agency, r.actual) for r in table.rows] == [
        ("pathum-wan", None),
        ("dds", 7),
        ("phra-nakhon", 3),
        ("bang-rak", 5),
    ]


# --- what the tool refuses ---------------------------------------------------------------------


def test_a_dataset_with_errors_is_refused_unless_allowed(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    edit(root / "policies/environment/trees.yaml", "pathum-wan: 250", "pathum-wan: 240")
    with pytest.raises(DataError) as info:
        open_dataset(root)
    assert "has 1 error (first: policies/environment/trees.yaml:" in str(info.value)
    assert "E402" in str(info.value)
    ds, errors = open_dataset(root, allow_errors=True)
    assert errors == 1
    assert status_report(ds, Query(as_of=JUNE_30)).rows[0].target == 1000


@pytest.mark.parametrize(
    ("text", "day"),
    [("2024-06-30", date(2024, 6, 30)), ("2567-06-30", date(2024, 6, 30))],
)
def test_as_of_days_in_ce_or_be(text: str, day: date) -> None:
    assert parse_day(text) == day


def test_a_bad_as_of_day_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="expected YYYY-MM-DD"):
        parse_day("30/06/2024")


# --- the city row of each aggregation rule agrees with its agencies -------------------------------

MIXED = {
    "phra-nakhon": [("k", "2567-06", 30)],  # 30 of 25 or of 100: ahead
    "dusit": [("k", "2567-06", 19)],  # 76 %: on track
    "bang-rak": [("k", "2567-06", 14)],  # 56 %: at risk
}


@pytest.mark.parametrize("aggregate", get_args(Aggregate))
@pytest.mark.parametrize("measure", get_args(Measure))
def test_every_city_row_counts_its_agencies_by_the_same_rule(
    tmp_path: Path, aggregate: str, measure: str
) -> None:
    kr = key_result("k", 100 if aggregate == "sum" else 25, measure, aggregate, ALL_FOUR)
    root = write_dataset(tmp_path, [policy("p", [kr])], MIXED)
    ds = load(root)
    [row] = status_report(ds, Query(as_of=JUNE_30, lang="en")).rows
    assert row.status_counts == {
        "done": 1, "on-track": 1, "at-risk": 1, "behind": 0, "no-data": 1,
    }  # fmt: skip
    for by in ("district", "agency"):  # the four agencies are districts: the same rows
        [table] = by_report(ds, Query(as_of=JUNE_30, lang="en"), by).tables  # type: ignore[arg-type]
        assert Counter(r.status for r in table.rows) == {
            "done": 1, "on-track": 1, "at-risk": 1, "no-data": 1,
        }  # fmt: skip
        assert table.key_result.status_counts == row.status_counts
    # pathum-wan has not reported for June: 3 of 4 reported, none stale
    assert (row.reported, row.stale, row.allocated) == (3, 0, 4)


def test_the_city_rule_of_every_aggregate_of_the_model_is_written_down() -> None:
    assert set(CITY_STATUS) == set(get_args(Aggregate))
    page = (Path(__file__).parent.parent / "docs/definitions.md").read_text(encoding="utf-8")
    for aggregate in get_args(Aggregate):
        assert f"| `{aggregate}` |" in page
        assert CITY_STATUS[aggregate].__name__ == "city_status_" + aggregate.replace("-", "_")


@pytest.mark.parametrize(
    ("levels", "expected", "verdict"),
    [
        ((100, 100, 100, 100), 4, "done"),
        ((100, 100, 100, 80), 4, "on-track"),  # 80 % by 30 June: on track, not yet at target
        ((100, 100, 80, 50), 3, "at-risk"),  # 1 of 4 (25 points) not on track
        ((100, 80, 50, 50), 2, "behind"),  # 2 of 4 not on track
        ((100, 100, 100, None), 3, "at-risk"),  # not reported is not on track
        ((None, None, None, None), 0, "no-data"),
    ],
)
def test_share_at_target_city_status_comes_from_the_agencies_own(
    tmp_path: Path, levels: tuple, expected: int, verdict: str
) -> None:
    reports = {
        agency: [("k", "2567-06", level)]
        for agency, level in zip(LEVEL_100, levels, strict=True)
        if level is not None
    }
    kr = key_result("k", 100, "level", "share-at-target", LEVEL_100, unit="percent")
    row = one(tmp_path, kr, reports)
    assert (row.expected, row.status) == (expected, verdict)
    assert row.actual == (levels.count(100) if reports else None)


def test_the_city_row_of_a_share_is_behind_once_the_year_is_over(tmp_path: Path) -> None:
    kr = key_result("k", 100, "level", "share-at-target", LEVEL_100, unit="percent")
    reports = {a: [("k", "2567-09", 100)] for a in ("phra-nakhon", "dusit", "bang-rak")}
    reports["pathum-wan"] = [("k", "2567-09", 99)]
    row = one(tmp_path, kr, reports, as_of=date(2024, 10, 15))
    assert (row.actual, row.expected, row.status) == (3, 3, "behind")


# --- one agency's own rows --------------------------------------------------------------------------


def test_agency_rows_are_against_its_own_allocation(tmp_path: Path) -> None:
    kr = key_result("k", 100, "increment", "sum", ALL_FOUR)
    root = write_dataset(tmp_path, [policy("p", [kr])], MIXED)
    [row] = rows(root, agency="dusit").values()
    assert (row.agency, row.target, row.actual, row.percent) == ("dusit", 25, 19, 76.0)
    assert row.expected == pytest.approx(25 * 274 / 366)
    assert (row.status, row.reported, row.allocated, row.bands) == ("on-track", 1, 1, None)
    assert row.city is not None
    assert (row.city.target, row.city.actual, row.city.status) == (100, 63, "at-risk")


def test_a_lower_is_better_agency_expects_its_target_over_the_year_gone(tmp_path: Path) -> None:
    kr = key_result(
        "k", 20, "level", "share-at-target", {"dusit": 10, "bang-rak": 10}, direction="lower"
    )
    root = write_dataset(tmp_path, [policy("p", [kr])], {"dusit": [("k", "2567-06", 12.5)]})
    [row] = rows(root, agency="dusit").values()
    # progress target / actual = 80 %; it equals the 74.9 % of the year gone at 10 / 0.749
    assert (row.percent, row.status) == (80.0, "on-track")
    assert row.expected == pytest.approx(10 / (274 / 366))


# --- the period and whether an agency reported for it ---------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "period"),
    [
        (date(2023, 10, 30), None),  # October is not over
        (date(2023, 10, 31), "2566-10"),
        (date(2024, 6, 15), "2567-05"),
        (date(2024, 6, 30), "2567-06"),
        (date(2026, 1, 1), "2567-09"),  # the year is over: its last month
    ],
)
def test_the_period_due_is_the_latest_month_ended(as_of: date, period: str | None) -> None:
    due = due_period(2567, as_of)
    assert (str(due) if due else None) == period


def test_a_quarter_reports_for_its_months_and_an_older_value_is_stale(tmp_path: Path) -> None:
    kr = key_result("k", 100, "cumulative", "sum", ALL_FOUR)
    reports = {
        "phra-nakhon": [("k", "FY2567-Q3", 10)],
        "dusit": [("k", "2567-04", 10)],
        "bang-rak": [("k", "2567-06", 10)],
    }
    root = write_dataset(tmp_path, [policy("p", [kr])], reports)
    table = by_report(load(root), Query(as_of=JUNE_30, lang="en"), "agency").tables[0]
    assert sorted((r.agency, r.report, r.last_period) for r in table.rows) == [
        ("bang-rak", "reported", "2567-06"),
        ("dusit", "stale", "2567-04"),
        ("pathum-wan", "none", None),
        ("phra-nakhon", "reported", "FY2567-Q3"),
    ]
    row = table.key_result
    assert (row.period, row.reported, row.stale, row.actual) == ("2567-06", 2, 1, 30)
