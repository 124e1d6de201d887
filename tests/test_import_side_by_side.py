"""import-reports reads workbooks in two processes and merges them as they come
(``parallel.Shared``, ``imports.reports.merge_all``): the results are those of one process,
whichever process read each workbook, whatever year comes first, and whether or not a helper
process dies on the way."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from xlsx_helpers import fill_template, make_template, sheet

from okrtool.errors import OkrtoolError
from okrtool.imports.reports import Options, import_reports
from okrtool.io.parallel import Shared, workers_for

from helpers import copy_dataset, snapshot

NOW = "2026-12-06T10:00:00+07:00"


def no_child_left() -> bool:
    """True if this process has no child process (ended or not) left to reap."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


# --- parallel.Shared ---------------------------------------------------------------------------


def test_shared_gives_every_result_in_order_whichever_process_did_it() -> None:
    parent = os.getpid()

    def work(n: int) -> tuple[int, int]:
        time.sleep(0.01)  # long enough for the helper to take its share
        return n * n, os.getpid()

    with Shared(work, list(range(40))) as shared:
        got = shared.results()
    assert [square for square, _ in got] == [n * n for n in range(40)]
    pids = {pid for _, pid in got}
    if workers_for(40) > 1:
        assert parent in pids and len(pids) == 2  # both read
    else:
        assert pids == {parent}
    assert no_child_left()


def test_shared_with_three_helpers_gives_what_one_process_gives() -> None:
    parent = os.getpid()

    def work(n: int) -> tuple[str, int]:
        time.sleep(0.01)
        return f"item {n}", os.getpid()

    with Shared(work, list(range(60)), processes=4) as shared:
        assert shared.get(30)[0] == "item 30"
        got = shared.results()
    assert [text for text, _ in got] == [f"item {n}" for n in range(60)]
    assert parent in {pid for _, pid in got}
    assert len({pid for _, pid in got}) == 4  # each of the four read some
    assert no_child_left()


def test_shared_gives_an_item_asked_for_before_the_ones_before_it() -> None:
    with Shared(lambda n: n + 100, list(range(10))) as shared:
        assert shared.get(7) == 107
        assert shared.get(0) == 100
        assert shared.results() == [n + 100 for n in range(10)]
    assert no_child_left()


def test_shared_does_here_what_a_dead_helper_had_taken() -> None:
    parent = os.getpid()

    def work(n: int) -> tuple[int, int]:
        if os.getpid() != parent:
            os._exit(9)  # the helper dies on the first item it takes
        time.sleep(0.005)
        return n + 1, os.getpid()

    with Shared(work, list(range(12))) as shared:
        got = shared.results()
    assert got == [(n + 1, parent) for n in range(12)]
    assert no_child_left()


def test_shared_raises_what_the_work_raises_and_leaves_no_helper() -> None:
    def work(n: int) -> int:
        if n == 5:
            raise ValueError(f"item {n} is bad")
        time.sleep(0.005)
        return n

    with pytest.raises(ValueError, match="item 5 is bad"), Shared(work, list(range(20))) as s:
        s.results()
    assert no_child_left()


# --- import-reports: merged as they come, written once all are checked -------------------------

FY2568_OKR = """
  - id: trees-2568
    fiscal_year: 2568
    owner: env
    objective_th: กรุงเทพฯ มีต้นไม้มากขึ้นอีก
    objective_en: Still more trees in Bangkok
    key_results:
      - id: trees-planted-2568
        title_th: จำนวนต้นไม้ที่ปลูก ปี 2568
        title_en: Trees planted in FY 2568
        unit: trees
        target: 2000
        measure: increment
        aggregate: sum
        allocations:
          phra-nakhon: 500
          dusit: 500
          bang-rak: 500
          pathum-wan: 500
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The mini dataset with a second fiscal year (2568) of the trees policy."""
    root = copy_dataset(tmp_path)
    trees = root / "policies/environment/trees.yaml"
    text = trees.read_text(encoding="utf-8")
    at = text.index("  - id: trees-2567")
    trees.write_text(text[:at] + FY2568_OKR.lstrip("\n") + text[at:], encoding="utf-8")
    return root


def typed(path: Path, agency_th: str, rows: list[list[object]]) -> Path:
    """A sheet typed from scratch: the agency on a label line, then a table."""
    return sheet(path, [["หน่วยงาน:", agency_th], ["Key result id", "Period", "Value"], *rows])


def one_by_one(root: Path, books: list[Path]) -> dict[str, bytes]:
    """The data folder after importing ``books`` one per import, in a copy of ``root``."""
    copy = root.parent / "one-by-one"
    shutil.copytree(root, copy)
    for book in books:
        assert import_reports(copy, [book], Options(now=NOW)).exit_code == 0
    return {k: v for k, v in snapshot(copy).items()}


def test_a_later_workbook_for_a_year_the_first_did_not_name_is_merged(
    root: Path, tmp_path: Path
) -> None:
    books = [
        typed(tmp_path / "dusit-2567.xlsx", "ดุสิต", [["trees-planted", "2567-07", 40]]),
        typed(tmp_path / "bang-rak-2568.xlsx", "บางรัก", [["trees-planted-2568", "2568-01", 7]]),
        typed(tmp_path / "dusit-2568.xlsx", "ดุสิต", [["trees-planted-2568", "2568-02", 9]]),
    ]
    expected = one_by_one(root, books)

    result = import_reports(root, books, Options(now=NOW))

    assert result.exit_code == 0
    assert [f.written for f in result.files] == [
        ["reports/2567/dusit.csv"],
        ["reports/2568/bang-rak.csv"],
        ["reports/2568/dusit.csv"],
    ]
    assert snapshot(root) == expected
    assert (root / "reports/2568/dusit.csv").read_text(encoding="utf-8").splitlines()[1] == (
        f"trees-planted-2568,2568-02,9,import,,dusit-2568.xlsx,{_sha(books[2])},Sheet1!C3,{NOW}"
    )


def test_two_workbooks_of_one_district_both_reach_its_file(root: Path, tmp_path: Path) -> None:
    books = [
        fill_template(make_template(root, tmp_path, "bang-rak", "2567-07"), {"trees-planted": 41}),
        fill_template(make_template(root, tmp_path, "bang-rak", "2567-08"), {"trees-planted": 42}),
    ]
    expected = one_by_one(root, books)

    result = import_reports(root, books, Options(now=NOW))

    assert result.exit_code == 0
    assert [f.written for f in result.files] == [["reports/2567/bang-rak.csv"]] * 2
    assert snapshot(root) == expected
    lines = (root / "reports/2567/bang-rak.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[:3] for line in lines if line.startswith("trees-planted,")][-2:] == [
        ["trees-planted", "2567-07", "41"],
        ["trees-planted", "2567-08", "42"],
    ]


def test_a_first_workbook_refused_whole_leaves_the_next_merged(root: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "scan.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 2000)
    good = typed(tmp_path / "dusit.xlsx", "ดุสิต", [["trees-planted", "2567-07", 40]])

    result = import_reports(root, [pdf, good], Options(now=NOW))

    assert result.exit_code == 1
    assert result.files[0].refused_whole and result.files[0].written == []
    assert result.files[1].written == ["reports/2567/dusit.csv"]
    assert no_child_left()


def test_a_data_folder_with_an_error_is_refused_before_anything_is_written(
    root: Path, tmp_path: Path
) -> None:
    (root / "reports/2567/dusit.csv").write_text("not,a,report,file\n", encoding="utf-8")
    before = snapshot(root)
    books = [
        typed(tmp_path / f"{d}.xlsx", th, [["trees-planted", "2567-07", n]])
        for d, th, n in (("bang-rak", "บางรัก", 1), ("pathum-wan", "ปทุมวัน", 2))
    ]

    with pytest.raises(OkrtoolError) as refused:
        import_reports(root, books, Options(now=NOW))

    assert str(refused.value) == (
        f"{root}: the data folder has 1 error(s); run 'okrtool validate {root}' and fix them "
        "first. The first: reports/2567/dusit.csv:1:1: E107 header is 'not,a,report,file'; "
        "expected 'key_result,period,value,source,note,file,sha256,cell,recorded_at'"
    )
    assert snapshot(root) == before
    assert no_child_left()


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_value_stored_in_a_year_loaded_late_is_still_a_conflict(
    root: Path, tmp_path: Path
) -> None:
    (root / "reports/2568").mkdir()
    (root / "reports/2568/bang-rak.csv").write_text(
        "key_result,period,value,source,note,file,sha256,cell,recorded_at\n"
        "trees-planted-2568,2568-01,5,manual,,,,,\n",
        encoding="utf-8",
    )
    first = typed(tmp_path / "dusit-2567.xlsx", "ดุสิต", [["trees-planted", "2567-07", 40]])
    late = typed(tmp_path / "bang-rak-2568.xlsx", "บางรัก", [["trees-planted-2568", "2568-01", 7]])

    result = import_reports(root, [first, late], Options(now=NOW))

    assert result.exit_code == 1
    assert result.files[0].written == ["reports/2567/dusit.csv"]
    assert [(p.code, p.path, p.message) for p in result.files[1].refusals] == [
        (
            "E805",
            ("Sheet1", "C3"),
            "'trees-planted-2568' for 2568-01 is stored as 5 (reports/2568/bang-rak.csv); this "
            "file says 7: 5 → 7",
        )
    ]
    assert (root / "reports/2568/bang-rak.csv").read_text(encoding="utf-8").count("\n") == 2


def test_a_process_held_to_one_core_forks_no_helper() -> None:
    """os.cpu_count() says what the machine has; a process held to one core (taskset, a
    container's cpuset) would only take turns with its helper."""
    import subprocess
    import sys

    taskset = shutil.which("taskset")
    if taskset is None:
        pytest.skip("taskset (util-linux) is not installed")
    script = (
        "import os\n"
        "from okrtool.io.parallel import Shared, workers_for\n"
        "with Shared(lambda n: os.getpid(), list(range(20))) as s:\n"
        "    pids = set(s.results())\n"
        "print(workers_for(20), pids == {os.getpid()})\n"
    )
    done = subprocess.run(
        [taskset, "-c", "0", sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "1 True\n"
