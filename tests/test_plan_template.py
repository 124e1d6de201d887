"""`okrtool plan-template`: the host's workshop sheet and an agency's binding sheet, opened and
checked cell by cell."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from okrtool.io.plan_sheet import BINDING_COLUMNS, KEY_RESULT_COLUMNS, PLAN_KIND, TARGET_COLUMNS

from helpers import SHIPPED, edit, run


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(SHIPPED, root)
    return root


def headers(columns: tuple) -> list[str]:
    return [c.header for c in columns]


def test_the_workshop_sheet_of_a_policy(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    code, output = run(
        "plan-template", "--data", str(data), "--policy", "env-waste-points", "-o", str(out)
    )
    assert (code, output) == (0, f"wrote {out} (1 key result, 2 blank rows for new ones)\n")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["OKR", "Targets", "Projects", "Instructions", "okrtool"]
    okr = wb["OKR"]
    assert [okr.cell(r, 1).value for r in range(5, 8)] == [
        "รหัส OKR / OKR id",
        "วัตถุประสงค์ (ไทย) / Objective (Thai)",
        "วัตถุประสงค์ (อังกฤษ) / Objective (English)",
    ]
    assert okr["C5"].value == "env-waste-points-2567"
    assert okr["C5"].protection.locked and not okr["C6"].protection.locked
    assert [c.value for c in okr[9]] == headers(KEY_RESULT_COLUMNS)
    assert [c.value for c in okr[10]] == [
        1,
        "env-waste-points-set",
        "จำนวนจุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร",
        "Central waste points set up in housing estates",
        "points",
        "จุด",
        2473,
        0,
        "higher",
        "cumulative",
        "sum",
        "monthly",
    ]
    # two spare key result rows, ids given; the id column locked, the rest to fill
    assert [okr.cell(r, 2).value for r in (11, 12)] == [
        "env-waste-points-2567-kr2",
        "env-waste-points-2567-kr3",
    ]
    assert okr["B10"].protection.locked and not okr["G10"].protection.locked
    assert okr["G10"].fill.fgColor.rgb == "00FFF2CC"
    assert okr.protection.sheet
    checks = {str(dv.sqref): (dv.type, dv.formula1) for dv in okr.data_validations.dataValidation}
    assert checks["I10 I11 I12"] == ("list", '"higher,lower"')
    assert checks["J10 J11 J12"] == ("list", '"increment,cumulative,level"')

    targets = wb["Targets"]
    assert [c.value for c in targets[5]] == headers(TARGET_COLUMNS)
    rows = [[c.value for c in row] for row in targets.iter_rows(min_row=6)]
    assert len(rows) == 3 * 51  # the host and 50 districts, for each key result row
    assert rows[0] == [
        1,
        "env-waste-points-set",
        "จำนวนจุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร",
        "จุด / points",
        "env",
        "สำนักสิ่งแวดล้อม",
        "H",
        None,
        None,
    ]
    assert rows[1][4:7] == ["phra-nakhon", "พระนคร", "R"]
    assert not targets["H6"].protection.locked and targets["E6"].protection.locked

    projects = wb["Projects"]
    assert [projects.cell(r, 2).value for r in range(6, 11)] == [
        "env-waste-points-survey",
        "env-waste-points-estates-mou",
        "env-waste-points-2567-p3",
        "env-waste-points-2567-p4",
        "env-waste-points-2567-p5",
    ]
    meta = wb["okrtool"]
    assert meta.sheet_state == "veryHidden"
    record = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, meta.max_row + 1)}
    assert {k: record[k] for k in ("kind", "version", "form", "policy", "fiscal_year", "okr")} == {
        "kind": PLAN_KIND,
        "version": "1",
        "form": "workshop",
        "policy": "env-waste-points",
        "fiscal_year": "2567",
        "okr": "env-waste-points-2567",
    }


def test_a_policy_with_no_okr_has_room_for_five_key_results(data: Path, tmp_path: Path) -> None:
    pets = data / "policies/environment/pets-in-parks.yaml"
    edit(
        pets,
        "dimension: environment\n",
        "dimension: environment\ngroup: quality-of-life\nhost: env\n",
    )
    out = tmp_path / "p.xlsx"
    code, output = run(
        "plan-template", "--data", str(data), "-p", "pets-in-parks", "--fy", "2568", "-o", str(out)
    )
    assert (code, output) == (0, f"wrote {out} (no key result yet, 5 blank rows for new ones)\n")
    okr = openpyxl.load_workbook(out)["OKR"]
    assert okr["C5"].value == "pets-in-parks-2568"
    assert okr["C6"].value is None and not okr["C6"].protection.locked
    assert [[c.value for c in row][2:11] for row in okr.iter_rows(min_row=10)] == [[None] * 9] * 5


def test_a_policy_without_a_host_has_no_workshop(data: Path, tmp_path: Path) -> None:
    code, output = run(
        "plan-template", "--data", str(data), "-p", "pets-in-parks", "-o", str(tmp_path / "p.xlsx")
    )
    assert code == 1
    assert output == (
        "okrtool: policy 'pets-in-parks' has no host or mission group yet: write 'host' and "
        "'group' in its file first (a workshop is convened by the host; E304)\n"
    )
    code, output = run("plan-template", "--data", str(data), "-p", "env-waste-point")
    assert (code, output) == (
        2,
        "okrtool: --policy env-waste-point: unknown policy; did you mean 'env-waste-points'?\n",
    )


def test_the_binding_sheet_of_a_district(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.xlsx"
    code, output = run(
        "plan-template", "--data", str(data), "--agency", "bang-rak", "--fy", "2567", "-o", str(out)
    )
    assert (code, output) == (0, f"wrote {out} (17 rows)\n")
    wb = openpyxl.load_workbook(out)
    ws = wb["Binding"]
    assert [c.value for c in ws[5]] == headers(BINDING_COLUMNS)
    rows = {row[2]: row for row in ws.iter_rows(min_row=6, values_only=True)}
    assert rows["env-waste-separated"][4:] == ("ตัน / tonnes", "R", 73200, 1100, None, None)
    assert rows["env-waste-points-set"][4:] == ("จุด / points", "R", 2473, None, None, None)
    assert not ws["H6"].protection.locked and not ws["I6"].protection.locked
    assert ws["G6"].protection.locked
    meta = wb["okrtool"]
    record = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, meta.max_row + 1)}
    assert (record["form"], record["agency"], record["fiscal_year"]) == (
        "binding",
        "bang-rak",
        "2567",
    )


def test_every_policy_a_host_hosts_into_a_folder(data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "env"
    code, output = run("plan-template", "--data", str(data), "--host", "env", "-o", str(folder))
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "env-parks-15min-2567-workshop.xlsx",
        "env-trees-2567-workshop.xlsx",
        "env-waste-collection-2567-workshop.xlsx",
        "env-waste-points-2567-workshop.xlsx",
        "env-waste-separation-2567-workshop.xlsx",
    ]
    assert output.count("wrote ") == 5


def test_a_workbook_already_there_is_kept_without_force(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    out.write_bytes(b"filled in by an officer")
    args = ("plan-template", "--data", str(data), "-p", "env-waste-points", "-o", str(out))
    code, output = run(*args)
    assert code == 2
    assert "already exists" in output and "--force" in output
    assert out.read_bytes() == b"filled in by an officer"
    assert run(*args, "--force")[0] == 0
