"""Projects in the views beyond `status --projects`: the site's policy pages (each project's state
as of the site's day), the brief's and the handbook's workbooks (the counts the Markdown shows)
and `okrtool missing` (the projects owed a report, due when the values are)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from okrtool.io.project_sheet import PROJECTS_SHEET

from helpers import SHIPPED, copy_dataset, run


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The shipped data with env's June project report imported through the real template:
    the design guide done (100 %), the 15-minute parks being built (40 %), the nursery in
    progress (no percent), the dust walls cancelled; the other seven not reported."""
    root = copy_dataset(tmp_path, SHIPPED)
    book = tmp_path / "env-2567-06.xlsx"
    code, output = run(
        "report-template", "--data", str(root), "-a", "env", "-p", "2567-06", "-o", str(book)
    )
    assert (code, output) == (0, f"wrote {book} (1 key result)\n")
    wb = openpyxl.load_workbook(book)
    cells = {"F5": "done", "G5": 100, "F7": "in progress", "G7": 40, "F8": "in progress"}
    for ref, value in {**cells, "F9": "ยกเลิก"}.items():
        wb[PROJECTS_SHEET][ref] = value
    wb.save(book)
    code, output = run("import-reports", "--data", str(root), str(book))
    assert code == 0, output
    assert "Merged 1 of 1 file: 4 added, 0 changed, 0 unchanged." in output
    return root


# --- the site's policy pages --------------------------------------------------------------------


def _project_states(page: str) -> list[tuple[str, str]]:
    """(title, state cell) of each row of a policy page's projects table, tags dropped (a
    percent keeps its sign on its number's line: a no-break space between them)."""
    table = page[page.index('class="stack t-projects"') :]
    table = table[: table.index("</table>")]
    out = []
    for row in re.findall(r'<tr id="project-[^"]+"><td>(.*?)</tr>', table, re.S):
        title = re.sub(r"<[^>]+>", "", row.split("</td>", 1)[0])
        state = re.search(r'data-field="project-state">(.*?)</td>', row, re.S)
        assert state is not None, row
        out.append((title, re.sub(r"<[^>]+>", "", state.group(1))))
    return out


def test_a_policy_page_shows_each_projects_state_as_of_the_sites_day(
    root: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    code, output = run("site", "-o", str(site), "--data", str(root), "--as-of", "2024-06-30")
    assert code == 0, output
    parks = (site / "policies/env-parks-15min.html").read_text(encoding="utf-8")
    assert _project_states(parks) == [
        (
            "คู่มือออกแบบสวน 15 นาที Design guide for 15-minute parks",
            "เสร็จแล้ว doneรายงานงวด 2567-06: ดำเนินการแล้ว 100\u00a0% reported for 2567-06: 100\u00a0% complete",
        ),
        (
            "สำรวจที่ดินว่างเพื่อจัดทำสวน 15 นาที Survey vacant plots for 15-minute parks",
            "เสร็จแล้ว doneสถานะตั้งต้นในแผน ยังไม่มีรายงาน starting state in the plan, not reported yet",
        ),
        (
            "ก่อสร้างและปรับปรุงสวน 15 นาที ปี 2567 Build and upgrade 15-minute parks, FY 2567",
            "กำลังดำเนินการ in progress"
            "รายงานงวด 2567-06: ดำเนินการแล้ว 40\u00a0% reported for 2567-06: 40\u00a0% complete",
        ),
    ]
    trees = _project_states((site / "policies/env-trees.html").read_text(encoding="utf-8"))
    assert [state for _, state in trees] == [
        "กำลังดำเนินการ in progressรายงานงวด 2567-06 reported for 2567-06",  # no percent given
        "ยกเลิก cancelledรายงานงวด 2567-06 reported for 2567-06",
        "เสร็จแล้ว doneสถานะตั้งต้นในแผน ยังไม่มีรายงาน starting state in the plan, not reported yet",
    ]


def test_before_the_period_ends_the_site_shows_the_starting_states(
    root: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    code, output = run("site", "-o", str(site), "--data", str(root), "--as-of", "2024-06-29")
    assert code == 0, output
    parks = (site / "policies/env-parks-15min.html").read_text(encoding="utf-8")
    starting = "สถานะตั้งต้นในแผน ยังไม่มีรายงาน starting state in the plan, not reported yet"
    assert [state for _, state in _project_states(parks)] == [
        f"เสร็จแล้ว done{starting}",
        f"เสร็จแล้ว done{starting}",
        f"กำลังดำเนินการ in progress{starting}",
    ]


# --- the brief's and the handbook's workbooks ---------------------------------------------------


def _header(path: Path, sheet: int = 0, rows: int = 8) -> list[str]:
    ws = openpyxl.load_workbook(path).worksheets[sheet]
    return [
        r[0] for r in ws.iter_rows(min_row=1, max_row=rows, max_col=1, values_only=True) if r[0]
    ]


def test_the_brief_and_handbook_workbooks_count_the_projects_as_their_markdown_does(
    root: Path, tmp_path: Path
) -> None:
    june = ("--data", str(root), "--as-of", "2024-06-30", "--lang", "en")
    line = (
        "Projects env owns: 11 (0 not started · 5 in progress · 5 done · 1 cancelled); not "
        "reported for 2567-06: 2, FY2567-Q3: 1"
    )
    code, markdown = run("brief", "--host", "env", *june)
    assert code == 0
    assert f"- {line}" in markdown.splitlines()
    brief = tmp_path / "brief.xlsx"
    assert run("brief", "--host", "env", *june, "-o", str(brief))[0] == 0
    header = _header(brief)
    # under the key results by status and who owes, as the Markdown's summary has it
    assert header[header.index(line) - 1] == (
        "Reports missing for 2567-06: 1; R agencies not bound: 50"
    )
    handbook = tmp_path / "handbook.xlsx"
    assert run("handbook", "-a", "env", *june, "-o", str(handbook))[0] == 0
    assert _header(handbook)[2:4] == [
        "Projects: 11 projects (0 not started · 5 in progress · 5 done · 1 cancelled); not "
        "reported for 2567-06: 2, FY2567-Q3: 1",
        "โครงการ: 11 โครงการ (0 ยังไม่เริ่ม · 5 กำลังดำเนินการ · 5 เสร็จแล้ว · 1 ยกเลิก); "
        "ยังไม่รายงานงวด 2567-06: 2, FY2567-Q3: 1",
    ]
    # an agency that owns no project: no line
    bang_rak = tmp_path / "bang-rak.xlsx"
    assert run("handbook", "-a", "bang-rak", *june, "-o", str(bang_rak))[0] == 0
    assert not any(h.startswith("Projects") for h in _header(bang_rak))


# --- okrtool missing ----------------------------------------------------------------------------


def test_missing_lists_the_projects_owed_for_the_period_after_the_values(root: Path) -> None:
    code, output = run(
        "missing", "--data", str(root), "--as-of", "2024-06-30", "-a", "env", "--lang", "en",
        "-f", "markdown",
    )  # fmt: skip
    assert code == 0, output
    assert output == (
        "**Chase list for 2567-06 (FY 2567, as of 30 Jun 2024) — Environment Department: "
        "1 agency; 1 report not in (none overdue), 0 not bound, 3 projects not reported**\n"
        "\n"
        "| Agency | Zone | What is missing | H | Due |\n"
        "|---|---|---|---|---|\n"
        "| Environment Department (4) |  | no report for 2567-06: Central waste points set up in "
        "housing estates | Environment Department | 5 Jul 2024 · due in 5 days |\n"
        "|  |  | project not reported for 2567-06: Re-plan district collection routes and rounds "
        "| Environment Department | 5 Jul 2024 · due in 5 days |\n"
        "|  |  | project not reported for 2567-06: Agreements with housing-estate juristic "
        "persons | Environment Department | 5 Jul 2024 · due in 5 days |\n"
        '|  |  | project not reported for 2567-06: "Don\'t mix": keep food waste out of general '
        "waste | Environment Department | 10 Jul 2024 (FY2567-Q3) · due in 10 days |\n"
    )


def test_a_project_cancelled_or_done_before_the_period_is_not_chased(root: Path) -> None:
    # July, chased on 10 August: the three monthly projects still going are owed July and 5
    # days overdue; "don't mix" (its key result is reported by quarter) owes the quarter ended
    # in June, due on 10 July, 31 days overdue; the nursery (reported in June: the quarter's
    # last month) owes nothing; the dust walls (cancelled in June) and the four done are not
    # chased either
    code, output = run(
        "missing", "--data", str(root), "--as-of", "2024-08-10", "--period", "2567-07",
        "-a", "env", "-f", "json",
    )  # fmt: skip
    assert code == 0, output
    doc = json.loads(output)
    header = doc["header"]
    assert (header["no_report"], header["overdue"]) == (1, 1)
    assert (header["no_project_report"], header["projects_overdue"]) == (4, 4)
    projects = [i for i in doc["items"] if i["reason"] == "no-project-report"]
    assert [(i["project"], i["key_result"], i["owed"], i["due"], i["days_overdue"]) for i in projects] == [
        ("env-waste-mai-te-ruam", "env-waste-separated", "FY2567-Q3", "2024-07-10", 31),
        ("env-parks-15min-build-2567", "env-parks-15min-opened", "2567-07", "2024-08-05", 5),
        ("env-waste-collection-routes", "env-waste-collection-buildings", "2567-07", "2024-08-05", 5),
        ("env-waste-points-estates-mou", "env-waste-points-set", "2567-07", "2024-08-05", 5),
    ]  # fmt: skip
    # the value the agency owes comes first, as it did before projects were chased
    assert doc["items"][0]["reason"] == "no-report"
    assert projects[0]["title"] == "โครงการไม่เทรวม: แยกเศษอาหารจากขยะทั่วไป"
    assert projects[0]["policy"] == "env-waste-separation"


def test_the_csv_and_the_workbook_name_the_project(root: Path, tmp_path: Path) -> None:
    args = ("missing", "--data", str(root), "--as-of", "2024-06-30", "-a", "env", "--lang", "en")
    code, output = run(*args, "-f", "csv")
    assert code == 0
    lines = output.splitlines()
    assert lines[0].endswith(",due,days_overdue,due_in_days,project")
    assert lines[-1] == (
        "env,Environment Department,,,no-project-report,env-waste-separation,"
        'env-waste-separated,"""Don\'t mix"": keep food waste out of general waste",'
        '"Separate waste at source (""don\'t mix"")",env,Environment Department,,FY2567-Q3,2024-07-10,0,10,'
        "env-waste-mai-te-ruam"
    )
    book = tmp_path / "chase.xlsx"
    assert run(*args, "-o", str(book))[0] == 0
    ws = openpyxl.load_workbook(book).worksheets[0]
    heads = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Agency")
    assert heads[:3] == ("Agency", "What is missing", "Key result, project or policy")
    rows = [
        [c.value for c in row] for row in ws.iter_rows() if row[0].value == "Environment Department"
    ]
    assert [(r[1], r[2], r[8]) for r in rows] == [
        ("no report for 2567-06", "Central waste points set up in housing estates", "env-waste-points-set"),
        ("project not reported for 2567-06", "Re-plan district collection routes and rounds", "env-waste-collection-routes"),
        ("project not reported for 2567-06", "Agreements with housing-estate juristic persons", "env-waste-points-estates-mou"),
        ("project not reported for 2567-06", '"Don\'t mix": keep food waste out of general waste', "env-waste-mai-te-ruam"),
    ]  # fmt: skip
    assert [r[5] for r in rows] == ["due in 5 days"] * 3 + ["due in 10 days"]


def test_on_the_shipped_data_the_value_items_and_their_order_are_unchanged() -> None:
    from okrtool.io.loaddata import load_dataset
    from okrtool.progress import Query, missing_report
    from okrtool.progress.filters import parse_day

    ds, problems = load_dataset(SHIPPED)
    assert problems == []
    query = Query(as_of=parse_day("2024-06-30"), lang="en")
    values = missing_report(ds, query).items
    both = missing_report(ds, query, projects=True).items
    assert [i for i in both if i.reason != "no-project-report"] == values
    assert (len(values), len(both)) == (300, 309)
    owed = [(i.agency, i.project) for i in both if i.reason == "no-project-report"]
    assert owed == [
        ("env", "env-parks-15min-build-2567"),
        ("env", "env-trees-nursery"),
        ("env", "env-trees-dust-walls"),
        ("env", "env-waste-collection-routes"),
        ("env", "env-waste-points-estates-mou"),
        ("env", "env-waste-mai-te-ruam"),
        ("dds", "infra-canals-dredging-contracts"),
        ("sed", "mgmt-okr-follow-up"),  # owes only projects: after every agency owing values
        ("pwd", "infra-lights-led-replacement"),
    ]
