"""The handbook's "not bound yet" is the rule of progress.binding, which missing and status use:
on a key result that records bindings (``bound:``), an own target alone is not bound."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import SHIPPED, copy_dataset, edit, run

COLLECTION = "policies/environment/env-waste-collection.yaml"
NOT_BOUND = (
    "- Not bound yet (own OKR not bound and own target not entered) / "
    "ยังไม่ผูก OKR (ยังไม่ได้ผูก OKR ของตนและกรอกค่าเป้าหมายของตน)"
)


def not_bound_of(data: Path, policy: str) -> list[str]:
    """The agencies the env handbook lists as not bound on ``policy`` (English names)."""
    code, text = run(
        "handbook", "--data", str(data), "--as-of", "2024-06-30", "-a", "env", "--lang", "en"
    )
    assert code == 0, text
    section = text.split(f"({policy}) ·")[1].split("\n#### ")[0]
    lines = [line for line in section.splitlines() if line.startswith(NOT_BOUND)]
    if not lines:
        return []
    return [name.split(" / ")[0] for name in lines[0].split(": ", 1)[1].split(", ")]


def test_an_own_target_counts_as_bound_where_the_key_result_records_no_bindings(
    tmp_path: Path,
) -> None:
    assert not_bound_of(copy_dataset(tmp_path, SHIPPED), "env-waste-collection") == []


def test_a_key_result_with_bound_lists_the_agencies_with_no_okr_bound_to_it(
    tmp_path: Path,
) -> None:
    data = copy_dataset(tmp_path, SHIPPED)
    edit(
        data / COLLECTION,
        "        # Every district's own target is 100 %.\n        allocations:\n",
        "        bound:\n"
        "          dusit:\n"
        "            okr_title: เก็บขยะทุกอาคารในเขตดุสิต\n"
        "            date: 2023-11-15\n"
        "        allocations:\n",
    )
    code, output = run("validate", str(data))
    assert "env-waste-collection.yaml" not in output
    shown = not_bound_of(data, "env-waste-collection")
    assert len(shown) == 49
    assert "Dusit" not in shown
    assert shown[:3] == ["Phra Nakhon", "Nong Chok", "Bang Rak"]
    # the same 49 as missing chases
    code, text = run(
        "missing",
        "--data",
        str(data),
        "--as-of",
        "2024-06-30",
        "--format",
        "json",
        "--policy",
        "env-waste-collection",
    )
    assert code == 0, text
    chased = {i["agency"] for i in json.loads(text)["items"] if i["reason"] == "not-bound"}
    assert len(chased) == 49 and "dusit" not in chased
