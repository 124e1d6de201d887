"""The CI gate holds against YAML values it cannot use: a value PyYAML cannot construct (an
impossible date, a date-like id, a bad tag) is E108 and a number that is not finite (``.inf``,
``.nan``) is E109, each at its file:line:column, from a fresh parse or from the parse cache; the
other commands refuse such data in one line. A data folder that cannot be reached and an empty
file name given to import-reports are usage errors (exit 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from okrtool.io.load import read_text
from okrtool.io.yamlcache import ParseCache

from helpers import (
    copy_dataset,
    edit,
    line_of,
    run,
    run_unprivileged,
    snapshot,
    unprivileged_folder,
)

POLICY = "policies/environment/trees.yaml"
NOT_A_DATE = "expected a real date, YYYY-MM-DD (or quotes around it if it is text)"
NOT_FINITE = "a number that is not finite; expected a plain number, like 1234.5"


def summary(errors: int, policies: int = 1, okrs: int = 1, krs: int = 1) -> str:
    """validate's last line on the mini dataset with trees.yaml not loaded."""
    return (
        f"FAILED: {errors} error{'s' if errors != 1 else ''}, 0 warnings. Read {policies} "
        f"policies, {okrs} OKRs, {krs} key results, 7 agencies, 12 report values in 9 files.\n"
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_dataset(tmp_path)


def test_an_impossible_date_is_e108_at_its_line(root: Path) -> None:
    policy = root / POLICY
    edit(policy, "dimension: environment", "dimension: environment\nsources:\n  - title: x")
    edit(policy, "  - title: x", "  - title: x\n    date: 2024-02-30")
    line = line_of(policy, "date: 2024-02-30")
    assert run("validate", str(root)) == (
        1,
        f"{policy}:{line}:11: E108 found '2024-02-30', which is not a date (day is out of range "
        f"for month); {NOT_A_DATE}\n" + summary(1),
    )


def test_an_id_that_looks_like_a_date_is_e108_at_its_line(root: Path) -> None:
    policy = root / POLICY
    edit(policy, "  - id: trees-2567", "  - id: 2024-13-45")
    line = line_of(policy, "id: 2024-13-45")
    assert run("validate", str(root)) == (
        1,
        f"{policy}:{line}:9: E108 found '2024-13-45', which is not a date (month must be in "
        f"1..12); {NOT_A_DATE}\n" + summary(1),
    )


def test_a_tag_whose_value_it_cannot_make_is_e108(root: Path) -> None:
    policy = root / POLICY
    edit(policy, "        target: 1000\n", "        target: !!int many\n")
    line = line_of(policy, "target: !!int many")
    assert run("validate", str(root)) == (
        1,
        f"{policy}:{line}:17: E108 found 'many' tagged !!int, which is not a whole number; "
        "expected a whole number, or the value without the tag\n" + summary(1),
    )


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("        target: 1000\n", "        target: .inf\n", 17),
        ("        target: 1000\n", "        target: -.inf\n", 17),
        ("        target: 1000\n", "        target: .nan\n", 17),
        ("        target: 1000\n", "        target: 1000\n        baseline: .NaN\n", 19),
        ("          dusit: 250\n", "          dusit: .Inf\n", 18),
        ("        target: 1000\n", "        target: 1.0e+400\n", 17),
    ],
)
def test_a_number_that_is_not_finite_is_e109_at_its_line(
    root: Path, old: str, new: str, column: int
) -> None:
    policy = root / POLICY
    edit(policy, old, new)
    written = new.strip().splitlines()[-1]
    value = written.split(": ")[1]
    line = line_of(policy, written)
    assert run("validate", str(root)) == (
        1,
        f"{policy}:{line}:{column}: E109 found {value!r}, {NOT_FINITE}\n" + summary(1),
    )


def test_every_bad_value_of_a_file_is_reported(root: Path) -> None:
    policy = root / POLICY
    edit(policy, "        target: 1000\n", "        target: .inf\n")
    edit(policy, "  - id: trees-2567", "  - id: 2024-02-30")
    edit(policy, "            target: 400\n", "            target: .nan\n")
    lines = [line_of(policy, t) for t in ("id: 2024-02-30", "target: .inf", "target: .nan")]
    assert run("validate", str(root)) == (
        1,
        f"{policy}:{lines[0]}:9: E108 found '2024-02-30', which is not a date (day is out of "
        f"range for month); {NOT_A_DATE}\n"
        f"{policy}:{lines[1]}:17: E109 found '.inf', {NOT_FINITE}\n"
        f"{policy}:{lines[2]}:21: E109 found '.nan', {NOT_FINITE}\n" + summary(3),
    )


def test_a_non_finite_number_in_an_agency_file_is_e109(root: Path) -> None:
    groups = root / "agencies/groups.yaml"
    edit(groups, "  - id: environment\n", "  - id: environment\n    weight: .inf\n")
    line = line_of(groups, "weight: .inf")
    code, out = run("validate", str(root))
    assert code == 1
    assert out.splitlines()[0] == f"{groups}:{line}:13: E109 found '.inf', {NOT_FINITE}"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("OKRTOOL_CACHE_DIR", str(folder))
    monkeypatch.delenv("OKRTOOL_NO_CACHE", raising=False)
    return folder


def test_a_cached_parse_reports_the_bad_values_again(root: Path, cache: Path) -> None:
    policy = root / POLICY
    edit(policy, "        target: 1000\n", "        target: .inf\n")
    edit(policy, "  - id: trees-2567", "  - id: 2024-02-30")
    first = run("validate", str(root))
    entry = ParseCache(cache)._path(read_text(policy))
    assert entry is not None and entry.is_file()  # the parse was kept, bad values and all
    assert first[0] == 1 and first[1].count(" E108 ") == 1 and first[1].count(" E109 ") == 1
    assert run("validate", str(root)) == first  # read from the cache this time


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--as-of", "2024-06-30"],
        ["missing", "--as-of", "2024-06-30"],
        ["brief", "--host", "env", "--as-of", "2024-06-30"],
        ["history", "trees-planted", "--as-of", "2024-06-30"],
    ],
)
def test_other_commands_refuse_such_data_in_one_line(root: Path, args: list[str]) -> None:
    policy = root / POLICY
    edit(policy, "        target: 1000\n", "        target: .inf\n")
    line = line_of(policy, "target: .inf")
    assert run(*args, "--data", str(root)) == (
        1,
        f"okrtool: {root} has 1 error (first: {POLICY}:{line}: E109 found '.inf', {NOT_FINITE}); "
        "figures from it could be wrong. Run 'okrtool validate' to see them all, or pass "
        "--allow-errors to print anyway.\n",
    )


def test_status_with_allow_errors_leaves_the_file_out_and_does_not_crash(root: Path) -> None:
    edit(root / POLICY, "        target: 1000\n", "        target: .inf\n")
    code, out = run("status", "--data", str(root), "--as-of", "2024-06-30", "--allow-errors")
    assert code == 0
    assert "Traceback" not in out and "inf" not in out
    assert "trees-planted" not in out  # the policy with the bad value is not read


def test_a_data_folder_inside_an_unreadable_folder_is_a_usage_error() -> None:
    folder = unprivileged_folder()
    try:
        locked = folder / "locked"
        shutil.copytree(Path(__file__).parent / "fixtures/mini", locked / "data")
        locked.chmod(0o000)
        data = locked / "data"
        for command in (["validate", "--data", str(data)], ["status", "--data", str(data)]):
            assert run_unprivileged(*command) == (
                2,
                f"okrtool: {data}: cannot reach the folder (permission denied: a folder above it "
                "cannot be entered); let the user who runs okrtool read it (chmod a+rX)\n",
            )
    finally:
        (folder / "locked").chmod(0o755)
        shutil.rmtree(folder)


def test_import_reports_refuses_an_empty_file_name(root: Path) -> None:
    before = snapshot(root)
    assert run("import-reports", "", "--data", str(root)) == (
        2,
        "okrtool: '': an empty file name; expected a workbook (.xlsx), a folder of workbooks or "
        "a glob like 'inbox/*.xlsx' (is a shell variable in the command empty?)\n",
    )
    assert snapshot(root) == before
