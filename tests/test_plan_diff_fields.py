"""Every field `okrtool import-plan` can write shows in what it prints, and `okrtool diff` between
the commits before and after prints the same lines: workshop and binding sheets made by
`okrtool plan-template`, filled in with openpyxl, imported into a git repository of the data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from git_repo import commit, plan_repo

from helpers import run

POLICY = "env-waste-points"
KR = "env-waste-points-set"
FILE = "data/policies/environment/env-waste-points.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository of the shipped data, on its own git configuration, as in test_diff."""
    return plan_repo(tmp_path, monkeypatch)


def template(repo: Path, name: str, *how: str) -> tuple[Path, openpyxl.Workbook]:
    """A plan workbook made by `okrtool plan-template`, opened for filling in."""
    path = repo.parent / name
    code, output = run("plan-template", "--data", "data", *how, "-o", str(path))
    assert code == 0, output
    return path, openpyxl.load_workbook(path)


def own_target_rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[int]:
    """The Targets sheet's R rows of the key result."""
    return [
        r
        for r in range(6, ws.max_row + 1)
        if ws.cell(r, 2).value == KR and ws.cell(r, 7).value == "R"
    ]


def imported(repo: Path, book: Path, message: str) -> list[str]:
    """Import ``book`` (`--lang en`), commit the result; the lines of the change it printed,
    after checking that `okrtool diff HEAD~1 HEAD` prints the same."""
    code, output = run("import-plan", "--data", "data", "--lang", "en", str(book))
    assert code == 0, output
    commit(repo, message)
    lines = output.splitlines()
    # the change as diff words it, then a line a binding and a line a file
    change = [line for line in lines if not line.startswith(str(book))]
    code, diffed = run("diff", "HEAD~1", "HEAD", "--lang", "en")
    assert code == 0, diffed
    assert diffed.splitlines()[1:] == change
    return lines


HEAD = (
    "~ policy env-waste-points: Central waste points in housing estates",
    "    ~ key result env-waste-points-set: Central waste points set up in housing estates",
)


def allocate(repo: Path) -> Path:
    """The workshop gives the 50 districts 49 or 50 points each (2,473 in all)."""
    book, wb = template(repo, "workshop.xlsx", "--policy", POLICY)
    ws = wb["Targets"]
    for i, r in enumerate(own_target_rows(ws)):
        ws.cell(r, 8).value = 50 if i < 23 else 49
    wb.save(book)
    return book


def test_a_workshop_that_allocates_says_bindings_are_recorded_from_now_on(repo: Path) -> None:
    book = allocate(repo)
    assert imported(repo, book, "the workshop's own targets") == [
        "policies: 1 changed · key results: 1 changed",
        "",
        *HEAD,
        "        bindings not recorded → recorded",
        "        allocations: 2,473 points moved from Environment Department to Bang Kapi, Bang "
        "Khen, Bang Khun Thian, Bang Rak, Bangkok Noi and 45 more; total 2,473 points, unchanged",
        "            Environment Department 2,473 → none (−2,473)",
        "            23 agencies none → 50 points (+50): Bang Kapi, Bang Khen, Bang Khun Thian, "
        "Bang Rak, Bangkok Noi and 18 more",
        "            27 agencies none → 49 points (+49): Bang Bon, Bang Khae, Bang Kho Laem, "
        "Bang Na, Bang Phlat and 22 more",
        f"{book}: workshop {POLICY}: wrote data/policies/environment/env-waste-points.yaml",
    ]


def binding(repo: Path, name: str, own: object, title: str) -> Path:
    """Bang Rak's binding sheet with its own target and its OKR's title on the key result."""
    book, wb = template(repo, name, "--agency", "bang-rak", "--fy", "2567")
    ws = wb["Binding"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 3).value == KR)
    ws.cell(row, 8).value = own
    ws.cell(row, 9).value = title
    wb.save(book)
    return book


def test_an_agency_that_binds_another_okr_shows_in_import_plan_and_diff(repo: Path) -> None:
    imported(repo, allocate(repo), "the workshop's own targets")
    first = binding(repo, "first.xlsx", 50, "บางรักมีจุดรวมมูลฝอย")
    assert imported(repo, first, "Bang Rak bound") == [
        "policies: 1 changed · key results: 1 changed",
        "",
        *HEAD,
        "        + bound by Bang Rak: its OKR “บางรักมีจุดรวมมูลฝอย”",
        f"{first}: bound bang-rak → {KR}: บางรักมีจุดรวมมูลฝอย",
        f"{first}: binding bang-rak: wrote data/policies/environment/env-waste-points.yaml",
    ]
    # the title of its own OKR changed, and nothing else: this was not shown at all
    again = binding(repo, "again.xlsx", 50, "บางรักมีจุดรวมมูลฝอยครบทุกหมู่บ้าน")
    assert imported(repo, again, "Bang Rak bound another OKR") == [
        "policies: 1 changed · key results: 1 changed",
        "",
        *HEAD,
        "        ~ Bang Rak bound another OKR: “บางรักมีจุดรวมมูลฝอยครบทุกหมู่บ้าน” (was "
        "“บางรักมีจุดรวมมูลฝอย”)",
        f"{again}: bound bang-rak → {KR}: บางรักมีจุดรวมมูลฝอยครบทุกหมู่บ้าน",
        f"{again}: binding bang-rak: wrote data/policies/environment/env-waste-points.yaml",
    ]
    # in Thai, as by default
    third = binding(repo, "third.xlsx", 50, "บางรักมีจุดรวมมูลฝอย 52 จุด")
    code, output = run("import-plan", "--data", "data", str(third))
    assert code == 0, output
    commit(repo, "Bang Rak bound a third OKR")
    assert output.splitlines()[3:-2] == [
        "    ~ ตัวชี้วัด env-waste-points-set: จำนวนจุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร (Central "
        "waste points set up in housing estates)",
        "        ~ บางรัก (Bang Rak) เปลี่ยน OKR ที่ผูก: “บางรักมีจุดรวมมูลฝอย 52 จุด” (เดิม "
        "“บางรักมีจุดรวมมูลฝอยครบทุกหมู่บ้าน”)",
    ]
    code, diffed = run("diff", "HEAD~1", "HEAD")
    assert diffed.splitlines()[1:] == output.splitlines()[:-2]
    code, diffed = run("diff", "HEAD~1", "HEAD", "--format", "json")
    (kr,) = json.loads(diffed)["policies"][0]["key_results"]
    ((bound,),) = [kr["bindings"]]
    assert {k: bound[k] for k in ("change", "okr_title", "old_okr_title")} == {
        "change": "changed",
        "okr_title": "บางรักมีจุดรวมมูลฝอย 52 จุด",
        "old_okr_title": "บางรักมีจุดรวมมูลฝอยครบทุกหมู่บ้าน",
    }
    assert bound["date"] == bound["old_date"] == date.today().isoformat()


def test_every_field_of_a_workshop_sheet_shows_in_import_plan_and_diff(repo: Path) -> None:
    imported(repo, allocate(repo), "the workshop's own targets")
    book, wb = template(repo, "again.xlsx", "--policy", POLICY)
    okr = wb["OKR"]
    okr["C6"] = "ให้หมู่บ้านจัดสรรทุกแห่งมีจุดรวมมูลฝอยส่วนกลาง"
    okr["C7"] = "Give every housing estate a central waste point"
    for col, value in zip(
        "CDEFGHIJK",
        (
            "จุดรวมมูลฝอยในหมู่บ้านจัดสรร",
            "Waste points in housing estates",
            "sites",
            "แห่ง",
            2500,
            12,
            "higher",
            "increment",
            "sum",
        ),
        strict=True,
    ):
        okr[f"{col}10"] = value
    for col, value in zip(
        "CDEFGHIJK",
        (
            "หมู่บ้านที่คัดแยกขยะ",
            "Estates that sort their waste",
            "percent",
            "ร้อยละ",
            80,
            0,
            "higher",
            "level",
            "latest",
        ),
        strict=True,
    ):
        okr[f"{col}11"] = value
    targets = wb["Targets"]
    targets.cell(own_target_rows(targets)[0], 8).value = 77  # Phra Nakhon 50 → 77: 2,500
    projects = wb["Projects"]
    for col, value in zip(
        "CDEFG",
        ("สำรวจจุดรวมมูลฝอยเดิม", "Survey existing waste points", "bang-rak", None, "in-progress"),
        strict=True,
    ):
        projects[f"{col}6"] = value
    for col, value in zip(
        "CDEFG",
        ("ติดป้ายจุดรวม", "Signs at the waste points", "env", KR, "planned"),
        strict=True,
    ):
        projects[f"{col}8"] = value
    wb.save(book)
    wrote = f"{book}: workshop {POLICY}: wrote data/policies/environment/env-waste-points.yaml"
    assert imported(repo, book, "the workshop again") == [
        "policies: 1 changed · OKRs: 1 changed · key results: 1 changed, 1 added · projects: 1 "
        "changed, 1 added",
        "",
        "~ policy env-waste-points: Central waste points in housing estates",
        "    ~ OKR env-waste-points-2567: Give every housing estate a central waste point",
        '        Thai objective "ให้หมู่บ้านจัดสรรมีจุดรวมมูลฝอยส่วนกลางที่เก็บขนได้ตามรอบ" → '
        '"ให้หมู่บ้านจัดสรรทุกแห่งมีจุดรวมมูลฝอยส่วนกลาง"',
        '        English objective "Give housing estates central waste points collected on '
        'schedule" → "Give every housing estate a central waste point"',
        "    ~ key result env-waste-points-set: Waste points in housing estates",
        '        Thai title "จำนวนจุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร" → "จุดรวมมูลฝอยในหมู่บ้านจัดสรร"',
        '        English title "Central waste points set up in housing estates" → "Waste points '
        'in housing estates"',
        "        target 2,473 points → 2,500 sites (+27, +1.1 %)",
        "        baseline 0 points → 12 sites (+12)",
        "        unit points → sites",
        '        Thai unit "จุด" → "แห่ง"',
        "        measure cumulative → increment",
        "        allocations: 27 sites added to Phra Nakhon; total 2,473 → 2,500 sites (+27)",
        "            Phra Nakhon 50 → 77 sites (+27)",
        "    + key result env-waste-points-2567-kr2: Estates that sort their waste — target 80 %, "
        "allocated to 1 agency",
        '        Thai title "หมู่บ้านที่คัดแยกขยะ"',
        "        unit percent",
        '        Thai unit "ร้อยละ"',
        "        baseline 0 %",
        "        direction higher is better",
        "        measure level",
        "        aggregate latest",
        "        reporting frequency monthly",
        "    ~ project env-waste-points-survey: Survey existing waste points",
        '        Thai title "สำรวจหมู่บ้านจัดสรรและจุดรวมมูลฝอยเดิม" → "สำรวจจุดรวมมูลฝอยเดิม"',
        '        English title "Survey housing estates and existing waste points" → "Survey '
        'existing waste points"',
        "        owner Environment Department → Bang Rak",
        "        key result env-waste-points-set → none",
        "        status done → in-progress",
        "    + project env-waste-points-2567-p3: Signs at the waste points (Environment "
        "Department, key result env-waste-points-set, planned)",
        wrote,
    ]
    # the fields left: the Thai unit taken away, the direction and how values are aggregated
    book, wb = template(repo, "third.xlsx", "--policy", POLICY)
    okr = wb["OKR"]
    okr["F10"], okr["I10"], okr["K10"] = None, "lower", "mean"
    wb.save(book)
    assert imported(repo, book, "the workshop a third time") == [
        "policies: 1 changed · key results: 1 changed",
        "",
        "~ policy env-waste-points: Central waste points in housing estates",
        "    ~ key result env-waste-points-set: Waste points in housing estates",
        '        Thai unit "แห่ง" → none',
        "        direction higher is better → lower is better",
        "        aggregate sum → mean",
        wrote.replace("again.xlsx", "third.xlsx"),
    ]


def test_a_binding_recorded_on_another_date_shows_in_diff(repo: Path) -> None:
    imported(repo, allocate(repo), "the workshop's own targets")
    imported(repo, binding(repo, "b.xlsx", 50, "บางรักมีจุดรวมมูลฝอย"), "Bang Rak bound")
    path = repo / FILE
    text = path.read_text(encoding="utf-8")
    today = date.today().isoformat()
    assert f"            date: {today}\n" in text
    path.write_text(text.replace(f"date: {today}", "date: 2024-01-15"), encoding="utf-8")
    commit(repo, "the date of the workshop")
    code, diffed = run("diff", "HEAD~1", "HEAD", "--lang", "en")
    assert code == 0, diffed
    assert diffed.splitlines()[1:] == [
        "policies: 1 changed · key results: 1 changed",
        "",
        *HEAD,
        f"        ~ Bang Rak: bound on {today} → 2024-01-15",
    ]


def test_an_own_target_and_a_binding_from_one_binding_sheet_show_in_import_plan_and_diff(
    repo: Path,
) -> None:
    book, wb = template(repo, "bang-rak.xlsx", "--agency", "bang-rak", "--fy", "2567")
    ws = wb["Binding"]
    kr = "env-waste-collection-buildings"
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 3).value == kr)
    assert [ws.cell(row, c).value for c in (6, 7, 8, 9)] == ["R", 100, 100, None]
    ws.cell(row, 8).value = "๙๐"
    ws.cell(row, 9).value = "บางรักเก็บขยะทุกอาคาร"
    wb.save(book)
    assert imported(repo, book, "Bang Rak: 90 % and its OKR") == [
        "policies: 1 changed · key results: 1 changed",
        "",
        "~ policy env-waste-collection: Collect waste from every building at least twice a week",
        f"    ~ key result {kr}: Buildings whose waste is collected at least twice a week",
        "        bindings not recorded → recorded",
        "        allocations:",
        "            Bang Rak 100 → 90 % (−10 points)",
        "        + bound by Bang Rak: its OKR “บางรักเก็บขยะทุกอาคาร”",
        f"{book}: bound bang-rak → {kr}: บางรักเก็บขยะทุกอาคาร",
        f"{book}: binding bang-rak: wrote data/policies/environment/env-waste-collection.yaml",
    ]
