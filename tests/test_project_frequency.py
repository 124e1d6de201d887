"""A project owes reports by its key result's reporting frequency: quarters only for a key result
reported by quarter (``progress.projects.owed_report``), as ``missing`` already asks of values;
``status --projects``, ``missing`` and the handbook agree on a small dataset written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import copy_dataset, edit, run

HEADER = "key_result,period,value,source,note,file,sha256,cell,recorded_at\n"
PROJECT_HEADER = "project,period,status,percent,note,file,sha256,cell,recorded_at\n"

CALENDAR = """\
calendar:
  due:
    monthly: {day_of_next_month: 5}
    quarterly: {days_after: 10}
"""

#: Two more projects of env beside the mini dataset's nursery (bound to trees-planted): one bound
#: to a key result reported by month, one bound to no key result.
PROJECTS = """\
    projects:
      - id: trees-nursery
        title_th: เรือนเพาะชำ
        title_en: Tree nursery
        owner: env
        key_result: trees-planted
        status: in-progress
      - id: trees-bins
        title_th: ถังขยะ
        title_en: Bins
        owner: env
        key_result: trees-waste-collected
        status: in-progress
      - id: trees-campaign
        title_th: รณรงค์
        title_en: Campaign
        owner: env
        status: in-progress
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The mini dataset with trees-planted reported by quarter by every district (its first and
    second quarters), trees-waste-collected by month, a calendar, and three projects of env."""
    root = copy_dataset(tmp_path)
    (root / "agencies/calendar.yaml").write_text(CALENDAR, encoding="utf-8")
    trees = root / "policies/environment/trees.yaml"
    text = trees.read_text(encoding="utf-8")
    trees.write_text(text[: text.index("    projects:\n")] + PROJECTS, encoding="utf-8")
    for agency in ("phra-nakhon", "dusit", "bang-rak", "pathum-wan"):
        (root / f"reports/2567/{agency}.csv").write_text(
            HEADER
            + "trees-planted,FY2567-Q1,10,manual,,,,,\n"
            + "trees-planted,FY2567-Q2,20,manual,,,,,\n"
            + "trees-waste-collected,2567-04,50,manual,,,,,\n"
            + "trees-waste-collected,2567-05,60,manual,,,,,\n",
            encoding="utf-8",
        )
    (root / "reports/2567/dds.csv").write_text(HEADER, encoding="utf-8")
    assert run("validate", str(root))[0] == 0
    return root


def project_reports(root: Path, *rows: str) -> None:
    folder = root / "reports/2567/projects"
    folder.mkdir(exist_ok=True)
    (folder / "env.csv").write_text(PROJECT_HEADER + "".join(rows), encoding="utf-8")


def status_projects(root: Path, as_of: str) -> dict[str, object]:
    code, output = run(
        "status", "--projects", "--data", str(root), "--as-of", as_of, "-a", "env", "-f", "json"
    )
    assert code == 0, output
    (agency,) = json.loads(output)["agencies"]
    return agency


def owed_rows(root: Path, as_of: str, period: str) -> list[tuple[str, ...]]:
    """(project, owed, due, days overdue) of each project item of ``missing``, in its order."""
    code, output = run(
        "missing", "--data", str(root), "--as-of", as_of, "--period", period, "-a", "env",
        "-f", "json",
    )  # fmt: skip
    assert code == 0, output
    return [
        (i["project"], i["owed"], i["due"], i["days_overdue"])
        for i in json.loads(output)["items"]
        if i["reason"] == "no-project-report"
    ]


def test_a_project_on_a_quarterly_key_result_owes_the_quarter_not_the_month(root: Path) -> None:
    # May, chased on 20 June: the nursery owes the second quarter (due 10 April), the two others
    # owe May (due 5 June)
    assert owed_rows(root, "2024-06-20", "2567-05") == [
        ("trees-nursery", "FY2567-Q2", "2024-04-10", 71),
        ("trees-bins", "2567-05", "2024-06-05", 15),
        ("trees-campaign", "2567-05", "2024-06-05", 15),
    ]
    env = status_projects(root, "2024-05-31")
    assert env["period"] == "2567-05"
    assert [(r["project"], r["owed"], r["reported"]) for r in env["rows"]] == [
        ("trees-nursery", "FY2567-Q2", False),
        ("trees-bins", "2567-05", False),
        ("trees-campaign", "2567-05", False),
    ]


def test_a_report_for_the_quarters_last_month_or_the_quarter_settles_it(root: Path) -> None:
    # the nursery reported for March (the second quarter's last month), the bins for April only
    project_reports(
        root,
        "trees-nursery,2567-03,in-progress,30,,,,,\n",
        "trees-bins,2567-04,in-progress,10,,,,,\n",
    )
    assert owed_rows(root, "2024-06-20", "2567-05") == [
        ("trees-bins", "2567-05", "2024-06-05", 15),
        ("trees-campaign", "2567-05", "2024-06-05", 15),
    ]
    code, output = run(
        "status", "--projects", "--data", str(root), "--as-of", "2024-05-31", "--lang", "en",
        "--width", "100",
    )  # fmt: skip
    assert code == 0, output
    assert output.splitlines()[-3] == "env: not reported for 2567-05: trees-bins, trees-campaign"
    # as of 30 June the quarter asked is the third: a March report no longer settles it
    project_reports(root, "trees-nursery,FY2567-Q3,in-progress,50,,,,,\n")
    assert owed_rows(root, "2024-07-20", "2567-06") == [
        ("trees-bins", "2567-06", "2024-07-05", 15),
        ("trees-campaign", "2567-06", "2024-07-05", 15),
    ]


def test_before_the_first_quarter_ends_a_quarterly_project_owes_nothing(root: Path) -> None:
    # November: no quarter has ended, so only the monthly projects are asked for
    env = status_projects(root, "2023-11-30")
    assert env["period"] == "2566-11"
    assert env["not_reported"] == ["trees-bins", "trees-campaign"]
    assert [(r["project"], r["owed"]) for r in env["rows"]] == [
        ("trees-nursery", None),
        ("trees-bins", "2566-11"),
        ("trees-campaign", "2566-11"),
    ]


def test_the_owners_own_frequency_comes_before_the_other_agencies(root: Path) -> None:
    # env reports the key result by month itself: its project owes the month like its values
    edit(root / "policies/environment/trees.yaml", "          pathum-wan: 250\n", "          pathum-wan: 200\n          env: 50\n")  # fmt: skip
    (root / "reports/2567/env.csv").write_text(
        HEADER + "trees-planted,2567-04,5,manual,,,,,\n", encoding="utf-8"
    )
    assert owed_rows(root, "2024-06-20", "2567-05")[0] == (
        "trees-nursery",
        "2567-05",
        "2024-06-05",
        15,
    )


def test_the_handbook_and_the_brief_count_per_period_owed(root: Path) -> None:
    june = ("--data", str(root), "--as-of", "2024-05-31", "--lang", "en")
    code, output = run("handbook", "-a", "env", *june)
    assert code == 0, output
    assert (
        "- 3 projects (0 not started · 3 in progress · 0 done · 0 cancelled); not reported for "
        "2567-05: 2, FY2567-Q2: 1"
    ) in output.splitlines()
    code, output = run("brief", "--host", "env", *june)
    assert code == 0, output
    assert (
        "- Projects env owns: 3 (0 not started · 3 in progress · 0 done · 0 cancelled); not "
        "reported for 2567-05: 2, FY2567-Q2: 1"
    ) in output.splitlines()
