"""`okrtool report-template`: the workbook an agency fills in, opened and checked cell by cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from okrtool.io.loaddata import load_dataset
from okrtool.io.report_sheet import KEY_RESULT, NOTE, PERIOD, VALUE, match_header
from okrtool.io.template import allocated_key_results, dataset_fingerprint
from okrtool.io.template_xlsx import TEMPLATE_COLUMNS

from helpers import SHIPPED, copy_dataset, run


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_dataset(tmp_path)


def template(root: Path, tmp_path: Path, *args: str) -> tuple[int, str]:
    return run("report-template", "--data", str(root), *args)


def test_a_row_for_every_key_result_allocated_to_the_agency(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "br.xlsx"
    code, output = template(root, tmp_path, "-a", "bang-rak", "-p", "2567-07", "-o", str(out))
    assert code == 0
    assert output == f"wrote {out} (4 key results)\n"
    ws = openpyxl.load_workbook(out)["Report"]
    assert [c.value for c in ws[5]] == [text for text, _ in TEMPLATE_COLUMNS]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6)]
    assert [r[2] for r in rows] == [
        "trees-planted",
        "trees-perennial",
        "trees-waste-collected",
        "canals-dredged",
    ]
    # key result, Thai and English, unit, own target, reported so far, period, empty input
    assert rows[0] == [
        1,
        "ปลูกต้นไม้ล้านต้น\nPlant a million trees",
        "trees-planted",
        "จำนวนต้นไม้ที่ปลูก\nTrees planted\n(นับเพิ่ม / increment)",
        "trees",
        250,
        90,  # the June value: increments add up
        "2567-07",
        None,
        None,
    ]
    assert rows[2][4:8] == ["ร้อยละ / percent (0–100)", 100, 30, "2567-07"]
    assert rows[1][6] is None  # nothing reported yet
    assert ws["B2"].value == "บางรัก / Bang Rak (bang-rak)"
    assert ws["H2"].value == "2567-07"


def test_only_the_input_cells_are_unlocked_and_they_accept_only_numbers(
    root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "br.xlsx"
    assert template(root, tmp_path, "-a", "bang-rak", "-p", "2567-07", "-o", str(out))[0] == 0
    ws = openpyxl.load_workbook(out)["Report"]
    assert ws.protection.sheet is True
    unlocked = {
        c.coordinate
        for row in ws.iter_rows(min_row=1, max_row=9)
        for c in row
        if not c.protection.locked
    }
    assert unlocked == {f"{col}{r}" for col in "IJ" for r in range(6, 10)}
    rules = {
        (dv.type, dv.operator, dv.formula1, dv.formula2): str(dv.sqref)
        for dv in ws.data_validations.dataValidation
    }
    assert rules == {
        ("decimal", "between", "0", "100"): "I8",
        ("decimal", "greaterThanOrEqual", "0", None): "I6 I7 I9",
    }


def test_the_workbook_records_what_it_was_made_for_and_explains_itself(
    root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "br.xlsx"
    assert template(root, tmp_path, "-a", "bang-rak", "-p", "ก.ค. 67", "-o", str(out))[0] == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Report", "Instructions", "okrtool"]
    meta = wb["okrtool"]
    assert meta.sheet_state == "veryHidden"
    record = {row[0]: row[1] for row in meta.iter_rows(values_only=True)}
    ds, _ = load_dataset(root)
    assert record["kind"] == "okrtool report template"
    assert (record["agency"], record["period"], record["fiscal_year"]) == (
        "bang-rak",
        "2567-07",
        "2567",
    )
    assert record["dataset"] == dataset_fingerprint(ds)
    text = "\n".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert "วิธีกรอกแบบรายงาน" in text and "How to fill in this report" in text
    assert "Percentages are 0–100" in text


def test_the_reader_finds_the_templates_columns() -> None:
    columns = match_header(enumerate((text for text, _ in TEMPLATE_COLUMNS), 1))
    assert columns == {KEY_RESULT: 3, PERIOD: 8, VALUE: 9, NOTE: 10}


def test_all_writes_one_workbook_per_agency_with_an_allocation(root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    code, output = template(root, tmp_path, "-a", "all", "-p", "FY2567-Q4", "-o", str(folder))
    assert code == 0, output
    assert sorted(p.name for p in folder.iterdir()) == [
        "bang-rak-FY2567-Q4.xlsx",
        "dds-FY2567-Q4.xlsx",
        "dusit-FY2567-Q4.xlsx",
        "pathum-wan-FY2567-Q4.xlsx",
        "phra-nakhon-FY2567-Q4.xlsx",
    ]
    assert f"wrote {folder / 'dds-FY2567-Q4.xlsx'} (1 key result)" in output


def test_the_default_file_name_is_agency_and_period(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert template(root, tmp_path, "-a", "dusit", "-p", "June 2024")[0] == 0
    assert (tmp_path / "dusit-2567-06.xlsx").is_file()


def test_an_unknown_agency_is_a_usage_error(root: Path, tmp_path: Path) -> None:
    code, output = template(root, tmp_path, "-a", "bang-rk", "-p", "2567-07")
    assert code == 2
    assert output == (
        "okrtool: unknown agency 'bang-rk'; did you mean 'bang-rak'? expected one of: sed, env, "
        "dds, phra-nakhon, dusit, bang-rak, pathum-wan\n"
    )


def test_a_period_that_cannot_be_read_is_a_usage_error(root: Path, tmp_path: Path) -> None:
    code, output = template(root, tmp_path, "-a", "dusit", "-p", "soon")
    assert code == 2
    assert output.startswith("okrtool: --period soon: found 'soon', expected a month like")


def test_an_agency_with_nothing_allocated_gets_no_template(root: Path, tmp_path: Path) -> None:
    code, output = template(
        root, tmp_path, "-a", "sed", "-p", "2567-07", "-o", str(tmp_path / "x.xlsx")
    )
    assert code == 1
    assert output == "okrtool: 'sed' has no key result allocated in FY 2567: nothing to report on\n"
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.skipif(not (SHIPPED / "policies").is_dir(), reason="no shipped dataset")
def test_every_district_of_the_shipped_data_gets_its_allocated_key_results(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    code, output = run(
        "report-template", "--data", str(SHIPPED), "-a", "all", "-p", "2567-07", "-o", str(folder)
    )
    assert code == 0, output
    ds, _ = load_dataset(SHIPPED)
    for district in ds.districts:
        ws = openpyxl.load_workbook(folder / f"{district}-2567-07.xlsx")["Report"]
        ids = [row[2] for row in ws.iter_rows(min_row=6, values_only=True)]
        assert ids == list(allocated_key_results(ds, district, 2567))


def test_reported_before_counts_only_the_periods_before_the_template_s(
    root: Path, tmp_path: Path
) -> None:
    # phra-nakhon planted 100 trees in 2566-10 and 200 in 2567-06 (increments add up)
    for period, before in (("2567-06", 100), ("2567-07", 300), ("2566-10", None)):
        out = tmp_path / f"{period}.xlsx"
        assert template(root, tmp_path, "-a", "phra-nakhon", "-p", period, "-o", str(out))[0] == 0
        ws = openpyxl.load_workbook(out)["Report"]
        assert (ws["C6"].value, ws["G6"].value) == ("trees-planted", before)


def test_a_key_result_reported_by_quarter_gets_the_quarter_of_a_monthly_template(
    tmp_path: Path,
) -> None:
    # on the shipped data bang-rak reports trees by quarter (Q1–Q3) and parks by month: the July
    # template asks trees for FY2567-Q4 (July is in it), parks for 2567-07, and the import of
    # the filled template is merged (a monthly trees value would be E603, months and quarters
    # mixed, which the officer could not fix)
    from xlsx_helpers import fill_template

    root = copy_dataset(tmp_path, SHIPPED)
    out = tmp_path / "br.xlsx"
    code, output = template(root, tmp_path, "-a", "bang-rak", "-p", "2567-07", "-o", str(out))
    assert code == 0, output
    ws = openpyxl.load_workbook(out)["Report"]
    rows = {r[2]: r for r in ws.iter_rows(min_row=6, values_only=True)}
    assert rows["env-trees-planted"][6:8] == (731 + 890 + 886, "FY2567-Q4")
    assert rows["env-parks-15min-opened"][6:8] == (1, "2567-07")
    fill_template(out, {"env-trees-planted": "๑,๒๓๔", "env-parks-15min-opened": 2})
    code, output = run("import-reports", "--data", str(root), str(out))
    assert code == 0, output
    lines = (root / "reports/2567/bang-rak.csv").read_text(encoding="utf-8").splitlines()
    assert [
        line.split(",")[:3] for line in lines if line.startswith("env-trees-planted,FY2567-Q4")
    ] == [["env-trees-planted", "FY2567-Q4", "1234"]]
    assert run("validate", str(root))[0] == 0


# --- where a template is written -----------------------------------------------------------------


def test_a_workbook_already_there_is_not_written_over_without_force(
    root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "br.xlsx"
    assert template(root, tmp_path, "-a", "bang-rak", "-p", "2567-07", "-o", str(out))[0] == 0
    wb = openpyxl.load_workbook(out)
    wb["Report"]["I6"] = 1234  # the officer fills it in
    wb.save(out)
    filled = out.read_bytes()

    code, output = template(root, tmp_path, "-a", "bang-rak", "-p", "2567-07", "-o", str(out))

    assert code == 2
    assert output == (
        f"okrtool: --output {out}: already exists; pass --force to write over it, or write "
        "elsewhere\n"
    )
    assert out.read_bytes() == filled
    code, output = template(
        root, tmp_path, "-a", "bang-rak", "-p", "2567-07", "-o", str(out), "--force"
    )
    assert (code, output) == (0, f"wrote {out} (4 key results)\n")
    assert openpyxl.load_workbook(out)["Report"]["I6"].value is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["br.xlsx", "data"]  # no temporary file


def test_all_refuses_before_writing_any_when_some_are_there(root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "dusit-2567-07.xlsx").write_bytes(b"filled in")
    (folder / "dds-2567-07.xlsx").write_bytes(b"filled in")

    code, output = template(root, tmp_path, "-a", "all", "-p", "2567-07", "-o", str(folder))

    assert code == 2
    assert output == (
        f"okrtool: --output {folder / 'dds-2567-07.xlsx'}: already exists (and 1 more of the 5 "
        "to write); pass --force to write over it, or write elsewhere\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["dds-2567-07.xlsx", "dusit-2567-07.xlsx"]
