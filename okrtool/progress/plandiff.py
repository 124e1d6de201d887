"""What a change to the plan changes, between two git revisions: reads both sides, compares them.

``diff_revisions`` is the one function here that touches git and files. Each side is read and
checked as validate reads it; the plans are compared by ``plancompare``, the stored report values
by ``reportcompare``; the result is a ``PlanDiff`` (``diffmodel``).
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections import Counter
from pathlib import Path, PurePosixPath

from okrtool.dataset import AGENCIES_DIR, POLICIES_DIR, REPORTS_DIR, Dataset
from okrtool.errors import UsageError
from okrtool.io.reportcsv import read_report_file
from okrtool.model import ReportValue
from okrtool.problems import Problem
from okrtool.progress.diffmodel import PlanDiff, Side, in_repository
from okrtool.progress.plancompare import compare_plans
from okrtool.progress.reportcompare import orphan_years, orphaned_reports, value_changes

#: How many of a side's errors are quoted; the rest are counted by code.
ERRORS_QUOTED = 3
#: The codes of a file that does not load at all: YAML that does not parse, no mapping, unread.
NOT_LOADED = frozenset({"E101", "E106"})


def no_years(_ds: Dataset) -> list[int]:
    """Read no report file (``load_checked``'s ``years``)."""
    return []


def unloaded(ds: Dataset, errors: list[Problem], data: str) -> str | None:
    """Why the plan of ``ds`` cannot be compared, in one line — it has no agency or policy file,
    or an agency file does not load (every H, R and allocation names an agency) — with
    ``errors`` located in the repository; None when it can."""
    if not ds.files[AGENCIES_DIR] and not ds.files[POLICIES_DIR]:
        return f"no agency or policy file in {data or '.'}/"
    folder = in_repository(data, f"{AGENCIES_DIR}/")
    broken = [p for p in errors if p.code in NOT_LOADED and p.file.startswith(folder)]
    if broken:
        p = broken[0]
        return (
            f"{p.file}:{p.line}:{p.column}: {p.code} {p.message} (the agencies every H, R and "
            "allocation names)"
        )
    if ds.agencies_unreadable:
        return f"{folder} cannot be read (the agencies every H, R and allocation names)"
    return None


def plan_incomplete(ds: Dataset) -> bool:
    """Whether part of the plan of ``ds`` could not be read: a folder or a policy file that
    does not load. What the change touches cannot then be told from it."""
    loaded = {w.file for (kind, _), w in ds.where.items() if kind == "policy"}
    return (
        ds.policies_unreadable
        or bool(ds.unverified_key_results)
        or any(file not in loaded for file in ds.files[POLICIES_DIR])
    )


def report_year(path: str) -> int | None:
    """The fiscal year of the report file ``path`` (``reports/2567/dusit.csv``); None when its
    folder is not a year."""
    parts = PurePosixPath(path).parts
    if len(parts) == 3 and parts[1].isdigit():
        return int(parts[1])
    return None


def _side(name: str, commit: str | None, errors: list[Problem]) -> Side:
    return Side(
        name=name,
        commit=commit,
        errors=len(errors),
        error_codes=dict(sorted(Counter(p.code for p in errors).items())),
        first_errors=errors[:ERRORS_QUOTED],
    )


def _in_repository(errors: list[Problem], data: str) -> list[Problem]:
    return [dataclasses.replace(p, file=in_repository(data, p.file)) for p in errors]


def _old_values(root: Path, files: list[str]) -> list[ReportValue]:
    """The values of the report ``files`` written under ``root`` (those the old side has)."""
    ds = Dataset(root=root)
    ignored: list[Problem] = []  # the old side's report errors are not the change's
    for rel in files:
        path = root / rel
        if rel.endswith(".csv") and path.is_file() and not path.is_symlink():
            read_report_file(ds, path, ignored)
    return ds.reports


def diff_revisions(data: Path, old: str | None = None, new: str | None = None) -> PlanDiff:
    """Compare the data folder ``data`` (inside a git repository) at revision ``old`` with
    revision ``new``, or with the working tree if ``new`` is None. Without ``old``: the merge
    base of HEAD with main. Each side is read and checked as validate reads it — the old side's
    plan; the new side's plan and the report files of the years the change can touch (where it
    orphans values, where report files differ; every year when the old plan does not load
    whole); a side with errors is compared for what could be read, and its errors are
    summarised in the result."""
    from okrtool.io.git import MAIN_BRANCH, Repository
    from okrtool.rules.validate import check_data_folder, load_checked

    repo = Repository.of(data)
    base = repo.revision(old) if old is not None else repo.merge_base(MAIN_BRANCH)
    head = repo.revision(new) if new is not None else None
    plan = (AGENCIES_DIR, POLICIES_DIR)
    reports = repo.changed(base, head, REPORTS_DIR)
    years: list[int] = []

    with tempfile.TemporaryDirectory(prefix="okrtool-diff-") as tmp:
        # the old side's plan, and its version of the report files that differ
        old_root = repo.extract(base, Path(tmp) / "old", plan)
        old_ds, old_errors = load_checked(old_root, no_years)
        old_errors = _in_repository(old_errors, repo.data)
        old_unloaded = unloaded(old_ds, old_errors, repo.data)
        if reports:
            repo.extract(base, old_root, tuple(reports), files=True)
        old_values = _old_values(old_root, reports)
        changed_years = {report_year(path) for path in reports}
        # what the change touches cannot be told from a plan that does not load whole, nor
        # from a report file outside a year folder: then the new side's reports are all read
        read_all = old_unloaded is not None or plan_incomplete(old_ds) or None in changed_years

        def report_years(new_ds: Dataset) -> list[int]:
            """Once the new plan is read: the years whose reports the change touches
            (``load_checked`` reads those only), written out first when the new side is a
            revision."""
            wanted = orphan_years(old_ds, new_ds) | {y for y in changed_years if y is not None}
            years.extend(sorted(wanted))
            if head is not None and years:
                repo.extract(head, new_root, tuple(f"{REPORTS_DIR}/{y}" for y in years))
            return years

        if head is None:
            new_root = repo.working_data
            check_data_folder(new_root)
        elif read_all:
            new_root = repo.extract(head, Path(tmp) / "new")
        else:
            new_root = repo.extract(head, Path(tmp) / "new", plan)
        if head is not None and not any((new_root / sub).is_dir() for sub in (*plan, REPORTS_DIR)):
            # not the temporary folder's name: the folder the user gave, at their revision
            raise UsageError(
                f"{data} at {head.name}: not a data folder; expected {AGENCIES_DIR}/, "
                f"{POLICIES_DIR}/ and {REPORTS_DIR}/ inside it at that revision"
            )
        if read_all:
            new_ds, new_errors = load_checked(new_root)
            years.extend(sorted({rv.fiscal_year for rv in new_ds.reports}))
        else:
            new_ds, new_errors = load_checked(new_root, report_years)
        new_errors = _in_repository(new_errors, repo.data)
        changed = set(reports)
        new_values = [rv for rv in new_ds.reports if rv.origin in changed]

    old_side = _side(base.name, base.commit, old_errors)
    old_side.unloaded = old_unloaded
    if old is None:
        old_side.merge_base_of = base.name
    new_side = _side(
        head.name if head else "working tree", head.commit if head else None, new_errors
    )
    new_side.unloaded = unloaded(new_ds, new_errors, repo.data)
    new_side.report_years = years
    values = value_changes(old_values, new_values, old_ds, new_ds, repo.data)
    result = PlanDiff(repo.data, old_side, new_side, [], [], values)
    if result.compared:
        result.policies = compare_plans(old_ds, new_ds)
        result.orphans = orphaned_reports(old_ds, new_ds, repo.data)
    return result
