"""`okrtool diff` shows who bound (ผูก) its own OKR to a key result and who unbound, from what
``bound:`` records: named one a line, folded like allocations when many; text, Markdown, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from git_repo import commit, plan_repo

from helpers import edit, run

COLLECTION = "data/policies/environment/env-waste-collection.yaml"
ANCHOR = "        # Every district's own target is 100 %.\n        allocations:\n"
DISTRICTS = (
    "phra-nakhon",
    "dusit",
    "nong-chok",
    "bang-rak",
    "bang-khen",
    "bang-kapi",
    "pathum-wan",
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository of the shipped data, on its own git configuration, as in test_diff."""
    return plan_repo(tmp_path, monkeypatch)


def bind(root: Path, *agencies: str) -> None:
    """Record ``bound:`` on the key result with an OKR of each agency's own."""
    block = "".join(
        f"          {a}:\n            okr_title: เก็บขยะทุกอาคาร {a}\n            date: 2023-11-15\n"
        for a in agencies
    )
    edit(root / COLLECTION, ANCHOR, "        bound:\n" + block + ANCHOR)


POLICY_LINES = [
    "~ policy env-waste-collection: Collect waste from every building at least twice a week",
    "    ~ key result env-waste-collection-buildings: Buildings whose waste is collected at least "
    "twice a week",
]


def test_agencies_that_bound_are_named_with_their_okr(repo: Path) -> None:
    bind(repo, "dusit", "bang-rak")
    commit(repo, "Dusit and Bang Rak bound")
    code, out = run("diff", "HEAD~1", "HEAD", "--lang", "en")
    assert code == 0, out
    assert out.splitlines()[1:] == [
        "policies: 1 changed · key results: 1 changed",
        "",
        *POLICY_LINES,
        "        bindings not recorded → recorded",
        "        + bound by Dusit: its OKR “เก็บขยะทุกอาคาร dusit”",
        "        + bound by Bang Rak: its OKR “เก็บขยะทุกอาคาร bang-rak”",
    ]


def test_many_that_bound_fold_into_one_line_and_one_that_unbound_is_named(repo: Path) -> None:
    bind(repo, *DISTRICTS)
    commit(repo, "seven districts bound")
    code, out = run("diff", "HEAD~1", "HEAD", "--lang", "en")
    assert code == 0, out
    assert out.splitlines()[3:] == [
        *POLICY_LINES,
        "        bindings not recorded → recorded",
        "        + bound by 7 agencies: Phra Nakhon, Dusit, Nong Chok, Bang Rak, Bang Khen and 2 "
        "more",
    ]
    edit(
        repo / COLLECTION,
        "          dusit:\n            okr_title: เก็บขยะทุกอาคาร dusit\n            date: 2023-11-15\n",
        "",
    )
    commit(repo, "Dusit unbound")
    code, out = run("diff", "HEAD~1", "HEAD")
    assert code == 0, out
    assert (
        out.splitlines()[-1] == "        - ดุสิต (Dusit) ยกเลิกการผูก OKR (เดิม “เก็บขยะทุกอาคาร dusit”)"
    )
    code, out = run("diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert out.splitlines()[-1] == (
        "  - **−** ดุสิต (Dusit) ยกเลิกการผูก OKR (เดิม “เก็บขยะทุกอาคาร dusit”)"
    )
    code, out = run("diff", "HEAD~2", "HEAD", "--format", "json")
    (kr,) = json.loads(out)["policies"][0]["key_results"]
    assert [(b["agency"]["id"], b["change"], b["okr_title"]) for b in kr["bindings"]] == [
        (a, "added", f"เก็บขยะทุกอาคาร {a}") for a in DISTRICTS if a != "dusit"
    ]
    assert kr["allocations"] is None
