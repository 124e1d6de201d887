"""Projects reported each period: the template's Projects sheet, its import beside the values,
the project report files validate checks, and `status --projects`."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from okrtool.io.project_sheet import PROJECT_COLUMNS, PROJECTS_SHEET

from helpers import SHIPPED, copy_dataset, run, snapshot

ENV_PROJECTS = [
    "env-parks-15min-design-guide",
    "env-parks-15min-land-survey",
    "env-parks-15min-build-2567",
    "env-trees-nursery",
    "env-trees-dust-walls",
    "env-trees-species-list",
    "env-waste-collection-routes",
    "env-waste-points-survey",
    "env-waste-points-estates-mou",
    "env-waste-mai-te-ruam",
    "env-waste-food-compost",
]
#: recorded_at: the time of the import, ISO 8601 with its offset
RECORDED_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_dataset(tmp_path, SHIPPED)


def env_template(root: Path, tmp_path: Path) -> Path:
    out = tmp_path / "env-2567-06.xlsx"
    code, output = run(
        "report-template", "--data", str(root), "-a", "env", "-p", "2567-06", "-o", str(out)
    )
    assert (code, output) == (0, f"wrote {out} (1 key result)\n")
    return out


def fill(path: Path, cells: dict[str, object], report: dict[str, object] | None = None) -> Path:
    """Type ``cells`` into the Projects sheet (and ``report`` into the Report sheet)."""
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[PROJECTS_SHEET][ref] = value
    for ref, value in (report or {}).items():
        wb["Report"][ref] = value
    wb.save(path)
    return path


def import_(root: Path, *paths: Path, replace: bool = False) -> tuple[int, str]:
    args = ["import-reports", "--data", str(root), *map(str, paths)]
    return run(*args, *(["--replace"] if replace else []))


def status_projects(root: Path, *args: str) -> tuple[int, str]:
    return run(
        "status", "--projects", "--data", str(root), "--as-of", "2024-06-30", "--lang", "en",
        "--width", "100", *args,
    )  # fmt: skip


# --- the template -----------------------------------------------------------------------------


def test_the_template_has_a_projects_sheet_with_every_project_the_agency_owns(
    root: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(env_template(root, tmp_path))
    assert wb.sheetnames == ["Report", PROJECTS_SHEET, "Instructions", "okrtool"]
    ws = wb[PROJECTS_SHEET]
    assert [c.value for c in ws[4]] == [text for _, text, _ in PROJECT_COLUMNS]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert [r[1] for r in rows] == ENV_PROJECTS
    assert rows[2] == [
        3,
        "env-parks-15min-build-2567",
        "ก่อสร้างและปรับปรุงสวน 15 นาที ปี 2567\nBuild and upgrade 15-minute parks, FY 2567",
        "env-parks-15min-opened",
        "กำลังดำเนินการ / in progress",  # its starting state: nothing reported yet
        None,
        None,
        None,
    ]
    assert rows[0][4] == "เสร็จแล้ว / done"  # status: done in the policy file
    assert ws.protection.sheet is True
    assert [(c.protection.locked) for c in ws[5]] == [True] * 5 + [False] * 3
    status, percent = ws.data_validations.dataValidation
    assert status.type == "list"
    assert status.formula1 == (
        '"ยังไม่เริ่ม / not started,กำลังดำเนินการ / in progress,เสร็จแล้ว / done,ยกเลิก / cancelled"'
    )
    assert str(status.sqref) == "F5 F6 F7 F8 F9 F10 F11 F12 F13 F14 F15"
    assert (percent.type, percent.operator, percent.formula1, percent.formula2) == (
        "decimal",
        "between",
        "0",
        "100",
    )
    assert str(percent.sqref) == "G5 G6 G7 G8 G9 G10 G11 G12 G13 G14 G15"
    info = [c.value for c in wb["Instructions"]["A"]]
    assert "Projects (the Projects sheet)" in info


def test_an_agency_without_projects_gets_no_projects_sheet(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "br.xlsx"
    code, _ = run(
        "report-template", "--data", str(root), "-a", "bang-rak", "-p", "2567-06", "-o", str(out)
    )
    assert code == 0
    assert openpyxl.load_workbook(out).sheetnames == ["Report", "Instructions", "okrtool"]


# --- the done-means: a project report through the template, then status --projects ------------


def test_status_projects_counts_by_state_after_a_report_imported_through_the_template(
    root: Path, tmp_path: Path
) -> None:
    book = fill(
        env_template(root, tmp_path),
        {
            "F5": "เสร็จแล้ว / done",
            "G5": 100,
            "F7": "กำลังดำเนินการ / in progress",
            "G7": "๔๐%",  # Thai digits and a percent sign, as officers type them
            "F8": "in progress",
            "G8": 55,
            "H8": "ระยะที่ ๒",
            "F9": "ยกเลิก",
            "F15": "Done",
            "G15": 1.0,  # 100 % in a cell formatted as a percentage
        },
    )
    wb = openpyxl.load_workbook(book)
    wb[PROJECTS_SHEET]["G15"].number_format = "0%"
    wb.save(book)
    code, output = import_(root, book)
    assert code == 0, output
    assert "Merged 1 of 1 file: 5 added, 0 changed, 0 unchanged." in output
    lines = (root / "reports/2567/projects/env.csv").read_text(encoding="utf-8").splitlines()
    assert [line.rsplit(",", 1)[0] for line in lines] == [
        "project,period,status,percent,note,file,sha256,cell",
        f"env-parks-15min-build-2567,2567-06,in-progress,40,,env-2567-06.xlsx,{_sha(book)},"
        "Projects!F7",
        f"env-parks-15min-design-guide,2567-06,done,100,,env-2567-06.xlsx,{_sha(book)},Projects!F5",
        f"env-trees-dust-walls,2567-06,cancelled,,,env-2567-06.xlsx,{_sha(book)},Projects!F9",
        f"env-trees-nursery,2567-06,in-progress,55,ระยะที่ ๒,env-2567-06.xlsx,{_sha(book)},"
        "Projects!F8",
        f"env-waste-food-compost,2567-06,done,100,,env-2567-06.xlsx,{_sha(book)},Projects!F15",
    ]
    assert all(RECORDED_AT.fullmatch(line.rsplit(",", 1)[1]) for line in lines[1:])
    assert run("validate", str(root))[0] == 0
    code, output = status_projects(root, "--agency", "env")
    assert code == 0
    assert output == (
        "Projects by agency — FY 2567, as of 30 Jun 2024; reports asked for: 2567-06\n"
        "┌────────────────────────────┬───────┬──────────┬─────────┬──────────┬──────┬───────────┬──────────┐\n"
        "│                            │  OKRs │          │     not │       in │      │           │      Not │\n"
        "│ Agency                     │ bound │ Projects │ started │ progress │ done │ cancelled │ reported │\n"
        "├────────────────────────────┼───────┼──────────┼─────────┼──────────┼──────┼───────────┼──────────┤\n"
        "│ Environment Department     │     5 │       11 │       0 │        5 │    5 │         1 │        3 │\n"
        "│ (env)                      │       │          │         │          │      │           │          │\n"
        "└────────────────────────────┴───────┴──────────┴─────────┴──────────┴──────┴───────────┴──────────┘\n"
        "env: not reported for 2567-06: env-waste-collection-routes, env-waste-points-estates-mou\n"
        "env: not reported for FY2567-Q3: env-waste-mai-te-ruam\n"
        "A project's state is the latest its owner reported by the day, else the state its policy file starts\n"
        'it in; a project done or cancelled is not asked for reports (docs/reporting.md, "Projects").\n'
    )  # fmt: skip
    code, output = status_projects(root, "--agency", "env", "--format", "csv")
    assert output.splitlines() == [
        "agency,name_th,name_en,okrs_bound,projects,not_started,in_progress,done,cancelled,"
        "not_reported,not_reported_projects,not_reported_periods",
        "env,สำนักสิ่งแวดล้อม,Environment Department,5,11,0,5,5,1,3,"
        "env-waste-collection-routes env-waste-points-estates-mou env-waste-mai-te-ruam,"
        "2567-06 2567-06 FY2567-Q3",
    ]
    # the day before June ends: the June report does not count yet, the YAML's states do, and
    # May (the period asked for then) was reported for none of the six in progress
    code, output = run(
        "status", "--projects", "--data", str(root), "--as-of", "2024-06-29", "-a", "env",
        "--format", "csv",
    )  # fmt: skip
    assert output.splitlines()[1] == (
        "env,สำนักสิ่งแวดล้อม,Environment Department,5,11,0,6,5,0,6,env-parks-15min-build-2567 "
        "env-trees-nursery env-trees-dust-walls env-waste-collection-routes "
        "env-waste-points-estates-mou env-waste-mai-te-ruam,"
        "2567-05 FY2567-Q2 FY2567-Q2 2567-05 2567-05 FY2567-Q2"
    )


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_before_any_report_the_policy_files_give_the_starting_states(root: Path) -> None:
    code, output = status_projects(root, "--format", "csv")
    assert code == 0
    assert output.splitlines() == [
        "agency,name_th,name_en,okrs_bound,projects,not_started,in_progress,done,cancelled,"
        "not_reported,not_reported_projects,not_reported_periods",
        "sed,สำนักยุทธศาสตร์และประเมินผล,Strategy and Evaluation Department,1,2,0,1,1,0,1,"
        "mgmt-okr-follow-up,2567-06",
        "env,สำนักสิ่งแวดล้อม,Environment Department,5,11,0,6,5,0,6,"
        "env-parks-15min-build-2567 env-trees-nursery env-trees-dust-walls "
        "env-waste-collection-routes env-waste-points-estates-mou env-waste-mai-te-ruam,"
        "2567-06 FY2567-Q3 FY2567-Q3 2567-06 2567-06 FY2567-Q3",
        "dds,สำนักการระบายน้ำ,Drainage and Sewerage Department,2,1,0,1,0,0,1,"
        "infra-canals-dredging-contracts,2567-06",
        "pwd,สำนักการโยธา,Public Works Department,2,1,0,1,0,0,1,infra-lights-led-replacement,"
        "2567-06",
    ]


def test_host_lists_the_host_and_every_agency_bound_to_what_it_hosts(root: Path) -> None:
    code, output = status_projects(root, "--host", "dds", "--format", "json")
    assert code == 0
    import json

    data = json.loads(output)
    agencies = data["agencies"]
    assert data["header"]["period"] == "2567-06"
    assert agencies[0]["agency"] == "dds"
    assert agencies[0]["counts"] == {"not-started": 0, "in-progress": 1, "done": 0, "cancelled": 0}
    assert agencies[0]["not_reported"] == ["infra-canals-dredging-contracts"]
    assert len(agencies) == 51  # the host and the 50 districts with a target of their own
    assert {a["projects"] for a in agencies[1:]} == {0}
    code, output = status_projects(root, "--host", "dds", "--agency", "env")
    assert (code, output.strip().splitlines()[-1]) == (
        2,
        "okrtool: --projects takes --agency A or --host A, not both",
    )


# --- refusals -----------------------------------------------------------------------------------


def test_bad_project_cells_are_refused_by_sheet_and_cell_and_nothing_is_written(
    root: Path, tmp_path: Path
) -> None:
    book = fill(
        env_template(root, tmp_path),
        {
            "F5": "half done",
            "F6": "done",
            "G6": 120,
            "F7": "done",
            "G7": "abc",
            "B8": "mgmt-okr-workshops",
            "F8": "done",
            "B9": "no-such-project",
            "F9": "done",
            "G10": 50,
        },
        {"I6": 5},  # a good value beside them: refused with the file
    )
    before = snapshot(root)
    code, output = import_(root, book)
    assert code == 1
    name = str(book)
    states = (
        "'ยังไม่เริ่ม / not started', 'กำลังดำเนินการ / in progress', 'เสร็จแล้ว / done', "
        "'ยกเลิก / cancelled'"
    )
    assert output.splitlines()[:10] == [
        f"REFUSED {name} — nothing of it was written:",
        f"{name} › Projects!F5: E607 found the status 'half done', expected one of {states}",
        "    hint: choose the status from the drop-down",
        f"{name} › Projects!G6: E608 percent complete 120 is outside 0–100",
        f"{name} › Projects!G7: E608 found 'abc', expected a percent complete from 0 to 100 "
        "(like 40, 40 % or ๔๐)",
        f"{name} › Projects!B8: E606 project 'mgmt-okr-workshops' is owned by 'sed', not 'env': "
        "an agency reports on its own projects",
        "    hint: move the row to sed's file, or change the project's owner",
        f"{name} › Projects!B9: E605 unknown project 'no-such-project'",
        f"{name} › Projects!F10: E607 found no status beside the percent complete 50, expected "
        f"one of {states}",
        "    hint: choose the status from the drop-down",
    ]
    assert snapshot(root) == before


def test_a_stored_state_is_changed_only_with_replace(root: Path, tmp_path: Path) -> None:
    template = env_template(root, tmp_path)
    first = tmp_path / "first.xlsx"
    first.write_bytes(template.read_bytes())
    fill(first, {"F7": "in progress", "G7": 40})
    assert import_(root, first)[0] == 0
    again = import_(root, first)
    assert again[0] == 0
    assert "Merged 1 of 1 file: 0 added, 0 changed, 1 unchanged." in again[1]
    second = tmp_path / "second.xlsx"
    second.write_bytes(template.read_bytes())
    fill(second, {"F7": "done", "G7": 100})
    before = snapshot(root)
    code, output = import_(root, second)
    assert code == 1
    assert output.splitlines()[1:3] == [
        f"{second} › Projects!F7: E805 project 'env-parks-15min-build-2567' for 2567-06 is stored "
        "as in-progress 40 % (reports/2567/projects/env.csv); this file says done 100 %: "
        "in-progress 40 % → done 100 %",
        "    hint: to change the stored report, import the file again with --replace",
    ]
    assert snapshot(root) == before
    code, output = import_(root, second, replace=True)
    assert code == 0
    assert (
        f"{second}: ~ env project env-parks-15min-build-2567 2567-06: in-progress 40 % → done 100 %"
        in output
    )


def test_values_and_projects_of_one_workbook_are_written_together(
    root: Path, tmp_path: Path
) -> None:
    book = fill(env_template(root, tmp_path), {"F14": "done", "G14": 100}, {"I6": 7})
    code, output = import_(root, book)
    assert code == 0, output
    assert "Merged 1 of 1 file: 2 added, 0 changed, 0 unchanged." in output
    assert "2567-06,7,import" in (root / "reports/2567/env.csv").read_text(encoding="utf-8")
    assert "env-waste-mai-te-ruam,2567-06,done,100" in (
        root / "reports/2567/projects/env.csv"
    ).read_text(encoding="utf-8")


# --- validate reads the project report files ---------------------------------------------------


def test_validate_checks_every_row_of_a_project_report_file(root: Path) -> None:
    folder = root / "reports/2567/projects"
    folder.mkdir(parents=True)
    (folder / "env.csv").write_text(
        "project,period,status,percent,note,file,sha256,cell,recorded_at\n"
        "env-trees-nursery,2567-06,in-progress,40,,,,,\n"
        "env-trees-nursery,2567-06,done,100,,,,,\n"
        "env-tree-nursery,2567-06,done,,,,,,\n"
        "mgmt-okr-workshops,2567-06,done,,,,,,\n"
        "env-trees-dust-walls,2567-06,half-done,,,,,,\n"
        "env-waste-mai-te-ruam,2567-06,in-progress,140,,,,,\n"
        "env-waste-food-compost,2567-06,done,lots,,,,,\n",
        encoding="utf-8",
    )
    code, output = run("validate", str(root))
    assert code == 1
    file = f"{root}/reports/2567/projects/env.csv"
    found = [line for line in output.splitlines() if line.startswith(file)]
    assert found == [
        f"{file}:3:1: E609 project 'env-trees-nursery' is reported twice for 2567-06 (first at "
        "line 2)",
        f"{file}:4:1: E605 unknown project 'env-tree-nursery'",
        f"{file}:5:1: E606 project 'mgmt-okr-workshops' is owned by 'sed', not 'env': an agency "
        "reports on its own projects",
        f"{file}:6:1: E607 status 'half-done' is not a project state; expected one of "
        "not-started, in-progress, done, cancelled",
        f"{file}:7:1: E608 percent complete 140 is outside 0–100",
        f"{file}:8:37: E103 percent 'lots' is not a plain number; expected digits with '.' as the "
        "decimal point, like 57.5, or nothing",
    ]


# --- the brief, the handbook and the site count the same way -----------------------------------


def test_the_brief_the_handbook_and_the_site_show_the_counts_of_status_projects(
    root: Path, tmp_path: Path
) -> None:
    book = fill(
        env_template(root, tmp_path),
        {
            "F5": "done",
            "G5": 100,
            "F7": "in progress",
            "G7": 40,
            "F8": "in progress",
            "F9": "ยกเลิก",
        },
    )
    assert import_(root, book)[0] == 0
    june = ("--data", str(root), "--as-of", "2024-06-30", "--lang", "en")
    code, output = run("brief", "--host", "env", *june)
    assert code == 0
    assert (
        "- Projects env owns: 11 (0 not started · 5 in progress · 5 done · 1 cancelled); not "
        "reported for 2567-06: 2, FY2567-Q3: 1"
    ) in output.splitlines()
    # the key result's own projects: the dust walls are cancelled, the nursery in progress
    assert "**Projects bound**: 0 not started · 1 in progress · 0 done · 1 cancelled" in output
    code, output = run("handbook", "-a", "env", *june)
    assert code == 0
    lines = output.splitlines()
    at = lines.index("## Projects / โครงการ")
    assert lines[at : at + 5] == [
        "## Projects / โครงการ",
        "",
        "- 11 projects (0 not started · 5 in progress · 5 done · 1 cancelled); not reported for "
        "2567-06: 2, FY2567-Q3: 1",
        "- 11 โครงการ (0 ยังไม่เริ่ม · 5 กำลังดำเนินการ · 5 เสร็จแล้ว · 1 ยกเลิก); ยังไม่รายงานงวด 2567-06: 2, "
        "FY2567-Q3: 1",
        "",
    ]
    site = tmp_path / "site"
    code, output = run("site", "-o", str(site), "--data", str(root), "--as-of", "2024-06-30")
    assert code == 0, output
    page = (site / "agencies/env.html").read_text(encoding="utf-8")
    found = re.search(r'<dd data-field="projects">(.*?)</dd>', page)
    assert found is not None
    assert re.sub(r"<[^>]+>", "", found.group(1)) == (
        "11 (0 ยังไม่เริ่ม not started · 5 กำลังดำเนินการ in progress · 5 เสร็จแล้ว done · "
        "1 ยกเลิก cancelled); ยังไม่รายงานงวด 2567-06: 2, FY2567-Q3: 1 not reported for 2567-06: 2, "
        "FY2567-Q3: 1"
    )
    assert 'data-field="projects"' not in (site / "agencies/bang-rak.html").read_text(
        encoding="utf-8"
    )


def test_a_dry_run_lists_the_project_reports_and_writes_nothing(root: Path, tmp_path: Path) -> None:
    book = fill(env_template(root, tmp_path), {"F7": "กำลังดำเนินการ / in progress", "G7": "40 %"})
    before = snapshot(root)
    code, output = run("import-reports", "--data", str(root), "--dry-run", str(book))
    assert code == 0
    assert f"{book}: + env project env-parks-15min-build-2567 2567-06 = in-progress 40 %" in (
        output.splitlines()
    )
    assert "Would merge 1 of 1 file: 1 added, 0 changed, 0 unchanged." in output
    assert snapshot(root) == before


def test_a_hidden_projects_sheet_is_not_read_and_the_import_says_so(
    root: Path, tmp_path: Path
) -> None:
    book = fill(env_template(root, tmp_path), {"F7": "done"}, {"I6": 7})
    wb = openpyxl.load_workbook(book)
    wb[PROJECTS_SHEET].sheet_state = "hidden"
    wb.save(book)
    code, output = import_(root, book)
    assert code == 0
    assert f"{book}: note: hidden sheet 'Projects' holds the projects: not read" in (
        output.splitlines()
    )
    assert not (root / "reports/2567/projects").exists()


def test_projects_takes_no_by_since_or_workbook(root: Path, tmp_path: Path) -> None:
    code, output = status_projects(root, "--by", "district")
    assert (code, output) == (2, "okrtool: --projects takes no --by, --since or --changed-only\n")
    code, output = status_projects(root, "-o", str(tmp_path / "p.xlsx"))
    assert (code, output) == (
        2,
        "okrtool: status --projects has no workbook: write it with -o FILE.md, .csv, .json\n",
    )


def test_a_template_saved_by_libreoffice_as_ods_imports_its_projects(
    root: Path, tmp_path: Path
) -> None:
    from test_reader import converted

    book = fill(
        env_template(root, tmp_path),
        {"F5": "เสร็จแล้ว / done", "G5": 100, "F8": "in progress", "G8": "๕๕%"},
    )
    ods = converted(book, "ods", tmp_path / "lo")
    code, output = import_(root, ods)
    assert code == 0, output
    assert "Merged 1 of 1 file: 2 added, 0 changed, 0 unchanged." in output
    lines = (root / "reports/2567/projects/env.csv").read_text(encoding="utf-8").splitlines()
    assert [[*line.split(",")[:4], line.split(",")[7]] for line in lines[1:]] == [
        ["env-parks-15min-design-guide", "2567-06", "done", "100", "Projects!F5"],
        ["env-trees-nursery", "2567-06", "in-progress", "55", "Projects!F8"],
    ]
