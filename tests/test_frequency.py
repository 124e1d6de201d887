"""Reported by quarter: one rule (``progress/frequency.py``) for the workshop sheet, the report
template, the handbook, the site's trend, history and what a project owes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from progress_data import key_result, policy, write_dataset

from okrtool.fiscal import parse_period
from okrtool.progress import Query, open_dataset
from okrtool.progress.frequency import by_quarter, frequencies
from okrtool.progress.handbook import handbook
from okrtool.progress.site import trends

from helpers import run


def _project(project_id: str, owner: str, kr: str) -> dict[str, str]:
    return {
        "id": project_id,
        "title_th": f"โครงการ {project_id}",
        "title_en": f"Project {project_id}",
        "owner": owner,
        "key_result": kr,
        "status": "in-progress",
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """``q``: both districts report by quarter; ``mixed``: phra-nakhon by quarter, dusit by
    month; ``silent``: no value at all. The host env reports none of them and owns a project on
    each; phra-nakhon owns one on ``mixed``."""
    both = {"phra-nakhon": 5, "dusit": 5}
    p = policy(
        "p",
        [
            key_result("q", 10, allocations=both),
            key_result("mixed", 10, allocations=both),
            key_result("silent", 10, allocations=both),
        ],
        supporters=["phra-nakhon", "dusit"],
    )
    p["okrs"][0]["projects"] = [
        _project("on-q", "env", "q"),
        _project("on-mixed", "env", "mixed"),
        _project("on-silent", "env", "silent"),
        _project("own-mixed", "phra-nakhon", "mixed"),
    ]
    return write_dataset(
        tmp_path,
        [p],
        {
            "phra-nakhon": [
                ("q", "FY2567-Q1", 1),
                ("q", "FY2567-Q2", 1),
                ("mixed", "FY2567-Q1", 1),
                ("mixed", "FY2567-Q2", 1),
            ],
            "dusit": [
                ("q", "FY2567-Q1", 1),
                ("mixed", "2567-04", 1),
                ("mixed", "2567-05", 1),
            ],
        },
    )


def test_by_quarter_needs_a_value_and_every_value_a_quarter() -> None:
    q1, q2, may = (parse_period(p) for p in ("FY2567-Q1", "FY2567-Q2", "2567-05"))
    assert (by_quarter([q1, q2]), by_quarter([q1, may]), by_quarter([may]), by_quarter([])) == (
        True,
        False,
        False,
        False,
    )


def test_an_agency_a_key_result_and_a_project_each_by_the_one_rule(root: Path) -> None:
    ds, _ = open_dataset(root)
    freq = frequencies(ds, 2567)
    agencies = [
        freq.agency_frequency(kr, a)
        for kr in ("q", "mixed", "silent")
        for a in ("phra-nakhon", "dusit")
    ]
    assert agencies == ["quarterly", "quarterly", "quarterly", "monthly", "monthly", "monthly"]
    # one district by month makes the key result monthly; no value: monthly
    assert [freq.key_result_frequency(kr) for kr in ("q", "mixed", "silent")] == [
        "quarterly",
        "monthly",
        "monthly",
    ]
    assert freq.quarterly_key_results() == {"q"}
    projects = {p.id: p for okr in ds.okrs.values() for p in okr.projects}
    # env reports none: the key result's way; phra-nakhon reports "mixed" by quarter: its own
    assert {pid: freq.project_quarterly(p) for pid, p in projects.items()} == {
        "on-q": True,
        "on-mixed": False,
        "on-silent": False,
        "own-mixed": True,
    }
    # values of another fiscal year say nothing about this one
    assert frequencies(ds, 2568).quarterly_key_results() == set()


def test_status_projects_csv_gives_the_period_each_project_owes(root: Path) -> None:
    code, output = run(
        "status", "--projects", "--data", str(root), "--as-of", "2024-05-31", "--lang", "en",
        "--format", "csv",
    )  # fmt: skip
    assert code == 0, output
    assert output.splitlines() == [
        "agency,name_th,name_en,okrs_bound,projects,not_started,in_progress,done,cancelled,"
        "not_reported,not_reported_projects,not_reported_periods",
        "env,สำนักสิ่งแวดล้อม,Environment Department,1,3,0,3,0,0,3,on-q on-mixed on-silent,"
        "FY2567-Q2 2567-05 2567-05",
        "phra-nakhon,พระนคร,Phra Nakhon,1,1,0,1,0,0,1,own-mixed,FY2567-Q2",
    ]


def test_the_handbook_shows_each_agencys_own_frequency(root: Path) -> None:
    ds, _ = open_dataset(root)
    book = handbook(ds, "env", Query(as_of=date(2024, 5, 31), lang="en"))
    rows = book.hosted[0].policies[0].key_results
    assert [(kr.id, [(a.agency.id, a.frequency) for a in kr.allocations]) for kr in rows] == [
        ("q", [("phra-nakhon", "quarterly"), ("dusit", "quarterly")]),
        ("mixed", [("phra-nakhon", "quarterly"), ("dusit", "monthly")]),
        ("silent", [("phra-nakhon", "monthly"), ("dusit", "monthly")]),
    ]


def test_the_workshop_sheet_shows_the_key_results_frequency(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    code, output = run("plan-template", "--data", str(root), "--policy", "p", "-o", str(out))
    assert code == 0, output
    ws = openpyxl.load_workbook(out)["OKR"]
    assert ws["L9"].value == "ความถี่การรายงาน\nReporting frequency"
    assert [(ws[f"B{r}"].value, ws[f"L{r}"].value) for r in range(10, 13)] == [
        ("q", "quarterly"),
        ("mixed", "monthly"),
        ("silent", "monthly"),
    ]


def test_the_site_trend_and_history_go_by_quarter_for_the_key_result_reported_so(
    root: Path,
) -> None:
    ds, _ = open_dataset(root)
    trend = trends(ds, 2567, date(2024, 6, 30))
    assert [p.period for p in trend["q"]] == ["FY2567-Q1", "FY2567-Q2", "FY2567-Q3"]
    assert [p.period for p in trend["mixed"]][:3] == ["2566-10", "2566-11", "2566-12"]
    code, output = run(
        "history", "q", "--data", str(root), "--as-of", "2024-06-30", "--format", "json"
    )
    assert code == 0, output
    assert [r["period"] for r in json.loads(output)["rows"]] == [
        "FY2567-Q1",
        "FY2567-Q2",
        "FY2567-Q3",
        "FY2567-Q4",
    ]
