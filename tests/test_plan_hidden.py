"""A hidden sheet is not imported, by import-plan as by import-reports: somebody hid it (old data,
a copy kept aside) and nobody reviewed what it holds. The import names it in a note; a workbook
whose every sheet to read is hidden is refused and changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from helpers import SHIPPED, run, snapshot

POINTS = "policies/environment/env-waste-points.yaml"
KR = "env-waste-points-set"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(SHIPPED, root)
    return root


def workshop(data: Path, tmp_path: Path) -> tuple[Path, openpyxl.Workbook]:
    """env-waste-points' workshop sheet, its 50 districts given 2,473 points in all, and its
    objective and first project retitled."""
    path = tmp_path / "workshop.xlsx"
    code, output = run(
        "plan-template", "--data", str(data), "--policy", "env-waste-points", "-o", str(path)
    )
    assert code == 0, output
    wb = openpyxl.load_workbook(path)
    ws = wb["Targets"]
    rows = [
        r
        for r in range(6, ws.max_row + 1)
        if ws.cell(r, 2).value == KR and ws.cell(r, 7).value == "R"
    ]
    for i, r in enumerate(rows):
        ws.cell(r, 8).value = 50 if i < 23 else 49
    wb["OKR"]["C7"] = "Give every housing estate a central waste point"
    wb["Projects"]["D6"] = "Survey existing waste points"
    return path, wb


def hide(wb: openpyxl.Workbook, path: Path, *sheets: str, state: str = "hidden") -> Path:
    for name in sheets:
        wb[name].sheet_state = state
    wb.save(path)
    return path


def import_plan(data: Path, path: Path) -> tuple[int, str]:
    return run("import-plan", "--data", str(data), "--lang", "en", str(path))


def plan(data: Path) -> dict:
    return yaml.safe_load((data / POINTS).read_text(encoding="utf-8"))


def test_a_hidden_targets_sheet_is_not_imported_and_the_import_says_so(
    data: Path, tmp_path: Path
) -> None:
    path, wb = workshop(data, tmp_path)
    hide(wb, path, "Targets")
    code, output = import_plan(data, path)
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == f"{path}: note: hidden sheet 'Targets' holds the own targets: not read"
    assert lines[1] == "policies: 1 changed · OKRs: 1 changed · projects: 1 changed"
    assert lines[-1] == f"{path}: workshop env-waste-points: wrote {data}/{POINTS}"
    okr = plan(data)["okrs"][0]
    assert okr["objective_en"] == "Give every housing estate a central waste point"
    assert okr["projects"][0]["title_en"] == "Survey existing waste points"
    assert "allocations" not in okr["key_results"][0]  # the hidden own targets: none written


def test_a_hidden_okr_sheet_leaves_the_okr_as_it_is_and_its_own_targets_are_read(
    data: Path, tmp_path: Path
) -> None:
    path, wb = workshop(data, tmp_path)
    hide(wb, path, "OKR", state="veryHidden")  # hidden so that only a program can unhide it
    code, output = import_plan(data, path)
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == (
        f"{path}: note: hidden sheet 'OKR' holds the OKR and its key results: not read"
    )
    assert lines[1] == "policies: 1 changed · key results: 1 changed · projects: 1 changed"
    okr = plan(data)["okrs"][0]
    assert okr["objective_en"] == "Give housing estates central waste points collected on schedule"
    assert sum(okr["key_results"][0]["allocations"].values()) == 2473
    assert okr["projects"][0]["title_en"] == "Survey existing waste points"


def test_a_hidden_projects_sheet_is_not_imported(data: Path, tmp_path: Path) -> None:
    path, wb = workshop(data, tmp_path)
    hide(wb, path, "Projects")
    code, output = import_plan(data, path)
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == f"{path}: note: hidden sheet 'Projects' holds the projects: not read"
    assert lines[1] == "policies: 1 changed · OKRs: 1 changed · key results: 1 changed"
    okr = plan(data)["okrs"][0]
    assert okr["projects"][0]["title_en"] == "Survey housing estates and existing waste points"


def test_a_workbook_whose_every_sheet_is_hidden_is_refused_and_changes_nothing(
    data: Path, tmp_path: Path
) -> None:
    path, wb = workshop(data, tmp_path)
    hide(wb, path, "OKR", "Targets", "Projects")
    wb.active = wb.sheetnames.index("Instructions")
    wb.save(path)
    before = snapshot(data)
    code, output = import_plan(data, path)
    assert (code, output) == (
        1,
        f"{path}: note: hidden sheet 'OKR' holds the OKR and its key results: not read\n"
        f"{path}: note: hidden sheet 'Targets' holds the own targets: not read\n"
        f"{path}: note: hidden sheet 'Projects' holds the projects: not read\n"
        f"REFUSED {path} — nothing of it was written:\n"
        f"{path}: E809 the sheets 'OKR', 'Targets', 'Projects' are hidden: hidden sheets are "
        "not read, since nobody sees what they hold\n"
        "    hint: unhide the sheet (right-click a sheet tab › Unhide), check what it holds, save "
        "and send it again\n"
        f"{path}: workshop env-waste-points: refused (1)\n",
    )
    assert snapshot(data) == before


def test_a_hidden_binding_sheet_is_refused_and_changes_nothing(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "bang-rak.xlsx"
    code, output = run(
        "plan-template", "--data", str(data), "-a", "bang-rak", "--fy", "2567", "-o", str(path)
    )
    assert code == 0, output
    wb = openpyxl.load_workbook(path)
    ws = wb["Binding"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 3).value == KR)
    ws.cell(row, 8).value = 50
    ws.cell(row, 9).value = "บางรักมีจุดรวมมูลฝอย"
    ws.sheet_state = "hidden"
    wb.active = wb.sheetnames.index("Instructions")
    wb.save(path)
    before = snapshot(data)
    code, output = import_plan(data, path)
    assert code == 1
    assert output.splitlines() == [
        f"{path}: note: hidden sheet 'Binding' holds the bindings: not read",
        f"REFUSED {path} — nothing of it was written:",
        f"{path}: E809 the sheet 'Binding' is hidden: hidden sheets are not read, since nobody "
        "sees what they hold",
        "    hint: unhide the sheet (right-click a sheet tab › Unhide), check what it holds, save "
        "and send it again",
        f"{path}: binding bang-rak: refused (1)",
    ]
    assert snapshot(data) == before


# --- import-reports, which the plan import now follows ----------------------------------------


def report(data: Path, tmp_path: Path) -> tuple[Path, openpyxl.Workbook]:
    """Bang Rak's July report with 2 parks opened, and a copy of the sheet saying 1 (an older
    draft, kept aside)."""
    path = tmp_path / "bang-rak-2567-07.xlsx"
    code, output = run(
        "report-template", "--data", str(data), "-a", "bang-rak", "-p", "2567-07", "-o", str(path)
    )
    assert code == 0, output
    wb = openpyxl.load_workbook(path)
    assert wb["Report"]["C6"].value == "env-parks-15min-opened"
    wb["Report"]["I6"] = 2
    old = wb.copy_worksheet(wb["Report"])
    old.title = "Draft"
    old["I6"] = 1
    return path, wb


def stored_parks(data: Path) -> list[str]:
    lines = (data / "reports/2567/bang-rak.csv").read_text(encoding="utf-8").splitlines()
    return [
        line.split(",")[2] for line in lines if line.startswith("env-parks-15min-opened,2567-07")
    ]


def test_a_hidden_report_sheet_is_not_imported_and_the_import_says_so(
    data: Path, tmp_path: Path
) -> None:
    path, wb = report(data, tmp_path)
    hide(wb, path, "Draft")
    code, output = run("import-reports", "--data", str(data), str(path))
    assert code == 0, output
    assert output.splitlines()[0] == (
        f"{path}: note: hidden sheet 'Draft' holds a report table: not read"
    )
    assert stored_parks(data) == ["2"]


def test_a_report_workbook_whose_table_is_only_on_a_hidden_sheet_is_refused(
    data: Path, tmp_path: Path
) -> None:
    path, wb = report(data, tmp_path)
    hide(wb, path, "Report", "Draft")
    before = snapshot(data)
    code, output = run("import-reports", "--data", str(data), str(path))
    assert code == 1
    assert output.splitlines()[:2] == [
        f"REFUSED {path} — nothing of it was written:",
        f"{path}: E802 no report table found: no row in the first 50 rows of a visible sheet has "
        "both a key result header ('Key result id' / 'รหัสผลลัพธ์หลัก') and a value header "
        "('Value' / 'ผลการดำเนินงาน') (sheet 'Report', 'Draft' holds one but is hidden; hidden "
        "sheets are not read, since nobody sees what they hold)",
    ]
    assert snapshot(data) == before
