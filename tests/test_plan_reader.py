"""Plan sheets are read by the one workbook reader (io.xlsx_read): a sheet saved by LibreOffice
as .ods imports the same change as the .xlsx; number formats and formulas are read as the
report import reads them."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from test_import_plan import KR, POINTS, fill_targets, import_plan, workshop
from test_reader import converted

from helpers import SHIPPED, snapshot

COLLECTION = "policies/environment/env-waste-collection.yaml"


def copy_data(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(SHIPPED, root)
    return root


def test_a_workshop_sheet_saved_as_ods_imports_the_same_change_as_the_xlsx(tmp_path: Path) -> None:
    first, second = copy_data(tmp_path, "a"), copy_data(tmp_path, "b")
    filled = tmp_path / "w.xlsx"
    fill_targets(workshop(first, tmp_path), filled, 2473)
    ods = converted(filled, "ods", tmp_path / "ods")
    code, from_xlsx = import_plan(first, filled)
    assert code == 0, from_xlsx
    code, from_ods = import_plan(second, ods)
    assert code == 0, from_ods
    assert from_ods.splitlines()[-1] == f"{ods}: workshop env-waste-points: wrote {second}/{POINTS}"
    assert from_ods.splitlines()[:-1] == from_xlsx.splitlines()[:-1]
    assert (second / POINTS).read_bytes() == (first / POINTS).read_bytes()
    kr = yaml.safe_load((second / POINTS).read_text(encoding="utf-8"))["okrs"][0]["key_results"][0]
    assert kr["id"] == KR
    assert (len(kr["allocations"]), sum(kr["allocations"].values())) == (50, 2473)


def _collection_sheet(data: Path, tmp_path: Path) -> tuple[openpyxl.Workbook, int]:
    wb = openpyxl.load_workbook(workshop(data, tmp_path, "env-waste-collection"))
    ws = wb["OKR"]
    row = next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 2).value == "env-waste-collection-buildings"
    )
    return wb, row


@pytest.mark.parametrize(("fmt", "baseline"), [("0%", 62), ("General", 0.62)])
def test_a_percent_formatted_cell_is_the_percentage_shown(
    tmp_path: Path, fmt: str, baseline: float
) -> None:
    data = copy_data(tmp_path, "data")
    wb, row = _collection_sheet(data, tmp_path)
    cell = wb["OKR"].cell(row, 8)  # Baseline
    cell.value, cell.number_format = 0.62, fmt
    filled = tmp_path / "w.xlsx"
    wb.save(filled)
    code, output = import_plan(data, filled)
    assert code == 0, output
    kr = yaml.safe_load((data / COLLECTION).read_text(encoding="utf-8"))["okrs"][0]["key_results"][
        0
    ]
    assert kr["baseline"] == baseline


def test_a_formula_without_a_saved_value_is_refused_at_its_cell(tmp_path: Path) -> None:
    data = copy_data(tmp_path, "data")
    filled = tmp_path / "w.xlsx"
    cells = fill_targets(workshop(data, tmp_path), filled, 2473)
    wb = openpyxl.load_workbook(filled)
    wb["Targets"][cells[0]] = "=25+25"  # openpyxl saves no result: nothing calculated it
    wb.save(filled)
    before = snapshot(data)
    code, output = import_plan(data, filled)
    assert code == 1
    assert output == (
        f"REFUSED {filled} — nothing of it was written:\n"
        f"{filled} › Targets!{cells[0]}: E804 found the formula =25+25 with no saved result, "
        "expected a value\n"
        "    hint: open the file in Excel or LibreOffice so that it calculates, save it and send "
        "it again; or type the number instead of the formula\n"
        f"{filled}: workshop env-waste-points: refused (1)\n"
    )
    assert snapshot(data) == before


def test_a_formula_with_its_saved_value_is_read_as_that_value(tmp_path: Path) -> None:
    data = copy_data(tmp_path, "data")
    filled = tmp_path / "w.xlsx"
    cells = fill_targets(workshop(data, tmp_path), filled, 2473)
    wb = openpyxl.load_workbook(filled)
    wb["Targets"][cells[0]] = "=25+25"
    wb.save(filled)
    calculated = converted(filled, "xlsx:Calc MS Excel 2007 XML", tmp_path / "calc")
    code, output = import_plan(data, calculated)
    assert code == 0, output
    kr = yaml.safe_load((data / POINTS).read_text(encoding="utf-8"))["okrs"][0]["key_results"][0]
    assert kr["allocations"]["phra-nakhon"] == 50
    assert sum(kr["allocations"].values()) == 2473


def test_an_own_target_typed_in_thai_digits_is_read_as_the_number(tmp_path: Path) -> None:
    data = copy_data(tmp_path, "data")
    filled = tmp_path / "w.xlsx"
    cells = fill_targets(workshop(data, tmp_path), filled, 2473)
    wb = openpyxl.load_workbook(filled)
    wb["Targets"][cells[0]] = "๕๐"  # 50, typed as text in Thai digits
    wb.save(filled)
    code, output = import_plan(data, filled)
    assert code == 0, output
    kr = yaml.safe_load((data / POINTS).read_text(encoding="utf-8"))["okrs"][0]["key_results"][0]
    assert (kr["allocations"]["phra-nakhon"], sum(kr["allocations"].values())) == (50, 2473)


def test_a_percentage_on_a_key_result_not_in_percent_is_refused_at_its_cell(
    tmp_path: Path,
) -> None:
    data = copy_data(tmp_path, "data")
    filled = tmp_path / "w.xlsx"
    cells = fill_targets(workshop(data, tmp_path), filled, 2473)
    wb = openpyxl.load_workbook(filled)
    cell = wb["Targets"][cells[0]]
    cell.value, cell.number_format = 0.5, "0%"  # shows 50%, of points
    wb.save(filled)
    before = snapshot(data)
    code, output = import_plan(data, filled)
    assert (code, output.splitlines()) == (
        1,
        [
            f"REFUSED {filled} — nothing of it was written:",
            f"{filled} › Targets!{cells[0]}: E803 found 50% (a percentage), expected a number of "
            "points",
            "    hint: type the number itself; if the cell shows %, format it as Number",
            # the key result's sum is checked without the cell refused
            f"{filled} › Targets!{cells[-1]}: E402 the own targets of '{KR}' "
            f"(Targets!{cells[1]}:{cells[-1]}) add up to 2,423 points; the target is 2,473 "
            "(50 short)",
            "    hint: change the own targets so that they add up to 2,473, or the target on the "
            "OKR sheet",
            f"{filled}: workshop env-waste-points: refused (2)",
        ],
    )
    assert snapshot(data) == before
