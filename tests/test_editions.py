"""Editions of the plan (agencies/editions.yaml): the rules E901–E905 on a copy of the mini
dataset with two editions, and the edition the status header shows."""

from __future__ import annotations

import json
from contextlib import chdir
from pathlib import Path

import pytest

from helpers import SHIPPED, copy_dataset, edit, line_of, run

EDITIONS = "agencies/editions.yaml"
TREES = "policies/environment/trees.yaml"
CANALS = "policies/safety/canals.yaml"
PARKS = "policies/environment/parks.yaml"

#: Two editions: a platform in force from 2565 (both dimensions), a strategy from 2568 (one).
TWO_EDITIONS = """\
editions:
  - id: old-plan
    name_th: แผนเดิม
    name_en: Old plan
    kind: platform
    first_year: 2565
    dimensions: [environment, safety]
  - id: new-plan
    name_th: แผนใหม่
    name_en: New plan
    kind: strategy
    first_year: 2568
    previous: old-plan
    dimensions: [environment]
    development_issues:
      - id: green-city
        name_th: เมืองสีเขียว
        name_en: Green city
        dimension: environment
        goals:
          - id: more-trees
            name_th: ต้นไม้มากขึ้น
            name_en: More trees
            continues: trees
"""

#: A policy with no OKR (as a catalogue entry), written into PARKS by the tests that need one.
PARKS_POLICY = """\
id: parks
title_th: สวน 15 นาที
title_en: Parks within 15 minutes
dimension: environment
edition: new-plan
continues: trees
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = copy_dataset(tmp_path)
    (root / EDITIONS).write_text(TWO_EDITIONS, encoding="utf-8")
    return root


def errors(root: Path) -> tuple[int, list[str]]:
    """validate's exit code and its error lines, run from inside the data folder."""
    with chdir(root):
        code, out = run("validate", ".")
    return code, [line for line in out.splitlines() if ": E" in line]


def test_two_editions_linked_as_they_should_be_pass(root: Path) -> None:
    (root / PARKS).write_text(PARKS_POLICY, encoding="utf-8")
    code, lines = errors(root)
    assert (code, lines) == (0, [])


def test_previous_edition_that_is_not_earlier_is_e901(root: Path) -> None:
    edit(root / EDITIONS, "first_year: 2565", "first_year: 2565\n    previous: new-plan")
    line = line_of(root / EDITIONS, "previous: new-plan")
    code, lines = errors(root)
    assert code == 1
    assert lines == [
        f"{EDITIONS}:{line}:15: E901 edition 'old-plan' (in force from FY 2565) follows "
        "'new-plan', which is in force from FY 2568, not earlier"
    ]


def test_unknown_previous_edition_is_e202_with_the_near_miss(root: Path) -> None:
    edit(root / EDITIONS, "previous: old-plan", "previous: old-plna")
    line = line_of(root / EDITIONS, "previous: old-plna")
    code, lines = errors(root)
    assert code == 1
    assert lines == [f"{EDITIONS}:{line}:15: E202 unknown edition 'old-plna'"]


def test_two_editions_from_the_same_year_are_e902(root: Path) -> None:
    edit(root / EDITIONS, "first_year: 2568", "first_year: 2565")
    line = line_of(root / EDITIONS, "first_year: 2565", 2)
    code, lines = errors(root)
    assert code == 1
    # new-plan's previous edition is then no earlier than it either
    assert lines == [
        f"{EDITIONS}:{line}:17: E902 editions 'old-plan' and 'new-plan' are both in force "
        "from FY 2565",
        f"{EDITIONS}:{line + 1}:15: E901 edition 'new-plan' (in force from FY 2565) follows "
        "'old-plan', which is in force from FY 2565, not earlier",
    ]


def test_dimension_outside_the_edition_in_force_is_e903(root: Path) -> None:
    edit(root / EDITIONS, "dimensions: [environment, safety]", "dimensions: [environment]")
    line = line_of(root / CANALS, "dimension: safety")
    code, lines = errors(root)
    assert code == 1
    assert lines == [
        f"{CANALS}:{line}:12: E903 dimension 'safety' is not one of edition 'old-plan' (in "
        "force in FY 2567, its first OKR's year): expected one of environment"
    ]


def test_tag_outside_the_policy_s_edition_is_e903(root: Path) -> None:
    (root / PARKS).write_text(PARKS_POLICY + "tags: [safety]\n", encoding="utf-8")
    code, lines = errors(root)
    assert code == 1
    assert lines == [
        f"{PARKS}:7:8: E903 dimension 'safety' is not one of edition 'new-plan': expected one "
        "of environment"
    ]


def test_development_issue_of_a_dimension_outside_its_edition_is_e903(root: Path) -> None:
    edit(root / EDITIONS, "dimension: environment", "dimension: safety")
    line = line_of(root / EDITIONS, "dimension: safety")
    code, lines = errors(root)
    assert code == 1
    assert lines == [
        f"{EDITIONS}:{line}:20: E903 development issue 'green-city' names dimension 'safety', "
        "not one of edition 'new-plan': expected one of environment"
    ]


def test_okr_of_a_year_its_policy_s_edition_is_not_in_force_is_e904(root: Path) -> None:
    edit(root / EDITIONS, "continues: trees", "continues: canals")
    edit(root / TREES, "dimension: environment", "dimension: environment\nedition: new-plan")
    line = line_of(root / TREES, "fiscal_year: 2567")
    code, lines = errors(root)
    assert code == 1
    assert lines == [
        f"{TREES}:{line}:18: E904 OKR 'trees-2567' is for FY 2567, but its policy 'trees' "
        "belongs to edition 'new-plan'; edition 'old-plan' is in force then"
    ]


def test_okr_before_any_edition_is_e904(root: Path) -> None:
    edit(root / EDITIONS, "first_year: 2568", "first_year: 2569")
    edit(root / EDITIONS, "first_year: 2565", "first_year: 2568")
    edit(root / TREES, "dimension: environment", "dimension: environment\nedition: old-plan")
    line = line_of(root / TREES, "fiscal_year: 2567")
    code, lines = errors(root)
    assert code == 1
    assert lines == [
        f"{TREES}:{line}:18: E904 OKR 'trees-2567' is for FY 2567, but its policy 'trees' "
        "belongs to edition 'old-plan'; no edition is in force then"
    ]


def test_a_renamed_platform_keeps_the_earlier_dimensions_and_years(root: Path) -> None:
    """Two platforms linked by `previous` are one plan renamed (BMA's 2024 names of the 2022
    platform): a policy of the later may name the earlier's dimensions and carry its years."""
    edit(root / EDITIONS, "kind: strategy", "kind: platform")
    edit(root / CANALS, "dimension: safety", "dimension: safety\nedition: new-plan")
    code, lines = errors(root)
    assert (code, lines) == (0, [])


def test_continuing_a_policy_not_of_the_previous_edition_is_e905(root: Path) -> None:
    (root / PARKS).write_text(
        PARKS_POLICY.replace("edition: new-plan", "edition: old-plan"), encoding="utf-8"
    )
    code, lines = errors(root)
    assert code == 1
    assert lines == [
        f"{PARKS}:6:12: E905 policy 'parks' of edition 'old-plan' continues 'trees', which "
        "belongs to 'old-plan'; expected nothing: edition 'old-plan' has no previous edition"
    ]


def test_goal_continuing_a_policy_of_its_own_edition_is_e905(root: Path) -> None:
    (root / PARKS).write_text(PARKS_POLICY.replace("continues: trees\n", ""), encoding="utf-8")
    edit(root / EDITIONS, "continues: trees", "continues: parks")
    line = line_of(root / EDITIONS, "continues: parks")
    code, lines = errors(root)
    assert code == 1
    assert lines == [
        f"{EDITIONS}:{line}:24: E905 goal 'more-trees' of edition 'new-plan' continues "
        "'parks', which belongs to 'new-plan'; expected a policy of 'old-plan'"
    ]


def test_continuing_an_unknown_policy_or_edition_is_e202(root: Path) -> None:
    (root / PARKS).write_text(
        PARKS_POLICY.replace("continues: trees", "continues: tress").replace(
            "edition: new-plan", "edition: new-plna"
        ),
        encoding="utf-8",
    )
    code, lines = errors(root)
    assert code == 1
    assert lines == [
        f"{PARKS}:5:10: E202 unknown edition 'new-plna'",
        f"{PARKS}:6:12: E202 unknown policy 'tress'",
    ]


def test_a_goal_id_written_twice_is_e201(root: Path) -> None:
    edit(
        root / EDITIONS,
        "            continues: trees\n",
        "            continues: trees\n          - id: more-trees\n            name_th: ซ้ำ\n"
        "            name_en: Again\n",
    )
    first = line_of(root / EDITIONS, "- id: more-trees")
    line = line_of(root / EDITIONS, "- id: more-trees", 2)
    code, lines = errors(root)
    assert code == 1
    assert lines == [
        f"{EDITIONS}:{line}:17: E201 duplicate goal id 'more-trees' (first at {EDITIONS}:{first})"
    ]


# --- the shipped editions and the status header --------------------------------------------


def test_shipped_strategy_2569_is_marked_incomplete_and_invents_nothing() -> None:
    import yaml

    editions = yaml.safe_load((SHIPPED / EDITIONS).read_text(encoding="utf-8"))["editions"]
    assert [(e["id"], e["kind"], e["first_year"], e.get("previous")) for e in editions] == [
        ("platform-2022", "platform", 2565, None),
        ("platform-2024", "platform", 2567, "platform-2022"),
        ("strategy-2569", "strategy", 2569, "platform-2024"),
    ]
    strategy = editions[2]
    assert (strategy["status"], strategy["dimensions"], strategy["development_issues"]) == (
        "incomplete",
        [],
        [],
    )
    assert "NOT PUBLISHED" in (SHIPPED / EDITIONS).read_text(encoding="utf-8")


def test_status_header_names_the_edition_in_force() -> None:
    code, out = run("status", "--data", str(SHIPPED), "--as-of", "2024-06-30", "-f", "json")
    assert code == 0
    assert json.loads(out)["header"]["edition"] == {
        "id": "platform-2024",
        "name_th": "นโยบาย 9 ด้าน 9 ดี ตามที่ กทม. ใช้ 2567",
        "name_en": "Governor's platform, BMA usage 2024",
        "kind": "platform",
        "first_year": 2567,
        "status": "complete",
    }
    code, out = run("status", "--data", str(SHIPPED), "--as-of", "2024-06-30", "--width", "200")
    assert out.splitlines()[2] == (
        "ฉบับของแผน platform-2024: นโยบาย 9 ด้าน 9 ดี ตามที่ กทม. ใช้ 2567 ใช้ตั้งแต่ปีงบประมาณ 2567"
    )


def test_the_2024_names_in_force_only_from_2568_would_break_the_shipped_2567_okrs(
    tmp_path: Path,
) -> None:
    """Why platform-2024 is in force from 2567: the shipped FY 2567 OKRs name `society`."""
    root = copy_dataset(tmp_path, SHIPPED)
    edit(root / EDITIONS, "first_year: 2567", "first_year: 2568")
    with chdir(root):
        code, out = run("validate", ".")
    assert code == 1
    assert [line for line in out.splitlines() if ": E" in line] == [
        "policies/society/society-child-centres.yaml:7:12: E903 dimension 'society' is not one "
        "of edition 'platform-2022' (in force in FY 2567, its first OKR's year): expected one "
        "of safety, travel, health, creative, environment, city-structure, management, "
        "learning, economy"
    ]
    code, out = run(
        "status",
        "--data",
        str(root),
        "--as-of",
        "2024-06-30",
        "--lang",
        "en",
        "--width",
        "200",
        "--allow-errors",
    )
    assert code == 0
    assert (
        "Plan edition platform-2022: Governor's platform, 2022 campaign, in force from FY 2565"
        in out.splitlines()
    )
