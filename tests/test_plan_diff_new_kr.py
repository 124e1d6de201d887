"""A key result added through a workshop sheet shows with every field a host reviews — titles,
unit, target, baseline, direction, how values are counted and aggregated, reporting frequency —
in what `okrtool import-plan` prints and in `okrtool diff` between the commits before and after,
as text and Markdown, in Thai and English, and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from git_repo import commit, plan_repo

from helpers import run

POLICY = "env-waste-points"
NEW = "env-waste-points-2567-kr2"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository of the shipped data, on its own git configuration."""
    return plan_repo(tmp_path, monkeypatch)


def add_key_result(repo: Path) -> Path:
    """The workshop sheet of env-waste-points with a second key result on its first blank row:
    estates that sort their waste, 80 % from a baseline of 10 %, the latest level."""
    book = repo.parent / "workshop.xlsx"
    code, output = run("plan-template", "--data", "data", "--policy", POLICY, "-o", str(book))
    assert code == 0, output
    wb = openpyxl.load_workbook(book)
    okr = wb["OKR"]
    assert okr["B11"].value == NEW
    values = ("หมู่บ้านที่คัดแยกขยะ", "Estates that sort their waste", "percent", "ร้อยละ")
    for col, value in zip(
        "CDEFGHIJK", (*values, "๘๐", 10, "higher", "level", "latest"), strict=True
    ):
        okr[f"{col}11"] = value
    wb.save(book)
    return book


HEAD_EN = (
    "policies: 1 changed · key results: 1 added",
    "",
    "~ policy env-waste-points: Central waste points in housing estates",
    f"    + key result {NEW}: Estates that sort their waste — target 80 %, allocated to 1 agency",
)
FIELDS_EN = (
    '        Thai title "หมู่บ้านที่คัดแยกขยะ"',
    "        unit percent",
    '        Thai unit "ร้อยละ"',
    "        baseline 10 %",
    "        direction higher is better",
    "        measure level",
    "        aggregate latest",
    "        reporting frequency monthly",
)


def test_a_new_key_result_shows_its_fields_in_import_plan_and_diff(repo: Path) -> None:
    book = add_key_result(repo)
    code, output = run("import-plan", "--data", "data", "--lang", "en", str(book))
    assert code == 0, output
    commit(repo, "a second key result")
    wrote = f"{book}: workshop {POLICY}: wrote data/policies/environment/{POLICY}.yaml"
    assert output.splitlines() == [*HEAD_EN, *FIELDS_EN, wrote]
    code, diffed = run("diff", "HEAD~1", "HEAD", "--lang", "en")
    assert code == 0, diffed
    assert diffed.splitlines()[1:] == [*HEAD_EN, *FIELDS_EN]

    # in Thai (the default): the head line has both titles, the fields their Thai labels
    code, diffed = run("diff", "HEAD~1", "HEAD")
    assert diffed.splitlines()[1:] == [
        "นโยบาย: เปลี่ยน 1 · ตัวชี้วัด: เพิ่ม 1",
        "",
        "~ นโยบาย env-waste-points: จุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร (Central waste points in "
        "housing estates)",
        f"    + ตัวชี้วัด {NEW}: หมู่บ้านที่คัดแยกขยะ (Estates that sort their waste) — เป้าหมาย 80 %, "
        "จัดสรรให้ 1 หน่วยงาน",
        "        หน่วยนับ percent",
        '        หน่วยนับภาษาไทย "ร้อยละ"',
        "        ค่าฐาน 10 %",
        "        ทิศทาง ยิ่งมากยิ่งดี",
        "        วิธีนับ level",
        "        วิธีรวม latest",
        "        ความถี่การรายงาน รายเดือน",
    ]


def test_a_new_key_result_in_markdown_and_json(repo: Path) -> None:
    code, output = run("import-plan", "--data", "data", str(add_key_result(repo)))
    assert code == 0, output
    commit(repo, "a second key result")
    code, diffed = run("diff", "HEAD~1", "HEAD", "--format", "markdown", "--lang", "en")
    assert code == 0, diffed
    assert diffed.splitlines()[2:] == [
        "policies: 1 changed · key results: 1 added",
        "",
        "#### **~** policy `env-waste-points`: Central waste points in housing estates",
        "",
        f"- **+** key result `{NEW}`: Estates that sort their waste — target 80 %, allocated to 1 "
        "agency",
        '  - Thai title "หมู่บ้านที่คัดแยกขยะ"',
        "  - unit `percent`",
        '  - Thai unit "ร้อยละ"',
        "  - baseline 10 %",
        "  - direction higher is better",
        "  - measure `level`",
        "  - aggregate `latest`",
        "  - reporting frequency monthly",
    ]
    code, diffed = run("diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert diffed.splitlines()[6:] == [
        f"- **+** ตัวชี้วัด `{NEW}`: หมู่บ้านที่คัดแยกขยะ (Estates that sort their waste) — "
        "เป้าหมาย 80 %, จัดสรรให้ 1 หน่วยงาน",
        "  - หน่วยนับ `percent`",
        '  - หน่วยนับภาษาไทย "ร้อยละ"',
        "  - ค่าฐาน 10 %",
        "  - ทิศทาง ยิ่งมากยิ่งดี",
        "  - วิธีนับ `level`",
        "  - วิธีรวม `latest`",
        "  - ความถี่การรายงาน รายเดือน",
    ]
    code, diffed = run("diff", "HEAD~1", "HEAD", "--format", "json")
    (kr,) = json.loads(diffed)["policies"][0]["key_results"]
    assert {k: v for k, v in kr.items() if k not in ("fields", "bindings", "old_unit")} == {
        "id": NEW,
        "change": "added",
        "title": {"id": NEW, "th": "หมู่บ้านที่คัดแยกขยะ", "en": "Estates that sort their waste"},
        "unit": {"code": "percent", "th": "ร้อยละ"},
        "target": 80.0,
        "baseline": 10.0,
        "direction": "higher",
        "measure": "level",
        "aggregate": "latest",
        "frequency": "monthly",
        "parent": None,
        "allocations": None,
        "allocated": 1,
    }
