"""A data folder read into a Dataset: ``load_dataset``, ``read_reports``, ``locate``.

``load_dataset`` reads the plan, then the reports of the years wanted; it reads what it can and
returns the problems it met on the way (syntax, shapes, unreadable files); the relations between
objects are checked afterwards by ``rules/``.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from okrtool.dataset import AGENCIES_DIR, POLICIES_DIR, REPORTS_DIR, Dataset
from okrtool.io.datafolder import YAML_SUFFIXES, data_files
from okrtool.io.load import Locator
from okrtool.io.planfiles import read_agency_file, read_policy_file
from okrtool.io.projectcsv import is_project_file, read_project_file
from okrtool.io.reportcsv import read_report_file
from okrtool.io.yamlcache import ParseCache, cache_folder
from okrtool.problems import Problem


@contextmanager
def collector_off() -> Iterator[None]:
    """The garbage collector off while many small objects are built, then those objects frozen
    out of its way (measured on 2.4 million report values: collections were half the time of
    the report rules, and did not free anything)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def load_dataset(
    root: Path, years: Collection[int] | None = None, reports: bool = True
) -> tuple[Dataset, list[Problem]]:
    """Read the data folder ``root``; return the dataset and the problems met.

    Report files are read for every fiscal year, for ``years`` only, or (``reports=False``)
    not at all, so that a command about one year need not read ten.
    """
    ds = Dataset(root=root)
    problems: list[Problem] = []
    cache = ParseCache(cache_folder())
    agency_found = data_files(root, AGENCIES_DIR, YAML_SUFFIXES, problems)
    policy_found = data_files(root, POLICIES_DIR, YAML_SUFFIXES, problems)
    ds.agencies_unreadable = agency_found.unread
    ds.policies_unreadable = policy_found.unread
    agency_files, policy_files = agency_found.paths, policy_found.paths
    cache.preload(agency_files + policy_files)
    with collector_off():
        for path in agency_files:
            ds.files[AGENCIES_DIR].append(path.relative_to(root).as_posix())
            read_agency_file(ds, path, problems, cache)
        for path in policy_files:
            ds.files[POLICIES_DIR].append(path.relative_to(root).as_posix())
            read_policy_file(ds, path, problems, cache)
    cache.prune()
    ds.agencies = {**ds.departments, **ds.districts}
    if reports:
        problems.extend(read_reports(ds, years))
    return ds, problems


def read_reports(ds: Dataset, years: Collection[int] | None = None) -> list[Problem]:
    """Read the report files of ``years`` (every year if None) into ``ds.reports``, and the
    project report files beside them into ``ds.project_reports``."""
    problems: list[Problem] = []
    values, projects = report_paths(ds, years, problems)
    with collector_off():
        for path in values:
            ds.files[REPORTS_DIR].append(path.relative_to(ds.root).as_posix())
            read_report_file(ds, path, problems)
    read_project_files(ds, projects, problems)
    return problems


def read_project_files(ds: Dataset, paths: list[Path], problems: list[Problem]) -> None:
    """Read the project report files ``paths`` into ``ds.project_reports``."""
    for path in paths:
        ds.files[REPORTS_DIR].append(path.relative_to(ds.root).as_posix())
        read_project_file(ds, path, problems)


def report_paths(
    ds: Dataset, years: Collection[int] | None, problems: list[Problem]
) -> tuple[list[Path], list[Path]]:
    """The report files of ``years`` (every year if None), in reading order: the value files,
    and the project report files (``reports/<FY>/projects/<agency>.csv``)."""
    folders = [REPORTS_DIR] if years is None else [f"{REPORTS_DIR}/{y}" for y in sorted(years)]
    values, projects = [], []
    for folder in folders:
        found = data_files(ds.root, folder, (".csv",), problems)
        for path in found.paths:
            (projects if is_project_file(ds.root, path) else values).append(path)
        ds.reports_unreadable = ds.reports_unreadable or found.unread
    return values, projects


def locate(problems: list[Problem], root: Path) -> list[Problem]:
    """Give every problem that has only a path its line and column; return them sorted."""
    locator = Locator(root)
    for p in problems:
        if p.line == 0 and p.file.endswith(YAML_SUFFIXES):
            p.line, p.column = locator.locate(p.file, p.path, at_key=p.code == "E104")
        elif p.line == 0:
            p.line, p.column = 1, 1
    return sorted(problems, key=Problem.sort_key)
