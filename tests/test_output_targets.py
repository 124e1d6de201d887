"""Every command's --output goes through one checker (okrtool.io.outfile) with one wording: never
into the data folder or a folder inside it, with or without --force; never replacing the data
folder, a folder above it or the current folder; one line and exit 2 for a target that cannot be
used, before anything is written (issue 18, "Data lost")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import copy_dataset, run, run_unprivileged, snapshot, unprivileged_folder

AS_OF = "2024-06-30"
IN_DATA = ", where only import-reports writes; write elsewhere\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_dataset(tmp_path)


def inside(given: Path | str, root: Path) -> str:
    return f"okrtool: --output {given}: inside the data folder {root}/{IN_DATA}"


# each command with -o, writing the target it is given (a file, or a folder of files or a site)
COMMANDS: dict[str, list[str]] = {
    "status": ["status", "--as-of", AS_OF],
    "status --since": ["status", "--as-of", AS_OF, "--since", "2024-04-30"],
    "missing": ["missing", "--as-of", AS_OF],
    "history": ["history", "trees-planted", "--as-of", AS_OF],
    "brief": ["brief", "--host", "env", "--as-of", AS_OF],
    "handbook": ["handbook", "--agency", "env"],
    "report-template": ["report-template", "-a", "bang-rak", "-p", "2567-07"],
}
#: commands whose -o is a folder
FOLDER_COMMANDS: dict[str, list[str]] = {
    "handbook --agency all": ["handbook", "--agency", "all"],
    "report-template --agency all": ["report-template", "-a", "all", "-p", "2567-07"],
    "site": ["site", "--as-of", AS_OF],
}


@pytest.mark.parametrize("force", [False, True], ids=["", "--force"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_command_writes_over_a_report_file(
    root: Path, tmp_path: Path, command: str, force: bool
) -> None:
    """``status -o data/reports/2567/bang-rak.csv --force`` wrote a table over a report file."""
    before = snapshot(tmp_path)
    # a report file itself, or a name of the suffix the command writes beside the report files
    suffix = {"brief": ".md", "handbook": ".md", "report-template": ".xlsx"}.get(command, ".csv")
    target = root / "reports" / "2567" / f"bang-rak{suffix}"
    args = [*COMMANDS[command], "--data", str(root), "-o", str(target)]
    code, out = run(*args, *(["--force"] if force else []))
    assert (code, out) == (2, inside(target, root))
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("force", [False, True], ids=["", "--force"])
@pytest.mark.parametrize("folder", ["reports", "policies", "agencies", "reports/2567", "."])
@pytest.mark.parametrize("command", list(FOLDER_COMMANDS))
def test_no_command_writes_into_the_data_folder(
    root: Path, tmp_path: Path, command: str, folder: str, force: bool
) -> None:
    """``site -o DATA/reports --force`` replaced every report with the site; ``handbook --agency
    all -o data/reports/2567`` wrote 59 files into the data. Without --force the refusal does not
    suggest --force, which would be refused too."""
    before = snapshot(tmp_path)
    target = root / folder if folder != "." else root
    args = [*FOLDER_COMMANDS[command], "--data", str(root), "-o", str(target)]
    code, out = run(*args, *(["--force"] if force else []))
    expected = (
        f"okrtool: --output {target}: the data folder{IN_DATA}"
        if folder == "."
        else inside(target, root)
    )
    assert (code, out) == (2, expected)
    assert "--force" not in out
    assert snapshot(tmp_path) == before


def test_a_link_into_the_data_folder_is_the_data_folder(root: Path, tmp_path: Path) -> None:
    before = snapshot(root)
    link = tmp_path / "public"
    link.symlink_to(root / "reports", target_is_directory=True)
    code, out = run("site", "-o", str(link), "--data", str(root), "--as-of", AS_OF, "--force")
    assert (code, out) == (2, inside(link, root))
    assert snapshot(root) == before and link.is_symlink()


def test_the_site_never_replaces_a_folder_holding_the_data_or_the_current_folder(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(tmp_path)
    code, out = run("site", "-o", str(tmp_path), "--data", str(root), "--as-of", AS_OF, "--force")
    assert (code, out) == (
        2,
        f"okrtool: --output {tmp_path}: replacing it would remove the data folder {root}/; "
        "give a folder of its own, like --output public\n",
    )
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for given in (".", ".."):
        code, out = run("site", "-o", given, "--data", str(root), "--as-of", AS_OF, "--force")
        assert (code, out) == (
            2,
            f"okrtool: --output {given}: replacing it would remove the current folder; give a "
            "folder of its own, like --output public\n",
        )
    assert snapshot(tmp_path) == before


def test_schema_into_the_data_folder_is_refused(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """schema has no --data: the data folder is the default one, ./data (or $OKRTOOL_DATA)."""
    monkeypatch.chdir(tmp_path)
    assert root == tmp_path / "data"
    before = snapshot(tmp_path)
    code, out = run("schema", "-o", "data/policies")
    assert (code, out) == (2, inside("data/policies", Path("data")))
    assert snapshot(tmp_path) == before


def test_schema_onto_a_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """``schema -o /etc/passwd`` was a FileExistsError traceback, exit 1."""
    a_file = tmp_path / "passwd"
    a_file.write_text("root:x:0:0\n", encoding="utf-8")
    code, out = run("schema", "-o", str(a_file))
    assert (code, out) == (
        2,
        f"okrtool: --output {a_file}: not a folder; expected a folder to write into\n",
    )
    assert a_file.read_text(encoding="utf-8") == "root:x:0:0\n"
    blocked = tmp_path / "schema"
    (blocked / "policy.schema.json").mkdir(parents=True)
    code, out = run("schema", "-o", str(blocked), "--kind", "policy")
    assert (code, out) == (
        2,
        f"okrtool: --output {blocked / 'policy.schema.json'}: already there and a folder; "
        "write elsewhere\n",
    )
    code, out = run("schema", "-o", str(tmp_path / "no" / "schema"))
    assert (code, out) == (
        2,
        f"okrtool: --output {tmp_path / 'no' / 'schema'}: no folder {tmp_path / 'no'}/ to make "
        "it in; make it first, or write elsewhere\n",
    )


def test_schema_into_an_unwritable_folder_is_one_line_and_exit_2() -> None:
    """``schema -o`` into a folder the user may not write in was a PermissionError traceback."""
    shared = unprivileged_folder()  # run as uid 65534: root (CI) writes anywhere
    try:
        locked = shared / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        code, out = run_unprivileged("schema", "-o", str(locked))
        assert (code, out) == (
            2,
            f"okrtool: --output {locked}: cannot write in the folder {locked}/ (permission "
            "denied); write elsewhere\n",
        )
        code, out = run_unprivileged("schema", "-o", str(locked / "schema"))
        assert (code, out) == (
            2,
            f"okrtool: --output {locked / 'schema'}: cannot write in the folder {locked}/ "
            "(permission denied); write elsewhere\n",
        )
        assert list(locked.iterdir()) == []
    finally:
        shutil.rmtree(shared, ignore_errors=True)


@pytest.mark.parametrize(
    "args",
    [
        ["schema"],
        ["report-template", "-a", "bang-rak", "-p", "2567-07"],
        ["report-template", "-a", "all", "-p", "2567-07"],
        ["handbook", "--agency", "all"],
        ["status", "--as-of", AS_OF],
        ["site", "--as-of", AS_OF],
    ],
    ids=lambda args: " ".join(args[:3]),
)
def test_an_empty_output_is_a_usage_error(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """``-o ''`` (an unset shell variable) wrote into the current folder."""
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    data = [] if args[0] == "schema" else ["--data", str(root)]
    code, out = run(*args, *data, "-o", "")
    assert code == 2
    assert out.splitlines()[-1] == (
        "Error: Invalid value for '--output' / '-o': an empty path; give a file or folder name "
        "('.' for this folder)"
    )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", ["rt.csv", "rt", "rt.xlsm", "rt.md"])
def test_a_template_is_named_xlsx(root: Path, tmp_path: Path, name: str) -> None:
    """``report-template -o rt.csv`` wrote a workbook named .csv."""
    out = tmp_path / name
    code, text = run(
        "report-template", "--data", str(root), "-a", "bang-rak", "-p", "2567-07", "-o", str(out)
    )
    suffix = out.suffix or "no extension"
    assert (code, text) == (
        2,
        f"okrtool: --output {out}: a workbook's name ends in .xlsx (found '{suffix}'); name it "
        "like rt.xlsx\n",
    )
    assert not out.exists()


def test_the_same_situation_reads_the_same_in_every_command(root: Path, tmp_path: Path) -> None:
    """A file already there, a missing folder: one wording whichever command writes."""
    there = tmp_path / "there.md"
    there.write_text("keep me\n", encoding="utf-8")
    for args in (
        ["status", "--as-of", AS_OF],
        ["missing", "--as-of", AS_OF],
        ["history", "trees-planted", "--as-of", AS_OF],
        ["brief", "--host", "env", "--as-of", AS_OF],
        ["handbook", "--agency", "env"],
    ):
        code, out = run(*args, "--data", str(root), "-o", str(there))
        assert (code, out) == (
            2,
            f"okrtool: --output {there}: already exists; pass --force to write over it, or "
            "write elsewhere\n",
        ), args
        missing = tmp_path / "no" / "out.md"
        code, out = run(*args, "--data", str(root), "-o", str(missing))
        assert (code, out) == (
            2,
            f"okrtool: --output {missing}: no folder {missing.parent}/ to write into; make it "
            "first, or write elsewhere\n",
        ), args
    assert there.read_text(encoding="utf-8") == "keep me\n"
