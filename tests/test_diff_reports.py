"""`okrtool diff` over report files, sides that do not load, folded lines and renames.

The reproductions of issue 18: a stored value edited or deleted (even the rows a removed key
result orphaned) was "No change to the plan", exit 0, while validate failed; an old side that
did not load left the new side's errors uncounted; lowering a share-at-target level printed 50
identical lines; a policy under a new id read as one removed and one added. Each test works on a
real git repository made in tmp_path from the shipped data.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from git_repo import commit, git, plan_repo, short

from helpers import edit, line_of, run

REPORTS = "data/reports/2567"
BANG_RAK = f"{REPORTS}/bang-rak.csv"
TREES = "data/policies/environment/env-trees.yaml"
BUDGET = "data/policies/management/mgmt-budget-disbursement.yaml"
DISTRICTS = "data/agencies/districts.yaml"
NOTE = "split of published total (BRIEF June 2024),,,,"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the shipped data on `main`, checked out on a branch `change`."""
    return plan_repo(tmp_path, monkeypatch, branch="change")


def drop_rows(path: Path, key_result: str, value: str | None = None) -> int:
    """Delete the rows of ``key_result`` (of that value only, if given) from a report file;
    return how many."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [
        line
        for line in lines
        if not (
            line.startswith(f"{key_result},") and (value is None or line.split(",")[2] == value)
        )
    ]
    path.write_text("".join(kept), encoding="utf-8")
    return len(lines) - len(kept)


def head_of(repo: Path) -> str:
    return (
        f"Changes to the plan in data/: the merge base of HEAD and main ({short(repo, 'main')}) "
        "→ the working tree"
    )


# --- report values ------------------------------------------------------------------------------


def test_an_edited_value_is_shown_old_new_and_by_how_much(repo: Path) -> None:
    edit(
        repo / BANG_RAK,
        f"env-trees-planted,FY2567-Q1,731,estimated,{NOTE}",
        (f"env-trees-planted,FY2567-Q1,931,estimated,{NOTE}"),
    )
    edit(
        repo / BANG_RAK,
        "mgmt-budget-disbursed,FY2567-Q3,67.3,",
        "mgmt-budget-disbursed,FY2567-Q3,61.3,",
    )
    code, out = run("diff", "--lang", "en")
    assert (code, out.splitlines()) == (
        0,
        [
            head_of(repo),
            "report values: 2 changed",
            "",
            "Report values that differ (in data/reports): 2 changed",
            "    data/reports/2567/bang-rak.csv (Bang Rak)",
            "        ~ env-trees-planted FY2567-Q1: 731 → 931 trees (+200)",
            "        ~ mgmt-budget-disbursed FY2567-Q3: 67.3 → 61.3 % (−6 points)",
        ],
    )


def test_deleted_and_added_values_by_file_key_result_and_period(repo: Path) -> None:
    assert drop_rows(repo / BANG_RAK, "env-trees-planted") == 3
    assert drop_rows(repo / f"{REPORTS}/dusit.csv", "env-parks-15min-opened") == 3
    with (repo / f"{REPORTS}/dusit.csv").open("a", encoding="utf-8") as f:
        f.write(f"env-trees-planted,FY2567-Q4,1200,estimated,{NOTE}\n")
    code, out = run("diff", "--lang", "en")
    assert (code, out.splitlines()[1:]) == (
        0,
        [
            "report values: 1 added, 6 removed",
            "",
            "Report values that differ (in data/reports): 1 added, 6 removed",
            "    data/reports/2567/bang-rak.csv (Bang Rak)",
            "        - env-trees-planted FY2567-Q1, FY2567-Q2, FY2567-Q3: 731, 890, 886 trees",
            "    data/reports/2567/dusit.csv (Dusit)",
            "        - env-parks-15min-opened 2567-02, 2567-04, 2567-06: 0, 0, 1 parks",
            "        + env-trees-planted FY2567-Q4: 1,200 trees",
        ],
    )


def test_a_value_made_unreadable_is_an_error_of_the_new_side(repo: Path) -> None:
    """validate fails on the edit; the diff said "No change to the plan", exit 0."""
    edit(repo / BANG_RAK, "env-trees-planted,FY2567-Q1,731,", "env-trees-planted,FY2567-Q1,7 31,")
    code, out = run("diff", "--lang", "en")
    assert (code, out.splitlines()[1:]) == (
        1,
        [
            "report values: 1 removed",
            "warning: the working tree does not validate: 1 error (E103 ×1); what could be read "
            "is compared. Run 'okrtool validate' there to see every error. First:",
            "    data/reports/2567/bang-rak.csv:8:29: E103 value '7 31' is not a plain number; "
            "expected digits with '.' as the decimal point, like 1234.5",
            "",
            "Report values that differ (in data/reports): 1 removed",
            "    data/reports/2567/bang-rak.csv (Bang Rak)",
            "        - env-trees-planted FY2567-Q1: 731 trees",
        ],
    )
    assert run("validate")[0] == 1


def test_the_rows_a_removed_key_result_orphaned_deleted_later(repo: Path) -> None:
    """The key result is removed on main first (its 22 values orphaned: validate fails there);
    the change request deletes them. That deletion is the change, not "No change"."""
    canals = repo / "data/policies/safety/infra-canals.yaml"
    text = canals.read_text(encoding="utf-8")
    start = text.index("      - id: infra-canals-maintained\n")
    end = text.index("      - id: infra-canals-dredged\n")
    canals.write_text(text[:start] + text[end:], encoding="utf-8")
    orphaned = commit(repo, "canals: no more count of canals maintained")
    removed = sum(drop_rows(p, "infra-canals-maintained") for p in (repo / REPORTS).glob("*.csv"))
    assert removed == 22
    code, out = run("diff", "HEAD", "--lang", "en")
    assert code == 0  # the request mends main: validate passes on it
    alike = "        - infra-canals-maintained 2567-06:"
    assert out.splitlines() == [
        f"Changes to the plan in data/: HEAD ({orphaned[:10]}) → the working tree",
        "report values: 22 removed",
        "",
        "Report values that differ (in data/reports): 22 removed",
        # the key result is on neither side: its values without their unit
        "    data/reports/2567/bang-khen.csv (Bang Khen)",
        f"{alike} 14",
        "    4 files in data/reports/2567: Bang Phlat, Din Daeng, Khlong Toei, Sathon",
        f"{alike} 6",
        "    data/reports/2567/dds.csv (Drainage and Sewerage Department)",
        "        - infra-canals-maintained 2567-03, 2567-06: 96, 171",
        "    data/reports/2567/don-mueang.csv (Don Mueang)",
        f"{alike} 15",
        "    data/reports/2567/lat-krabang.csv (Lat Krabang)",
        f"{alike} 31",
        "    data/reports/2567/lat-phrao.csv (Lat Phrao)",
        f"{alike} 9",
        "    data/reports/2567/min-buri.csv (Min Buri)",
        f"{alike} 23",
        "    2 files in data/reports/2567: Nong Khaem, Taling Chan",
        f"{alike} 13",
        "    data/reports/2567/phra-khanong.csv (Phra Khanong)",
        f"{alike} 8",
        "    data/reports/2567/pom-prap-sattru-phai.csv (Pom Prap Sattru Phai)",
        f"{alike} 3",
        "    data/reports/2567/prawet.csv (Prawet)",
        f"{alike} 19",
        "    data/reports/2567/rat-burana.csv (Rat Burana)",
        f"{alike} 10",
        "    2 files in data/reports/2567: Ratchathewi, Samphanthawong",
        f"{alike} 4",
        "    data/reports/2567/thawi-watthana.csv (Thawi Watthana)",
        f"{alike} 22",
        "    data/reports/2567/thon-buri.csv (Thon Buri)",
        f"{alike} 7",
        "    data/reports/2567/watthana.csv (Watthana)",
        f"{alike} 5",
    ]


def test_a_removed_key_result_and_its_rows_deleted_together(repo: Path) -> None:
    """The same in one change: the key result removed, its values deleted — nothing orphaned."""
    canals = repo / "data/policies/safety/infra-canals.yaml"
    text = canals.read_text(encoding="utf-8")
    start = text.index("      - id: infra-canals-maintained\n")
    end = text.index("      - id: infra-canals-dredged\n")
    canals.write_text(text[:start] + text[end:], encoding="utf-8")
    for path in (repo / REPORTS).glob("*.csv"):
        drop_rows(path, "infra-canals-maintained")
    code, out = run("diff", "--lang", "en")
    lines = out.splitlines()
    assert code == 0
    assert lines[1:6] == [
        "policies: 1 changed · key results: 1 removed · report values: 22 removed",
        "",
        "~ policy infra-canals: Clean canals that drain well",
        "    - key result infra-canals-maintained: Canals maintained (litter and weeds cleared, "
        "flow opened) — target 1,161 canals, allocated to 51 agencies",
        "",
    ]
    # the old plan knows the key result: its values with their unit
    assert lines[6:9] == [
        "Report values that differ (in data/reports): 22 removed",
        "    data/reports/2567/bang-khen.csv (Bang Khen)",
        "        - infra-canals-maintained 2567-06: 14 canals",
    ]


def test_json_lists_every_value_with_its_file_agency_key_result_and_period(repo: Path) -> None:
    edit(repo / BANG_RAK, "env-trees-planted,FY2567-Q1,731,", "env-trees-planted,FY2567-Q1,931,")
    commit(repo, "Bang Rak's first quarter corrected")
    code, out = run("diff", "main", "HEAD", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["counts"]["report_values"] == {"changed": 1, "added": 0, "removed": 0}
    assert doc["new"]["report_years"] == [2567]
    assert doc["values"] == [
        {
            "file": "data/reports/2567/bang-rak.csv",
            "agency": {"id": "bang-rak", "th": "บางรัก", "en": "Bang Rak"},
            "key_result": {
                "id": "env-trees-planted",
                "th": "จำนวนต้นไม้ที่ปลูก",
                "en": "Trees planted",
            },
            "period": "FY2567-Q1",
            "change": "changed",
            "old": 731.0,
            "new": 931.0,
            "unit": {"code": "trees", "th": "ต้น"},
        }
    ]


def test_markdown_lists_report_values_by_file(repo: Path) -> None:
    edit(repo / BANG_RAK, "env-trees-planted,FY2567-Q1,731,", "env-trees-planted,FY2567-Q1,931,")
    code, out = run("diff", "--format", "markdown")
    assert (code, out.splitlines()[2:]) == (
        0,
        [
            "ค่าที่รายงาน: เปลี่ยน 1",
            "",
            "#### ค่าที่รายงานที่ต่างกัน (ใน `data/reports`): เปลี่ยน 1",
            "",
            "- `data/reports/2567/bang-rak.csv` (บางรัก (Bang Rak))",
            "  - **~** `env-trees-planted` FY2567-Q1: 731 → 931 ต้น (+200)",
        ],
    )


def test_files_whose_changes_are_alike_fold_into_one_line(repo: Path) -> None:
    removed = sum(
        drop_rows(p, "mgmt-okrs-bound", "100") for p in sorted((repo / REPORTS).glob("*.csv"))
    )
    assert removed == 43
    code, out = run("diff", "--lang", "en")
    assert (code, out.splitlines()[1:]) == (
        0,
        [
            "report values: 43 removed",
            "",
            "Report values that differ (in data/reports): 43 removed",
            "    43 files in data/reports/2567: Bang Kapi, Bang Khen, Bang Kho Laem, Bang Khun "
            "Thian, Bang Na and 38 more",
            "        - mgmt-okrs-bound 2567-06: 100 %",
        ],
    )


# --- sides that do not load ---------------------------------------------------------------------


def test_an_old_side_that_does_not_load_still_counts_the_new_sides_errors(repo: Path) -> None:
    """main is issued with the districts file broken and a typo in Dusit's report; the change
    request mends the districts only. The typo is in a file the change does not touch: it is
    counted because what the change touches cannot be told from a plan that does not load."""
    git(repo, "checkout", "-q", "main")
    edit(repo / DISTRICTS, "districts:\n", "districts: [\n")
    edit(
        repo / f"{REPORTS}/dusit.csv",
        "env-trees-planted,FY2567-Q1,624,",
        ("env-trees-planted,FY2567-Q1,62 4,"),
    )
    broken = short(repo, commit(repo, "issued with a broken districts file"))
    git(repo, "checkout", "-q", "-B", "change")
    git(repo, "checkout", "-q", "main~1", "--", DISTRICTS)
    line = line_of(repo / DISTRICTS, "- id: ", 1)  # where the YAML parser gives up, in main
    code, out = run("diff", "--lang", "en")
    base = f"the merge base of HEAD and main ({broken})"
    assert code == 1  # validate fails on the request: Dusit's value
    assert out.splitlines() == [
        f"Changes to the plan in data/: {base} → the working tree",
        f"policies: not compared: the plan of {base} does not load",
        f"warning: the plan of {base} does not load: {DISTRICTS}:{line}:3: E101 while parsing "
        "a flow node: did not find expected node content (the agencies every H, R and "
        "allocation names); the plans are not compared, the report values are",
        f"warning: {base} does not validate: 1 error (E101 ×1); what could be read is compared. "
        "Run 'okrtool validate' there to see every error. First:",
        f"    {DISTRICTS}:{line}:3: E101 while parsing a flow node: did not find expected node "
        "content",
        "warning: the working tree does not validate: 1 error (E103 ×1); what could be read is "
        "compared. Run 'okrtool validate' there to see every error. First:",
        "    data/reports/2567/dusit.csv:8:29: E103 value '62 4' is not a plain number; "
        "expected digits with '.' as the decimal point, like 1234.5",
    ]
    # the same between two revisions: the new side's every report file is written out and read
    mended = short(repo, commit(repo, "the districts mended"))
    code, again = run("diff", "main", "HEAD", "--lang", "en", "--format", "json")
    doc = json.loads(again)
    assert code == 1
    assert (doc["new"]["name"], doc["new"]["commit"][:10]) == ("HEAD", mended)
    assert (doc["new"]["errors"], doc["new"]["report_years"], doc["values"]) == (1, [2567], [])


def test_a_revision_with_no_plan_yet_says_so_in_one_line(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "early")
    git(repo, "rm", "-rqf", "--cached", "data")
    shutil.move(repo / "data", repo / "data-kept")
    (repo / "data").mkdir()
    (repo / "data/README").write_text("the plan comes next month\n", encoding="utf-8")
    commit(repo, "before the plan")
    shutil.rmtree(repo / "data")
    shutil.move(repo / "data-kept", repo / "data")
    git(repo, "checkout", "-q", "-f", "change")
    code, out = run("diff", "early", "change", "--lang", "en", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert (doc["old"]["unloaded"], doc["new"]["unloaded"]) == (
        "no agency or policy file in data/",
        None,
    )
    assert (doc["policies"], doc["counts"]["report_values"]["added"]) == ([], 1140)
    code, out = run("diff", "early", "change", "--lang", "en")
    early = short(repo, "early")
    assert out.splitlines()[1:3] == [
        f"policies: not compared: the plan of early ({early}) does not load · report values: "
        "1,140 added",
        f"warning: the plan of early ({early}) does not load: no agency or policy file in "
        "data/; the plans are not compared, the report values are",
    ]


# --- folded lines and renames -------------------------------------------------------------------


def test_lowering_a_share_at_target_level_is_one_line_not_fifty(repo: Path) -> None:
    text = (repo / BUDGET).read_text(encoding="utf-8")
    (repo / BUDGET).write_text(text.replace(": 95\n", ": 90\n"), encoding="utf-8")
    code, out = run("diff", "--lang", "en")
    assert (code, out.splitlines()[1:]) == (
        0,
        [
            "policies: 1 changed · key results: 1 changed",
            "",
            "~ policy mgmt-budget-disbursement: Spend the budget on plan",
            "    ~ key result mgmt-budget-disbursed: Share of the district's FY 2567 budget "
            "disbursed",
            "        target 95 % → 90 % (−5 points)",
            "        allocations:",
            "            50 agencies 95 → 90 % (−5 points): Bang Bon, Bang Kapi, Bang Khae, Bang "
            "Khen, Bang Kho Laem and 45 more",
        ],
    )


def test_a_policy_under_a_new_id_and_file_reads_as_a_rename(repo: Path) -> None:
    new = "data/policies/environment/env-greening.yaml"
    git(repo, "mv", TREES, new)
    edit(repo / new, "\nid: env-trees\n", "\nid: env-greening\n")
    edit(
        repo / new, 'title_en: "Plant a million trees', 'title_en: "Green the city: a million trees'
    )
    code, out = run("diff", "--lang", "en")
    assert (code, out.splitlines()[1:]) == (
        0,
        [
            "policies: 1 renamed",
            "",
            "~ policy env-trees → env-greening: Green the city: a million trees: green space and "
            "dust-filter walls across the city",
            '    English title "Plant a million trees: green space and dust-filter walls across '
            'the city" → "Green the city: a million trees: green space and dust-filter walls '
            'across the city"',
        ],
    )
    code, out = run("diff", "--format", "json")
    doc = json.loads(out)
    assert [(p["id"], p["old_id"], p["change"]) for p in doc["policies"]] == [
        ("env-greening", "env-trees", "renamed")
    ]
    assert doc["counts"]["policies"]["renamed"] == 1


def test_an_all_districts_supporter_added_is_one_line(repo: Path) -> None:
    health = repo / "data/policies/health/health-centres.yaml"
    edit(health, "supporters: [medical]", "supporters: [medical, all-districts]")
    code, out = run("diff", "--lang", "en")
    assert (code, out.splitlines()[1:]) == (
        0,
        [
            "policies: 1 changed",
            "",
            "~ policy health-centres: Upgrade the neighbourhood public health centres",
            "    + R 50 agencies: Phra Nakhon, Dusit, Nong Chok, Bang Rak, Bang Khen and 45 more",
        ],
    )


def test_a_catalogue_policy_under_a_new_id_and_file_is_paired_by_its_title(repo: Path) -> None:
    """No OKRs to pair it by (a catalogue policy has none yet): its title pairs it."""
    old = "data/policies/city-structure/baan-mankong-secure-housing.yaml"
    new = "data/policies/city-structure/secure-housing.yaml"
    git(repo, "mv", old, new)
    edit(repo / new, "id: baan-mankong-secure-housing\n", "id: secure-housing\n")
    code, out = run("diff", "--lang", "en")
    assert (code, out.splitlines()[1:]) == (
        0,
        [
            "policies: 1 renamed",
            "",
            "~ policy baan-mankong-secure-housing → secure-housing: Supporting Housing "
            "Development under the Secure Housing Concept",
        ],
    )


def test_an_id_edited_in_place_is_a_rename_and_e203(repo: Path) -> None:
    """Paired by its file; validate wants the file named after the id (E203), and says so."""
    edit(repo / TREES, "\nid: env-trees\n", "\nid: env-greening\n")
    line = line_of(repo / TREES, "id: env-greening")
    code, out = run("diff", "--lang", "en")
    assert (code, out.splitlines()[1:]) == (
        1,
        [
            "policies: 1 renamed",
            "warning: the working tree does not validate: 1 error (E203 ×1); what could be read "
            "is compared. Run 'okrtool validate' there to see every error. First:",
            f"    {TREES}:{line}:5: E203 policy id 'env-greening' is in a file named "
            "'env-trees.yaml'",
            "",
            "~ policy env-trees → env-greening: Plant a million trees: green space and "
            "dust-filter walls across the city",
        ],
    )
