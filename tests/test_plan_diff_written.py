"""An own target written down that the host carried already — the host's row of the Targets sheet
given the whole target of a key result that had no allocation — changes the policy file but no
value: `okrtool import-plan` and `okrtool diff` say so in words ("now written down … no own
target changed"), and the other way when the own targets are taken out again."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from git_repo import commit, git, plan_repo

from helpers import run

POLICY = "env-waste-points"
FILE = f"data/policies/environment/{POLICY}.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository of the shipped data, on its own git configuration."""
    return plan_repo(tmp_path, monkeypatch)


def host_target(repo: Path, name: str, value: object) -> Path:
    """The workshop sheet with the host's own target (the row marked H) set to ``value``."""
    book = repo.parent / name
    code, output = run("plan-template", "--data", "data", "--policy", POLICY, "-o", str(book))
    assert code == 0, output
    wb = openpyxl.load_workbook(book)
    ws = wb["Targets"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 7).value == "H")
    assert ws.cell(row, 2).value == "env-waste-points-set"
    ws.cell(row, 8).value = value
    wb.save(book)
    return book


def imported(repo: Path, book: Path, *lang: str) -> list[str]:
    """Import ``book`` and commit; its lines, after checking that diff prints the same."""
    code, output = run("import-plan", "--data", "data", *lang, str(book))
    assert code == 0, output
    commit(repo, f"import {book.name}")
    lines = output.splitlines()
    code, diffed = run("diff", "HEAD~1", "HEAD", *lang)
    assert code == 0, diffed
    assert diffed.splitlines()[1:] == lines[:-1]
    return lines


HEAD = (
    "policies: 1 changed · key results: 1 changed",
    "",
    "~ policy env-waste-points: Central waste points in housing estates",
    "    ~ key result env-waste-points-set: Central waste points set up in housing estates",
)


def test_an_own_target_the_host_carried_written_down_and_taken_out_again(repo: Path) -> None:
    book = host_target(repo, "written.xlsx", "๒,๔๗๓")
    assert imported(repo, book, "--lang", "en") == [
        *HEAD,
        "        bindings not recorded → recorded",
        "        allocations: now written down, as the host carried the target until now; no own "
        "target changed",
        "            Environment Department 2,473 points",
        f"{book}: workshop {POLICY}: wrote {FILE}",
    ]
    assert git(repo, "diff", "HEAD~1", "HEAD", "--unified=0", "--", FILE).splitlines()[-4:] == [
        "@@ -37,0 +38,3 @@ okrs:",
        "+        allocations:",
        "+          env: 2473",
        "+        bound: {}",
    ]
    _, diffed = run("diff", "HEAD~1", "HEAD", "--format", "json")
    (kr,) = json.loads(diffed)["policies"][0]["key_results"]
    allocations = kr["allocations"]
    assert (allocations["written"], allocations["total_old"], allocations["total_new"]) == (
        "written",
        2473.0,
        2473.0,
    )
    assert [(c["agency"]["id"], c["old"], c["new"]) for c in allocations["changes"]] == [
        ("env", 2473.0, 2473.0)
    ]

    # the host's cell cleared: no own target written, the host carries the target as before
    book = host_target(repo, "cleared.xlsx", None)
    assert imported(repo, book) == [
        "นโยบาย: เปลี่ยน 1 · ตัวชี้วัด: เปลี่ยน 1",
        "",
        "~ นโยบาย env-waste-points: จุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร (Central waste points in "
        "housing estates)",
        "    ~ ตัวชี้วัด env-waste-points-set: จำนวนจุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร (Central "
        "waste points set up in housing estates)",
        "        การจัดสรรเป้าหมาย: ไม่ได้บันทึกในแผนแล้ว หน่วยงานรับผิดชอบหลักรับเป้าหมายทั้งหมดเหมือนเดิม "
        "เป้าหมายของหน่วยงานไม่เปลี่ยน",
        "            สำนักสิ่งแวดล้อม (Environment Department) 2,473 จุด",
        f"{book}: workshop {POLICY}: wrote {FILE}",
    ]
