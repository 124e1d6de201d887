"""`okrtool validate`: read a data folder, run every rule, return a located, sorted result."""

from __future__ import annotations

import copy
import errno
import os
import stat
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from okrtool.dataset import AGENCIES_DIR, POLICIES_DIR, REPORTS_DIR, Dataset
from okrtool.errors import OkrtoolError, UsageError
from okrtool.io.loaddata import (
    collector_off,
    load_dataset,
    locate,
    read_project_files,
    read_reports,
    report_paths,
)
from okrtool.io.reportcsv import read_report_file
from okrtool.problems import ERROR, Problem, count, render_text
from okrtool.rules.check import check
from okrtool.rules.report_values import Plans, value_problems

#: Which fiscal years' reports a command needs, asked once the plan is read (``load_checked``).
YearsWanted = Callable[[Dataset], Collection[int]]

#: Exit codes of validate (and of every command that checks data).
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


@dataclass
class ValidationResult:
    """Every problem found, located and sorted, and what was read."""

    problems: list[Problem]
    dataset: Dataset
    strict: bool = False

    @property
    def errors(self) -> int:
        return count(self.problems)[0]

    @property
    def warnings(self) -> int:
        return count(self.problems)[1]

    @property
    def exit_code(self) -> int:
        failing = self.errors + (self.warnings if self.strict else 0)
        return EXIT_PROBLEMS if failing else EXIT_OK

    def summary_line(self) -> str:
        """One line: the verdict and what was read."""
        s = self.summary()
        read = (
            f"{s['policies']} policies, {s['okrs']} OKRs, {s['key_results']} key results, "
            f"{s['agencies']} agencies, {s['report_values']:,} report values "
            f"in {s['files']} files"
        )
        if not self.problems:
            return f"OK: no problems. Read {read}."
        verdict = "FAILED" if self.exit_code else "OK"
        return (
            f"{verdict}: {_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')}"
            f"{' (--strict: warnings fail)' if self.strict and self.warnings else ''}. "
            f"Read {read}."
        )

    def summary(self) -> dict[str, Any]:
        ds = self.dataset
        return {
            "files": sum(len(v) for v in ds.files.values()),
            "policies": len(ds.policies),
            "okrs": len(ds.okrs),
            "key_results": len(ds.key_results),
            "agencies": len(ds.agencies),
            "report_values": len(ds.reports) + ds.reports_let_go,
            "errors": self.errors,
            "warnings": self.warnings,
            "strict": self.strict,
        }


def check_data_folder(root: Path) -> None:
    """Raise UsageError unless ``root`` is a readable data folder."""
    try:
        info = os.stat(root)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise UsageError(f"{root}: no such folder") from None
        if exc.errno == errno.ELOOP:
            raise UsageError(
                f"{root}: a symbolic link that loops onto itself; expected the data folder "
                "(like data/)"
            ) from None
        if exc.errno == errno.ENAMETOOLONG:
            raise UsageError(
                f"{root}: a path too long for this system (file name too long); give a shorter one"
            ) from None
        # a folder above it that this user may not enter (EACCES), or worse
        raise UsageError(
            f"{root}: cannot reach the folder ({(exc.strerror or str(exc)).lower()}: a folder "
            "above it cannot be entered); let the user who runs okrtool read it (chmod a+rX)"
        ) from None
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{root}: not a folder; expected the data folder (like data/)")
    if not os.access(root, os.R_OK | os.X_OK):
        raise UsageError(f"{root}: cannot read the folder (permission denied)")
    if not any((root / sub).is_dir() for sub in (AGENCIES_DIR, POLICIES_DIR, REPORTS_DIR)):
        raise UsageError(
            f"{root}: not a data folder; expected {AGENCIES_DIR}/, {POLICIES_DIR}/ "
            f"and {REPORTS_DIR}/ inside it"
        )


def validate(root: Path, strict: bool = False) -> ValidationResult:
    """Validate the data folder ``root``; with ``strict``, warnings fail too. Problems name
    their files as seen from the current folder (``Dataset.shown``), like every other tool.

    The report files are checked one at a time and their values let go (``check_reports``):
    validate needs every value checked, not every value kept.
    """
    check_data_folder(root)
    ds, problems = load_dataset(root, reports=False)
    ds.show_paths_from = _current_folder()
    problems.extend(check_reports(ds))
    problems.extend(check(ds))
    problems.extend(interrupted_import(root))
    located = locate(problems, root)
    for p in located:
        p.file = ds.shown(p.file)
    return ValidationResult(located, ds, strict)


def _current_folder() -> Path | None:
    """The current folder; None (files named within the data folder) when it was removed."""
    try:
        return Path.cwd()
    except OSError:
        return None


def interrupted_import(root: Path) -> list[Problem]:
    """W704: the journal of an import killed while writing is there, so some report files may
    hold a workbook's values and others not yet (each file is whole: see ``store.commit``)."""
    from okrtool.io.store import JOURNAL_NAME

    if not (root / JOURNAL_NAME).is_file():
        return []
    return [
        Problem(
            "W704",
            JOURNAL_NAME,
            "an import was interrupted while writing: some report files may hold the new "
            "values of a workbook and others not yet, until the next import-reports finishes it",
            1,
            1,
        )
    ]


#: Below this many bytes of report files, checking them in one process is quicker than forking.
PARALLEL_REPORT_BYTES = 4 * 1024 * 1024


def check_reports(ds: Dataset) -> list[Problem]:
    """Read and check every report file of ``ds`` (the plan read already), keeping only the
    problems, how many values there were and which key results they were for. The rules are
    report rules (``report_values.value_problems``), run on each file's values: a file holds
    every value of its agency and fiscal year, all that they compare. Many files are
    shared out to one process a core (``parallel.fork_map``). The project report files are
    read whole into ``ds.project_reports`` (one row a project and period: few), for the rules
    of ``rules.projects`` that ``check`` runs."""
    from okrtool.io.parallel import share_out

    problems: list[Problem] = []
    paths, project_paths = report_paths(ds, None, problems)
    sizes = [_size(p) for p in paths]
    for part in share_out(partial(_check_report_files, ds), paths, sizes, PARALLEL_REPORT_BYTES):
        problems += part.problems
        ds.reports_let_go += part.values
        ds.key_results_reported_let_go |= part.key_results
        ds.report_file_agency.update(part.file_agency)
    ds.files[REPORTS_DIR] += [p.relative_to(ds.root).as_posix() for p in paths]
    read_project_files(ds, project_paths, problems)
    return problems


@dataclass
class _Checked:
    problems: list[Problem]
    values: int
    key_results: set[str]
    file_agency: dict[str, str]


def _check_report_files(ds: Dataset, paths: list[Path]) -> _Checked:
    view = copy.copy(ds)
    view.report_file_agency = {}
    out = _Checked([], 0, set(), view.report_file_agency)
    plans: Plans = {}
    with collector_off():
        for path in paths:
            view.reports = []
            read_report_file(view, path, out.problems)
            out.problems.extend(value_problems(view, view.reports, plans))
            out.values += len(view.reports)
            out.key_results.update(rv.key_result for rv in view.reports)
    return out


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def load_checked(root: Path, years: YearsWanted | None = None) -> tuple[Dataset, list[Problem]]:
    """Load the data folder ``root`` and run every rule; return the dataset and its errors,
    located and sorted (warnings are left out). What status, missing, report-template and
    import-reports stand on.

    ``years``, if given, is asked which fiscal years' reports are needed once the plan (agencies
    and policies) is read: only those report files are read and checked, so that a command about
    one year of a ten-year dataset reads one year of reports. validate itself reads them all.
    """
    check_data_folder(root)
    if years is None:
        ds, problems = load_dataset(root)
    else:
        ds, problems = load_dataset(root, reports=False)
        problems += read_reports(ds, years(ds))
    return ds, check_loaded(ds, problems)


def check_loaded(ds: Dataset, problems: list[Problem]) -> list[Problem]:
    """Every rule over the loaded ``ds``; with the ``problems`` met loading it, the errors,
    located and sorted."""
    problems = problems + check(ds)
    return locate([p for p in problems if p.severity == ERROR], ds.root)


def load_valid(root: Path, years: YearsWanted | None = None) -> Dataset:
    """``load_checked``, refusing a data folder that has an error: OkrtoolError naming the first
    (templates and imports are made against a dataset that holds together)."""
    ds, errors = load_checked(root, years)
    refuse_errors(root, errors)
    return ds


def refuse_errors(root: Path, errors: list[Problem]) -> None:
    """OkrtoolError naming the first of ``errors``, if there is one."""
    if errors:
        raise OkrtoolError(
            f"{root}: the data folder has {len(errors)} error(s); run 'okrtool validate "
            f"{root}' and fix them first. The first: {render_text(errors[:1])}"
        )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
