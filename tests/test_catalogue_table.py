"""docs/catalogue/platform-2022.csv, the source table of the 2022 platform, keeps its own promises.

The table is research data for writing one policy file per entry; these tests check what a later
step relies on: ids, titles, dimensions, the shipped policies, and the README that describes it.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parent.parent
TABLE = ROOT / "docs/catalogue/platform-2022.csv"
README = ROOT / "docs/catalogue/README.md"
COLUMNS = [
    "n",
    "source_id",
    "title_th",
    "title_en",
    "dimensions",
    "dimension_tags_raw",
    "proposed_id",
    "shipped_policy",
    "source_url",
    "notes",
]
ID = re.compile(r"^[a-z][a-z0-9-]*$")
THAI = re.compile(r"[\u0e00-\u0e7f]")
_spec = importlib.util.spec_from_file_location(
    "make_policies", ROOT / "docs/catalogue/make_policies.py"
)
assert _spec and _spec.loader
make_policies = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_policies)


def rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def entries() -> list[dict[str, str]]:
    """The campaign entries: rows with an `n`."""
    return [row for row in rows() if row["n"]]


def readme_section(heading: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0].splitlines()


def dimensions_added() -> set[str]:
    return {
        m.group(1)
        for line in readme_section("Dimensions added")
        if (m := re.match(r"^\| `([a-z][a-z0-9-]*)` \|", line))
    }


def tag_mapping() -> dict[str, str]:
    """2022 tag -> our id, from the README's mapping table."""
    pairs = (
        re.match(r"^\| (\S+ดี) \| `([a-z][a-z0-9-]*)` \|", line)
        for line in readme_section("Dimension mapping")
    )
    return {m.group(1): m.group(2) for m in pairs if m}


def policy_files() -> dict[str, dict[str, Any]]:
    docs = (
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "data/policies").glob("*/*.yaml"))
    )
    return {doc["id"]: doc for doc in docs}


def shipped_policies() -> dict[str, dict[str, Any]]:
    """The hand-written policies (with a host and OKRs), not the ones make_policies.py wrote."""
    return {i: doc for i, doc in policy_files().items() if "host" in doc}


def ids_in(node: object) -> set[str]:
    """Every `id` value anywhere in a YAML document (policy, OKR, key result, project ids)."""
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            found.add(node["id"])
        for value in node.values():
            found |= ids_in(value)
    elif isinstance(node, list):
        for value in node:
            found |= ids_in(value)
    return found


def test_header_is_the_agreed_columns() -> None:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == COLUMNS


def test_214_campaign_entries_in_source_order_then_3_dataset_only_rows() -> None:
    table = rows()
    assert len(table) == 217
    assert [row["n"] for row in table[:214]] == [str(n) for n in range(1, 215)]
    dataset_only = table[214:]
    assert [row["proposed_id"] for row in dataset_only] == [
        "env-waste-points",
        "mgmt-budget-disbursement",
        "mgmt-okr-binding",
    ]
    assert all(
        row["n"] == "" and row["shipped_policy"] == row["proposed_id"] for row in dataset_only
    )
    assert all(row["notes"].startswith("dataset-only: ") for row in dataset_only)


def test_proposed_ids_are_unique_and_well_formed() -> None:
    ids = [row["proposed_id"] for row in rows()]
    assert [i for i in ids if not ID.match(i) or len(i) > 64] == []
    assert [i for i, count in Counter(ids).items() if count > 1] == []


def test_every_row_has_a_thai_and_an_english_title() -> None:
    table = rows()
    assert [row["proposed_id"] for row in table if not THAI.search(row["title_th"])] == []
    assert [
        row["proposed_id"]
        for row in table
        if not row["title_en"].strip() or THAI.search(row["title_en"])
    ] == []
    # An English title the source does not give is ours, and says so.
    assert len([row for row in table if "title_en OURS" in row["notes"]]) == 22


def test_every_dimension_exists_and_the_two_2022_ones_were_added() -> None:
    known = {
        d["id"]
        for d in yaml.safe_load(
            (ROOT / "data/agencies/dimensions.yaml").read_text(encoding="utf-8")
        )["dimensions"]
    }
    added = dimensions_added()
    assert added == {"creative", "city-structure"}
    assert added - known == set()
    used = {d for row in rows() for d in row["dimensions"].split(";")}
    assert sorted(used - known) == []


def test_dimensions_are_the_raw_tags_mapped_in_order() -> None:
    mapping = tag_mapping()
    assert len(mapping) == 9
    wrong = [
        row["n"]
        for row in entries()
        if row["dimensions"].split(";")
        != [mapping[t] for t in row["dimension_tags_raw"].split(";") if t != "+1"]
    ]
    assert wrong == []
    assert [row["n"] for row in entries() if "+1" in row["dimension_tags_raw"].split(";")] == ["94"]


def test_the_readme_counts_per_dimension_are_the_table_counts() -> None:
    counted = Counter(d for row in entries() for d in row["dimensions"].split(";"))
    lines = readme_section("Counts")
    stated = {
        m.group(1): int(m.group(2))
        for line in lines
        if (m := re.match(r"^\| \S+ดี \| `([a-z-]+)` \| (\d+) \|$", line))
    }
    assert stated == dict(counted)
    assert sum(counted.values()) == 287


def test_each_shipped_policy_appears_exactly_once_and_keeps_its_id() -> None:
    shipped = shipped_policies()
    assert len(shipped) == 14
    marked = Counter(row["shipped_policy"] for row in rows() if row["shipped_policy"])
    assert marked == Counter(shipped.keys())
    assert [
        row["n"]
        for row in rows()
        if row["shipped_policy"] and row["proposed_id"] != row["shipped_policy"]
    ] == []


def test_every_row_is_a_policy_file_and_the_files_are_what_the_generator_writes(
    tmp_path: Path,
) -> None:
    assert sorted(policy_files()) == sorted(row["proposed_id"] for row in rows())
    written = make_policies.write_policies(tmp_path)
    assert len(written) == 203
    assert [
        p.relative_to(tmp_path).as_posix()
        for p in written
        if p.read_bytes() != (ROOT / "data" / p.relative_to(tmp_path)).read_bytes()
    ] == []


def test_shipped_policies_carry_their_entry_number_and_the_other_tags() -> None:
    by_id = {row["proposed_id"]: row for row in entries()}
    assert {
        i: (doc.get("catalogue_no"), doc.get("tags", []))
        for i, doc in shipped_policies().items()
        if i in by_id
    } == {
        "infra-street-lighting": (1, []),
        "infra-footpaths": (26, []),
        "env-trees": (49, ["health"]),
        "infra-risk-spots": (78, []),
        "society-child-centres": (99, ["learning"]),
        "env-parks-15min": (108, []),
        "env-waste-collection": (146, []),
        "env-waste-separation": (147, []),
        "health-centres": (152, []),
        "infra-drains": (168, ["city-structure"]),
        "infra-canals": (172, ["city-structure"]),
    }


def test_new_ids_do_not_collide_with_any_id_in_the_shipped_policies() -> None:
    shipped = shipped_policies()
    taken = set().union(*(ids_in(doc) for doc in shipped.values()))
    new = {row["proposed_id"] for row in rows() if not row["shipped_policy"]}
    assert sorted(new & taken) == []


def test_a_source_id_is_the_campaign_sites_object_id_named_by_its_url() -> None:
    with_id = [row for row in entries() if row["source_id"]]
    assert [row["n"] for row in with_id] == [
        "1",
        "3",
        "49",
        "108",
        "146",
        "147",
        "152",
        "168",
        "172",
        "214",
    ]
    bad = [
        row["n"]
        for row in with_id
        if not re.fullmatch(r"[0-9a-f]{24}", row["source_id"])
        or not re.fullmatch(
            rf"https://(www\.chadchart\.com|chadchartofficial\.com)/policy/{row['source_id']}/?",
            row["source_url"],
        )
    ]
    assert bad == []
    assert [row["n"] for row in rows() if not row["source_url"].startswith("https://")] == []
