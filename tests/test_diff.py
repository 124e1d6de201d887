"""`okrtool diff`: what a change request changes in the plan, between two git revisions.

Every test works on a real git repository made in tmp_path from the shipped data: the plan as
issued on `main`, then a branch of change requests, one commit each.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from git_repo import commit, git, plan_repo, short

from helpers import SHIPPED, edit, line_of, run, snapshot

TREES = "data/policies/environment/env-trees.yaml"
HEALTH = "data/policies/health/health-centres.yaml"
CANALS = "data/policies/safety/infra-canals.yaml"
NEW_POLICY = "data/policies/health/health-night-clinics.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the shipped data on `main`, checked out on a branch `change`;
    the tests run in it, with no git configuration but its own."""
    return plan_repo(tmp_path, monkeypatch, branch="change")


def change_policy(root: Path, rel: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Load a policy file, change it, write it back (comments are not kept: the plan is)."""
    path = root / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def key_result(data: dict[str, Any], kr_id: str) -> dict[str, Any]:
    for okr in data["okrs"]:
        for kr in okr["key_results"]:
            if kr["id"] == kr_id:
                return kr
    raise AssertionError(kr_id)


# --- the change requests ------------------------------------------------------------------------


def raise_trees_and_move_allocation(root: Path) -> str:
    """Trees target 200,000 → 210,000 (Nong Chok takes the 10,000); 300 trees move from
    Bang Rak to Dusit."""
    edit(root / TREES, "        target: 200000\n", "        target: 210000\n")
    edit(root / TREES, "          nong-chok: 17370\n", "          nong-chok: 27370\n")
    edit(root / TREES, "          bang-rak: 2320\n", "          bang-rak: 2020\n")
    edit(root / TREES, "          dusit: 2650\n", "          dusit: 2950\n")
    return commit(root, "trees: 210,000; 300 from Bang Rak to Dusit")


def drop_medical_as_supporter(root: Path) -> str:
    """The Medical Service Department stops supporting the health centres; the Health
    Department takes its 7 zones (medical has reported 3 of them)."""
    edit(root / HEALTH, "supporters: [medical]", "supporters: []")
    edit(root / HEALTH, "          medical: 7", "          health: 7")
    return commit(root, "health centres: medical no longer supports")


def remove_canals_maintained(root: Path) -> str:
    def drop(data: dict[str, Any]) -> None:
        krs = data["okrs"][0]["key_results"]
        krs[:] = [kr for kr in krs if kr["id"] != "infra-canals-maintained"]

    change_policy(root, CANALS, drop)
    return commit(root, "canals: no more count of canals maintained")


def add_night_clinics(root: Path) -> str:
    (root / NEW_POLICY).write_text(
        yaml.safe_dump(
            {
                "id": "health-night-clinics",
                "title_th": "คลินิกนอกเวลาใกล้บ้าน",
                "title_en": "Evening clinics near home",
                "dimension": "health",
                "group": "quality-of-life",
                "host": "health",
                "supporters": ["medical"],
                "okrs": [
                    {
                        "id": "health-night-clinics-2567",
                        "fiscal_year": 2567,
                        "owner": "health",
                        "objective_th": "เปิดคลินิกนอกเวลาในศูนย์บริการสาธารณสุข",
                        "objective_en": "Open evening clinics in the health centres",
                        "key_results": [
                            {
                                "id": "health-night-clinics-open",
                                "title_th": "จำนวนคลินิกนอกเวลาที่เปิดให้บริการ",
                                "title_en": "Evening clinics open",
                                "unit": "clinics",
                                "unit_th": "แห่ง",
                                "target": 20,
                                "measure": "cumulative",
                                "aggregate": "sum",
                                "allocations": {"health": 15, "medical": 5},
                            }
                        ],
                    }
                ],
            },
            allow_unicode=True,
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    edit(
        root / HEALTH,
        "title_en: Public health centres upgraded",
        "title_en: Public health centres upgraded to the new standard",
    )
    return commit(root, "evening clinics; clearer title")


# --- what is printed ----------------------------------------------------------------------------

TREES_LINES = [
    "~ policy env-trees: Plant a million trees: green space and dust-filter walls across the city",
    "    ~ key result env-trees-planted: Trees planted",
    "        target 200,000 → 210,000 trees (+10,000, +5.0 %)",
    "        allocations: 300 trees cut from Bang Rak; 10,300 trees added to Nong Chok, Dusit; "
    "total 200,000 → 210,000 trees (+10,000)",
    "            Bang Rak 2,320 → 2,020 trees (−300)",
    "            Nong Chok 17,370 → 27,370 trees (+10,000)",
    "            Dusit 2,650 → 2,950 trees (+300)",
]


def test_a_changed_target_and_allocations_show_old_new_and_by_how_much(repo: Path) -> None:
    main = short(repo, "main")
    head = short(repo, raise_trees_and_move_allocation(repo))
    code, out = run("diff", "main", "change", "--lang", "en")
    assert (code, out.splitlines()) == (
        0,
        [
            f"Changes to the plan in data/: main ({main}) → change ({head})",
            "policies: 1 changed · key results: 1 changed",
            "",
            *TREES_LINES,
        ],
    )


def test_a_pure_move_says_moved_and_the_total_is_unchanged(repo: Path) -> None:
    edit(repo / TREES, "          bang-rak: 2320\n", "          bang-rak: 2020\n")
    edit(repo / TREES, "          dusit: 2650\n", "          dusit: 2950\n")
    commit(repo, "300 trees from Bang Rak to Dusit")
    code, out = run("diff", "main", "HEAD", "--lang", "en")
    assert code == 0
    assert out.splitlines()[5:] == [
        "        allocations: 300 trees moved from Bang Rak to Dusit; total 200,000 trees, "
        "unchanged",
        "            Bang Rak 2,320 → 2,020 trees (−300)",
        "            Dusit 2,650 → 2,950 trees (+300)",
    ]


def test_thai_names_come_first_with_the_english_beside(repo: Path) -> None:
    raise_trees_and_move_allocation(repo)
    code, out = run("diff", "main", "change")
    lines = out.splitlines()
    assert code == 0
    assert lines[1] == "นโยบาย: เปลี่ยน 1 · ตัวชี้วัด: เปลี่ยน 1"
    assert lines[3:8] == [
        "~ นโยบาย env-trees: ปลูกต้นไม้ล้านต้น สร้างพื้นที่สีเขียวและกำแพงกรองฝุ่นทั่วกรุง "
        "(Plant a million trees: green space and dust-filter walls across the city)",
        "    ~ ตัวชี้วัด env-trees-planted: จำนวนต้นไม้ที่ปลูก (Trees planted)",
        "        เป้าหมาย 200,000 → 210,000 ต้น (+10,000, +5.0 %)",
        "        การจัดสรรเป้าหมาย: ลด 300 ต้น จาก บางรัก (Bang Rak); เพิ่ม 10,300 ต้น ให้ "
        "หนองจอก (Nong Chok), ดุสิต (Dusit); รวม 200,000 → 210,000 ต้น (+10,000)",
        "            บางรัก (Bang Rak) 2,320 → 2,020 ต้น (−300)",
    ]


def test_an_okr_objective_and_owner_in_thai(repo: Path) -> None:
    edit(repo / HEALTH, "    owner: health\n", "    owner: medical\n")
    edit(repo / HEALTH, "primary care, linked to the hospitals\n", "primary care\n")
    commit(repo, "medical owns the OKR")
    code, out = run("diff", "main", "HEAD")
    assert code == 0
    assert out.splitlines()[1:] == [
        "นโยบาย: เปลี่ยน 1 · OKR: เปลี่ยน 1",
        "",
        "~ นโยบาย health-centres: ยกระดับศูนย์บริการสาธารณสุขใกล้บ้าน (Upgrade the "
        "neighbourhood public health centres)",
        "    ~ OKR health-centres-2567: ศูนย์บริการสาธารณสุขทุกแห่งให้บริการปฐมภูมิที่มีคุณภาพและ"
        "เชื่อมโรงพยาบาล (Every public health centre gives good primary care)",
        '        วัตถุประสงค์ภาษาอังกฤษ "Every public health centre gives good primary care, '
        'linked to the hospitals" → "Every public health centre gives good primary care"',
        "        เจ้าของ สำนักอนามัย (Health Department) → สำนักการแพทย์ (Medical Service Department)",
    ]


def test_projects_added_and_changed(repo: Path) -> None:
    edit(repo / CANALS, "        status: in-progress\n", "        status: done\n")
    with (repo / HEALTH).open("a", encoding="utf-8") as f:
        f.write(
            "    projects:\n"
            "      - id: health-centres-evenings\n"
            "        title_th: เปิดบริการนอกเวลา\n"
            "        title_en: Evening opening hours\n"
            "        owner: health\n"
            "        key_result: health-centres-upgraded\n"
            "        status: planned\n"
        )
    commit(repo, "evening hours; dredging contracts done")
    code, out = run("diff", "main", "HEAD", "--lang", "en")
    assert code == 0
    assert out.splitlines()[1:] == [
        "policies: 2 changed · projects: 1 changed, 1 added",
        "",
        "~ policy health-centres: Upgrade the neighbourhood public health centres",
        "    + project health-centres-evenings: Evening opening hours (Health Department, key "
        "result health-centres-upgraded, planned)",
        "",
        "~ policy infra-canals: Clean canals that drain well",
        "    ~ project infra-canals-dredging-contracts: Dredging contracts for 19 canals, FY 2567",
        "        status in-progress → done",
    ]


def test_a_dropped_supporter_orphans_its_report_values(repo: Path) -> None:
    before = raise_trees_and_move_allocation(repo)
    after = drop_medical_as_supporter(repo)
    code, out = run("diff", before, after, "--lang", "en")
    assert code == 1  # the new side does not validate: medical's value has no allocation (E601)
    assert out.splitlines() == [
        f"Changes to the plan in data/: {before} ({before[:10]}) → {after} ({after[:10]})",
        "policies: 1 changed · key results: 1 changed · orphaned report values: 1",
        f"warning: {after} ({after[:10]}) does not validate: 1 error (E601 ×1); what could be "
        "read is compared. Run 'okrtool validate' there to see every error. First:",
        "    data/reports/2567/medical.csv:2:1: E601 'medical' reports on "
        "'health-zones-networked' but has no allocation on it",
        "",
        "~ policy health-centres: Upgrade the neighbourhood public health centres",
        "    - R Medical Service Department",
        "    ~ key result health-zones-networked: Health zones with a working referral network "
        "to BMA hospitals",
        "        allocations: 7 zones moved from Medical Service Department to Health "
        "Department; total 7 zones, unchanged",
        "            Medical Service Department 7 → none (−7)",
        "            Health Department none → 7 zones (+7)",
        "",
        f"Report values left with nothing to report on (in data/reports of {after} "
        f"({after[:10]})): 1",
        "    health-zones-networked: Health zones with a working referral network to BMA "
        "hospitals — the agency's allocation on it is removed",
        "        data/reports/2567/medical.csv: 1 value (Medical Service Department)",
    ]


def test_a_removed_key_result_lists_its_values_per_file_and_agency(repo: Path) -> None:
    before = git(repo, "rev-parse", "HEAD")
    remove_canals_maintained(repo)
    code, out = run("diff", before, "HEAD", "--lang", "en")
    lines = out.splitlines()
    assert code == 1
    assert lines[1] == "policies: 1 changed · key results: 1 removed · orphaned report values: 22"
    assert lines[2].endswith(
        "does not validate: 22 errors (E202 ×22); what could be read is "
        "compared. Run 'okrtool validate' there to see every error. First:"
    )
    start = lines.index("~ policy infra-canals: Clean canals that drain well")
    assert lines[start + 1] == (
        "    - key result infra-canals-maintained: Canals maintained (litter and weeds cleared, "
        "flow opened) — target 1,161 canals, allocated to 51 agencies"
    )
    orphans = lines[lines.index("") + 1 :][3:]
    assert orphans[:3] == [
        "Report values left with nothing to report on (in data/reports of HEAD "
        f"({short(repo, 'HEAD')})): 22",
        "    infra-canals-maintained: Canals maintained (litter and weeds cleared, flow opened) "
        "— the key result is removed",
        "        data/reports/2567/bang-khen.csv: 1 value (Bang Khen)",
    ]
    assert "        data/reports/2567/dds.csv: 2 values (Drainage and Sewerage Department)" in (
        orphans
    )
    assert len(orphans) == 2 + 21  # one line a report file that holds such values


def test_an_added_policy_its_okr_and_key_result_and_a_changed_title(repo: Path) -> None:
    add_night_clinics(repo)
    code, out = run("diff", "main", "HEAD", "--lang", "en")
    assert code == 0
    assert out.splitlines()[1:] == [
        "policies: 1 changed, 1 added · OKRs: 1 added · key results: 1 changed, 1 added",
        "",
        "~ policy health-centres: Upgrade the neighbourhood public health centres",
        "    ~ key result health-centres-upgraded: Public health centres upgraded to the new "
        "standard",
        '        English title "Public health centres upgraded" → "Public health centres '
        'upgraded to the new standard"',
        "",
        "+ policy health-night-clinics: Evening clinics near home",
        "    H Health Department; R Medical Service Department",
        "    + OKR health-night-clinics-2567: Open evening clinics in the health centres "
        "(FY 2567, owner Health Department)",
        "    + key result health-night-clinics-open: Evening clinics open — target 20 clinics, "
        "allocated to 2 agencies",
        '        Thai title "จำนวนคลินิกนอกเวลาที่เปิดให้บริการ"',
        "        unit clinics",
        '        Thai unit "แห่ง"',
        "        baseline 0 clinics",
        "        direction higher is better",
        "        measure cumulative",
        "        aggregate sum",
        "        reporting frequency monthly",
    ]


def test_host_baseline_unit_direction_and_a_percent_target(repo: Path) -> None:
    budget = repo / "data/policies/management/mgmt-budget-disbursement.yaml"
    edit(budget, "        target: 95\n", "        target: 90\n")
    edit(budget, "          phra-nakhon: 95\n", "          phra-nakhon: 90\n")
    edit(repo / HEALTH, "host: health\n", "host: medical\n")
    edit(repo / HEALTH, "supporters: [medical]", "supporters: [health]")
    edit(
        repo / HEALTH,
        "        unit: centres\n        unit_th: แห่ง\n        target: 69\n        direction: higher",
        "        unit: health centres\n        unit_th: ศูนย์\n        baseline: 12\n"
        "        target: 69\n        direction: lower",
    )
    commit(repo, "medical hosts the health centres; budget 90 %")
    code, out = run("diff", "main", "HEAD", "--lang", "en")
    assert code == 1  # the Health Department's values: its key result is carried by medical now
    assert out.splitlines()[5:] == [
        "",
        "~ policy health-centres: Upgrade the neighbourhood public health centres",
        "    H Health Department → Medical Service Department",
        "    - R Medical Service Department",
        "    + R Health Department",
        "    ~ key result health-centres-upgraded: Public health centres upgraded",
        "        baseline 0 centres → 12 health centres (+12)",
        "        unit centres → health centres",
        '        Thai unit "แห่ง" → "ศูนย์"',
        "        direction higher is better → lower is better",
        "",
        "~ policy mgmt-budget-disbursement: Spend the budget on plan",
        "    ~ key result mgmt-budget-disbursed: Share of the district's FY 2567 budget disbursed",
        "        target 95 % → 90 % (−5 points)",
        "        allocations:",
        "            Phra Nakhon 95 → 90 % (−5 points)",
        "",
        f"Report values left with nothing to report on (in data/reports of HEAD "
        f"({short(repo, 'HEAD')})): 2",
        "    health-centres-upgraded: Public health centres upgraded — the agency's allocation "
        "on it is removed",
        "        data/reports/2567/health.csv: 2 values (Health Department)",
    ]


def test_an_old_side_that_does_not_validate_is_compared_and_named(repo: Path) -> None:
    # main was issued with the trees allocations 10 short; the change request mends them
    git(repo, "checkout", "-q", "main")
    edit(repo / TREES, "          dusit: 2650\n", "          dusit: 2640\n")
    broken = short(repo, commit(repo, "issued 10 short"))
    git(repo, "checkout", "-q", "-B", "change")
    edit(repo / TREES, "          dusit: 2640\n", "          dusit: 2650\n")
    code, out = run("diff", "--lang", "en")
    line = line_of(repo / TREES, "phra-nakhon: 2320")  # the first allocation
    assert code == 0  # the request itself validates
    assert out.splitlines() == [
        f"Changes to the plan in data/: the merge base of HEAD and main ({broken}) → the "
        "working tree",
        "policies: 1 changed · key results: 1 changed",
        f"warning: the merge base of HEAD and main ({broken}) does not validate: 1 error "
        "(E402 ×1); what could be read is compared. Run 'okrtool validate' there to see every "
        "error. First:",
        f"    data/policies/environment/env-trees.yaml:{line}:11: E402 allocations of "
        "'env-trees-planted' add up to 199,990 trees; the target is 200,000 (10 short)",
        "",
        "~ policy env-trees: Plant a million trees: green space and dust-filter walls across "
        "the city",
        "    ~ key result env-trees-planted: Trees planted",
        "        allocations: 10 trees added to Dusit; total 199,990 → 200,000 trees (+10)",
        "            Dusit 2,640 → 2,650 trees (+10)",
    ]


def test_only_the_years_where_values_can_be_orphaned_are_read(repo: Path) -> None:
    # a broken report file of another year: validate's to report, not a plan change's
    (repo / "data/reports/2560").mkdir()
    (repo / "data/reports/2560/dusit.csv").write_text("not,a,report\n", encoding="utf-8")
    # on both sides (a report file the change adds or edits is the change's: it is read)
    before = commit(repo, "a broken file of 2560")
    raise_trees_and_move_allocation(repo)  # cuts an allocation, but removes none
    code, out = run("diff", before, "HEAD", "--lang", "en", "--format", "json")
    assert (code, json.loads(out)["new"]["report_years"]) == (0, [])
    drop_medical_as_supporter(repo)  # removes medical's allocation on a key result of 2567
    code, out = run("diff", before, "HEAD", "--lang", "en", "--format", "json")
    assert (code, json.loads(out)["new"]["report_years"]) == (1, [2567])


def test_a_policy_file_that_does_not_load_is_not_taken_for_a_removal(repo: Path) -> None:
    with (repo / HEALTH).open("a", encoding="utf-8") as f:
        f.write("id: [broken\n")
    line = len((repo / HEALTH).read_text(encoding="utf-8").splitlines())
    code, out = run("diff", "--lang", "en")
    assert code == 1
    assert out.splitlines()[1:] == [
        "policies: 1 not compared",
        "warning: the working tree does not validate: 1 error (E101 ×1); what could be read is "
        "compared. Run 'okrtool validate' there to see every error. First:",
        f"    data/policies/health/health-centres.yaml:{line + 1}:1: E101 while parsing a flow "
        "sequence: did not find expected ',' or ']'",
        "",
        "? policy health-centres: Upgrade the neighbourhood public health centres",
        "    not compared: its file does not load on the working tree (see the errors above)",
    ]


def test_a_link_out_of_the_data_folder_in_a_revision_is_not_followed(repo: Path) -> None:
    secret = repo.parent / "secret.yaml"
    secret.write_text("id: secret\n", encoding="utf-8")
    (repo / "data/policies/health/health-secret.yaml").symlink_to(secret)
    commit(repo, "a link out of the data folder")
    code, out = run("diff", "main", "HEAD", "--lang", "en")
    lines = out.splitlines()
    assert code == 1
    assert lines[1:3] == [
        "No change to the plan.",
        f"warning: HEAD ({short(repo, 'HEAD')}) does not validate: 1 error (E106 ×1); what "
        "could be read is compared. Run 'okrtool validate' there to see every error. First:",
    ]
    assert lines[3].startswith(
        "    data/policies/health/health-secret.yaml:1:1: E106 symbolic link to "
    )
    assert lines[3].endswith(f"{secret} points outside the data folder; expected a file inside it")


def test_a_data_path_that_is_a_file_in_a_revision_is_refused(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "odd")
    git(repo, "rm", "-rq", "--cached", "data")
    shutil.move(repo / "data", repo / "data-kept")
    (repo / "data").write_text("not a folder\n", encoding="utf-8")
    commit(repo, "data is a file here")
    (repo / "data").unlink()
    git(repo, "checkout", "-q", "-f", "change")
    code, out = run("diff", "odd", "change")
    assert (code, out) == (
        2,
        f"okrtool: odd ({short(repo, 'odd')}) has no folder 'data'; expected the data folder "
        "there (--data names it)\n",
    )


def test_json_carries_every_change_with_raw_numbers(repo: Path) -> None:
    raise_trees_and_move_allocation(repo)
    drop_medical_as_supporter(repo)
    code, out = run("diff", "main", "change", "--format", "json")
    doc = json.loads(out)
    assert code == 1
    assert doc["data"] == "data"
    assert doc["old"]["name"] == "main" and doc["old"]["errors"] == 0
    assert doc["new"]["errors"] == 1 and doc["new"]["error_codes"] == {"E601": 1}
    assert doc["new"]["first_errors"][0]["file"] == "data/reports/2567/medical.csv"
    assert doc["changed"] is True
    assert (doc["old"]["report_years"], doc["new"]["report_years"]) == ([], [2567])
    assert doc["counts"] == {
        "policies": {"changed": 2, "added": 0, "removed": 0, "renamed": 0, "unreadable": 0},
        "okrs": {"changed": 0, "added": 0, "removed": 0},
        "key_results": {"changed": 2, "added": 0, "removed": 0},
        "projects": {"changed": 0, "added": 0, "removed": 0},
        "orphaned_values": {"values": 1},
        "report_values": {"changed": 0, "added": 0, "removed": 0},
    }
    assert doc["values"] == []
    trees = next(p for p in doc["policies"] if p["id"] == "env-trees")
    kr = trees["key_results"][0]
    assert kr["fields"] == [
        {
            "field": "target",
            "old": 200000.0,
            "new": 210000.0,
            "delta": 10000.0,
            "percent": 5.0,
            "old_name": None,
            "new_name": None,
        }
    ]
    assert [
        (c["agency"]["id"], c["old"], c["new"], c["delta"]) for c in kr["allocations"]["changes"]
    ] == [
        ("bang-rak", 2320.0, 2020.0, -300.0),
        ("nong-chok", 17370.0, 27370.0, 10000.0),
        ("dusit", 2650.0, 2950.0, 300.0),
    ]
    health = next(p for p in doc["policies"] if p["id"] == "health-centres")
    assert health["supporters_removed"] == [
        {"id": "medical", "th": "สำนักการแพทย์", "en": "Medical Service Department"}
    ]
    assert doc["orphans"] == [
        {
            "file": "data/reports/2567/medical.csv",
            "key_result": {
                "id": "health-zones-networked",
                "th": "จำนวนเขตสุขภาพที่มีเครือข่ายส่งต่อกับโรงพยาบาลสังกัด กทม.",
                "en": "Health zones with a working referral network to BMA hospitals",
            },
            "agency": {"id": "medical", "th": "สำนักการแพทย์", "en": "Medical Service Department"},
            "values": 1,
            "reason": "allocation-removed",
        }
    ]


def test_markdown_for_a_pull_request_comment(repo: Path) -> None:
    main = short(repo, "main")
    raise_trees_and_move_allocation(repo)
    drop_medical_as_supporter(repo)
    head = short(repo, "HEAD")
    code, out = run("diff", "main", "change", "--format", "markdown", "--lang", "en")
    assert code == 1
    assert out.splitlines() == [
        f"### Changes to the plan in `data/`: `main` (`{main}`) → `change` (`{head}`)",
        "",
        "policies: 2 changed · key results: 2 changed · orphaned report values: 1",
        "",
        f"> **warning: `change` (`{head}`) does not validate: 1 error (E601 ×1); what could be "
        "read is compared. Run 'okrtool validate' there to see every error. First:**",
        "> - `data/reports/2567/medical.csv:2:1: E601 'medical' reports on "
        "'health-zones-networked' but has no allocation on it`",
        "",
        "#### **~** policy `env-trees`: Plant a million trees: green space and dust-filter "
        "walls across the city",
        "",
        "- **~** key result `env-trees-planted`: Trees planted",
        "  - target 200,000 → 210,000 trees (+10,000, +5.0 %)",
        "  - allocations: 300 trees cut from Bang Rak; 10,300 trees added to Nong Chok, Dusit; "
        "total 200,000 → 210,000 trees (+10,000)",
        "    - Bang Rak 2,320 → 2,020 trees (−300)",
        "    - Nong Chok 17,370 → 27,370 trees (+10,000)",
        "    - Dusit 2,650 → 2,950 trees (+300)",
        "",
        "#### **~** policy `health-centres`: Upgrade the neighbourhood public health centres",
        "",
        "- **−** R Medical Service Department",
        "- **~** key result `health-zones-networked`: Health zones with a working referral "
        "network to BMA hospitals",
        "  - allocations: 7 zones moved from Medical Service Department to Health Department; "
        "total 7 zones, unchanged",
        "    - Medical Service Department 7 → none (−7)",
        "    - Health Department none → 7 zones (+7)",
        "",
        f"#### Report values left with nothing to report on (in `data/reports` of `change` "
        f"(`{head}`)): 1",
        "",
        "| file | key result | agency | values | why |",
        "|---|---|---|--:|---|",
        "| `data/reports/2567/medical.csv` | `health-zones-networked` | Medical Service "
        "Department | 1 | the agency's allocation on it is removed |",
    ]


# --- which revisions ----------------------------------------------------------------------------


def test_default_is_the_merge_base_with_main_against_the_working_tree(repo: Path) -> None:
    base = short(repo, "main")
    raise_trees_and_move_allocation(repo)
    # main moves on after the branch left it: not part of this change request
    git(repo, "checkout", "-q", "main")
    edit(repo / HEALTH, "        target: 69\n", "        target: 70\n")
    commit(repo, "main: 70 centres")
    git(repo, "checkout", "-q", "change")
    # an edit not yet committed is part of it
    edit(repo / HEALTH, "title_en: Upgrade the neighbourhood", "title_en: Upgrade the local")
    status = git(repo, "status", "--porcelain")
    files = snapshot(repo / "data")
    code, out = run("diff", "--lang", "en")
    assert code == 0
    assert out.splitlines() == [
        f"Changes to the plan in data/: the merge base of HEAD and main ({base}) → the working "
        "tree",
        "policies: 2 changed · key results: 1 changed",
        "",
        *TREES_LINES,
        "",
        "~ policy health-centres: Upgrade the local public health centres",
        '    English title "Upgrade the neighbourhood public health centres" → "Upgrade the '
        'local public health centres"',
    ]
    # read with git, never checked out: the working tree and the index are as they were
    assert snapshot(repo / "data") == files
    assert git(repo, "status", "--porcelain") == status


def test_one_revision_is_compared_with_the_working_tree(repo: Path) -> None:
    first = raise_trees_and_move_allocation(repo)
    edit(repo / TREES, "        target: 210000\n", "        target: 200000\n")
    edit(repo / TREES, "          nong-chok: 27370\n", "          nong-chok: 17370\n")
    code, out = run("diff", "HEAD", "--lang", "en")
    assert code == 0
    assert out.splitlines()[:5] == [
        f"Changes to the plan in data/: HEAD ({first[:10]}) → the working tree",
        "policies: 1 changed · key results: 1 changed",
        "",
        "~ policy env-trees: Plant a million trees: green space and dust-filter walls across "
        "the city",
        "    ~ key result env-trees-planted: Trees planted",
    ]
    assert out.splitlines()[5] == "        target 210,000 → 200,000 trees (−10,000, −4.8 %)"


def test_no_change_says_so_and_exits_0(repo: Path) -> None:
    code, out = run("diff", "--lang", "en")
    main = short(repo, "main")
    assert (code, out) == (
        0,
        f"Changes to the plan in data/: the merge base of HEAD and main ({main}) → the "
        "working tree\nNo change to the plan.\n",
    )


def test_a_data_folder_given_by_path_from_elsewhere(repo: Path, tmp_path: Path) -> None:
    raise_trees_and_move_allocation(repo)
    os.chdir(tmp_path)
    code, out = run("diff", "main", "change", "--lang", "en", "--data", str(repo / "data"))
    assert code == 0
    assert out.splitlines()[3:] == TREES_LINES


def test_a_repository_that_is_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    root = tmp_path / "bma-plan"
    shutil.copytree(SHIPPED, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "SED data team")
    git(root, "config", "user.email", "sed@example.org")
    commit(root, "the plan as issued")
    edit(root / "policies/health/health-centres.yaml", "supporters: [medical]", "supporters: []")
    edit(
        root / "policies/health/health-centres.yaml", "          medical: 7", "          health: 7"
    )
    monkeypatch.chdir(root)
    code, out = run("diff", "--data", ".", "--lang", "en")
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == (
        f"Changes to the plan in ./: the merge base of HEAD and main ({short(root, 'main')}) → "
        "the working tree"
    )
    assert lines[3] == (
        "    reports/2567/medical.csv:2:1: E601 'medical' reports on 'health-zones-networked' "
        "but has no allocation on it"
    )
    assert lines[-3:] == [
        "Report values left with nothing to report on (in reports of the working tree): 1",
        "    health-zones-networked: Health zones with a working referral network to BMA "
        "hospitals — the agency's allocation on it is removed",
        "        reports/2567/medical.csv: 1 value (Medical Service Department)",
    ]


# --- refusals -----------------------------------------------------------------------------------


def test_outside_a_git_repository_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    shutil.copytree(SHIPPED, tmp_path / "plain" / "data")
    monkeypatch.chdir(tmp_path / "plain")
    code, out = run("diff")
    assert (code, out) == (
        2,
        f"okrtool: {tmp_path / 'plain' / 'data'} is not inside a git repository; okrtool diff "
        "compares revisions of a data folder kept in git\n",
    )


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_a_repository_git_will_not_read_is_refused_with_gits_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    root = tmp_path / "theirs"
    shutil.copytree(SHIPPED, root / "data")
    git(root, "init", "-q")
    for path in [root, *root.rglob("*")]:
        os.chown(path, 65534, 65534, follow_symlinks=False)  # nobody's: "dubious ownership"
    if subprocess.run(["git", "rev-parse"], cwd=root, capture_output=True).returncode == 0:
        pytest.skip("this git (before 2.35.2) reads a repository of another owner")
    monkeypatch.chdir(root)
    code, out = run("diff")
    assert (code, out) == (
        2,
        f"okrtool: {root / 'data'} is not inside a git repository (fatal: detected dubious "
        f"ownership in repository at '{root}'); okrtool diff compares revisions of a data "
        "folder kept in git\n",
    )


def test_an_unknown_revision_is_refused_in_one_line(repo: Path) -> None:
    code, out = run("diff", "no-such-branch")
    assert (code, out) == (
        2,
        f"okrtool: unknown revision 'no-such-branch' in {repo}; expected a commit, branch or tag\n",
    )
    code, out = run("diff", "main", "--no-such-option-but-a-revision")
    assert code == 2


def test_without_a_main_branch_the_default_is_refused(repo: Path) -> None:
    git(repo, "branch", "-m", "main", "trunk")
    code, out = run("diff")
    assert (code, out) == (
        2,
        f"okrtool: no branch 'main' (nor 'origin/main') in {repo} to compare HEAD with; name "
        "the revision to compare: okrtool diff REV_A [REV_B]\n",
    )


def test_in_a_ci_checkout_the_default_is_the_merge_base_with_origin_main(repo: Path) -> None:
    main = short(repo, "main")
    git(repo, "update-ref", "refs/remotes/origin/main", "main")
    git(repo, "branch", "-D", "main")
    raise_trees_and_move_allocation(repo)
    code, out = run("diff", "--lang", "en")
    assert code == 0
    assert out.splitlines()[0] == (
        f"Changes to the plan in data/: the merge base of HEAD and origin/main ({main}) → the "
        "working tree"
    )


def test_a_branch_with_no_common_commit_with_main_is_refused(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "lone")
    commit(repo, "the plan, started again")
    code, out = run("diff")
    assert (code, out) == (
        2,
        f"okrtool: HEAD and 'main' have no common commit in {repo} (a shallow clone? fetch the "
        "history); name the revisions: okrtool diff REV_A [REV_B]\n",
    )


def test_a_revision_without_the_data_folder_is_refused(repo: Path) -> None:
    (repo / "README").write_text("before the data\n", encoding="utf-8")
    git(repo, "checkout", "-q", "--orphan", "empty")
    git(repo, "rm", "-rq", "--cached", "data")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "no data yet")
    git(repo, "checkout", "-q", "-f", "change")
    code, out = run("diff", "empty", "change")
    assert (code, out) == (
        2,
        f"okrtool: empty ({short(repo, 'empty')}) has no folder 'data'; expected the data "
        "folder there (--data names it)\n",
    )


def test_without_git_on_the_path_it_is_refused(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "no-bin"))
    code, out = run("diff")
    assert (code, out) == (
        2,
        "okrtool: git is not installed (or not on PATH); okrtool diff reads revisions with it\n",
    )


def test_a_policy_with_no_host_yet_added_or_given_one(repo: Path) -> None:
    """A catalogue policy has no host until SED names one: adding it, then assigning its
    host, reads as such (the diff failed with a traceback on a host-less policy)."""
    path = repo / "data/policies/health/health-night-walks.yaml"
    path.write_text(
        "id: health-night-walks\ntitle_th: เดินยามค่ำ\ntitle_en: Evening walks\ndimension: health\n",
        encoding="utf-8",
    )
    commit(repo, "a catalogue policy")
    code, out = run("diff", "main", "HEAD", "--lang", "en")
    assert code == 0, out
    assert out.splitlines()[1:] == [
        "policies: 1 added",
        "",
        "+ policy health-night-walks: Evening walks",
        "    H none; R none",
    ]
    path.write_text(
        path.read_text(encoding="utf-8") + "group: quality-of-life\nhost: health\n",
        encoding="utf-8",
    )
    code, out = run("diff", "HEAD", "--lang", "en")
    assert code == 0, out
    assert out.splitlines()[1:] == [
        "policies: 1 changed",
        "",
        "~ policy health-night-walks: Evening walks",
        "    H none → Health Department",
        "    mission group none → quality-of-life",
    ]
