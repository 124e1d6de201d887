"""`okrtool status` end to end: the brief's June 2024 figures on the shipped data, every output
format parsed back, a Thai table that stays aligned, and what the command refuses."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rich.cells import cell_len

from okrtool.render import DEFAULT_WIDTH

from helpers import MINI, SHIPPED, copy_dataset, edit, run

JUNE = ("--as-of", "2024-06-30")
BORDERS = "│┃┌┐└┘├┤┬┴┼┏┓┡┩┳╇━─"


def shipped(*args: str) -> tuple[int, str]:
    return run("status", "--data", str(SHIPPED), *JUNE, *args)


def as_json(*args: str, data: Path = SHIPPED) -> dict:
    code, out = run("status", "--data", str(data), *JUNE, "--format", "json", *args)
    assert code == 0, out
    return json.loads(out)


def by_id(doc: dict) -> dict[str, dict]:
    return {row["key_result"]: row for row in doc["rows"]}


# --- the brief's June 2024 meeting, on the shipped data -----------------------------------------


def test_trees_with_perennials_beneath() -> None:
    doc = as_json("--group", "quality-of-life")
    keys = [r["key_result"] for r in doc["rows"]]
    assert keys.index("env-trees-perennial") == keys.index("env-trees-planted") + 1
    trees, perennial = by_id(doc)["env-trees-planted"], by_id(doc)["env-trees-perennial"]
    assert (trees["actual"], trees["target"], trees["status"]) == (218910, 200000, "done")
    assert round(trees["percent"], 1) == 109.5
    assert (perennial["actual"], perennial["target"]) == (45719, 157567)
    assert perennial["parent"] == "env-trees-planted"


def test_parks_at_57_05_percent() -> None:
    parks = by_id(as_json("--policy", "env-parks-15min"))["env-parks-15min-opened"]
    assert (parks["actual"], parks["target"], round(parks["percent"], 2)) == (89, 156, 57.05)


def test_waste_collection_district_bands() -> None:
    row = by_id(as_json("--policy", "env-waste-collection"))["env-waste-collection-buildings"]
    assert row["districts"] == {
        "at-target": 31,
        "half-or-more": 7,
        "below-half": 12,
        "not-reported": 0,
    }
    assert (row["actual"], row["allocated"]) == (31, 50)


def test_separated_waste_with_five_districts_at_target() -> None:
    row = by_id(as_json("--policy", "env-waste-separation"))["env-waste-separated"]
    assert (row["actual"], row["target"], row["unit"]) == (49574, 73200, "tonnes")
    assert row["districts"]["at-target"] == 5


def test_waste_points_target_set_but_nothing_reported() -> None:
    row = by_id(as_json("--policy", "env-waste-points"))["env-waste-points-set"]
    assert (row["target"], row["actual"], row["status"]) == (2473, None, "no-data")


def test_the_quality_of_life_table_shows_the_figures_as_people_read_them() -> None:
    code, out = shipped("--group", "quality-of-life", "--lang", "en", "--width", "160")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == (
        "Quality of Life — FY 2567 (1 Oct 2023 – 30 Sep 2024), as of 30 Jun 2024: "
        "74.9 % of the year gone"
    )
    assert lines[1] == "9 key results: 1 done · 1 on track · 1 at risk · 5 behind · 1 no data"

    def cells(title: str) -> list[str]:
        [line] = [x for x in lines if f"│ {title}" in x or f"│   {title}" in x]
        return [c.strip() for c in line.strip("│").split("│")]

    assert cells("Trees planted")[1:] == [
        "200,000 trees", "218,910", "109.5 %", "149,727", "done", "50/50", "33", "17", "0", "0",
    ]  # fmt: skip
    assert cells("└ Perennial trees planted")[1:4] == ["157,567 trees", "45,719", "29.0 %"]
    assert cells("15-minute parks opened")[1:4] == ["156 parks", "89", "57.1 %"]
    # 31 districts at 100 %, 5 more on track for 30 June: 14 of 50 (28 points) are not: behind
    assert cells("Buildings whose waste is collected")[1:] == [
        "100 % in each", "31 of 50", "62.0 %", "on track 36/50", "behind", "50/50",
        "31", "7", "12", "0",
    ]  # fmt: skip
    assert cells("Waste separated at source")[1:4] == ["73,200 tonnes", "49,574", "67.7 %"]


def test_infrastructure_group_on_the_shipped_data() -> None:
    doc = as_json("--group", "infrastructure")
    assert doc["header"]["title"] == "กลุ่มภารกิจด้านโครงสร้างพื้นฐานและความปลอดภัย"
    assert {r["policy"] for r in doc["rows"]} == {
        "infra-canals",
        "infra-drains",
        "infra-risk-spots",
        "infra-street-lighting",
        "infra-footpaths",
    }
    assert sum(doc["header"]["counts"].values()) == len(doc["rows"]) == 8


def test_thai_group_name_selects_the_same_rows() -> None:
    assert (
        as_json("--group", "ด้านคุณภาพชีวิต")["rows"] == as_json("--group", "quality-of-life")["rows"]
    )


# --- formats ----------------------------------------------------------------------------------


def test_json_document() -> None:
    doc = as_json("--data", str(MINI), data=MINI)
    assert doc["header"] == {
        "title": "ทุกกลุ่มภารกิจ",
        "fiscal_year": 2567,
        "fiscal_year_start": "2023-10-01",
        "fiscal_year_end": "2024-09-30",
        "as_of": "2024-06-30",
        "elapsed_percent": 74.863388,
        "filters": {},
        "key_results": 4,
        "counts": {"done": 0, "on-track": 0, "at-risk": 2, "behind": 2, "no-data": 0},
        "notes": [],
        "period": "2567-06",
        "agency": None,
        "edition": None,  # the mini dataset lists no editions of the plan
        "definitions": "docs/definitions.md",
    }
    planted = doc["rows"][0]
    assert planted == {
        "policy": "trees",
        "policy_title": "ปลูกต้นไม้ล้านต้น",
        "key_result": "trees-planted",
        "title": "จำนวนต้นไม้ที่ปลูก",
        "parent": None,
        "host": "env",
        "host_name": "สำนักสิ่งแวดล้อม",
        "unit": "trees",
        "unit_name": "trees",
        "direction": "higher",
        "measure": "increment",
        "aggregate": "sum",
        "baseline": 0,
        "target": 1000,
        "actual": 540,
        "percent": 54,
        "expected": 748.63388,
        "expected_percent": 74.863388,
        "status": "at-risk",
        "reported": 3,
        "allocated": 4,
        "districts": {"at-target": 1, "half-or-more": 1, "below-half": 1, "not-reported": 1},
        "last_period": "2567-06",
        "period": "2567-06",
        "stale": 0,
        "status_counts": {"done": 1, "on-track": 0, "at-risk": 1, "behind": 1, "no-data": 1},
        "count_target": None,
        "agency": None,
        "city": None,
    }


def test_csv_rows() -> None:
    code, out = run("status", "-d", str(MINI), *JUNE, "--format", "csv", "--lang", "en")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["key_result"] for r in rows] == [
        "trees-planted",
        "trees-perennial",
        "trees-waste-collected",
        "canals-dredged",
    ]
    canals = rows[3]
    assert (canals["target"], canals["actual"], canals["percent"], canals["status"]) == (
        "30",
        "15",
        "50",
        "at-risk",
    )
    assert (canals["reported"], canals["allocated"], canals["districts_not_reported"]) == (
        "3",
        "4",
        "1",
    )
    assert rows[1]["parent"] == "trees-planted"
    assert rows[0]["title"] == "Trees planted"


def test_markdown_table() -> None:
    code, out = run("status", "-d", str(MINI), *JUNE, "--format", "markdown", "--lang", "en")
    assert code == 0
    assert out.startswith("**all groups — FY 2567 (1 Oct 2023 – 30 Sep 2024), as of 30 Jun 2024")
    assert (
        "| **Plant a million trees**: Trees planted | 1,000 trees | 540 | 54.0 % | 749 | at risk "
        "| 3/4 | 1 | 1 | 1 | 1 |"
    ) in out.splitlines()
    assert (
        "| └ Perennial trees | 400 trees | 100 | 25.0 % | 299 | behind | 2/4 | 0 | 1 | 1 | 2 |"
        in out
    )


def test_by_district_json_and_csv() -> None:
    args = ("status", "-d", str(MINI), *JUNE, "--policy", "canals", "--by", "district")
    code, out = run(*args, "--format", "json")
    assert code == 0
    [table] = json.loads(out)["tables"]
    assert [(r["agency"], r["band"]) for r in table["rows"]] == [
        ("pathum-wan", "not-reported"),
        ("phra-nakhon", "half-or-more"),
        ("bang-rak", "at-target"),
    ]
    code, out = run(*args, "--format", "csv", "--lang", "en")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["name"], r["zone_name"], r["actual"]) for r in rows] == [
        ("Pathum Wan", "Southern Bangkok", ""),
        ("Phra Nakhon", "Central Bangkok", "3"),
        ("Bang Rak", "Southern Bangkok", "5"),
    ]


def test_by_zone_table_on_the_shipped_data() -> None:
    code, out = shipped("--policy", "env-waste-separated", "--by", "zone", "--lang", "en")
    assert code == 0, out
    assert "Waste separated at source (env-waste-separated) — target 73,200 tonnes" in out
    first_zone = next(line for line in out.splitlines() if line.startswith("│ ") and "/" in line)
    assert first_zone.startswith("│ Central ")  # Central Bangkok: the lowest share of its target


# --- the table on a terminal ------------------------------------------------------------------


def border_columns(line: str) -> list[int]:
    """The display columns (cells, not code points) at which a table row has a border."""
    out, col = [], 0
    for ch in line:
        if ch == "│":
            out.append(col)
        col += cell_len(ch)
    return out


@pytest.mark.parametrize("width", [72, 90, 100, 120, 160])
def test_thai_table_lines_up_at_a_fixed_width(width: int) -> None:
    code, out = shipped("--width", str(width))  # Thai is the default language
    assert code == 0, out
    table = [line for line in out.splitlines() if line[:1] in BORDERS]
    assert len(table) > 20
    assert any("ต้นไม้" in line for line in table)  # Thai with marks that take no width
    widths = {cell_len(line) for line in table}
    assert len(widths) == 1 and widths.pop() <= width
    rows = [line for line in table if line.startswith("│")]
    assert {tuple(border_columns(line)) for line in rows} == {tuple(border_columns(rows[0]))}
    assert len(border_columns(rows[0])) >= 6


def test_piped_output_is_plain_text() -> None:
    code, out = shipped()
    assert code == 0
    assert "\x1b[" not in out
    assert max(cell_len(line) for line in out.splitlines() if line[:1] in BORDERS) <= DEFAULT_WIDTH


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from okrtool.cli.app import table_output

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert table_output()[1] is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert table_output()[1] is False


def test_colour_styles_the_status() -> None:
    from datetime import date

    from okrtool.progress import Query, open_dataset, status_report
    from okrtool.render import render_status

    ds, _ = open_dataset(MINI)
    report = status_report(ds, Query(as_of=date(2024, 6, 30), lang="en"))
    assert "\x1b[" in render_status(report, "table", 120, color=True)
    assert "\x1b[" not in render_status(report, "table", 120, color=False)


def test_narrow_tables_drop_columns_and_say_so() -> None:
    code, out = shipped("--width", "80", "--lang", "en")
    assert code == 0
    table = [line for line in out.splitlines() if line[:1] in BORDERS]
    assert max(cell_len(line) for line in table) == 80
    assert not any("Expected" in line or "Districts" in line for line in table)
    assert "District counts are left out below 90 columns: see --by district." in " ".join(
        out.split()
    )


# --- refusals and help ------------------------------------------------------------------------


def test_unknown_group_is_a_usage_error() -> None:
    code, out = shipped("--group", "infrastruktur")
    assert code == 2
    assert "okrtool: unknown group 'infrastruktur'; did you mean 'infrastructure'?" in out


def test_data_with_errors_is_refused_unless_allowed(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    edit(root / "policies/environment/trees.yaml", "pathum-wan: 250", "pathum-wan: 240")
    code, out = run("status", "-d", str(root), *JUNE)
    assert code == 1
    assert "has 1 error (first: policies/environment/trees.yaml:" in out
    assert "Run 'okrtool validate' to see them all, or pass --allow-errors" in out
    code, out = run("status", "-d", str(root), *JUNE, "--allow-errors", "--format", "json")
    assert code == 0
    assert "warning:" in out and "has 1 error(s)" in out


def test_not_a_data_folder(tmp_path: Path) -> None:
    code, out = run("status", "-d", str(tmp_path / "nowhere"))
    assert code == 2
    assert "no such folder" in out


def test_as_of_in_buddhist_era() -> None:
    doc_be = json.loads(run("status", "-d", str(MINI), "--as-of", "2567-06-30", "-f", "json")[1])
    assert doc_be["header"]["as_of"] == "2024-06-30"
    code, out = run("status", "-d", str(MINI), "--as-of", "June")
    assert code == 2 and "expected YYYY-MM-DD" in out


def test_help_does_not_import_the_heavy_modules() -> None:
    code = (
        "import sys, okrtool.cli; "
        "print(sorted(m for m in ('pydantic', 'rich.table', 'okrtool.progress') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    ).stdout
    assert out.strip() == "[]"


def test_the_readme_shows_the_real_infrastructure_table() -> None:
    readme = (SHIPPED.parent / "README.md").read_text(encoding="utf-8")
    command = "okrtool status --group infrastructure --as-of 2024-06-30 --lang en"
    code, out = run(*command.split()[1:], "--data", str(SHIPPED), "--width", "100")
    assert code == 0
    assert f"$ {command}\n{out}```" in readme, "regenerate the README example (--width 100)"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--group", "infrastructure"], ["canals-dredged"]),
        (
            ["--group", "กลุ่มภารกิจด้านคุณภาพชีวิต"],
            ["trees-planted", "trees-perennial", "trees-waste-collected"],
        ),
        (["--dimension", "safety"], ["canals-dredged"]),
        (["--agency", "dds"], ["canals-dredged"]),
        (["--agency", "ดุสิต"], ["trees-planted", "trees-perennial", "trees-waste-collected"]),
        (["--policy", "canals"], ["canals-dredged"]),
        (["--policy", "trees-perennial"], ["trees-perennial"]),
        (["--urgent"], ["trees-planted", "trees-perennial", "trees-waste-collected"]),
        (["--key-projects"], []),
        (["--fy", "2567", "--group", "infrastructure"], ["canals-dredged"]),
    ],
)
def test_every_filter_reaches_the_rows(args: list[str], expected: list[str]) -> None:
    code, out = run("status", "-d", str(MINI), *JUNE, "-f", "csv", *args)
    assert code == 0, out
    assert [r["key_result"] for r in csv.DictReader(io.StringIO(out))] == expected


def test_missing_takes_the_same_filters() -> None:
    code, out = run("missing", "-d", str(MINI), "-f", "csv", "--group", "infrastructure")
    assert code == 0, out
    assert [(r["agency"], r["key_result"]) for r in csv.DictReader(io.StringIO(out))] == [
        ("pathum-wan", "canals-dredged")
    ]
    code, out = run("missing", "-d", str(MINI), "-f", "csv", "--agency", "bang-rak")
    assert [r["key_result"] for r in csv.DictReader(io.StringIO(out))] == ["trees-perennial"]


def test_status_and_missing_read_only_the_reports_of_the_year_they_show(tmp_path: Path) -> None:
    # a broken report file of FY 2566 fails validate, but status and missing for FY 2567 do not
    # read it: their figures cannot depend on it. A broken FY 2567 file still stops them.
    root = copy_dataset(tmp_path)
    old_year = root / "reports/2566"
    old_year.mkdir()
    (old_year / "bang-rak.csv").write_text("not,a,report,file\n", encoding="utf-8")
    code, out = run("validate", str(root))
    assert code == 1
    assert "reports/2566/bang-rak.csv:1:1: E107 header is 'not,a,report,file'" in out
    code, out = run("status", "-d", str(root), *JUNE, "--format", "json")
    assert code == 0, out
    assert json.loads(out)["header"]["fiscal_year"] == 2567
    code, out = run("missing", "-d", str(root), "--period", "2567-06")
    assert code == 0, out
    edit(root / "reports/2567/bang-rak.csv", "key_result,", "key_results,")
    code, out = run("status", "-d", str(root), *JUNE)
    assert code == 1
    assert "has 1 error (first: reports/2567/bang-rak.csv:1: E107 header is" in out


# --- one agency's own figures (--agency) --------------------------------------------------------


def test_agency_rows_are_the_agencys_own_with_the_city_in_its_own_column() -> None:
    doc = as_json("--agency", "bang-rak", "--lang", "en")
    assert doc["header"]["agency"] == "bang-rak"
    rows = by_id(doc)
    trees = rows["env-trees-planted"]
    assert (trees["agency"], trees["target"], trees["actual"], trees["status"]) == (
        "bang-rak", 2320, 2507, "done",
    )  # fmt: skip
    assert round(trees["percent"], 1) == 108.1 and round(trees["expected"], 1) == 1736.8
    assert (trees["city"]["target"], trees["city"]["actual"]) == (200000, 218910)
    parks = rows["env-parks-15min-opened"]
    assert (parks["target"], parks["actual"], parks["percent"], parks["status"]) == (
        2, 1, 50, "at-risk",
    )  # fmt: skip
    assert (parks["city"]["target"], parks["city"]["actual"]) == (156, 89)
    # no row carries a city figure as if it were Bang Rak's
    assert not any(r["target"] in (156, 200000) or r["actual"] == 218910 for r in doc["rows"])
    # key results without an allocation for Bang Rak are not shown, and the header says so
    assert "env-waste-points-set" not in rows and "infra-lights-led" not in rows
    assert doc["header"]["notes"] == [
        "2 key results of the policies Bang Rak hosts or supports have no allocation for it: "
        "not shown (okrtool status without --agency shows the city's figures)"
    ]
    code, out = shipped("--agency", "bang-rak", "--policy", "env-trees", "--format", "csv")
    assert code == 0, out
    assert [
        (r["key_result"], r["agency"], r["target"], r["actual"])
        for r in csv.DictReader(io.StringIO(out))
    ] == [
        ("env-trees-planted", "bang-rak", "2320", "2507"),
        ("env-trees-perennial", "bang-rak", "1828", "518"),
    ]


def md_cells(out: str, needle: str) -> list[str]:
    """The cells of the one Markdown table row holding ``needle``."""
    [line] = [x for x in out.splitlines() if x.startswith("|") and needle in x]
    return [c.strip() for c in line.strip("|").split("|")]


def test_agency_table_labels_the_city_column() -> None:
    code, out = shipped(
        "--agency", "bang-rak", "--policy", "infra-canals", "--lang", "en", "--width", "200"
    )
    assert code == 0, out
    lines = out.splitlines()
    assert lines[1] == (
        "2 key results with an allocation for Bang Rak, each against it: 1 behind · 1 no data"
    )
    code, out = shipped(
        "--agency", "bang-rak", "--policy", "infra-canals", "--lang", "en", "-f", "markdown"
    )
    assert code == 0, out
    assert md_cells(out, "| Key result |") == [
        "Key result", "Target", "Actual", "% of target", "Expected by 30 Jun 2024", "Status",
        "Reported for 2567-06", "City: status, % of target",
    ]  # fmt: skip
    assert md_cells(out, "Canal length dredged")[1:] == [
        "1,063 metres", "298", "28.0 %", "796", "behind", "last reported 2567-04", "behind, 43.0 %",
    ]  # fmt: skip


# --- the city row of share-at-target agrees with its districts ----------------------------------


def test_budget_city_row_is_judged_from_the_districts_own_statuses() -> None:
    row = by_id(as_json("--policy", "mgmt-budget-disbursed"))["mgmt-budget-disbursed"]
    assert (row["actual"], row["expected"], row["status"]) == (0, 48, "on-track")
    assert row["status_counts"] == {
        "done": 0, "on-track": 48, "at-risk": 2, "behind": 0, "no-data": 0,
    }  # fmt: skip
    code, out = run(
        "status", "-d", str(SHIPPED), *JUNE, "--policy", "mgmt-budget-disbursed",
        "--by", "district", "--format", "json",
    )  # fmt: skip
    assert code == 0, out
    [table] = json.loads(out)["tables"]
    assert Counter(r["status"] for r in table["rows"]) == {"on-track": 48, "at-risk": 2}
    code, out = shipped("--policy", "mgmt-budget-disbursed", "--lang", "en", "-f", "markdown")
    assert code == 0, out
    assert md_cells(out, "budget disbursed")[1:7] == [
        "95 % in each", "0 of 50", "0.0 %", "on track 48/50", "on track", "50/50",
    ]  # fmt: skip


def test_share_at_target_target_is_the_level_and_count_target_the_agencies_counted() -> None:
    """``target`` means one thing on every row (95: the level each district must reach); how
    many agencies the count at target is out of is ``count_target``, city and zone alike."""
    row = by_id(as_json("--policy", "mgmt-budget-disbursed"))["mgmt-budget-disbursed"]
    assert (row["target"], row["count_target"], row["allocated"]) == (95, 50, 50)
    assert by_id(as_json("--policy", "env-trees"))["env-trees-planted"]["count_target"] is None
    code, out = run(
        "status", "-d", str(SHIPPED), *JUNE, "--policy", "mgmt-budget-disbursed",
        "--by", "zone", "--format", "json",
    )  # fmt: skip
    assert code == 0, out
    [table] = json.loads(out)["tables"]
    zones = {r["agency"]: (r["target"], r["count_target"], r["allocated"]) for r in table["rows"]}
    assert zones["thonburi-north"] == (95, 8, 8)
    assert {t for t, _, _ in zones.values()} == {95}
    assert sum(n for _, n, _ in zones.values()) == 50
    # the zone table's "Target (agencies)" column still counts districts
    code, out = shipped(
        "--policy", "mgmt-budget-disbursed", "--by", "zone", "--lang", "en", "-f", "markdown"
    )
    assert code == 0, out
    assert md_cells(out, "| North Thonburi |")[1:3] == ["8", "0"]


def test_every_city_row_counts_the_statuses_of_its_by_agency_rows() -> None:
    rows = as_json()["rows"]
    code, out = run("status", "-d", str(SHIPPED), *JUNE, "--by", "agency", "--format", "json")
    assert code == 0, out
    tables = {t["key_result"]["key_result"]: t["rows"] for t in json.loads(out)["tables"]}
    assert {r["aggregate"] for r in rows} == {"sum", "share-at-target"}
    for row in rows:
        agencies = tables[row["key_result"]]
        counts = Counter(r["status"] for r in agencies)
        assert {k: n for k, n in row["status_counts"].items() if n} == counts, row["key_result"]
        assert row["reported"] == sum(r["report"] == "reported" for r in agencies)
        assert row["stale"] == sum(r["report"] == "stale" for r in agencies)


# --- reported for the period, and stale -----------------------------------------------------------


def test_a_value_older_than_the_period_is_stale_not_reported() -> None:
    row = by_id(as_json("--policy", "infra-canals-dredged"))["infra-canals-dredged"]
    assert (row["period"], row["reported"], row["stale"], row["allocated"]) == (
        "2567-06", 0, 51, 51,
    )  # fmt: skip
    assert row["actual"] == 93715  # their April figures still add up to the city's
    code, out = shipped("--policy", "infra-canals-dredged", "--lang", "en", "-f", "markdown")
    assert code == 0, out
    assert md_cells(out, "Canal length dredged")[6] == "0/51 · 51 stale"
    code, out = shipped(
        "--policy", "infra-canals-dredged", "--by", "district", "--lang", "en", "-f", "markdown"
    )
    assert code == 0, out
    assert md_cells(out, "| Bang Rak |")[6] == "last reported 2567-04"


# --- words: dates, plurals, notes, the definitions ---------------------------------------------


def test_expected_is_labelled_with_the_as_of_day() -> None:
    code, out = shipped("--policy", "env-trees", "--format", "markdown", "--lang", "en")
    assert code == 0, out
    assert md_cells(out, "| Key result |")[4:7] == [
        "Expected by 30 Jun 2024", "Status", "Reported for 2567-06",
    ]  # fmt: skip
    code, out = shipped("--policy", "env-trees", "--format", "markdown")
    assert code == 0, out
    assert md_cells(out, "| ตัวชี้วัด |")[4] == "ควรได้ ณ 30 มิ.ย. 2567"
    # judged today, it is "by now"
    code, out = run("status", "-d", str(MINI), "--format", "markdown", "--lang", "en")
    assert code == 0, out
    assert md_cells(out, "| Key result |")[4] == "Expected by now"


def test_english_counts_are_singular_for_one() -> None:
    code, out = shipped("--policy", "infra-lights-led", "--lang", "en", "--width", "200")
    assert code == 0, out
    assert out.splitlines()[1] == "1 key result: 1 at risk"
    code, out = shipped("--policy", "infra-street-lighting", "--lang", "en", "--width", "200")
    assert code == 0, out
    assert out.splitlines()[1] == "2 key results: 1 at risk · 1 behind"


def test_notes_are_in_the_language_of_the_table() -> None:
    code, out = run("status", "-d", str(MINI), "--as-of", "2025-01-15", "--lang", "en")
    assert code == 0, out
    assert out.splitlines()[2] == (
        "note: no OKR is for FY 2568 (the year of 2025-01-15); showing FY 2567, the latest with "
        "OKRs"
    )
    code, out = run("status", "-d", str(MINI), "--as-of", "2025-01-15")
    assert code == 0, out
    assert out.splitlines()[2] == (
        "หมายเหตุ: ไม่มี OKR ของปีงบประมาณ 2568 (ปีของวันที่ 2025-01-15); แสดงปีงบประมาณ 2567 "
        "ซึ่งเป็นปีล่าสุดที่มี OKR"
    )


def test_the_table_names_the_definitions_page() -> None:
    code, out = shipped("--lang", "en", "--width", "200")
    assert code == 0, out
    assert out.splitlines()[-1] == (
        "Definitions: docs/definitions.md — reported for the period, stale, expected by now, "
        "progress, status, the city row of each aggregation rule."
    )
    code, out = shipped("--by", "district", "--policy", "env-trees", "--width", "200")
    assert code == 0, out
    assert out.splitlines()[-1] == (
        "นิยาม: docs/definitions.md — รายงานแล้วของงวด, ค้างรายงาน, ควรได้ ณ วันนี้, "
        "ความคืบหน้า, สถานะ, แถวทั้งเมืองของแต่ละวิธีรวมผล"
    )


def test_the_definitions_live_in_one_page_that_the_readme_links_to() -> None:
    root = SHIPPED.parent
    page = (root / "docs/definitions.md").read_text(encoding="utf-8")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Values counted",
        "## Reported by quarter",
        "## Reported for the period",
        "## Due and overdue",
        "## Progress",
        "## Expected by now",
        "## Status bands",
        "## The city row, for each aggregation rule",
        "## `status --by district` and `--by zone`: what the rows leave out",
        "## `status --agency`",
    ]
    assert "**stale**" in page
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "[docs/definitions.md](docs/definitions.md)" in readme
    # the bands are written down once, there, not again in the README
    assert "| at risk | 10 to 25 points below it |" in page
    assert "10 to 25 points below it" not in readme


def test_a_policy_counts_under_each_of_its_dimension_tags_and_a_note_says_so() -> None:
    doc = as_json("--dimension", "health")
    assert [row["key_result"] for row in doc["rows"]] == [
        "env-trees-planted",
        "env-trees-perennial",
        "health-centres-upgraded",
        "health-zones-networked",
    ]
    assert doc["header"]["notes"] == [
        "a policy counts under each of its dimensions: env-trees is here by its tag 'health'"
    ]
    code, out = shipped("--dimension", "health", "--lang", "en")
    assert code == 0
    assert (
        "note: a policy counts under each of its dimensions: env-trees is here by its tag "
        "'health'" in out.splitlines()
    )


def test_policies_with_no_host_and_no_okr_give_no_row_and_nobody_to_chase() -> None:
    code, out = shipped("--dimension", "creative", "--lang", "en", "--width", "100")
    assert code == 0
    assert out.splitlines()[1:] == [
        "0 key results",
        "Plan edition platform-2024: Governor's platform, BMA usage 2024, in force from FY 2567",
        "No key result matches.",
    ]
    code, out = run("missing", "--data", str(SHIPPED), *JUNE, "--dimension", "creative")
    assert code == 1
    assert out == (
        "okrtool: nothing to report on for 2567-06: no key result of FY 2567 passes the "
        "filters (--dimension creative); 'okrtool status --fy 2567' lists the year's key "
        "results\n"
    )
