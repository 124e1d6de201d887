"""`okrtool import-plan`: workshop and binding sheets filled in with openpyxl, checked whole and
written into the policy YAML with every comment and the layout of what did not change kept."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import yaml

from helpers import SHIPPED, edit, run, snapshot

POINTS = "policies/environment/env-waste-points.yaml"
PETS = "policies/environment/pets-in-parks.yaml"
KR = "env-waste-points-set"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(SHIPPED, root)
    return root


def workshop(data: Path, tmp_path: Path, policy: str = "env-waste-points", *more: str) -> Path:
    out = tmp_path / f"{policy}.xlsx"
    code, output = run(
        "plan-template", "--data", str(data), "--policy", policy, "-o", str(out), *more
    )
    assert code == 0, output
    return out


def fill_targets(sheet: Path, out: Path, total: int) -> list[str]:
    """Own targets for every R row of the key result, adding up to ``total``; the cells."""
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Targets"]
    rows = [
        r
        for r in range(6, ws.max_row + 1)
        if ws.cell(r, 2).value == KR and ws.cell(r, 7).value == "R"
    ]
    each, extra = divmod(total, len(rows))
    for i, r in enumerate(rows):
        ws.cell(r, 8).value = each + (1 if i < extra else 0)
    wb.save(out)
    return [f"H{r}" for r in rows]


def added(lines: list[str]) -> int:
    """How many agencies the diff's lines give an allocation they had none of: diff groups
    those given the same amount ('23 หน่วยงาน ไม่มี → 50 จุด (+50): …')."""
    return sum(int(line.split()[0]) for line in lines if " หน่วยงาน ไม่มี → " in line.split(":")[0])


def import_plan(data: Path, *files: Path | str) -> tuple[int, str]:
    return run("import-plan", "--data", str(data), *map(str, files))


def test_the_workshop_sheet_allocates_the_50_districts(data: Path, tmp_path: Path) -> None:
    before = (data / POINTS).read_text(encoding="utf-8")
    filled = tmp_path / "w.xlsx"
    cells = fill_targets(workshop(data, tmp_path), filled, 2473)
    assert len(cells) == 50
    code, output = import_plan(data, filled)
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == "นโยบาย: เปลี่ยน 1 · ตัวชี้วัด: เปลี่ยน 1"
    assert added(lines) == 50  # the 50 allocations added
    assert lines[-1] == f"{filled}: workshop env-waste-points: wrote {data}/{POINTS}"
    after = (data / POINTS).read_text(encoding="utf-8")
    # byte for byte outside the block added after `aggregate: sum`
    head, tail = before.split("        aggregate: sum\n")
    block = after[len(head) + len("        aggregate: sum\n") : len(after) - len(tail)]
    assert after == head + "        aggregate: sum\n" + block + tail
    assert block.startswith(
        "        allocations:\n          phra-nakhon: 50\n          dusit: 50\n"
    )
    assert block.endswith("          bang-bon: 49\n        bound: {}\n")
    assert block.count("\n") == 52
    kr = yaml.safe_load(after)["okrs"][0]["key_results"][0]
    assert sum(kr["allocations"].values()) == 2473
    code, output = run("validate", str(data))
    assert "env-waste-points.yaml" not in "\n".join(
        line for line in output.splitlines() if "W702" in line
    )
    # the same workbook again changes nothing, to the byte
    code, output = import_plan(data, filled)
    assert (code, output) == (0, f"{filled}: workshop env-waste-points: nothing to change\n")
    assert (data / POINTS).read_text(encoding="utf-8") == after


def test_a_fill_one_short_is_refused_at_its_cell_and_nothing_changes(
    data: Path, tmp_path: Path
) -> None:
    filled = tmp_path / "w.xlsx"
    cells = fill_targets(workshop(data, tmp_path), filled, 2472)
    before = snapshot(data)
    code, output = import_plan(data, filled)
    assert code == 1
    assert output == (
        f"REFUSED {filled} — nothing of it was written:\n"
        f"{filled} › Targets!{cells[-1]}: E402 the own targets of '{KR}' "
        f"(Targets!{cells[0]}:{cells[-1]}) add up to 2,472 points; the target is 2,473 (1 short)\n"
        "    hint: change the own targets so that they add up to 2,473, or the target on the "
        "OKR sheet\n"
        f"{filled}: workshop env-waste-points: refused (1)\n"
    )
    assert snapshot(data) == before


def test_dry_run_prints_the_change_and_writes_nothing(data: Path, tmp_path: Path) -> None:
    filled = tmp_path / "w.xlsx"
    fill_targets(workshop(data, tmp_path), filled, 2473)
    before = snapshot(data)
    code, output = run("import-plan", "--data", str(data), "--dry-run", "--lang", "en", str(filled))
    assert code == 0
    lines = output.splitlines()
    assert lines[0] == "policies: 1 changed · key results: 1 changed"
    assert lines[-2:] == [
        f"{filled}: workshop env-waste-points: would write {data}/{POINTS}",
        "Dry run: nothing was written.",
    ]
    assert snapshot(data) == before


COMMENTED = """\
# top: a policy file with comments in every position
id: env-waste-points  # end of line
title_th: จุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร
title_en: "Central waste points in housing estates"
# between keys
dimension: environment
group: quality-of-life
urgent: true
host: env
supporters: [all-districts]  # flow list
district_section: cleansing-parks
sources:
  # inside a list, before an item
  - title: 'SED follow-up'  # single quotes kept
    url: https://example.org/x
okrs:
  - id: env-waste-points-2567
    fiscal_year: 2567
    owner: env
    objective_th: ให้หมู่บ้านจัดสรรมีจุดรวมมูลฝอย
    objective_en: Give housing estates central waste points
    key_results:
      - id: env-waste-points-set
        # inside the key result
        title_th: จำนวนจุดรวมมูลฝอย
        title_en: Central waste points set up
        unit: points
        target: 2473   # the published target
        measure: cumulative
        aggregate: sum
    # before projects, after the key results
    projects:
      - id: env-waste-points-survey
        title_th: สำรวจ
        title_en: Survey
        owner: env
        key_result: env-waste-points-set
        status: done  # last line's comment
# the end
"""


def test_comments_in_every_position_are_kept_byte_for_byte(data: Path, tmp_path: Path) -> None:
    (data / POINTS).write_text(COMMENTED, encoding="utf-8")
    filled = tmp_path / "w.xlsx"
    fill_targets(workshop(data, tmp_path), filled, 2473)
    code, output = import_plan(data, filled)
    assert code == 0, output
    after = (data / POINTS).read_text(encoding="utf-8")
    head, tail = COMMENTED.split("        aggregate: sum\n")
    assert after.startswith(head + "        aggregate: sum\n        allocations:\n")
    assert after.endswith("          bang-bon: 49\n        bound: {}\n" + tail)
    assert len(after.splitlines()) == len(COMMENTED.splitlines()) + 52
    comments = [line for line in COMMENTED.splitlines() if "#" in line]
    assert [line for line in after.splitlines() if "#" in line] == comments


def test_a_policy_with_no_okr_gets_one_with_two_key_results(data: Path, tmp_path: Path) -> None:
    edit(
        data / PETS,
        "dimension: environment\n",
        "dimension: environment\ngroup: quality-of-life\nhost: env\n",
    )
    sheet = workshop(data, tmp_path, "pets-in-parks", "--fy", "2568")
    wb = openpyxl.load_workbook(sheet)
    ws = wb["OKR"]
    assert [ws.cell(r, 2).value for r in range(10, 15)] == [
        f"pets-in-parks-2568-kr{n}" for n in range(1, 6)
    ]
    ws["C6"] = "สวนที่สัตว์เลี้ยงเข้าได้"
    ws["C7"] = "Parks open to pets"
    for r, (th, en, unit, target) in (
        (10, ("สวนที่เปิดให้สัตว์เลี้ยง", "Parks open to pets", "parks", 20)),
        (11, ("ผู้ใช้บริการ", "Visitors with pets", "people", "๑,๐๐๐")),
    ):
        for col, value in zip("CDEGJK", (th, en, unit, target, "cumulative", "sum"), strict=True):
            ws[f"{col}{r}"] = value
    filled = tmp_path / "pets.xlsx"
    wb.save(filled)
    code, output = import_plan(data, filled)
    assert code == 0, output
    assert f"{filled}: workshop pets-in-parks: wrote {data}/{PETS}" in output
    policy = yaml.safe_load((data / PETS).read_text(encoding="utf-8"))
    assert policy["okrs"] == [
        {
            "id": "pets-in-parks-2568",
            "fiscal_year": 2568,
            "owner": "env",
            "objective_th": "สวนที่สัตว์เลี้ยงเข้าได้",
            "objective_en": "Parks open to pets",
            "key_results": [
                {
                    "id": "pets-in-parks-2568-kr1",
                    "title_th": "สวนที่เปิดให้สัตว์เลี้ยง",
                    "title_en": "Parks open to pets",
                    "unit": "parks",
                    "target": 20,
                    "direction": "higher",
                    "measure": "cumulative",
                    "aggregate": "sum",
                },
                {
                    "id": "pets-in-parks-2568-kr2",
                    "title_th": "ผู้ใช้บริการ",
                    "title_en": "Visitors with pets",
                    "unit": "people",
                    "target": 1000,
                    "direction": "higher",
                    "measure": "cumulative",
                    "aggregate": "sum",
                },
            ],
        }
    ]
    code, output = run("validate", str(data))
    assert "pets-in-parks.yaml" not in "\n".join(x for x in output.splitlines() if ": E" in x)
    assert import_plan(data, filled) == (
        0,
        f"{filled}: workshop pets-in-parks: nothing to change\n",
    )


def test_a_binding_sheet_round_trip_for_one_district(data: Path, tmp_path: Path) -> None:
    filled = tmp_path / "w.xlsx"
    fill_targets(workshop(data, tmp_path), filled, 2473)
    assert import_plan(data, filled)[0] == 0
    sheet = tmp_path / "bang-rak.xlsx"
    code, output = run(
        "plan-template",
        "--data",
        str(data),
        "--agency",
        "bang-rak",
        "--fy",
        "2567",
        "-o",
        str(sheet),
    )
    assert (code, output) == (0, f"wrote {sheet} (17 rows)\n")
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Binding"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 3).value == KR)
    assert [ws.cell(row, c).value for c in (3, 6, 7, 8, 9)] == [KR, "R", 2473, 50, None]
    ws.cell(row, 9).value = "เขตบางรักมีจุดรวมมูลฝอยครบทุกหมู่บ้าน"
    bound = tmp_path / "bang-rak-bound.xlsx"
    wb.save(bound)
    before = (data / POINTS).read_text(encoding="utf-8")
    code, output = import_plan(data, bound)
    assert code == 0, output
    assert output.splitlines()[3:] == [  # the change as `okrtool diff` shows it, then the file's
        f"    ~ ตัวชี้วัด {KR}: จำนวนจุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร (Central waste points set "
        "up in housing estates)",
        "        + บางรัก (Bang Rak) ผูก OKR ของตนแล้ว: “เขตบางรักมีจุดรวมมูลฝอยครบทุกหมู่บ้าน”",
        f"{bound}: bound bang-rak → {KR}: เขตบางรักมีจุดรวมมูลฝอยครบทุกหมู่บ้าน",
        f"{bound}: binding bang-rak: wrote {data}/{POINTS}",
    ]
    after = (data / POINTS).read_text(encoding="utf-8")
    today = date.today().isoformat()
    assert after == before.replace(
        "        bound: {}\n",
        "        bound:\n          bang-rak:\n            okr_title: เขตบางรักมีจุดรวมมูลฝอยครบทุกหมู่บ้าน\n"
        f"            date: {today}\n",
    )
    assert import_plan(data, bound) == (0, f"{bound}: binding bang-rak: nothing to change\n")
    # status counts the binding; missing chases the 49 others, by the calendar's binding date
    code, output = run(
        "status",
        "--data",
        str(data),
        "--as-of",
        "2024-06-30",
        "--policy",
        "env-waste-points",
        "--lang",
        "en",
    )
    assert (
        "Bound: 1 of 50 R agencies' own targets have their OKR bound (on the key results that "
        "record bindings: 1)" in " ".join(output.split())
    )
    # the shipped calendar's binding rule: 45 days after 1 October
    code, output = run(
        "missing",
        "--data",
        str(data),
        "--as-of",
        "2024-06-30",
        "--period",
        "2567-06",
        "--policy",
        "env-waste-points",
        "--format",
        "json",
    )
    import json

    items = json.loads(output)["items"]
    unbound = [i for i in items if i["reason"] == "not-bound"]
    assert len(unbound) == 49
    assert "bang-rak" not in {i["agency"] for i in unbound}
    assert {(i["due"], i["days_overdue"]) for i in unbound} == {("2023-11-15", 228)}
    code, output = run("brief", "--data", str(data), "--host", "env", "--as-of", "2024-06-30")
    assert "- ยังไม่รายงานงวด 2567-06: 50; หน่วยงาน R ที่ยังไม่ผูก OKR: 49\n" in output


def test_a_report_workbook_is_not_a_plan_sheet(data: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.xlsx"
    assert (
        run(
            "report-template",
            "--data",
            str(data),
            "-a",
            "bang-rak",
            "-p",
            "2567-06",
            "-o",
            str(report),
        )[0]
        == 0
    )
    code, output = import_plan(data, report)
    assert code == 1
    assert output == (
        f"REFUSED {report} — nothing of it was written:\n"
        f"{report}: E809 not a plan workbook: it has no record of being made by 'okrtool "
        "plan-template' (its record says 'okrtool report template')\n"
        "    hint: make the sheet with 'okrtool plan-template', fill it in and send that; report "
        "workbooks go to 'okrtool import-reports'\n"
        f"{report}: refused (1)\n"
    )


def test_an_agency_that_is_not_r_is_refused_at_its_cell(data: Path, tmp_path: Path) -> None:
    sheet = workshop(data, tmp_path)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Targets"]
    ws["E7"] = "pwd"  # a department that is neither H nor R of the policy
    ws["H7"] = 10
    filled = tmp_path / "w.xlsx"
    wb.save(filled)
    code, output = import_plan(data, filled)
    assert code == 1
    assert (
        f"{filled} › Targets!E7: E401 found the agency 'pwd', which is neither the host 'env' "
        "nor a supporter of policy 'env-waste-points'" in output
    )


def test_the_diff_after_the_import_lists_the_50_allocations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "OKRTOOL_DATA"):
        monkeypatch.delenv(name, raising=False)
    repo = tmp_path / "plan"
    shutil.copytree(SHIPPED, repo / "data")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True)

    git("init", "-q", "-b", "main")
    git("-c", "user.name=SED", "-c", "user.email=sed@example.org", "add", "-A")
    git("-c", "user.name=SED", "-c", "user.email=sed@example.org", "commit", "-qm", "plan")
    monkeypatch.chdir(repo)
    filled = tmp_path / "w.xlsx"
    fill_targets(workshop(repo / "data", tmp_path), filled, 2473)
    code, imported = import_plan(repo / "data", filled)
    assert code == 0
    code, output = run("diff", "--data", "data")
    assert code == 0
    lines = output.splitlines()
    assert lines[1] == "นโยบาย: เปลี่ยน 1 · ตัวชี้วัด: เปลี่ยน 1"
    assert added(lines) == 50
    assert lines[2:] == imported.splitlines()[1:-1]  # import-plan printed the same change


def binding_sheet(data: Path, tmp_path: Path, agency: str, own: object, title: str) -> Path:
    sheet = tmp_path / f"{agency}.xlsx"
    code, output = run(
        "plan-template", "--data", str(data), "-a", agency, "--fy", "2567", "-o", str(sheet)
    )
    assert code == 0, output
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Binding"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 3).value == KR)
    ws.cell(row, 8).value = own
    ws.cell(row, 9).value = title
    wb.save(sheet)
    return sheet


def test_many_binding_sheets_each_refused_or_written_on_its_own(data: Path, tmp_path: Path) -> None:
    filled = tmp_path / "w.xlsx"
    fill_targets(workshop(data, tmp_path), filled, 2473)
    assert import_plan(data, filled)[0] == 0
    good = binding_sheet(data, tmp_path, "dusit", 50, "ดุสิตมีจุดรวมมูลฝอย")
    also = binding_sheet(data, tmp_path, "bang-rak", 50, "บางรักมีจุดรวมมูลฝอย")
    typo = binding_sheet(data, tmp_path, "phra-nakhon", "ห้าสิบ", "พระนคร")
    code, output = import_plan(data, good, also, typo)
    assert code == 1
    assert f"{typo} › Binding!H" in output and "E803 found 'ห้าสิบ', expected a number" in output
    policy = yaml.safe_load((data / POINTS).read_text(encoding="utf-8"))
    bound = policy["okrs"][0]["key_results"][0]["bound"]
    assert sorted(bound) == ["bang-rak", "dusit"]
    # one sheet whose own target breaks the sum: validate finds it, only that file is refused
    over = binding_sheet(data, tmp_path, "bang-khen", 60, "บางเขน")
    late = binding_sheet(data, tmp_path, "min-buri", 50, "มีนบุรีมีจุดรวมมูลฝอย")
    code, output = import_plan(data, over, late)
    assert code == 1
    lines = output.splitlines()
    assert lines[1].startswith(f"{over} › Binding!H")
    assert lines[1].endswith(
        f": E402 allocations of '{KR}' add up to 2,483 points; the target is 2,473 (10 over)"
    )
    assert lines[-1] == f"{late}: binding min-buri: wrote {data}/{POINTS}"
    bound = yaml.safe_load((data / POINTS).read_text(encoding="utf-8"))["okrs"][0]["key_results"][
        0
    ]["bound"]
    assert sorted(bound) == ["bang-rak", "dusit", "min-buri"]


def test_every_shipped_policy_file_is_written_back_byte_for_byte() -> None:
    from okrtool.io.yaml_write import rewrite

    files = sorted((SHIPPED / "policies").rglob("*.yaml"))
    assert len(files) == 217
    changed = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if rewrite(text, yaml.safe_load(text)) != text:
            changed.append(path.name)
    assert changed == []


def test_a_key_removed_and_a_list_item_added_keep_the_comments_around_them() -> None:
    from okrtool.io.yaml_write import rewrite

    text = "a: 1  # one\nb: 'two'\n# after b\nlist:\n  - id: x\n    v: 1  # x's\n# the end\n"
    new = {"a": 2, "list": [{"id": "x", "v": 1}, {"id": "y", "v": 2.0}]}
    assert rewrite(text, new) == (
        "a: 2  # one\n# after b\nlist:\n  - id: x\n    v: 1  # x's\n  - id: y\n    v: 2\n# the end\n"
    )


def test_validate_refuses_a_binding_by_an_unknown_agency_or_one_not_h_or_r(data: Path) -> None:
    edit(
        data / POINTS,
        "        aggregate: sum\n",
        "        aggregate: sum\n        bound:\n          bang-rack: {okr_title: x}\n"
        "          pwd: {okr_title: y}\n",
    )
    code, output = run("validate", str(data))
    assert code == 1
    errors = [line.split(": ", 1)[1] for line in output.splitlines() if ": E" in line]
    assert errors == [
        "E202 unknown agency 'bang-rack'",
        "E401 binding by 'pwd', which is neither the host 'env' nor a supporter of policy "
        "'env-waste-points'",
    ]
