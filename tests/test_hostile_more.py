"""The sweep of issue 18 (item 5): what a careless user tries next, each with the exact words
the user now gets. The corpus of tests/hostile/ checks the exit codes; these pin the text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import MINI, SHIPPED, copy_dataset, snapshot

EMPTY_DATA = (
    "an empty path; give the data folder, like data/ ('.' for this folder; is $OKRTOOL_DATA or "
    "a shell variable empty?)"
)


def okrtool(
    *args: str, cwd: Path | None = None, env: dict[str, str | None] | None = None
) -> tuple[int, str, str]:
    """``okrtool ARGS`` as a real process: its exit code, stdout and stderr."""
    environ = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    environ.pop("OKRTOOL_DATA", None)
    for name, value in (env or {}).items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    proc = subprocess.run(
        [sys.executable, "-m", "okrtool", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environ,
        timeout=60,
    )
    return proc.returncode, proc.stdout, proc.stderr


# --- -o - and devices ----------------------------------------------------------------------------


def test_dash_as_output_is_refused_not_a_file_named_dash(tmp_path: Path) -> None:
    code, out, err = okrtool("status", "-o", "-", "-d", str(SHIPPED), cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "Error: Invalid value for '--output' / '-o': '-' is not standard output here; leave -o "
        "out to print, or write ./- for a file named '-'"
    )
    assert list(tmp_path.iterdir()) == []


def test_dev_null_takes_a_table_and_stays_a_device(tmp_path: Path) -> None:
    code, out, err = okrtool(
        "status", "-o", "/dev/null", "--as-of", "2024-06-30", "-d", str(SHIPPED), cwd=tmp_path
    )
    assert (code, out, err) == (0, "wrote /dev/null\n", "")
    assert Path("/dev/null").is_char_device()


def test_dev_full_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err = okrtool("missing", "-o", "/dev/full", "-d", str(SHIPPED), cwd=tmp_path)
    assert (code, out, err) == (
        2,
        "",
        "okrtool: --output /dev/full: cannot write (No space left on device)\n",
    )


def test_a_pipe_a_link_loop_and_a_dangling_link_are_named_as_such(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    (tmp_path / "dangling").symlink_to("nowhere/file.csv")
    said = {}
    for name in ("pipe", "loop1", "dangling"):
        code, out, err = okrtool(
            "status", "-o", name, "--force", "-d", str(SHIPPED), "--as-of", "2024-06-30",
            cwd=tmp_path,
        )  # fmt: skip
        assert (code, out) == (2, ""), err
        said[name] = err
    assert said == {
        "pipe": "okrtool: --output pipe: already there and a pipe (leave -o out to print); "
        "write elsewhere\n",
        "loop1": "okrtool: --output loop1: already there and a symbolic link that loops onto "
        "itself; write elsewhere\n",
        "dangling": "okrtool: --output dangling: already there and a symbolic link (write to the "
        "file it names); write elsewhere\n",
    }


# --- an empty data folder ------------------------------------------------------------------------


def test_an_empty_data_option_is_a_usage_error_not_the_current_folder(tmp_path: Path) -> None:
    data = copy_dataset(tmp_path, MINI)
    for command in (["status"], ["validate"], ["diff"], ["missing"], ["validate", ""]):
        args = [*command, "--data", ""] if command[-1] else command
        code, out, err = okrtool(*args, cwd=data)  # the current folder *is* a data folder
        assert (code, out) == (2, ""), (command, out, err)
        assert err.splitlines()[-1].endswith(EMPTY_DATA), err


def test_an_empty_okrtool_data_is_a_usage_error_for_every_command(tmp_path: Path) -> None:
    data = copy_dataset(tmp_path, MINI)
    env = {"OKRTOOL_DATA": ""}
    code, out, err = okrtool("status", cwd=data, env=env)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        f"Error: Invalid value for '--data' / '-d' (env var: 'OKRTOOL_DATA'): {EMPTY_DATA}"
    )
    wording = "okrtool: $OKRTOOL_DATA is set and empty; set it to the data folder (like data/), or unset it\n"
    assert okrtool("validate", cwd=data, env=env) == (2, "", wording)
    assert okrtool("schema", "-o", "schemas", cwd=tmp_path, env=env) == (2, "", wording)
    # --data given wins over the empty variable
    code, out, err = okrtool("validate", "--data", str(data), cwd=tmp_path, env=env)
    assert code == 0, err


# --- import-reports reads --agency and --period as every command does ----------------------------


def _book(tmp_path: Path) -> tuple[Path, Path]:
    """The mini data and bang-rak's template for 2567-06, one value typed in."""
    from xlsx_helpers import fill_template, make_template

    data = copy_dataset(tmp_path, MINI)
    book = make_template(data, tmp_path, "bang-rak", "2567-06")
    fill_template(book, {"trees-planted": 90})
    return data, book


def test_an_unreadable_period_is_refused_though_the_workbook_names_its_own(
    tmp_path: Path,
) -> None:
    data, book = _book(tmp_path)
    code, out, err = okrtool("import-reports", "--period", "soon", str(book), "-d", str(data))
    assert (code, out) == (2, "")
    assert err == (
        "okrtool: --period soon: found 'soon', expected a month like 2567-06, มิ.ย. 67, "
        "มิถุนายน 2567, June 2024 or 06/2567, or a fiscal quarter like FY2567-Q3 or ไตรมาส "
        "3/2567\n"
    )


def test_an_agency_named_in_part_lists_the_matches(tmp_path: Path) -> None:
    data, book = _book(tmp_path)
    code, out, err = okrtool("import-reports", "-n", "--agency", "สำนัก", str(book), "-d", str(data))
    assert (code, out) == (2, "")
    assert err.startswith("okrtool: agency 'สำนัก' is ambiguous: it could be "), err
    code, out, err = okrtool(
        "import-reports", "-n", "--agency", "บางรัก", str(book), "-d", str(data)
    )
    assert code == 0, err


# --- absurd numbers typed into a report workbook -------------------------------------------------

NUMBER = "(like 1234, 1,234.5, ๑๒๓๔ or 57.05%)"
SENSIBLE = (
    "below 1,000,000,000,000,000 (15 digits, what Excel keeps) and, unless 0, at least 0.000001"
)
ABSURD = {
    "infinity sign": ("trees-planted", "∞", f"E803 found '∞', expected a number of trees {NUMBER}"),
    "inf as text": ("trees-planted", "inf", f"E803 found 'inf', expected a number of trees {NUMBER}"),
    "NaN as text": ("trees-planted", "NaN", f"E803 found 'NaN', expected a number of trees {NUMBER}"),
    "1e400 as text": ("trees-planted", "1e400", f"E803 found '1e400', expected a number of trees {NUMBER}"),
    "Thai digits, two points": (
        "trees-planted", "๑.๒.๓", f"E803 found '๑.๒.๓', expected a number of trees {NUMBER}"
    ),
    "commas, not thousands": (
        "trees-planted", "1,2,3", f"E803 found '1,2,3', expected a number of trees {NUMBER}"
    ),
    "two percent signs": (
        "trees-waste-collected", "50%%", f"E803 found '50%%', expected a number {NUMBER}"
    ),
    "a negative percent": (
        "trees-waste-collected", "-5%", "E404 value -5 is outside 0–100 for a percentage"
    ),
    "300 digits": (
        "trees-planted", "1" * 300,
        "E803 found '1111111111111111111111111111111111111...' (300 digits), expected a number of "
        "trees of at most 30 digits",
    ),
    "300 characters of decimals": (
        "trees-planted", "0." + "1" * 298,
        "E803 found '0.11111111111111111111111111111111111...' (299 digits), expected a number of "
        "trees of at most 30 digits",
    ),
    "the largest float": (
        "trees-planted", 1e308, f"E803 found 1e+308, expected a number of trees {SENSIBLE}"
    ),
    "sixteen digits": (
        "trees-planted", 10**15, f"E803 found 1000000000000000, expected a number of trees {SENSIBLE}"
    ),
    "a denormal": (
        "trees-planted", 1e-320,
        f"E803 found 9.99988867182683e-321, expected a number of trees {SENSIBLE}",
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The mini data and bang-rak's real template for 2567-06, blank."""
    from xlsx_helpers import make_template

    tmp = tmp_path_factory.mktemp("absurd")
    data = copy_dataset(tmp, MINI)
    return data, make_template(data, tmp, "bang-rak", "2567-06")


@pytest.mark.parametrize("case", ABSURD, ids=str)
def test_an_absurd_number_is_refused_at_its_cell_and_nothing_is_written(
    case: str, template: tuple[Path, Path], tmp_path: Path
) -> None:
    from xlsx_helpers import fill_template, import_, refusals, template_row

    data, blank = template
    kr, typed, refusal = ABSURD[case]
    book = fill_template(blank, {kr: typed}, out=tmp_path / "bang-rak-2567-06.xlsx")
    before = snapshot(data)
    code, out = import_(data, str(book))
    assert code == 1, out
    assert refusals(out)[0] == f"{book} › Report!I{template_row(blank, kr)}: {refusal}"
    assert snapshot(data) == before


# --- Ctrl-C while the command line loads ---------------------------------------------------------


def test_the_console_script_loads_the_command_line_inside_its_ctrl_c_guard() -> None:
    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'okrtool = "okrtool.__main__:main"' in pyproject


def test_ctrl_c_while_typer_is_imported_is_exit_130_without_a_traceback(tmp_path: Path) -> None:
    # a real SIGINT, sent when the import of typer starts (the command line's first import)
    program = (
        "import os, signal, sys\n"
        "def hook(event, args):\n"
        "    if event == 'import' and args[0] == 'typer':\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "sys.addaudithook(hook)\n"
        "from okrtool.__main__ import main\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", program, "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (130, "", "")


# --- odd data folders ----------------------------------------------------------------------------


def test_a_data_folder_that_is_a_link_loop_or_too_long_a_path_is_named_as_such(
    tmp_path: Path,
) -> None:
    from helpers import run

    (tmp_path / "l1").symlink_to("l2")
    (tmp_path / "l2").symlink_to("l1")
    loop = str(tmp_path / "l1")
    for command in (["validate", loop], ["status", "-d", loop], ["missing", "-d", loop]):
        assert run(*command) == (
            2,
            f"okrtool: {loop}: a symbolic link that loops onto itself; expected the data folder "
            "(like data/)\n",
        )
    long = "/".join(["a" * 200] * 30)
    assert run("validate", long) == (
        2,
        f"okrtool: {long}: a path too long for this system (file name too long); give a shorter "
        "one\n",
    )


# --- odd environments ----------------------------------------------------------------------------


def test_columns_5_gives_a_table_40_wide_not_a_word_a_line(tmp_path: Path) -> None:
    from rich.cells import cell_len

    code, out, err = okrtool(
        "status", "-d", str(SHIPPED), "--as-of", "2024-06-30", cwd=tmp_path, env={"COLUMNS": "5"}
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:2] == [
        "ทุกกลุ่มภารกิจ — ปีงบประมาณ 2567 (1 ต.ค. 2566",
        "– 30 ก.ย. 2567), ณ วันที่ 30 มิ.ย. 2567:",
    ]
    assert max(cell_len(line) for line in lines) == 40


def test_a_cache_folder_this_user_may_not_look_into_is_no_cache_not_an_error() -> None:
    # sudo -u keeps HOME=/root on some systems: ~/.cache/okrtool is then root's, mode 0700
    import shutil

    from unprivileged import unprivileged_runtime

    from helpers import NOBODY, unprivileged_folder

    if os.geteuid() != 0:
        pytest.skip("needs root, to make a folder another user may not enter")
    folder = unprivileged_folder()
    try:
        data = copy_dataset(folder, MINI)
        subprocess.run(["chmod", "-R", "a+rX", str(folder)], check=True)
        private = folder / "root-cache"
        private.mkdir(mode=0o700)
        runtime = unprivileged_runtime()
        command = [
            "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
            *runtime.command("validate", str(data)),
        ]  # fmt: skip
        env = {**os.environ, "NO_COLOR": "1", **runtime.env(), "OKRTOOL_CACHE_DIR": str(private)}
        env.pop("OKRTOOL_NO_CACHE", None)
        proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        assert (proc.returncode, proc.stderr) == (0, ""), proc.stdout + proc.stderr
        assert proc.stdout.splitlines()[-1].startswith("OK: no problems. Read 2 policies")
    finally:
        shutil.rmtree(folder)


def test_a_file_output_spelled_as_a_folder_is_refused_not_a_file_of_that_name(
    tmp_path: Path,
) -> None:
    code, out, err = okrtool("status", "-o", "newdir/", "-d", str(SHIPPED), cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "Error: Invalid value for '--output' / '-o': newdir/ names a folder (it ends in '/'); "
        "this command writes one file: give a file name in it, like newdir/NAME"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_csv_json_or_md_name_writes_that_format_as_xlsx_always_did(tmp_path: Path) -> None:
    args = ("status", "-d", str(SHIPPED), "--as-of", "2024-06-30")
    for name, start in (
        ("s.csv", "policy,key_result,parent,title,host,unit,direction,"),
        ("s.json", '{\n  "header": {\n    "title": "ทุกกลุ่มภารกิจ",'),
        ("s.md", "**ทุกกลุ่มภารกิจ — ปีงบประมาณ 2567"),
    ):
        assert okrtool(*args, "-o", name, cwd=tmp_path) == (0, f"wrote {name}\n", "")
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)
    assert okrtool(*args, "-o", "t.json", "-f", "csv", cwd=tmp_path) == (
        2,
        "",
        "okrtool: --output t.json: a .json name for --format csv; leave --format out to write "
        "json there, or name it like t.csv\n",
    )


def test_a_flag_in_the_nothing_to_report_line_is_named_without_true() -> None:
    from helpers import run

    code, out = run(
        "missing", "-d", str(SHIPPED), "--urgent", "--key-projects", "--as-of", "2024-07-15"
    )
    assert (code, out) == (
        1,
        "okrtool: nothing to report on for 2567-06: no key result of FY 2567 passes the filters "
        "(--urgent, --key-projects); 'okrtool status --fy 2567' lists the year's key results\n",
    )


@pytest.mark.parametrize(
    "name", ["บางรัก มิ.ย. 67.xlsx", "bang-rak 2567-07.xlsx", "เขตบางรัก.xlsx", "Bang Rak_July.xlsx"]
)
def test_a_sheet_that_does_not_name_its_agency_takes_it_from_a_file_name_as_people_write_it(
    name: str, tmp_path: Path
) -> None:
    # was E806 'found no agency for this row': only 'bang-rak-...' and 'bang-rak_...' were read
    from xlsx_helpers import HEADER, import_, sheet

    data = copy_dataset(tmp_path, MINI)
    book = sheet(tmp_path / name, [HEADER, ["trees-planted", "2567-07", 10, None]])
    code, out = import_(data, str(book))
    assert code == 0, out
    assert out.splitlines()[-1] == "Merged 1 of 1 file: 1 added, 0 changed, 0 unchanged."
    csv = (data / "reports" / "2567" / "bang-rak.csv").read_text(encoding="utf-8")
    assert "trees-planted,2567-07,10," in csv


def test_diff_of_a_folder_that_is_no_data_folder_at_a_revision_names_it_not_a_temporary_one(
    tmp_path: Path,
) -> None:
    # said '/tmp/okrtool-diff-xxxx/new: not a data folder'
    env = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_DIR": None}
    root = tmp_path / "plan"
    copy_dataset(root, MINI)
    (root / "notes").mkdir()
    (root / "notes" / "README.md").write_text("notes\n", encoding="utf-8")
    for args in (
        ["init", "-q", "-b", "main"],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "one"],
    ):
        subprocess.run(
            ["git", *args],
            cwd=root,
            check=True,
            env={**os.environ, **{k: v for k, v in env.items() if v}},
        )
    code, out, err = okrtool("diff", "HEAD", "HEAD", "--data", "notes", cwd=root, env=env)
    assert (code, out, err) == (
        2,
        "",
        "okrtool: notes at HEAD: not a data folder; expected agencies/, policies/ and reports/ "
        "inside it at that revision\n",
    )


def test_two_files_of_one_import_that_disagree_are_not_both_merged_even_with_replace(
    tmp_path: Path,
) -> None:
    # an old and a corrected copy of one report in the inbox: with --replace the value went
    # 7 → 9 → 7, the last file named winning, and the import said '2 changed'
    from xlsx_helpers import fill_template, import_, make_template

    data = copy_dataset(tmp_path, MINI)
    blank = make_template(data, tmp_path, "dusit", "2567-08")
    first = fill_template(blank, {"trees-planted": 9}, out=tmp_path / "dusit-fixed.xlsx")
    second = fill_template(blank, {"trees-planted": 7}, out=tmp_path / "dusit-old.xlsx")
    code, out = import_(data, "--replace", str(first), str(second))
    assert code == 1, out
    assert out.splitlines()[:3] == [
        f"REFUSED {second} — nothing of it was written:",
        f"{second} › Report!I6: E805 'trees-planted' for 2567-08 is 9 in {first} › Report!I6, "
        "merged earlier in this import; this file says 7",
        "    hint: import the one of the two files that is right (two versions of one report?); "
        "--replace does not choose between files of one import",
    ]
    csv = (data / "reports" / "2567" / "dusit.csv").read_text(encoding="utf-8")
    assert "trees-planted,2567-08,9," in csv


def test_run_from_inside_the_data_folder_schema_does_not_write_into_it(tmp_path: Path) -> None:
    # the default ./data is data/data there, not the folder written into
    data = copy_dataset(tmp_path, MINI)
    code, out, err = okrtool("schema", "-o", "schemas", cwd=data)
    assert (code, out) == (2, "")
    assert err == (
        f"okrtool: --output schemas: inside the data folder {data}/ (it holds agencies/, "
        "policies/ and reports/), where only import-reports writes; write elsewhere\n"
    )
    assert not (data / "schemas").exists()
