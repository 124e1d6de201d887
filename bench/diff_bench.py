"""Time `okrtool diff` between two revisions of the shipped data (target: ≤ 1.5 s wall).

A git repository is made in a temporary folder from ``data/``: the plan as issued on ``main``,
then a branch ``change`` with one change request (trees target 200,000 → 210,000, 300 trees moved
from Bang Rak to Dusit, the Medical Service Department dropped as supporter of the health
centres). Then, the median (and min, max) of ``--runs`` runs of:

- ``okrtool diff main change`` as a user runs it: a new process, wall time, parse cache warm;
- the same with a cold parse cache (a fresh ``OKRTOOL_CACHE_DIR`` each run);
- ``okrtool diff`` with no revision (merge base of HEAD with main against the working tree);
- ``okrtool --help``, the interpreter and typer start-up the others carry;

each with the median CPU time (user + system, okrtool and its git processes), which a machine
shared with others changes much less than the wall time;

and, in-process, where the time of one diff goes: git (list and write both sides), reading and
checking each side, comparing, rendering.

Usage: ``python bench/diff_bench.py [--runs 7]``
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data"
TREES = "data/policies/environment/env-trees.yaml"
HEALTH = "data/policies/health/health-centres.yaml"
CHANGES = {
    TREES: [
        ("        target: 200000\n", "        target: 210000\n"),
        ("          nong-chok: 17370\n", "          nong-chok: 27370\n"),
        ("          bang-rak: 2320\n", "          bang-rak: 2020\n"),
        ("          dusit: 2650\n", "          dusit: 2950\n"),
    ],
    HEALTH: [
        ("supporters: [medical]", "supporters: []"),
        ("          medical: 7", "          health: 7"),
    ],
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def make_repo(work: Path) -> Path:
    """The shipped data on main, and the change request on the branch `change` (checked out)."""
    repo = work / "plan"
    shutil.copytree(SHIPPED, repo / "data")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "bench")
    git(repo, "config", "user.email", "bench@example.org")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the plan as issued")
    git(repo, "checkout", "-q", "-b", "change")
    for rel, edits in CHANGES.items():
        path = repo / rel
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, (rel, old)
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "change request")
    return repo


def wall(
    cmd: list[str], cwd: Path, env: dict[str, str], runs: int, fresh_cache: bool = False
) -> tuple[list[float], list[float]]:
    """Wall seconds of each run, and CPU seconds (user + system, the command and the git
    processes it starts): the CPU figure hardly moves when others share the machine."""
    times, cpu = [], []
    for _ in range(runs):
        run_env = dict(env)
        if fresh_cache:
            run_env["OKRTOOL_CACHE_DIR"] = tempfile.mkdtemp(prefix="okrtool-bench-cache-")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=run_env, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if fresh_cache:
            shutil.rmtree(run_env["OKRTOOL_CACHE_DIR"], ignore_errors=True)
    return times, cpu


def phases(repo: Path) -> dict[str, float]:
    """Where one diff's time goes, in-process (warm cache): the steps of
    ``plandiff.diff_revisions``, one by one."""
    from okrtool.io.git import Repository
    from okrtool.progress.diffmodel import PlanDiff, Side
    from okrtool.progress.plancompare import compare_plans
    from okrtool.progress.plandiff import diff_revisions, no_years
    from okrtool.progress.reportcompare import orphan_years, orphaned_reports
    from okrtool.render.diff import render_text
    from okrtool.rules.validate import load_checked

    out: dict[str, float] = {}
    t = time.perf_counter()
    r = Repository.of(repo / "data")
    old, new = r.revision("main"), r.revision("change")
    plan = ("agencies", "policies")
    with tempfile.TemporaryDirectory() as tmp:
        old_root = r.extract(old, Path(tmp) / "old", plan)
        new_root = r.extract(new, Path(tmp) / "new", plan)
        out["git: resolve, write both plans"] = time.perf_counter() - t
        t = time.perf_counter()
        reports = r.changed(old, new, "reports")
        out[f"git: list the report files that differ ({len(reports)})"] = time.perf_counter() - t
        t = time.perf_counter()
        old_ds, _ = load_checked(old_root, no_years)
        out["read and check the old plan"] = time.perf_counter() - t
        t = time.perf_counter()
        new_plan, _ = load_checked(new_root, no_years)
        years = sorted(orphan_years(old_ds, new_plan))
        out[f"read and check the new plan, years to read: {years}"] = time.perf_counter() - t
        t = time.perf_counter()
        r.extract(new, new_root, tuple(f"reports/{y}" for y in years))
        out["git: write those years' report files"] = time.perf_counter() - t
        t = time.perf_counter()
        new_ds, _ = load_checked(new_root, lambda _ds: years)
        out["read and check the new plan and those reports"] = time.perf_counter() - t
    t = time.perf_counter()
    policies = compare_plans(old_ds, new_ds)
    orphans = orphaned_reports(old_ds, new_ds, "data")
    out["compare"] = time.perf_counter() - t
    t = time.perf_counter()
    render_text(PlanDiff("data", Side("main", None), Side("change", None), policies, orphans))
    out["render"] = time.perf_counter() - t
    t = time.perf_counter()
    diff_revisions(repo / "data", "main", "change")
    out["all of it (plandiff.diff_revisions)"] = time.perf_counter() - t
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    okrtool = shutil.which("okrtool") or sys.exit("okrtool is not on PATH: activate the venv")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull}
    env.pop("OKRTOOL_DATA", None)
    with tempfile.TemporaryDirectory(prefix="okrtool-diff-bench-") as tmp:
        repo = make_repo(Path(tmp))
        cases = [
            ("okrtool diff main change", [okrtool, "diff", "main", "change"], False),
            (
                "okrtool diff main change (cold parse cache)",
                [okrtool, "diff", "main", "change"],
                True,
            ),
            ("okrtool diff (merge base vs working tree)", [okrtool, "diff"], False),
            ("okrtool --help", [okrtool, "--help"], False),
        ]
        subprocess.run(cases[0][1], cwd=repo, env=env, capture_output=True, check=False)  # warm
        print(f"okrtool diff on the shipped data, {args.runs} runs each (wall seconds)")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'case':<48} {'median':>7} {'min':>7} {'max':>7} {'cpu':>7}")
        for label, cmd, cold in cases:
            times, cpu = wall(cmd, repo, env, args.runs, cold)
            print(
                f"{label:<48} {statistics.median(times):7.3f} {min(times):7.3f} "
                f"{max(times):7.3f} {statistics.median(cpu):7.3f}"
            )
        os.environ["GIT_CONFIG_GLOBAL"] = os.devnull
        print("\nwhere one diff goes, in-process (seconds):")
        for label, seconds in phases(repo).items():
            print(f"  {label:<62} {seconds:7.3f}")


if __name__ == "__main__":
    main()
