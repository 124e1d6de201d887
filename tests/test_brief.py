"""`okrtool brief --host A`: the host's follow-up brief on the shipped data as of 30 June 2024 —
the same figures as status, status --by and missing, the summary and the five rows that need a
decision, the notes and projects, Thai and English, and what the command refuses."""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import SHIPPED, copy_dataset, edit, run

JUNE = ("--as-of", "2024-06-30")
ENV_KEY_RESULTS = [
    "env-parks-15min-opened",
    "env-trees-planted",
    "env-trees-perennial",
    "env-waste-collection-buildings",
    "env-waste-points-set",
    "env-waste-separated",
]


def brief_json(tmp_path: Path, *args: str, data: Path = SHIPPED) -> dict:
    out = tmp_path / "brief.json"
    code, text = run("brief", "--host", "env", "--data", str(data), *JUNE, "-o", str(out), *args)
    assert code == 0, text
    assert text == f"wrote {out}\n"
    return json.loads(out.read_text(encoding="utf-8"))


def cli_json(*args: str) -> dict:
    code, out = run(*args, "--data", str(SHIPPED), *JUNE, "--format", "json")
    assert code == 0, out
    return json.loads(out)


def key_results(doc: dict) -> dict[str, dict]:
    return {k["key_result"]["key_result"]: k for p in doc["policies"] for k in p["key_results"]}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return brief_json(tmp_path_factory.mktemp("brief"))


# --- the same figures as status, status --by and missing ---------------------------------------


def test_the_host_key_results_are_its_hosted_policies_of_the_year(env: dict) -> None:
    assert [p["policy"] for p in env["policies"]] == [
        "env-parks-15min",
        "env-trees",
        "env-waste-collection",
        "env-waste-points",
        "env-waste-separation",
    ]
    assert list(key_results(env)) == ENV_KEY_RESULTS


def test_city_rows_are_the_status_rows(env: dict) -> None:
    status = {r["key_result"]: r for r in cli_json("status")["rows"]}
    for kr, item in key_results(env).items():
        assert item["key_result"] == status[kr]
    trees = key_results(env)["env-trees-planted"]["key_result"]
    assert (trees["actual"], trees["target"], trees["status"]) == (218910, 200000, "done")
    parks = key_results(env)["env-parks-15min-opened"]["key_result"]
    assert (parks["actual"], round(parks["percent"], 2), parks["status"]) == (89, 57.05, "at-risk")


def test_district_rows_are_the_status_by_district_rows(env: dict) -> None:
    by = {
        t["key_result"]["key_result"]: t["rows"]
        for t in cli_json("status", "--by", "district")["tables"]
    }
    for kr, item in key_results(env).items():
        districts = [a for a in item["agencies"] if a["zone"] is not None]
        assert districts == by[kr], kr
    trees = key_results(env)["env-trees-planted"]["agencies"]
    assert len(trees) == 50
    # worst first: the least progress against its own allocation
    assert (trees[0]["agency"], trees[0]["actual"], trees[0]["target"]) == ("yan-nawa", 2374, 3050)
    assert round(trees[0]["expected"], 2) == 2283.33


def test_a_key_result_only_its_host_carries_has_the_host_row(env: dict) -> None:
    points = key_results(env)["env-waste-points-set"]
    assert [(a["agency"], a["status"], a["report"]) for a in points["agencies"]] == [
        ("env", "no-data", "none")
    ]


def test_the_reports_owed_are_the_chase_list_of_the_host_policies(env: dict) -> None:
    chase = cli_json("missing")
    assert chase["header"]["period"] == env["header"]["missing_period"] == "2567-06"
    # the brief counts the host's projects on their own line (host_projects), not as items
    owed = [i for i in chase["items"] if i["host"] == "env" and i["reason"] != "no-project-report"]
    brief = [
        m
        for p in env["policies"]
        for m in [*(m for k in p["key_results"] for m in k["missing"]), *p["not_bound"]]
    ]
    assert sorted(brief, key=json.dumps) == sorted(owed, key=json.dumps)
    assert [m["agency"] for m in key_results(env)["env-waste-points-set"]["missing"]] == ["env"]
    not_bound = env["policies"][3]["not_bound"]
    assert (len(not_bound), not_bound[0]["agency"], not_bound[0]["reason"]) == (
        50,
        "phra-nakhon",
        "not-bound",
    )
    assert (env["header"]["reports_missing"], env["header"]["not_bound"]) == (1, 50)


# --- the summary --------------------------------------------------------------------------------


def test_summary_counts_the_host_key_results_by_status(env: dict) -> None:
    h = env["header"]
    assert (h["host"], h["fiscal_year"], h["as_of"], h["policies"], h["key_results"]) == (
        "env",
        2567,
        "2024-06-30",
        5,
        6,
    )
    assert h["counts"] == {"done": 1, "on-track": 1, "at-risk": 1, "behind": 2, "no-data": 1}


def test_the_five_rows_that_need_a_decision(env: dict) -> None:
    rows = [
        (d["kind"], d["key_result"], d["agency"], d["status"], round(d["gap"], 1))
        for d in env["decisions"]
    ]
    assert rows == [
        ("key-result", "env-waste-points-set", None, "no-data", 74.9),
        ("key-result", "env-trees-perennial", None, "behind", 45.8),
        ("agency", "env-waste-separated", "khlong-sam-wa", "behind", 30.2),
        ("agency", "env-waste-separated", "bang-na", "behind", 29.4),
        ("agency", "env-waste-separated", "pom-prap-sattru-phai", "behind", 29.2),
    ]
    perennial = env["decisions"][1]
    assert (
        perennial["agencies_behind"],
        perennial["agencies_at_risk"],
        perennial["allocated"],
    ) == (
        48,
        2,
        50,
    )
    assert (perennial["actual"], perennial["target"]) == (45719, 157567)


# --- notes and projects -----------------------------------------------------------------------


def test_notes_of_the_chased_period_are_grouped_by_text(env: dict) -> None:
    notes = key_results(env)["env-trees-planted"]["notes"]
    assert [(n["note"], n["values"], len(n["agencies"]), n["periods"]) for n in notes] == [
        ("split of published total (BRIEF June 2024)", 50, 50, ["FY2567-Q3"])
    ]
    assert key_results(env)["env-waste-points-set"]["notes"] == []


def test_since_shows_the_notes_of_every_period_after_it(tmp_path: Path) -> None:
    doc = brief_json(tmp_path, "--since", "2024-01-31")
    parks = key_results(doc)["env-parks-15min-opened"]["notes"]
    # parks are reported for 2567-02, 2567-04 and 2567-06: the three periods after 31 Jan 2024
    assert [(n["values"], n["periods"]) for n in parks] == [
        (150, ["2567-02", "2567-04", "2567-06"])
    ]
    assert doc["header"]["since"] == "2024-01-31"


def test_since_gives_each_row_its_change_as_status_since_does(tmp_path: Path) -> None:
    doc = brief_json(tmp_path, "--since", "2024-04-30")
    since = cli_json("status", "--since", "2024-04-30", "--by", "agency")
    tables = {t["key_result"]["key_result"]: t for t in since["tables"]}
    for kr, item in key_results(doc).items():
        assert item["since"] == tables[kr]["key_result"]["since"], kr
        rows = {r["agency"]: r["since"] for r in tables[kr]["rows"]}
        assert item["agency_since"] == rows, kr
    parks = key_results(doc)["env-parks-15min-opened"]["since"]
    assert (parks["actual"], parks["change"], parks["status"], parks["moved"]) == (
        36,
        53,
        "behind",
        "better",
    )
    assert doc["header"]["changes"] == {"better": 3, "worse": 0, "new": 0, "unchanged": 3}
    code, out = run(
        "brief", "--host", "env", "--data", str(SHIPPED), *JUNE, "--since", "2024-04-30",
        "--lang", "en",
    )  # fmt: skip
    assert code == 0, out
    lines = out.splitlines()
    assert "- Since 30 Apr 2024 (the last meeting): 3 better · 3 unchanged" in lines
    assert (
        "Since 30 Apr 2024: 36 → 89 (+53); % of target 23.1 → 57.1 % (+34.0); ▲ behind → at "
        "risk. Reported since: 50/50"
    ) in lines
    assert (
        "| Khlong San | North Thonburi | 2 | 1 | 50.0 % | 1.5 | ≥ 50 % | 2567-06 | ▲ behind → "
        "at risk | 0 | +1 |"
    ) in lines


def test_the_trend_is_the_history_of_each_key_result(env: dict) -> None:
    trees = key_results(env)["env-trees-planted"]["history"]
    code, out = run(
        "history", "env-trees-planted", "--data", str(SHIPPED), *JUNE, "--format", "json"
    )
    assert code == 0, out
    assert trees == json.loads(out)["rows"]
    assert [(r["period"], r["actual"], r["status"]) for r in trees] == [
        ("FY2567-Q1", 61659, "on-track"),
        ("FY2567-Q2", 136694, "on-track"),
        ("FY2567-Q3", 218910, "done"),
        ("FY2567-Q4", None, None),
    ]


def test_days_overdue_come_from_the_reporting_calendar(tmp_path: Path) -> None:
    out = tmp_path / "late.json"
    code, text = run(
        "brief", "--host", "env", "--data", str(SHIPPED), "--as-of", "2024-07-20", "-o", str(out)
    )
    assert code == 0, text
    owed = key_results(json.loads(out.read_text(encoding="utf-8")))["env-waste-points-set"]
    assert [(m["agency"], m["due"], m["days_overdue"]) for m in owed["missing"]] == [
        ("env", "2024-07-05", 15)
    ]


def test_typed_notes_are_shown_with_who_typed_them(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path, SHIPPED)
    edit(
        root / "reports/2567/dusit.csv",
        "env-parks-15min-opened,2567-06,1,estimated,split of published total (BRIEF June 2024)",
        "env-parks-15min-opened,2567-06,1,manual,=land not handed over yet",
    )
    code, out = run("brief", "--host", "env", "--data", str(root), *JUNE, "--lang", "en")
    assert code == 0, out
    assert "- “=land not handed over yet” — Dusit (1 values; 2567-06)" in out.splitlines()


def test_projects_bound_with_their_status_counts(env: dict) -> None:
    parks = key_results(env)["env-parks-15min-opened"]
    assert parks["project_counts"] == {
        "not-started": 0,
        "in-progress": 1,
        "done": 2,
        "cancelled": 0,
    }
    assert [p["project"] for p in parks["projects"]] == [
        "env-parks-15min-design-guide",
        "env-parks-15min-land-survey",
        "env-parks-15min-build-2567",
    ]


# --- Thai and English ---------------------------------------------------------------------------


def test_english_markdown_opens_with_the_summary() -> None:
    code, out = run("brief", "--host", "env", "--data", str(SHIPPED), *JUNE, "--lang", "en")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[:10] == [
        "# Follow-up brief: Environment Department (H)",
        "",
        "## Summary",
        "",
        "- FY 2567, as of 30 Jun 2024: 74.9 % of the year gone",
        "- 5 hosted policies, 6 key results",
        "- Key results by status: 1 done · 1 on track · 1 at risk · 2 behind · 1 no data",
        "- Reports missing for 2567-06: 1; R agencies not bound: 50",
        "- Projects env owns: 11 (0 not started · 6 in progress · 5 done · 0 cancelled); not "
        "reported for 2567-06: 3, FY2567-Q3: 3",
        "",
    ]
    assert (
        "| 2 | Perennial trees planted (env-trees-perennial) | 50 agencies: 48 behind · 2 at "
        "risk | behind | 45,719 | 157,567 trees | 29.0 % | 117,960 | 45.8 |"
    ) in lines
    assert (
        "City: 218,910 against a target of 200,000 trees (109.5 %); Expected by 30 Jun 2024: "
        "149,727; done. Reported for 2567-06: 50/50"
    ) in lines
    assert (
        "| Bang Rak | South Bangkok | 2,320 | 2,507 | 108.1 % | 1,737 | at target | FY2567-Q3 | "
        "done |"
    ) in lines
    assert (
        "| Bang Rak | South Bangkok | 2 | 1 | 50.0 % | 1.5 | ≥ 50 % | 2567-06 | at risk |" in lines
    )
    assert (
        "**Not reported for 2567-06** (1): Environment Department (5 Jul 2024 · due in 5 days)"
    ) in lines
    assert (
        "Trend: Q1 FY 2567 61,659 on track → Q2 FY 2567 136,694 on track → Q3 FY 2567 218,910 done"
    ) in lines


def test_thai_markdown_has_thai_words_and_dates() -> None:
    code, out = run("brief", "--host", "สำนักสิ่งแวดล้อม", "--data", str(SHIPPED), *JUNE)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "# รายงานการติดตามผล: สำนักสิ่งแวดล้อม (H)"
    assert lines[4] == "- ปีงบประมาณ 2567 ณ วันที่ 30 มิ.ย. 2567: 74.9 % ของปีผ่านไปแล้ว"
    assert (
        "ทั้งเมือง: ผลงาน 218,910 เป้าหมาย 200,000 ต้น (109.5 %); ควรได้ ณ 30 มิ.ย. 2567: "
        "149,727; บรรลุแล้ว. รายงาน งวด 2567-06: 50/50"
    ) in lines
    assert "**โครงการที่ผูกไว้**: 0 ยังไม่เริ่ม · 1 กำลังดำเนินการ · 2 แล้วเสร็จ · 0 ยกเลิก" in lines


def test_the_examples_of_the_docs_page_are_the_real_output() -> None:
    page = (SHIPPED.parent / "docs/meeting-brief.md").read_text(encoding="utf-8")
    blocks = [b.split("\n````", 1)[0] for b in page.split("````markdown\n")[1:]]
    command, *summary = blocks[0].splitlines()
    assert command == "$ okrtool brief --host env --as-of 2024-06-30 --since 2024-04-30 --lang en"
    code, out = run("brief", "--data", str(SHIPPED), *command.split()[3:])
    assert code == 0, out
    lines = out.splitlines()
    summary = [line for line in summary if line != "…"]  # the rest left out
    assert summary == lines[: len(summary)]
    excerpt = [line for line in blocks[1].splitlines() if line != "| … |"]
    start = lines.index(excerpt[0])
    cut = excerpt.index("**Not reported for 2567-06** (0): everyone has reported")
    assert excerpt[: cut - 1] == lines[start : start + cut - 1]
    after = lines.index(excerpt[cut], start)
    assert excerpt[cut:] == lines[after : after + len(excerpt) - cut]


# --- what it refuses ----------------------------------------------------------------------------


def test_unknown_host_is_a_usage_error_with_the_closest_id() -> None:
    code, out = run("brief", "--host", "envv", "--data", str(SHIPPED))
    assert code == 2
    assert out.startswith("okrtool: unknown agency 'envv'; did you mean 'env'?")


def test_a_host_of_no_policy_is_told_so() -> None:
    code, out = run("brief", "--host", "bang-rak", "--data", str(SHIPPED), *JUNE)
    assert code == 1
    assert out == (
        "okrtool: Bang Rak (bang-rak) hosts no policy: no policy file names it in 'host:', so "
        "there is no meeting to brief. Agencies that host one: budget-office, cle, dds, env, "
        "health, pwd, sed, social-dev\n"
    )


def test_an_output_of_unknown_format_is_refused_before_any_work(tmp_path: Path) -> None:
    code, out = run("brief", "--host", "env", "--data", str(SHIPPED), "-o", str(tmp_path / "b.txt"))
    assert code == 2
    assert out == (
        f"okrtool: -o {tmp_path / 'b.txt'}: cannot tell the format from .txt; expected a file "
        "ending in .md, .json, .xlsx\n"
    )
    assert not (tmp_path / "b.txt").exists()


def test_since_after_the_as_of_day_is_refused() -> None:
    code, out = run(
        "brief", "--host", "env", "--data", str(SHIPPED), *JUNE, "--since", "2024-07-31"
    )
    assert code == 2
    assert out == (
        "okrtool: --since 2024-07-31 is after --as-of 2024-06-30; expected the day of the last "
        "meeting, on or before the as-of day\n"
    )


def test_one_policy_and_one_key_result_read_in_the_singular() -> None:
    code, out = run("brief", "--host", "sed", "--data", str(SHIPPED), *JUNE, "--lang", "en")
    assert code == 0, out
    assert out.splitlines()[5] == "- 1 hosted policy, 1 key result"


# --- the workbook -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("brief-xlsx") / "brief.xlsx"
    code, text = run("brief", "--host", "env", "--data", str(SHIPPED), *JUNE, "-o", str(out))
    assert code == 0, text
    assert text == f"wrote {out}\n"
    return out


def test_the_workbook_has_a_summary_a_sheet_per_key_result_and_the_reports_owed(
    workbook: Path,
) -> None:
    wb = load_workbook(workbook)
    assert wb.sheetnames == ["สรุป", *ENV_KEY_RESULTS, "ยังไม่รายงาน"]
    summary = wb["สรุป"]
    assert summary["A1"].value == "รายงานการติดตามผล: สำนักสิ่งแวดล้อม (H)"
    owed = wb["ยังไม่รายงาน"]
    rows = [
        r
        for r in owed.iter_rows(values_only=True)
        if r[6] in ("env-waste-points-set", "env-waste-points")  # the id, right of the print area
    ]
    assert len(rows) == 51  # env owes its report; 50 districts have not bound an OKR


def test_the_trees_sheet_has_the_50_district_rows_of_status_by_district(workbook: Path) -> None:
    ws = load_workbook(workbook)["env-trees-planted"]
    by = cli_json("status", "--by", "district", "--policy", "env-trees-planted")
    expected = [
        (r["name"], r["target"], r["actual"], r["percent"], r["expected"], r["zone_name"])
        for r in by["tables"][0]["rows"]
    ]
    assert len(expected) == 50
    rows = list(ws.iter_rows(values_only=True))
    # the printed columns, then the zone and band right of the print area (issue 17)
    head = rows.index(
        (
            "หน่วยงาน",
            "เป้าหมายที่ได้รับ",
            "ผลงาน",
            "% ของเป้า",
            "ควรได้ ณ 30 มิ.ย. 2567",
            "รายงาน งวด 2567-06",
            "สถานะ",
            "ประมาณการ",
            "กลุ่มเขต",
            "เทียบเป้าของตน",
        )
    )
    got = [(*r[:5], r[8]) for r in rows[head + 1 : head + 51]]
    # every district's figure rests on an estimated value (a published total split)
    assert {r[7] for r in rows[head + 1 : head + 51]} == {"ประมาณการ"}
    assert got == expected
    assert got[0] == ("ยานนาวา", 3050, 2374, 77.836066, 2283.333333, "กรุงเทพใต้")
    assert rows[head + 51][0] is None  # the table ends after the 50th district


def test_the_workbook_has_native_charts(workbook: Path) -> None:
    with zipfile.ZipFile(workbook) as z:
        names = z.namelist()
        assert "xl/charts/chart1.xml" in names
        charts = [n for n in names if n.startswith("xl/charts/chart")]
        # the summary's status counts; per key result its agencies (bar) and its periods (line)
        assert len(charts) == 13
        assert b"<barChart>" in z.read("xl/charts/chart1.xml")
        assert sum(b"<lineChart>" in z.read(n) for n in charts) == 6


def test_libreoffice_opens_the_workbook(workbook: Path, tmp_path: Path) -> None:
    soffice = Path("/usr/bin/soffice")
    if not soffice.exists() and not os.environ.get("OKRTOOL_REQUIRE_OFFICE"):
        pytest.skip("LibreOffice is not installed (set OKRTOOL_REQUIRE_OFFICE to require it)")
    result = subprocess.run(
        [
            str(soffice),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "brief.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
