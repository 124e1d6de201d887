"""Two imports at once, and imports killed mid-write: real `okrtool import-reports` processes on a
copy of the mini dataset, real workbooks, and SIGKILL.

Nothing here relies on a timing race. A waiting import is made to wait by a lock that is held for
certain: a lock file naming this test's own process (alive, as `import_lock` writes it), or a real
import held before it reads its workbooks until the test lets it go. Kills land at
every file-system step of a commit, counted by a wrapper that SIGKILLs its own process before
the k-th step; then from outside, once the report folder of a 40-district city holds so many
files, wherever the import has got to by then.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import yaml
from progress_data import AGENCIES, key_result, policy
from xlsx_helpers import fill_template, import_, make_template, sheet

from okrtool.errors import OkrtoolError
from okrtool.io.store import EMPTY_LOCK_AGE, JOURNAL_NAME, LOCK_NAME, import_lock

from helpers import copy_dataset, run, snapshot

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX processes and pipes")

REPORTS = "reports/2567"
DISTRICTS = ("phra-nakhon", "dusit", "bang-rak", "pathum-wan")
STAMP = re.compile(rb",\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", re.MULTILINE)


def okrtool(*args: str) -> subprocess.Popen[str]:
    """A real `okrtool` process, its output captured as text."""
    return subprocess.Popen(
        [sys.executable, "-m", "okrtool", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def holder_line(pid: int) -> str:
    """The lock file's text as `import_lock` writes it for process ``pid``."""
    since = datetime.now().astimezone().isoformat(timespec="seconds")
    return f"import by pid {pid} on {socket.gethostname()} since {since}"


def reports(root: Path) -> dict[str, bytes]:
    """Every report file with its bytes, the time of import blanked (it differs run to run)."""
    return {
        p.name: STAMP.sub(b",<now>", p.read_bytes()) for p in sorted((root / REPORTS).glob("*.csv"))
    }


def leftovers(root: Path) -> list[str]:
    """Hidden files in the data folder and its report folder (lock, journal, temporary files)."""
    return sorted(
        p.relative_to(root).as_posix()
        for folder in (root, root / REPORTS)
        for p in folder.iterdir()
        if p.name.startswith(".")
    )


def files_read(root: Path) -> str:
    """`okrtool validate` passes; the "… in N files" it says it read."""
    code, out = run("validate", str(root))
    assert code == 0, out
    found = re.search(r"in (\d+) files", out)
    assert found, out
    return found.group(1)


# --- two imports at once -----------------------------------------------------------------------


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


#: Runs the real CLI, holding its import lock (taken before the workbooks are read) until the
#: file named by $GO exists: an import that holds the lock for certain, for as long as needed.
#: (It read its workbook from a named pipe before; import-reports now refuses a pipe.)
HOLDER = """
import os, sys, time
import okrtool.imports.reports

merge_all = okrtool.imports.reports.merge_all


def held(*args, **kwargs):
    while not os.path.exists(os.environ["GO"]):
        time.sleep(0.02)
    return merge_all(*args, **kwargs)


okrtool.imports.reports.merge_all = held
from okrtool.cli import main

sys.argv[0] = "okrtool"
main()
"""


def test_two_imports_at_once_wait_for_each_other_and_both_are_merged(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    lock = root / LOCK_NAME
    july = fill_template(
        make_template(root, tmp_path, "bang-rak", "2567-07"), {"trees-planted": 41}
    )
    august = fill_template(
        make_template(root, tmp_path, "bang-rak", "2567-08"), {"trees-planted": 42}
    )
    go = tmp_path / "go"
    first = subprocess.Popen(
        [
            sys.executable,
            "-c",
            HOLDER,
            "import-reports",
            "--data",
            str(root),
            "--wait",
            "30",
            str(july),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "GO": str(go)},
    )
    wait_until(lambda: lock.exists() and f"pid {first.pid} " in lock.read_text(), "the lock")
    holder = lock.read_text(encoding="utf-8").strip()
    second = okrtool("import-reports", "--data", str(root), "--wait", "30", str(august))
    assert second.stderr is not None
    told = second.stderr.readline()
    go.touch()
    out1, err1 = first.communicate(timeout=30)
    out2, err2 = second.communicate(timeout=30)

    assert told == f"waiting for the {holder} to finish (lock file {lock}) …\n"
    assert (first.returncode, err1) == (0, "")
    assert (second.returncode, err2) == (0, "")
    assert "Merged 1 of 1 file: 1 added, 0 changed, 0 unchanged." in out1
    assert "Merged 1 of 1 file: 1 added, 0 changed, 0 unchanged." in out2
    rows = (root / REPORTS / "bang-rak.csv").read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[:3] for r in rows if r.startswith("trees-planted,")] == [
        ["trees-planted", "2567-06", "90"],
        ["trees-planted", "2567-07", "41"],
        ["trees-planted", "2567-08", "42"],
    ]
    assert not lock.exists()
    files_read(root)


def test_an_import_gives_up_after_its_wait_and_changes_nothing(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    lock = root / LOCK_NAME
    holder = holder_line(os.getpid())  # this test is alive: the lock is held for certain
    lock.write_text(holder + "\n", encoding="utf-8")
    book = fill_template(
        make_template(root, tmp_path, "bang-rak", "2567-07"), {"trees-planted": 41}
    )
    before = snapshot(root)

    proc = okrtool("import-reports", "--data", str(root), "--wait", "0.5", str(book))
    out, err = proc.communicate(timeout=30)

    assert proc.returncode == 1
    assert out == ""
    assert err == (
        f"waiting for the {holder} to finish (lock file {lock}) …\n"
        f"okrtool: {lock}: the {holder} still holds the import lock after 0.5 s; try again when "
        "it has finished, or delete the lock file if no import is running\n"
    )
    assert snapshot(root) == before


def dead_pid() -> int:
    """The pid of a process of this machine that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_lock_left_by_a_dead_import_is_removed_and_the_import_goes_on(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    lock = root / LOCK_NAME
    lock.write_text(holder_line(dead_pid()) + "\n", encoding="utf-8")
    book = fill_template(
        make_template(root, tmp_path, "bang-rak", "2567-07"), {"trees-planted": 41}
    )

    proc = okrtool("import-reports", "--data", str(root), "--wait", "5", str(book))
    out, err = proc.communicate(timeout=30)

    assert (proc.returncode, err) == (0, "")
    assert "Merged 1 of 1 file: 1 added" in out
    assert "trees-planted,2567-07,41," in (root / REPORTS / "bang-rak.csv").read_text()
    assert leftovers(root) == []


def test_an_empty_lock_file_is_an_import_taking_the_lock_until_it_is_old(tmp_path: Path) -> None:
    # an import killed between creating the lock file and writing its pid leaves it empty
    root = copy_dataset(tmp_path)
    lock = root / LOCK_NAME
    lock.touch()
    with pytest.raises(OkrtoolError) as info, import_lock(root, timeout=0.1, poll=0.02):
        pass
    assert str(info.value).startswith(f"{lock}: another import still holds the import lock")

    old = time.time() - EMPTY_LOCK_AGE - 1
    os.utime(lock, (old, old))
    with import_lock(root, timeout=0.1, poll=0.02):
        assert lock.read_text().startswith(f"import by pid {os.getpid()} ")
    assert not lock.exists()


def test_a_stale_lock_is_not_removed_once_another_import_has_taken_it(tmp_path: Path) -> None:
    # two imports find the same dead lock; the second to look must not remove the first's
    from okrtool.io.store import _remove_stale

    root = copy_dataset(tmp_path)
    lock = root / LOCK_NAME
    stale = holder_line(dead_pid())
    lock.write_text(holder_line(os.getpid()) + "\n")  # taken since it was found stale
    assert _remove_stale(lock, stale)
    assert lock.read_text().startswith(f"import by pid {os.getpid()} ")

    (root / (LOCK_NAME + ".break")).touch()  # the other import is removing it right now
    lock.write_text(stale + "\n")
    assert not _remove_stale(lock, stale)
    assert lock.exists()


def test_an_import_keeps_the_permissions_of_the_report_files(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    (root / REPORTS / "bang-rak.csv").chmod(0o640)
    book = fill_template(
        make_template(root, tmp_path, "bang-rak", "2567-07"), {"trees-planted": 41}
    )
    code, out = import_(root, str(book))
    assert code == 0, out
    assert (root / REPORTS / "bang-rak.csv").stat().st_mode & 0o777 == 0o640


# --- killed mid-write --------------------------------------------------------------------------

#: Runs the real CLI, SIGKILLing its own process just before the KILL_AT-th file-system step of
#: okrtool.io.store (0: never); prints how many steps there were when it ends normally.
KILLER = """
import os, signal, sys
import okrtool.io.store

KILL_AT = int(os.environ["KILL_AT"])
STEPS = {"fsync", "replace", "unlink", "rename"}
count = 0


class Os:
    def __getattr__(self, name):
        real = getattr(os, name)
        if name not in STEPS:
            return real

        def step(*args, **kwargs):
            global count
            count += 1
            if count == KILL_AT:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return step


okrtool.io.store.os = Os()
from okrtool.cli import main

sys.argv[0] = "okrtool"
try:
    main()
finally:
    print(f"steps={count}", file=sys.stderr)
"""


@dataclass
class CrashCase:
    """The mini dataset as it was (``pristine``), a sheet with a value for each of the four
    districts (one import that writes four report files at once), the report files before and
    after an import of it that is not killed, and how many file-system steps that import took."""

    base: Path
    pristine: Path
    book: Path
    killer: Path
    old: dict[str, bytes]
    new: dict[str, bytes]
    steps: int
    files_read: str


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> CrashCase:
    base = tmp_path_factory.mktemp("crash")
    pristine = copy_dataset(base)
    book = base / "districts.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Agency", "Key result id", "Period", "Value"])
    for i, district in enumerate(DISTRICTS):
        ws.append([district, "trees-planted", "2567-07", 10 + i])
    wb.save(book)
    killer = base / "killer.py"
    killer.write_text(KILLER, encoding="utf-8")

    done = base / "done"
    shutil.copytree(pristine, done)
    result = subprocess.run(
        [sys.executable, str(killer), "import-reports", "--data", str(done), str(book)],
        env={**os.environ, "KILL_AT": "0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    steps = re.search(r"steps=(\d+)", result.stderr)
    assert steps, result.stderr
    old, new = reports(pristine), reports(done)
    assert sorted(name for name in old if old[name] != new[name]) == [
        f"{d}.csv" for d in sorted(DISTRICTS)
    ]
    return CrashCase(
        base, pristine, book, killer, old, new, int(steps.group(1)), files_read(pristine)
    )


def check_after_kill(root: Path, case: CrashCase) -> str:
    """What a killed import may leave: each report file exactly its old or its new bytes, no
    hidden file but the lock, the journal and temporary files, and a data folder that validate
    passes reading the same files as before. The next import, taking the lock, finishes or
    forgets what was left, so that the report files are all old or all new: the sheet merged
    whole or not at all. Returns what the kill left: o(ld) or N(ew) a report file, in file-name
    order."""
    now = reports(root)
    assert now.keys() == case.old.keys()
    seen = ""
    for name, data in now.items():
        assert data in (case.old[name], case.new[name]), f"{name} is torn:\n{data.decode()}"
        seen += "o" if data == case.old[name] else "N"
    for name in leftovers(root):
        assert name in (LOCK_NAME, JOURNAL_NAME) or name.endswith(".tmp"), name
    assert files_read(root) == case.files_read  # no temporary file is read as data

    with import_lock(root, timeout=5):  # what the next import does first
        pass
    assert reports(root) in (case.old, case.new), f"half merged after the next import: {seen}"
    assert leftovers(root) == []
    files_read(root)
    return seen


def killed_at(case: CrashCase, k: int) -> Path:
    """A copy of the dataset into which the sheet was imported by a process killed just before
    its k-th file-system step."""
    root = case.base / f"kill-{k}"
    shutil.copytree(case.pristine, root)
    result = subprocess.run(
        [sys.executable, str(case.killer), "import-reports", "--data", str(root), str(case.book)],
        env={**os.environ, "KILL_AT": str(k)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr
    return root


def test_an_import_killed_at_any_step_of_its_write_leaves_no_torn_or_half_merged_file(
    case: CrashCase,
) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:  # processes in parallel, checks in turn
        roots = list(pool.map(lambda k: killed_at(case, k), range(1, case.steps + 1)))
    seen = [check_after_kill(root, case) for root in roots]
    # files: bang-rak, dds (never written), dusit, pathum-wan, phra-nakhon. Every step was hit:
    # before the renames, between each two of them (the next import finished them from the
    # journal), and after them
    assert sorted(set(seen)) == ["NoNNN", "NoNNo", "NoNoo", "Noooo", "ooooo"]
    assert seen[0] == "ooooo" and seen[-1] == "NoNNN"


def interrupted_commit(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commit new texts of the four districts' report files, stopped after the first rename as
    a kill would stop it: the journal and three temporary files left."""
    from okrtool.io import store

    writes = [store.PendingWrite(root / REPORTS / f"{d}.csv", "new\n", root) for d in DISTRICTS]
    real, renamed = os.replace, []

    def replace(src: Path, dst: Path) -> None:
        if Path(dst).suffix == ".csv":  # not the journal's own
            if renamed:
                raise SystemExit("killed")
            renamed.append(dst)
        real(src, dst)

    with monkeypatch.context() as m:
        m.setattr(store.os, "replace", replace)
        with pytest.raises(SystemExit):
            store.commit(writes)
    assert (root / JOURNAL_NAME).exists()


def test_an_interrupted_import_is_not_finished_over_a_file_changed_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_dataset(tmp_path)
    interrupted_commit(root, monkeypatch)
    (root / REPORTS / "dusit.csv").write_text("edited by hand\n")  # one not yet renamed
    before = snapshot(root)
    journal = root / JOURNAL_NAME
    with pytest.raises(OkrtoolError) as info, import_lock(root, timeout=1):
        pass
    assert str(info.value) == (
        f"{journal}: an import was interrupted while writing, and reports/2567/dusit.csv "
        f"changed since, so it cannot be finished safely. Look at {root / 'reports'} "
        f"(git status, git diff), delete {journal} and import the workbooks again"
    )
    assert snapshot(root) == before


def test_a_journal_that_is_not_one_is_refused_with_what_to_do(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    journal = root / JOURNAL_NAME
    for text, why in [
        ("{", "cannot be read (JSONDecodeError)"),
        (
            '{"renames": [{"temp": "../x.tmp", "file": "../../etc/passwd", "old_sha256": null}]}',
            "it names '../x.tmp' → '../../etc/passwd', not a report or policy file of the data "
            "folder",
        ),
    ]:
        journal.write_text(text)
        with pytest.raises(OkrtoolError) as info, import_lock(root, timeout=1):
            pass
        assert str(info.value) == (
            f"{journal}: {why}; expected the journal of an import interrupted while writing. "
            f"Look at {root / 'reports'} (git status, git diff), delete {journal} and import "
            "the workbooks again"
        )
        assert not (root / LOCK_NAME).exists()


def test_the_next_import_finishes_an_interrupted_one_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_dataset(tmp_path)
    interrupted_commit(root, monkeypatch)
    stray = root / REPORTS / ".dds.csv.abcd1234.tmp"  # of a kill before any journal
    stray.write_text("half of a file")
    told: list[str] = []
    with import_lock(root, timeout=1, on_wait=told.append):
        pass
    assert told == [
        f"finished an import that was interrupted while writing (journal {root / JOURNAL_NAME});"
        " report files put in place: reports/2567/dusit.csv, reports/2567/bang-rak.csv,"
        " reports/2567/pathum-wan.csv",
        "removed 1 temporary file(s) of an import interrupted before it replaced anything: "
        "reports/2567/.dds.csv.abcd1234.tmp",
    ]
    assert {d: (root / REPORTS / f"{d}.csv").read_text() for d in DISTRICTS} == dict.fromkeys(
        DISTRICTS, "new\n"
    )
    assert leftovers(root) == []


#: Districts of the city the kills from outside are tried on: enough report files that the
#: writing lasts long enough for some kills to land in it.
CITY = 40


def write_city(root: Path) -> list[str]:
    """A data folder of ``CITY`` districts, each with an allocation on one key result and no
    report yet; returns the districts' ids."""
    districts = [f"district-{i:02d}" for i in range(1, CITY + 1)]
    agencies = {
        **AGENCIES,
        "districts": [
            {"id": d, "code": d[-2:], "name_th": f"เขต {d}", "name_en": d.title(), "zone": "south"}
            for d in districts
        ],
    }
    (root / "agencies").mkdir(parents=True)
    (root / "agencies/all.yaml").write_text(yaml.safe_dump(agencies, allow_unicode=True))
    kr = key_result("lamps", 10 * CITY, allocations=dict.fromkeys(districts, 10))
    (root / "policies/environment").mkdir(parents=True)
    (root / "policies/environment/lamps.yaml").write_text(
        yaml.safe_dump(policy("lamps", [kr]), allow_unicode=True)
    )
    (root / REPORTS).mkdir(parents=True)
    return districts


def test_an_import_killed_at_any_moment_leaves_no_torn_or_half_merged_file(
    tmp_path: Path,
) -> None:
    # SIGKILL from outside at moments spread over the writing of a whole run: a sheet from each
    # district for June (a commit of one new report file each), then one sheet for July with a
    # row for every district (one commit of every report file)
    pristine = tmp_path / "pristine"
    districts = write_city(pristine)
    header = ["Agency", "Key result id", "Period", "Value"]
    books = [
        sheet(tmp_path / f"{d}.xlsx", [header, [d, "lamps", "2567-06", i]])
        for i, d in enumerate(districts)
    ]
    books.append(
        sheet(tmp_path / "july.xlsx", [header, *([d, "lamps", "2567-07", 1] for d in districts)])
    )
    file_of = [f"{d}.csv" for d in districts]

    june = tmp_path / "june"  # the June sheets merged, not the July one
    shutil.copytree(pristine, june)
    assert import_(june, *map(str, books[:-1]))[0] == 0
    done = tmp_path / "done"
    shutil.copytree(pristine, done)
    assert import_(done, *map(str, books))[0] == 0
    after_june, after_july = reports(june), reports(done)
    assert sorted(after_july) == file_of

    def kill_after(i: int) -> Path:
        """Start the import and kill it once the report folder holds ``i`` files (the July
        journal for ``i`` past the last district): the kill lands at whatever step it has
        reached by the time it is sent."""
        root = tmp_path / f"kill-{i}"
        shutil.copytree(pristine, root)
        # its own process group: the import forks workbook readers, which may outlive it
        proc = subprocess.Popen(
            [sys.executable, "-m", "okrtool", "import-reports", "--data", str(root)]
            + [str(b) for b in books],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        folder, journal = root / REPORTS, root / JOURNAL_NAME
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            if journal.exists() if i > CITY else sum(1 for _ in folder.iterdir()) >= i:
                break
        proc.kill()
        proc.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        return root

    with ThreadPoolExecutor(max_workers=2) as pool:  # processes in parallel, checks in turn
        roots = list(pool.map(kill_after, KILL_WHEN))
    seen = []
    for root in roots:
        # a report file: not there (o), June merged (J), June and July merged (N)
        def state(files: dict[str, bytes]) -> str:
            out = ""
            for name in file_of:
                if name not in files:
                    out += "o"
                    continue
                assert files[name] in (after_june[name], after_july[name]), f"{name} is torn"
                out += "J" if files[name] == after_june[name] else "N"
            return out

        seen.append(state(reports(root)))
        for name in leftovers(root):
            assert name in (LOCK_NAME, JOURNAL_NAME) or name.endswith(".tmp"), name
        code, out = run("validate", str(root))
        assert code == 0, out
        with import_lock(root, timeout=5):  # what the next import does first
            pass
        # the sheets were merged in order, each whole: some June ones, or all and July too
        assert re.fullmatch(r"J*o*|N+", state(reports(root))), state(reports(root))
        assert leftovers(root) == []
    print("states after the kills:", *seen, sep="\n")


#: Kill when the report folder holds this many files; past the last district: the journal.
KILL_WHEN = (0, 1, 10, 20, 30, CITY + 1)
